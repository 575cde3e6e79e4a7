/**
 * Memory of the line readers on a 100 MiB single line: they must keep only a
 * head and a tail of it, never the line.
 *
 * Runs under `deno test -A` and `bun test`. The resident set is the whole
 * process's: `npm test` runs this file on its own, not beside other files in
 * parallel (their memory would count here).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type FileHandle, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Line, LINE_DEFAULTS } from "../../lib/format/line_shape.ts";
import { readLines } from "../../lib/format/lines.ts";
import { readLinesBackward } from "../../lib/format/lines_backward.ts";

const MiB = 1 << 20;
/** Length of the line, without its "\n". */
const LINE_BYTES = 100 * MiB;
const HEAD = '{"type":"message","id":"m1","message":{"role":"user","content":' +
  '[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"';
const TAIL = '"}}]}}';
/**
 * Allowed growth of the resident set while reading. Holding the line would
 * cost at least 100 MiB; the readers should need about one chunk (1 MiB) plus
 * the buffer a line is assembled in before it passes the 8 MiB cap.
 */
const RSS_GROWTH_LIMIT = 40 * MiB;

const encoder = new TextEncoder();

async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}

/** Writes HEAD, 'a'… and TAIL as one line of LINE_BYTES, 1 MiB at a time. */
async function writeHugeLine(path: string): Promise<void> {
  const head = encoder.encode(HEAD);
  const tail = encoder.encode(TAIL + "\n");
  const filler = new Uint8Array(MiB).fill(0x61); // reused for every write
  const file = await open(path, "w");
  try {
    await writeAll(file, head);
    let left = LINE_BYTES - head.length - (tail.length - 1);
    while (left > 0) {
      const n = Math.min(left, filler.length);
      await writeAll(file, filler.subarray(0, n));
      left -= n;
    }
    await writeAll(file, tail);
  } finally {
    await file.close();
  }
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Checks the one line read from the file written by `writeHugeLine`. */
function assertHugeLine(line: Line, number: number): void {
  assert.equal(line.number, number);
  assert.equal(line.offset, 0);
  assert.equal(line.length, LINE_BYTES);
  assert.equal(line.truncated, true);
  assert.equal(line.terminated, true);
  assert.equal(line.bytes.length, LINE_DEFAULTS.headBytes);
  assert.equal(
    text(line.bytes),
    HEAD + "a".repeat(LINE_DEFAULTS.headBytes - HEAD.length),
  );
  assert.ok(line.tail !== undefined, "a truncated line has a tail");
  assert.equal(line.tail.length, LINE_DEFAULTS.tailBytes);
  assert.equal(
    text(line.tail),
    "a".repeat(LINE_DEFAULTS.tailBytes - TAIL.length) + TAIL,
  );
}

/**
 * Tracks the peak resident set size over a baseline taken now, after a GC
 * when the runtime exposes one (`--expose-gc`); sampled by `sample()`.
 */
function rssTracker() {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let samples = 0;
  return {
    sample() {
      const rss = process.memoryUsage().rss;
      if (rss > peak) peak = rss;
      samples += 1;
    },
    assertGrowthBelow(limit: number) {
      const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
      assert.ok(samples >= 100, `sampled ${samples} times`);
      assert.ok(
        peak - baseline < limit,
        `rss grew by ${mib(peak - baseline)} (baseline ${mib(baseline)}, ` +
          `peak ${mib(peak)}), limit ${mib(limit)}`,
      );
    },
  };
}

/**
 * A `stats` object that samples memory each time the reader counts bytes,
 * that is after every chunk it reads.
 */
function samplingStats(sample: () => void): { bytesRead: number } {
  let bytesRead = 0;
  return {
    get bytesRead() {
      return bytesRead;
    },
    set bytesRead(n: number) {
      bytesRead = n;
      sample();
    },
  };
}

async function withHugeLineFile(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "zot-lines-memory-"));
  try {
    const path = join(dir, "huge.jsonl");
    await writeHugeLine(path);
    await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("line readers on a 100 MiB line", () => {
  it("readLines() reads a 100 MiB line as head and tail with rss growth under 40 MiB", {
    timeout: 60_000,
  }, async () => {
    await withHugeLineFile(async (path) => {
      const rss = rssTracker();
      const stats = samplingStats(rss.sample);
      const lines: number[] = [];
      for await (const line of readLines(path, { stats })) {
        rss.sample();
        assertHugeLine(line, 1);
        lines.push(line.number);
      }
      rss.sample();
      assert.deepEqual(lines, [1]);
      assert.equal(stats.bytesRead, LINE_BYTES + 1);
      rss.assertGrowthBelow(RSS_GROWTH_LIMIT);
    });
  });

  it("readLinesBackward() reads a 100 MiB line as head and tail with rss growth under 40 MiB", {
    timeout: 60_000,
  }, async () => {
    await withHugeLineFile(async (path) => {
      const rss = rssTracker();
      const stats = samplingStats(rss.sample);
      const lines: number[] = [];
      for await (const line of readLinesBackward(path, { stats })) {
        rss.sample();
        assertHugeLine(line, -1);
        lines.push(line.number);
      }
      rss.sample();
      assert.deepEqual(lines, [-1]);
      rss.assertGrowthBelow(RSS_GROWTH_LIMIT);
    });
  });
});
