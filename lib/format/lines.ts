/**
 * The forward line readers: a file (plain or gzip) read in chunks into one
 * reused buffer and split into lines, in memory that does not grow with the
 * file or with the length of a line; and one line read again by its offset.
 *
 * The line's shape and the readers' options are in lib/format/line_shape.ts;
 * the splitting in lib/format/line_splitter.ts, the backward reader in
 * lib/format/lines_backward.ts, the gzip one in lib/format/lines_gzip.ts.
 *
 * @module
 */
import { RuntimeError } from "../base/errors.ts";
import { giveBuffer, takeBuffer } from "./chunk_pool.ts";
import {
  type ByteCounter,
  type Line,
  LINE_DEFAULTS,
  type LineReaderOptions,
} from "./line_shape.ts";
import { LineSplitter } from "./line_splitter.ts";
import { GZIP_MAX_LINES, isCompressed, readGzipChunks } from "./lines_gzip.ts";
import { openRegularFile } from "./open_file.ts";

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
