/**
 * A row of the index's files table as the code sees it: a session file's
 * fingerprint, hashes and saved scan state, and the checksum that covers
 * every value of the row (the events by theirs).
 *
 * @module
 */
import type { ScanState } from "../scan/session_scan.ts";
import type { ChangeScanState } from "../transcript/change_scan.ts";
import type { Fingerprint } from "./fingerprint.ts";
import { RowDamagedError, rowSum } from "./checksum.ts";
import type { OwnPaths } from "./own_paths.ts";

/** A file's row. */
export interface FileRow extends Fingerprint {
  path: string;
  /** Hash of the first min(4 KiB, offset) bytes. */
  headHash: string;
  /** Hash of the up to 4 KiB before the saved offset. */
  tailHash: string;
  state: ScanState;
  /** The change scan's state at the same offset (its rows are in the `changes` table). */
  changes: ChangeScanState;
  /**
   * How many change rows it has per edited file (own_paths.ts): stored
   * with the change scan's state, in `changes_state`, as `[state, counts]`.
   */
  ownPaths: OwnPaths;
  /**
   * The row's events as read with it ({@linkcode IndexStore.getMany} with
   * events), not yet checked: {@linkcode IndexStore.events} uses them
   * instead of reading them again.
   */
  readEvents?: { text: string; sum: string };
}

/** A row as one statement read it, checked when taken ({@linkcode IndexStore.decode}). */
export interface StoredRow {
  readonly path: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * A row's fingerprint and hashes as values, in the order the checksums of
 * both tables' rows take them (`files` and `search_files` share them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fingerprintValues } from "./file_row.ts";
 *
 * const f = { dev: 1, ino: 2, size: 3, mtimeMs: 4, ctimeMs: 5, headHash: "h", tailHash: "t" };
 * assert.deepEqual(fingerprintValues(f), [1, 2, 3, 4, 5, "h", "t"]);
 * ```
 */
export function fingerprintValues(
  f: Fingerprint & { headHash: string; tailHash: string },
): (string | number)[] {
  return [f.dev, f.ino, f.size, f.mtimeMs, f.ctimeMs, f.headHash, f.tailHash];
}

/**
 * The checksum of a files row: every value, the events by theirs. `state`
 * is the saved scan state and the change scan's, as stored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSum } from "./file_row.ts";
 *
 * const f = {
 *   dev: 1,
 *   ino: 2,
 *   size: 3,
 *   mtimeMs: 4,
 *   ctimeMs: 5,
 *   headHash: "h",
 *   tailHash: "t",
 * };
 * assert.equal(fileSum("/a", f, ["{}", "{}"], "e"), fileSum("/a", { ...f }, ["{}", "{}"], "e"));
 * assert.notEqual(fileSum("/a", f, ["{}", "{}"], "e"), fileSum("/a", f, ["{}", "[]"], "e"));
 * ```
 */
export function fileSum(
  path: string,
  f: Fingerprint & { headHash: string; tailHash: string },
  state: [scan: string, changes: string],
  eventsSum: string,
): string {
  return rowSum([path, ...fingerprintValues(f), ...state, eventsSum]);
}

/**
 * A row's fingerprint and hashes (the files and search_files tables share them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fingerprintOf } from "./file_row.ts";
 *
 * const fp = fingerprintOf({
 *   dev: 1n,
 *   ino: 2,
 *   size: 3,
 *   mtime_ms: 4,
 *   ctime_ms: 5.5,
 *   head_hash: "h",
 *   tail_hash: "t",
 * });
 * assert.deepEqual(fp, {
 *   dev: 1,
 *   ino: 2,
 *   size: 3,
 *   mtimeMs: 4,
 *   ctimeMs: 5.5,
 *   headHash: "h",
 *   tailHash: "t",
 * });
 * ```
 */
export function fingerprintOf(
  r: Readonly<Record<string, unknown>>,
): Fingerprint & { headHash: string; tailHash: string } {
  return {
    dev: Number(r.dev),
    ino: Number(r.ino),
    size: Number(r.size),
    mtimeMs: Number(r.mtime_ms),
    ctimeMs: Number(r.ctime_ms),
    headHash: r.head_hash as string,
    tailHash: r.tail_hash as string,
  };
}

/**
 * A row read by `IndexStore.getMany` (or `get`), checked: throws
 * {@linkcode RowDamagedError} when it fails its checksum. Its events, when
 * read with it, are kept unchecked ({@linkcode FileRow.readEvents}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRow, fileSum } from "./file_row.ts";
 *
 * const state = JSON.stringify({ offset: 0 });
 * const changes = JSON.stringify([{ base: 0 }, { final: {}, tail: {} }]);
 * const values = {
 *   path: "/s.jsonl",
 *   dev: 1,
 *   ino: 2,
 *   size: 3,
 *   mtime_ms: 4,
 *   ctime_ms: 5,
 *   head_hash: "h",
 *   tail_hash: "t",
 *   state,
 *   changes_state: changes,
 *   events_sum: "e",
 * };
 * const fp = { dev: 1, ino: 2, size: 3, mtimeMs: 4, ctimeMs: 5, headHash: "h", tailHash: "t" };
 * const sum = fileSum("/s.jsonl", fp, [state, changes], "e");
 * const row = decodeRow({ path: "/s.jsonl", values: { ...values, sum } });
 * assert.equal(row.size, 3);
 * assert.deepEqual(row.state, { offset: 0 });
 * assert.throws(() => decodeRow({ path: "/s.jsonl", values: { ...values, size: 9, sum } }));
 * ```
 */
export function decodeRow(stored: StoredRow): FileRow {
  const r = stored.values;
  const fp = fingerprintOf(r);
  const state = r.state as string;
  const changes = r.changes_state as string;
  if (
    r.path !== stored.path ||
    fileSum(stored.path, fp, [state, changes], r.events_sum as string) !== r.sum
  ) {
    throw new RowDamagedError(stored.path);
  }
  const row: FileRow = {
    path: stored.path,
    ...fp,
    state: JSON.parse(state) as ScanState,
    ...changesColumn(changes),
  };
  if (typeof r.events === "string") {
    row.readEvents = { text: r.events, sum: r.events_sum as string };
  }
  return row;
}

/**
 * The `changes_state` column's value: the change scan's state and the row counts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { changesColumnText } from "./file_row.ts";
 *
 * const text = changesColumnText({ changes: { base: 1 } as never, ownPaths: { final: {}, tail: {} } });
 * assert.equal(text, '[{"base":1},{"final":{},"tail":{}}]');
 * ```
 */
export function changesColumnText(row: Pick<FileRow, "changes" | "ownPaths">): string {
  return JSON.stringify([row.changes, row.ownPaths]);
}

/** The `changes_state` column read back. */
function changesColumn(text: string): Pick<FileRow, "changes" | "ownPaths"> {
  const [changes, ownPaths] = JSON.parse(text) as [ChangeScanState, OwnPaths];
  return { changes, ownPaths };
}
