/**
 * One gc at a time per home: an exclusive lock file holding the holder's
 * pid. A lock whose process is gone is taken over; a live one is respected.
 *
 * @module
 */
import { link, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { openRegularFile } from "../format/open_file.ts";

/** The lock file's name, in the sessions directory. */
export const LOCK_NAME = ".zot-sessions-gc.lock";

/** What trying to lock gave. */
export type LockResult =
  | { acquired: true; tookOverFrom: number | null; release(): Promise<void> }
  | { acquired: false; holder: number };

/**
 * Whether a process exists (EPERM: it does, as another user).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { processAlive } from "./lock.ts";
 *
 * assert.equal(processAlive(process.pid), true);
 * assert.equal(processAlive(999_999_999), false); // no process has this pid
 * ```
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

/**
 * The pid a lock file names, 0 if it names none. Read from a regular file
 * only, never through a link, and only its first bytes: a FIFO or a device
 * planted as the lock would otherwise hold gc forever.
 */
async function readPid(path: string): Promise<number> {
  try {
    const { handle } = await openRegularFile(path);
    try {
      const bytes = new Uint8Array(32);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
      return Number(new TextDecoder().decode(bytes.subarray(0, bytesRead)).trim()) || 0;
    } finally {
      await handle.close();
    }
  } catch {
    return 0;
  }
}

/**
 * Takes the lock in `dir` for `pid`. The lock file is linked into place with
 * its pid already written, so of two runs started together exactly one gets
 * it, and the other always reads a pid. A stale lock is moved aside by an
 * atomic rename and checked: if what was moved is not the stale lock read a
 * moment before (another run took it over first), it is put back. `now` is
 * the clock a lock naming no pid is aged by (the caller's, so tests can
 * move it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { acquireLock } from "./lock.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const lock = await acquireLock(dir, process.pid, Date.now);
 * assert.equal(lock.acquired, true);
 * // Another run finds this (live) process holding it.
 * assert.deepEqual(await acquireLock(dir, 999_999_999, Date.now), {
 *   acquired: false,
 *   holder: process.pid,
 * });
 * if (lock.acquired) await lock.release();
 * await rm(dir, { recursive: true });
 * ```
 */
export async function acquireLock(
  dir: string,
  pid: number,
  now: () => number,
): Promise<LockResult> {
  const path = join(dir, LOCK_NAME);
  // The lock appears with its pid already in it: written to a private file,
  // then hard-linked into place (atomic, and it fails if a lock exists). A
  // run that finds a lock never sees it empty.
  // A live holder is the common case (cron overlap): answer it without
  // writing anything.
  const current = await readPid(path);
  if (current !== 0 && current !== pid && processAlive(current)) {
    return { acquired: false, holder: current };
  }
  const mine = `${path}.${pid}`;
  // Exclusive create: a link planted under this name is not followed.
  await unlink(mine).catch(() => {});
  const file = await open(mine, "wx", 0o644);
  try {
    await file.writeFile(`${pid}\n`);
  } finally {
    await file.close();
  }
  try {
    let tookOverFrom: number | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(mine, path);
        await sweepLeftovers(dir);
        return {
          acquired: true,
          tookOverFrom,
          release: async () => {
            if ((await readPid(path)) === pid) await unlink(path).catch(() => {});
          },
        };
      } catch (err) {
        if ((err as { code?: string }).code !== "EEXIST") throw err;
      }
      const holder = await readPid(path);
      // Our own pid in an old lock: a run before a restart that reused it.
      if (holder !== 0 && holder !== pid && processAlive(holder)) {
        return { acquired: false, holder };
      }
      // Unreadable content: stale only once it is old (a writer of another
      // version may be mid-write).
      if (holder === 0 && !(await olderThan(path, UNNAMED_STALE_MS, now))) {
        return { acquired: false, holder };
      }
      // Stale. Move it aside atomically and check what moved: another run
      // may have taken it over first, and its lock must go back.
      const aside = `${path}.stale.${pid}`;
      try {
        await rename(path, aside);
      } catch {
        continue; // someone else moved it first: try to create again
      }
      const moved = await readPid(aside);
      if (moved !== holder) {
        await link(aside, path).catch(() => {});
        await unlink(aside).catch(() => {});
        return { acquired: false, holder: moved };
      }
      await unlink(aside).catch(() => {});
      tookOverFrom = holder;
    }
    return { acquired: false, holder: await readPid(path) };
  } finally {
    await unlink(mine).catch(() => {});
  }
}

/**
 * Removes the private files (`<lock>.<pid>`, `<lock>.stale.<pid>`) that runs
 * killed while taking the lock left; called by the holder, so no live run
 * of ours is mid-way, and a file whose pid is alive is left alone anyway.
 */
async function sweepLeftovers(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(LEFTOVER.exec(name)?.[1] ?? 0);
    if (pid > 0 && Number.isSafeInteger(pid) && !processAlive(pid)) {
      await unlink(join(dir, name)).catch(() => {});
    }
  }
}

const LEFTOVER = new RegExp(`^${LOCK_NAME.replaceAll(".", "\\.")}\\.(?:stale\\.)?(\\d+)$`);

/**
 * How old a lock naming no pid must be to be taken over: a writer of another
 * version may be between creating it and writing its pid.
 */
export const UNNAMED_STALE_MS = 10_000;

async function olderThan(path: string, ms: number, now: () => number): Promise<boolean> {
  try {
    return now() - (await stat(path)).mtime.getTime() > ms;
  } catch {
    return true;
  }
}
