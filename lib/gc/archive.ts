/**
 * Moving one session into the archive so that no interruption loses it or
 * blocks a later run (issue 9). What a run leaves behind when it is killed
 * at any point is one of:
 *
 * - a temporary `.<file>.zot-sessions-tmp-<pid>` beside the destination:
 *   garbage, removed by the next run ({@linkcode sweepTemporaries});
 * - the archived file complete (it only ever appears complete and
 *   verified) and the original still in the home: the next run finds the
 *   two identical and finishes by removing the original.
 *
 * Nothing in the archive is ever overwritten; a different file under the
 * destination name is an error for that session, which stays in the home.
 *
 * Why one module of ~420 lines: each step of the move (copy, verify, commit,
 * recover) is only safe together with the others.
 *
 * @module
 */
import { createHash } from "node:crypto";
import {
  type FileHandle,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  rename,
  unlink,
  utimes,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { mtimeMsOf, PROJECT_DIR } from "../sessions/catalog.ts";
import type { GcCandidate } from "./plan.ts";
import { processAlive } from "./lock.ts";

/** What marks a copy in progress in the archive. */
export const TEMP_MARK = ".zot-sessions-tmp-";

/** `.<file>.zot-sessions-tmp-<pid>`: the temporary names this module writes. */
const TEMP_FILE = /^\.[^/\\]+\.jsonl(?:\.gz)?\.zot-sessions-tmp-(\d+)$/;

/**
 * The temporary name of the copy of `dest` being written by process `pid`:
 * hidden, beside it (same file system, so it can be linked into place),
 * and never a name the archive's readers take for a session.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tempNameFor } from "./archive.ts";
 *
 * assert.equal(
 *   tempNameFor("/a/sessions/k/x.jsonl.gz", 42),
 *   "/a/sessions/k/.x.jsonl.gz.zot-sessions-tmp-42",
 * );
 * ```
 */
export function tempNameFor(dest: string, pid: number): string {
  return join(dirname(dest), `.${basename(dest)}${TEMP_MARK}${pid}`);
}

/**
 * Removes the temporaries that runs which are gone left in the archive's
 * project directories (a kill, a power cut). Those of a live process (a gc
 * of another home archiving here) are left alone. Returns how many went.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { sweepTemporaries, tempNameFor } from "./archive.ts";
 *
 * const archive = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const project = join(archive, "sessions", "98bce8e9987b1030");
 * await mkdir(project, { recursive: true });
 * // Left by a run that is gone (no process has this pid).
 * await writeFile(tempNameFor(join(project, "x.jsonl"), 999_999_999), "partial");
 * assert.equal(await sweepTemporaries(archive), 1);
 * assert.deepEqual(await readdir(project), []);
 * await rm(archive, { recursive: true });
 * ```
 */
export async function sweepTemporaries(archiveDir: string): Promise<number> {
  const root = join(archiveDir, "sessions");
  let removed = 0;
  let keys;
  try {
    keys = await readdir(root, { withFileTypes: true });
  } catch {
    return 0; // no archive yet (or unreadable: the moves will say so)
  }
  for (const key of keys) {
    // withFileTypes does not follow links: a linked directory is not swept.
    if (!key.isDirectory() || !PROJECT_DIR.test(key.name)) continue;
    let names: string[];
    try {
      names = await readdir(join(root, key.name));
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = Number(TEMP_FILE.exec(name)?.[1] ?? 0);
      if (!Number.isSafeInteger(pid) || pid <= 0) continue;
      if (pid !== process.pid && processAlive(pid)) continue;
      const path = join(root, key.name, name);
      const s = await lstat(path).catch(() => null);
      if (!s?.isFile()) continue;
      if (await unlink(path).then(() => true, () => false)) removed++;
    }
  }
  return removed;
}

/** How a session reached the archive. */
export type ArchiveResult = "moved" | "already-archived";

/**
 * Moves a session into the archive at `dest` (`.gz` when `compress`):
 *
 * 1. a file already at `dest` (or at its other form, with or without
 *    `.gz`) that holds the same bytes is an earlier run's complete copy:
 *    the original is removed and that is all; a partial copy there (from
 *    an earlier version, which copied to the final name) is removed; any
 *    other file at `dest` is an error;
 * 2. uncompressed on one file system: a hard link (atomic, refuses an
 *    existing name, keeps mode and mtime), then unlink;
 * 3. otherwise a copy into a temporary name, flushed, read back and
 *    checked (size and SHA-256 of the session's bytes), given the
 *    original's mode and times, linked into place (never over a file),
 *    and only then is the original unlinked.
 *
 * `signal` stops a copy between chunks; the temporary is removed. `pause`
 * is the test seam of pause.ts (it stops at "copy", "linked" or "placed").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lstat, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { mtimeMsOf } from "../sessions/catalog.ts";
 * import { moveToArchive } from "./archive.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(home, "sessions", "k", "x.jsonl");
 * await mkdir(join(home, "sessions", "k"), { recursive: true });
 * await writeFile(path, '{"title":"fix","type":"rename"}\n');
 * const s = await lstat(path);
 * const file = {
 *   path, dir: "k", bytes: s.size, mtimeMs: mtimeMsOf(s),
 *   id: "x", parent: null, cwd: "/a", empty: false,
 * };
 * const dest = join(home, "archive", "sessions", "k", "x.jsonl.gz");
 * assert.equal(await moveToArchive(file, dest, true), "moved");
 * assert.equal((await lstat(dest)).isFile(), true);
 * await assert.rejects(lstat(path)); // the original is gone
 * await rm(home, { recursive: true });
 * ```
 */
export async function moveToArchive(
  file: GcCandidate,
  dest: string,
  compress: boolean,
  signal?: AbortSignal,
  pause?: (phase: "copy" | "linked" | "placed") => Promise<void>,
): Promise<ArchiveResult> {
  await mkdir(dirname(dest), { recursive: true });
  const original = await lstat(file.path);
  // The other form (with or without .gz) counts only when it is the same:
  // a different file there is another version, and does not block this one.
  const other = compress ? dest.slice(0, -".gz".length) : dest + ".gz";
  let already = false;
  for (const there of [dest, other]) {
    const found = await compare(file, original, there);
    if (found === "different" && there === dest) throw exists(dest);
    if (found === "partial") await unlink(there);
    if (found === "same") already = true;
  }
  if (already) {
    await removeOriginal(file);
    return "already-archived";
  }
  if (!compress) {
    try {
      await link(file.path, dest);
      await pause?.("linked");
      await unlink(file.path);
      return "moved";
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "EEXIST") throw exists(dest);
      if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP") throw err;
      // Another file system (or no hard links there): copy below.
    }
  }
  const tmp = tempNameFor(dest, process.pid);
  // Our pid on a leftover: a run before a reboot. Its file is garbage.
  await unlink(tmp).catch(() => {});
  const out = await open(tmp, "wx", 0o600);
  let open_ = true;
  try {
    const source = digest();
    const chunks = sourceChunks(file.path, source, signal, pause && (() => pause("copy")));
    if (compress) {
      await gzipInto(chunks, out);
    } else {
      let position = 0;
      for await (const chunk of chunks) position += await writeAll(out, chunk, position);
    }
    // The archive keeps the session's permissions (zot writes them private).
    await out.chmod(original.mode & 0o777);
    await out.sync();
    open_ = false;
    await out.close();
    const copy = await digestOf(tmp, compress);
    if (!copy.whole || copy.bytes !== source.bytes || copy.hex() !== source.hex()) {
      throw new Error(`the copy in "${dest}" does not match the original; original kept`);
    }
    const now = await lstat(file.path);
    if (now.size !== file.bytes || mtimeMsOf(now) !== file.mtimeMs) {
      throw new Error("changed while it was copied; original kept");
    }
    // The archive keeps the session's last-activity time, so ls orders it.
    await utimes(tmp, now.atime, now.mtime);
    await placeWithoutOverwriting(tmp, dest);
    await pause?.("placed");
  } catch (err) {
    if (open_) await out.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  // The archived name must be on disk before the original's goes.
  await syncDirectory(dirname(dest));
  await unlink(file.path);
  return "moved";
}

/** The error for a destination taken by another file. */
function exists(dest: string): Error {
  return new Error(`a different file is already at "${dest}"; original kept`);
}

/**
 * What is at `there`: nothing; the session's bytes (the same file, a hard
 * link an interrupted move left; or a copy whose content, decompressed when
 * `.gz`, has the same size and SHA-256); a partial copy (a prefix of the
 * session's bytes, or a `.gz` cut short: what a run killed mid-copy by an
 * earlier version left at the final name), garbage that holds nothing the
 * original does not; or something different, which is never overwritten.
 */
async function compare(
  file: GcCandidate,
  original: { dev: number; ino: number; size: number },
  there: string,
): Promise<"absent" | "same" | "partial" | "different"> {
  let s;
  try {
    s = await lstat(there);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return "absent";
    throw err;
  }
  if (!s.isFile()) return "different";
  if (s.dev === original.dev && s.ino === original.ino) return "same";
  const gz = there.endsWith(".gz");
  // An uncompressed file longer than the session cannot be it: not read.
  if (!gz && s.size > original.size) return "different";
  // A .gz cut short still starts as gzip does (unless it is empty).
  if (gz && s.size > 0 && !(await startsAsGzip(there))) return "different";
  const copy = await digestOf(there, gz, file.bytes + 1);
  if (copy.bytes > file.bytes) return "different";
  const source = await digestOf(file.path, false, copy.bytes);
  if (copy.hex() !== source.hex()) return "different";
  return copy.bytes === file.bytes && copy.whole ? "same" : "partial";
}

const GZIP_HEAD = [0x1f, 0x8b, 0x08];

/** Whether a file starts with gzip's magic number and deflate's method byte. */
async function startsAsGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = new Uint8Array(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    // Cut within these three bytes: as far as they go.
    return head.subarray(0, bytesRead).every((b, i) => b === GZIP_HEAD[i]);
  } finally {
    await handle.close();
  }
}

/** Unlinks the original once it is still the file planned. */
async function removeOriginal(file: GcCandidate): Promise<void> {
  const now = await lstat(file.path);
  if (now.size !== file.bytes || mtimeMsOf(now) !== file.mtimeMs) {
    throw new Error("changed while it was checked; original kept");
  }
  await unlink(file.path);
}

/**
 * Puts the verified temporary at `dest` without ever replacing a file: a
 * hard link (fails if the name exists), then the temporary's name goes. A
 * file system without hard links gets a rename after a check.
 */
async function placeWithoutOverwriting(tmp: string, dest: string): Promise<void> {
  try {
    await link(tmp, dest);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "EEXIST") throw exists(dest);
    if (code !== "EPERM" && code !== "ENOTSUP") throw err;
    if (await lstat(dest).then(() => true, () => false)) throw exists(dest);
    await rename(tmp, dest);
    return;
  }
  await unlink(tmp);
}

/** fsync of a directory, where the system allows it. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every system can open or sync a directory; the data is synced.
  }
}

/** A running SHA-256 and byte count. */
function digest() {
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
 */
async function* sourceChunks(
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
 */
async function digestOf(path: string, gz: boolean, limit = Infinity) {
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
 */
async function gzipInto(
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
 */
async function writeAll(out: FileHandle, bytes: Uint8Array, position: number): Promise<number> {
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
