/**
 * `cost --budget USD` (the report's period against a limit) and `cost
 * --check-budgets` (every budget of the config file): one line each, exit
 * 3 when a budget is over. Also what `statusline` shares with them: the
 * config's budgets with their projects made absolute.
 *
 * @module
 */
import { join } from "node:path";
import type { OptionSpec, ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import { expandTilde } from "./context.ts";
import { UsageError } from "../base/errors.ts";
import { CONFIG_NAME, loadConfig } from "../gc/config.ts";
import type { BudgetConfig } from "../gc/budget_config.ts";
import { budgetStanding, parseUsd, periodBounds, type PeriodBudget } from "../cost/budget.ts";
import { computeCost } from "../cost/compute.ts";
import type { CostOptions } from "../cost/run_types.ts";
import { TIME_KEYS } from "../cost/report.ts";
import type { Period } from "../base/periods.ts";
import { budgetLine, type BudgetWording, PERIOD_WORDS } from "../render/budget.ts";
import { formatProject } from "../render/format.ts";
import { jsonForTerminal } from "../render/sanitize.ts";
import { reportProblems } from "./problems.ts";

/** The exit code of a budget that is over. */
export const OVER_BUDGET = 3;

/** `cost`'s budget flags. */
export const BUDGET_OPTIONS: OptionSpec = {
  budget: { type: "string" },
  "check-budgets": { type: "boolean" },
};

/** Their help lines. */
export const BUDGET_HELP =
  `      --budget USD       one line: the spend of the period asked (--since,
                         --last…) against USD, on pace for what by its end;
                         exit 3 when over
      --check-budgets    a line per budget of the config file (daily, weekly,
                         monthly; every project's and per project); exit 3
                         if any is over; with -q only those over`;

/**
 * The budgets of the config, each project's path made absolute (`~/`
 * expanded), in the config's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveBudgets } from "./cost_budget.ts";
 *
 * const config = { weekStart: "monday" as const, budgets: [{ period: "day" as const, limitUsd: 5, project: "~/app" }] };
 * assert.deepEqual(resolveBudgets(config, "/home/me"), [{ period: "day", limitUsd: 5, project: "/home/me/app" }]);
 * ```
 */
export function resolveBudgets(config: BudgetConfig, userHome: string): PeriodBudget[] {
  return config.budgets.map((b) => ({
    ...b,
    project: b.project === null ? null : expandTilde(b.project, userHome),
  }));
}

/** The config file's budgets (the first home's `zot-sessions.jsonc`), and its path. */
export async function configBudgets(ctx: Context): Promise<BudgetConfig & { path: string }> {
  const path = join(ctx.scope.homes[0], CONFIG_NAME);
  return { ...(await loadConfig(undefined, path)).budgets, path };
}

/**
 * Runs `--budget` or `--check-budgets` when given (the exit code), else
 * returns null: the report is wanted.
 */
export async function runBudgets(
  ctx: Context,
  flags: ParsedFlags,
  o: CostOptions,
): Promise<number | null> {
  const v = flags.values;
  const given = v.budget !== undefined ? "--budget" : v["check-budgets"] ? "--check-budgets" : null;
  if (given === null) return null;
  if (v.budget !== undefined && v["check-budgets"]) {
    throw new UsageError("Cannot use --budget with --check-budgets: choose one");
  }
  const conflicts = ["csv", "events", "watch"];
  if (given === "--check-budgets") {
    conflicts.push("since", "until", "last", "session", "all", "by", "sort", "limit");
  }
  for (const flag of conflicts) {
    if (v[flag] !== undefined && v[flag] !== false) {
      const why = given === "--check-budgets" && !["csv", "events"].includes(flag)
        ? "each budget has its own period and projects"
        : "it prints one line a budget";
      throw new UsageError(`Cannot use ${given} with --${flag}: ${why}`);
    }
  }
  return given === "--budget"
    ? await budgetRun(ctx, o, String(v.budget), flags)
    : await checkBudgets(ctx, o, v["week-start"] !== undefined);
}

/** `cost --budget USD`. */
async function budgetRun(
  ctx: Context,
  o: CostOptions,
  text: string,
  flags: ParsedFlags,
): Promise<number> {
  const limitUsd = parseUsd(text);
  if (limitUsd === null) {
    throw new UsageError(`Cannot parse --budget "${text}": expected dollars such as 20 or 12.50`);
  }
  const result = await computeCost(ctx.scope, o, ctx.progress);
  await reportProblems(ctx, o.all, result.problems);
  const { wording, endMs } = rangeWording(o, flags, ctx.now);
  const standing = budgetStanding(
    limitUsd,
    result.report.total.spend.costNanos,
    o.sinceMs,
    endMs,
    ctx.now,
  );
  if (ctx.json) {
    const json = {
      since: o.sinceMs === null ? null : new Date(o.sinceMs).toISOString(),
      until: o.untilMs === null ? null : new Date(o.untilMs).toISOString(),
      ...standing,
    };
    await ctx.stdout.write(jsonForTerminal(JSON.stringify(json, null, 2), ctx.stdout.isTTY) + "\n");
  } else await ctx.stdout.write(budgetLine(standing, wording) + "\n");
  return standing.over ? OVER_BUDGET : 0;
}

/**
 * What a report's range is called in a budget line, and where its pace is
 * projected to: `--last N` to the end of the current period, `--since`
 * alone to midnight, `--until` to its end; no `--since`, no projection.
 */
function rangeWording(
  o: CostOptions,
  flags: ParsedFlags,
  nowMs: number,
): { wording: BudgetWording; endMs: number | null } {
  const last = flags.values.last as string | undefined;
  const day = periodBounds("day", o.weekStart, nowMs, o.tz);
  if (last !== undefined) {
    const period = (o.by.find((k) => TIME_KEYS.has(k)) ?? "day") as Period;
    const words = PERIOD_WORDS[period];
    const what = last === "1" ? words.what : `in the last ${Number(last)} ${period}s`;
    return {
      wording: { what, by: words.by },
      endMs: periodBounds(period, o.weekStart, nowMs, o.tz).endMs,
    };
  }
  if (o.sinceMs === null) {
    const what = o.untilMs === null ? "in all" : `until ${o.untilLabel}`;
    return { wording: { what, by: null }, endMs: null };
  }
  if (o.untilMs === null || o.untilMs === day.endMs - 1) {
    const today = o.sinceMs === day.startMs;
    return {
      wording: { what: today ? "today" : `since ${o.sinceLabel}`, by: "by midnight" },
      endMs: day.endMs,
    };
  }
  return {
    wording: { what: `from ${o.sinceLabel} to ${o.untilLabel}`, by: `by ${o.untilLabel}` },
    endMs: o.untilMs + 1,
  };
}

/** `cost --check-budgets`: each budget of the config, as `cost` counts it. */
async function checkBudgets(ctx: Context, o: CostOptions, weekGiven: boolean): Promise<number> {
  const config = await configBudgets(ctx);
  const weekStart = weekGiven ? o.weekStart : config.weekStart;
  const budgets = resolveBudgets(config, ctx.userHome);
  const rows = [];
  let over = false;
  for (const b of budgets) {
    const { startMs, endMs } = periodBounds(b.period, weekStart, ctx.now, o.tz);
    const scope = b.project === null ? ctx.scope : {
      source: ctx.scope.source,
      homes: ctx.scope.homes,
      named: ctx.scope.named,
      cwd: b.project,
      base: b.project,
    };
    const since = { ...o, all: b.project === null, sinceMs: startMs, untilMs: null, weekStart };
    const result = await computeCost(scope, since, ctx.progress);
    await reportProblems(ctx, since.all, result.problems);
    const standing = budgetStanding(
      b.limitUsd,
      result.report.total.spend.costNanos,
      startMs,
      endMs,
      ctx.now,
    );
    over ||= standing.over;
    const words = PERIOD_WORDS[b.period];
    const where = b.project === null ? "" : ` in ${formatProject(b.project, ctx.userHome)}`;
    rows.push({
      json: { period: b.period, project: b.project, ...standing },
      line: budgetLine(standing, { what: words.what + where, by: words.by }),
    });
  }
  if (ctx.json) {
    const json = JSON.stringify(rows.map((r) => r.json), null, 2);
    await ctx.stdout.write(jsonForTerminal(json, ctx.stdout.isTTY) + "\n");
  } else if (budgets.length === 0) {
    if (!ctx.quiet) await ctx.stdout.write(`No budgets in "${config.path}"\n`);
  } else {
    for (const r of rows) {
      if (!ctx.quiet || r.json.over) await ctx.stdout.write(r.line + "\n");
    }
  }
  return over ? OVER_BUDGET : 0;
}
