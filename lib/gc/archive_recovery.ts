/**
 * What an interrupted gc run leaves in the archive, and how the next run
 * recognises it (issue 9): temporaries named for the process that wrote them
 * (swept once it is gone), and at a destination, an earlier run's complete
 * copy (the same bytes: the move only has to remove the original) or a
 * partial one (garbage). Used by lib/gc/archive.ts.
 *
 * @module
 */
import { lstat, open, readdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { PROJECT_DIR } from "../sessions/catalog.ts";
import { digestOf } from "./archive_copy.ts";
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
 * import { tempNameFor } from "./archive_recovery.ts";
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
 * The temporary name this process writes the copy of `dest` under.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import process from "node:process";
 * import { ownTemporary, tempNameFor } from "./archive_recovery.ts";
 *
 * assert.equal(ownTemporary("/a/x.jsonl"), tempNameFor("/a/x.jsonl", process.pid));
 * ```
 */
export function ownTemporary(dest: string): string {
  return tempNameFor(dest, process.pid);
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
 * import { sweepTemporaries, tempNameFor } from "./archive_recovery.ts";
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

/**
 * What is at `there`: nothing; the session's bytes (the same file, a hard
 * link an interrupted move left; or a copy whose content, decompressed when
 * `.gz`, has the same size and SHA-256); a partial copy (a prefix of the
 * session's bytes, or a `.gz` cut short: what a run killed mid-copy by an
 * earlier version left at the final name), garbage that holds nothing the
 * original does not; or something different, which is never overwritten.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lstat, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { mtimeMsOf } from "../sessions/catalog.ts";
 * import { compareAt } from "./archive_recovery.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "x.jsonl");
 * await writeFile(path, "abcdef");
 * const s = await lstat(path);
 * const file = {
 *   path, dir: "k", bytes: s.size, mtimeMs: mtimeMsOf(s),
 *   id: "x", parent: null, cwd: "/a", empty: false,
 * };
 * const there = join(dir, "copy.jsonl");
 * assert.equal(await compareAt(file, s, there), "absent");
 * await writeFile(there, "abc");
 * assert.equal(await compareAt(file, s, there), "partial");
 * await writeFile(there, "abcdef");
 * assert.equal(await compareAt(file, s, there), "same");
 * await writeFile(there, "xyz");
 * assert.equal(await compareAt(file, s, there), "different");
 * await rm(dir, { recursive: true });
 * ```
 */
export async function compareAt(
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
