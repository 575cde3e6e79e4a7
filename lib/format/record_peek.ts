/**
 * Cheap looks at a transcript line's raw bytes, relying on zot's stable key
 * order: which record a line is (or that it cannot be one), a message's time
 * and first text from its ends, whether a line holds another record's start.
 * They let callers skip parsing a line entirely; each must agree with its
 * decoder in lib/format/record_decode.ts.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder(); // replaces invalid UTF-8 with U+FFFD, as Go does

/**
 * Decodes UTF-8 bytes, replacing invalid sequences with U+FFFD.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUtf8 } from "./record_peek.ts";
 *
 * assert.equal(decodeUtf8(new Uint8Array([0x68, 0xff, 0x69])), "h\ufffdi");
 * ```
 */
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
 * import { peekLine } from "./record_peek.ts";
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
 * import { messageTimeFromEnd } from "./record_peek.ts";
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
 * import { firstTextInWindow } from "./record_peek.ts";
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
 * import { hasInnerRecordStart } from "./record_peek.ts";
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
 * import { containsRecordStart } from "./record_peek.ts";
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
 * import { cannotBeJson } from "./record_peek.ts";
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
