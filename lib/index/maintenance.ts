/**
 * The `index` verb's own handle on the index ({@linkcode openForUpdate} in
 * open.ts gives it): empty it, bring it up to date with a list of session
 * files (summaries, then message text once search is used), drop the rows of
 * files that are gone, and say what it holds, closing it. A failure of the
 * database is one {@linkcode RuntimeError} naming it; closing twice closes
 * once.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { RuntimeError } from "../base/errors.ts";
import { describeSystemError } from "../base/errors.ts";
import { mapConcurrent } from "../base/pool.ts";
import type { ByteCounter } from "../format/line_shape.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { removeDamagedCopies } from "./cache_dir.ts";
import type { IndexCounts, IndexSource } from "./index_source.ts";
import { INDEX_FILE } from "./location.ts";
import { updateSearch } from "./search_update.ts";
import { IndexBusyError, isSqliteError } from "./store_errors.ts";

/** Told how far a pass got: files done, of how many, their bytes. */
export type Progress = (done: number, total: number, bytes: number) => void;

/** What the index holds after an update, and what the update did. */
export interface IndexSummary extends IndexCounts {
  path: string;
  /** Session files the index holds of those asked about (the homes of the run). */
  files: number;
  /** Their bytes: what a run without the index reads. */
  bytes: number;
  /** The database's size on disk (with its write-ahead log). */
  indexBytes: number;
  /** Session files the index holds in all, of every home it has read. */
  indexFiles: number;
}

/** How long the maintenance run waits for another run's write (others wait 200 ms). */
const LOCK_WAIT_MS = 2_000;

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}

/** The handle: one open index, closed once. */
export class IndexMaintenance {
  #closed = false;

  constructor(readonly index: IndexSource, readonly stats: ByteCounter) {
    // The maintenance run: it waits for others' writes longer than a reader does.
    index.store.setLockWait(LOCK_WAIT_MS);
  }

  /** The database file. */
  get path(): string {
    return this.index.store.path;
  }

  /**
   * Empties the index: `rebuild` keeps message text indexed if it was (the
   * update that follows reads it again); otherwise the damaged copies moved
   * aside go too.
   */
  async clear(rebuild: boolean): Promise<void> {
    await this.#guard(async () => {
      const store = this.index.store;
      store.clear(rebuild && store.search.enabled());
      if (!rebuild) await removeDamagedCopies(dirname(this.path), INDEX_FILE, 0, true);
    });
  }

  /**
   * Brings the summaries of `files` up to date (four at a time); returns one
   * warning per file that could not be read (skipped).
   */
  async refresh(files: SessionFile[], onProgress: Progress = () => {}): Promise<string[]> {
    return await this.#guard(async () => {
      await this.index.prefetch(files);
      let done = 0;
      let bytes = 0;
      const problems = await mapConcurrent(files, 4, async (file) => {
        try {
          await this.index.scan(file);
          return null;
        } catch (err) {
          return `Cannot read "${file.path}": ${describeSystemError(err)}; skipped it`;
        } finally {
          onProgress(++done, files.length, bytes += file.bytes);
        }
      });
      return problems.filter((p) => p !== null);
    });
  }

  /** Whether message text is indexed (search has been used since the last clear). */
  searchEnabled(): Promise<boolean> {
    return this.#guard(() => Promise.resolve(this.index.store.search.enabled()));
  }

  /**
   * Brings the message text of `files` up to date (starting to index it if
   * it was not); returns warnings of rows that failed their checksum.
   */
  async refreshSearch(files: SessionFile[], onProgress?: Progress): Promise<string[]> {
    return await this.#guard(async () => {
      const store = this.index.store;
      const update = await updateSearch(store, files, this.stats, onProgress);
      if (update.busy) throw new IndexBusyError(store.path);
      return update.damaged;
    });
  }

  /**
   * Drops the rows of files that are gone (removed, renamed), saving first
   * what this run read; returns how many.
   */
  async dropGone(): Promise<number> {
    return await this.#guard(async () => {
      const gone: string[] = [];
      for (const { path } of this.index.store.paths()) {
        if (await stat(path).then(() => false, (e) => e?.code === "ENOENT")) gone.push(path);
      }
      await this.index.forget(gone);
      return gone.length;
    });
  }

  /**
   * Saves what this run read, closes the index and says what it holds: of
   * `asked` (the paths of the homes the run was about; every row if not
   * given), and in all. Throws when what was read could not be saved.
   */
  async finish(asked?: ReadonlySet<string>): Promise<IndexSummary> {
    return await this.#guard(async () => {
      const all = this.index.store.paths();
      const rows = asked ? all.filter((r) => asked.has(r.path)) : all;
      await this.close();
      if (this.index.busy) throw new IndexBusyError(this.path);
      if (this.index.failure !== null) {
        throw new RuntimeError(`${this.index.failure}; what this run read is not saved`);
      }
      return {
        path: this.path,
        files: rows.length,
        bytes: rows.reduce((n, r) => n + r.size, 0),
        indexBytes: await sizeOf(this.path) + await sizeOf(this.path + "-wal"),
        indexFiles: all.length,
        ...this.index.counts,
      };
    });
  }

  /** Closes the index (once; again is nothing). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.index.close();
  }

  /** Runs `fn`; an error of the database becomes this run's one error, naming the index. */
  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!isSqliteError(err)) throw err;
      const detail = err instanceof IndexBusyError
        ? "another run is writing to it (database is locked)"
        : err instanceof Error
        ? err.message
        : String(err);
      throw new RuntimeError(
        `Cannot update the index "${this.path}": ${detail}; what this run read is not saved, run it again`,
      );
    }
  }
}
