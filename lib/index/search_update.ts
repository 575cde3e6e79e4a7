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
import type { ByteCounter } from "../format/lines.ts";
import { isFileProblem } from "../base/errors.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import {
  type MessageHeading,
  type MessageTextConsumer,
  readMessageStream,
} from "../transcript/message_text.ts";
import { compareToSaved, fileFingerprint, hashes } from "./compare.ts";
import { PIECE_UNITS, type SearchFileRow, type TextTable } from "./search_store.ts";
import type { Fingerprint } from "./fingerprint.ts";
import type { IndexStore } from "./store.ts";
import { IndexBusyError } from "./store_errors.ts";
import { RowDamagedError } from "./checksum.ts";

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

/** Another run saved this file's rows since this run read them. */
class Raced extends Error {}

/** Another run changed what is indexed (tool text or not, or nothing): this run stops. */
class LevelChanged extends Error {}

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
    const rows = store.read(() => files.map((f) => fileRow(store, f.path, damaged)));
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

/** One column's text of a long message, cut into pieces that overlap by two characters. */
class Pieces {
  #text = "";
  /** Units at the start of `#text` already in the last piece (the overlap). */
  #carried = 0;

  add(piece: string): void {
    this.#text += piece;
  }

  get length(): number {
    return this.#text.length;
  }

  /** The full pieces, and with `all` the rest too. */
  take(all: boolean): string[] {
    const out: string[] = [];
    while (this.#text.length >= PIECE_UNITS) {
      let cut = PIECE_UNITS;
      if (isHigh(this.#text.charCodeAt(cut - 1))) cut--;
      const piece = this.#text.slice(0, cut);
      out.push(piece);
      // The last two code points go on into the next piece.
      let keep = cut;
      for (let n = 0; n < 2 && keep > 0; n++) {
        keep--;
        if (keep > 0 && isLow(piece.charCodeAt(keep)) && isHigh(piece.charCodeAt(keep - 1))) {
          keep--;
        }
      }
      this.#text = this.#text.slice(keep);
      this.#carried = cut - keep;
    }
    if (all && this.#text.length > this.#carried) out.push(this.#text);
    if (all) [this.#text, this.#carried] = ["", 0];
    return out;
  }

  /** The whole text, for a message that fits one row. */
  whole(): string {
    const text = this.#text;
    this.#text = "";
    return text;
  }
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Writes one file's messages into the search tables as they are read: a
 * message in one row per table (its body; with tools, its whole text), or,
 * longer than a piece, in pieces on rowids from its id on.
 */
class TextWriter implements MessageTextConsumer {
  /** The row the next write transaction must find (another run's means: leave the file). */
  #expect: SearchFileRow | null;
  #open = false;
  #cleared = false;
  #id = 0;
  #message: MessageHeading | null = null;
  #body = new Pieces();
  #tools = new Pieces();
  /** Pieces written of the open message (0: it is still one row). */
  #piece = 0;
  #units = 0;
  /** Where the last message's line ends, and the next message's index. */
  #done: { offset: number; nextIndex: number } | null = null;
  #due = false;

  constructor(
    readonly store: IndexStore,
    readonly path: string,
    readonly fp: Fingerprint,
    row: SearchFileRow | null,
    /** Where reading starts: 0 means the file's old rows go first. */
    readonly from: number,
    readonly stats: ByteCounter,
    readonly commitUnits: number,
    /** Tool text is indexed (the index's level when this run began). */
    readonly wantsTools: boolean,
  ) {
    this.#expect = row;
  }

  start(m: MessageHeading): void {
    this.#begin();
    this.#message = m;
    this.#piece = 0;
  }

  body(piece: string): void {
    this.#body.add(piece);
    this.#spill();
  }

  tools(piece: string): void {
    this.#tools.add(piece);
    this.#spill();
  }

  end(): void {
    const m = this.#message!;
    const search = this.store.search;
    let pieces = 1;
    if (this.#piece > 0) {
      this.#write(true);
      // In pieces: two at least (1 means one row), though one may be unused.
      pieces = Math.max(2, this.#piece);
    } else {
      const [body, tools] = [this.#body.whole(), this.#tools.whole()];
      this.#units += body.length + tools.length;
      if (body !== "") search.addText("search_text", this.#id, body);
      if (tools !== "") {
        search.addText("search_tools", this.#id, body === "" ? tools : `${body}\n${tools}`);
      }
    }
    search.addMessage(this.#id, { path: this.path, ...m }, pieces);
    this.#id += pieces;
    this.#done = { offset: m.offset + m.length + 1, nextIndex: m.index + 1 };
    this.#message = null;
    if (this.#units >= this.commitUnits) this.#due = true;
  }

  /** Between lines: commits part-way when enough was written. */
  async settle(): Promise<void> {
    if (!this.#due || this.#message !== null) return;
    this.#due = false;
    const { offset, nextIndex } = this.#done!;
    // Saved as a file of `offset` bytes: the next run finds it grown and goes on.
    await this.#commit({ ...this.fp, size: offset, mtimeMs: 0, ctimeMs: 0 }, offset, nextIndex);
  }

  /** Saves where the file's rows stop now, and commits. */
  async finish(end: { offset: number; nextIndex: number }): Promise<void> {
    this.#begin();
    await this.#commit(this.fp, end.offset, end.nextIndex);
  }

  async #commit(fp: Fingerprint, offset: number, nextIndex: number): Promise<void> {
    const h = await hashes(this.path, offset, this.stats);
    const row: SearchFileRow = {
      path: this.path,
      ...fp,
      headHash: h.head,
      tailHash: h.tail,
      offset,
      nextIndex,
    };
    this.store.search.putFile(row);
    this.store.commit();
    this.#open = false;
    this.#expect = row;
    this.#units = 0;
  }

  /** A message too long for one row: its full pieces go now. */
  #spill(): void {
    if (this.#piece === 0 && this.#body.length + this.#tools.length <= PIECE_UNITS) return;
    this.#write(false);
  }

  #write(all: boolean): void {
    this.#writePieces("search_text", this.#body.take(all));
    this.#writePieces("search_tools", this.#tools.take(all));
  }

  #writePieces(table: TextTable, pieces: string[]): void {
    for (const p of pieces) {
      this.store.search.addText(table, this.#id + this.#piece++, p);
      this.#units += p.length;
    }
  }

  /** Opens a write transaction if none is: its row must be the one expected. */
  #begin(): void {
    if (this.#open) return;
    const store = this.store;
    if (!store.begin()) throw new IndexBusyError(store.path);
    this.#open = true;
    const search = store.search;
    if (!search.enabled() || search.withTools() !== this.wantsTools) throw new LevelChanged();
    if (!sameRow(fileRow(store, this.path), this.#expect)) throw new Raced();
    if (this.from === 0 && !this.#cleared) search.deleteFile(this.path);
    this.#cleared = true;
    this.#id = search.nextId();
  }
}

/** A file's search row; one that fails its checksum is none (the file is read whole again). */
function fileRow(
  store: IndexStore,
  path: string,
  onDamage: (message: string) => void = () => {},
): SearchFileRow | null {
  try {
    return store.search.file(path);
  } catch (err) {
    if (!(err instanceof RowDamagedError)) throw err;
    onDamage(err.message);
    return null;
  }
}

function sameRow(a: SearchFileRow | null, b: SearchFileRow | null): boolean {
  if (a === null || b === null) return a === b;
  return (Object.keys(a) as (keyof SearchFileRow)[]).every((k) => a[k] === b[k]);
}
