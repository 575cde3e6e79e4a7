/**
 * A run that must answer fast (`statusline`) reads at most so many bytes of
 * session files ({@linkcode ReadBudget}); a file it would read beyond that
 * is answered from what the index holds of it, however old, and counted as
 * stale. What it did read is saved, so the next run starts further on: the
 * index catches up over a few runs. The first file asked for is always read,
 * whatever its size, or a file bigger than the budget would never be.
 *
 * @module
 */

/** How many bytes a quick run reads, and which files it answered from old rows. */
export class ReadBudget {
  #left: number;
  #readAny = false;
  readonly #stale = new Set<string>();

  constructor(bytes: number) {
    this.#left = bytes;
  }

  /**
   * Whether reading `bytes` more fits (then they are counted as read).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReadBudget } from "./read_budget.ts";
   *
   * const b = new ReadBudget(100);
   * assert.equal(b.take(500), true); // the first file, whatever its size
   * assert.equal(b.take(1), false);
   * b.markStale("/h/s.jsonl");
   * assert.deepEqual([...b.stale], ["/h/s.jsonl"]);
   * ```
   */
  take(bytes: number): boolean {
    if (this.#readAny && bytes > this.#left) return false;
    this.#readAny = true;
    this.#left = Math.max(0, this.#left - bytes);
    return true;
  }

  /** Notes that `path` was answered from an old row (or from nothing). */
  markStale(path: string): void {
    this.#stale.add(path);
  }

  /** The files answered from old rows, or from nothing, this run. */
  get stale(): ReadonlySet<string> {
    return this.#stale;
  }
}
