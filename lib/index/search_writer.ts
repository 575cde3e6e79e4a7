/**
 * One file's messages written into the search tables as they are read
 * ({@linkcode TextWriter}), in write transactions that each begin by
 * checking that the file's search row is still the one this run read
 * ({@linkcode Raced} when not) and that what is indexed has not changed
 * ({@linkcode LevelChanged}).
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import type { MessageHeading, MessageTextConsumer } from "../transcript/message_text_sink.ts";
import { hashes } from "./compare.ts";
import { PIECE_UNITS, type TextTable } from "./search_store.ts";
import type { SearchFileRow } from "./search_rows.ts";
import type { Fingerprint } from "./fingerprint.ts";
import type { IndexStore } from "./store.ts";
import { IndexBusyError } from "./store_errors.ts";
import { RowDamagedError } from "./checksum.ts";
import { Pieces } from "./text_pieces.ts";

/**
 * Another run saved this file's rows since this run read them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LevelChanged, Raced } from "./search_writer.ts";
 *
 * assert.ok(new Raced() instanceof Error);
 * assert.ok(!(new Raced() instanceof LevelChanged));
 * ```
 */
export class Raced extends Error {}

/**
 * Another run changed what is indexed (tool text or not, or nothing): this run stops.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LevelChanged } from "./search_writer.ts";
 *
 * assert.ok(new LevelChanged() instanceof Error);
 * ```
 */
export class LevelChanged extends Error {}

/**
 * Writes one file's messages into the search tables as they are read: a
 * message in one row per table (its body; with tools, its whole text), or,
 * longer than a piece, in pieces on rowids from its id on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IndexStore } from "./store.ts";
 * import { TextWriter } from "./search_writer.ts";
 *
 * const store = IndexStore.open(":memory:");
 * store.write(() => store.search.enable(false));
 * const fp = { dev: 1, ino: 2, size: 10, mtimeMs: 3, ctimeMs: 4 };
 * const stats = { bytesRead: 0 } as never;
 * const w = new TextWriter(store, "/s.jsonl", fp, null, 0, stats, 1 << 20, false);
 * w.start({ index: 0, role: "user", time: "", offset: 0, length: 9 });
 * w.body("hello");
 * w.end();
 * store.commit();
 * assert.equal(store.search.nextId(), 2);
 * ```
 */
export class TextWriter implements MessageTextConsumer {
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
    if (!sameRow(usableFileRow(store, this.path), this.#expect)) throw new Raced();
    if (this.from === 0 && !this.#cleared) search.deleteFile(this.path);
    this.#cleared = true;
    this.#id = search.nextId();
  }
}

/**
 * A file's search row; one that fails its checksum is none (the file is read whole again).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IndexStore } from "./store.ts";
 * import { usableFileRow } from "./search_writer.ts";
 *
 * const store = IndexStore.open(":memory:");
 * assert.equal(usableFileRow(store, "/not-indexed.jsonl"), null);
 * ```
 */
export function usableFileRow(
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
