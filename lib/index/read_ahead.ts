/**
 * Reading the index's rows ahead of the scans that want them
 * ({@linkcode RowReadAhead}): the files a run will ask for are announced in
 * order, and their rows are read {@linkcode AHEAD} at a time, in one
 * statement each, as the scans reach them; each row read ahead is taken once.
 *
 * @module
 */
import type { FileRow, StoredRow } from "./file_row.ts";
import type { IndexStore } from "./store.ts";

/**
 * Rows read per statement by {@linkcode RowReadAhead}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AHEAD } from "./read_ahead.ts";
 *
 * assert.equal(AHEAD, 128);
 * ```
 */
export const AHEAD = 128;

/**
 * The rows of the files a run announced, read ahead as it reaches them
 * (moved from `IndexSource`, which announces them in `prefetch`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IndexStore } from "./store.ts";
 * import { RowReadAhead } from "./read_ahead.ts";
 *
 * const store = IndexStore.open(":memory:");
 * const rows = new RowReadAhead(store);
 * rows.plan(["/a.jsonl", "/b.jsonl"], false);
 * assert.equal(rows.row("/a.jsonl"), null); // not indexed
 * assert.equal(rows.row("/elsewhere.jsonl"), null); // not announced: read now
 * ```
 */
export class RowReadAhead {
  /** Rows read ahead, each taken once. */
  #ahead = new Map<string, StoredRow | null>();
  /** The files announced by {@linkcode RowReadAhead.plan}, in order, and where each is. */
  #planned: { paths: string[]; at: Map<string, number>; withEvents: boolean } | null = null;
  /** How far into the planned files rows were read. */
  #readTo = 0;

  constructor(readonly store: IndexStore) {}

  /** Announces the files whose rows are asked for next, in order (`withEvents`: their events too). */
  plan(paths: string[], withEvents: boolean): void {
    this.#planned = { paths, at: new Map(paths.map((p, i) => [p, i])), withEvents };
    this.#readTo = 0;
    this.#ahead.clear();
  }

  /** The row of `path`: the one read ahead (once), else read now. */
  row(path: string): FileRow | null {
    const plan = this.#planned;
    const i = plan?.at.get(path);
    if (plan && i !== undefined && i >= this.#readTo && !this.#ahead.has(path)) {
      const paths = plan.paths.slice(i, i + AHEAD);
      const rows = this.store.getMany(paths, plan.withEvents);
      for (const p of paths) this.#ahead.set(p, rows.get(p) ?? null);
      this.#readTo = i + paths.length;
    }
    const ahead = this.#ahead.get(path);
    if (ahead === undefined) return this.store.get(path);
    this.#ahead.delete(path);
    return ahead && this.store.decode(ahead);
  }
}
