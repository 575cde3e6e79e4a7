/**
 * The records and content blocks of a zot transcript, as FORMAT.md defines
 * them: the typed shapes a line becomes. A line is decoded into them by
 * lib/format/record_decode.ts (a parsed JSON value, any key order); the
 * cheap looks at a line's raw bytes, which rely on zot's stable key order,
 * are in lib/format/record_peek.ts.
 *
 * @module
 */
import type { Usage } from "../base/counters.ts";

/** A `meta` line: the session's state from here on. */
export interface MetaRecord {
  type: "meta";
  id: string;
  cwd: string;
  model: string;
  provider: string;
  started: string;
  version: string;
  title: string;
  parent: string;
  forkPoint: number | null;
}

/** A `message` line. `content` is empty for `null` or `[]`. */
export interface MessageRecord {
  type: "message";
  role: string;
  time: string;
  content: Block[];
  meta: Record<string, string>;
}

/** A `usage` line: trust `cumulative` only (FORMAT.md). */
export interface UsageRecord {
  type: "usage";
  usage: Usage;
  cumulative: Usage;
}

/** A `rename` line. */
export interface RenameRecord {
  type: "rename";
  title: string;
}

/** Any record zot-sessions understands. */
export type SessionRecord =
  | MetaRecord
  | MessageRecord
  | UsageRecord
  | RenameRecord;

/**
 * A line that is valid JSON of a known type but cannot be true (a usage row
 * with an impossible counter): the caller counts it as damaged, with `reason`.
 */
export interface InvalidRecord {
  type: "invalid";
  reason: string;
}

/** Plain text; possibly empty. */
export interface TextBlock {
  type: "text";
  text: string;
}
/** A tool call; `arguments` is the raw JSON value (may be null). */
export interface ToolCallBlock {
  type: "tool_call";
  id: string;
  name: string;
  arguments: unknown;
}
/** A tool result; inner blocks are text or images. */
export interface ToolResultBlock {
  type: "tool_result";
  callId: string;
  isError: boolean;
  content: (TextBlock | ImageBlock)[];
}
/** An image; `data` is standard base64. */
export interface ImageBlock {
  type: "image";
  mimeType: string;
  data: string;
}
/** Model reasoning; `encrypted` is an opaque blob that is never shown. */
export interface ReasoningBlock {
  type: "reasoning";
  id: string;
  summary: string;
  encrypted: string;
}
/** A content block of a message. */
export type Block =
  | TextBlock
  | ToolCallBlock
  | ToolResultBlock
  | ImageBlock
  | ReasoningBlock;

/** The kind of a content block. */
export type BlockKind = Block["type"];
