/**
 * The forward line splitter: a stream of byte chunks → lines, in memory that
 * does not grow with the length of a line, with runs of lines the caller has
 * no use for one by one handed out as one (`bulk`) and the JSON check done in
 * the pass that finds a line's end (`checkJson`). Pure: no I/O.
 *
 * Why one class of ~370 lines: the in-chunk path, the run collapsing and the
 * long-line head and ring share the splitter's position and buffers, and the
 * in-chunk loop is the hottest code of a run; split apart, each would pass
 * that state around.
 *
 * @module
 */
import { giveBuffer, takeBuffer } from "./chunk_pool.ts";
import type { JsonCheck } from "./json_check.ts";
import { jsonCheck } from "./json_kernel.ts";
import {
  CR,
  DECIDE_BYTES,
  EMPTY,
  LF,
  type Line,
  LINE_DEFAULTS,
  type LineReaderOptions,
  makeLine,
  RUN_NUMBERS_KEPT,
  trimCR,
} from "./line_shape.ts";

/**
 * Splits a stream of byte chunks into lines. Pure: no I/O. Chunks may be views
 * into one reused buffer: a line inside one chunk is yielded as a view of it,
 * a line spanning chunks is assembled in a buffer that doubles as needed (so
 * linear cost) up to the cap, past which only head and tail are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineSplitter } from "./line_splitter.ts";
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
