/**
 * Reading one line of a session file ({@linkcode readLine}): a record, a
 * message known by its role and time without a parse (zot's key order), a
 * line to skip, or damage with its reason ({@linkcode LineReading}); and
 * what a second fold over the readings is ({@linkcode LineObserver}).
 *
 * @module
 */
import type { Line } from "../format/line_shape.ts";
import { decodeRecord } from "../format/record_decode.ts";
import {
  cannotBeJson,
  containsRecordStart,
  decodeUtf8,
  hasInnerRecordStart,
  messageTimeFromEnd,
  peekLine,
} from "../format/record_peek.ts";
import type { SessionRecord } from "../format/records.ts";
import { isJsonValid } from "../format/json_valid.ts";
import { parseSkimmed } from "../format/json_skim.ts";

/**
 * Whether a message line is wanted parsed: asked with its role, and with its
 * bytes when the whole line is at hand (a line known by its head alone is
 * asked without: saying yes then has the line read whole, and asked again).
 */
export type NeedFull = (role: string, bytes?: Uint8Array) => boolean;

/**
 * A second fold run beside the scan (session_scan.ts), over the same readings (the index keeps
 * a session's file changes this way, lib/transcript/change_scan.ts): it may
 * ask for more message lines parsed than the scan needs.
 */
export interface LineObserver {
  /** Whether this message line is wanted parsed ({@linkcode NeedFull}). */
  needFull: NeedFull;
  /** Takes each line and its reading, after the scan did. */
  feed(line: Line, reading: LineReading): void;
}

/**
 * The outcome of reading one line: a record, a message known by its role and
 * time without a parse, nothing (blank or unknown type), or damage.
 */
export type LineReading =
  | { kind: "record"; record: SessionRecord }
  | { kind: "message"; role: string; time: string }
  | { kind: "skip" }
  | {
    kind: "damaged";
    reason: string;
    /** Lines in a row with this reason, when more than one (a run). */
    count?: number;
  };

/**
 * The role and time of a reading that is a message (read fast or parsed),
 * or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { messageOf } from "./line_reading.ts";
 * assert.deepEqual(messageOf({ kind: "message", role: "user", time: "t" }), { role: "user", time: "t" });
 * assert.equal(messageOf({ kind: "skip" }), null);
 * ```
 */
export function messageOf(r: LineReading): { role: string; time: string } | null {
  if (r.kind === "message") return { role: r.role, time: r.time };
  if (r.kind === "record" && r.record.type === "message") {
    return { role: r.record.role, time: r.record.time };
  }
  return null;
}

/**
 * Reads one line the cheap way when zot's key order allows it and the real way
 * otherwise. The ends of a line stand for the whole only when it has its
 * newline and all of it is JSON ({@linkcode isJsonValid}, a check without
 * parsing). A line damaged in the middle (a flipped bit, a lost byte) keeps
 * zot's ends, and zot's picker unmarshals every line, so it is no message.
 * The same check rules out a line cut by a crash, even right after a tool
 * call's `"time"` argument (which ends like a message), and a crash's partial
 * line with the next record glued on: what precedes the glue leaves brackets
 * open that the glued record cannot close. A line read with the reader's
 * `checkJson` comes with the verdict ({@linkcode Line.jsonValid}, found in
 * the pass that found its end, a line too long to hold included); one read
 * backwards is not, and only a record starting in its windows tells glue
 * there. `needFull` asks for a parsed message even when the fast path could
 * tell role and time alone (it is handed the line's bytes when it has them
 * whole); a line over the reader's cap is never parsed (its
 * head window is all the caller gets of its content).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLine } from "./line_reading.ts";
 * const bytes = new TextEncoder().encode("not json");
 * const line = { number: 1, offset: 0, length: bytes.length, bytes, truncated: false, terminated: true };
 * assert.deepEqual(readLine(line), { kind: "damaged", reason: "not valid JSON" });
 * ```
 */
export function readLine(
  line: Line,
  needFull: NeedFull = () => true,
  skim = false,
  skimBytes = SKIM_BYTES,
): LineReading {
  if (line.run !== undefined) {
    // A run of lines the reader tested with cannotBeJson, and empty ones.
    if (line.run === 0) return { kind: "skip" };
    return { kind: "damaged", reason: "not valid JSON", count: line.run };
  }
  if (line.length === 0) return { kind: "skip" };
  const peek = peekLine(line.bytes);
  if (
    peek?.type === "message" && line.terminated &&
    (line.truncated || !needFull(peek.role, line.bytes))
  ) {
    const time = messageTimeFromEnd(line.truncated ? line.tail! : line.bytes);
    if (time !== null) {
      if (!line.truncated) {
        return (line.jsonValid ?? isJsonValid(line.bytes))
          ? { kind: "message", role: peek.role, time }
          : { kind: "damaged", reason: "not valid JSON" };
      }
      if (line.jsonValid ?? !glueInWindows(line)) return { kind: "message", role: peek.role, time };
    }
    // Not shaped as zot ends a message: a full parse decides.
  }
  if (line.truncated) {
    if (!line.terminated) return { kind: "damaged", reason: "truncated last line" };
    if (line.jsonValid === false) return { kind: "damaged", reason: "not valid JSON" };
    return { kind: "damaged", reason: `line of ${line.length} bytes is too long to parse` };
  }
  const damaged = {
    kind: "damaged",
    reason: line.terminated ? "not valid JSON" : "truncated last line",
  } as const;
  // Junk is known by its ends: a failed parse (an exception) costs 1–3 µs.
  if (line.jsonValid === false) return damaged;
  if (cannotBeJson(line.bytes[0], line.bytes[line.bytes.length - 1])) return damaged;
  // Garbage (base64, text) seldom starts like an object: checked first, it
  // costs no exception, the bulk of JSON.parse's time on a junk line.
  if (line.jsonValid === undefined && line.bytes[0] !== 0x7b && !isJsonValid(line.bytes)) {
    return damaged;
  }
  // A message of megabytes (a prompt with a screenshot) is parsed without
  // its long strings when only a summary is wanted: its texts are put back.
  const skimmed = skim && line.jsonValid === true && line.length > skimBytes &&
      peekLine(line.bytes)?.type === "message"
    ? parseSkimmed(line.bytes, skimBytes)
    : null;
  let value: unknown;
  try {
    value = skimmed ? skimmed.value : JSON.parse(decodeUtf8(line.bytes));
  } catch {
    return damaged;
  }
  const record = decodeRecord(value);
  if (record === null) return { kind: "skip" };
  if (record.type === "invalid") return { kind: "damaged", reason: record.reason };
  if (skimmed && record.type === "message") {
    // A message's own text and reasoning summaries are put back; what tool
    // calls and results hold is not (neither a summary nor a search of the
    // body reads it).
    for (const b of record.content) {
      if (b.type === "text") b.text = skimmed.restore(b.text);
      else if (b.type === "reasoning") b.summary = skimmed.restore(b.summary);
    }
  }
  return { kind: "record", record };
}

/**
 * Strings longer than this are left out of a message parsed for a summary
 * (`SessionReadOptions.skim` in summary.ts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SKIM_BYTES } from "./line_reading.ts";
 *
 * assert.equal(SKIM_BYTES, 65536);
 * ```
 */
export const SKIM_BYTES = 64 << 10;

/**
 * For a line known only by its head and tail: whether another record starts
 * in either window (a crash's partial line with the next one glued on). The
 * middle is not held, so a glue point there goes unseen; a crash usually
 * cuts a big line and is followed by a small record, whose start is in the
 * tail.
 */
function glueInWindows(line: Line): boolean {
  if (hasInnerRecordStart(line.bytes)) return true;
  if (line.tail === undefined) return false;
  // Where the tail starts in the line; a tail reaching back to the line's
  // first byte must not count the line's own start.
  const tailStart = line.length - line.tail.length;
  return containsRecordStart(line.tail, Math.max(0, 1 - tailStart));
}
