/**
 * The index as a {@linkcode SessionSource}: a file whose fingerprint (device,
 * inode, size, mtime) is unchanged is not read at all; one that grew in place
 * (same inode, its first bytes and the bytes before the saved offset
 * unchanged) is read from the saved offset on; anything else is read whole.
 * A last line without its newline is never saved: it is read again next
 * time. Answers are the same as {@linkcode FileSource}'s, always: the saved
 * state is the scan's own fold state, and the change scan's beside it, with
 * the session's change rows (tests check them after every kind of change).
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import { isCompressed } from "../format/lines_gzip.ts";
import type { MetaRecord } from "../format/records.ts";
import { emptySummary, type ScanResult } from "../scan/session_scan.ts";
import { emptyLedger } from "../scan/ledger.ts";
import { ReadBudget } from "./read_budget.ts";
import { readFirstMeta } from "../scan/summary.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import type { OnSpend, SessionSource } from "../sessions/source.ts";
import { scanSearch } from "../sessions/search.ts";
import type { SearchQuery, SearchResult, SearchRun } from "../sessions/search_query.ts";
import { updatedSearch } from "./search.ts";
import type { Fingerprint } from "./fingerprint.ts";
import type { FileRow } from "./file_row.ts";
import { RowReadAhead } from "./read_ahead.ts";
import type { IndexStore } from "./store.ts";
import { isSqliteError } from "./store_errors.ts";
import { StoreGuard } from "./store_guard.ts";
import { RowBatch } from "./row_batch.ts";
import { compareToSaved, fileFingerprint, fingerprint, sameFingerprint } from "./compare.ts";
import { readOn, readWhole, type ToSave } from "./file_reads.ts";
import type { ChangesProgress } from "../sessions/changes.ts";
import { type FileRead, indexedChanges } from "./indexed_changes.ts";

/** What a run of the index did, for `zot-sessions index`. */
export interface IndexCounts {
  /** Files answered from the index without reading. */
  unchanged: number;
  /** Files read from their saved offset on. */
  resumed: number;
  /** Files read whole (new, replaced, rewritten, shrunk). */
  rescanned: number;
}

/** The SQLite-backed source. */
export class IndexSource implements SessionSource {
  readonly counts: IndexCounts = { unchanged: 0, resumed: 0, rescanned: 0 };
  /** The rows this run saves (row_batch.ts). */
  readonly #batch: RowBatch;
  /** Every call to the store goes through it (store_guard.ts). */
  readonly #guard: StoreGuard;
  /** Rows read ahead by {@linkcode IndexSource.prefetch}. */
  readonly #rows: RowReadAhead;
  /** Prints a warning. */
  readonly #warn: (message: string) => Promise<void>;
  /** Set by {@linkcode IndexSource.quick}: how much more this run may read. */
  #budget: ReadBudget | null = null;

  /**
   * `onFailure` is told, once, when the database stops working mid-run
   * (disk full, removed): answers then come from the files alone.
   */
  constructor(
    readonly store: IndexStore,
    readonly stats: ByteCounter,
    onFailure: (message: string) => Promise<void> = () => Promise.resolve(),
    /** Told at close when the database turned out damaged: it is moved aside there. */
    private readonly onDamage: (path: string) => Promise<void> = () => Promise.resolve(),
    /** Prints a warning (a row that failed its checksum: its file was read again). */
    warn: (message: string) => Promise<void> = () => Promise.resolve(),
  ) {
    this.#rows = new RowReadAhead(store);
    this.#warn = warn;
    this.#guard = new StoreGuard(store.path, onFailure, warn, () => this.#batch.drop());
    this.#batch = new RowBatch(stats, async (batch) => {
      if (this.#guard.failed || this.#guard.busy) return;
      await this.#guard.run(
        () =>
          this.store.write(() => batch.forEach((b) => this.store.put(b.row, b.events, b.changes))),
        undefined,
      );
    });
  }

  /**
   * Reads rows ahead, `AHEAD` at a time as the scans reach them:
   * one statement for many rows, and not every row held at once (2,000 of
   * them held together cost a warm ls 17 MiB).
   */
  prefetch(files: SessionFile[], withEvents = false): Promise<void> {
    if (this.#guard.failed || files.length === 0) return Promise.resolve();
    this.#rows.plan(files.map((f) => f.path), withEvents);
    return Promise.resolve();
  }

  async scan(file: SessionFile, onSpend?: OnSpend): Promise<ScanResult> {
    const { summary, ledger } = await this.#read(file, onSpend);
    return { summary, ledger };
  }

  /**
   * {@linkcode IndexSource.scan}'s answer with the file's change rows when it
   * is read (else null: the index's rows answer); `withOld`: those of what
   * was read before too. `again`: the saved row is not used.
   */
  async #read(file: SessionFile, onSpend?: OnSpend, withOld = false, again = false) {
    const path = file.path;
    const fp = await fileFingerprint(file);
    const row = this.#guard.failed || again
      ? null
      : await this.#guard.run(() => this.#rows.row(path), null);
    const gz = isCompressed(path);
    const how = row ? await compareToSaved(path, row, row.state.offset, fp, this.stats) : "changed";
    if (row && how !== "changed") {
      const same = how === "same";
      // A .gz is read from its start to reach any offset: only an unchanged
      // one (saved only when complete) is answered from the index.
      if (same && (gz || row.state.offset === fp.size)) {
        const replayed = await this.#replay(row, onSpend);
        if (replayed) {
          this.counts.unchanged++;
          return { ...replayed, changes: null, row };
        }
      }
      if (!gz && fp.size >= row.state.offset) {
        if (!this.#affords(fp.size - row.state.offset)) return await this.#kept(path, row, onSpend);
        const resumed = await this.#resume(file, fp, row, same, withOld, onSpend);
        if (resumed) return resumed;
      }
    }
    if (!this.#affords(fp.size)) return await this.#kept(path, row, onSpend);
    this.counts.rescanned++;
    const { answer, save } = await readWhole(path, this.stats, onSpend);
    await this.#save(path, fp, save);
    return answer;
  }

  /** The changes to `absolute` in `files`: the index's rows of files it holds as they are. */
  async changesTo(files: SessionFile[], absolute: string, onProgress?: ChangesProgress) {
    await this.prefetch(files);
    const read = (file: SessionFile, again: boolean) => this.#read(file, undefined, true, again);
    const stored = (paths: string[]) =>
      this.#guard.run(() => this.store.changes.find(absolute, paths), null);
    return await indexedChanges(files, absolute, { read, stored, warn: this.#warn }, onProgress);
  }

  /**
   * From now on this run reads at most about `bytes` of session files (see
   * read_budget.ts); beyond that, a file is answered from its row as it
   * stands, or as empty when it has none, and listed in {@linkcode stale}.
   */
  quick(bytes: number): void {
    this.#budget = new ReadBudget(bytes);
  }

  /** The files answered from old rows (or as empty) since {@linkcode quick}. */
  stale(): ReadonlySet<string> {
    return this.#budget?.stale ?? new Set();
  }

  #affords(bytes: number): boolean {
    return this.#budget === null || this.#budget.take(bytes);
  }

  /** A file's answer from its row however old, or as empty: stale. */
  async #kept(path: string, row: FileRow | null, onSpend?: OnSpend): Promise<FileRead> {
    this.#budget?.markStale(path);
    const replayed = row && await this.#replay(row, onSpend);
    if (replayed) return { ...replayed, changes: null, row };
    return { summary: emptySummary(), ledger: emptyLedger().info, changes: [], row: null };
  }

  async firstMeta(path: string): Promise<MetaRecord | null> {
    if (!this.#guard.failed) {
      const fp = await fingerprint(path).catch(() => null);
      const row = fp && await this.#guard.run(() => this.store.get(path), null);
      // Line 1 must be in the saved state (not a first line still unterminated).
      if (fp && row && sameFingerprint(row, fp) && row.state.lines >= 1) {
        return row.state.firstLineMeta ? row.state.summary.firstMeta : null;
      }
    }
    return readFirstMeta(path, this.stats);
  }

  /**
   * The hits in `files`: the search rows brought up to date first (as far as
   * another run's write lets; a row that failed its checksum is a warning),
   * then asked for candidates. A failure of the database is said once, and
   * the files answer.
   */
  async search(files: SessionFile[], q: SearchQuery, run: SearchRun = {}): Promise<SearchResult> {
    if (!this.#guard.failed) {
      try {
        return await updatedSearch(this.store, files, q, this.stats, run);
      } catch (err) {
        if (!isSqliteError(err)) throw err;
        await this.fail(err);
      }
    }
    return await scanSearch(files, q, this.stats, this.store.pause, run);
  }

  /** Drops the rows of files gc removed or moved (saving first what this run read). */
  async forget(paths: string[]): Promise<void> {
    if (this.#guard.failed) return;
    await this.#batch.flush();
    if (paths.length === 0) return;
    await this.#guard.run(() => {
      this.store.write(() => paths.forEach((p) => this.store.delete(p)));
      this.store.scrub();
    }, undefined);
  }

  /** damage_store.ts; a failure of the database, or another run's write, reads as none. */
  warnedDamage(files: SessionFile[], remember: boolean): Promise<Set<string>> {
    if (this.#guard.failed || this.#guard.busy) return Promise.resolve(new Set());
    return this.#guard.run(() => this.store.damage.warned(files, remember), new Set<string>());
  }

  /**
   * Whether the index is still used this run (no failure of the database so
   * far): a caller with its own use of the store (search) asks first.
   */
  get usable(): boolean {
    return !this.#guard.failed;
  }

  /**
   * Whether another run held the write lock longer than this run waits:
   * answers came from the index as it stood and the files this run read,
   * and what they read was not saved.
   */
  get busy(): boolean {
    return this.#guard.busy;
  }

  /** What stopped the index this run (the database's error), or null. */
  get failure(): string | null {
    return this.#guard.failure;
  }

  /**
   * A failure of the database met by a caller (search): the index is not
   * used for the rest of the run, with one warning; damage moves it aside
   * at close.
   */
  async fail(err: unknown): Promise<void> {
    await this.#guard.run(() => {
      throw err;
    }, undefined);
  }

  async close(): Promise<void> {
    await this.#batch.flush();
    try {
      this.store.close();
    } catch {
      // closing a failed database: nothing more to save
    }
    if (this.#guard.damaged) await this.onDamage(this.store.path);
  }

  /** The row's answer; null when its events are gone (a newer row, a failed database): read the file. */
  async #replay(row: FileRow, onSpend?: OnSpend): Promise<ScanResult | null> {
    const { summary, ledger } = row.state;
    if (onSpend) {
      const events = await this.#guard.run(() => this.store.events(row), null);
      if (!events) return null;
      for (const e of events) onSpend(e, ledger.info);
    }
    return { summary, ledger: ledger.info };
  }

  async #resume(
    file: SessionFile,
    fp: Fingerprint,
    row: FileRow,
    same: boolean,
    withOld: boolean,
    onSpend?: OnSpend,
  ): Promise<FileRead | null> {
    // What the row read holds, or nothing (then the file is read whole).
    const old = await this.#guard.run(() => this.store.kept(row, withOld), null);
    if (!old) return null;
    this.counts.resumed++;
    const { answer, save } = await readOn(file.path, row, old, this.stats, onSpend);
    // Unchanged but for a last line still being written: nothing new to save.
    if (!same || save.state.offset !== row.state.offset) await this.#save(file.path, fp, save);
    return answer;
  }

  /** Keeps the row of `path` for the next write (nothing once the database has failed). */
  async #save(path: string, fp: Fingerprint, save: ToSave) {
    if (this.#guard.failed || this.#guard.busy) return;
    await this.#batch.save(path, fp, save.state, save.events, save.changes);
  }
}
