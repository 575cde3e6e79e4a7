/**
 * One session removed (or archived) by hand, outside a `gc` run (`pick`'s
 * Ctrl-D), by gc's own rules and code: the home's gc lock is taken, the
 * file must be a session file in the sessions tree, a file modified within
 * the grace period is left, a parent of a kept fork is kept (unless the
 * config allows orphans), the archive is used when the config names one,
 * and the file is checked again right before it goes. The same as
 * `zot-sessions gc PATH --yes`.
 *
 * @module
 */
import { describeSystemError, RuntimeError } from "../base/errors.ts";
import { sessionsDir } from "../sessions/home.ts";
import type { SessionSource } from "../sessions/source.ts";
import { checkSessionsDir, listGcCandidates, sessionPathInTree } from "./candidates.ts";
import { type ArchiveTarget, executeGc } from "./exec.ts";
import { acquireLock } from "./lock.ts";
import { type GcPolicy, planGc } from "./plan.ts";
import { checkArchiveDir } from "./scope.ts";

/** What became of the session. */
export type RemoveOutcome =
  | { result: "removed" | "archived"; path: string; archivedTo?: string }
  | { result: "kept"; path: string; why: string };

/** What {@linkcode removeSession} needs besides the file. */
export interface RemoveSettings {
  /** The home the file is in. */
  home: string;
  /** gc's settings from the config: grace, orphans (the policies are not used). */
  policy: GcPolicy;
  archive: ArchiveTarget | null;
  source: SessionSource;
  pid: number;
  /** The running clock: the grace period is measured on it. */
  clock: () => number;
}

/**
 * Removes (or archives) the session file `path` of `s.home` as
 * `gc PATH --yes` would. Resolves to what happened: removed, archived, or
 * kept and why (another gc holds the lock, a kept fork needs it, it is
 * within the grace period, it changed, it is no session file gc may touch).
 * Throws a RuntimeError when the home cannot be cleaned at all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { removeSession } from "./remove_one.ts";
 * import { FileSource } from "../sessions/source.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions", "98bce8e9987b1030");
 * const path = join(dir, "20260922-120509-0e19291e.jsonl");
 * await mkdir(dir, { recursive: true });
 * await writeFile(path, "");
 * const policy = {
 *   empty: false, olderThanMs: null, keepLast: null, maxSize: null, graceMs: 3_600_000,
 *   allowOrphans: false,
 * };
 * // "Now" as the file system sees it (the process clock may be moved).
 * const now = (await stat(path)).mtimeMs;
 * const s = { home, policy, archive: null, source: new FileSource(), pid: 4242, clock: () => now };
 * // Just written: within the hour of grace, so it stays.
 * assert.equal((await removeSession(path, s)).result, "kept");
 * const old = new Date(now - 2 * 3_600_000);
 * await utimes(path, old, old);
 * assert.equal((await removeSession(path, s)).result, "removed");
 * await rm(home, { recursive: true });
 * ```
 */
export async function removeSession(path: string, s: RemoveSettings): Promise<RemoveOutcome> {
  const dir = sessionsDir(s.home);
  const kept = (why: string): RemoveOutcome => ({ result: "kept", path, why });
  if (!(await checkSessionsDir(dir))) return kept("the home has no sessions directory");
  if (s.archive) await checkArchiveDir(s.archive.dir, s.home, dir);
  const named = await sessionPathInTree(dir, path);
  if (named === null) {
    return kept(`not a session file in "${dir}/<16 hex>/", and gc touches nothing else`);
  }
  let lock;
  try {
    lock = await acquireLock(dir, s.pid, s.clock);
  } catch (err) {
    throw new RuntimeError(`Cannot lock "${dir}" for gc: ${describeSystemError(err)}`);
  }
  if (!lock.acquired) return kept(`another gc (pid ${lock.holder}) is running on "${s.home}"`);
  try {
    // Every project's sessions: a kept fork anywhere keeps its parent.
    const { candidates } = await listGcCandidates(dir, null, false, s.source);
    const plan = planGc(candidates, { ...s.policy, named: new Set([named]) }, s.clock());
    const fork = plan.keptForChildren[0];
    if (fork) {
      const children = fork.children.map((c) => c.slice(0, 8)).join(", ");
      return kept(`parent of kept fork${fork.children.length === 1 ? "" : "s"} ${children}`);
    }
    if (plan.inGrace.length > 0) return kept("modified within the grace period");
    if (plan.remove.length === 0) return kept("no longer a session file");
    const [outcome] = await executeGc(
      plan.remove.map((x) => x.file),
      dir,
      s.archive,
      s.policy.graceMs,
      s.clock,
      () => {},
    );
    if (outcome.result === "removed" || outcome.result === "archived") {
      await s.source.forget([outcome.file.path]);
      return { result: outcome.result, path: named, archivedTo: outcome.archivedTo };
    }
    return kept(outcome.detail ?? outcome.result);
  } finally {
    await lock.release();
  }
}
