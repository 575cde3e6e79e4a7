/**
 * How a run of the index ({@linkcode IndexSource}) meets its database's
 * errors: every call to the store goes through one guard, which says what
 * the run does next. A failure turns the index off for the rest of the run,
 * with one warning; another run holding the write lock only stops this
 * run's saving, without a word; a row that failed its checksum is one
 * warning, and its file is read again.
 *
 * @module
 */
import { IndexBusyError, isDamage } from "./store_errors.ts";
import { RowDamagedError } from "./checksum.ts";

/**
 * The guard of one run's calls to the index database, and what it met.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { StoreGuard } from "./store_guard.ts";
 *
 * const told: string[] = [];
 * const guard = new StoreGuard("/c/index.sqlite", async (m) => {
 *   told.push(m);
 * }, async () => {}, () => told.push("stop"));
 * assert.equal(await guard.run(() => 1, 0), 1);
 * assert.equal(await guard.run(() => { throw new Error("disk I/O error"); }, 0), 0);
 * assert.deepEqual(told, ["stop", "disk I/O error"]);
 * assert.equal(guard.failed, true);
 * assert.equal(guard.failure, 'Cannot update the index "/c/index.sqlite": disk I/O error');
 * ```
 */
export class StoreGuard {
  #failed = false;
  #damaged = false;
  #busy = false;
  #failure: string | null = null;

  /**
   * `path`: the database's, for the failure's message. `onFailure` is told,
   * once, when the database stops working; `warn` prints a warning (a row
   * that failed its checksum); `onStop` is told when nothing more is to be
   * saved this run (another run's lock, or a failure).
   */
  constructor(
    readonly path: string,
    private readonly onFailure: (message: string) => Promise<void>,
    private readonly warn: (message: string) => Promise<void>,
    private readonly onStop: () => void,
  ) {}

  /** Whether the database failed this run: the files answer from then on. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Whether the failure was damage (the database is moved aside at close). */
  get damaged(): boolean {
    return this.#damaged;
  }

  /** Whether another run held the write lock longer than this run waits. */
  get busy(): boolean {
    return this.#busy;
  }

  /** What stopped the index this run (the database's error), or null. */
  get failure(): string | null {
    return this.#failure;
  }

  /**
   * Runs a database call; a failure turns the index off for the rest of the
   * run, with one warning. Another run holding the write lock is no failure:
   * this run saves nothing more, and says nothing.
   */
  async run<T>(fn: () => T, fallback: T): Promise<T> {
    try {
      return fn();
    } catch (err) {
      if (err instanceof IndexBusyError) {
        this.#busy = true;
        this.onStop();
        return fallback;
      }
      if (err instanceof RowDamagedError) {
        // One row, not the database: its file is read again and saved anew.
        await this.warn(err.message);
        return fallback;
      }
      this.#failed = true;
      this.#damaged = isDamage(err);
      this.onStop();
      this.#failure = `Cannot update the index "${this.path}": ${
        err instanceof Error ? err.message : String(err)
      }`;
      await this.onFailure(err instanceof Error ? err.message : String(err));
      return fallback;
    }
  }
}
