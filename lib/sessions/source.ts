/**
 * The seam where sessions come from: every verb asks a {@linkcode SessionSource}
 * for a file's summary, spend events and first meta line, the messages
 * that match a search, or the sessions' changes to a file, and never learns
 * whether they were read from the file just now ({@linkcode FileSource}) or
 * kept from an earlier run (the index, `lib/index/`). The context chooses.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import type { MetaRecord } from "../format/records.ts";
import type { SpendEvent } from "../scan/ledger.ts";
import type { LedgerInfo } from "../scan/ledger.ts";
import { readFirstMeta } from "../scan/summary.ts";
import { scanFile, type ScanResult } from "../scan/session_scan.ts";
import type { SessionFile } from "./catalog.ts";
import { scanSearch } from "./search.ts";
import type { SearchPause, SearchQuery, SearchResult, SearchRun } from "./search_query.ts";
import { type ChangesFound, type ChangesProgress, findChanges, readChanges } from "./changes.ts";

/** Receives a file's spend events in file order. */
export type OnSpend = (event: SpendEvent, info: LedgerInfo) => void;

/** Where summaries, spend events, first meta lines and search hits come from. */
export interface SessionSource {
  /**
   * One session file's summary and ledger, its spend events handed to
   * `onSpend` in file order. Throws if the file cannot be read.
   */
  scan(file: SessionFile, onSpend?: OnSpend): Promise<ScanResult>;
  /**
   * The file's first line if it is a meta line (its id, cwd, parent), else
   * null, also when the file cannot be read: what picking a session by id
   * needs.
   */
  firstMeta(path: string): Promise<MetaRecord | null>;
  /**
   * The messages of `files` (listed newest first) that match `q`, in no set
   * order, and one warning per file that could not be read (skipped); with
   * `run.limit`, it may stop once it holds the first `limit + 1` newest first.
   */
  search(files: SessionFile[], q: SearchQuery, run?: SearchRun): Promise<SearchResult>;
  /**
   * The own `edit` and `write` calls of `files` (a fork's copies are its
   * parent's) whose file, joined with the session's cwd, is `absolute`
   * (normalised), in no set order; and one warning per file that could not
   * be read (skipped).
   */
  changesTo(
    files: SessionFile[],
    absolute: string,
    onProgress?: ChangesProgress,
  ): Promise<ChangesFound>;
  /**
   * Gets ready to {@linkcode SessionSource.scan} these files (the index
   * reads their rows in one go); `withEvents` when their spend events will
   * be asked for too. Never required: scan works without it.
   */
  prefetch(files: SessionFile[], withEvents?: boolean): Promise<void>;
  /** Forgets what it keeps of these files (gc removed or moved them). */
  forget(paths: string[]): Promise<void>;
  /**
   * Of these files with damaged lines, the paths whose damage was warned
   * about before at the size and mtime they have now (the index remembers;
   * the files alone remember nothing: none). With `remember`, the others
   * are remembered as warned about now.
   */
  warnedDamage(files: SessionFile[], remember: boolean): Promise<Set<string>>;
  /** Saves what it learnt and lets go of what it holds. */
  close(): Promise<void>;
  /**
   * Asks for fast answers (`statusline`): this run reads at most about
   * `bytes` of session files, and answers the others from what it kept of
   * them, however old ({@linkcode SessionSource.stale} lists them). A source
   * that keeps nothing has no such method: it reads every file.
   */
  quick?(bytes: number): void;
  /** The files answered from old answers (or as empty) since `quick`. */
  stale?(): ReadonlySet<string>;
}

/**
 * The source that reads each file whole, every time: the reference the index
 * must agree with, and what `--no-index` uses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileSource } from "./source.ts";
 * const stats = { bytesRead: 0 };
 * const source = new FileSource(stats);
 * assert.equal(await source.firstMeta("/nonexistent.jsonl"), null);
 * assert.equal(stats.bytesRead, 0);
 * ```
 */
export class FileSource implements SessionSource {
  constructor(
    readonly stats: ByteCounter = { bytesRead: 0 },
    /** The test seam's pauses (lib/index/pause.ts); none by default. */
    readonly pause: SearchPause = () => {},
  ) {}

  async scan(file: SessionFile, onSpend?: OnSpend): Promise<ScanResult> {
    const { summary, ledger } = await scanFile(file.path, {
      onSpend,
      reader: { stats: this.stats },
    });
    return { summary, ledger };
  }

  firstMeta(path: string): Promise<MetaRecord | null> {
    return readFirstMeta(path, this.stats);
  }

  search(files: SessionFile[], q: SearchQuery, run: SearchRun = {}): Promise<SearchResult> {
    return scanSearch(files, q, this.stats, this.pause, run);
  }

  changesTo(
    files: SessionFile[],
    absolute: string,
    onProgress?: ChangesProgress,
  ): Promise<ChangesFound> {
    return findChanges(files, absolute, (f) => readChanges(f.path, this.stats), onProgress);
  }

  prefetch(_files: SessionFile[], _withEvents?: boolean): Promise<void> {
    return Promise.resolve(); // nothing kept: every scan reads its file
  }

  forget(_paths: string[]): Promise<void> {
    return Promise.resolve();
  }

  warnedDamage(_files: SessionFile[], _remember: boolean): Promise<Set<string>> {
    return Promise.resolve(new Set()); // nothing kept: every run warns line by line
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
