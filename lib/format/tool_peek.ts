/**
 * Looks at a message line's raw bytes for tool calls and results, without a
 * parse: whether it may hold a given JSON string value (a call's name, a
 * call id), and a tool result's call id and error flag read off the ends of
 * a tool message as zot writes it. They let a scan parse only the messages
 * that may hold a call it folds, and none of the results (tool output is
 * most of a transcript's bytes).
 *
 * @module
 */
import { Buffer } from "node:buffer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Characters a writer may escape (Go escapes `<`, `>`, `&`; others must): not looked for. */
// deno-lint-ignore no-control-regex -- what a writer may escape is not looked for
const ESCAPED = /["\\<>&\u0000-\u001f\u007f\u2028\u2029]/;

/**
 * What {@linkcode mayHoldString} looks for: each value quoted as JSON
 * writes it, or null when a value could be written in more than one way
 * (it holds a character that may be escaped): then every line may hold it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quotedNeedles } from "./tool_peek.ts";
 *
 * assert.equal(quotedNeedles(["edit"])?.length, 1);
 * assert.equal(quotedNeedles(["a<b"]), null);
 * ```
 */
export function quotedNeedles(values: readonly string[]): Uint8Array[] | null {
  if (values.some((v) => ESCAPED.test(v))) return null;
  return values.map((v) => encoder.encode(`"${v}"`));
}

/**
 * Whether `bytes` (a JSON text, or part of one) may hold a string whose
 * value is exactly one of the values of `needles` ({@linkcode quotedNeedles};
 * null: always yes). A string so written always shows as the quoted value;
 * inside another string a quote is escaped, so a false yes needs a string
 * ending in an escaped quote and the value (`"say \"edit"`): then the
 * caller parses a line it did not need to, nothing worse.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mayHoldString, quotedNeedles } from "./tool_peek.ts";
 *
 * const needles = quotedNeedles(["edit", "write"]);
 * const line = (s: string) => new TextEncoder().encode(s);
 * assert.equal(mayHoldString(line('{"name":"write","arguments":{}}'), needles), true);
 * assert.equal(mayHoldString(line('{"text":"please \\"edit\\" it"}'), needles), false);
 * assert.equal(mayHoldString(line('{"name":"read"}'), needles), false);
 * ```
 */
export function mayHoldString(bytes: Uint8Array, needles: Uint8Array[] | null): boolean {
  if (needles === null) return true;
  const hay = view(bytes);
  return needles.some((n) => hay.indexOf(n) !== -1);
}

/** `bytes` as a Buffer (no copy), for its native search of a byte sequence. */
function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** How zot starts a tool message, up to its one result's call id. */
const RESULT_HEAD = encoder.encode(
  '{"type":"message","message":{"role":"tool","content":[{"call_id":"',
);
/** What follows the call id: the result's content. */
const AFTER_ID = encoder.encode('","content":[');
const CALL_ID_KEY = encoder.encode('{"call_id":"');
const RESULT_END = /"is_error":(true|false)\}\],"time":"[^"\\]*"\}\}$/;

/**
 * The one tool result of a tool message as zot writes it
 * (`{"type":"message","message":{"role":"tool","content":[{"call_id":ID,
 * "content":[…],"is_error":B}],"time":T}}`), read off its first bytes
 * (`head`, which holds the id) and last bytes (`tail`); null when the line is
 * not so shaped (then parse it). `whole`: `head` is the whole line, which
 * is then checked to hold one result only; a line known by its ends is
 * taken to hold one (zot writes one result per tool message). The line
 * must be known to be one JSON text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toolResultFromEnds } from "./tool_peek.ts";
 *
 * const line = new TextEncoder().encode(
 *   '{"type":"message","message":{"role":"tool","content":[{"call_id":"c1",' +
 *     '"content":[{"text":"ok"}],"is_error":true}],"time":"2026-11-01T10:00:00Z"}}',
 * );
 * assert.deepEqual(toolResultFromEnds(line, line, true), { callId: "c1", isError: true });
 * // Two results in one message: not read off its ends.
 * const two = new TextEncoder().encode(
 *   '{"type":"message","message":{"role":"tool","content":[{"call_id":"c1",' +
 *     '"content":[],"is_error":false},{"call_id":"c2","content":[],"is_error":true}],' +
 *     '"time":"2026-11-01T10:00:00Z"}}',
 * );
 * assert.equal(toolResultFromEnds(two, two, true), null);
 * assert.deepEqual(toolResultFromEnds(two, two, false), { callId: "c1", isError: true });
 * ```
 */
export function toolResultFromEnds(
  head: Uint8Array,
  tail: Uint8Array,
  whole: boolean,
): { callId: string; isError: boolean } | null {
  if (!startsWith(head, RESULT_HEAD, 0)) return null;
  const from = RESULT_HEAD.length;
  const close = head.indexOf(0x22, from);
  if (close === -1 || !startsWith(head, AFTER_ID, close)) return null;
  const id = head.subarray(from, close);
  if (id.includes(0x5c)) return null; // an escape: a parse reads it
  const end = RESULT_END.exec(decoder.decode(tail.subarray(Math.max(0, tail.length - 512))));
  if (end === null) return null;
  if (whole && view(head).indexOf(CALL_ID_KEY, close) !== -1) {
    return null; // more than one result
  }
  return { callId: decoder.decode(id), isError: end[1] === "true" };
}

function startsWith(hay: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at + needle.length > hay.length) return false;
  for (let i = 0; i < needle.length; i++) if (hay[at + i] !== needle[i]) return false;
  return true;
}
