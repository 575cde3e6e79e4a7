/**
 * A parsed line of a zot transcript → a typed record (lib/format/records.ts),
 * following FORMAT.md, any key order. Each format rule lives in exactly one
 * function here: which block kind an object is, what a usage row holds, what
 * a title is. The fast paths on raw bytes (lib/format/record_peek.ts) must
 * agree with these rules: change them together.
 *
 * A usage row's reading and bounds are in usage_decode.ts, the zero-value
 * reading of a field in json_value.ts.
 *
 * @module
 */
import { isObj, type Obj, str } from "./json_value.ts";
import { decodeUsage, usageProblem } from "./usage_decode.ts";
import type {
  Block,
  BlockKind,
  ImageBlock,
  InvalidRecord,
  MessageRecord,
  SessionRecord,
  TextBlock,
} from "./records.ts";

/**
 * Which kind of content block an object is. zot's blocks carry no tag; it
 * tells them apart by which fields are present, first match wins. A block
 * with only a non-empty `summary` is reasoning too (zot's reader misreads it
 * as empty text).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockKind } from "./record_decode.ts";
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
 * import { blockKindByFirstKey } from "./record_decode.ts";
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
 * import { decodeBlock } from "./record_decode.ts";
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
 * A parsed line → a record; `null` when its `type` is unknown or its shape
 * is not an object (zot skips those lines; so do we); an
 * {@linkcode InvalidRecord} for a usage row {@linkcode usageProblem} rejects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRecord } from "./record_decode.ts";
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
 * import { firstText } from "./record_decode.ts";
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

/**
 * True for a message that holds a summary of compacted history.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCompaction } from "./record_decode.ts";
 *
 * const m = { type: "message" as const, role: "user", time: "", content: [] };
 * assert.equal(isCompaction({ ...m, meta: { compaction: "true" } }), true);
 * assert.equal(isCompaction({ ...m, meta: {} }), false);
 * ```
 */
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
 * import { isCompactionFromEnd } from "./record_decode.ts";
 * assert.equal(isCompactionFromEnd('"time":"2026-11-01T10:00:00Z","meta":{"compaction":"true"}}}'), true);
 * ```
 */
export function isCompactionFromEnd(tail: string): boolean {
  return /"compaction":"true"/.test(tail.slice(tail.lastIndexOf('"time":"')));
}
