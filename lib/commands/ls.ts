/**
 * `zot-sessions ls`: the sessions of this project (or all), newest first.
 *
 * @module
 */
import { choiceFlag, intFlag, type ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { listSessions } from "../sessions/listing.ts";
import { type SessionSelection, SORT_KEYS } from "../sessions/select.ts";
import { parseTimeRange } from "../base/time.ts";
import { sessionsOutput } from "../render/sessions.ts";
import { timeZoneFlag, ZONE_OPTIONS, ZONE_VALUES } from "./zone_flag.ts";
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
  const listing = await listSessions(ctx.scope, o, ctx.progress, o.projects);
  if (o.projects) return await writeProjects(ctx, o, listing.loaded);
  if (o.damaged) return await writeDamaged(ctx, o, listing.loaded);
  await reportProblems(ctx, o.all, listing.problems);
  const view = { now: ctx.now, palette: ctx.palette, width: ctx.width, userHome: ctx.userHome };
  const form = { all: o.all, ndjson: o.ndjson, json: ctx.json, scopeArgs: ctx.scopeArgs };
  const out = sessionsOutput(listing, form, view, ctx.stdout.isTTY, o.all ? "" : ctx.scope.cwd);
  if (out.stderr) await ctx.stderr.write(out.stderr);
  if (out.stdout) await ctx.stdout.write(out.stdout);
  return 0;
}

/** The `ls` verb. */
export const ls: Command = {
  name: "ls",
  summary: "list sessions, newest first",
  env: ["COLUMNS", "TZ"],
  allowPositionals: false,
  values: { sort: SORT_KEYS, ...ZONE_VALUES },
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
      --until WHEN    last activity at or before WHEN (a day or period: its end)
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
      --json          one JSON array (fields: zot-sessions help json ls)
      --ndjson        one JSON object per line

WHEN: today, yesterday, a date (2026-11-01, 20261101), a date-time
(2026-11-01 09:30, 2026-11-01T09:30Z), a time ago (90m, 7d, 3mo, 2d3h,
"2 days ago"), this or last week, month or year, or a weekday ("monday",
"last friday"); a day or period given to --until means its end.

Examples:
  zot-sessions ls
  zot-sessions ls --all --since 7d --sort cost
  zot-sessions ls --projects
  zot-sessions ls --all --damaged
  zot-sessions ls --json | jq '.[0].path'`,
  run,
};
