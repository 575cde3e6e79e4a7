/**
 * Tests of the line readers (lib/format/line_splitter.ts, lines.ts,
 * lines_backward.ts): the pure `LineSplitter`, the forward `readLines`,
 * `readChunks`, and `readLinesBackward`, against a plain reference split.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { RuntimeError } from "../../lib/base/errors.ts";
import { cannotBeJson } from "../../lib/format/record_peek.ts";
import {
  DECIDE_BYTES,
  type Line,
  LINE_DEFAULTS,
  type LineReaderOptions,
} from "../../lib/format/line_shape.ts";
import { LineSplitter } from "../../lib/format/line_splitter.ts";
import { readChunks, readLines } from "../../lib/format/lines.ts";
import { readLinesBackward } from "../../lib/format/lines_backward.ts";

const LF = 0x0a;
const CR = 0x0d;
const encoder = new TextEncoder();

// ---------------------------------------------------------------------------
// Snapshots and the reference model
// ---------------------------------------------------------------------------

/**
 * A line as plain data. Byte arrays are rendered as latin1 strings (one char
 * per byte, so lossless for any bytes including invalid UTF-8): it copies them
 * out of the reader's reused buffer and makes assertion diffs readable.
 */
interface Snap {
  number: number;
  offset: number;
  length: number;
  bytes: string;
  tail?: string;
  truncated: boolean;
  terminated: boolean;
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function bytesOf(latin1Text: string): Uint8Array {
  const out = new Uint8Array(latin1Text.length);
  for (let i = 0; i < latin1Text.length; i++) {
    out[i] = latin1Text.charCodeAt(i);
  }
  return out;
}

function snap(line: Line): Snap {
  assert.ok(line.bytes instanceof Uint8Array, "bytes is a Uint8Array");
  const s: Snap = {
    number: line.number,
    offset: line.offset,
    length: line.length,
    bytes: latin1(line.bytes),
    truncated: line.truncated,
    terminated: line.terminated,
  };
  if (line.tail !== undefined) s.tail = latin1(line.tail);
  return s;
}

/** The caps of `LineReaderOptions`, all set. */
interface Caps {
  maxLineBytes: number;
  headBytes: number;
  tailBytes: number;
}

/**
 * The reference: split on "\n", drop the final piece if it is empty (the input
 * ends with "\n", or is empty), strip one trailing "\r" from each line. With
 * caps, a line whose length (without "\r") exceeds `maxLineBytes` is truncated:
 * `bytes` = its first `headBytes` bytes (the reader clamps `headBytes` to
 * `maxLineBytes`), `tail` = its last `tailBytes` bytes, `length` = true length.
 * `base` is added to offsets (for the `start` option).
 */
function referenceLines(data: Uint8Array, caps?: Caps, base = 0): Snap[] {
  const pieces: Array<[number, number]> = [];
  let from = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === LF) {
      pieces.push([from, i]);
      from = i + 1;
    }
  }
  pieces.push([from, data.length]);
  if (from === data.length) pieces.pop();

  return pieces.map(([start, end], i) => {
    let content = data.subarray(start, end);
    if (content.length > 0 && content[content.length - 1] === CR) {
      content = content.subarray(0, content.length - 1);
    }
    const truncated = caps !== undefined && content.length > caps.maxLineBytes;
    const s: Snap = {
      number: i + 1,
      offset: base + start,
      length: content.length,
      bytes: latin1(content),
      truncated,
      terminated: end < data.length,
    };
    if (truncated) {
      const head = Math.min(caps.headBytes, caps.maxLineBytes);
      const tail = Math.min(caps.tailBytes, content.length);
      s.bytes = latin1(content.subarray(0, head));
      s.tail = latin1(content.subarray(content.length - tail));
    }
    return s;
  });
}

/** What `readLinesBackward` should yield given what `readLines` yields. */
function reversed(forward: Snap[]): Snap[] {
  return forward.map((s, i) => ({ ...s, number: i - forward.length }))
    .reverse();
}

// ---------------------------------------------------------------------------
// Drivers
// ---------------------------------------------------------------------------

/**
 * Feeds `data` to a `LineSplitter` cut at the given points (taken modulo
 * length + 1, so empty pieces happen). Each piece is copied into one reused
 * buffer that is scribbled over after its lines are taken, as `readChunks`
 * would reuse it: the splitter must not keep views of an old chunk.
 */
function splitAt(
  data: Uint8Array,
  cuts: number[],
  options?: LineReaderOptions,
): Snap[] {
  const points = cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...points, data.length];
  const reused = new Uint8Array(data.length);
  const splitter = new LineSplitter(options);
  const out: Snap[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const piece = reused.subarray(0, bounds[i + 1] - bounds[i]);
    piece.set(data.subarray(bounds[i], bounds[i + 1]));
    for (const line of splitter.push(piece)) out.push(snap(line));
    reused.fill(0xee);
  }
  for (const line of splitter.end()) out.push(snap(line));
  return out;
}

async function collect(lines: AsyncIterable<Line>): Promise<Snap[]> {
  const out: Snap[] = [];
  for await (const line of lines) out.push(snap(line));
  return out;
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "zot-lines-test-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------

const utf8 = (s: string) => encoder.encode(s);

/** Pieces that make line splitting interesting. */
const specialPiece = fc.constantFrom(
  utf8("\n"),
  utf8("\r\n"),
  utf8("\r"),
  utf8("\n\n"),
  utf8("\r\r\n"),
  utf8("\n\r"),
  utf8("a"),
  utf8("{}"),
  utf8("é€😀"), // multi-byte UTF-8
  new Uint8Array([0xff]), // never valid in UTF-8
  new Uint8Array([0xc3]), // a lead byte without its continuation
  new Uint8Array([0xe2, 0x82]), // a truncated 3-byte sequence
  new Uint8Array([0x80, 0xbf]), // stray continuation bytes
  new Uint8Array([0x00]),
);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Arbitrary bytes, rich in \n, \r\n, lone \r, empty lines, invalid UTF-8. */
const content = fc
  .array(
    fc.oneof(
      { arbitrary: specialPiece, weight: 4 },
      { arbitrary: fc.uint8Array({ maxLength: 8 }), weight: 1 },
      { arbitrary: fc.string({ maxLength: 6 }).map(utf8), weight: 1 },
    ),
    { maxLength: 40 },
  )
  .map(concat);

/** Like `content`, plus runs of up to 150 bytes: lines past small caps. */
const contentWithLongLines = fc
  .array(
    fc.oneof(
      { arbitrary: specialPiece, weight: 3 },
      {
        arbitrary: fc.uint8Array({ min: 0x20, max: 0x7e, maxLength: 150 }),
        weight: 2,
      },
      { arbitrary: fc.uint8Array({ maxLength: 40 }), weight: 1 },
    ),
    { maxLength: 12 },
  )
  .map(concat);

/**
 * A few lines of up to 20000 bytes (past the splitter's 4 KiB initial buffer,
 * so it has to grow) with any ending; bytes vary with the position so a
 * misplaced head or tail shows.
 */
const contentWithHugeLines = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 20000 }),
      fc.constantFrom("\n", "\r\n", "\r", ""),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((lines) =>
    concat(
      lines.flatMap(([n, end], k) => [
        Uint8Array.from({ length: n }, (_, i) => 0x20 + ((i * 7 + k) % 90)),
        utf8(end),
      ]),
    )
  );

/** Caps in the thousands of bytes. */
const bigCaps: fc.Arbitrary<Caps> = fc
  .integer({ min: 3000, max: 15000 })
  .chain((maxLineBytes) =>
    fc.record({
      maxLineBytes: fc.constant(maxLineBytes),
      headBytes: fc.integer({ min: 0, max: maxLineBytes }),
      tailBytes: fc.integer({ min: 0, max: 6000 }),
    })
  );

/** Cut points for `splitAt`. */
const cuts = fc.array(fc.nat(), { maxLength: 30 });

/** Chunk sizes from 1 up, mostly small so lines straddle chunks. */
const chunkSize = fc.oneof(
  fc.integer({ min: 1, max: 8 }),
  fc.integer({ min: 1, max: 64 }),
  fc.integer({ min: 1, max: 4096 }),
);

/** Small caps: maxLineBytes 1..64, headBytes 0..maxLineBytes, tailBytes 0..80. */
const caps: fc.Arbitrary<Caps> = fc
  .integer({ min: 1, max: 64 })
  .chain((maxLineBytes) =>
    fc.record({
      maxLineBytes: fc.constant(maxLineBytes),
      headBytes: fc.integer({ min: 0, max: maxLineBytes }),
      tailBytes: fc.integer({ min: 0, max: 80 }),
    })
  );

const RUNS = { numRuns: 300 };
const FILE_RUNS = { numRuns: 150 };

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

/** Line shorthand for the tables: [bytes, offset, terminated]. */
type Row = [string, number, boolean];

function rows(expected: Row[]): Snap[] {
  return expected.map(([bytes, offset, terminated], i) => ({
    number: i + 1,
    offset,
    length: bytes.length,
    bytes,
    truncated: false,
    terminated,
  }));
}

const splitCases: Array<{ name: string; input: string; lines: Row[] }> = [
  { name: "empty input", input: "", lines: [] },
  { name: "one terminated line", input: "a\n", lines: [["a", 0, true]] },
  {
    name: "missing final newline",
    input: "ab\ncd",
    lines: [["ab", 0, true], ["cd", 3, false]],
  },
  { name: "a lone newline", input: "\n", lines: [["", 0, true]] },
  {
    name: "empty lines",
    input: "\n\na\n\n",
    lines: [["", 0, true], ["", 1, true], ["a", 2, true], ["", 4, true]],
  },
  {
    name: "CRLF endings",
    input: "ab\r\ncd\r\n",
    lines: [["ab", 0, true], ["cd", 4, true]],
  },
  {
    name: "only one trailing \\r stripped",
    input: "a\r\r\n",
    lines: [["a\r", 0, true]],
  },
  {
    name: "lone \\r inside a line kept",
    input: "a\rb\n\rc\n",
    lines: [["a\rb", 0, true], ["\rc", 4, true]],
  },
  {
    name: "unterminated line ending in \\r",
    input: "a\nb\r",
    lines: [["a", 0, true], ["b", 2, false]],
  },
  { name: "a lone \\r", input: "\r", lines: [["", 0, false]] },
  {
    name: "invalid UTF-8 bytes",
    input: "\xff\xc3\n\x80",
    lines: [["\xff\xc3", 0, true], ["\x80", 3, false]],
  },
];

describe("LineSplitter", () => {
  for (const { name, input, lines } of splitCases) {
    it(`LineSplitter splits ${name}`, () => {
      const data = bytesOf(input);
      const expected = rows(lines);
      assert.deepEqual(splitAt(data, []), expected, "one chunk");
      const everyByte = Array.from({ length: data.length }, (_, i) => i);
      assert.deepEqual(splitAt(data, everyByte), expected, "1-byte chunks");
    });
  }

  it("LineSplitter.push() keeps a line split across chunks", () => {
    const splitter = new LineSplitter();
    const out: Snap[] = [];
    for (const part of ["ab", "c\r", "\nd", "ef"]) {
      for (const line of splitter.push(utf8(part))) out.push(snap(line));
    }
    assert.deepEqual(out, rows([["abc", 0, true]]));
    for (const line of splitter.end()) out.push(snap(line));
    assert.deepEqual(out, rows([["abc", 0, true], ["def", 5, false]]));
  });

  it("LineSplitter.push() accepts empty chunks", () => {
    const splitter = new LineSplitter();
    assert.deepEqual([...splitter.push(new Uint8Array(0))], []);
    assert.deepEqual([...splitter.end()], []);
  });

  it("LineSplitter offsets count from the start option", () => {
    assert.deepEqual(
      splitAt(utf8("a\nbc\n"), [3], { start: 100 }),
      rows([["a", 100, true], ["bc", 102, true]]),
    );
  });

  it("LineSplitter matches the reference split for any bytes and cut points", () => {
    fc.assert(
      fc.property(content, cuts, (data, cutPoints) => {
        assert.deepEqual(splitAt(data, cutPoints), referenceLines(data));
      }),
      RUNS,
    );
  });

  it("LineSplitter keeps only head and tail of a line spanning chunks that keepWhole declines", () => {
    // Declines lines whose first byte is odd: any rule on the head will do.
    const keepWhole = (head: Uint8Array) => head[0] % 2 === 0;
    // Caps above DECIDE_BYTES, so that lines long enough to be asked about
    // are not all cut by the cap first.
    const roomyCaps: fc.Arbitrary<Caps> = fc.record({
      maxLineBytes: fc.integer({ min: DECIDE_BYTES, max: 400 }),
      headBytes: fc.integer({ min: 0, max: 120 }),
      tailBytes: fc.integer({ min: 0, max: 120 }),
    });
    // Lines around DECIDE_BYTES long ("size: max": fast-check's default size
    // would keep them short), with either ending, the last maybe without one.
    const linesAroundDecide = fc.array(
      fc.tuple(
        fc.uint8Array({ min: 0x20, max: 0x7e, maxLength: 300, size: "max" }),
        fc.constantFrom("\n", "\r\n", ""),
      ),
      { maxLength: 8 },
    ).map((ls) => concat(ls.map(([l, end]) => concat([l, utf8(end)]))));
    let declined = 0;
    fc.assert(
      fc.property(linesAroundDecide, cuts, roomyCaps, (data, cutPoints, c) => {
        const points = cutPoints.map((p) => p % (data.length + 1));
        const expected = referenceLines(data, c).map((line) => {
          const start = line.offset;
          const rawEnd = line.terminated ? data.indexOf(LF, start) : data.length;
          // Through the pending buffer: a chunk bound inside the line (or
          // before its "\n"), or a last line with no "\n" at all.
          const spans = !line.terminated || points.some((p) => p > start && p <= rawEnd);
          const asked = spans && rawEnd - start >= DECIDE_BYTES && !line.truncated;
          if (!asked || keepWhole(data.subarray(start, start + DECIDE_BYTES))) return line;
          declined++;
          const whole = data.subarray(start, start + line.length);
          const head = Math.min(c.headBytes, c.maxLineBytes, line.length);
          return {
            ...line,
            bytes: latin1(whole.subarray(0, head)),
            tail: latin1(whole.subarray(line.length - Math.min(c.tailBytes, line.length))),
            truncated: true,
          };
        });
        assert.deepEqual(splitAt(data, cutPoints, { ...c, keepWhole }), expected);
      }),
      RUNS,
    );
    assert.ok(declined > 20, `only ${declined} lines were declined: the property tests little`);
  });

  it("LineSplitter keeps only head and tail of a line spanning chunks longer than holdBytes", () => {
    const holdCaps = fc.record({
      maxLineBytes: fc.integer({ min: 100, max: 400 }),
      holdBytes: fc.integer({ min: 0, max: 120 }),
      headBytes: fc.integer({ min: 0, max: 120 }),
      tailBytes: fc.integer({ min: 0, max: 120 }),
    });
    const lines = fc.array(
      fc.tuple(
        fc.uint8Array({ min: 0x20, max: 0x7e, maxLength: 300, size: "max" }),
        fc.constantFrom("\n", "\r\n", ""),
      ),
      { maxLength: 8 },
    ).map((ls) => concat(ls.map(([l, end]) => concat([l, utf8(end)]))));
    let held = 0;
    fc.assert(
      fc.property(lines, cuts, holdCaps, (data, cutPoints, c) => {
        const points = cutPoints.map((p) => p % (data.length + 1));
        const expected = referenceLines(data, c).map((line) => {
          const start = line.offset;
          const rawEnd = line.terminated ? data.indexOf(LF, start) : data.length;
          const spans = !line.terminated || points.some((p) => p > start && p <= rawEnd);
          // Put together past holdBytes (and the one byte a "\r" may take).
          if (!spans || line.truncated || rawEnd - start <= c.holdBytes + 1) return line;
          held++;
          const whole = data.subarray(start, start + line.length);
          const head = Math.min(c.headBytes, c.maxLineBytes, line.length);
          return {
            ...line,
            bytes: latin1(whole.subarray(0, head)),
            tail: latin1(whole.subarray(line.length - Math.min(c.tailBytes, line.length))),
            truncated: true,
          };
        });
        assert.deepEqual(splitAt(data, cutPoints, c), expected);
      }),
      RUNS,
    );
    assert.ok(held > 20, `only ${held} lines were held back: the property tests little`);
  });

  it("LineSplitter truncates lines past maxLineBytes to head and tail for any cut points", () => {
    fc.assert(
      fc.property(contentWithLongLines, cuts, caps, (data, cutPoints, c) => {
        assert.deepEqual(splitAt(data, cutPoints, c), referenceLines(data, c));
      }),
      RUNS,
    );
  });
});

describe("LineSplitter with checkJson", () => {
  /**
   * Lines of JSON (some long: a line's end is looked for differently past
   * 128 bytes), and junk, some with a byte changed, joined by "\n"
   * (sometimes "\r\n").
   */
  const jsonLines = fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.string({ minLength: 100, maxLength: 300 }).map((t) => JSON.stringify({ text: t })),
          fc.string({ maxLength: 300 }),
          fc.string({ minLength: 120, maxLength: 300 }),
        ),
        fc.option(fc.tuple(fc.nat(), fc.nat(255)), { freq: 2 }),
        fc.boolean(),
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((lines) =>
      encoder.encode(
        lines.map(([text, damage, crlf]) => {
          let t = text;
          if (damage) {
            const [at, byte] = damage;
            const k = at % t.length;
            t = t.slice(0, k) + String.fromCharCode(byte % 0x80) + t.slice(k + 1);
          }
          return t.replaceAll("\n", " ") + (crlf ? "\r\n" : "\n");
        }).join(""),
      )
    );

  for (const jsonKernel of ["wasm", "js"] as const) {
    it(`LineSplitter tells whether each line, whole or kept as head and tail, is JSON, middle included, for any cut points (${jsonKernel} check)`, () => {
      fc.assert(
        fc.property(
          jsonLines,
          cuts,
          fc.oneof(fc.integer({ min: 8, max: 64 }), fc.constant(1024)),
          fc.boolean(),
          fc.boolean(),
          (data, cutPoints, maxLineBytes, decline, bulk) => {
            const points = cutPoints.map((c) => c % (data.length + 1)).sort((a, b) => a - b);
            const bounds = [0, ...points, data.length];
            const splitter = new LineSplitter({
              maxLineBytes,
              headBytes: 4,
              tailBytes: 4,
              checkJson: true,
              jsonKernel,
              keepWhole: () => !decline,
              // Runs of lines that cannot be JSON come as one, unchecked.
              bulk: bulk ? cannotBeJson : undefined,
            });
            const lines: Line[] = [];
            for (let i = 0; i + 1 < bounds.length; i++) {
              for (const line of splitter.push(data.slice(bounds[i], bounds[i + 1]))) {
                lines.push({ ...line });
              }
            }
            for (const line of splitter.end()) lines.push({ ...line });
            for (const line of lines) {
              if (line.run !== undefined) {
                // (the number of lines a run stands for is checked elsewhere)
                assert.equal(line.jsonValid, undefined);
                continue;
              }
              const text = new TextDecoder().decode(
                data.subarray(line.offset, line.offset + line.length),
              );
              let valid = true;
              try {
                JSON.parse(text);
              } catch {
                valid = false;
              }
              assert.equal(line.jsonValid, valid, JSON.stringify(text));
            }
          },
        ),
        RUNS,
      );
    });
  }

  it("LineSplitter without checkJson leaves jsonValid unset", () => {
    const splitter = new LineSplitter({ maxLineBytes: 4, headBytes: 2, tailBytes: 2 });
    const lines = [...splitter.push(encoder.encode('{"a":123}\n'))];
    assert.equal(lines[0].truncated, true);
    assert.equal(lines[0].jsonValid, undefined);
  });
});

// ---------------------------------------------------------------------------
// Truncation examples, including the cases that pin down bugs in the line readers
// ---------------------------------------------------------------------------

const truncationCases: Array<{
  name: string;
  input: string;
  caps: Caps;
  expected: Omit<Snap, "number" | "offset" | "terminated">;
}> = [
  {
    name: "a line longer than maxLineBytes is cut to head and tail",
    input: "abcdefgh\n",
    caps: { maxLineBytes: 4, headBytes: 2, tailBytes: 3 },
    expected: {
      length: 8,
      bytes: "ab",
      tail: "fgh",
      truncated: true,
    },
  },
  {
    name: "a line of exactly maxLineBytes is whole",
    input: "abcd\n",
    caps: { maxLineBytes: 4, headBytes: 2, tailBytes: 3 },
    expected: { length: 4, bytes: "abcd", truncated: false },
  },
  {
    name: "a CRLF line of exactly maxLineBytes is whole",
    input: "abcd\r\n",
    caps: { maxLineBytes: 4, headBytes: 2, tailBytes: 3 },
    expected: { length: 4, bytes: "abcd", truncated: false },
  },
  {
    name: "a truncated CRLF line has a tail of tailBytes bytes without the \\r",
    input: "abcdefgh\r\n",
    caps: { maxLineBytes: 4, headBytes: 2, tailBytes: 3 },
    expected: {
      length: 8,
      bytes: "ab",
      tail: "fgh",
      truncated: true,
    },
  },
  {
    name: "a truncated CRLF line with tailBytes 0 has its length without the \\r",
    input: "abcdefgh\r\n",
    caps: { maxLineBytes: 4, headBytes: 2, tailBytes: 0 },
    expected: { length: 8, bytes: "ab", tail: "", truncated: true },
  },
  {
    name: "a tail window longer than the line holds the whole line",
    input: "abcdefgh\n",
    caps: { maxLineBytes: 4, headBytes: 4, tailBytes: 20 },
    expected: {
      length: 8,
      bytes: "abcd",
      tail: "abcdefgh",
      truncated: true,
    },
  },
];

/** Chunk sizes below the caps of the tables: no line over the cap fits in one. */
const SMALL_CHUNKS = [1, 3];

describe("line truncation", () => {
  for (const { name, input, caps: c, expected } of truncationCases) {
    const line: Snap = { number: 1, offset: 0, terminated: true, ...expected };
    const data = bytesOf(input);
    it(`LineSplitter: ${name}`, () => {
      for (const size of SMALL_CHUNKS) {
        const points = Array.from(
          { length: Math.ceil(data.length / size) },
          (_, i) => i * size,
        );
        assert.deepEqual(
          splitAt(data, points, c),
          [line],
          `${size}-byte chunks`,
        );
      }
    });
    it(`readLines(): ${name}`, async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, "t.jsonl");
        await writeFile(path, data);
        for (const size of SMALL_CHUNKS) {
          const got = await collect(readLines(path, { ...c, chunkSize: size }));
          assert.deepEqual(got, [line], `chunkSize ${size}`);
        }
      });
    });
    it(`readLinesBackward(): ${name}`, async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, "t.jsonl");
        await writeFile(path, data);
        for (const size of SMALL_CHUNKS) {
          const got = await collect(
            readLinesBackward(path, { ...c, chunkSize: size }),
          );
          assert.deepEqual(got, [{ ...line, number: -1 }], `chunkSize ${size}`);
        }
      });
    });
  }

  // A line longer than maxLineBytes that lies inside one chunk must be
  // truncated all the same: the result may not depend on the chunk size.
  const oneChunkInput = bytesOf("abcdefgh\nxy\n");
  const oneChunkCaps: Caps = { maxLineBytes: 4, headBytes: 2, tailBytes: 3 };
  const oneChunkLines: Snap[] = [
    {
      number: 1,
      offset: 0,
      length: 8,
      bytes: "ab",
      tail: "fgh",
      truncated: true,
      terminated: true,
    },
    {
      number: 2,
      offset: 9,
      length: 2,
      bytes: "xy",
      truncated: false,
      terminated: true,
    },
  ];
  const bigChunks = [64, LINE_DEFAULTS.chunkSize];

  it("LineSplitter.push() truncates a line past maxLineBytes that lies inside one chunk", () => {
    assert.deepEqual(splitAt(oneChunkInput, [], oneChunkCaps), oneChunkLines);
  });

  it("readLines() truncates a line past maxLineBytes that lies inside one chunk", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "t.jsonl");
      await writeFile(path, oneChunkInput);
      for (const size of bigChunks) {
        assert.deepEqual(
          await collect(readLines(path, { ...oneChunkCaps, chunkSize: size })),
          oneChunkLines,
          `chunkSize ${size}`,
        );
      }
    });
  });

  it("readLinesBackward() truncates a line past maxLineBytes that lies inside one chunk", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "t.jsonl");
      await writeFile(path, oneChunkInput);
      for (const size of bigChunks) {
        assert.deepEqual(
          await collect(
            readLinesBackward(path, { ...oneChunkCaps, chunkSize: size }),
          ),
          reversed(oneChunkLines),
          `chunkSize ${size}`,
        );
      }
    });
  });
});

// ---------------------------------------------------------------------------
// readChunks / readLines
// ---------------------------------------------------------------------------

describe("readChunks", () => {
  it("readChunks() yields the file from start in non-empty chunks of at most chunkSize", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "c.bin");
      await fc.assert(
        fc.asyncProperty(
          content,
          chunkSize,
          fc.nat(),
          async (data, size, startSeed) => {
            await writeFile(path, data);
            const start = startSeed % (data.length + 2); // sometimes past EOF
            const stats = { bytesRead: 0 };
            const parts: Uint8Array[] = [];
            for await (
              const chunk of readChunks(path, { chunkSize: size, start, stats })
            ) {
              assert.ok(chunk.length > 0 && chunk.length <= size);
              parts.push(chunk.slice());
            }
            const expected = data.subarray(Math.min(start, data.length));
            assert.deepEqual(latin1(concat(parts)), latin1(expected));
            assert.equal(stats.bytesRead, expected.length);
          },
        ),
        FILE_RUNS,
      );
    });
  });
});

describe("readLines", () => {
  for (const { name, input, lines } of splitCases) {
    it(`readLines() splits ${name} with any chunk size`, async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, "l.jsonl");
        await writeFile(path, bytesOf(input));
        for (const size of [1, 2, 3, 1 << 20]) {
          assert.deepEqual(
            await collect(readLines(path, { chunkSize: size })),
            rows(lines),
            `chunkSize ${size}`,
          );
        }
      });
    });
  }

  it("readLines() keeps a line split across chunks", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "l.jsonl");
      await writeFile(path, "first\r\nsecond line\nthird");
      assert.deepEqual(
        await collect(readLines(path, { chunkSize: 4 })),
        rows([["first", 0, true], ["second line", 7, true], [
          "third",
          19,
          false,
        ]]),
      );
    });
  });

  it("readLines() yields nothing for an empty file", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "empty.jsonl");
      await writeFile(path, "");
      assert.deepEqual(await collect(readLines(path)), []);
    });
  });

  it("readLines() counts every byte read in stats.bytesRead", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "l.jsonl");
      await writeFile(path, "a\nbb\nccc\n");
      const stats = { bytesRead: 5 };
      await collect(readLines(path, { chunkSize: 2, stats }));
      assert.equal(stats.bytesRead, 5 + 9);
    });
  });

  it("readLines() matches the reference split for any bytes and chunk size", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "p.jsonl");
      await fc.assert(
        fc.asyncProperty(content, chunkSize, async (data, size) => {
          await writeFile(path, data);
          assert.deepEqual(
            await collect(readLines(path, { chunkSize: size })),
            referenceLines(data),
          );
        }),
        FILE_RUNS,
      );
    });
  });

  it("readLines() with start reads from that byte, numbers lines from 1 and reports file offsets", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      await fc.assert(
        fc.asyncProperty(
          content,
          chunkSize,
          fc.nat(),
          async (data, size, seed) => {
            await writeFile(path, data);
            const start = seed % (data.length + 1);
            assert.deepEqual(
              await collect(readLines(path, { chunkSize: size, start })),
              referenceLines(data.subarray(start), undefined, start),
            );
          },
        ),
        FILE_RUNS,
      );
    });
  });

  it("readLines() truncates lines past maxLineBytes to head and tail for any chunk size", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "t.jsonl");
      await fc.assert(
        fc.asyncProperty(
          contentWithLongLines,
          chunkSize,
          caps,
          async (data, size, c) => {
            await writeFile(path, data);
            assert.deepEqual(
              await collect(readLines(path, { ...c, chunkSize: size })),
              referenceLines(data, c),
            );
          },
        ),
        FILE_RUNS,
      );
    });
  });
});

describe("lines of thousands of bytes", () => {
  const variants: Array<[string, fc.Arbitrary<Caps | undefined>]> = [
    ["with the default cap", fc.constant(undefined)],
    ["with caps in the thousands", bigCaps],
  ];
  for (const [label, capsArb] of variants) {
    it(`LineSplitter assembles lines of thousands of bytes cut anywhere ${label}`, () => {
      fc.assert(
        fc.property(contentWithHugeLines, cuts, capsArb, (data, cutPoints, c) => {
          assert.deepEqual(splitAt(data, cutPoints, c), referenceLines(data, c));
        }),
        { numRuns: 50 },
      );
    });

    it(`readLines() and readLinesBackward() read lines of thousands of bytes with any chunk size ${label}`, async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, "h.jsonl");
        await fc.assert(
          fc.asyncProperty(
            contentWithHugeLines,
            fc.integer({ min: 64, max: 9000 }),
            capsArb,
            async (data, size, c) => {
              await writeFile(path, data);
              const expected = referenceLines(data, c);
              const options = { ...c, chunkSize: size };
              assert.deepEqual(await collect(readLines(path, options)), expected);
              assert.deepEqual(
                await collect(readLinesBackward(path, options)),
                reversed(expected),
              );
            },
          ),
          { numRuns: 30 },
        );
      });
    });
  }
});

// ---------------------------------------------------------------------------
// readLinesBackward
// ---------------------------------------------------------------------------

describe("readLinesBackward", () => {
  it("readLinesBackward() yields nothing for an empty file", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "empty.jsonl");
      await writeFile(path, "");
      const stats = { bytesRead: 0 };
      assert.deepEqual(await collect(readLinesBackward(path, { stats })), []);
      assert.equal(stats.bytesRead, 0);
    });
  });

  for (const { name, input, lines } of splitCases) {
    it(`readLinesBackward() reverses ${name} with any chunk size`, async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, "b.jsonl");
        await writeFile(path, bytesOf(input));
        for (const size of [1, 2, 3, 1 << 20]) {
          assert.deepEqual(
            await collect(readLinesBackward(path, { chunkSize: size })),
            reversed(rows(lines)),
            `chunkSize ${size}`,
          );
        }
      });
    });
  }

  it("readLinesBackward() yields the reverse of readLines() for any bytes and chunk sizes", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "b.jsonl");
      await fc.assert(
        fc.asyncProperty(
          content,
          chunkSize,
          chunkSize,
          async (data, forwardSize, backwardSize) => {
            await writeFile(path, data);
            const forward = await collect(
              readLines(path, { chunkSize: forwardSize }),
            );
            assert.deepEqual(
              await collect(
                readLinesBackward(path, { chunkSize: backwardSize }),
              ),
              reversed(forward),
            );
          },
        ),
        FILE_RUNS,
      );
    });
  });

  it("readLinesBackward() yields the reverse of readLines() with small caps and any chunk sizes", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "b.jsonl");
      await fc.assert(
        fc.asyncProperty(
          contentWithLongLines,
          chunkSize,
          chunkSize,
          caps,
          async (data, forwardSize, backwardSize, c) => {
            await writeFile(path, data);
            const forward = await collect(
              readLines(path, { ...c, chunkSize: forwardSize }),
            );
            assert.deepEqual(
              await collect(
                readLinesBackward(path, { ...c, chunkSize: backwardSize }),
              ),
              reversed(forward),
            );
          },
        ),
        FILE_RUNS,
      );
    });
  });

  it("readLinesBackward() truncates lines past maxLineBytes to head and tail for any chunk size", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "t.jsonl");
      await fc.assert(
        fc.asyncProperty(
          contentWithLongLines,
          chunkSize,
          caps,
          async (data, size, c) => {
            await writeFile(path, data);
            assert.deepEqual(
              await collect(readLinesBackward(path, { ...c, chunkSize: size })),
              reversed(referenceLines(data, c)),
            );
          },
        ),
        FILE_RUNS,
      );
    });
  });

  it("readLinesBackward() reads only the end of a large file when the consumer stops early", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "big.jsonl");
      // 8 MiB of 128-byte lines: "{"n":0000000,"pad":"xxx…"}\n".
      const lineCount = 65536;
      const file = await open(path, "w");
      try {
        const block = new Uint8Array(128 * 1024);
        for (let first = 0; first < lineCount; first += 1024) {
          for (let i = 0; i < 1024; i++) {
            const text = `{"n":${String(first + i).padStart(7, "0")},"pad":"`;
            const line = block.subarray(i * 128, (i + 1) * 128);
            line.fill(0x78);
            line.set(utf8(text));
            line.set(utf8('"}\n'), 125);
          }
          await file.write(block);
        }
      } finally {
        await file.close();
      }
      const size = lineCount * 128;
      const chunk = 64 * 1024;

      for (
        const [take, options] of [
          [1, { chunkSize: chunk }],
          [3, { chunkSize: chunk }],
          [1, {}], // default 1 MiB chunks
        ] as Array<[number, LineReaderOptions]>
      ) {
        const stats = { bytesRead: 0 };
        const got: Snap[] = [];
        for await (
          const line of readLinesBackward(path, { ...options, stats })
        ) {
          got.push(snap(line));
          if (got.length === take) break;
        }
        assert.equal(got.length, take);
        got.forEach((line, i) => {
          const n = lineCount - 1 - i;
          assert.equal(line.number, -1 - i);
          assert.equal(line.offset, n * 128);
          assert.equal(line.length, 127);
          assert.ok(
            line.bytes.startsWith(`{"n":${String(n).padStart(7, "0")},`),
          );
          assert.ok(line.terminated);
        });
        const chunkSizeUsed = options.chunkSize ?? LINE_DEFAULTS.chunkSize;
        assert.ok(
          stats.bytesRead <= chunkSizeUsed + 1 && stats.bytesRead < size / 4,
          `read ${stats.bytesRead} of ${size} bytes for ${take} line(s)`,
        );
      }
    });
  });
});

// ---------------------------------------------------------------------------
// Runs of empty and bulk lines (the `bulk` option)
// ---------------------------------------------------------------------------

/**
 * Checks `got` (a split with `bulk`) against the reference split: every
 * reference line comes either alone, as without `bulk`, or inside exactly one
 * run that spans only empty lines and lines `bulk` accepts, in file order.
 */
function assertRunsCover(data: Uint8Array, got: Line[], accept: (f: number, l: number) => boolean) {
  const ref = referenceLines(data);
  let i = 0;
  for (const line of got) {
    if (line.run === undefined) {
      assert.deepEqual(snap(line), ref[i], `line ${ref[i]?.number} alone`);
      i++;
      continue;
    }
    const end = line.offset + line.length; // the "\n" of the run's last line
    assert.equal(data[end], LF, "a run ends at a newline");
    assert.equal(ref[i].offset, line.offset, "a run starts at the next line");
    const covered: Snap[] = [];
    while (i < ref.length && ref[i].offset <= end) covered.push(ref[i++]);
    const accepted = covered.filter((r) => r.length > 0);
    for (const r of covered) {
      assert.ok(r.terminated, "a run holds complete lines only");
      if (r.length > 0) {
        const b = bytesOf(r.bytes);
        assert.ok(accept(b[0], b[b.length - 1]), `line ${r.number} is one bulk accepts`);
      }
    }
    assert.equal(line.run, accepted.length);
    assert.deepEqual(line.runNumbers, accepted.slice(0, 8).map((r) => r.number));
    assert.equal(line.number, (accepted[0] ?? covered[0]).number);
    assert.equal(line.bytes.length, 0);
  }
  assert.equal(i, ref.length, "every line is handed out");
}

/** Accepts lines starting with "a" or "{", and those ending where they start. */
const accept = (f: number, l: number) => f === 0x61 || f === 0x7b || f === l;

describe("LineSplitter with bulk", () => {
  it("hands out runs that cover exactly the empty and accepted lines, for any bytes and cut points", () => {
    fc.assert(
      fc.property(content, cuts, (data, cutPoints) => {
        const points = cutPoints.map((c) => c % (data.length + 1)).sort((a, b) => a - b);
        const bounds = [0, ...points, data.length];
        const splitter = new LineSplitter({ bulk: accept });
        const got: Line[] = [];
        // Lines are views into the chunk: snapshot each before the next push.
        const keep = (l: Line) => got.push({ ...l, bytes: l.bytes.slice() });
        for (let k = 0; k + 1 < bounds.length; k++) {
          for (const l of splitter.push(data.slice(bounds[k], bounds[k + 1]))) keep(l);
        }
        for (const l of splitter.end()) keep(l);
        assertRunsCover(data, got, accept);
      }),
      RUNS,
    );
  });

  it("hands out 10,000 empty lines as one run, numbered from the first", () => {
    const data = utf8("{}\n" + "\n".repeat(10_000) + "{}");
    const got = [...new LineSplitter({ bulk: () => false }).push(data)];
    assert.deepEqual(
      got.map((l) => [l.number, l.offset, l.length, l.run]),
      [[1, 0, 2, undefined], [2, 3, 9_999, 0]],
    );
  });

  it("numbers a run by its first accepted line, and lists the first eight", () => {
    const data = utf8("\n\na\n\n" + "a\n".repeat(20) + "{}\n");
    const got = [...new LineSplitter({ bulk: (f) => f === 0x61 }).push(data)];
    assert.equal(got[0].number, 3);
    assert.equal(got[0].run, 21);
    assert.deepEqual(got[0].runNumbers, [3, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("readLines() with bulk covers the file the same way, at any chunk size", async () => {
    await withTempDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(content, chunkSize, async (data, size) => {
          const path = join(dir, "f");
          await writeFile(path, data);
          const got: Line[] = [];
          for await (const l of readLines(path, { chunkSize: size, bulk: accept })) {
            got.push({ ...l, bytes: l.bytes.slice() });
          }
          assertRunsCover(data, got, accept);
        }),
        FILE_RUNS,
      );
    });
  });
});

// ---------------------------------------------------------------------------
// Bounds on what a .gz may expand to
// ---------------------------------------------------------------------------

describe("a .gz past its bounds", () => {
  const gz = (text: string) => new Uint8Array(gzipSync(utf8(text)));

  it("readLines() stops with an error naming the file past gzipMaxLines", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "s.jsonl.gz");
      await writeFile(path, gz("{}\n" + "\n".repeat(200_000)));
      const read = async (gzipMaxLines: number) => {
        let n = 0;
        for await (const _ of readLines(path, { gzipMaxLines, bulk: () => false })) n++;
        return n;
      };
      assert.equal(await read(200_001), 2); // the line and one run
      await assert.rejects(
        read(100_000),
        new RuntimeError(
          `Cannot read "${path}": it expands to more than 100000 lines; reading stopped there`,
        ),
      );
    });
  });

  it("readChunks() stops with an error naming the file past gzipMaxBytes", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "s.jsonl.gz");
      await writeFile(path, gz("x".repeat(1 << 20)));
      const read = async (gzipMaxBytes: number) => {
        let n = 0;
        for await (const c of readChunks(path, { gzipMaxBytes })) n += c.length;
        return n;
      };
      assert.equal(await read(1 << 20), 1 << 20);
      await assert.rejects(
        read(1000),
        new RuntimeError(
          `Cannot read "${path}": it expands to more than 1000 bytes; reading stopped there`,
        ),
      );
    });
  });

  it("a plain file has no such bound", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      await writeFile(path, "\n".repeat(1000));
      let n = 0;
      for await (const _ of readLines(path, { gzipMaxLines: 10 })) n++;
      assert.equal(n, 1000);
    });
  });
});
