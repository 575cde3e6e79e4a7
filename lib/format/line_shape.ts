/**
 * One line of a session file as the line readers hand it out ({@linkcode Line}),
 * their tuning ({@linkcode LineReaderOptions}) and the rule they share for a
 * line over the cap: only its head and tail are kept.
 *
 * Why bytes and not strings: transcripts carry multi-megabyte lines (base64
 * screenshots, tool output) and occasionally lines of hundreds of megabytes.
 * Most of them only need to be classified, which a look at their first and
 * last bytes does; decoding them to a string would cost a copy and, past
 * ~512 MiB, is impossible in JavaScript engines at all.
 *
 * The readers: forward (lib/format/lines.ts, splitting with
 * lib/format/line_splitter.ts), backward (lib/format/lines_backward.ts) and
 * through gzip (lib/format/lines_gzip.ts), their chunk buffers from
 * lib/format/chunk_pool.ts.
 *
 * @module
 */
import type { JsonCheckCounter, JsonKernelKind } from "./json_check.ts";

/** One line of a file, without its `\n` and without a trailing `\r`. */
export interface Line {
  /**
   * Forward reading: the 1-based line number. Backward reading: the position
   * counted from the end, -1 for the last line.
   */
  number: number;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Length of the line in bytes (without `\n` and trailing `\r`). */
  length: number;
  /**
   * The whole line, or only its head window when `truncated`. It may be a
   * view into the reader's buffer: valid until the next line is requested.
   * Copy it (`slice()`) to keep it.
   */
  bytes: Uint8Array;
  /** The line's last bytes (a copy), present only when `truncated`. */
  tail?: Uint8Array;
  /**
   * Only the head (`bytes`) and the end (`tail`) are here: the line was longer
   * than the cap, or the caller's `keepWhole` declined it.
   */
  truncated: boolean;
  /** False for a last line with no `\n` after it (maybe still being written). */
  terminated: boolean;
  /**
   * Forward reading: the offset just past the line and its `\r\n` or `\n`,
   * where the next line starts (a scan saved there resumes there).
   */
  end?: number;
  /**
   * For a line read forward with `checkJson`: whether all of its bytes, the
   * middle of a `truncated` one too, are one JSON text. Absent when not
   * checked (and for a run).
   */
  jsonValid?: boolean;
  /**
   * Set when this stands for a run of lines handed out as one (see
   * {@linkcode LineReaderOptions.bulk}): how many of them the `bulk` test
   * accepted; the others were empty. `number` is then the first accepted
   * line's (the run's first line's if none), `offset` and `length` span the
   * whole run (so `offset + length + 1` is where the next line starts), and
   * `bytes` is empty.
   */
  run?: number;
  /**
   * With `run`: the numbers of its first accepted lines (at most
   * {@linkcode RUN_NUMBERS_KEPT}), for a caller that reports a few one by one.
   */
  runNumbers?: number[];
  /** With `run`: the number of its last line (empty or not). */
  lastNumber?: number;
}

/** How many accepted lines of a run are numbered in `Line.runNumbers`. */
export const RUN_NUMBERS_KEPT = 8;

/**
 * Counts the bytes read from session files (see
 * {@linkcode LineReaderOptions.stats}), and the bytes the JSON check read in
 * WebAssembly and in JavaScript.
 */
export interface ByteCounter extends JsonCheckCounter {
  bytesRead: number;
}

/** Tuning of the line readers; the defaults suit real transcripts. */
export interface LineReaderOptions {
  /** Bytes read per system call. Default 1 MiB. */
  chunkSize?: number;
  /** Lines longer than this are never held whole. Default 8 MiB. */
  maxLineBytes?: number;
  /** Head window kept of a longer line. Default 64 KiB. */
  headBytes?: number;
  /** Tail window kept of a longer line. Default 4 KiB. */
  tailBytes?: number;
  /** Byte offset to start reading at (forward reader only). Default 0. */
  start?: number;
  /**
   * The 1-based number of the line at `start` (a scan resumed mid-file
   * numbers its lines as a scan from the top would). Default 1.
   */
  firstLine?: number;
  /**
   * Incremented by the number of bytes read from the file: the run's byte
   * counter (`ZOT_SESSIONS_STATS=1` prints it), passed down, not global.
   */
  stats?: ByteCounter;
  /**
   * Asked once for each line that spans chunks, with its first
   * {@linkcode DECIDE_BYTES} bytes (fewer only if the line is shorter, in which
   * case it is kept): `false` keeps only head and tail, as for a line over the
   * cap, and saves copying a line the caller will not read whole. Lines inside
   * one chunk are always whole: a view costs nothing.
   */
  keepWhole?: (head: Uint8Array) => boolean;
  /**
   * A line spanning chunks is put together whole only up to this many bytes
   * (default, and at most, `maxLineBytes`); a longer one comes as head and
   * tail, as if `keepWhole` had declined it, and a caller that wants it whole
   * reads it again by its offset ({@linkcode readRange}) into a buffer of its
   * size. Why: put together, it takes a buffer of the cap (8 MiB, zeroed by
   * Bun) and a copy of every chunk it spans.
   */
  holdBytes?: number;
  /**
   * Check the JSON syntax of each line in the same pass that finds its end
   * ({@linkcode Line.jsonValid}): for a line kept only as head and tail, the
   * only time the middle is seen. Forward reader only.
   */
  checkJson?: boolean;
  /**
   * Which implementation checks: the WebAssembly kernel (the default, when
   * the runtime runs it) or JavaScript (see lib/format/json_kernel.ts).
   */
  jsonKernel?: JsonKernelKind;
  /**
   * A test on a line's first and last byte (a trailing `\r` left out) for
   * lines the caller has no use for one by one. Lines it accepts, and empty
   * lines, are not handed out each: a run of them comes as one
   * {@linkcode Line} with `run` set. Without it every line comes alone,
   * empty ones too. Why: a line handed out costs an object and an async step
   * (~0.5 µs), so 10M blank lines took `ls` 2 s; in a run each costs a byte
   * comparison. Only lines inside one chunk are tested.
   */
  bulk?: (first: number, last: number) => boolean;
  /** A `.gz` expanding past this many bytes is an error. Default {@linkcode GZIP_MAX_BYTES}. */
  gzipMaxBytes?: number;
  /** A `.gz` of more lines than this is an error. Default {@linkcode GZIP_MAX_LINES}. */
  gzipMaxLines?: number;
}

/** How many first bytes of a line {@linkcode LineReaderOptions.keepWhole} sees. */
export const DECIDE_BYTES = 64;

/** Defaults of {@linkcode LineReaderOptions}. */
export const LINE_DEFAULTS = {
  // 1 MiB chunks: fewer async reads (each costs a round trip through the
  // runtime's event loop), and still small next to the 8 MiB line cap.
  chunkSize: 1 << 20,
  maxLineBytes: 8 << 20,
  headBytes: 64 << 10,
  tailBytes: 4 << 10,
} as const;

/** A line feed, the byte that ends a line. */
export const LF = 0x0a;
/** A carriage return, dropped when it ends a line. */
export const CR = 0x0d;
/** The empty bytes of a run's {@linkcode Line}. */
export const EMPTY = new Uint8Array(0);

/**
 * A line from its bytes in memory, cut to head and tail if over the cap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeLine } from "./line_shape.ts";
 *
 * const bytes = new TextEncoder().encode("0123456789");
 * const line = makeLine(1, 0, bytes, true, 8, 3, 2);
 * assert.equal(line.truncated, true);
 * assert.equal(new TextDecoder().decode(line.bytes), "012");
 * assert.equal(new TextDecoder().decode(line.tail), "89");
 * ```
 */
export function makeLine(
  number: number,
  offset: number,
  bytes: Uint8Array,
  terminated: boolean,
  max: number,
  headBytes: number,
  tailBytes: number,
  end?: number,
  jsonValid?: boolean,
): Line {
  const length = bytes.length;
  if (length <= max) {
    const line: Line = { number, offset, length, bytes, truncated: false, terminated, end };
    if (jsonValid !== undefined) line.jsonValid = jsonValid;
    return line;
  }
  const line: Line = {
    number,
    offset,
    length,
    bytes: bytes.slice(0, headBytes),
    tail: bytes.slice(Math.max(0, length - tailBytes)),
    truncated: true,
    terminated,
    end,
  };
  if (jsonValid !== undefined) line.jsonValid = jsonValid;
  return line;
}

/**
 * The bytes without a final `\r`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trimCR } from "./line_shape.ts";
 *
 * assert.equal(trimCR(new TextEncoder().encode("ab\r")).length, 2);
 * ```
 */
export function trimCR(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  return n > 0 && bytes[n - 1] === CR ? bytes.subarray(0, n - 1) : bytes;
}
