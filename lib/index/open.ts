/**
 * Choosing the source a run reads sessions through: the index in the cache
 * directory, opened when first asked for, or the files directly (with
 * `--no-index`, or when the index cannot be used: a read-only, full or
 * unnamed cache directory, another run holding the database too long). A
 * damaged database file is moved aside and a new one built. None of this is
 * ever an error: at worst one warning, and the files are read.
 *
 * @module
 */
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ByteCounter } from "../format/line_shape.ts";
import type { MetaRecord } from "../format/records.ts";
import type { ScanResult } from "../scan/session_scan.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { FileSource, type OnSpend, type SessionSource } from "../sessions/source.ts";
import type { SearchQuery, SearchRun } from "../sessions/search_query.ts";
import type { ChangesProgress } from "../sessions/changes.ts";
import { describeSystemError, PathError, RuntimeError } from "../base/errors.ts";
import { damagedName, prepareCache, removeDamagedCopies } from "./cache_dir.ts";
import { IndexMaintenance } from "./maintenance.ts";
import { IndexSource } from "./index_source.ts";
import { IndexStore } from "./store.ts";
import { IndexBusyError, IndexDamagedError } from "./store_errors.ts";
import { INDEX_FILE } from "./location.ts";
import { NO_PAUSE, type Pause } from "./pause.ts";

/** How a run's source is chosen. */
export interface SourceChoice {
  /** The cache directory, or null when none can be named. */
  dir: string | null;
  /** `--no-index` or `ZOT_SESSIONS_NO_INDEX=1`: read the files. */
  noIndex: boolean;
  stats: ByteCounter;
  /** Prints one warning (the context's: once, silenced by `--quiet`). */
  warn(message: string): Promise<void>;
  /** The run's time, naming a damaged file moved aside and aging old ones. */
  now: number;
  /** This process's user, who may tighten the cache's modes (null: no such thing here). */
  uid?: number | null;
  /** The test seam's pauses (see pause.ts); none by default. */
  pause?: Pause;
}

/** How {@linkcode openIndex} opens. */
export interface OpenOptions {
  uid?: number | null;
  pause?: Pause;
  /**
   * The index is what the run is for (the `index` verb): a reason it cannot
   * be used is thrown as an error rather than warned about.
   */
  strict?: boolean;
}

/**
 * Opens the index in `dir` (creating it, 0700, and the database, 0600, see
 * cache_dir.ts), or says why it cannot be used, naming the file: a warning
 * (the run reads the files) or, `strict`, a {@linkcode RuntimeError}. A
 * damaged database is moved aside and a new one built.
 */
export async function openIndex(
  dir: string,
  stats: ByteCounter,
  warn: (message: string) => Promise<void>,
  now: number,
  o: OpenOptions = {},
): Promise<IndexSource | null> {
  const file = join(dir, INDEX_FILE);
  const pause = o.pause ?? NO_PAUSE;
  const cannot = async (message: string): Promise<null> => {
    if (o.strict) throw new RuntimeError(message);
    await warn(`${message}; reading the files directly`);
    return null;
  };
  try {
    await prepareCache(dir, file, o.uid ?? null);
  } catch (err) {
    if (!(err instanceof PathError)) throw err;
    return await cannot(err.message);
  }
  await removeDamagedCopies(dir, INDEX_FILE, now);
  const aside = damagedName(file, now);
  // Strict: the caller makes the failure its error.
  const failed = (message: string) =>
    o.strict
      ? Promise.resolve()
      : warn(`Cannot update the index "${file}": ${message}; reading the files directly`);
  // Damage met while reading: this run read the files; the next builds anew.
  const damaged = async () => {
    try {
      await moveAside(file, aside);
      await warn(`Moved the damaged index "${file}" to "${aside}"; the next run builds a new one`);
    } catch {
      // left as it is: the next run meets the damage again and says so
    }
  };
  const source = () =>
    new IndexSource(IndexStore.open(file, { pause }), stats, failed, damaged, warn);
  try {
    return source();
  } catch (err) {
    if (!(err instanceof IndexDamagedError)) {
      const why = err instanceof IndexBusyError
        ? "another run is changing it (database is locked)"
        : describeSystemError(err);
      return await cannot(`Cannot use the index "${file}": ${why}`);
    }
    try {
      await moveAside(file, aside);
      await prepareCache(dir, file, o.uid ?? null);
      await warn(
        `Cannot read the index "${file}": ${err.message}; moved it to "${aside}" and built a new one`,
      );
      return source();
    } catch (again) {
      const why = again instanceof PathError ? again.detail : describeSystemError(again);
      return await cannot(`Cannot use the index "${file}": ${why}`);
    }
  }
}

/** What {@linkcode openForUpdate} needs: {@linkcode SourceChoice} without the choice. */
export type UpdateChoice = Omit<SourceChoice, "noIndex">;

/**
 * The `index` verb's own handle on the index (not the run's source, so it is
 * closed once, by the verb). A reason the index cannot be used is a
 * {@linkcode RuntimeError}: using it is what the run is for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openForUpdate } from "./open.ts";
 * await assert.rejects(
 *   openForUpdate({ dir: null, stats: { bytesRead: 0 }, now: 0, warn: () => Promise.resolve() }),
 *   /^RuntimeError: Cannot use the index: no cache directory/,
 * );
 * ```
 */
export async function openForUpdate(c: UpdateChoice): Promise<IndexMaintenance> {
  if (c.dir === null) {
    throw new RuntimeError(
      "Cannot use the index: no cache directory (set XDG_CACHE_HOME, ZOT_SESSIONS_CACHE or --cache-dir)",
    );
  }
  const index = await openIndex(c.dir, c.stats, c.warn, c.now, {
    uid: c.uid,
    pause: c.pause,
    strict: true,
  });
  return new IndexMaintenance(index!, c.stats);
}

/**
 * The run's source: opened on first use, so a run that never asks (help,
 * `show --raw`) touches no cache.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseSource } from "./open.ts";
 * const warnings: string[] = [];
 * const source = chooseSource({
 *   dir: null, noIndex: false, stats: { bytesRead: 0 }, now: 0,
 *   warn: (m) => Promise.resolve(void warnings.push(m)),
 * });
 * assert.equal(await source.firstMeta("/nonexistent.jsonl"), null);
 * assert.match(warnings[0], /no cache directory/);
 * ```
 */
export function chooseSource(c: SourceChoice): SessionSource {
  let opened: Promise<SessionSource> | null = null;
  let source: SessionSource | null = null;
  let quickBytes: number | null = null;
  const get = () =>
    opened ??= (async () => {
      source = await choose();
      if (quickBytes !== null) source.quick?.(quickBytes);
      return source;
    })();
  const choose = async (): Promise<SessionSource> => {
    if (c.noIndex) return new FileSource(c.stats, c.pause);
    if (c.dir === null) {
      await c.warn(
        "Cannot use the index: no cache directory (set XDG_CACHE_HOME, ZOT_SESSIONS_CACHE or --cache-dir); reading the files directly",
      );
      return new FileSource(c.stats, c.pause);
    }
    const index = await openIndex(c.dir, c.stats, c.warn, c.now, {
      uid: c.uid,
      pause: c.pause,
    });
    return index ?? new FileSource(c.stats, c.pause);
  };
  return {
    scan: async (file: SessionFile, onSpend?: OnSpend): Promise<ScanResult> =>
      (await get()).scan(file, onSpend),
    firstMeta: async (path: string): Promise<MetaRecord | null> => (await get()).firstMeta(path),
    search: async (files: SessionFile[], q: SearchQuery, run?: SearchRun) =>
      (await get()).search(files, q, run),
    changesTo: async (files: SessionFile[], absolute: string, onProgress?: ChangesProgress) =>
      (await get()).changesTo(files, absolute, onProgress),
    prefetch: async (files: SessionFile[], withEvents?: boolean) =>
      (await get()).prefetch(files, withEvents),
    forget: async (paths: string[]) => (await get()).forget(paths),
    warnedDamage: async (files: SessionFile[], remember: boolean) =>
      (await get()).warnedDamage(files, remember),
    close: async () => {
      if (opened) await (await opened).close();
    },
    quick: (bytes: number) => {
      quickBytes = bytes;
      source?.quick?.(bytes);
    },
    stale: () => source?.stale?.() ?? new Set<string>(),
  };
}

/** Moves a database file aside, dropping its write-ahead log and shared memory. */
async function moveAside(file: string, aside: string): Promise<void> {
  await rename(file, aside);
  await Promise.all(["-wal", "-shm"].map((s) => rm(file + s, { force: true })));
}
