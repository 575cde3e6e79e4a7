/**
 * Bringing the search rows up to date, the way the rest of the index is: a
 * file that grew is read from where its rows stop; one replaced or rewritten
 * is read whole; rows of a file gone are dropped. Files are read one at a
 * time, each message's text handed to FTS5 as it streams past, in pieces of
 * at most {@linkcode PIECE_UNITS}: nothing holds a message whole.
 *
 * Tool calls and results are indexed once a search asked for them (`tools`):
 * the first such run drops the rows of the body alone and reads every file
 * again; from then on every run indexes them (see search_store.ts for why).
 *
 * Safe against other runs and kills: a file's rows are written in write
 * transactions that begin by checking that its row is still the one this run
 * read (else another run did this file: this one leaves it), each ending at
 * a message's line with the file's row saying so; a run killed anywhere
 * leaves rows that a later run goes on from. A run that cannot take the
 * write lock within the lock wait stops updating (the search then reads what
 * the rows lack from the files).
 *
 * @module
 */
import { stat } from "node:fs/promises";
import type { ByteCounter } from "../format/line_shape.ts";
import { isFileProblem } from "../base/errors.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { readMessageStream } from "../transcript/message_text.ts";
import { compareToSaved, fileFingerprint } from "./compare.ts";
import type { SearchFileRow } from "./search_rows.ts";
import type { IndexStore } from "./store.ts";
import { IndexBusyError } from "./store_errors.ts";
import { LevelChanged, Raced, TextWriter, usableFileRow } from "./search_writer.ts";

/** What bringing the search rows up to date did. */
export interface SearchUpdate {
  unchanged: number;
  resumed: number;
  rescanned: number;
  dropped: number;
  /** Another run held the write lock: some files were not brought up to date. */
  busy: boolean;
  /** Warnings: rows that failed their checksum (their files were read again). */
  damaged: string[];
}

/** Text units written before a file's rows are committed part-way (the default). */
export const COMMIT_UNITS = 8 << 20;

/** How {@linkcode updateSearch} runs. */
export interface SearchUpdateOptions {
  /** Text units after which a file's rows are committed part-way ({@linkcode COMMIT_UNITS}). */
  commitUnits?: number;
  /** Index tool calls and results too (a search with `--tools`); once on, it stays on. */
  tools?: boolean;
}

/**
 * Brings the search rows of `files` up to date and drops the rows of files
 * that are gone. A file that cannot be read is left as it was (the search
 * says so when it reads it); an error of the database is thrown.
 */
export async function updateSearch(
  store: IndexStore,
  files: SessionFile[],
  stats: ByteCounter,
  onProgress?: (done: number, total: number, bytes: number) => void,
  o: SearchUpdateOptions = {},
): Promise<SearchUpdate> {
  const commitUnits = o.commitUnits ?? COMMIT_UNITS;
  const counts: SearchUpdate = {
    unchanged: 0,
    resumed: 0,
    rescanned: 0,
    dropped: 0,
    busy: false,
    damaged: [],
  };
  try {
    const search = store.search;
    const wanted = o.tools === true;
    if (!search.enabled() || (wanted && !search.withTools())) {
      store.write(() => {
        if (!search.enabled()) search.enable(wanted);
        else if (wanted && !search.withTools()) {
          // Tool text asked for: the body's rows go, every file is read again.
          search.clear(false);
          search.enable(true);
        }
      });
    }
    const tools = search.withTools();
    let done = 0;
    let bytes = 0;
    // Every file's row in one read (one lock, not one a file): a file then
    // found unchanged is done; one that is not has its row checked again
    // inside its write (another run may have written it since).
    const damaged = (message: string) => counts.damaged.push(message);
    const rows = store.read(() => files.map((f) => usableFileRow(store, f.path, damaged)));
    for (const [i, file] of files.entries()) {
      try {
        await updateFile(store, file, rows[i], stats, counts, commitUnits, tools);
      } catch (err) {
        if (err instanceof LevelChanged) {
          counts.busy = true;
          break;
        }
        if (!(err instanceof Raced) && !isFileProblem(err)) throw err;
      } finally {
        onProgress?.(++done, files.length, bytes += file.bytes);
      }
    }
    // Files listed for this run were there a moment ago: only the others are looked at.
    const listed = new Set(files.map((f) => f.path));
    const gone: string[] = [];
    for (const path of store.search.paths()) {
      if (listed.has(path)) continue;
      if (await stat(path).then(() => false, (e) => e?.code === "ENOENT")) gone.push(path);
    }
    if (gone.length > 0) store.write(() => gone.forEach((p) => store.search.deleteFile(p)));
    counts.dropped = gone.length;
  } catch (err) {
    if (!(err instanceof IndexBusyError)) throw err;
    counts.busy = true;
  }
  return counts;
}

async function updateFile(
  store: IndexStore,
  file: SessionFile,
  row: SearchFileRow | null,
  stats: ByteCounter,
  counts: SearchUpdate,
  commitUnits: number,
  tools: boolean,
): Promise<void> {
  const path = file.path;
  const fp = await fileFingerprint(file);
  const how = row ? await compareToSaved(path, row, row.offset, fp, stats) : "changed";
  if (how === "same") {
    counts.unchanged++;
    return;
  }
  // Grown in place (zot appends): read on from where reading stopped.
  const start = how === "grown" ? row!.offset : 0;
  store.pause("search-file");
  const writer = new TextWriter(store, path, fp, row, start, stats, commitUnits, tools);
  try {
    const end = await readMessageStream(path, writer, {
      start,
      firstIndex: how === "grown" ? row!.nextIndex : 0,
      stats,
    });
    await writer.finish(end);
  } finally {
    store.rollback(); // what a failure left open
  }
  if (start > 0) counts.resumed++;
  else counts.rescanned++;
}
