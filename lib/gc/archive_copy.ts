/**
 * gc's copy and its check: a session's bytes streamed into the archive
 * (gzipped or not), counted and hashed on the way, and the copy read back
 * and hashed again (gunzipped when `.gz`), so that an original is removed
 * only when its copy holds the same bytes. Used by lib/gc/archive.ts.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";

/**
 * A running SHA-256 and byte count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { digest } from "./archive_copy.ts";
 *
 * const d = digest();
 * d.update(new TextEncoder().encode("abc"));
 * assert.equal(d.bytes, 3);
 * assert.equal(d.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * ```
 */
export function digest() {
  const hash = createHash("sha256");
  let hex: string | null = null;
  return {
    bytes: 0,
    update(chunk: Uint8Array) {
      hash.update(chunk);
      this.bytes += chunk.length;
    },
    hex(): string {
      return hex ??= hash.digest("hex");
    },
  };
}

const CHUNK = 1 << 20;

/** The raw bytes of a file, whatever its name (the temporary has no `.gz`). */
async function* rawChunks(path: string): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(CHUNK);
    let position = 0;
    while (true) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * The session's bytes, counted and hashed, each chunk a copy of its own;
 * `afterFirst` runs once the first chunk is taken (the test seam's "copy").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { digest, sourceChunks } from "./archive_copy.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "x.jsonl");
 * await writeFile(path, "abc");
 * const d = digest();
 * let copied = 0;
 * for await (const chunk of sourceChunks(path, d)) copied += chunk.length;
 * assert.equal(copied, 3);
 * assert.equal(d.bytes, 3);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function* sourceChunks(
  path: string,
  into: ReturnType<typeof digest>,
  signal?: AbortSignal,
  afterFirst?: () => Promise<void>,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const stop = () => new Error(`interrupted by ${signal?.reason ?? "a signal"}`);
  let first = true;
  for await (const chunk of rawChunks(path)) {
    if (signal?.aborted) throw stop();
    into.update(chunk);
    yield chunk.slice();
    if (first && afterFirst) {
      await afterFirst();
      if (signal?.aborted) throw stop();
    }
    first = false;
  }
}

/**
 * Size and SHA-256 of a file's content (gunzipped when `gz`), of at most
 * its first `limit` bytes. `whole` is false for a `.gz` that is damaged or
 * cut short: the digest is then of what could be decompressed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { gzipSync } from "node:zlib";
 * import { digestOf } from "./archive_copy.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "x.jsonl.gz");
 * const gz = gzipSync("abc");
 * await writeFile(path, gz);
 * const whole = await digestOf(path, true);
 * assert.equal(whole.bytes, 3);
 * assert.equal(whole.whole, true);
 * await writeFile(path, gz.subarray(0, gz.length - 4)); // cut short
 * assert.equal((await digestOf(path, true)).whole, false);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function digestOf(path: string, gz: boolean, limit = Infinity) {
  const d = Object.assign(digest(), { whole: true });
  const take = (chunk: Uint8Array) => {
    d.update(chunk.subarray(0, Math.max(0, limit - d.bytes)));
    return d.bytes < limit;
  };
  if (!gz) {
    for await (const chunk of rawChunks(path)) if (!take(chunk)) break;
    return d;
  }
  const reader = streamOf(rawChunks(path)).pipeThrough(new DecompressionStream("gzip"))
    .getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done || !take(value)) return d;
    }
  } catch {
    d.whole = false;
    return d;
  } finally {
    // Stops the decompression and closes the file when it ended early.
    await reader.cancel().catch(() => {});
  }
}

/**
 * Gzips `chunks` into `out` through the web streams' pipe, which carries a
 * failure either way: a full disk cancels the reading (its file is closed)
 * and rejects here, rather than leaving a write waiting for ever, as the
 * first version did (issue 9).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, open, readFile, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { gunzipSync } from "node:zlib";
 * import { gzipInto } from "./archive_copy.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "x.jsonl.gz");
 * async function* chunks() {
 *   yield new TextEncoder().encode("abc");
 * }
 * const out = await open(path, "w");
 * await gzipInto(chunks(), out);
 * await out.close();
 * assert.equal(gunzipSync(await readFile(path)).toString(), "abc");
 * await rm(dir, { recursive: true });
 * ```
 */
export async function gzipInto(
  chunks: AsyncGenerator<Uint8Array<ArrayBuffer>>,
  out: FileHandle,
): Promise<void> {
  let position = 0;
  await streamOf(chunks).pipeThrough(new CompressionStream("gzip")).pipeTo(
    new WritableStream({
      async write(chunk: Uint8Array) {
        position += await writeAll(out, chunk, position);
      },
    }),
  );
}

/**
 * A readable stream pulling from an async generator, closing it on cancel.
 * Typed as the (de)compressors take it.
 */
function streamOf(chunks: AsyncGenerator<Uint8Array<ArrayBuffer>>): ReadableStream<BufferSource> {
  return new ReadableStream<BufferSource>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  }, { highWaterMark: 0 });
}

/**
 * Writes all of `bytes` at `position`. A write to a nearly full disk can
 * take only part of a buffer; the next one then fails with ENOSPC, which
 * is what the user must hear, not a copy that "does not match".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, open, readFile, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeAll } from "./archive_copy.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "x.jsonl");
 * const out = await open(path, "w");
 * assert.equal(await writeAll(out, new TextEncoder().encode("abc"), 0), 3);
 * await out.close();
 * assert.equal(await readFile(path, "utf8"), "abc");
 * await rm(dir, { recursive: true });
 * ```
 */
export async function writeAll(
  out: FileHandle,
  bytes: Uint8Array,
  position: number,
): Promise<number> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await out.write(bytes, done, bytes.length - done, position + done);
    if (bytesWritten === 0) {
      throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    }
    done += bytesWritten;
  }
  return done;
}
