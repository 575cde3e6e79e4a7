/**
 * The index's `changes` table: a row per `edit` or `write` call of each
 * session file (a fork's copies flagged) (transcript/change_rows.ts), keyed by the file's path and the
 * call's place among the session's changes, each under its checksum, and
 * found by the edited file's absolute path. A file's rows are written with
 * its `files` row, in the same transaction (IndexStore): they always answer
 * for the file as that row saw it. This module does not import
 * `node:sqlite`: it is handed the database.
 *
 * @module
 */
import type { ChangeRow } from "../transcript/change_rows.ts";
import { RowDamagedError, rowSum } from "./checksum.ts";
import type { SqlDatabase } from "./search_store.ts";

type Row = Record<string, unknown>;

/** A row found by {@linkcode ChangesTable.find}: the change, and the file row's identity then. */
export interface FoundChange {
  /** The session file. */
  file: string;
  change: ChangeRow;
  /** The `files` row's fingerprint and hashes, in file_row.ts's column names. */
  identity: Row;
}

/** A change row's columns, in the table's order (its checksum apart). */
function changeColumns(file: string, c: ChangeRow): (string | number)[] {
  return [
    file,
    c.ordinal,
    c.index,
    c.tool,
    c.ok ? 1 : 0,
    c.aborted ? 1 : 0,
    c.time,
    c.path,
    c.absolute,
    c.inherited ? 1 : 0,
  ];
}

/** The checksum of a change row: what it holds, its file's path included. */
function changeSum(file: string, c: ChangeRow): string {
  return rowSum(changeColumns(file, c));
}

/** A row read back, or null when it fails its checksum. */
function changeOf(r: Row): ChangeRow | null {
  const change: ChangeRow = {
    ordinal: Number(r.ordinal),
    index: Number(r.idx),
    tool: r.tool === "write" ? "write" : "edit",
    ok: Number(r.ok) === 1,
    aborted: Number(r.aborted) === 1,
    time: String(r.time),
    path: String(r.path),
    absolute: String(r.absolute),
    inherited: Number(r.inherited) === 1,
  };
  return changeSum(String(r.file), change) === r.sum && change.tool === r.tool ? change : null;
}

/**
 * The `changes` table's statements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IndexStore } from "./store.ts";
 *
 * const store = IndexStore.open(":memory:");
 * const change = {
 *   ordinal: 0, index: 3, tool: "edit" as const, ok: true, aborted: false,
 *   time: "2026-11-01T10:00:00Z", path: "a.go", absolute: "/src/a.go", inherited: false,
 * };
 * store.write(() => store.changes.replace("/s.jsonl", 0, [change]));
 * // Rows are found with their file's row only: here there is none.
 * assert.deepEqual(store.changes.find("/src/a.go", ["/s.jsonl"]).found, []);
 * ```
 */
export class ChangesTable {
  /**
   * Asked once a file: prepared once, as a statement left to the garbage
   * collector holds native memory it does not see.
   */
  readonly #of;
  readonly #drop;
  readonly #add;

  constructor(readonly db: SqlDatabase) {
    this.#drop = db.prepare("DELETE FROM changes WHERE file = ? AND ordinal >= ?");
    this.#of = db.prepare("SELECT * FROM changes WHERE file = ? AND ordinal < ? ORDER BY ordinal");
    this.#add = db.prepare(
      `INSERT OR REPLACE INTO changes
       (file, ordinal, idx, tool, ok, aborted, time, path, absolute, inherited, sum)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /**
   * Replaces the rows of `file` from place `from` on with `rows` (inside a
   * write): those before are final, kept as they were.
   */
  replace(file: string, from: number, rows: readonly ChangeRow[]): void {
    this.#drop.run(file, from);
    for (const c of rows) {
      const columns = changeColumns(file, c);
      this.#add.run(...columns, rowSum(columns));
    }
  }

  /** Drops the rows of `file`. */
  delete(file: string): void {
    this.#drop.run(file, 0);
  }

  /** Drops every row. */
  clear(): void {
    this.db.exec("DELETE FROM changes");
  }

  /**
   * The rows of `file` before place `before`, in order. Throws
   * {@linkcode RowDamagedError} when one fails its checksum.
   */
  of(file: string, before: number): ChangeRow[] {
    const rows = this.#of.all(file, before) as Row[];
    return rows.map((r) => {
      const c = changeOf(r);
      if (c === null) throw new RowDamagedError(file);
      return c;
    });
  }

  /**
   * The rows of those of `files` that have a `files` row, whose edited
   * file is `absolute`, each with that row's identity (to tell it is the
   * row the caller checked); and the files with a row that fails its
   * checksum (read them instead).
   */
  find(absolute: string, files: readonly string[]): { found: FoundChange[]; damaged: string[] } {
    const rows = this.db.prepare(
      `SELECT c.*, f.dev, f.ino, f.size, f.mtime_ms, f.ctime_ms, f.head_hash, f.tail_hash
       FROM changes c JOIN files f ON f.path = c.file
       WHERE c.absolute = ? AND c.file IN (SELECT value FROM json_each(?))`,
    ).all(absolute, JSON.stringify(files)) as Row[];
    const found: FoundChange[] = [];
    const damaged = new Set<string>();
    for (const r of rows) {
      const file = r.file as string;
      const change = changeOf(r);
      if (change === null) {
        damaged.add(file);
        continue;
      }
      const { dev, ino, size, mtime_ms, ctime_ms, head_hash, tail_hash } = r;
      const identity = { dev, ino, size, mtime_ms, ctime_ms, head_hash, tail_hash };
      found.push({ file, change, identity });
    }
    return { found: found.filter((f) => !damaged.has(f.file)), damaged: [...damaged] };
  }
}
