/**
 * `zot-sessions ls`: the sessions of this project (or all), newest first.
 *
 * @module
 */
import { progressLine } from "./progress.ts";
import { choiceFlag, intFlag, type ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import { type Context, requireHomes } from "./context.ts";
import { projectKey } from "../sessions/home.ts";
import { loadSessions } from "../sessions/load.ts";
import { listScope, type SessionScope } from "../sessions/scope.ts";
import {
  filterSessions,
  selectSessions,
  type SessionSelection,
  SORT_KEYS,
} from "../sessions/select.ts";
import { parseTimeRange } from "../base/time.ts";
import { jsonForTerminal } from "../render/sanitize.ts";
import { renderSessions } from "../render/sessions.ts";
import { timeZoneFlag, ZONE_OPTIONS } from "./zone_flag.ts";
import { reportProblems } from "./problems.ts";
import { listKind, writeDamaged, writeProjects } from "./ls_lists.ts";

/** `ls` flags, checked and typed. */
export interface LsOptions extends SessionSelection {
  ndjson: boolean;
  /** `--damaged`: only the sessions with damaged lines, with counts. */
  damaged: boolean;
  /** `--projects`: one row per project (every project's). */
  projects: boolean;
}

/**
 * Checks and types `ls`'s flags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lsOptions } from "./ls.ts";
 *
 * const o = lsOptions({ values: { limit: "5" }, positionals: [] }, Date.now());
 * assert.deepEqual([o.limit, o.sort, o.all], [5, "updated", false]);
 * ```
 */
export function lsOptions(
  flags: ParsedFlags,
  nowMs: number,
  env: Record<string, string | undefined> = {},
): LsOptions {
  const v = flags.values;
  const text = (name: string) => v[name] as string | undefined;
  // Dates without an offset (--since 2026-11-01) are days in this zone; the
  // zone is looked up only then (the system's costs ICU's zone data), but a
  // bad --tz is a usage error all the same.
  const dated = text("since") !== undefined || text("until") !== undefined;
  const tz = dated || v.tz !== undefined || v.utc === true ? timeZoneFlag(flags, env) : "UTC";
  const range = parseTimeRange(text("since"), text("until"), nowMs, tz);
  return {
    all: v.all === true,
    limit: text("limit") === undefined ? null : intFlag("--limit", text("limit")!, 1),
    sinceMs: range.since?.ms ?? null,
    untilMs: range.until?.ms ?? null,
    model: text("model") ?? null,
    sort: choiceFlag("--sort", text("sort") ?? "updated", SORT_KEYS),
    reverse: v.reverse === true,
    tree: v.tree === true,
    ndjson: v.ndjson === true,
    ...listKind(v),
  };
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const o = lsOptions(flags, ctx.now, ctx.env);
  await requireHomes(ctx, flags);
  const progress = progressLine(ctx);
  const loaded = await loadSessions(ctx.scope, {
    all: o.all || o.projects,
    // Last activity is the file's mtime: filter before reading anything.
    fileFilter: (f) =>
      (o.sinceMs === null || f.mtimeMs >= o.sinceMs) &&
      (o.untilMs === null || f.mtimeMs <= o.untilMs),
    onProgress: progress.update,
  });
  await progress.clear();
  if (o.projects) return await writeProjects(ctx, flags, o, loaded);
  if (o.damaged) return await writeDamaged(ctx, flags, o, loaded);
  // Damage is worth a warning only in sessions the user asked about.
  const inScope = new Set(filterSessions(loaded.sessions, o));
  const problems = loaded.problems.filter((p) => !p.session || inScope.has(p.session));
  await reportProblems(ctx, flags, o.all, problems);
  const rows = selectSessions(loaded.sessions, o);

  if (o.ndjson) {
    for (const r of rows) {
      await ctx.stdout.write(jsonForTerminal(JSON.stringify(r.session), ctx.stdout.isTTY) + "\n");
    }
    return 0;
  }
  if (ctx.json) {
    const json = JSON.stringify(rows.map((r) => r.session), null, 2);
    await ctx.stdout.write(jsonForTerminal(json, ctx.stdout.isTTY) + "\n");
    return 0;
  }
  if (rows.length === 0) {
    await ctx.stderr.write(await nothingFound(ctx.scope, o, loaded.sessions.length, loaded.looked));
    return 0;
  }
  await ctx.stdout.write(renderSessions(rows, o.all, ctx));
  return 0;
}

async function nothingFound(
  scope: SessionScope,
  o: LsOptions,
  found: number,
  looked: string[],
): Promise<string> {
  if (found > 0) return `No sessions match the filters (${found} without them).\n`;
  const where = looked.map((l) => `"${l}"`).join(", ");
  if (o.all) return `No zot sessions under ${where}.\n`;
  let text = `No zot sessions for "${scope.cwd}" (looked in ${where}).\n`;
  const here = projectKey(scope.cwd);
  const others = (await listScope(scope, true)).filter((f) => f.dir !== here).length;
  if (others > 0) {
    text += `${others} session${others === 1 ? "" : "s"} in other projects: ` +
      `try "zot-sessions ls --all".\n`;
  }
  return text;
}

/** The `ls` verb. */
export const ls: Command = {
  name: "ls",
  summary: "list sessions, newest first",
  env: ["COLUMNS", "TZ"],
  allowPositionals: false,
  values: { sort: SORT_KEYS },
  options: {
    all: { type: "boolean", short: "a" },
    limit: { type: "string", short: "n" },
    since: { type: "string" },
    until: { type: "string" },
    model: { type: "string" },
    sort: { type: "string" },
    reverse: { type: "boolean", short: "r" },
    tree: { type: "boolean" },
    ndjson: { type: "boolean" },
    damaged: { type: "boolean" },
    projects: { type: "boolean" },
    ...ZONE_OPTIONS,
  },
  help: `Usage: zot-sessions ls [options]

List the zot sessions of the current project, newest first (zot's order):
id, last activity, messages, spend, model, and title or first prompt. SPEND
is the session's own spend as "cost" counts it (a fork's copy of its
parent's spend left out); --json has both it and zot's recorded usage.

Options:
  -a, --all           every project under the home (adds a PROJECT column)
  -n, --limit N       at most N sessions
      --since WHEN    last activity at or after WHEN
      --until WHEN    last activity at or before WHEN
                      WHEN: today, yesterday, a date (2026-11-01, 20261101),
                      a date-time (2026-11-01 09:30, 2026-11-01T09:30Z) or a
                      duration ago (90m, 12h, 7d, 4w, 3mo, 1y, 2d3h); a date
                      given to --until means the end of that day
      --model TEXT    model or provider contains TEXT (any case)
      --sort KEY      updated (default), started, cost (spend), messages or
                      size; biggest or newest first
  -r, --reverse       reverse the order
      --tree          forks indented under their parent
      --damaged       only sessions with damaged lines: how many, and the
                      first with its reason
      --projects      one row per project (every project under the home):
                      sessions, size, last activity, spend, and whether its
                      directory is still there (gone: not found, which is
                      also a disk that is not mounted)
      --tz ZONE       the zone of dates in --since/--until (default: $TZ,
                      else the system's zone)
      --utc           the same as --tz UTC
      --json          one JSON array (fields in the README)
      --ndjson        one JSON object per line

Examples:
  zot-sessions ls
  zot-sessions ls --all --since 7d --sort cost
  zot-sessions ls --projects
  zot-sessions ls --all --damaged
  zot-sessions ls --json | jq '.[0].path'`,
  run,
};
