/**
 * Which sessions `export --html` puts in the site: those asked for this time
 * (the project's, every project's, or those named, `--since` applied), and
 * those the site already holds whose session still exists. A re-export with
 * `--since` or names therefore adds to the site and keeps the rest; only a
 * page whose session is gone from the catalogue (no readable file of the
 * homes has its id) is removed. Each is kept as its index row, read from the
 * catalogue: the row says what the session file says now. Not a verb.
 *
 * @module
 */
import type { SessionFile } from "../sessions/catalog.ts";
import type { SessionInfo } from "../sessions/info.ts";
import { eachSessionByProject, loadFile, type LoadProblem } from "../sessions/load.ts";
import { refScope, resolveRef } from "../sessions/refs.ts";
import type { SessionScope } from "../sessions/scope.ts";
import { siteSession } from "../render/site_index.ts";
import { pageName } from "../io/site_dir.ts";
import type { Progress } from "../base/progress.ts";
import type { SitePlan } from "./export_plan.ts";

/** Which sessions to export. */
export interface ExportSelection {
  /** Every project's (else the project's), when no reference is given. */
  all: boolean;
  /** Session references given; none: the project's (or every project's) sessions. */
  refs: string[];
  /** Only files last written at or after this instant (ms), or null. */
  sinceMs: number | null;
  /**
   * The session as its page shows it (`--redact-secrets`: its title and
   * first prompt without secrets), applied before the row's heading is cut,
   * so that no part of a secret is left at the cut.
   */
  shown?: (s: SessionInfo) => Promise<SessionInfo>;
}

/**
 * Reads the sessions asked for into `plan`; `home`, when not "", is shown
 * as `~` in their headings. Named sessions are looked up as `show` looks one
 * up; a file that cannot be read is a problem, and is left out. Returns the
 * problems met.
 */
export async function selectSessions(
  scope: SessionScope,
  o: ExportSelection,
  home: string,
  plan: SitePlan,
  progress?: Progress,
): Promise<LoadProblem[]> {
  const since = (f: SessionFile) => o.sinceMs === null || f.mtimeMs >= o.sinceMs;
  if (o.refs.length === 0) {
    return await addRows(scope, plan, { all: o.all, home, progress, keep: since, shown: o.shown });
  }
  const problems: LoadProblem[] = [];
  const refs = refScope(scope, o.all, true);
  const seen = new Set<string>();
  for (const ref of o.refs) {
    const file = await resolveRef(ref, refs);
    if (seen.has(file.path) || !since(file)) continue;
    seen.add(file.path);
    // Named, a file needs no meta line (its id is its name's), as before.
    const r = await loadFile(scope.source, file, true);
    if (r.problem) problems.push(r.problem);
    if (r.session) {
      const row = siteSession(await (o.shown?.(r.session) ?? r.session), home);
      plan.add({ file, row }, plan.nextPlace);
    }
  }
  return problems;
}

/**
 * Adds to `plan` the sessions of the site's pages (its old manifest, read
 * into `plan.manifests`) that were not selected and still exist in the
 * catalogue of every project. Reads the catalogue only when such a page
 * is listed; what it meets there is not reported (those sessions were not
 * asked for).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { FileSource } from "../sessions/source.ts";
 * import { SitePlan } from "./export_plan.ts";
 * import { keptSessions } from "./export_select.ts";
 * const home = await mkdtemp(join(tmpdir(), "zs-"));
 * const scope = { source: new FileSource(), homes: [home], cwd: "/p", base: "/" };
 * const plan = SitePlan.open((cwd) => cwd);
 * await plan.manifests.load({
 *   index: null,
 *   version: 2,
 *   pages: async function* () {
 *     yield ["session-0e19.html", "k"] as [string, string];
 *   },
 * });
 * // A page whose session is in no home: gone, not kept.
 * await keptSessions(scope, plan, "");
 * assert.equal(plan.added, 0);
 * plan.close();
 * await rm(home, { recursive: true });
 * ```
 */
export async function keptSessions(
  scope: SessionScope,
  plan: SitePlan,
  home: string,
  shown?: (s: SessionInfo) => Promise<SessionInfo>,
): Promise<void> {
  // Sessions added from here on are at places from `asked` on.
  const asked = plan.nextPlace;
  if (!plan.manifests.anyKept(asked)) return;
  const keep = (id: string) => plan.manifests.kept(pageName(id), asked);
  await addRows(scope, plan, { all: true, home, keepSession: keep, shown });
}

/**
 * The catalogue's sessions added to `plan` as rows, with the files as
 * listed (what the index knows them by), one project directory at a time:
 * no listing of every file is held.
 */
async function addRows(scope: SessionScope, plan: SitePlan, o: {
  all: boolean;
  home: string;
  progress?: Progress;
  keep?: (f: SessionFile) => boolean;
  keepSession?: (id: string) => boolean;
  shown?: (s: SessionInfo) => Promise<SessionInfo>;
}): Promise<LoadProblem[]> {
  // One project directory at a time, each added as read, all at one place:
  // ties of time go by path, as zot's newest first.
  const place = plan.nextPlace;
  const loaded = await eachSessionByProject(scope, {
    all: o.all,
    fileFilter: o.keep,
    onProgress: o.progress?.update,
  }, async (s, file) => {
    if (!(o.keepSession?.(s.id) ?? true)) return;
    plan.add({ file, row: siteSession(await (o.shown?.(s) ?? s), o.home) }, place);
  });
  await o.progress?.clear();
  return loaded.problems;
}
