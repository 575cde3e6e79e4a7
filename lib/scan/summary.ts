/**
 * One pass over one session file → its summary: what zot's `/sessions` picker
 * shows, plus what zot-sessions adds (damaged lines, size, fork data).
 *
 * Speed comes from not parsing what is not needed: message lines — nearly all
 * the bytes — are counted from their first and last bytes (zot's key order),
 * and only parsed while the first prompt is still being looked for. How one
 * line is read is in line_reading.ts.
 *
 * @module
 */
import {
  type ByteCounter,
  type Line,
  LINE_DEFAULTS,
  type LineReaderOptions,
} from "../format/line_shape.ts";
import { readLines, readRange } from "../format/lines.ts";
import { cannotBeJson, peekLine } from "../format/record_peek.ts";
import type { MetaRecord } from "../format/records.ts";
import { type Usage } from "../base/counters.ts";
import { type LineReading, type NeedFull, readLine, SKIM_BYTES } from "./line_reading.ts";

/** A line that could not be read, with why. */
export interface DamagedLine {
  line: number;
  reason: string;
}

/** What one pass over a session file yields. */
export interface SessionSummary {
  /** The first meta line (identity, parent, fork point); null if none. */
  firstMeta: MetaRecord | null;
  /** The latest meta line (model, provider, cwd, started). */
  meta: MetaRecord | null;
  /** The last non-empty title of a rename or meta line. */
  title: string | null;
  firstPrompt: string | null;
  messages: number;
  /** `cumulative` of the last usage line; zeros if none. */
  usage: Usage;
  /** Time of the first message line (RFC 3339 as written), or null. */
  firstMessageTime: string | null;
  /** Time of the last message line (RFC 3339 as written), or null. */
  lastMessageTime: string | null;
  damaged: DamagedLine[];
  /** Total of damaged lines (only the first few are kept in `damaged`). */
  damagedCount: number;
}

/** How many damaged lines are kept with their reasons. */
export const DAMAGED_KEPT = 5;

/** How {@linkcode readSession} reads. */
export interface SessionReadOptions extends LineReaderOptions {
  /**
   * Only a summary is wanted (role, time and texts of messages; not their
   * images, tool calls and results): a message line parsed whole leaves out
   * its string values over {@linkcode SKIM_BYTES} other than texts (they read
   * as placeholders). Decoding them cost a cold scan time and tens of MiB.
   */
  skim?: boolean;
  /**
   * With `skim`: strings longer than this are left out, in lines longer
   * than this (default {@linkcode SKIM_BYTES}).
   */
  skimBytes?: number;
}

/**
 * Each line of a session file with its reading ({@linkcode readLine}). A line
 * spanning chunks is copied whole only if it will be parsed: most of a
 * transcript's bytes are tool output and screenshots, which the fast path
 * reads from head and tail alone (the copy was 36% of `ls`'s time on the
 * benchmark corpus). A line so declined whose ends turn out not to be enough
 * is read again, whole, by its offset.
 *
 * @example
 * ```ts
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 * import { readSession } from "./summary.ts";
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * await writeFile(join(dir, "s.jsonl"), "\nnot json\nnot json\n");
 * const readings = [];
 * for await (const { reading } of readSession(join(dir, "s.jsonl"), () => false)) readings.push(reading);
 * // Blank and junk lines in a row come as one run.
 * assert.deepEqual(readings, [{ kind: "damaged", reason: "not valid JSON", count: 2 }]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function* readSession(
  path: string,
  needFull: NeedFull,
  options: SessionReadOptions = {},
): AsyncGenerator<{ line: Line; reading: LineReading }> {
  const skim = options.skim === true;
  const skimBytes = options.skimBytes ?? SKIM_BYTES;
  const keepWhole = (head: Uint8Array) => {
    const peek = peekLine(head);
    return peek?.type !== "message" || needFull(peek.role);
  };
  const cap = options.maxLineBytes ?? LINE_DEFAULTS.maxLineBytes;
  // A line wanted whole but longer than a chunk is read again by its offset,
  // into a buffer of its size, rather than put together from the chunks in
  // one of the cap (figures in the commit that did this).
  const holdBytes = options.chunkSize ?? LINE_DEFAULTS.chunkSize;
  const readerOptions = { keepWhole, checkJson: true, bulk: cannotBeJson, holdBytes, ...options };
  for await (const line of readLines(path, readerOptions)) {
    const wanted = line.truncated && line.length <= cap && keepWhole(line.bytes);
    const reading = wanted ? null : readLine(line, needFull, skim, skimBytes);
    // Not JSON is not JSON, read whole or not: no need to read it again.
    if (
      reading === null ||
      (reading.kind === "damaged" && line.truncated && line.length <= cap &&
        line.jsonValid !== false)
    ) {
      const bytes = await readRange(path, line.offset, line.length, options.stats);
      const whole: Line = { ...line, bytes, tail: undefined, truncated: false };
      yield { line: whole, reading: readLine(whole, needFull, skim, skimBytes) };
    } else {
      yield { line, reading };
    }
  }
}

/**
 * A session's first meta line (its id, cwd, parent), read from the first
 * line only: what picking a session by id needs, without a full scan.
 * `null` if the first line is not a meta line or the file cannot be read.
 *
 * @example
 * ```ts
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 * import { readFirstMeta } from "./summary.ts";
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * const meta = { id: "0e19", cwd: "/p", model: "m", provider: "p", started: "2026-11-01T10:00:00Z" };
 * await writeFile(join(dir, "s.jsonl"), JSON.stringify({ type: "meta", meta }) + "\n");
 * assert.equal((await readFirstMeta(join(dir, "s.jsonl")))?.id, "0e19");
 * await rm(dir, { recursive: true });
 * ```
 */
export async function readFirstMeta(
  path: string,
  stats?: ByteCounter,
): Promise<MetaRecord | null> {
  try {
    const options = { chunkSize: 64 << 10, maxLineBytes: 1 << 20, stats };
    for await (const line of readLines(path, options)) {
      const r = readLine(line);
      return r.kind === "record" && r.record.type === "meta" ? r.record : null;
    }
  } catch {
    // Unreadable: no meta to report; the caller decides what that means.
  }
  return null;
}
