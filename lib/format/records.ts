/**
 * A line of a zot transcript → a typed record, following FORMAT.md. Each
 * format rule lives in exactly one function here: which block kind an object
 * is, what a usage row holds, what a title is.
 *
 * Two ways in: {@linkcode decodeRecord} for a parsed JSON value (any key
 * order), and {@linkcode peekLine} for a cheap look at raw bytes that relies on
 * zot's stable key order and lets callers skip parsing a line entirely.
 *
 * Why one module of ~600 lines: FORMAT.md's rules, decoded and on raw bytes,
 * must change together; each fast-path reader sits next to the decoder it
 * must agree with.
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

/** Roles a message can have. */
export type Role = "user" | "assistant" | "tool";

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

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}
function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/**
 * Which kind of content block an object is. zot's blocks carry no tag; it
 * tells them apart by which fields are present, first match wins. A block
 * with only a non-empty `summary` is reasoning too (zot's reader misreads it
 * as empty text).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockKind } from "./records.ts";
 *
 * assert.equal(blockKind({ call_id: "x", content: [] }), "tool_result");
 * assert.equal(blockKind({ text: "hi" }), "text");
 * ```
 */
export function blockKind(o: Obj): BlockKind {
  if (str(o.reasoning_id) || str(o.encrypted_content)) return "reasoning";
  if (str(o.name) && str(o.id)) return "tool_call";
  if (str(o.call_id)) return "tool_result";
  if (str(o.mime_type)) return "image";
  if (str(o.summary) && !str(o.text)) return "reasoning";
  return "text";
}

/**
 * {@linkcode blockKind} for a block being streamed, known only by its first
 * key: zot writes each kind's fields in a fixed order (Go struct order), so
 * the first key alone tells the kind of every block zot writes. "other" for
 * a first key no kind starts with. The one place the streaming reader takes
 * its rule from; a test checks the two agree on every kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockKindByFirstKey } from "./records.ts";
 * assert.equal(blockKindByFirstKey("call_id"), "tool_result");
 * ```
 */
export function blockKindByFirstKey(key: string): BlockKind | "other" {
  switch (key) {
    case "text":
      return "text";
    case "mime_type":
      return "image";
    case "id":
    case "name":
      return "tool_call";
    case "call_id":
      return "tool_result";
    case "reasoning_id":
    case "summary":
    case "encrypted_content":
      return "reasoning";
    default:
      return "other";
  }
}

/**
 * A parsed content block object → a typed block.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBlock } from "./records.ts";
 *
 * assert.deepEqual(decodeBlock({ mime_type: "image/png", data: "iVBO" }), {
 *   type: "image",
 *   mimeType: "image/png",
 *   data: "iVBO",
 * });
 * ```
 */
export function decodeBlock(o: Obj): Block {
  switch (blockKind(o)) {
    case "reasoning":
      return {
        type: "reasoning",
        id: str(o.reasoning_id),
        summary: str(o.summary),
        encrypted: str(o.encrypted_content),
      };
    case "tool_call":
      return {
        type: "tool_call",
        id: str(o.id),
        name: str(o.name),
        arguments: o.arguments ?? null,
      };
    case "tool_result": {
      const inner = Array.isArray(o.content) ? o.content.filter(isObj) : [];
      return {
        type: "tool_result",
        callId: str(o.call_id),
        isError: o.is_error === true,
        // Inside a result, zot knows only two kinds: image if it has a mime type.
        content: inner.map((b): TextBlock | ImageBlock =>
          str(b.mime_type)
            ? { type: "image", mimeType: str(b.mime_type), data: str(b.data) }
            : { type: "text", text: str(b.text) }
        ),
      };
    }
    case "image":
      return { type: "image", mimeType: str(o.mime_type), data: str(o.data) };
    case "text":
      return { type: "text", text: str(o.text) };
  }
}

/**
 * A usage object as zot writes it (`input_tokens`, …, `cost_usd`) → `Usage`.
 * Missing or non-numeric fields count as 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUsage } from "./records.ts";
 *
 * const u = decodeUsage({ input_tokens: 3, cost_usd: 0.01 });
 * assert.equal(u.inputTokens, 3);
 * assert.equal(u.outputTokens, 0);
 * ```
 */
export function decodeUsage(v: unknown): Usage {
  const o = isObj(v) ? v : {};
  return {
    inputTokens: num(o.input_tokens),
    outputTokens: num(o.output_tokens),
    cacheReadTokens: num(o.cache_read_tokens),
    cacheWriteTokens: num(o.cache_write_tokens),
    costUsd: num(o.cost_usd),
  };
}

/** The largest token count one field of a usage row may hold. */
export const MAX_USAGE_TOKENS = 1e12;
/** The largest dollar amount a usage row may hold. */
export const MAX_USAGE_USD = 1e6;

const COUNTERS = [
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
] as const;

/**
 * Why a usage row's counters cannot be true, or `null` when they can. Every
 * verb's numbers come from usage rows, so this one check keeps them finite
 * and exact: a counter must be a finite number ≥ 0 (JSON's `1e999` parses as
 * Infinity), token counts whole (zot writes Go ints) and at most
 * {@linkcode MAX_USAGE_TOKENS}, a cost at most {@linkcode MAX_USAGE_USD} —
 * far past any real session, and small enough that integer nanodollars of
 * sums stay exact. FORMAT.md's restart rule is about a *decrease between*
 * rows, which stays valid; a value below zero is no running total at all.
 * Missing or non-numeric fields are not checked: they read as 0, as Go's
 * zero value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usageProblem } from "./records.ts";
 *
 * const row = { usage: {}, cumulative: { cost_usd: 1e300 } };
 * assert.equal(usageProblem(row), "cumulative.cost_usd 1e+300 is out of range");
 * assert.equal(usageProblem({ usage: { input_tokens: 3 } }), null);
 * ```
 */
export function usageProblem(row: Obj): string | null {
  for (const part of ["cumulative", "usage"] as const) {
    const o = row[part];
    if (!isObj(o)) continue;
    for (const key of [...COUNTERS, "cost_usd"] as const) {
      const v = o[key];
      if (typeof v !== "number") continue;
      const max = key === "cost_usd" ? MAX_USAGE_USD : MAX_USAGE_TOKENS;
      if (!(v >= 0 && v <= max)) return `${part}.${key} ${v} is out of range`;
      if (key !== "cost_usd" && !Number.isInteger(v)) {
        return `${part}.${key} ${v} is not a whole number`;
      }
    }
  }
  return null;
}

/**
 * A parsed line → a record; `null` when its `type` is unknown or its shape
 * is not an object (zot skips those lines; so do we); an
 * {@linkcode InvalidRecord} for a usage row {@linkcode usageProblem} rejects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRecord } from "./records.ts";
 *
 * const record = decodeRecord(JSON.parse('{"title":"x","type":"rename"}'));
 * assert.deepEqual(record, { type: "rename", title: "x" });
 * assert.equal(decodeRecord({ type: "future" }), null);
 * ```
 */
export function decodeRecord(value: unknown): SessionRecord | InvalidRecord | null {
  if (!isObj(value)) return null;
  switch (value.type) {
    case "meta": {
      const m = value.meta;
      if (!isObj(m)) return null;
      const fp = m.fork_point;
      return {
        type: "meta",
        id: str(m.id),
        cwd: str(m.cwd),
        model: str(m.model),
        provider: str(m.provider),
        started: str(m.started),
        version: str(m.version),
        title: str(m.title),
        parent: str(m.parent),
        forkPoint: typeof fp === "number" && Number.isInteger(fp) && fp > 0 ? fp : null,
      };
    }
    case "message": {
      const m = value.message;
      if (!isObj(m)) return null;
      const content = Array.isArray(m.content) ? m.content.filter(isObj).map(decodeBlock) : [];
      const meta: Record<string, string> = {};
      if (isObj(m.meta)) {
        for (const [k, v] of Object.entries(m.meta)) {
          if (typeof v === "string") meta[k] = v;
        }
      }
      return { type: "message", role: str(m.role), time: str(m.time), content, meta };
    }
    case "usage": {
      const problem = usageProblem(value);
      if (problem !== null) return { type: "invalid", reason: problem };
      return {
        type: "usage",
        usage: decodeUsage(value.usage),
        cumulative: decodeUsage(value.cumulative),
      };
    }
    case "rename":
      return { type: "rename", title: str(value.title) };
  }
  return null;
}

/**
 * The first non-empty `text` among a message's blocks: what zot's picker shows
 * as a session's first prompt. Text inside tool results does not count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstText } from "./records.ts";
 *
 * const content = [
 *   { type: "image" as const, mimeType: "image/png", data: "" },
 *   { type: "text" as const, text: "hi" },
 * ];
 * assert.equal(firstText(content), "hi");
 * ```
 */
export function firstText(content: Block[]): string | null {
  for (const b of content) {
    if (b.type === "text" && b.text !== "") return b.text;
  }
  return null;
}

/** True for a message that holds a summary of compacted history. */
export function isCompaction(m: MessageRecord): boolean {
  return m.meta.compaction === "true";
}

/**
 * {@linkcode isCompaction} for a message line known only by its last bytes:
 * zot writes the message's `meta` map last, after its `time`, so the marker
 * sits in the tail, after the last `"time":"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCompactionFromEnd } from "./records.ts";
 * assert.equal(isCompactionFromEnd('"time":"2026-11-01T10:00:00Z","meta":{"compaction":"true"}}}'), true);
 * ```
 */
export function isCompactionFromEnd(tail: string): boolean {
  return /"compaction":"true"/.test(tail.slice(tail.lastIndexOf('"time":"')));
}

// ---------------------------------------------------------------------------
// Fast path on raw bytes.

const encoder = new TextEncoder();
const decoder = new TextDecoder(); // replaces invalid UTF-8 with U+FFFD, as Go does

/** Decodes UTF-8 bytes, replacing invalid sequences with U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

const PREFIX = {
  meta: encoder.encode('{"type":"meta",'),
  usage: encoder.encode('{"type":"usage",'),
  message: encoder.encode('{"type":"message","message":{"role":"'),
  rename: encoder.encode('{"title":'),
} as const;
const RENAME_SUFFIX = encoder.encode(',"type":"rename"}');
const TIME_KEY = encoder.encode('"time":"');

function startsWith(bytes: Uint8Array, prefix: Uint8Array, at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[at + i] !== prefix[i]) return false;
  }
  return true;
}

function endsWith(bytes: Uint8Array, suffix: Uint8Array): boolean {
  return startsWith(bytes, suffix, bytes.length - suffix.length);
}

/** What a cheap look at a line's bytes tells; `null` fields mean "parse it". */
export type LinePeek =
  | { type: "meta" | "usage" | "rename" }
  | { type: "message"; role: string };

/**
 * Classifies a line by zot's fixed key order, without parsing. Returns `null`
 * when the line does not start the way zot writes it; the caller then parses
 * it for real (other writers, other key orders).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peekLine } from "./records.ts";
 *
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * const line = bytes('{"type":"message","message":{"role":"user","content":[]}}');
 * assert.deepEqual(peekLine(line), { type: "message", role: "user" });
 * assert.equal(peekLine(bytes('{"message":{},"type":"message"}')), null);
 * ```
 */
export function peekLine(bytes: Uint8Array): LinePeek | null {
  if (bytes[0] !== 0x7b) return null; // "{"
  if (startsWith(bytes, PREFIX.message)) {
    const start = PREFIX.message.length;
    const end = bytes.indexOf(0x22, start); // closing quote of the role
    if (end === -1 || end - start > 16) return null;
    let role = "";
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (c < 0x61 || c > 0x7a) return null; // roles are lowercase ASCII
      role += String.fromCharCode(c);
    }
    return { type: "message", role };
  }
  if (startsWith(bytes, PREFIX.usage)) return { type: "usage" };
  if (startsWith(bytes, PREFIX.meta)) return { type: "meta" };
  if (startsWith(bytes, PREFIX.rename) && endsWith(bytes, RENAME_SUFFIX)) {
    return { type: "rename" };
  }
  return null;
}

const TIME_SHAPE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const MESSAGE_END = /^(?:"\}\}|",\s*"meta":\{[^{}]*\}\}\})$/;

/**
 * The `time` of a message line read off its last bytes, without parsing the
 * content before it. zot writes `…,"time":"<RFC 3339>"}}` or
 * `…,"time":"…","meta":{…}}}`. Returns `null` when the end is not shaped like
 * that — a line cut short by a crash, or another writer — so the caller can
 * fall back to a real parse or count the line as damaged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { messageTimeFromEnd } from "./records.ts";
 *
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * const end = bytes('"hi"}],"time":"2026-09-22T14:05:30+02:00"}}');
 * assert.equal(messageTimeFromEnd(end), "2026-09-22T14:05:30+02:00");
 * ```
 */
export function messageTimeFromEnd(end: Uint8Array): string | null {
  const n = end.length;
  if (n < 2 || end[n - 1] !== 0x7d || end[n - 2] !== 0x7d) return null; // "}}"
  const at = lastIndexOf(end, TIME_KEY);
  if (at === -1) return null;
  const from = at + TIME_KEY.length;
  const close = end.indexOf(0x22, from);
  if (close === -1) return null;
  const time = decoder.decode(end.subarray(from, close));
  if (!TIME_SHAPE.test(time)) return null;
  if (!MESSAGE_END.test(decoder.decode(end.subarray(close)))) return null;
  return time;
}

function lastIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  let i = hay.lastIndexOf(first, hay.length - needle.length);
  while (i !== -1) {
    if (startsWith(hay, needle, i)) return i;
    if (i === 0) return -1;
    i = hay.lastIndexOf(first, i - 1);
  }
  return -1;
}

const TEXT_KEY = encoder.encode('"text":"');

/**
 * The first non-empty `"text"` string found in a window of raw JSON bytes: how
 * the first prompt is read from a user message too long to parse whole (its
 * head window). Returns `null` if none closes inside the window.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstTextInWindow } from "./records.ts";
 *
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * const head = bytes('{"type":"message","message":{"role":"user","content":[{"text":"hi"}');
 * assert.equal(firstTextInWindow(head), "hi");
 * ```
 */
export function firstTextInWindow(window: Uint8Array): string | null {
  let from = 0;
  while (true) {
    const at = indexOfBytes(window, TEXT_KEY, from);
    if (at === -1) return null;
    const start = at + TEXT_KEY.length;
    // Find the closing quote: one not escaped by an odd run of backslashes.
    let i = start;
    let close = -1;
    while (i < window.length) {
      const q = window.indexOf(0x22, i);
      if (q === -1) break;
      let backslashes = 0;
      for (let j = q - 1; j >= start && window[j] === 0x5c; j--) backslashes++;
      if (backslashes % 2 === 0) {
        close = q;
        break;
      }
      i = q + 1;
    }
    if (close === -1) return null;
    try {
      const text = JSON.parse(decoder.decode(window.subarray(start - 1, close + 1)));
      if (typeof text === "string" && text !== "") return text;
    } catch {
      return null;
    }
    from = close + 1;
  }
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  let i = hay.indexOf(first, from);
  while (i !== -1) {
    if (startsWith(hay, needle, i)) return i;
    i = hay.indexOf(first, i + 1);
  }
  return -1;
}

const RECORD_START = encoder.encode('{"type":"');

/**
 * True when `{"type":"` occurs past the first byte. Inside a JSON string its
 * quotes would be escaped, so in one of zot's lines it only appears where a
 * raw JSON value starts with a `type` key (a tool call's arguments) — or where
 * a partial line was left by a crash and the next record was glued onto it.
 * Callers parse such a line for real instead of trusting its ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasInnerRecordStart } from "./records.ts";
 *
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * // A line cut short by a crash, with the next record glued on.
 * const glued = bytes('{"type":"message","message":{"role":"ass{"type":"usage","usage":{}}');
 * assert.equal(hasInnerRecordStart(glued), true);
 * ```
 */
export function hasInnerRecordStart(bytes: Uint8Array): boolean {
  return indexOfBytes(bytes, RECORD_START, 1) !== -1;
}

/**
 * True when `{"type":"` occurs anywhere in a window taken from inside a line
 * (its tail): there, even the first byte is not the line's start.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { containsRecordStart } from "./records.ts";
 *
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * assert.equal(containsRecordStart(bytes('ssistant"}}{"type":"usage"')), true);
 * assert.equal(containsRecordStart(bytes('"time":"2026-09-22T14:05:30Z"}}')), false);
 * ```
 */
export function containsRecordStart(bytes: Uint8Array, from = 0): boolean {
  return indexOfBytes(bytes, RECORD_START, from) !== -1;
}

/**
 * True when a line whose first and last bytes are these cannot be JSON at
 * all, so it is damaged without a parse: a failed `JSON.parse` costs 1–3 µs
 * (an exception), which made millions of junk lines read at 2–5 MB/s. False
 * means "parse to know". Whitespace at either end, and a UTF-8 byte order
 * mark (which the decoder drops), leave the question open.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cannotBeJson } from "./records.ts";
 *
 * // `{…"` is an object cut short; `{…}` may be JSON: parse to know.
 * assert.equal(cannotBeJson(0x7b, 0x22), true);
 * assert.equal(cannotBeJson(0x7b, 0x7d), false);
 * ```
 */
export function cannotBeJson(first: number, last: number): boolean {
  if (isJsonSpace(first) || isJsonSpace(last) || first === 0xef) return false;
  switch (first) {
    case 0x7b: // {
      return last !== 0x7d; // }
    case 0x5b: // [
      return last !== 0x5d; // ]
    case 0x22: // "
      return last !== 0x22;
    case 0x74: // true
    case 0x66: // false
      return last !== 0x65; // e
    case 0x6e: // null
      return last !== 0x6c; // l
  }
  // A number starts with "-" or a digit and ends with a digit.
  if (first === 0x2d || (first >= 0x30 && first <= 0x39)) return !(last >= 0x30 && last <= 0x39);
  return true;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
