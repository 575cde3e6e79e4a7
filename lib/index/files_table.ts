/**
 * The index's `files` table: a row per session file, keyed by absolute path,
 * with its fingerprint, hashes, saved scan and change scan states and spend events (in the
 * column form of event_columns.ts), each row under its checksum
 * (file_row.ts). This module does not import `node:sqlite`: it is handed
 * the database {@linkcode IndexStore} opened, which runs its statements in
 * its transactions, as it does those of search_store.ts and damage_store.ts.
 *
 * @module
 */
import type { SpendEvent } from "../scan/ledger.ts";
import type { SqlDatabase } from "./search_store.ts";
import { rowSum } from "./checksum.ts";
import { checkedEvents, encodeEvents } from "./event_columns.ts";
import { changesColumnText, type FileRow, fileSum, type StoredRow } from "./file_row.ts";

type Row = Record<string, unknown>;

/**
 * The `files` table's statements (IndexStore holds the one database; this
 * is its part for the files' rows). Rows come back as read, unchecked
 * ({@linkcode StoredRow}): the store checks them (`decodeRow`, file_row.ts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FilesTable } from "./files_table.ts";
 *
 * const rows = [{ path: "/a.jsonl", size: 10 }];
 * const db = {
 *   exec: () => {},
 *   prepare: () => ({ run: () => ({ lastInsertRowid: 0 }), get: () => undefined, all: () => rows }),
 * };
 * const files = new FilesTable(db);
 * assert.deepEqual(files.paths(), [{ path: "/a.jsonl", size: 10 }]);
 * assert.equal(files.get("/b.jsonl"), null);
 * ```
 */
export class FilesTable {
  readonly #get;
  readonly #getEvents;
  readonly #put;
  readonly #delete;
  /**
   * getMany's two statements (without, with events), prepared once as the
   * others are: one prepared a call left a statement per 128 rows to the
   * garbage collector, whose native memory it does not see (a warm read of
   * 32,000 sessions held ~37 MiB of them).
   */
  readonly #getMany: ReturnType<SqlDatabase["prepare"]>[];

  constructor(readonly db: SqlDatabase) {
    this.#get = db.prepare(
      `SELECT path, dev, ino, size, mtime_ms, ctime_ms, head_hash, tail_hash, state, changes_state,
       events_sum, sum FROM files WHERE path = ?`,
    );
    // The row read before, not a newer one another run saved since.
    this.#getEvents = db.prepare(
      `SELECT events, events_sum FROM files WHERE path = ? AND dev = ? AND ino = ? AND size = ?
       AND mtime_ms = ? AND ctime_ms = ? AND head_hash = ? AND tail_hash = ?`,
    );
    this.#put = db.prepare(
      `INSERT OR REPLACE INTO files
       (path, dev, ino, size, mtime_ms, ctime_ms, head_hash, tail_hash, state, changes_state,
        events, events_sum, sum)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#delete = db.prepare("DELETE FROM files WHERE path = ?");
    this.#getMany = [false, true].map((withEvents) =>
      db.prepare(
        `SELECT path, dev, ino, size, mtime_ms, ctime_ms, head_hash, tail_hash, state,
         changes_state, events_sum, sum${withEvents ? ", events" : ""} FROM files
         WHERE path IN (SELECT value FROM json_each(?))`,
      )
    );
  }

  /** The row of `path`, without its events, unchecked; or null. */
  get(path: string): StoredRow | null {
    const r = this.#get.get(path) as Row | undefined;
    return r ? { path, values: r } : null;
  }

  /**
   * The rows of those of `paths` it has, in one statement: one read of the
   * database instead of one per file (each read alone takes and drops
   * SQLite's shared lock, ~4x the time of the row itself). `withEvents`:
   * their events too.
   */
  getMany(paths: string[], withEvents = false): Map<string, StoredRow> {
    const rows = this.#getMany[withEvents ? 1 : 0].all(JSON.stringify(paths)) as Row[];
    return new Map(rows.map((r) => [r.path as string, { path: r.path as string, values: r }]));
  }

  /**
   * The spend events of `row`, in file order; null when the file's row is
   * no longer that one (another run saved a newer one since it was read).
   */
  events(row: FileRow): SpendEvent[] | null {
    if (row.readEvents) {
      const { text, sum } = row.readEvents;
      return checkedEvents(row.path, text, sum);
    }
    const r = this.#getEvents.get(...identity(row)) as Row | undefined;
    if (!r) return null;
    return checkedEvents(row.path, r.events as string, r.events_sum as string);
  }

  /** Stores a row and its events. */
  put(row: FileRow, events: SpendEvent[]): void {
    const state = JSON.stringify(row.state);
    const changes = changesColumnText(row);
    const eventsText = encodeEvents(events);
    const eventsSum = rowSum([eventsText]);
    this.#put.run(
      ...identity(row),
      state,
      changes,
      eventsText,
      eventsSum,
      fileSum(row.path, row, [state, changes], eventsSum),
    );
  }

  /** Drops the row of `path`, if any. */
  delete(path: string): void {
    this.#delete.run(path);
  }

  /** Drops every row. */
  clear(): void {
    this.db.exec("DELETE FROM files");
  }

  /** Every row's path with its file's size. */
  paths(): { path: string; size: number }[] {
    return (this.db.prepare("SELECT path, size FROM files").all() as Row[]).map((r) => ({
      path: r.path as string,
      size: Number(r.size),
    }));
  }
}

/**
 * What names a file's row in the statements, in their column order: its
 * path, fingerprint and the two hashes (`FileRow`'s).
 */
function identity(row: FileRow): [string, number, number, number, number, number, string, string] {
  return [
    row.path,
    row.dev,
    row.ino,
    row.size,
    row.mtimeMs,
    row.ctimeMs,
    row.headHash,
    row.tailHash,
  ];
}
