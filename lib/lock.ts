/**
 * One gc at a time per home: an exclusive lock file holding the holder's
 * pid. A lock whose process is gone is taken over; a live one is respected.
 *
 * @module
 */
import { link, open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";

/** The lock file's name, in the sessions directory. */
export const LOCK_NAME = ".zot-sessions-gc.lock";

/** What trying to lock gave. */
export type LockResult =
  | { acquired: true; tookOverFrom: number | null; release(): Promise<void> }
  | { acquired: false; holder: number };

/** Whether a process exists (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

async function readPid(path: string): Promise<number> {
  try {
    return Number((await readFile(path, "utf8")).trim()) || 0;
  } catch {
    return 0;
  }
}

/**
 * Takes the lock in `dir` for `pid`. Creation is exclusive (`O_EXCL`), so of
 * two runs started together exactly one gets it. A stale lock is moved aside
 * by an atomic rename and checked: if what was moved is not the stale lock
 * read a moment before (another run took it over first), it is put back.
 *
 * @example
 * const lock = await acquireLock(sessionsDir, process.pid);
 */
export async function acquireLock(dir: string, pid: number): Promise<LockResult> {
  const path = join(dir, LOCK_NAME);
  let tookOverFrom: number | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, "wx", 0o644);
      try {
        await file.writeFile(`${pid}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
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
    if (holder !== 0 && alive(holder)) return { acquired: false, holder };
    // Stale (or unreadable, or being written this instant: then the retry
    // sees the live pid). Move it aside atomically and check what moved.
    const aside = `${path}.stale.${pid}`;
    try {
      await rename(path, aside);
    } catch {
      continue; // someone else moved it first: try to create again
    }
    const moved = await readPid(aside);
    if (moved !== holder) {
      // A fresh lock of another run: put it back (link fails if one exists).
      await link(aside, path).catch(() => {});
      await unlink(aside).catch(() => {});
      return { acquired: false, holder: moved };
    }
    await unlink(aside).catch(() => {});
    tookOverFrom = holder;
  }
  return { acquired: false, holder: await readPid(path) };
}
