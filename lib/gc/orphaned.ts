/**
 * `gc --orphaned`'s part of the candidates: which sessions' project
 * directories are gone, as zot's own `zot sessions prune` removes the
 * groups of sessions whose directory no longer exists.
 *
 * A session names its project in its first meta line (the directory its
 * file sits under) and in its latest (where it was last resumed, with
 * `zot --session PATH` perhaps elsewhere): it counts as orphaned only when
 * every one of them is gone. A directory that cannot be looked at, or a
 * name that is not absolute (`zot --cwd .`), is never gone, nor is a
 * session that cannot be read. A directory on a disk that is not mounted
 * IS gone: the dry run and the README say to check.
 *
 * @module
 */
import { mapConcurrent } from "../base/pool.ts";
import { directoryStates } from "../sessions/projects.ts";
import type { SessionSource } from "../sessions/source.ts";
import type { GcCandidate } from "./plan.ts";

/**
 * Sets each candidate's `projectGone`: the directory found gone (its latest
 * meta line's), or null when any directory it names is there or cannot be
 * told.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tmpdir } from "node:os";
 * import { markOrphaned } from "./orphaned.ts";
 * import type { GcCandidate } from "./plan.ts";
 * import { FileSource } from "../sessions/source.ts";
 *
 * const file = (cwd: string): GcCandidate => ({
 *   path: "/nonexistent/x.jsonl", dir: "k", bytes: 0, mtimeMs: 0,
 *   id: "x", parent: null, cwd, empty: false,
 * });
 * const [gone, here, relative] = [file("/nonexistent/p"), file(tmpdir()), file(".")];
 * await markOrphaned([gone, here, relative], new FileSource());
 * // The file cannot be read: its first meta line's cwd is all there is.
 * assert.deepEqual([gone.projectGone, here.projectGone, relative.projectGone], [
 *   "/nonexistent/p",
 *   null,
 *   null,
 * ]);
 * ```
 */
export async function markOrphaned(
  candidates: GcCandidate[],
  source: SessionSource,
): Promise<void> {
  const latest = await mapConcurrent(candidates, 4, async (c) => {
    try {
      return (await source.scan(c)).summary.meta?.cwd ?? c.cwd;
    } catch {
      return c.cwd; // unreadable: the first meta line's (read with the candidates)
    }
  });
  const states = await directoryStates([...candidates.map((c) => c.cwd), ...latest]);
  candidates.forEach((c, i) => {
    const gone = [c.cwd, latest[i]].every((d) => states.get(d) === "gone");
    c.projectGone = gone ? latest[i] : null;
  });
}
