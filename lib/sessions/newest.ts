/**
 * The newest sessions of a scope, read alone: what a screen can show
 * before the whole list is loaded (`pick`'s first screen). The whole list
 * comes from {@linkcode listSessions}, which also says what went wrong.
 *
 * @module
 */
import { type SessionInfo, sessionInfo } from "./info.ts";
import { listScope, type SessionScope } from "./scope.ts";
import { mapConcurrent } from "../base/pool.ts";

/**
 * The scope's `n` newest sessions (by last write, as `ls` orders them),
 * read through its source; files that cannot be read or are no sessions
 * are left out (the whole listing warns about them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { newestSessions } from "./newest.ts";
 * import { FileSource } from "./source.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zs-"));
 * await mkdir(join(home, "sessions", "98bce8e9987b1030"), { recursive: true });
 * const meta = JSON.stringify({ type: "meta", meta: { id: "0e19291e-0000", cwd: "/p" } });
 * await writeFile(join(home, "sessions", "98bce8e9987b1030", "20260922-120509-0e19291e.jsonl"), meta + "\n");
 * const scope = { source: new FileSource(), homes: [home], cwd: "/p", base: "/" };
 * assert.deepEqual((await newestSessions(scope, true, 40)).map((s) => s.shortId), ["0e19291e"]);
 * await rm(home, { recursive: true });
 * ```
 */
export async function newestSessions(
  scope: SessionScope,
  all: boolean,
  n: number,
): Promise<SessionInfo[]> {
  const files = (await listScope(scope, all)).slice(0, n);
  await scope.source.prefetch(files);
  const found = await mapConcurrent(files, 4, async (file) => {
    try {
      const { summary, ledger } = await scope.source.scan(file);
      return summary.firstMeta ? sessionInfo(file, summary, ledger) : null;
    } catch {
      return null;
    }
  });
  return found.filter((s) => s !== null);
}
