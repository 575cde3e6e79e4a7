/**
 * Making a database file ready to be the index: WAL mode, and the tables of
 * this {@linkcode INDEX_VERSION} (a file of another version has its tables
 * made anew). Run by `IndexStore.open` (store.ts, which holds the one
 * `node:sqlite` import) on the database it opened, once per run.
 *
 * @module
 */
import type { Pause } from "./pause.ts";
import { INDEX_VERSION, SCHEMA, TABLES, version } from "./schema.ts";
import type { SqlDatabase } from "./search_store.ts";
import { isBusy } from "./store_errors.ts";

/** How an index is opened. */
export interface StoreOptions {
  /** The test seam ({@linkcode Pause}): `clear`, `write` and `open-busy` stop there when asked. */
  pause?: Pause;
  /**
   * How long to wait for another run's write to end before giving up
   * (SQLite's busy timeout), in ms. Default {@linkcode LOCK_WAIT_MS}.
   */
  lockWaitMs?: number;
}

/**
 * How long a run waits for another run's write: a reader never waits for a
 * writer (WAL); a run that cannot write within this answers without saving.
 */
export const LOCK_WAIT_MS = 200;

/**
 * How long opening waits when it must create or convert the tables (once
 * per database file, or per version): a few milliseconds of another run's
 * same work.
 */
export const CREATE_WAIT_MS = 5000;

/**
 * Puts a database in WAL mode. On a new file, several runs at once race to
 * do it: changing the mode upgrades a read to a write, and SQLite answers
 * "busy" at once, without waiting (its busy handler is not called then, as
 * waiting could deadlock), when another run holds the write lock. So this
 * waits itself, 10 ms at a time, up to `waitMs`; then the error stands. The
 * pause point `open-busy` is reached before each wait.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walMode } from "./db_setup.ts";
 *
 * const said: string[] = [];
 * const db = {
 *   exec: (sql: string) => void said.push(sql),
 *   prepare: () => ({ run: () => ({ lastInsertRowid: 0 }), get: () => undefined, all: () => [] }),
 * };
 * walMode(db, () => {}, 5000);
 * assert.deepEqual(said, ["PRAGMA journal_mode = WAL"]);
 * ```
 */
export function walMode(db: SqlDatabase, pause: Pause, waitMs: number): void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      db.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      pause("open-busy");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Makes the tables of this version unless the database has them: another
 * version's tables are dropped first, all in one write transaction (which
 * waits for another run's as the busy timeout says).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensureTables } from "./db_setup.ts";
 * import { INDEX_VERSION } from "./schema.ts";
 *
 * const said: string[] = [];
 * const db = {
 *   exec: (sql: string) => void said.push(sql),
 *   prepare: () => ({
 *     run: () => ({ lastInsertRowid: 0 }),
 *     get: () => ({ x: 1, value: INDEX_VERSION }),
 *     all: () => [],
 *   }),
 * };
 * ensureTables(db); // this version's already: nothing is written
 * assert.deepEqual(said, []);
 * ```
 */
export function ensureTables(db: SqlDatabase): void {
  if (version(db) === INDEX_VERSION) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    // Read again under the lock: another run may just have done it.
    if (version(db) !== INDEX_VERSION) {
      for (const r of db.prepare(TABLES).all() as Record<string, unknown>[]) {
        db.exec(`DROP TABLE IF EXISTS "${String(r.name).replaceAll('"', '""')}"`);
      }
      db.exec(SCHEMA);
      db.prepare("INSERT INTO info (key, value) VALUES ('version', ?)").run(INDEX_VERSION);
    }
    db.exec("COMMIT");
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
}
