/**
 * The index's search tables, on the database {@linkcode IndexStore} opened
 * (this module does not import `node:sqlite`: it is handed the database).
 *
 * - `search_files`: per session file, where its messages' rows stop (a line
 *   start, the next message's index) and the fingerprint they were read at;
 * - `search_messages`: per message, where its line is (offset, length), its
 *   index, role and time, and in how many pieces its text was indexed; one
 *   row per line (a uniqueness constraint on file and offset);
 * - `search_text`: an FTS5 table of trigrams with no content (`content=''`):
 *   it proposes candidates, and the message is then read back from its file
 *   at the saved offset and checked exactly. No message text is stored.
 *
 * A message's text goes in as one row, or, when longer than
 * {@linkcode PIECE_UNITS}, as pieces of one column each that overlap by two
 * characters (so each trigram is whole in some piece); its rows' ids are
 * `message id × 2^20 + piece`.
 *
 * @module
 */
import type { Fingerprint } from "./fingerprint.ts";
import { RowDamagedError, rowSum } from "./checksum.ts";

/** The statements of the database this module runs (the store hands it its database). */
export interface SqlDatabase {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: (string | number | bigint | null)[]): { lastInsertRowid: number | bigint };
    get(...params: (string | number | bigint | null)[]): unknown;
    all(...params: (string | number | bigint | null)[]): unknown[];
  };
}

/** The search tables (part of the index's schema). */
export const SEARCH_SCHEMA = `
CREATE TABLE search_files (
  path TEXT PRIMARY KEY,
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  ctime_ms REAL NOT NULL,
  head_hash TEXT NOT NULL,
  tail_hash TEXT NOT NULL,
  offset INTEGER NOT NULL,
  next_index INTEGER NOT NULL,
  sum TEXT NOT NULL
);
CREATE TABLE search_messages (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  role TEXT NOT NULL,
  time TEXT NOT NULL,
  pieces INTEGER NOT NULL,
  sum TEXT NOT NULL,
  UNIQUE (path, offset)
);
-- No positions (detail = 'column'), no content: a term is asked for as its
-- trigrams, and every candidate is read back and checked exactly.
CREATE VIRTUAL TABLE search_text USING fts5(
  body, tools, content = '', contentless_delete = 1, tokenize = 'trigram', detail = 'column'
);
-- A deleted message's trigrams leave the index at once, not at a later merge.
INSERT INTO search_text (search_text, rank) VALUES ('secure-delete', 1);
`;

/** UTF-16 units of text per indexed piece of a long message. */
export const PIECE_UNITS = 1 << 20;
/** Row ids per message in `search_text`. */
export const PIECES_PER_MESSAGE = 2 ** 20;

/** Where a file's search rows stop: a line start, and the next message's index. */
export interface SearchFileRow extends Fingerprint {
  path: string;
  headHash: string;
  tailHash: string;
  offset: number;
  nextIndex: number;
}

/** A message as the search tables keep it (its text is in the file). */
export interface StoredMessage {
  path: string;
  offset: number;
  length: number;
  index: number;
  role: string;
  time: string;
}

/** What the search tables held at one moment, for some files. */
export interface SearchSnapshot {
  /** Each file's row (files with none are absent). */
  files: Map<string, SearchFileRow>;
  /** The candidates of each file, in file order. */
  candidates: Map<string, StoredMessage[]>;
  /** Files whose rows failed their checksum (left out of `files`). */
  damaged: string[];
}

type Row = Record<string, unknown>;

/** The search tables of one open index. */
export class SearchStore {
  constructor(readonly db: SqlDatabase) {}

  /** Whether message text is indexed (`search` has been used since the last clear). */
  enabled(): boolean {
    return this.db.prepare("SELECT 1 AS x FROM info WHERE key = 'search'").get() !== undefined;
  }

  /** Starts indexing message text (inside a write). */
  enable(): void {
    this.db.prepare("INSERT OR REPLACE INTO info (key, value) VALUES ('search', '1')").run();
  }

  /**
   * Where the rows of `path` stop, or null. Throws
   * {@linkcode RowDamagedError} when the row fails its checksum.
   */
  file(path: string): SearchFileRow | null {
    const r = this.db.prepare("SELECT * FROM search_files WHERE path = ?").get(path) as
      | Row
      | undefined;
    return r ? fileRow(r) : null;
  }

  /** Every path with search rows. */
  paths(): string[] {
    return (this.db.prepare("SELECT path FROM search_files").all() as Row[]).map((r) =>
      r.path as string
    );
  }

  /** Saves where the rows of a file stop (inside a write). */
  putFile(f: SearchFileRow): void {
    this.db.prepare(
      `INSERT OR REPLACE INTO search_files
       (path, dev, ino, size, mtime_ms, ctime_ms, head_hash, tail_hash, offset, next_index, sum)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      f.path,
      f.dev,
      f.ino,
      f.size,
      f.mtimeMs,
      f.ctimeMs,
      f.headHash,
      f.tailHash,
      f.offset,
      f.nextIndex,
      fileSum(f),
    );
  }

  /** The id the next message gets (inside a write). */
  nextId(): number {
    const r = this.db.prepare("SELECT coalesce(max(id), 0) + 1 AS id FROM search_messages")
      .get() as Row;
    return Number(r.id);
  }

  /** Adds a message's row (inside a write): a second row for its line fails. */
  addMessage(id: number, m: StoredMessage, pieces: number): void {
    this.db.prepare(
      `INSERT INTO search_messages (id, path, offset, length, idx, role, time, pieces, sum)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      m.path,
      m.offset,
      m.length,
      m.index,
      m.role,
      m.time,
      pieces,
      messageSum(id, m, pieces),
    );
  }

  /** Adds one piece of a message's text (inside a write). */
  addText(id: number, piece: number, body: string, tools: string): void {
    this.db.prepare("INSERT INTO search_text (rowid, body, tools) VALUES (?, ?, ?)")
      .run(id * PIECES_PER_MESSAGE + piece, body, tools);
  }

  /** Drops the search rows of `path` (inside a write). */
  deleteFile(path: string): void {
    const text = this.db.prepare("DELETE FROM search_text WHERE rowid >= ? AND rowid < ?");
    for (const r of this.db.prepare("SELECT id FROM search_messages WHERE path = ?").all(path)) {
      const id = Number((r as Row).id);
      text.run(id * PIECES_PER_MESSAGE, (id + 1) * PIECES_PER_MESSAGE);
    }
    this.db.prepare("DELETE FROM search_messages WHERE path = ?").run(path);
    this.db.prepare("DELETE FROM search_files WHERE path = ?").run(path);
  }

  /** Drops every search row (inside a write); `keepEnabled` keeps indexing on. */
  clear(keepEnabled: boolean): void {
    this.db.exec("DELETE FROM search_files");
    this.db.exec("DELETE FROM search_messages");
    this.db.exec("INSERT INTO search_text (search_text) VALUES ('delete-all')");
    if (!keepEnabled) this.db.exec("DELETE FROM info WHERE key = 'search'");
  }

  /**
   * The rows of `paths` and the messages among them whose indexed text has
   * every one of `phrases` (FTS5 queries, one per trigram): for a message in
   * one row, that row has them all; for one in pieces, each is in some piece.
   * A file with a row that fails its checksum is left out (so read
   * directly), and named in `damaged`. Call inside a read, so that files and
   * candidates agree.
   */
  snapshot(paths: Set<string>, phrases: string[]): SearchSnapshot {
    const files = new Map<string, SearchFileRow>();
    const damaged = new Set<string>();
    for (const r of this.db.prepare("SELECT * FROM search_files").all() as Row[]) {
      const path = r.path as string;
      if (!paths.has(path)) continue;
      try {
        files.set(path, fileRow(r));
      } catch (err) {
        if (!(err instanceof RowDamagedError)) throw err;
        damaged.add(path);
      }
    }
    const candidates = new Map<string, StoredMessage[]>();
    const add = (r: Row) => {
      if (!files.has(r.path as string)) return;
      let m: StoredMessage;
      try {
        m = storedMessage(r);
      } catch (err) {
        if (!(err instanceof RowDamagedError)) throw err;
        damaged.add(r.path as string);
        files.delete(r.path as string);
        candidates.delete(r.path as string);
        return;
      }
      const list = candidates.get(m.path) ?? [];
      if (list.length === 0) candidates.set(m.path, list);
      list.push(m);
    };
    const all = phrases.join(" AND ");
    for (
      const r of this.db.prepare(
        `SELECT * FROM search_messages WHERE pieces = 1 AND id IN
         (SELECT rowid / ${PIECES_PER_MESSAGE} FROM search_text WHERE search_text MATCH ?)`,
      ).all(all) as Row[]
    ) add(r);
    const inPiece = this.db.prepare(
      "SELECT 1 AS x FROM search_text WHERE search_text MATCH ? AND rowid >= ? AND rowid < ? LIMIT 1",
    );
    for (const r of this.db.prepare("SELECT * FROM search_messages WHERE pieces > 1").all()) {
      const id = Number((r as Row).id);
      const [lo, hi] = [id * PIECES_PER_MESSAGE, (id + 1) * PIECES_PER_MESSAGE];
      if (phrases.every((p) => inPiece.get(p, lo, hi) !== undefined)) add(r as Row);
    }
    for (const list of candidates.values()) list.sort((a, b) => a.offset - b.offset);
    return { files, candidates, damaged: [...damaged] };
  }
}

function fileRow(r: Row): SearchFileRow {
  const row: SearchFileRow = {
    path: r.path as string,
    dev: Number(r.dev),
    ino: Number(r.ino),
    size: Number(r.size),
    mtimeMs: Number(r.mtime_ms),
    ctimeMs: Number(r.ctime_ms),
    headHash: r.head_hash as string,
    tailHash: r.tail_hash as string,
    offset: Number(r.offset),
    nextIndex: Number(r.next_index),
  };
  if (fileSum(row) !== r.sum) throw new RowDamagedError(row.path);
  return row;
}

function fileSum(f: SearchFileRow): string {
  return rowSum([
    f.path,
    f.dev,
    f.ino,
    f.size,
    f.mtimeMs,
    f.ctimeMs,
    f.headHash,
    f.tailHash,
    f.offset,
    f.nextIndex,
  ]);
}

function storedMessage(r: Row): StoredMessage {
  const m: StoredMessage = {
    path: r.path as string,
    offset: Number(r.offset),
    length: Number(r.length),
    index: Number(r.idx),
    role: r.role as string,
    time: r.time as string,
  };
  if (messageSum(Number(r.id), m, Number(r.pieces)) !== r.sum) throw new RowDamagedError(m.path);
  return m;
}

function messageSum(id: number, m: StoredMessage, pieces: number): string {
  return rowSum([id, m.path, m.offset, m.length, m.index, m.role, m.time, pieces]);
}
