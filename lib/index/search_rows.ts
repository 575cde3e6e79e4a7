/**
 * The search tables' rows as the code sees them: a file's `search_files`
 * row and a message's `search_messages` row, their values in column order,
 * and the checksums that cover them (a row that fails its checksum is
 * damage: its file is read again).
 *
 * @module
 */
import type { Fingerprint } from "./fingerprint.ts";
import { RowDamagedError, rowSum } from "./checksum.ts";
import { fingerprintOf, fingerprintValues } from "./file_row.ts";

/** Where a file's search rows stop: a line start, and the next message's index. */
export interface SearchFileRow extends Fingerprint {
  path: string;
  headHash: string;
  tailHash: string;
  offset: number;
  nextIndex: number;
}

/** A message as the search tables keep it (its text is in the file). */
export interface StoredMessage {
  path: string;
  offset: number;
  length: number;
  index: number;
  role: string;
  time: string;
}

type Row = Record<string, unknown>;

/**
 * A `search_files` row read back, checked: throws {@linkcode RowDamagedError}
 * when it fails its checksum.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileRow, fileSum } from "./search_rows.ts";
 *
 * const f = {
 *   path: "/s.jsonl",
 *   dev: 1,
 *   ino: 2,
 *   size: 30,
 *   mtimeMs: 4,
 *   ctimeMs: 5,
 *   headHash: "h",
 *   tailHash: "t",
 *   offset: 30,
 *   nextIndex: 3,
 * };
 * const r = {
 *   ...f,
 *   mtime_ms: 4,
 *   ctime_ms: 5,
 *   head_hash: "h",
 *   tail_hash: "t",
 *   next_index: 3,
 *   sum: fileSum(f),
 * };
 * assert.deepEqual(fileRow(r), f);
 * assert.throws(() => fileRow({ ...r, size: 31 }), /\/s\.jsonl/);
 * ```
 */
export function fileRow(r: Row): SearchFileRow {
  const row: SearchFileRow = {
    path: r.path as string,
    ...fingerprintOf(r),
    offset: Number(r.offset),
    nextIndex: Number(r.next_index),
  };
  if (fileSum(row) !== r.sum) throw new RowDamagedError(row.path);
  return row;
}

/**
 * A file row's values, in the order of its columns (its checksum last, apart).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileValues } from "./search_rows.ts";
 *
 * const f = {
 *   path: "/s.jsonl",
 *   dev: 1,
 *   ino: 2,
 *   size: 30,
 *   mtimeMs: 4,
 *   ctimeMs: 5,
 *   headHash: "h",
 *   tailHash: "t",
 *   offset: 30,
 *   nextIndex: 3,
 * };
 * assert.deepEqual(fileValues(f), ["/s.jsonl", 1, 2, 30, 4, 5, "h", "t", 30, 3]);
 * ```
 */
export function fileValues(f: SearchFileRow): (string | number)[] {
  return [f.path, ...fingerprintValues(f), f.offset, f.nextIndex];
}

/**
 * The checksum of a `search_files` row ({@linkcode fileValues}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowSum } from "./checksum.ts";
 * import { fileSum, fileValues } from "./search_rows.ts";
 *
 * const f = {
 *   path: "/s.jsonl",
 *   dev: 1,
 *   ino: 2,
 *   size: 30,
 *   mtimeMs: 4,
 *   ctimeMs: 5,
 *   headHash: "h",
 *   tailHash: "t",
 *   offset: 30,
 *   nextIndex: 3,
 * };
 * assert.equal(fileSum(f), rowSum(fileValues(f)));
 * ```
 */
export function fileSum(f: SearchFileRow): string {
  return rowSum(fileValues(f));
}

/**
 * A `search_messages` row read back, checked: throws
 * {@linkcode RowDamagedError} when it fails its checksum.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { messageSum, storedMessage } from "./search_rows.ts";
 *
 * const m = { path: "/s.jsonl", offset: 0, length: 9, index: 0, role: "user", time: "" };
 * const r = { ...m, id: 1, idx: 0, pieces: 1, sum: messageSum(1, m, 1) };
 * assert.deepEqual(storedMessage(r), m);
 * assert.throws(() => storedMessage({ ...r, pieces: 2 }), /\/s\.jsonl/);
 * ```
 */
export function storedMessage(r: Row): StoredMessage {
  const m: StoredMessage = {
    path: r.path as string,
    offset: Number(r.offset),
    length: Number(r.length),
    index: Number(r.idx),
    role: r.role as string,
    time: r.time as string,
  };
  if (messageSum(Number(r.id), m, Number(r.pieces)) !== r.sum) throw new RowDamagedError(m.path);
  return m;
}

/**
 * The checksum of a `search_messages` row: its id, the message and its pieces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { messageSum } from "./search_rows.ts";
 *
 * const m = { path: "/s.jsonl", offset: 0, length: 9, index: 0, role: "user", time: "" };
 * assert.notEqual(messageSum(1, m, 1), messageSum(2, m, 1));
 * ```
 */
export function messageSum(id: number, m: StoredMessage, pieces: number): string {
  return rowSum([id, m.path, m.offset, m.length, m.index, m.role, m.time, pieces]);
}
