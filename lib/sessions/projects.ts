/**
 * Sessions by project (the working directory zot was started in), and
 * whether that directory is still there: what `ls --projects` lists and
 * `gc --orphaned` selects by, as zot's own `zot sessions prune` groups them.
 *
 * A directory that cannot be found is "gone" — also one on a disk or a
 * share that is not mounted just now: the callers say so. One that cannot
 * be looked at (no permission, a relative or empty name) is "unknown",
 * never gone.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { mapConcurrent } from "../base/pool.ts";
import { NANOS } from "../base/counters.ts";
import type { SessionSpend } from "../scan/ledger.ts";
import type { SessionInfo } from "./info.ts";

/** Whether a project's directory is there. */
export type DirectoryState = "exists" | "gone" | "unknown";

/** One project's sessions, summed. */
export interface ProjectSummary {
  /** The working directory, as zot recorded it (the latest meta line's). */
  cwd: string;
  sessions: number;
  bytes: number;
  /** The latest activity of its sessions (file modification time), ISO 8601 UTC. */
  updated: string;
  /** Its sessions' own spend, each dollar once (as `cost --by project` counts it). */
  spend: SessionSpend;
  directory: DirectoryState;
}

/**
 * Whether `cwd` names a directory that is there: "gone" when nothing is at
 * that path (or what is there is no directory), "unknown" when it cannot be
 * told (a relative or empty name, no permission to look).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tmpdir } from "node:os";
 * import { directoryState } from "./projects.ts";
 *
 * assert.equal(await directoryState(tmpdir()), "exists");
 * assert.equal(await directoryState("/nonexistent/project"), "gone");
 * assert.equal(await directoryState("."), "unknown"); // `zot --cwd .` records "." as typed
 * ```
 */
export async function directoryState(cwd: string): Promise<DirectoryState> {
  if (!isAbsolute(cwd)) return "unknown";
  try {
    return (await stat(cwd)).isDirectory() ? "exists" : "gone";
  } catch (err) {
    const code = (err as { code?: string }).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "gone" : "unknown";
  }
}

/**
 * The states of these directories, each looked at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { directoryStates } from "./projects.ts";
 *
 * const states = await directoryStates(["/nonexistent/a", "/nonexistent/a", ""]);
 * assert.deepEqual([...states], [["/nonexistent/a", "gone"], ["", "unknown"]]);
 * ```
 */
export async function directoryStates(dirs: string[]): Promise<Map<string, DirectoryState>> {
  const distinct = [...new Set(dirs)];
  const states = await mapConcurrent(distinct, 8, directoryState);
  return new Map(distinct.map((d, i) => [d, states[i]]));
}

/**
 * Sessions (newest first) summed by project, newest project first; a session
 * id met twice (the same session in two homes) counts once, its newest file.
 * `directory` is "unknown" here: {@linkcode listProjects} looks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "./info.ts";
 * import { groupProjects } from "./projects.ts";
 *
 * const spend = (usd: number) => ({
 *   inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0,
 *   costUsd: usd, unpricedTokens: 0,
 * });
 * const s = (id: string, cwd: string, updated: string, usd: number) =>
 *   ({ id, cwd, updated, bytes: 100, spend: spend(usd) }) as SessionInfo;
 * const rows = groupProjects([
 *   s("a", "/p", "2026-11-03T00:00:00.000Z", 0.1),
 *   s("b", "/q", "2026-11-02T00:00:00.000Z", 0.5),
 *   s("c", "/p", "2026-11-01T00:00:00.000Z", 0.2),
 *   s("a", "/p", "2026-10-01T00:00:00.000Z", 0.1), // a copy in another home
 * ]);
 * assert.deepEqual(rows.map((r) => [r.cwd, r.sessions, r.bytes, r.spend.costUsd]), [
 *   ["/p", 2, 200, 0.3],
 *   ["/q", 1, 100, 0.5],
 * ]);
 * ```
 */
export function groupProjects(sessions: SessionInfo[]): ProjectSummary[] {
  const seen = new Set<string>();
  const byCwd = new Map<string, { row: ProjectSummary; nanos: number }>();
  for (const s of sessions) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    let p = byCwd.get(s.cwd);
    if (!p) {
      const spend = {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        unpricedTokens: 0,
      };
      const row: ProjectSummary = {
        cwd: s.cwd,
        sessions: 0,
        bytes: 0,
        updated: s.updated,
        spend,
        directory: "unknown",
      };
      p = { row, nanos: 0 };
      byCwd.set(s.cwd, p);
    }
    const r = p.row;
    r.sessions++;
    r.bytes += s.bytes;
    if (Date.parse(s.updated) > Date.parse(r.updated)) r.updated = s.updated;
    r.spend.inputTokens += s.spend.inputTokens;
    r.spend.outputTokens += s.spend.outputTokens;
    r.spend.cacheReadTokens += s.spend.cacheReadTokens;
    r.spend.cacheWriteTokens += s.spend.cacheWriteTokens;
    r.spend.unpricedTokens += s.spend.unpricedTokens;
    // In nanodollars, as cost sums: the total is exact to the last digit.
    p.nanos += Math.round(s.spend.costUsd * NANOS);
    r.spend.costUsd = p.nanos / NANOS;
  }
  return [...byCwd.values()].map((p) => p.row)
    .sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated));
}

/**
 * {@linkcode groupProjects}, with each project's directory looked at.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "./info.ts";
 * import { listProjects } from "./projects.ts";
 *
 * const spend = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, unpricedTokens: 0 };
 * const s = { id: "a", cwd: "/nonexistent/p", updated: "2026-11-01T00:00:00.000Z", bytes: 1, spend };
 * const [row] = await listProjects([s as SessionInfo]);
 * assert.equal(row.directory, "gone");
 * ```
 */
export async function listProjects(sessions: SessionInfo[]): Promise<ProjectSummary[]> {
  const rows = groupProjects(sessions);
  const states = await directoryStates(rows.map((r) => r.cwd));
  for (const r of rows) r.directory = states.get(r.cwd)!;
  return rows;
}
