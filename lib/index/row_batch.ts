/**
 * The rows a run of the index saves ({@linkcode RowBatch}): each file's
 * fingerprint, hashes, scan state, events and change rows, written in
 * batches while the run goes on and the rest when it ends.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import type { SpendEvent } from "../scan/ledger.ts";
import type { ScanState } from "../scan/session_scan.ts";
import { hashes } from "./compare.ts";
import type { FileRow } from "./file_row.ts";
import type { OwnPaths } from "./own_paths.ts";
import type { FileChanges } from "./store.ts";
import type { ChangeScanState } from "../transcript/change_scan.ts";
import type { Fingerprint } from "./fingerprint.ts";

/** A file's rows as a run saves them. */
export interface SavedRow {
  row: FileRow;
  events: SpendEvent[];
  changes: FileChanges;
}

/** Rows written per transaction while a run goes on (the rest at close). */
const BATCH = 200;

/**
 * Rows waiting to be written, and the write: `write` is handed a batch and
 * stores it in one transaction (through the store guard, which drops the
 * batch when the database has failed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { RowBatch } from "./row_batch.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * const path = join(dir, "s.jsonl");
 * await writeFile(path, "{}\n");
 * const written: string[][] = [];
 * const batch = new RowBatch({ bytesRead: 0 }, (rows) => {
 *   written.push(rows.map((r) => r.row.path));
 *   return Promise.resolve();
 * });
 * const fp = { dev: 1, ino: 2, size: 3, mtimeMs: 4, ctimeMs: 5 };
 * // deno-lint-ignore no-explicit-any
 * const paths = { final: {}, tail: {} };
 * await batch.save(path, fp, { offset: 3 } as any, [], { state: {} as any, from: 0, rows: [], paths });
 * assert.deepEqual(written, []); // kept until a batch is full, or flushed
 * await batch.flush();
 * assert.deepEqual(written, [[path]]);
 * await rm(dir, { recursive: true });
 * ```
 */
export class RowBatch {
  #pending: SavedRow[] = [];

  constructor(
    readonly stats: ByteCounter,
    readonly write: (batch: SavedRow[]) => Promise<void>,
  ) {}

  /** Drops the rows not yet written (the database failed: nothing more is saved). */
  drop(): void {
    this.#pending = [];
  }

  /**
   * Keeps the row of `path` read up to `state.offset` (its change scan's
   * state at the same offset, and its change rows from place `from` on);
   * writes a full batch.
   */
  async save(
    path: string,
    fp: Fingerprint,
    state: ScanState,
    events: SpendEvent[],
    changes: FileChanges & { state: ChangeScanState; paths: OwnPaths },
  ) {
    let h;
    try {
      h = await hashes(path, state.offset, this.stats);
    } catch {
      return; // gone or unreadable since it was read: nothing to keep
    }
    this.#pending.push({
      row: {
        path,
        ...fp,
        headHash: h.head,
        tailHash: h.tail,
        state,
        changes: changes.state,
        ownPaths: changes.paths,
      },
      events,
      changes: { from: changes.from, rows: changes.rows },
    });
    if (this.#pending.length >= BATCH) await this.flush();
  }

  /** Writes the rows kept so far. */
  async flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) await this.write(batch);
  }
}
