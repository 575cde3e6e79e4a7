/**
 * The index's database: one SQLite file (WAL, a busy timeout) with a row per
 * session file, keyed by absolute path. The only module that imports
 * `node:sqlite`. A row holds the file's fingerprint, the saved scan state
 * (offset at a complete line, summary, ledger) and the file's spend events,
 * in a compact column form. Once `search` has been used, also each message's
 * text (an FTS5 table, trigram tokens) with a per-file offset to resume from.
 *
 * Longer than 300 lines because it is the database's one module: every
 * statement the index runs is here, so `node:sqlite` is imported once.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import type { SpendEvent } from "../scan/ledger.ts";
import { SCAN_FORMAT, type ScanState } from "../scan/session_scan.ts";
import { NO_PAUSE, type Pause } from "./pause.ts";

/**
 * The version of the database's layout and of what its rows mean: a file of
 * another version is rebuilt (its rows dropped), never read.
 */
export const INDEX_VERSION = `1.${SCAN_FORMAT}`;

/** What identifies a file's bytes without reading them. */
export interface Fingerprint {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** A file's row. */
export interface FileRow extends Fingerprint {
  path: string;
  /** Hash of the first min(4 KiB, offset) bytes. */
  headHash: string;
  /** Hash of the up to 4 KiB before the saved offset. */
  tailHash: string;
  state: ScanState;
}

/** Raised when the database file is not one, or fails its check. */
export class IndexDamagedError extends Error {}

/**
 * Spend events in columns: one JSON array per field, strings (model,
 * provider) numbered in a table. Parsing arrays of numbers is several
 * times faster than arrays of objects.
 */
interface EventColumns {
  names: string[];
  t: number[];
  m: number[];
  p: number[];
  c: number[]; // 5 per event: in, out, cache read, cache write, nanos
  o: number[];
}

function encodeEvents(events: SpendEvent[]): string {
  const names: string[] = [];
  const index = new Map<string, number>();
  const id = (s: string) => {
    let i = index.get(s);
    if (i === undefined) index.set(s, i = names.push(s) - 1);
    return i;
  };
  const cols: EventColumns = { names, t: [], m: [], p: [], c: [], o: [] };
  for (const e of events) {
    cols.t.push(e.timeMs);
    cols.m.push(id(e.model));
    cols.p.push(id(e.provider));
    const s = e.spend;
    cols.c.push(s.inputTokens, s.outputTokens, s.cacheReadTokens, s.cacheWriteTokens, s.costNanos);
    cols.o.push(e.ordinal);
  }
  return JSON.stringify(cols);
}

function decodeEvents(text: string): SpendEvent[] {
  const cols = JSON.parse(text) as EventColumns;
  const out: SpendEvent[] = new Array(cols.t.length);
  for (let i = 0; i < cols.t.length; i++) {
    const c = cols.c;
    out[i] = {
      timeMs: cols.t[i],
      model: cols.names[cols.m[i]],
      provider: cols.names[cols.p[i]],
      spend: {
        inputTokens: c[5 * i],
        outputTokens: c[5 * i + 1],
        cacheReadTokens: c[5 * i + 2],
        cacheWriteTokens: c[5 * i + 3],
        costNanos: c[5 * i + 4],
      },
      ordinal: cols.o[i],
    };
  }
  return out;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY,
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  tail_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  events TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_files (
  path TEXT PRIMARY KEY,
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  tail_hash TEXT NOT NULL,
  offset INTEGER NOT NULL,
  next_index INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS search_messages (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  idx INTEGER NOT NULL,
  role TEXT NOT NULL,
  time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_messages_path ON search_messages (path);
-- No positions (detail = 'column'): a third of the size; a term is asked
-- for as its trigrams, and every candidate is checked exactly.
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
  body, tools, tokenize = 'trigram', detail = 'column'
);
`;

const CLEAR_SEARCH = `
DELETE FROM search_files;
DELETE FROM search_messages;
DELETE FROM search_text;
DELETE FROM info WHERE key = 'search';
`;

/** Where a file's search rows stop: a line start, and the next message's index. */
export interface SearchFileRow extends Fingerprint {
  path: string;
  headHash: string;
  tailHash: string;
  offset: number;
  nextIndex: number;
}

/** One message's text as stored for search. */
export interface StoredMessage {
  path: string;
  index: number;
  role: string;
  time: string;
  body: string;
  tools: string;
}

type Row = Record<string, unknown>;

/**
 * The index database. Methods are synchronous (SQLite's are): each call is
 * short, and a run's writes go in one transaction ({@linkcode IndexStore.write}).
 */
export class IndexStore {
  readonly #db: DatabaseSync;
  readonly #get;
  readonly #getEvents;
  readonly #put;
  readonly #delete;

  private constructor(
    db: DatabaseSync,
    readonly path: string,
    /** The test seam ({@linkcode Pause}): `clear` and `write` stop there when asked. */
    readonly pause: Pause,
  ) {
    this.#db = db;
    this.#get = db.prepare(
      "SELECT path, dev, ino, size, mtime_ms, head_hash, tail_hash, state FROM files WHERE path = ?",
    );
    // The row read before, not a newer one another run saved since.
    this.#getEvents = db.prepare(
      `SELECT events FROM files WHERE path = ? AND dev = ? AND ino = ? AND size = ?
       AND mtime_ms = ? AND head_hash = ? AND tail_hash = ?`,
    );
    this.#put = db.prepare(
      `INSERT OR REPLACE INTO files (path, dev, ino, size, mtime_ms, head_hash, tail_hash, state, events)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#delete = db.prepare("DELETE FROM files WHERE path = ?");
  }

  /**
   * Opens (creating) the database at `path`. A file that is no SQLite
   * database, or fails its check, throws {@linkcode IndexDamagedError}; a
   * file of another {@linkcode INDEX_VERSION} is emptied and reused.
   */
  static open(path: string, pause: Pause = NO_PAUSE): IndexStore {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
    } catch (err) {
      throw damaged(err);
    }
    try {
      db.exec("PRAGMA busy_timeout = 10000");
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
      // No quick_check here: it reads every page (6 ms at 600 sessions, and
      // growing). A file that is no database fails above; damage inside is
      // met by the query that reads it (isDamage), and the file is then
      // moved aside when the run ends.
      db.exec(SCHEMA);
      const version = db.prepare("SELECT value FROM info WHERE key = 'version'").get() as
        | Row
        | undefined;
      if (version?.value !== INDEX_VERSION) {
        db.exec("BEGIN IMMEDIATE");
        db.exec("DELETE FROM files");
        db.exec(CLEAR_SEARCH);
        db.prepare("INSERT OR REPLACE INTO info (key, value) VALUES ('version', ?)").run(
          INDEX_VERSION,
        );
        db.exec("COMMIT");
      }
    } catch (err) {
      try {
        db.close();
      } catch {
        // already unusable
      }
      if (isBusy(err)) throw err;
      throw err instanceof IndexDamagedError ? err : damaged(err);
    }
    return new IndexStore(db, path, pause);
  }

  /** The row of `path`, without its events, or null. */
  get(path: string): FileRow | null {
    const r = this.#get.get(path) as Row | undefined;
    if (!r) return null;
    return {
      path: r.path as string,
      ...fingerprintOf(r),
      state: JSON.parse(r.state as string) as ScanState,
    };
  }

  /**
   * The spend events of `row`, in file order; null when the file's row is
   * no longer that one (another run saved a newer one since it was read).
   */
  events(row: FileRow): SpendEvent[] | null {
    const r = this.#getEvents.get(
      row.path,
      row.dev,
      row.ino,
      row.size,
      row.mtimeMs,
      row.headHash,
      row.tailHash,
    ) as Row | undefined;
    return r ? decodeEvents(r.events as string) : null;
  }

  /** Stores a row and its events (inside {@linkcode IndexStore.write} for speed). */
  put(row: FileRow, events: SpendEvent[]): void {
    this.#put.run(
      row.path,
      row.dev,
      row.ino,
      row.size,
      row.mtimeMs,
      row.headHash,
      row.tailHash,
      JSON.stringify(row.state),
      encodeEvents(events),
    );
  }

  /** Drops the row of `path` and its search rows, if any. */
  delete(path: string): void {
    this.#delete.run(path);
    this.deleteSearch(path);
  }

  /** Whether message text is kept (`search` has been used since the last clear). */
  searchEnabled(): boolean {
    return this.#db.prepare("SELECT 1 AS x FROM info WHERE key = 'search'").get() !== undefined;
  }

  /** Starts keeping message text. */
  enableSearch(): void {
    this.#db.prepare("INSERT OR REPLACE INTO info (key, value) VALUES ('search', '1')").run();
  }

  /** Where the search rows of `path` stop, or null. */
  searchFile(path: string): SearchFileRow | null {
    const r = this.#db.prepare("SELECT * FROM search_files WHERE path = ?").get(path) as
      | Row
      | undefined;
    if (!r) return null;
    return {
      path: r.path as string,
      ...fingerprintOf(r),
      offset: Number(r.offset),
      nextIndex: Number(r.next_index),
    };
  }

  /** Every path with search rows. */
  searchPaths(): string[] {
    return (this.#db.prepare("SELECT path FROM search_files").all() as Row[]).map((r) =>
      r.path as string
    );
  }

  /** Saves where the search rows of a file stop (inside {@linkcode IndexStore.write}). */
  putSearchFile(f: SearchFileRow): void {
    this.#db.prepare(
      `INSERT OR REPLACE INTO search_files
       (path, dev, ino, size, mtime_ms, head_hash, tail_hash, offset, next_index)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(f.path, f.dev, f.ino, f.size, f.mtimeMs, f.headHash, f.tailHash, f.offset, f.nextIndex);
  }

  /** Adds messages' text (inside {@linkcode IndexStore.write}). */
  addMessages(messages: StoredMessage[]): void {
    const meta = this.#db.prepare(
      "INSERT INTO search_messages (path, idx, role, time) VALUES (?, ?, ?, ?)",
    );
    const text = this.#db.prepare("INSERT INTO search_text (rowid, body, tools) VALUES (?, ?, ?)");
    for (const m of messages) {
      const id = meta.run(m.path, m.index, m.role, m.time).lastInsertRowid;
      text.run(id, m.body, m.tools);
    }
  }

  /** Drops the search rows of `path`. */
  deleteSearch(path: string): void {
    this.#db.prepare(
      "DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_messages WHERE path = ?)",
    ).run(path);
    this.#db.prepare("DELETE FROM search_messages WHERE path = ?").run(path);
    this.#db.prepare("DELETE FROM search_files WHERE path = ?").run(path);
  }

  /**
   * Messages whose text matches an FTS5 query (`null`: every message of
   * `paths`). Either way only the messages of `paths` are returned.
   */
  searchMessages(query: string | null, paths: Set<string>): StoredMessage[] {
    const select = `SELECT m.path, m.idx, m.role, m.time, t.body, t.tools
      FROM search_text t JOIN search_messages m ON m.id = t.rowid`;
    const rows: Row[] = [];
    if (query !== null) {
      for (const r of this.#db.prepare(`${select} WHERE search_text MATCH ?`).all(query) as Row[]) {
        if (paths.has(r.path as string)) rows.push(r);
      }
    } else {
      const each = this.#db.prepare(`${select} WHERE m.path = ?`);
      for (const p of paths) rows.push(...each.all(p) as Row[]);
    }
    return rows.map((r) => ({
      path: r.path as string,
      index: Number(r.idx),
      role: r.role as string,
      time: r.time as string,
      body: r.body as string,
      tools: r.tools as string,
    }));
  }

  /** Runs `fn` in one transaction: all of its writes land, or none. */
  write(fn: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      fn();
      this.pause("write");
      this.#db.exec("COMMIT");
    } catch (err) {
      this.#db.exec("ROLLBACK");
      throw err;
    }
  }

  /** Every indexed path with its size (for `index`'s report and pruning). */
  paths(): { path: string; size: number }[] {
    return (this.#db.prepare("SELECT path, size FROM files").all() as Row[]).map((r) => ({
      path: r.path as string,
      size: Number(r.size),
    }));
  }

  /** Drops every row, message text included (search indexes again when next used). */
  clear(): void {
    this.#db.exec("DELETE FROM files");
    this.#db.exec("DELETE FROM search_files");
    this.#db.exec("DELETE FROM search_messages");
    this.pause("clear");
    this.#db.exec("DELETE FROM search_text");
    this.#db.exec("DELETE FROM info WHERE key = 'search'");
  }

  /** Closes the database (its WAL is checkpointed by SQLite when it is the last). */
  close(): void {
    this.#db.close();
  }
}

function damaged(err: unknown): IndexDamagedError {
  return new IndexDamagedError(err instanceof Error ? err.message : String(err));
}

/** Whether an error is SQLite's "busy"/"locked" (another run holds the database). */
export function isBusy(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /\b(SQLITE_BUSY|SQLITE_LOCKED|database is locked|database table is locked)\b/i.test(text);
}

/** Whether an error says the database file is damaged (not busy, not full). */
export function isDamage(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /\b(SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database)\b/i.test(text);
}

/** A row's fingerprint and hashes (the files and search_files tables share them). */
function fingerprintOf(r: Row): Fingerprint & { headHash: string; tailHash: string } {
  return {
    dev: Number(r.dev),
    ino: Number(r.ino),
    size: Number(r.size),
    mtimeMs: Number(r.mtime_ms),
    headHash: r.head_hash as string,
    tailHash: r.tail_hash as string,
  };
}
