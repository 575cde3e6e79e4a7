/**
 * The backward line reader: a file's lines from the last to the first, read
 * only as far back as the caller consumes (`tail`, and where a session's
 * last usage row is).
 *
 * @module
 */
import { RuntimeError } from "../base/errors.ts";
import {
  CR,
  LF,
  type Line,
  LINE_DEFAULTS,
  type LineReaderOptions,
  makeLine,
  trimCR,
} from "./line_shape.ts";
import { isCompressed } from "./lines_gzip.ts";
import { openRegularFile } from "./open_file.ts";

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
 * import { readLinesBackward } from "./lines_backward.ts";
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
