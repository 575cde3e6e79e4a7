/**
 * What `ls` answers ({@linkcode listSessions}): the sessions of the scope
 * that its flags select, in order, the warnings worth giving about them,
 * and, when none are found, what the "nothing found" message says.
 *
 * @module
 */
import type { Progress } from "../base/progress.ts";
import { type Loaded, type LoadProblem, loadSessions } from "./load.ts";
import { checkHomes, type SessionScope, sessionsElsewhere } from "./scope.ts";
import { filterSessions, selectSessions, type SessionSelection, type TreeRow } from "./select.ts";

/** The answer to `ls`. */
export interface Listing {
  /** The selected sessions, in order, with their depth in the fork tree (`--tree`). */
  rows: TreeRow[];
  /** The problems worth reporting: listings that failed, files skipped, damage in a selected session. */
  problems: LoadProblem[];
  /** Everything loaded, before the filters (what `ls --projects` and `--damaged` read). */
  loaded: Loaded;
  /** Sessions found before the filters. */
  found: number;
  /** Where the sessions were looked for. */
  looked: string[];
  /** With no session in the project (and not `--all`): how many the other projects hold. */
  elsewhere: number;
}

/**
 * Lists the scope's sessions as `o` selects them (`everyProject`: loads
 * every project's, whatever `o.all` says, for `ls --projects`). Files last written outside
 * `--since`/`--until` are not read (last activity is the file's mtime).
 * Damage is warned about only in sessions the filters keep.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { listSessions } from "./listing.ts";
 * import { FileSource } from "./source.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zs-"));
 * const scope = { source: new FileSource(), homes: [home], cwd: "/p", base: "/" };
 * const o = {
 *   all: false, limit: null, sinceMs: null, untilMs: null, model: null,
 *   sort: "updated" as const, reverse: false, tree: false,
 * };
 * const listing = await listSessions(scope, o);
 * assert.deepEqual([listing.rows, listing.found, listing.elsewhere], [[], 0, 0]);
 * await rm(home, { recursive: true });
 * ```
 */
export async function listSessions(
  scope: SessionScope,
  o: SessionSelection,
  progress?: Progress,
  everyProject = false,
): Promise<Listing> {
  await checkHomes(scope);
  const loaded = await loadSessions(scope, {
    all: o.all || everyProject,
    fileFilter: (f) =>
      (o.sinceMs === null || f.mtimeMs >= o.sinceMs) &&
      (o.untilMs === null || f.mtimeMs <= o.untilMs),
    onProgress: progress?.update,
  });
  await progress?.clear();
  const inScope = new Set(filterSessions(loaded.sessions, o));
  const problems = loaded.problems.filter((p) => !p.session || inScope.has(p.session));
  const rows = selectSessions(loaded.sessions, o);
  let elsewhere = 0;
  if (rows.length === 0 && loaded.sessions.length === 0 && !o.all) {
    elsewhere = await sessionsElsewhere(scope);
  }
  return {
    rows,
    problems,
    loaded,
    found: loaded.sessions.length,
    looked: loaded.looked,
    elsewhere,
  };
}
