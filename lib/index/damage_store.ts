/**
 * The index's memory of damage already warned about: the `damage_warned`
 * table, a row per damaged session file that a run warned about line by
 * line, with the size and mtime the file had then. A later run meeting the
 * same file at the same size and mtime has met the same damage: it says so
 * in one line instead of again line by line. A file that changed is warned
 * about anew (and remembered at its new size and mtime).
 *
 * No checksum, unlike the rows that answer for a file: a wrong row here can
 * only make a warning be shown again, or be shown in one line. What gc
 * removes, and what a clear empties, goes from here too (IndexStore).
 *
 * @module
 */
import type { SqlDatabase } from "./search_store.ts";

/** A file as its damage is remembered: where, and its size and mtime then. */
export interface DamageMark {
  path: string;
  bytes: number;
  mtimeMs: number;
}

/**
 * The `damage_warned` table's statements (IndexStore holds the one
 * database; this is its part for warned damage).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DamageStore } from "./damage_store.ts";
 *
 * const rows = [{ path: "/a.jsonl", size: 10, mtime_ms: 5 }];
 * const db = {
 *   exec: () => {},
 *   prepare: () => ({ run: () => ({ lastInsertRowid: 0 }), get: () => undefined, all: () => rows }),
 * };
 * const store = new DamageStore(db, (fn) => fn());
 * const seen = store.warned([
 *   { path: "/a.jsonl", bytes: 10, mtimeMs: 5 },
 *   { path: "/b.jsonl", bytes: 10, mtimeMs: 5 },
 * ], false);
 * assert.deepEqual([...seen], ["/a.jsonl"]);
 * assert.deepEqual([...store.warned([{ path: "/a.jsonl", bytes: 11, mtimeMs: 6 }], false)], []);
 * ```
 */
export class DamageStore {
  readonly #put;
  readonly #delete;

  /** `write` runs a function in one write transaction (IndexStore.write). */
  constructor(readonly db: SqlDatabase, private readonly write: (fn: () => void) => void) {
    this.#put = db.prepare(
      "INSERT OR REPLACE INTO damage_warned (path, size, mtime_ms) VALUES (?, ?, ?)",
    );
    this.#delete = db.prepare("DELETE FROM damage_warned WHERE path = ?");
  }

  /**
   * The paths of `files` warned about before at the size and mtime they have
   * now. With `remember`, the others are remembered as warned about now, in
   * one write (which throws IndexBusyError when another run's write does not
   * end in time).
   */
  warned(files: DamageMark[], remember: boolean): Set<string> {
    if (files.length === 0) return new Set();
    const rows = this.db.prepare(
      `SELECT path, size, mtime_ms FROM damage_warned
       WHERE path IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(files.map((f) => f.path))) as Record<string, unknown>[];
    const kept = new Map(rows.map((r) => [r.path as string, r]));
    const out = new Set<string>();
    for (const f of files) {
      const r = kept.get(f.path);
      if (r && Number(r.size) === f.bytes && Number(r.mtime_ms) === f.mtimeMs) out.add(f.path);
    }
    const fresh = files.filter((f) => !out.has(f.path));
    if (remember && fresh.length > 0) {
      this.write(() => fresh.forEach((f) => this.#put.run(f.path, f.bytes, f.mtimeMs)));
    }
    return out;
  }

  /** Forgets a file (gc removed or moved it; inside a write). */
  delete(path: string): void {
    this.#delete.run(path);
  }

  /** Forgets every file (inside a write). */
  clear(): void {
    this.db.exec("DELETE FROM damage_warned");
  }
}
