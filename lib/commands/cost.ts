/**
 * `zot-sessions cost`: what sessions cost, by day, week, month, model,
 * provider, project or session — each dollar counted once, forks included.
 *
 * @module
 */
import { choiceFlag, intFlag, type ParsedFlags } from "./args.ts";
import { lastPeriods } from "../base/periods.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { GROUP_KEYS, TIME_KEYS } from "../cost/report.ts";
import { UsageError } from "../base/errors.ts";
import { parseRef } from "../sessions/refs.ts";
import { computeCost } from "../cost/compute.ts";
import { checkTimeRange, parseTimeRange } from "../base/time.ts";
import { timeZoneFlag, ZONE_OPTIONS, ZONE_VALUES } from "./zone_flag.ts";
import { COST_SORT_KEYS, type CostOptions } from "../cost/run_types.ts";
import { costOutput } from "../render/cost.ts";
import { elsewhereHint } from "../render/shell.ts";
import { EVENT_HELP, EVENT_OPTIONS, eventsWanted } from "./cost_events.ts";
import { reportProblems } from "./problems.ts";
import { BUDGET_HELP, BUDGET_OPTIONS, OVER_BUDGET, runBudgets } from "./cost_budget.ts";
import { runWatch, WATCH_DEFAULT, WATCH_HELP, WATCH_OPTIONS } from "./cost_watch.ts";

/** Days a week may start on (`--week-start`). */
const WEEK_STARTS = ["monday", "sunday"] as const;

/** The most periods `--last` takes, per period (about 270 years). */
const LAST_MAX = { day: 100_000, week: 14_000, month: 3_200 } as const;

/**
 * Checks and types `cost`'s flags. `--last N` is the last N periods of the
 * report, the current one included: weeks with `--by week`, months with
 * `--by month`, else days (`lastPeriods` in base/periods.ts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costOptions } from "./cost.ts";
 *
 * const env = { TZ: "UTC" };
 * const o = costOptions({ values: { by: "day,model" }, positionals: [] }, Date.now(), env);
 * assert.deepEqual([o.by, o.tz], [["day", "model"], "UTC"]);
 * ```
 */
export function costOptions(
  flags: ParsedFlags,
  nowMs: number,
  env: Record<string, string | undefined>,
  hostname = "",
): CostOptions {
  const v = flags.values;
  const text = (name: string) => v[name] as string | undefined;
  const tz = timeZoneFlag(flags, env);
  const events = eventsWanted(flags);
  const by = (text("by") ?? "model").split(",").map((k) =>
    choiceFlag("--by", k.trim(), GROUP_KEYS)
  );
  if (by.length > 2) throw new UsageError(`Cannot group by "${text("by")}": at most two keys`);
  if (by.length === 2 && by[0] === by[1]) {
    throw new UsageError(`Cannot group by "${text("by")}": the two keys are the same`);
  }
  const weekStart = choiceFlag("--week-start", text("week-start") ?? "monday", WEEK_STARTS);
  const range = parseTimeRange(text("since"), text("until"), nowMs, tz, weekStart);
  if (text("last") !== undefined) {
    if (range.since !== null) throw new UsageError("Cannot use --last with --since: choose one");
    const period = by.find((k): k is "day" | "week" | "month" => TIME_KEYS.has(k)) ?? "day";
    const n = intFlag("--last", text("last")!, 1);
    if (n > LAST_MAX[period]) {
      throw new UsageError(
        `Cannot parse --last "${text("last")}": at most ${LAST_MAX[period]} ${period}s`,
      );
    }
    range.since = lastPeriods(n, period, weekStart, nowMs, tz);
    checkTimeRange(range, `--last "${text("last")}"`, `--until "${text("until")}"`);
  }
  if (v.json === true && v.csv === true) {
    throw new UsageError("Cannot use --json with --csv: choose one");
  }
  // They order and cut session rows: with no session rows they would
  // silently do nothing.
  for (const flag of ["sort", "limit", "reverse"]) {
    if (v[flag] !== undefined && !by.includes("session")) {
      throw new UsageError(
        `Cannot use --${flag} with --by "${by.join(",")}": it orders session rows (--by session)`,
      );
    }
  }
  return {
    all: v.all === true,
    session: text("session") ?? null,
    sinceMs: range.since?.ms ?? null,
    untilMs: range.until?.ms ?? null,
    sinceLabel: range.since?.label,
    untilLabel: range.until?.label,
    tz,
    by,
    weekStart,
    csv: v.csv === true,
    sort: choiceFlag("--sort", text("sort") ?? "cost", COST_SORT_KEYS),
    reverse: v.reverse === true,
    limit: text("limit") === undefined ? null : intFlag("--limit", text("limit")!, 1),
    events,
    host: (v.host as string | undefined) ?? hostname,
  };
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const o = costOptions(flags, ctx.now, ctx.env, ctx.hostname);
  // A malformed reference is a usage error before any home is looked at.
  if (o.session !== null) parseRef(o.session);
  const special = await runBudgets(ctx, flags, o) ??
    await runWatch(ctx, flags, (now) => costOptions(flags, now, ctx.env, ctx.hostname));
  if (special !== null) return special;
  const result = await computeCost(ctx.scope, o, ctx.progress);
  await reportProblems(ctx, o.all, result.problems);
  const view = {
    palette: ctx.palette,
    width: ctx.width,
    userHome: ctx.userHome,
    stdout: ctx.stdout,
  };
  for (const text of costOutput(result, o, view, ctx.json)) await ctx.stdout.write(text);
  if (result.elsewhere) {
    await ctx.stderr.write(elsewhereHint(result.elsewhere, ["cost", "--all", ...ctx.scopeArgs]));
  }
  return 0;
}

/** The `cost` verb. */
export const cost: Command = {
  name: "cost",
  summary: "what sessions cost, by day, model, project… (forks counted once)",
  env: ["COLUMNS", "TZ"],
  exitCodes: { [OVER_BUDGET]: "with --budget or --check-budgets: a budget is over" },
  allowPositionals: false,
  optionalValues: { watch: WATCH_DEFAULT },
  values: {
    by: { commaList: GROUP_KEYS },
    sort: COST_SORT_KEYS,
    "week-start": WEEK_STARTS,
    session: "session",
    ...ZONE_VALUES,
  },
  options: {
    all: { type: "boolean", short: "a" },
    session: { type: "string", short: "s" },
    since: { type: "string" },
    until: { type: "string" },
    last: { type: "string" },
    tz: { type: "string" },
    by: { type: "string" },
    "week-start": { type: "string" },
    csv: { type: "boolean" },
    limit: { type: "string", short: "n" },
    sort: { type: "string" },
    reverse: { type: "boolean", short: "r" },
    ...ZONE_OPTIONS,
    ...EVENT_OPTIONS,
    ...BUDGET_OPTIONS,
    ...WATCH_OPTIONS,
  },
  help: `Usage: zot-sessions cost [options]

What the sessions of the current project cost: total, tokens, sessions, and
a table by model. SPEND is each usage row's increase over the one before, so
a fork's copied history counts once (for its parent), and a restarted
counter is not lost; RECORDED (with --by session) is the session's total as
zot recorded it, a fork's copy included. --by session adds each session's
last activity, project and title.

Options:
  -a, --all              every project under the home(s)
  -s, --session REF      one session: id, id prefix, path, latest or latest~N
      --since WHEN       spend at or after WHEN: today, yesterday, a date
                         (2026-11-01, 20261101), a date-time (2026-11-01
                         09:30), a time ago (12h, 7d, 3mo, "2 days ago"),
                         this or last week, month or year, or a weekday
                         ("monday", "last friday")
      --until WHEN       spend at or before WHEN (a day or period means to
                         its end)
      --last N           the last N periods of the report, the current one
                         included: weeks with --by week, months with --by
                         month, else days
      --tz ZONE          time zone for days, weeks, months and times (IANA
                         name or UTC; default: $TZ, else the system's zone)
      --utc              the same as --tz UTC
      --by KEY[,KEY]     day, week, month, model (default), provider, project
                         or session; two keys give a breakdown
      --week-start DAY   monday (default, ISO weeks) or sunday
  -n, --limit N          with --by session: at most N session rows
      --sort KEY         with --by session: cost (default: spend in the
                         range), recorded (zot's total), tokens, updated
                         (last activity) or started; biggest or newest first
  -r, --reverse          with --by session: reverse the order
      --home DIR         may be given more than once: a session synced into
                         several homes is counted once
      --json             {scope, since, until, tz, total, rows} (fields: zot-sessions
                         help json cost)
      --csv              one row per group
${EVENT_HELP}
${BUDGET_HELP}
${WATCH_HELP}

Spend with tokens but no recorded cost (a model zot had no price for) is
shown as unpriced and counted in unpricedTokens, never as $0.00.

Examples:
  zot-sessions cost --all --last 7 --by day
  zot-sessions cost --by week --last 1
  zot-sessions cost --all --by month,model --tz Europe/Berlin
  zot-sessions cost --all --by session --sort updated --limit 10
  zot-sessions cost --session latest
  zot-sessions cost --all --events --since yesterday --until yesterday
  zot-sessions cost --all --since today --budget 20
  zot-sessions cost --check-budgets -q      (cron: only the budgets over)
  zot-sessions cost --all --by day --last 7 --watch`,
  run,
};
