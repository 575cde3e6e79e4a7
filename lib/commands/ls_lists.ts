/**
 * `ls`'s two other lists: `--projects` (one row per project, with whether
 * its directory is still there) and `--damaged` (the sessions with damaged
 * lines, with counts). Not a verb: lib/commands/ls.ts loads the sessions
 * and hands them here.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import { reportProblems } from "./problems.ts";
import { UsageError } from "../base/errors.ts";
import type { Loaded } from "../sessions/load.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import type { SessionInfo } from "../sessions/info.ts";
import { listProjects, type ProjectSummary } from "../sessions/projects.ts";
import { filterSessions, selectSessions, type SessionSelection } from "../sessions/select.ts";
import { type DamagedSession, renderDamaged } from "../render/damaged.ts";
import { renderProjects } from "../render/projects.ts";
import { jsonForTerminal } from "../render/sanitize.ts";

/** What the lists read of `ls`'s flags. */
export interface ListOptions extends SessionSelection {
  ndjson: boolean;
}

/** How `--sort` orders projects (the keys that mean something for a project). */
const PROJECT_SORT: Record<string, (p: ProjectSummary) => number> = {
  updated: (p) => Date.parse(p.updated),
  cost: (p) => p.spend.costUsd,
  size: (p) => p.bytes,
};

/**
 * `--projects` and `--damaged`, checked against the other flags: neither
 * goes with `--tree`, nor with each other, and projects sort by `updated`,
 * `cost` or `size` only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listKind } from "./ls_lists.ts";
 *
 * assert.deepEqual(listKind({ projects: true }), { damaged: false, projects: true });
 * assert.throws(() => listKind({ projects: true, tree: true }), /--tree with --projects/);
 * assert.throws(() => listKind({ projects: true, sort: "started" }), /Cannot sort projects/);
 * ```
 */
export function listKind(v: ParsedFlags["values"]): { damaged: boolean; projects: boolean } {
  const damaged = v.damaged === true;
  const projects = v.projects === true;
  if (damaged && projects) {
    throw new UsageError("Cannot use --projects with --damaged: choose one");
  }
  const list = projects ? "--projects" : damaged ? "--damaged" : null;
  if (list !== null && v.tree === true) {
    throw new UsageError(`Cannot use --tree with ${list}: it lists no fork tree`);
  }
  const sort = v.sort as string | undefined;
  if (projects && sort !== undefined && !(sort in PROJECT_SORT)) {
    throw new UsageError(
      `Cannot sort projects by "${sort}": give ${Object.keys(PROJECT_SORT).join(", ")}`,
    );
  }
  return { damaged, projects };
}

/** Writes `rows` as `--json` (one array), `--ndjson` (one per line), or not at all (false). */
async function writeJson(ctx: Context, o: ListOptions, rows: unknown[]): Promise<boolean> {
  const tty = ctx.stdout.isTTY;
  if (o.ndjson) {
    for (const r of rows) await ctx.stdout.write(jsonForTerminal(JSON.stringify(r), tty) + "\n");
    return true;
  }
  if (!ctx.json) return false;
  await ctx.stdout.write(jsonForTerminal(JSON.stringify(rows, null, 2), tty) + "\n");
  return true;
}

/** `ls --projects`: every project of the loaded sessions, newest activity first. */
export async function writeProjects(
  ctx: Context,
  o: ListOptions,
  loaded: Loaded,
): Promise<number> {
  const sessions = filterSessions(loaded.sessions, o);
  const inScope = new Set(sessions);
  const problems = loaded.problems.filter((p) => !p.session || inScope.has(p.session));
  await reportProblems(ctx, true, problems);
  let rows = await listProjects(sessions);
  const value = PROJECT_SORT[o.sort];
  rows = rows.map((r, i) => ({ r, i, v: value(r) }))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .map((x) => x.r);
  if (o.reverse) rows.reverse();
  if (o.limit !== null) rows = rows.slice(0, o.limit);
  if (await writeJson(ctx, o, rows)) return 0;
  if (rows.length === 0) {
    const where = loaded.looked.map((l) => `"${l}"`).join(", ");
    await ctx.stderr.write(
      loaded.sessions.length > 0
        ? `No sessions match the filters (${loaded.sessions.length} without them).\n`
        : `No zot sessions under ${where}.\n`,
    );
    return 0;
  }
  await ctx.stdout.write(renderProjects(rows, ctx));
  return 0;
}

/**
 * `ls --damaged`: the sessions with damaged lines, in `ls`'s order. The
 * damage listed counts as warned about: a later run over the same files
 * says it in one line.
 */
export async function writeDamaged(
  ctx: Context,
  o: ListOptions,
  loaded: Loaded,
): Promise<number> {
  const inScope = new Set(filterSessions(loaded.sessions, o));
  const first = new Map<SessionInfo, DamagedSession["first"]>();
  const damaged: SessionFile[] = [];
  for (const p of loaded.problems) {
    if (p.session && !inScope.has(p.session)) continue;
    if (p.session && p.damage) {
      first.set(p.session, p.damage.first);
      damaged.push(p.damage.file);
    }
  }
  await reportProblems(ctx, o.all, loaded.problems.filter((p) => !p.damage));
  await ctx.scope.source.warnedDamage(damaged, true);
  const rows = selectSessions(loaded.sessions.filter((s) => first.has(s)), o)
    .map(({ session }) => ({ session, first: first.get(session)! }));
  if (await writeJson(ctx, o, rows.map((r) => ({ ...r.session, damaged: r.first })))) return 0;
  if (rows.length === 0) {
    await ctx.stderr.write("No sessions with damaged lines.\n");
    return 0;
  }
  await ctx.stdout.write(renderDamaged(rows, o.all, ctx));
  return 0;
}
