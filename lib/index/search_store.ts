/**
 * The index's search tables, on the database {@linkcode IndexStore} opened
 * (this module does not import `node:sqlite`: it is handed the database).
 * Their layout is in schema.ts ({@linkcode SEARCH_SCHEMA}), a row's values
 * and checksum in search_rows.ts.
 *
 * - `search_files`: per session file, where its messages' rows stop (a line
 *   start, the next message's index) and the fingerprint they were read at;
 * - `search_messages`: per message, where its line is (offset, length), its
 *   index, role and time, and in how many pieces its text was indexed; one
 *   row per line (a uniqueness constraint on file and offset);
 * - `search_text` (the body) and `search_tools` (with the tool calls and
 *   results): FTS5 tables of trigrams with no content (`content=''`) and no
 *   positions or columns (`detail=none`, only which rows hold a trigram):
 *   they propose candidates, and the message is then read back from its file
 *   at the saved offset and checked exactly. No message text is stored.
 *
 * Tool output is most of the bytes and costs most of the time to index (on
 * the benchmark's home 93% of the text, ten times the body's time), so it is
 * indexed only once a search asked for it (`--tools`): the info row
 * `search` says `body` or `tools`.
 *
 * A message's text goes in as one row per table: its body in `search_text`,
 * and (tools indexed, and the message has some) its whole searched text,
 * body "\n" tools, in `search_tools`; both with the message's id as rowid.
 * When longer than {@linkcode PIECE_UNITS}, it goes in as pieces that overlap
 * by two characters (so each trigram is whole in some piece), body pieces in
 * `search_text` and tool pieces in `search_tools`, with rowids `id`,
 * `id + 1`, …; the next message's id follows its last piece. Dense rowids
 * keep each trigram's list of rows at about a byte a row.
 *
 * @module
 */
import { fileRow, fileSum, fileValues, messageSum, storedMessage } from "./search_rows.ts";
import type { SearchFileRow, StoredMessage } from "./search_rows.ts";
import { RowDamagedError } from "./checksum.ts";

/** The statements of the database this module runs (the store hands it its database). */
export interface SqlDatabase {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: (string | number | bigint | null)[]): { lastInsertRowid: number | bigint };
    get(...params: (string | number | bigint | null)[]): unknown;
    all(...params: (string | number | bigint | null)[]): unknown[];
  };
}

/** UTF-16 units of text per indexed piece of a long message. */
export const PIECE_UNITS = 1 << 20;

/** Which table a row of text goes to: the body's, or the one with tool text. */
export type TextTable = "search_text" | "search_tools";

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

const TABLES: TextTable[] = ["search_text", "search_tools"];

/** The search tables of one open index. */
export class SearchStore {
  /** Statements prepared once per open database (a row's insert is run thousands of times). */
  #statements = new Map<string, ReturnType<SqlDatabase["prepare"]>>();

  constructor(readonly db: SqlDatabase) {}

  #sql(sql: string): ReturnType<SqlDatabase["prepare"]> {
    let s = this.#statements.get(sql);
    if (s === undefined) this.#statements.set(sql, s = this.db.prepare(sql));
    return s;
  }

  /** Whether message text is indexed (`search` has been used since the last clear). */
  enabled(): boolean {
    return this.#level() !== null;
  }

  /** Whether tool calls and results are indexed too (`search --tools` has been used). */
  withTools(): boolean {
    return this.#level() === "tools";
  }

  #level(): string | null {
    const r = this.#sql("SELECT value FROM info WHERE key = 'search'").get() as Row | undefined;
    return r === undefined ? null : String(r.value);
  }

  /** Starts indexing message text, with tool text or not (inside a write). */
  enable(tools: boolean): void {
    this.#sql("INSERT OR REPLACE INTO info (key, value) VALUES ('search', ?)")
      .run(tools ? "tools" : "body");
  }

  /**
   * Where the rows of `path` stop, or null. Throws
   * {@linkcode RowDamagedError} when the row fails its checksum.
   */
  file(path: string): SearchFileRow | null {
    const r = this.#sql("SELECT * FROM search_files WHERE path = ?").get(path) as
      | Row
      | undefined;
    return r ? fileRow(r) : null;
  }

  /** Every path with search rows. */
  paths(): string[] {
    return (this.#sql("SELECT path FROM search_files").all() as Row[]).map((r) => r.path as string);
  }

  /** Saves where the rows of a file stop (inside a write). */
  putFile(f: SearchFileRow): void {
    this.#sql(
      `INSERT OR REPLACE INTO search_files
       (path, dev, ino, size, mtime_ms, ctime_ms, head_hash, tail_hash, offset, next_index, sum)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...fileValues(f), fileSum(f));
  }

  /** The id the next message gets: after the last message's rows (inside a write). */
  nextId(): number {
    // Ordered by the key, not by the sum (which would read every row).
    const r = this.#sql(
      "SELECT id + max(pieces, 1) AS next FROM search_messages ORDER BY id DESC LIMIT 1",
    ).get() as Row | undefined;
    return r === undefined ? 1 : Number(r.next);
  }

  /**
   * Adds a message's row (inside a write): a second row for its line fails.
   * `pieces` is 1 for a message in one row per table, else how many rowids
   * from `id` on its pieces took (two at least).
   */
  addMessage(id: number, m: StoredMessage, pieces: number): void {
    this.#sql(
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

  /** Adds a row of text to `table` (inside a write). */
  addText(table: TextTable, rowid: number, text: string): void {
    this.#sql(`INSERT INTO ${table} (rowid, text) VALUES (?, ?)`).run(rowid, text);
  }

  /** Drops the search rows of `path` (inside a write). */
  deleteFile(path: string): void {
    const drops = TABLES.map((t) => this.#sql(`DELETE FROM ${t} WHERE rowid >= ? AND rowid < ?`));
    for (
      const r of this.#sql("SELECT id, pieces FROM search_messages WHERE path = ?").all(path)
    ) {
      const id = Number((r as Row).id);
      const end = id + Math.max(1, Number((r as Row).pieces));
      for (const drop of drops) drop.run(id, end);
    }
    this.#sql("DELETE FROM search_messages WHERE path = ?").run(path);
    this.#sql("DELETE FROM search_files WHERE path = ?").run(path);
  }

  /** Drops every search row (inside a write); `keepEnabled` keeps indexing on, at its level. */
  clear(keepEnabled: boolean): void {
    this.db.exec("DELETE FROM search_files");
    this.db.exec("DELETE FROM search_messages");
    for (const t of TABLES) this.db.exec(`INSERT INTO ${t} (${t}) VALUES ('delete-all')`);
    if (!keepEnabled) this.db.exec("DELETE FROM info WHERE key = 'search'");
  }

  /**
   * The rows of `paths` and the messages among them whose indexed text has
   * every one of `phrases` (FTS5 queries, one per trigram), in its body or,
   * with `tools`, in its whole text: for a message in one row, that row has
   * them all; for one in pieces, each is in some piece. With `tools` when
   * tool text is not indexed, no file's rows (all are read directly).
   * A file with a row that fails its checksum is left out (so read
   * directly), and named in `damaged`. Call inside a read, so that files and
   * candidates agree.
   */
  snapshot(paths: Set<string>, phrases: string[], tools = false): SearchSnapshot {
    const files = new Map<string, SearchFileRow>();
    const damaged = new Set<string>();
    const candidates = new Map<string, StoredMessage[]>();
    // Tool text asked for but not indexed: no file's rows can vouch for it.
    if (tools && !this.withTools()) return { files, candidates, damaged: [] };
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
    // The body's rows; with tools, also the rows of body and tools together
    // (a message with tool text has all of its text there).
    const tables: TextTable[] = tools ? TABLES : ["search_text"];
    const all = phrases.join(" AND ");
    const ids = tables.map((t) => `SELECT rowid FROM ${t} WHERE ${t} MATCH ?`).join(" UNION ");
    for (
      const r of this.db.prepare(
        `SELECT * FROM search_messages WHERE pieces = 1 AND id IN (${ids})`,
      ).all(...tables.map(() => all)) as Row[]
    ) add(r);
    // A message in pieces: each trigram in some piece of it.
    const inPiece = tables.map((t) =>
      this.#sql(`SELECT 1 AS x FROM ${t} WHERE ${t} MATCH ? AND rowid >= ? AND rowid < ? LIMIT 1`)
    );
    for (const r of this.db.prepare("SELECT * FROM search_messages WHERE pieces > 1").all()) {
      const id = Number((r as Row).id);
      const [lo, hi] = [id, id + Number((r as Row).pieces)];
      const has = (p: string) => inPiece.some((s) => s.get(p, lo, hi) !== undefined);
      if (phrases.every(has)) add(r as Row);
    }
    for (const list of candidates.values()) list.sort((a, b) => a.offset - b.offset);
    return { files, candidates, damaged: [...damaged] };
  }
}
