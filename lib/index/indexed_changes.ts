/**
 * The index's answer to "which sessions changed this file": each file is
 * brought up to date as for any answer (read when it changed, its change
 * rows then read with it and saved); the files it holds as they are answer
 * from their `changes` rows, in one statement by the edited file's path.
 * A row found under another `files` row than the one checked (another run
 * saved the file since) or failing its checksum has its file read again.
 * The answer is the files source's, always.
 *
 * @module
 */
import type { ScanResult } from "../scan/session_scan.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import {
  type ChangesFound,
  type ChangesProgress,
  findChanges,
  type SessionChange,
} from "../sessions/changes.ts";
import type { ChangeRow } from "../transcript/change_rows.ts";
import type { FoundChange } from "./changes_table.ts";
import { RowDamagedError } from "./checksum.ts";
import { type FileRow, fingerprintOf } from "./file_row.ts";
import { expectedRows } from "./own_paths.ts";

/**
 * What reading one file for an answer gave: the answer, its change rows
 * (null: those the index holds answer, under `row`), and the row read.
 */
export interface FileRead extends ScanResult {
  changes: ChangeRow[] | null;
  row: FileRow | null;
}

/** What {@linkcode indexedChanges} needs of the index. */
export interface ChangesAccess {
  /** One file brought up to date; `again`: its saved row is not used. */
  read(file: SessionFile, again: boolean): Promise<FileRead>;
  /** The rows of `paths` for the edited file (changes_table.ts); null: the database failed. */
  stored(paths: string[]): Promise<{ found: FoundChange[]; damaged: string[] } | null>;
  warn(message: string): Promise<void>;
}

/**
 * The changes to `absolute` in `files`, from the index where it holds them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexedChanges } from "./indexed_changes.ts";
 *
 * const change = {
 *   ordinal: 0, index: 2, tool: "edit" as const, ok: true, aborted: false,
 *   time: "2026-11-01T10:00:00Z", path: "a.go", absolute: "/src/a.go", inherited: false,
 * };
 * const fp = { dev: 1, ino: 2, size: 3, mtimeMs: 4, ctimeMs: 5, headHash: "h", tailHash: "t" };
 * const ownPaths = { final: { "/src/a.go": 1 }, tail: {} };
 * const identity = { dev: 1, ino: 2, size: 3, mtime_ms: 4, ctime_ms: 5, head_hash: "h", tail_hash: "t" };
 * const found = await indexedChanges([{ path: "/h/s.jsonl", bytes: 3 }] as never, "/src/a.go", {
 *   // The file is unchanged: its row answers.
 *   read: () => Promise.resolve({ changes: null, row: { path: "/h/s.jsonl", ...fp, ownPaths } } as never),
 *   stored: () => Promise.resolve({ found: [{ file: "/h/s.jsonl", change, identity }], damaged: [] }),
 *   warn: () => Promise.resolve(),
 * });
 * assert.deepEqual(found.changes.map((c) => [c.session, c.index]), [["/h/s.jsonl", 2]]);
 * ```
 */
export async function indexedChanges(
  files: SessionFile[],
  absolute: string,
  index: ChangesAccess,
  onProgress?: ChangesProgress,
): Promise<ChangesFound> {
  const held = new Map<string, FileRow>();
  const found = await findChanges(files, absolute, async (file) => {
    const r = await index.read(file, false);
    if (r.changes !== null) return r.changes;
    held.set(file.path, r.row!);
    return [];
  }, onProgress);
  if (held.size === 0) return found;
  const stored = await index.stored([...held.keys()]);
  const again = new Set(stored === null ? held.keys() : stored.damaged);
  for (const path of stored?.damaged ?? []) await index.warn(new RowDamagedError(path).message);
  const rows: SessionChange[] = [];
  const counted = new Map<string, number>();
  for (const f of stored?.found ?? []) {
    if (sameRow(held.get(f.file)!, fingerprintOf(f.identity))) {
      rows.push({ session: f.file, ...f.change });
      counted.set(f.file, (counted.get(f.file) ?? 0) + 1);
    } else again.add(f.file);
  }
  // A row deleted, or moved to another edited file, is missed by the query:
  // the file's row says how many there are.
  for (const [path, row] of stored === null ? [] : held) {
    if (again.has(path) || (counted.get(path) ?? 0) === expectedRows(row.ownPaths, absolute)) {
      continue;
    }
    again.add(path);
    await index.warn(new RowDamagedError(path).message);
  }
  found.changes.push(...rows.filter((c) => !again.has(c.session)));
  // Rows that could not be used: their files are read again (and saved anew).
  const byPath = new Map(files.map((f) => [f.path, f]));
  const reread = await findChanges(
    [...again].map((p) => byPath.get(p)!),
    absolute,
    async (file) => (await index.read(file, true)).changes ?? [],
  );
  found.changes.push(...reread.changes);
  found.problems.push(...reread.problems);
  return found;
}

/** Whether a row found is under the `files` row that was checked. */
function sameRow(a: FileRow, b: ReturnType<typeof fingerprintOf>): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs && a.headHash === b.headHash && a.tailHash === b.tailHash;
}
