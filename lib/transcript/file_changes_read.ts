/**
 * A session file through the file-change fold (lib/transcript/file_changes.ts):
 * every line read, message lines parsed whole up to the line reader's cap;
 * a longer one is counted, not read, and damaged lines are no messages (as
 * `show` numbers them).
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import { readSession } from "../scan/summary.ts";
import { emptyFileChanges, FileChangeFold, type FileChangesState } from "./file_changes.ts";

/**
 * Reads one session file's file changes; `texts: false` keeps no file text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readFileChanges } from "./file_changes_read.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const call = { id: "c1", name: "write", arguments: { path: "a.txt", content: "hi\n" } };
 * const lines = [
 *   { type: "meta", meta: { id: "0e19", cwd: "/src/app" } },
 *   { type: "message", message: { role: "assistant", content: [call], time: "2026-11-01T09:00:00Z" } },
 * ];
 * await writeFile(join(dir, "s.jsonl"), lines.map((l) => JSON.stringify(l) + "\n").join(""));
 * const st = await readFileChanges(join(dir, "s.jsonl"));
 * assert.deepEqual([st.cwd, st.changes[0].content, st.changes[0].aborted], ["/src/app", "hi\n", true]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function readFileChanges(
  path: string,
  o: { texts?: boolean; stats?: ByteCounter } = {},
): Promise<FileChangesState> {
  const fold = new FileChangeFold(emptyFileChanges({ texts: o.texts }));
  for await (const { reading } of readSession(path, () => true, { stats: o.stats })) {
    if (reading.kind === "record") fold.add(reading.record);
    else if (reading.kind === "message") fold.unreadMessage();
  }
  return fold.state;
}
