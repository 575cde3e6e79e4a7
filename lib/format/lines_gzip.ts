/**
 * Reading a gzip-compressed session (`gc --archive --compress` writes
 * `.jsonl.gz`): its decompressed bytes as chunks, within bounds on what it
 * may expand to. Forward only.
 *
 * @module
 */
import { PathError, RuntimeError } from "../base/errors.ts";
import type { LineReaderOptions } from "./line_shape.ts";
import { openRegularFile } from "./open_file.ts";

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
 * Whether a path is a gzip-compressed session (`gc --archive --compress`
 * writes `.jsonl.gz`): read through a decompressor, forward only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCompressed } from "./lines_gzip.ts";
 *
 * assert.equal(isCompressed("a.jsonl.gz"), true);
 * assert.equal(isCompressed("a.jsonl"), false);
 * ```
 */
export function isCompressed(path: string): boolean {
  return path.endsWith(".gz");
}

/**
 * The decompressed bytes of a `.gz` file, from `options.start` (an offset in
 * the decompressed bytes: reaching it means decompressing what is before).
 * Uses the web `DecompressionStream`, as gc writes with `CompressionStream`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { gzipSync } from "node:zlib";
 * import { readGzipChunks } from "./lines_gzip.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl.gz");
 * await writeFile(path, gzipSync('{"a":1}\n{"b":2}\n'));
 * let text = "";
 * for await (const chunk of readGzipChunks(path, { start: 8 })) {
 *   text += new TextDecoder().decode(chunk);
 * }
 * assert.equal(text, '{"b":2}\n');
 * await rm(dir, { recursive: true });
 * ```
 */
export async function* readGzipChunks(
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
