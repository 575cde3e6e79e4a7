/**
 * Following a file that another process appends to, like `tail -F`: wake on
 * a file-system event or a poll, read what was added up to the last complete
 * line, and start over when the file is truncated or replaced.
 *
 * @module
 */
import { watch } from "node:fs";
import { lstat } from "node:fs/promises";

/** What the follower tells its caller. */
export interface FollowHandlers {
  /** New bytes from `offset`: read complete lines, return the new offset. */
  read(path: string, offset: number): Promise<number>;
  /** The file got shorter or was replaced: reading starts again at 0. */
  restarted(path: string, why: "truncated" | "replaced"): Promise<void>;
  /**
   * Called about once a second; may name another file to follow from its
   * start (`--follow-latest`), or return null to keep this one.
   */
  switchTo?(current: string): Promise<string | null>;
  /** The run's clock (the context's), for intervals only; the monotonic clock if not given. */
  clock?: () => number;
}

/** Milliseconds between polls: the fallback when file events do not come. */
const POLL_MS = 250;

/**
 * Follows `path` from `offset` until `signal` aborts. Files that vanish are
 * waited for (a replacement by rename makes them vanish briefly).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { followFile } from "./follow.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * await writeFile(path, '{"title":"fix","type":"rename"}\n');
 * const stop = new AbortController();
 * const reads: number[] = [];
 * const handlers = {
 *   read: async (_path: string, offset: number) => {
 *     reads.push(offset);
 *     stop.abort(); // one read is enough here; `tail -f` stops on Ctrl-C
 *     return offset + 32;
 *   },
 *   restarted: async () => {},
 * };
 * await followFile(path, 0, handlers, stop.signal);
 * assert.deepEqual(reads, [0]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function followFile(
  path: string,
  offset: number,
  h: FollowHandlers,
  signal: AbortSignal,
): Promise<void> {
  let ino = await inode(path);
  const clock = h.clock ?? (() => performance.now());
  let lastSwitchCheck = clock();
  while (!signal.aborted) {
    await changeOrTimeout(path, signal);
    if (signal.aborted) return;
    if (h.switchTo && clock() - lastSwitchCheck >= 1000) {
      lastSwitchCheck = clock();
      const next = await h.switchTo(path);
      if (next && next !== path) {
        path = next;
        offset = 0;
        ino = await inode(path);
      }
    }
    let s;
    try {
      // lstat: the reader refuses anything but a regular file (a link, a
      // FIFO swapped in): wait for one to come back instead.
      s = await lstat(path);
    } catch {
      continue; // gone for now: wait for it to come back
    }
    if (!s.isFile()) continue;
    if (ino !== null && s.ino !== ino) {
      ino = s.ino;
      offset = 0;
      await h.restarted(path, "replaced");
    } else if (s.size < offset) {
      offset = 0;
      await h.restarted(path, "truncated");
    }
    ino = s.ino;
    if (s.size > offset) offset = await h.read(path, offset);
  }
}

/**
 * Asks `probe` every poll interval until it returns something other than
 * null, and returns that; null when `signal` aborts first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { waitUntil } from "./follow.ts";
 *
 * let polls = 0;
 * const probe = async () => (++polls < 2 ? null : "s.jsonl");
 * assert.equal(await waitUntil(probe, new AbortController().signal), "s.jsonl");
 * assert.equal(await waitUntil(async () => null, AbortSignal.abort()), null);
 * ```
 */
export async function waitUntil<T>(
  probe: () => Promise<T | null>,
  signal: AbortSignal,
): Promise<T | null> {
  while (!signal.aborted) {
    const found = await probe();
    if (found !== null) return found;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, POLL_MS);
      signal.addEventListener("abort", done);
    });
  }
  return null;
}

async function inode(path: string): Promise<number | null> {
  try {
    return (await lstat(path)).ino;
  } catch {
    return null;
  }
}

/** Resolves on a change event for the file, after a poll interval, or on abort. */
function changeOrTimeout(path: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let watcher: ReturnType<typeof watch> | undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      try {
        watcher?.close();
      } catch {
        // already closed
      }
      resolve();
    };
    const timer = setTimeout(done, POLL_MS);
    signal.addEventListener("abort", done);
    try {
      watcher = watch(path, { persistent: false }, done);
      watcher.on("error", () => {});
    } catch {
      // No watching here (or the file is gone): the poll will do.
    }
  });
}
