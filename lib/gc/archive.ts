/**
 * Moving one session into the archive so that no interruption loses it or
 * blocks a later run (issue 9). What a run leaves behind when it is killed
 * at any point is one of:
 *
 * - a temporary `.<file>.zot-sessions-tmp-<pid>` beside the destination:
 *   garbage, removed by the next run (`sweepTemporaries`);
 * - the archived file complete (it only ever appears complete and
 *   verified) and the original still in the home: the next run finds the
 *   two identical and finishes by removing the original.
 *
 * Nothing in the archive is ever overwritten; a different file under the
 * destination name is an error for that session, which stays in the home.
 *
 * The recognising of what an interrupted run left is in
 * lib/gc/archive_recovery.ts, the copy and its check in lib/gc/archive_copy.ts.
 *
 * @module
 */
import { link, lstat, mkdir, open, rename, unlink, utimes } from "node:fs/promises";
import { dirname } from "node:path";
import { mtimeMsOf } from "../sessions/catalog.ts";
import type { GcCandidate } from "./plan.ts";
import { digest, digestOf, gzipInto, sourceChunks, writeAll } from "./archive_copy.ts";
import { compareAt, ownTemporary } from "./archive_recovery.ts";

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
    const found = await compareAt(file, original, there);
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
  const tmp = ownTemporary(dest);
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
