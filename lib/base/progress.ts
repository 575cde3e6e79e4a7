/**
 * What a long scan tells as it goes ({@linkcode Progress}): the layer that
 * scans calls it, the edge that owns the terminal draws it.
 *
 * @module
 */

/**
 * Told after each file of a scan, and once when the scan is over.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Progress } from "./progress.ts";
 *
 * const seen: string[] = [];
 * const progress: Progress = {
 *   update: (done, total) => void seen.push(`${done}/${total}`),
 *   clear: () => Promise.resolve(void seen.push("done")),
 * };
 * progress.update(1, 2, 10);
 * await progress.clear();
 * assert.deepEqual(seen, ["1/2", "done"]);
 * ```
 */
export interface Progress {
  /** Files done, of how many, and their bytes so far. */
  update(done: number, total: number, bytes: number): void;
  /** The scan is over: take down whatever was shown (again: a no-op). */
  clear(): Promise<void>;
}
