/**
 * The index's database: one SQLite file (WAL, a busy timeout) with a row per
 * session file, keyed by absolute path. The only module that imports
 * `node:sqlite`. A row holds the file's fingerprint, the saved scan state
 * (offset at a complete line, summary, ledger), the file's spend events,
 * in a compact column form, and the change scan's state at the same offset,
 * with a row per own edit or write call of the session. Once `search` has been used, also each message's
 * text's trigrams (FTS5, no text kept) with a per-file offset to resume from.
 *
 * It is the one class that holds the database (opening, transactions), so
 * that `node:sqlite` is imported once; each table's statements are handed
 * the database: the files' rows (`files_table.ts`) and their change rows
 * (`changes_table.ts`, written with them), the search tables
 * (`search_store.ts`), warned damage (`damage_store.ts`). What needs no
 * database is beside it: the layout and version (`schema.ts`), a row and its
 * checksum (`file_row.ts`), the events column (`event_columns.ts`) and the
 * errors (`store_errors.ts`).
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import type { SpendEvent } from "../scan/ledger.ts";
import { NO_PAUSE, type Pause } from "./pause.ts";
import { SearchStore, type SqlDatabase } from "./search_store.ts";
import { DamageStore } from "./damage_store.ts";
import { FilesTable } from "./files_table.ts";
import { ChangesTable } from "./changes_table.ts";
import type { ChangeRow } from "../transcript/change_rows.ts";
import {
  CREATE_WAIT_MS,
  ensureTables,
  LOCK_WAIT_MS,
  type StoreOptions,
  walMode,
} from "./db_setup.ts";
import { decodeRow, type FileRow, type StoredRow } from "./file_row.ts";
import { classify, IndexBusyError, isBusy } from "./store_errors.ts";

/** A file's change rows as a run saves them: those from place `from` on. */
export interface FileChanges {
  from: number;
  rows: ChangeRow[];
}

/**
 * The index database. Methods are synchronous (SQLite's are): each call is
 * short, and a run's writes go in one transaction ({@linkcode IndexStore.write}).
 */
export class IndexStore {
  readonly #db: DatabaseSync;
  /** The files table's rows (files_table.ts). */
  readonly #files: FilesTable;
  /** The test seam ({@linkcode Pause}): `clear` and `write` stop there when asked. */
  readonly pause: Pause;
  /** The search tables. */
  readonly search: SearchStore;
  /** The damaged files warned about (damage_store.ts). */
  readonly damage: DamageStore;
  /** Each file's own edit and write calls (changes_table.ts). */
  readonly changes: ChangesTable;

  private constructor(db: DatabaseSync, readonly path: string, pause: Pause) {
    this.#db = db;
    this.pause = pause;
    this.search = new SearchStore(db as unknown as SqlDatabase);
    this.damage = new DamageStore(db as unknown as SqlDatabase, (fn) => this.write(fn));
    this.#files = new FilesTable(db as unknown as SqlDatabase);
    this.changes = new ChangesTable(db as unknown as SqlDatabase);
  }

  /**
   * Opens (creating) the database at `path`. A file that is no SQLite
   * database, or fails its check, throws {@linkcode IndexDamagedError}; a
   * file of another version (schema.ts) has its tables made anew.
   * Another run holding it throws {@linkcode IndexBusyError}; anything else
   * (a full disk, a read-only file) the system's error.
   */
  static open(path: string, o: StoreOptions = {}): IndexStore {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
    } catch (err) {
      throw classify(err, path);
    }
    try {
      db.exec(`PRAGMA busy_timeout = ${CREATE_WAIT_MS}`);
      const sql = db as unknown as SqlDatabase;
      walMode(sql, o.pause ?? NO_PAUSE, CREATE_WAIT_MS);
      db.exec("PRAGMA synchronous = NORMAL");
      // What is deleted or replaced is overwritten, not left in free pages.
      db.exec("PRAGMA secure_delete = ON");
      // No quick_check here: it reads every page (6 ms at 600 sessions, and
      // growing). A file that is no database fails above; damage inside is
      // met by the query that reads it (isDamage), and the file is then
      // moved aside when the run ends.
      ensureTables(sql);
      db.exec(`PRAGMA busy_timeout = ${o.lockWaitMs ?? LOCK_WAIT_MS}`);
    } catch (err) {
      try {
        db.close();
      } catch {
        // already unusable
      }
      throw classify(err, path);
    }
    return new IndexStore(db, path, o.pause ?? NO_PAUSE);
  }

  /** Sets how long a write waits for another run's (the `index` verb waits longer). */
  setLockWait(ms: number): void {
    this.#db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  /**
   * The row of `path`, without its events, or null. Throws
   * {@linkcode RowDamagedError} when it fails its checksum.
   */
  get(path: string): FileRow | null {
    const r = this.#files.get(path);
    return r ? this.decode(r) : null;
  }

  /**
   * The rows of those of `paths` it has, in one statement: one read of the
   * database instead of one per file (each read alone takes and drops
   * SQLite's shared lock, ~4x the time of the row itself). `withEvents`:
   * their events too. A row is checked when taken ({@linkcode IndexStore.decode}),
   * so that a damaged one is met where the file is.
   */
  getMany(paths: string[], withEvents = false): Map<string, StoredRow> {
    return this.#files.getMany(paths, withEvents);
  }

  /**
   * A row read by {@linkcode IndexStore.getMany} (or `get`), checked. Throws
   * {@linkcode RowDamagedError} when it fails its checksum.
   */
  decode(stored: StoredRow): FileRow {
    return decodeRow(stored);
  }

  /**
   * The spend events of `row`, in file order; null when the file's row is
   * no longer that one (another run saved a newer one since it was read).
   */
  events(row: FileRow): SpendEvent[] | null {
    return this.#files.events(row);
  }

  /**
   * What `row` holds besides its state, read together: its events, and its
   * change rows before its change scan's base (none unless `withChanges`);
   * null when the file's row is no longer that one. Throws
   * {@linkcode RowDamagedError} when a change row fails its checksum.
   */
  kept(row: FileRow, withChanges: boolean): { events: SpendEvent[]; changes: ChangeRow[] } | null {
    return this.read(() => {
      const events = this.events(row);
      return events && {
        events,
        changes: withChanges ? this.changes.of(row.path, row.changes.base) : [],
      };
    });
  }

  /**
   * Stores a row, its events and its change rows (inside
   * {@linkcode IndexStore.write}): `changes.rows` replace those from place
   * `changes.from` on (0: all of them).
   */
  put(row: FileRow, events: SpendEvent[], changes: FileChanges): void {
    this.#files.put(row, events);
    this.changes.replace(row.path, changes.from, changes.rows);
  }

  /**
   * Drops the row of `path`, its change rows, search rows and warned damage,
   * if any (inside a write).
   */
  delete(path: string): void {
    this.#files.delete(path);
    this.changes.delete(path);
    this.search.deleteFile(path);
    this.damage.delete(path);
  }

  /**
   * Starts a write transaction, waiting at most the lock wait for another
   * run's to end: false when it did not end (nothing was started).
   */
  begin(): boolean {
    try {
      this.#db.exec("BEGIN IMMEDIATE");
      return true;
    } catch (err) {
      if (isBusy(err)) return false;
      throw err;
    }
  }

  /** Ends the write transaction {@linkcode IndexStore.begin} started, keeping its writes. */
  commit(): void {
    this.pause("write");
    this.#db.exec("COMMIT");
  }

  /** Ends the write transaction, dropping its writes (none if none is open). */
  rollback(): void {
    if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
  }

  /**
   * Runs `fn` in one write transaction: all of its writes land, or none.
   * Throws {@linkcode IndexBusyError} when another run's write does not end
   * within the lock wait.
   */
  write(fn: () => void): void {
    if (!this.begin()) throw new IndexBusyError(this.path);
    try {
      fn();
      this.commit();
    } catch (err) {
      this.rollback();
      throw err;
    }
  }

  /** Runs `fn` in one read transaction: what it reads is one moment's state. */
  read<T>(fn: () => T): T {
    this.#db.exec("BEGIN");
    try {
      return fn();
    } finally {
      this.#db.exec("COMMIT");
    }
  }

  /** Every indexed path with its size (for `index`'s report and pruning). */
  paths(): { path: string; size: number }[] {
    return this.#files.paths();
  }

  /**
   * Drops every row, message text and warned damage included, in one
   * transaction: a run killed while it clears leaves the index as it was.
   * `keepSearch`: message text is kept again from the next run on (a
   * rebuild), else not until `search` is used.
   */
  clear(keepSearch = false): void {
    this.write(() => {
      this.#files.clear();
      this.changes.clear();
      this.damage.clear();
      this.pause("clear");
      this.search.clear(keepSearch);
    });
    // Nothing left to keep: the file shrinks to its tables.
    this.#tryExec("VACUUM");
    this.scrub();
  }

  /**
   * After rows were deleted (secure_delete overwrote them in the database):
   * the write-ahead log, which may still hold their pages as they were, is
   * copied into the database and emptied. Best effort: a run reading at the
   * moment keeps the log alive, and the last run to close empties it.
   */
  scrub(): void {
    this.#tryExec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  /** Runs a statement that another run may stop (busy): then it is not run. */
  #tryExec(sql: string): void {
    try {
      this.#db.exec(sql);
    } catch (err) {
      if (!isBusy(err)) throw err;
    }
  }

  /** Closes the database (its WAL is checkpointed by SQLite when it is the last). */
  close(): void {
    this.#db.close();
  }
}

/**
 * A database for one run's rows that must not stay in memory: SQLite's
 * private temporary database (no name: a file in the temporary directory,
 * removed when closed), its page cache held to about 2 MiB; rows beyond
 * that are on disk, and are read back one at a time by `iterate`.
 */
export interface ScratchDatabase {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: (string | number | bigint | null)[]): unknown;
    get(...params: (string | number | bigint | null)[]): unknown;
    all(...params: (string | number | bigint | null)[]): unknown[];
    iterate(...params: (string | number | bigint | null)[]): IterableIterator<unknown>;
  };
  /**
   * The statement of `sql`, prepared once for this database: for what is
   * asked again and again (a row a page). Not for a statement iterated
   * while another iteration of the same one is open.
   */
  statement(sql: string): ReturnType<ScratchDatabase["prepare"]>;
  close(): void;
}

/**
 * Opens a {@linkcode ScratchDatabase}. Nothing of it is kept after
 * `close` (or after the process ends).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openScratch } from "./store.ts";
 * const db = openScratch();
 * db.exec("CREATE TABLE t (n INTEGER)");
 * db.prepare("INSERT INTO t VALUES (?), (?)").run(2, 1);
 * assert.deepEqual([...db.prepare("SELECT n FROM t ORDER BY n").iterate()].map((r) => (r as { n: number }).n), [1, 2]);
 * assert.equal(db.statement("SELECT 1"), db.statement("SELECT 1"));
 * db.close();
 * ```
 */
export function openScratch(): ScratchDatabase {
  const db = new DatabaseSync("");
  db.exec("PRAGMA cache_size = -2048; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF");
  const sql = db as unknown as Omit<ScratchDatabase, "statement">;
  const prepared = new Map<string, ReturnType<ScratchDatabase["prepare"]>>();
  const statement = (text: string) => {
    let s = prepared.get(text);
    if (s === undefined) prepared.set(text, s = sql.prepare(text));
    return s;
  };
  return {
    exec: (text) => sql.exec(text),
    prepare: (text) => sql.prepare(text),
    statement,
    close: () => sql.close(),
  };
}
