/**
 * Bytes → lines, forward and backward, in memory that does not grow with the
 * file or with the length of a line.
 *
 * Why bytes and not strings: transcripts carry multi-megabyte lines (base64
 * screenshots, tool output) and occasionally lines of hundreds of megabytes.
 * Most of them only need to be classified, which a look at their first and
 * last bytes does; decoding them to a string would cost a copy and, past
 * ~512 MiB, is impossible in JavaScript engines at all.
 *
 * Why one module of ~800 lines: the forward splitter, the chunk readers
 * (plain and gzip) and the backward reader share one {@linkcode Line} shape,
 * its cap, head and tail windows and run collapsing; split apart, each would
 * restate those rules.
 *
 * @module
 */
import { PathError, RuntimeError } from "../base/errors.ts";
import {
  type JsonCheck,
  jsonCheck,
  type JsonCheckCounter,
  type JsonKernelKind,
} from "./json_kernel.ts";
import { openRegularFile } from "./open_file.ts";

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

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = new Uint8Array(0);

/**
 * Splits a stream of byte chunks into lines. Pure: no I/O. Chunks may be views
 * into one reused buffer: a line inside one chunk is yielded as a view of it,
 * a line spanning chunks is assembled in a buffer that doubles as needed (so
 * linear cost) up to the cap, past which only head and tail are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineSplitter } from "./lines.ts";
 *
 * const s = new LineSplitter();
 * const lines: string[] = [];
 * for (const chunk of ['{"a":1}\n{"b"', ":2}\n"]) {
 *   for (const line of s.push(new TextEncoder().encode(chunk))) {
 *     lines.push(new TextDecoder().decode(line.bytes));
 *   }
 * }
 * assert.deepEqual([...s.end()], []);
 * assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
 * ```
 */
export class LineSplitter {
  readonly #max: number;
  /** A line spanning chunks is held whole up to this many bytes (`holdBytes`). */
  readonly #hold: number;
  readonly #headBytes: number;
  readonly #tailBytes: number;
  readonly #keepWhole?: (head: Uint8Array) => boolean;
  /** The JSON check of the line being read (`checkJson`), fed as its end is looked for. */
  readonly #check: JsonCheck | null;
  /**
   * Set by `#skipRun` when it already fed the line at the position it
   * returns to the check while looking for its end: that end (-1: past the
   * chunk). -2 when not.
   */
  #checked = -2;
  #decided = false;
  #pending: Uint8Array = new Uint8Array(0);
  #pendingLength = 0;
  // Long-line mode: only the head, a ring of the last bytes, and the length.
  #long = false;
  #head: Uint8Array = new Uint8Array(0);
  /** What `#head` is a view of: a buffer of the pool, kept for the next long line. */
  #headBuffer: Uint8Array = EMPTY;
  #headLength = 0;
  #ring = new Uint8Array(0);
  #ringEnd = 0;
  #longLength = 0;
  #lineNumber = 0;
  #lineOffset = 0;
  #offset = 0;
  readonly #bulk?: (first: number, last: number) => boolean;
  // The run of empty and bulk lines not handed out yet (see `bulk`).
  #runOpen = false;
  #runStart = 0;
  #runEnd = 0;
  #runNumber = 0;
  #runAccepted = 0;
  #runNumbers: number[] = [];

  constructor(options: LineReaderOptions = {}) {
    this.#max = options.maxLineBytes ?? LINE_DEFAULTS.maxLineBytes;
    this.#hold = Math.min(options.holdBytes ?? this.#max, this.#max);
    this.#headBytes = Math.min(
      options.headBytes ?? LINE_DEFAULTS.headBytes,
      this.#max,
    );
    this.#tailBytes = options.tailBytes ?? LINE_DEFAULTS.tailBytes;
    this.#keepWhole = options.keepWhole;
    this.#check = options.checkJson === true ? jsonCheck(options.stats, options.jsonKernel) : null;
    this.#bulk = options.bulk;
    this.#lineOffset = this.#offset = options.start ?? 0;
    this.#lineNumber = (options.firstLine ?? 1) - 1;
  }

  /** How many lines have ended so far (empty ones and runs' lines included). */
  get lines(): number {
    return this.#lineNumber;
  }

  /** Yields every line completed by `chunk`. */
  *push(chunk: Uint8Array): Generator<Line> {
    let pos = 0;
    const n = chunk.length;
    const check = this.#check;
    check?.newChunk();
    while (pos < n) {
      const inChunk = this.#pendingLength === 0 && !this.#long;
      let nl = -2;
      if (this.#bulk && inChunk) {
        pos = this.#skipRun(chunk, pos);
        if (pos === n) break;
        nl = this.#checked;
        this.#checked = -2;
      }
      // With the JSON check, the line is checked in the pass that finds its end.
      if (nl === -2) nl = check ? check.line(chunk, pos) : chunk.indexOf(LF, pos);
      if (nl === -1) {
        // A line goes on into the next chunk: what came before it goes first.
        if (this.#runOpen) yield this.#takeRun();
        this.#append(chunk.subarray(pos));
        break;
      }
      if (inChunk) {
        if (this.#runOpen) yield this.#takeRun();
        yield this.#finish(chunk.subarray(pos, nl), true);
      } else {
        this.#append(chunk.subarray(pos, nl));
        yield this.#finishPending(true);
      }
      pos = nl + 1;
      this.#lineOffset = this.#offset + pos;
    }
    this.#offset += n;
  }

  /**
   * Adds the empty lines and the lines `bulk` accepts from `pos` on to the
   * run; returns where the first other line (or a line going on into the
   * next chunk) starts. A plain method, not part of the generator:
   * JavaScriptCore runs a loop inside a generator far slower (10M empty
   * lines, Bun: 180–400 ms there, 5–12 ms here).
   */
  #skipRun(chunk: Uint8Array, pos: number): number {
    const bulk = this.#bulk!;
    const check = this.#check;
    const n = chunk.length;
    const max = this.#max;
    const numbers = this.#runNumbers;
    // Counted in locals and stored once: this loop runs once per line.
    let lines = 0;
    let accepted = 0;
    let firstAccepted = -1;
    let first = -1; // where the lines added here start
    let lastNl = -1;
    while (pos < n) {
      if (chunk[pos] === LF) {
        // Empty lines: the tightest loop.
        if (first === -1) first = pos;
        const from = pos;
        while (pos < n && chunk[pos] === LF) pos++;
        lines += pos - from;
        lastNl = pos - 1;
        continue;
      }
      // The line's end: a plain loop over a short line (a search call costs
      // more than the search there), a search past 128 bytes; with the JSON
      // check, the check's pass, kept for the caller if the line is not one
      // of the run.
      const stop = Math.min(n, pos + 128);
      let nl = pos + 1;
      let checked = false;
      while (nl < stop && chunk[nl] !== LF) nl++;
      if (nl === stop) {
        if (nl === n) nl = -1;
        else if (check) {
          nl = check.line(chunk, pos);
          checked = true;
        } else nl = chunk.indexOf(LF, stop);
      }
      if (nl === -1) {
        if (checked) this.#checked = -1;
        break;
      }
      const last = chunk[nl - 1] === CR ? nl - 2 : nl - 1;
      if (last >= pos) { // else "\r" alone: empty
        // (A line over the cap keeps its own reason: "too long to parse".)
        if (last - pos >= max || !bulk(chunk[pos], chunk[last])) {
          if (checked) this.#checked = nl;
          break;
        }
        if (checked) check!.end(); // one of the run: its verdict is not wanted
        const number = this.#lineNumber + lines + 1;
        if (firstAccepted === -1) firstAccepted = number;
        if (numbers.length < RUN_NUMBERS_KEPT) numbers.push(number);
        accepted++;
      }
      if (first === -1) first = pos;
      lines++;
      lastNl = nl;
      pos = nl + 1;
    }
    if (lines > 0) {
      if (!this.#runOpen) {
        this.#runOpen = true;
        this.#runStart = this.#offset + first;
        this.#runNumber = this.#lineNumber + 1;
      }
      // The run is numbered by its first accepted line: the one a marker names.
      if (this.#runAccepted === 0 && firstAccepted !== -1) this.#runNumber = firstAccepted;
      this.#runAccepted += accepted;
      this.#runEnd = this.#offset + lastNl;
      this.#lineNumber += lines;
    }
    this.#lineOffset = this.#offset + pos;
    return pos;
  }

  /**
   * Gives the splitter's buffers back to the pool the chunk readers share:
   * call it when no line of this splitter is in use any more.
   */
  release(): void {
    if (this.#pending.length > 0) giveBuffer(this.#pending);
    if (this.#headBuffer.length > 0) giveBuffer(this.#headBuffer);
    this.#pending = this.#head = this.#headBuffer = EMPTY;
    this.#pendingLength = this.#headLength = 0;
  }

  /** Yields what is left: a run, and the last line if the input did not end with `\n`. */
  *end(): Generator<Line> {
    if (this.#runOpen) yield this.#takeRun();
    if (this.#pendingLength > 0 || this.#long) {
      yield this.#finishPending(false);
    }
  }

  #takeRun(): Line {
    const line: Line = {
      number: this.#runNumber,
      offset: this.#runStart,
      length: this.#runEnd - this.#runStart,
      bytes: EMPTY,
      truncated: false,
      terminated: true,
      run: this.#runAccepted,
      runNumbers: this.#runNumbers,
      end: this.#runEnd + 1,
      lastNumber: this.#lineNumber,
    };
    this.#runOpen = false;
    this.#runAccepted = 0;
    this.#runNumbers = [];
    return line;
  }

  #append(part: Uint8Array): void {
    if (part.length === 0) return;
    if (this.#long) {
      this.#fillHead(part);
      this.#pushRing(part);
      this.#longLength += part.length;
      return;
    }
    const needed = this.#pendingLength + part.length;
    if (this.#keepWhole && !this.#decided && needed >= DECIDE_BYTES) {
      this.#decided = true;
      if (!this.#keepWhole(this.#firstBytes(part))) {
        this.#enterLong(part);
        return;
      }
    }
    // One byte over the cap is allowed: it may be a "\r" that gets trimmed.
    if (needed > this.#hold + 1) {
      this.#enterLong(part);
      return;
    }
    if (needed > this.#pending.length) {
      // Past 1 MiB, straight to the cap: the doublings in between (2, 4, 8
      // MiB) were garbage that raised `show`'s peak by ~20 MiB. Taken from
      // the pool the chunk readers share, the outgrown buffer given back:
      // Bun zeroes a new buffer (8 MiB resident at once), and in a virtual
      // machine the first touch of a page is what a new buffer costs most.
      const grown = takeBuffer(
        needed > 1 << 20
          ? this.#max + 1
          : Math.min(this.#max + 1, Math.max(needed, this.#pending.length * 2, 4096)),
      );
      grown.set(this.#pending.subarray(0, this.#pendingLength));
      if (this.#pending.length > 0) giveBuffer(this.#pending);
      this.#pending = grown;
    }
    this.#pending.set(part, this.#pendingLength);
    this.#pendingLength = needed;
  }

  /** The line's first DECIDE_BYTES bytes, from what is pending and `part`. */
  #firstBytes(part: Uint8Array): Uint8Array {
    const have = this.#pendingLength;
    if (have >= DECIDE_BYTES) return this.#pending.subarray(0, DECIDE_BYTES);
    if (have === 0) return part.subarray(0, DECIDE_BYTES);
    const head = new Uint8Array(DECIDE_BYTES);
    head.set(this.#pending.subarray(0, have));
    head.set(part.subarray(0, DECIDE_BYTES - have), have);
    return head;
  }

  #enterLong(part: Uint8Array): void {
    const pending = this.#pending.subarray(0, this.#pendingLength);
    // The last long line's head is no longer in use (the caller asked for
    // the next line): its buffer serves again.
    if (this.#headBuffer.length < this.#headBytes) {
      if (this.#headBuffer.length > 0) giveBuffer(this.#headBuffer);
      this.#headBuffer = takeBuffer(this.#headBytes);
    }
    this.#head = this.#headBuffer.subarray(0, this.#headBytes);
    this.#headLength = 0;
    this.#fillHead(pending);
    this.#fillHead(part);
    // One byte more than the tail window: a final "\r" is dropped from it.
    this.#ring = new Uint8Array(this.#tailBytes + 1);
    this.#ringEnd = 0;
    this.#long = true;
    this.#longLength = pending.length + part.length;
    this.#pushRing(pending);
    this.#pushRing(part);
    this.#pendingLength = 0;
    // A line this long is streamed by the caller next: let the collector
    // have the buffer meanwhile.
    if (this.#pending.length > 1 << 20) {
      giveBuffer(this.#pending);
      this.#pending = EMPTY;
    }
  }

  /** Adds to the head window until it is full (a declined line may start short). */
  #fillHead(part: Uint8Array): void {
    const room = this.#head.length - this.#headLength;
    if (room <= 0) return;
    const n = Math.min(room, part.length);
    this.#head.set(part.subarray(0, n), this.#headLength);
    this.#headLength += n;
  }

  /** Keeps the last `tailBytes` bytes seen, as a ring. */
  #pushRing(part: Uint8Array): void {
    const size = this.#ring.length;
    if (size === 0) return;
    if (part.length >= size) {
      this.#ring.set(part.subarray(part.length - size));
      this.#ringEnd = 0;
      return;
    }
    const first = Math.min(part.length, size - this.#ringEnd);
    this.#ring.set(part.subarray(0, first), this.#ringEnd);
    this.#ring.set(part.subarray(first), 0);
    this.#ringEnd = (this.#ringEnd + part.length) % size;
  }

  #finishPending(terminated: boolean): Line {
    this.#decided = false;
    if (!this.#long) {
      const bytes = this.#pending.subarray(0, this.#pendingLength);
      this.#pendingLength = 0;
      return this.#finish(bytes, terminated);
    }
    const size = this.#ring.length;
    let raw: Uint8Array;
    if (this.#longLength < size) {
      // Never wrapped: the bytes sit at the start of the ring.
      raw = this.#ring.subarray(0, this.#longLength);
    } else {
      raw = new Uint8Array(size);
      raw.set(this.#ring.subarray(this.#ringEnd));
      raw.set(this.#ring.subarray(0, this.#ringEnd), size - this.#ringEnd);
    }
    const end = trimCR(raw);
    const length = this.#longLength - (raw.length - end.length);
    this.#long = false;
    this.#lineNumber += 1;
    const line: Line = {
      number: this.#lineNumber,
      offset: this.#lineOffset,
      length,
      bytes: this.#head.subarray(0, Math.min(this.#headLength, length)),
      tail: end.slice(Math.max(0, end.length - this.#tailBytes)),
      truncated: true,
      terminated,
      end: this.#lineOffset + this.#longLength + (terminated ? 1 : 0),
    };
    // A final "\r" was checked too: whitespace to JSON, so the same verdict.
    if (this.#check) line.jsonValid = this.#check.end();
    return line;
  }

  #finish(bytes: Uint8Array, terminated: boolean): Line {
    this.#lineNumber += 1;
    return makeLine(
      this.#lineNumber,
      this.#lineOffset,
      trimCR(bytes),
      terminated,
      this.#max,
      this.#headBytes,
      this.#tailBytes,
      this.#lineOffset + bytes.length + (terminated ? 1 : 0),
      this.#check?.end(),
    );
  }
}

/** A line from its bytes in memory, cut to head and tail if over the cap. */
function makeLine(
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

function trimCR(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  return n > 0 && bytes[n - 1] === CR ? bytes.subarray(0, n - 1) : bytes;
}

/**
 * Reads a file forward in chunks into one reused buffer and yields its lines.
 * Memory: one chunk, plus at most `maxLineBytes` for a line spanning chunks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readLines } from "./lines.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * await writeFile(path, '{"a":1}\n{"b":2}\n');
 * const offsets: number[] = [];
 * for await (const line of readLines(path)) offsets.push(line.offset);
 * assert.deepEqual(offsets, [0, 8]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function* readLines(
  path: string,
  options: LineReaderOptions = {},
): AsyncGenerator<Line> {
  const splitter = new LineSplitter(options);
  const maxLines = isCompressed(path) ? options.gzipMaxLines ?? GZIP_MAX_LINES : Infinity;
  // for…of, not yield*: an async generator's yield* over a sync one costs
  // twice as much per line (measured with Bun and Deno).
  try {
    for await (const chunk of readChunks(path, options)) {
      for (const line of splitter.push(chunk)) yield line;
      if (splitter.lines > maxLines) {
        throw new RuntimeError(
          `Cannot read "${path}": it expands to more than ${
            count(maxLines)
          } lines; reading stopped there`,
        );
      }
    }
    for (const line of splitter.end()) yield line;
  } finally {
    splitter.release();
  }
}

/** 100000000 → "100 million", for messages. */
function count(n: number): string {
  return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6} million` : String(n);
}

/**
 * What a `.gz` session may expand to before reading stops with an error.
 * gzip packs up to ~1000:1, so a 4 MB file can hold 10⁹ newlines: without a
 * bound every verb would grind through them. zot's largest sessions are a
 * few hundred MB and well under a million lines; the bounds are far above.
 */
export const GZIP_MAX_BYTES = 16 * 2 ** 30;
/** See {@linkcode GZIP_MAX_BYTES}: lines, empty ones included. */
export const GZIP_MAX_LINES = 100_000_000;

/**
 * Reads a file in chunks into one reused buffer: each chunk is valid until the
 * next one is requested.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readChunks } from "./lines.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * await writeFile(path, '{"a":1}\n{"b":2}\n');
 * let total = 0;
 * for await (const chunk of readChunks(path)) total += chunk.length;
 * assert.equal(total, 16);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function* readChunks(
  path: string,
  options: LineReaderOptions = {},
): AsyncGenerator<Uint8Array> {
  if (isCompressed(path)) {
    yield* readGzipChunks(path, options);
    return;
  }
  const { handle: file, size: fileSize } = await openRegularFile(path);
  try {
    // Small files get a small buffer: zeroing 1 MiB for each of thousands of
    // 10 KB sessions would cost more than reading them.
    const size = Math.min(
      options.chunkSize ?? LINE_DEFAULTS.chunkSize,
      Math.max(64 << 10, fileSize + 1),
    );
    const buffer = takeBuffer(size);
    try {
      let position = options.start ?? 0;
      while (true) {
        const { bytesRead } = await file.read(buffer, 0, size, position);
        if (bytesRead === 0) break;
        if (options.stats) options.stats.bytesRead += bytesRead;
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      // The caller asked for the next chunk or stopped: no view of this
      // buffer is in use any more.
      giveBuffer(buffer);
    }
  } finally {
    await file.close();
  }
}

/**
 * Chunk buffers of finished reads, reused: a run reads hundreds of files
 * four at a time, and a fresh 1 MiB buffer per file left hundreds of MiB of
 * garbage for the collector, which the resident set showed.
 */
const FREE_BUFFERS: Uint8Array[] = [];
const FREE_BUFFERS_KEPT = 8;

/**
 * A buffer of at least `size` bytes: the smallest freed one that is big
 * enough (no zeroing, and its pages are there already: in a virtual machine
 * the first touch of a fresh page is what a new buffer costs most), else a
 * new one.
 */
function takeBuffer(size: number): Uint8Array {
  let best = -1;
  for (let i = 0; i < FREE_BUFFERS.length; i++) {
    const n = FREE_BUFFERS[i].length;
    if (n >= size && (best === -1 || n < FREE_BUFFERS[best].length)) best = i;
  }
  return best === -1 ? new Uint8Array(size) : FREE_BUFFERS.splice(best, 1)[0];
}

function giveBuffer(buffer: Uint8Array): void {
  // A buffer bigger than a chunk (a long line's) is let go: kept, it stayed
  // resident while show built a 50 MB line's text (peak 111-115 MiB instead
  // of 84-88).
  if (buffer.length > LINE_DEFAULTS.chunkSize + 1) return;
  if (FREE_BUFFERS.length < FREE_BUFFERS_KEPT) FREE_BUFFERS.push(buffer);
  else {
    // Keep the biggest: they serve every size.
    const smallest = FREE_BUFFERS.reduce(
      (m, b, i) => (b.length < FREE_BUFFERS[m].length ? i : m),
      0,
    );
    if (FREE_BUFFERS[smallest].length < buffer.length) FREE_BUFFERS[smallest] = buffer;
  }
}

/**
 * Whether a path is a gzip-compressed session (`gc --archive --compress`
 * writes `.jsonl.gz`): read through a decompressor, forward only.
 */
export function isCompressed(path: string): boolean {
  return path.endsWith(".gz");
}

/**
 * The decompressed bytes of a `.gz` file, from `options.start` (an offset in
 * the decompressed bytes: reaching it means decompressing what is before).
 * Uses the web `DecompressionStream`, as gc writes with `CompressionStream`.
 */
async function* readGzipChunks(
  path: string,
  options: LineReaderOptions,
): AsyncGenerator<Uint8Array> {
  const { handle: file } = await openRegularFile(path);
  const gunzip = new DecompressionStream("gzip");
  const writer = gunzip.writable.getWriter();
  const reader = gunzip.readable.getReader();
  const pump = (async () => {
    const buffer = new Uint8Array(64 << 10);
    let position = 0;
    while (true) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      if (options.stats) options.stats.bytesRead += bytesRead;
      await writer.write(buffer.slice(0, bytesRead));
    }
    await writer.close();
  })();
  pump.catch(() => {}); // its failure surfaces through the reader below
  try {
    let skip = options.start ?? 0;
    let expanded = 0;
    const maxBytes = options.gzipMaxBytes ?? GZIP_MAX_BYTES;
    while (true) {
      // The runtimes word a bad gzip stream differently: say it one way.
      const { value, done } = await reader.read().catch(() => {
        throw new PathError("read", path, "not a valid gzip file (damaged or cut short)");
      });
      if (done) break;
      expanded += value.length;
      if (expanded > maxBytes) {
        throw new RuntimeError(
          `Cannot read "${path}": it expands to more than ${
            maxBytes % 2 ** 30 === 0 ? `${maxBytes / 2 ** 30} GiB` : `${maxBytes} bytes`
          }; reading stopped there`,
        );
      }
      if (skip >= value.length) {
        skip -= value.length;
        continue;
      }
      yield skip > 0 ? value.subarray(skip) : value;
      skip = 0;
    }
    await pump;
  } finally {
    // Stopped early (a bound, an error, a caller that has enough): end the
    // stream, so that the pump's pending write fails instead of waiting.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
    await file.close();
  }
}

/**
 * Walks a file's lines from the last to the first, reading only as far back as
 * the caller consumes: the last usage row of a 1 GB transcript costs one or
 * two chunk reads. Lines are yielded with the same shape and cap as
 * {@linkcode readLines}; `number` counts from the end (-1 is the last line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readLinesBackward } from "./lines.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * await writeFile(path, '{"a":1}\n{"b":2}\n');
 * const numbers: number[] = [];
 * for await (const line of readLinesBackward(path)) numbers.push(line.number);
 * assert.deepEqual(numbers, [-1, -2]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function* readLinesBackward(
  path: string,
  options: LineReaderOptions = {},
): AsyncGenerator<Line> {
  if (isCompressed(path)) {
    throw new RuntimeError(
      `Cannot read "${path}" backwards: it is compressed; show reads it whole`,
    );
  }
  const chunkSize = options.chunkSize ?? LINE_DEFAULTS.chunkSize;
  const max = options.maxLineBytes ?? LINE_DEFAULTS.maxLineBytes;
  const headBytes = Math.min(options.headBytes ?? LINE_DEFAULTS.headBytes, max);
  const tailBytes = options.tailBytes ?? LINE_DEFAULTS.tailBytes;
  const { handle: file, size } = await openRegularFile(path);
  try {
    const buffer = new Uint8Array(chunkSize);
    let scratch = new Uint8Array(0);
    const oneByte = new Uint8Array(1);
    const read = async (into: Uint8Array, position: number, length: number) => {
      let done = 0;
      while (done < length) {
        const { bytesRead } = await file.read(
          into,
          done,
          length - done,
          position + done,
        );
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      if (options.stats) options.stats.bytesRead += done;
      return into.subarray(0, done);
    };

    let lineEnd = size; // exclusive end of the line being looked for
    let terminated = true;
    let number = 0;
    // A final "\n" closes the last line; it does not start an empty one.
    if (size > 0) {
      const last = await read(buffer, size - 1, 1);
      if (last[0] === LF) lineEnd = size - 1;
      else terminated = false;
    } else return;

    let chunkStart = lineEnd;
    let chunk: Uint8Array = buffer.subarray(0, 0);
    while (true) {
      // Find the "\n" before lineEnd, loading earlier chunks as needed.
      let nl = -1;
      let searchFrom = lineEnd - 1;
      while (true) {
        if (searchFrom < chunkStart) {
          if (chunkStart === 0) break;
          const start = Math.max(0, chunkStart - chunkSize);
          chunk = await read(buffer, start, chunkStart - start);
          chunkStart = start;
        }
        const found = chunk.lastIndexOf(LF, searchFrom - chunkStart);
        if (found !== -1) {
          nl = chunkStart + found;
          break;
        }
        searchFrom = chunkStart - 1;
        if (chunkStart === 0) break;
      }
      const lineStart = nl + 1;
      const rawLength = lineEnd - lineStart;
      let line: Line;
      number -= 1;
      if (lineStart >= chunkStart && lineEnd <= chunkStart + chunk.length) {
        const bytes = trimCR(chunk.subarray(lineStart - chunkStart, lineEnd - chunkStart));
        line = makeLine(number, lineStart, bytes, terminated, max, headBytes, tailBytes);
      } else {
        const cr = rawLength > 0 && (await read(oneByte, lineEnd - 1, 1))[0] === CR;
        const length = rawLength - (cr ? 1 : 0);
        if (length <= max) {
          if (scratch.length < length) scratch = new Uint8Array(length);
          const bytes = await read(scratch, lineStart, length);
          line = { number, offset: lineStart, length, bytes, truncated: false, terminated };
        } else {
          const tailLength = Math.min(tailBytes, length);
          line = {
            number,
            offset: lineStart,
            length,
            bytes: await read(new Uint8Array(headBytes), lineStart, headBytes),
            tail: await read(
              new Uint8Array(tailLength),
              lineStart + length - tailLength,
              tailLength,
            ),
            truncated: true,
            terminated,
          };
        }
      }
      yield line;
      terminated = true;
      if (nl === -1) return;
      lineEnd = nl;
    }
  } finally {
    await file.close();
  }
}

/**
 * Reads `length` bytes at `offset`: one line found earlier by its offset,
 * when a caller turns out to need it whole after all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readRange } from "./lines.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * await writeFile(path, '{"a":1}\n{"b":2}\n');
 * const bytes = await readRange(path, 8, 7);
 * assert.equal(new TextDecoder().decode(bytes), '{"b":2}');
 * await rm(dir, { recursive: true });
 * ```
 */
export async function readRange(
  path: string,
  offset: number,
  length: number,
  stats?: ByteCounter,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  if (isCompressed(path)) {
    const options = { start: offset, chunkSize: Math.max(length, 1), stats };
    for await (const chunk of readChunks(path, options)) {
      const n = Math.min(chunk.length, length - done);
      out.set(chunk.subarray(0, n), done);
      done += n;
      if (done === length) break;
    }
    return out.subarray(0, done);
  }
  // Straight into the buffer: no chunk buffer of the line's size, no copy.
  const { handle } = await openRegularFile(path);
  try {
    while (done < length) {
      const { bytesRead } = await handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  if (stats) stats.bytesRead += done;
  return out.subarray(0, done);
}
