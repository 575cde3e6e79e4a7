/**
 * Which sessions changed a file: the own `edit` and `write` calls of a list
 * of session files whose file, joined with the session's cwd, is a given
 * absolute path. What `blame` asks its {@linkcode SessionSource} for; this
 * module holds the answer's shape and the reading of a file for it (the
 * files source reads every file this way; the index, only the files it
 * does not hold as they are).
 *
 * @module
 */
import { describeSystemError, isFileProblem } from "../base/errors.ts";
import { mapConcurrent } from "../base/pool.ts";
import type { ByteCounter } from "../format/line_shape.ts";
import { callRows, type ChangeRow } from "../transcript/change_rows.ts";
import { scanFileWithChanges } from "../transcript/change_scan.ts";
import type { SessionFile } from "./catalog.ts";

/** An own change of a session to a file. */
export interface SessionChange extends ChangeRow {
  /** The session file. */
  session: string;
}

/** What a look for a file's changes found, and the files it could not read (skipped). */
export interface ChangesFound {
  changes: SessionChange[];
  problems: string[];
}

/** Told how far a look got: files done, of how many, their bytes. */
export type ChangesProgress = (done: number, total: number, bytes: number) => void;

/**
 * The own changes of the session file at `path`, every line read (a last
 * line still being written too, as the other answers read it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readChanges } from "./changes.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * const meta = { type: "meta", meta: { id: "s1", cwd: "/src/app" } };
 * const call = { id: "c1", name: "edit", arguments: { path: "a.go", edits: [] } };
 * const time = "2026-11-01T10:00:00Z";
 * const msg = { type: "message", message: { role: "assistant", content: [call], time } };
 * await writeFile(join(dir, "s.jsonl"), [meta, msg].map((l) => JSON.stringify(l) + "\n").join(""));
 * const [change] = await readChanges(join(dir, "s.jsonl"));
 * assert.deepEqual([change.index, change.absolute, change.aborted], [0, "/src/app/a.go", true]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function readChanges(
  path: string,
  stats: ByteCounter = { bytesRead: 0 },
): Promise<ChangeRow[]> {
  const r = await scanFileWithChanges(path, { reader: { stats } });
  const whole = r.wholeChanges;
  return callRows(whole.state.fold.cwd, whole.changes);
}

/**
 * The changes to `absolute` among those `read` gives of each of `files`
 * (four at a time), and one warning per file that could not be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findChanges } from "./changes.ts";
 *
 * const change = {
 *   ordinal: 0, index: 2, tool: "write" as const, ok: true, aborted: false,
 *   time: "2026-11-01T10:00:00Z", path: "a.go", absolute: "/src/a.go", inherited: false,
 * };
 * const files = [{ path: "/h/s.jsonl", bytes: 10 }, { path: "/h/gone.jsonl", bytes: 5 }];
 * const found = await findChanges(files as never, "/src/a.go", (f) =>
 *   f.path === "/h/s.jsonl" ? Promise.resolve([change]) : Promise.reject(Object.assign(new Error("gone"), { code: "ENOENT" })));
 * assert.deepEqual(found.changes.map((c) => c.session), ["/h/s.jsonl"]);
 * assert.equal(found.problems.length, 1);
 * ```
 */
export async function findChanges(
  files: SessionFile[],
  absolute: string,
  read: (file: SessionFile) => Promise<ChangeRow[]>,
  onProgress: ChangesProgress = () => {},
): Promise<ChangesFound> {
  const found: ChangesFound = { changes: [], problems: [] };
  let done = 0;
  let bytes = 0;
  await mapConcurrent(files, 4, async (file) => {
    try {
      for (const c of await read(file)) {
        if (c.absolute === absolute) found.changes.push({ session: file.path, ...c });
      }
    } catch (err) {
      if (!isFileProblem(err)) throw err;
      found.problems.push(`Cannot read "${file.path}": ${describeSystemError(err)}; skipped it`);
    } finally {
      onProgress(++done, files.length, bytes += file.bytes);
    }
  });
  return found;
}
