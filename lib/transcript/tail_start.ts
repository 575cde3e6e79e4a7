/**
 * Where `tail` starts: the last N messages found by reading backwards from
 * the end (only as much of it as that takes), or message N found forwards,
 * with the usage row that gives the first printed turn its cost.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import { readLinesBackward } from "../format/lines_backward.ts";
import { decodeUtf8 } from "../format/record_peek.ts";
import { readSession } from "../scan/summary.ts";
import { messageOf, readLine } from "../scan/line_reading.ts";

/** Where `tail` starts reading, found backwards from the end. */
export interface TailStart {
  /** Byte offset of the first line to print. */
  offset: number;
  /** Index of the first message printed: 0 from the start, or counted back (-1 is the last). */
  firstIndex: number;
  /** The usage row before the start, so the first printed turn's cost is right. */
  previousUsage: string | null;
  /**
   * False when the look back gave up before finding a usage row or the top
   * of the file: the first row read then only sets the baseline.
   */
  baselineKnown: boolean;
  /**
   * Set when the look back stopped at a run of lines that are no records
   * (damaged, blank, unknown), before finding `n` messages: how many lines
   * and bytes of it were read. Earlier messages are then not shown.
   */
  stoppedAtJunk?: { lines: number; bytes: number };
}

/**
 * How far back (bytes) a usage row is looked for before giving up on it: a
 * huge tool result in between must not make tail read the whole file.
 */
const USAGE_LOOKBACK = 4 << 20;

/**
 * Lines in a row that are no records (damaged, blank, unknown) after which
 * the look back stops: a file ending in a million lines of garbage must not
 * make `-n` read (and print) all of them. So many in a row is no crash's
 * leftover (that is one line) but a file gone bad.
 */
export const JUNK_LINES_MAX = 10_000;
/** The same cap in bytes (for junk of long lines); one line alone never reaches it. */
export const JUNK_BYTES_MAX = 16 << 20;

/** The index of the first of `n` messages counted back from the end (0, not -0, for none). */
const countedBack = (n: number) => (n === 0 ? 0 : -n);

/**
 * Finds where the last `n` messages (not counting tool results, which go
 * with their call) begin, reading only as much of the end as that takes. A
 * usage row right before them is included (it is their first turn's cost).
 * `n` = 0 starts at the end (`-n 0`): at a last line still being written
 * (no newline yet), else after the last line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { findTailStart } from "./tail_start.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * const message = (text: string) =>
 *   JSON.stringify({ type: "message", message: { role: "user", content: [{ text }] } }) + "\n";
 * await writeFile(path, ["one", "two", "three"].map(message).join(""));
 * const start = await findTailStart(path, 2);
 * assert.deepEqual([start.offset, start.firstIndex], [message("one").length, -2]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function findTailStart(
  path: string,
  n: number,
  stats?: ByteCounter,
): Promise<TailStart> {
  let counted = 0;
  let messagesAfter = 0;
  let start: number | null = null;
  let includeUsage = n > 0;
  const junk = { lines: 0, bytes: 0 };
  for await (const line of readLinesBackward(path, { stats })) {
    const r = readLine(line, () => false);
    const message = messageOf(r);
    if (r.kind === "damaged" || r.kind === "skip") {
      junk.lines++;
      junk.bytes += line.length + 1;
      if (
        junk.lines >= JUNK_LINES_MAX || (junk.bytes >= JUNK_BYTES_MAX && junk.lines > 1)
      ) {
        // Past the start, only the baseline was being looked for: the start
        // stays. Else what was found so far, from this line on.
        return {
          offset: start ?? line.offset,
          firstIndex: countedBack(messagesAfter),
          previousUsage: null,
          baselineKnown: false,
          stoppedAtJunk: start === null ? { ...junk } : undefined,
        };
      }
    } else {
      junk.lines = 0;
      junk.bytes = 0;
    }
    if (start === null && n === 0) {
      // A line without its newline is what comes next; a complete one is
      // before the start (and may be the usage row that is its baseline).
      start = line.terminated ? line.offset + line.length + 1 : line.offset;
      if (!line.terminated) continue;
    }
    if (start === null) {
      if (message) {
        messagesAfter++;
        if (message.role !== "tool" && ++counted === n) start = line.offset;
      }
      continue;
    }
    // Past the start: pick up the usage row just before it, then the one
    // before that to give the first turn's cost its right delta.
    const isUsage = r.kind === "record" && r.record.type === "usage";
    if (includeUsage) {
      includeUsage = false;
      if (isUsage) {
        start = line.offset;
        continue;
      }
    }
    if (isUsage) {
      return {
        offset: start,
        firstIndex: countedBack(messagesAfter),
        previousUsage: decodeUtf8(line.bytes),
        baselineKnown: true,
      };
    }
    if (start - line.offset > USAGE_LOOKBACK) {
      return {
        offset: start,
        firstIndex: countedBack(messagesAfter),
        previousUsage: null,
        baselineKnown: false,
      };
    }
  }
  // Read back to the top: no usage row before the start, so the baseline is
  // 0. Fewer than n messages: all of them, still counted back from the end.
  if (start === null) {
    return {
      offset: 0,
      firstIndex: countedBack(messagesAfter),
      previousUsage: null,
      baselineKnown: true,
    };
  }
  return {
    offset: start,
    firstIndex: countedBack(messagesAfter),
    previousUsage: null,
    baselineKnown: true,
  };
}

/**
 * Finds where message `index` (counted from 0 over every message line, as
 * `show` numbers them) begins, reading forward: `tail -n +N` starts at index
 * N-1. A usage row right before it is included, as in
 * {@linkcode findTailStart}. Past the last message it is the end (a line still
 * being written, or after the last line), so `-f` prints what comes next with
 * the indices going on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { findHeadStart } from "./tail_start.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * const message = (text: string) =>
 *   JSON.stringify({ type: "message", message: { role: "user", content: [{ text }] } }) + "\n";
 * await writeFile(path, ["one", "two", "three"].map(message).join(""));
 * const start = await findHeadStart(path, 2); // from the third message
 * const offset = message("one").length + message("two").length;
 * assert.deepEqual([start.offset, start.firstIndex], [offset, 2]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function findHeadStart(
  path: string,
  index: number,
  stats?: ByteCounter,
): Promise<TailStart> {
  let messages = 0;
  let usage: { offset: number; text: string } | null = null;
  let previousUsage: string | null = null;
  let previousLine: "usage" | "other" = "other";
  let end = 0;
  for await (const { line, reading } of readSession(path, () => false, { stats })) {
    if (!line.terminated) {
      return {
        offset: line.offset,
        firstIndex: messages,
        previousUsage: usage?.text ?? null,
        baselineKnown: true,
      };
    }
    const message = messageOf(reading);
    if (message && messages++ === index) {
      // The usage row right before is this turn's cost: start there.
      const startAtUsage = previousLine === "usage" && usage !== null;
      return {
        offset: startAtUsage ? usage!.offset : line.offset,
        firstIndex: index,
        previousUsage: startAtUsage ? previousUsage : usage?.text ?? null,
        baselineKnown: true,
      };
    }
    const isUsage = reading.kind === "record" && reading.record.type === "usage";
    if (isUsage) {
      previousUsage = usage?.text ?? null;
      usage = { offset: line.offset, text: decodeUtf8(line.bytes) };
    }
    previousLine = isUsage ? "usage" : "other";
    end = line.offset + line.length + 1;
  }
  return {
    offset: end,
    firstIndex: messages,
    previousUsage: usage?.text ?? null,
    baselineKnown: true,
  };
}
