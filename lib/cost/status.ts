/**
 * What `statusline` shows, from one cost run over every project since the
 * earliest instant any figure needs: today's spend (as `cost --all --since
 * today` counts it), the burn rate (`cost --all --since 1h`: dollars in the
 * last hour), this
 * project's spend today (`cost --since today`), the project's newest session
 * (as `ls` lists it first, with its own spend), and the budget nearest its
 * limit. A figure whose files the source answered from old answers (a quick
 * run, see lib/index/read_budget.ts) is named in `stale`.
 *
 * @module
 */
import { NANOS } from "../base/counters.ts";
import { sessionSpend } from "../scan/ledger.ts";
import { parseTimePoint } from "../base/time.ts";
import { sessionId } from "../sessions/info.ts";
import { listCatalogs, newestFiles, type SessionScope } from "../sessions/scope.ts";
import { computeCost } from "./compute.ts";
import { type BudgetStanding, budgetStanding, periodBounds, type PeriodBudget } from "./budget.ts";
import type { Period } from "../base/periods.ts";
import type { CostResult } from "./run_types.ts";

/** What a status run is asked. */
export interface StatusOptions {
  nowMs: number;
  tz: string;
  weekStart: "monday" | "sunday";
  /** The budgets of every project and of this one. */
  budgets: PeriodBudget[];
}

/** The budget shown: the one nearest (or furthest past) its limit. */
export type StatusBudgetFigure = { period: Period; project: string | null } & BudgetStanding;

/** A figure that may be stale. */
export type StatusField = "today" | "session" | "project" | "burn" | "budget";

/** The figures of a status line, in dollars. */
export interface StatusFigures {
  todayUsd: number;
  sessionUsd: number;
  /** The project's newest session, or null when it has none. */
  sessionId: string | null;
  projectUsd: number;
  burnUsdPerHour: number;
  budget: StatusBudgetFigure | null;
  /** The figures some file of which was answered from an old answer. */
  stale: Set<StatusField>;
}

/** How many of the project's newest files are tried for its newest session. */
const NEWEST_TRIED = 20;

/**
 * The status figures of `scope` (its project) at `o.nowMs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { FileSource } from "../sessions/source.ts";
 * import { statusFigures } from "./status.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const scope = { source: new FileSource(), homes: [home], cwd: "/src/app", base: "/" };
 * const o = { nowMs: Date.parse("2026-11-25T12:00:00Z"), tz: "UTC", weekStart: "monday" as const, budgets: [] };
 * const s = await statusFigures(scope, o);
 * assert.deepEqual([s.todayUsd, s.sessionId, s.budget], [0, null, null]);
 * await rm(home, { recursive: true });
 * ```
 */
export async function statusFigures(
  scope: SessionScope,
  o: StatusOptions,
): Promise<StatusFigures> {
  const todayMs = parseTimePoint("--since", "today", o.nowMs, o.tz).ms;
  const hourMs = parseTimePoint("--since", "1h", o.nowMs, o.tz).ms;
  const bounds = o.budgets.map((b) => ({
    b,
    ...periodBounds(b.period, o.weekStart, o.nowMs, o.tz),
  }));
  const sinceMs = Math.min(todayMs, hourMs, ...bounds.map((x) => x.startMs));
  const project = scope.cwd;
  const projectFiles = newestFiles(await listCatalogs(scope, false));
  const inProject = new Set(projectFiles.map((f) => f.path));
  const result = await computeCost(scope, {
    all: true,
    session: null,
    sinceMs,
    untilMs: null,
    tz: o.tz,
    by: ["model"],
    weekStart: o.weekStart,
    csv: false,
    sort: "cost",
    reverse: false,
    limit: null,
    events: true,
  });
  const stalePaths = scope.source.stale?.() ?? new Set<string>();
  const sums = spendSums(result, stalePaths);
  const stale = new Set<StatusField>();
  const sum = (field: StatusField, from: number, projectOnly: boolean): number => {
    const s = sums(from, projectOnly ? inProject : null);
    if (s.stale) stale.add(field);
    return s.nanos;
  };
  // Nanodollars to dollars as `cost`'s total does it (toUsage).
  const todayUsd = sum("today", todayMs, false) / NANOS;
  const projectUsd = sum("project", todayMs, true) / NANOS;
  const burnUsdPerHour = sum("burn", hourMs, false) / NANOS;
  let budget: StatusBudgetFigure | null = null;
  for (const { b, startMs, endMs } of bounds) {
    if (b.project !== null && b.project !== project) continue;
    const nanos = sum("budget", startMs, b.project !== null);
    const standing = budgetStanding(b.limitUsd, nanos, startMs, endMs, o.nowMs);
    if (budget === null || standing.usedUsd / b.limitUsd > budget.usedUsd / budget.limitUsd) {
      budget = { period: b.period, project: b.project, ...standing };
    }
  }
  // The project's newest session as `ls` lists it first: the newest file with a meta line.
  let session: { id: string; usd: number } | null = null;
  const counted = new Map((result.events ?? []).map((s) => [s.path, s]));
  for (const file of projectFiles.slice(0, NEWEST_TRIED)) {
    try {
      const info = counted.get(file.path)?.info ?? (await scope.source.scan(file)).ledger;
      if (!info.meta) {
        // Answered as empty from no row: the session may be this one.
        if (!stalePaths.has(file.path)) continue;
        stale.add("session");
        break;
      }
      session = { id: sessionId(file.path, info.meta), usd: sessionSpend(info).costUsd };
      if (stalePaths.has(file.path)) stale.add("session");
      break;
    } catch {
      continue; // unreadable: `ls` skips it too
    }
  }
  if (budget === null) stale.delete("budget");
  return {
    todayUsd,
    sessionUsd: session?.usd ?? 0,
    sessionId: session?.id ?? null,
    projectUsd,
    burnUsdPerHour,
    budget,
    stale,
  };
}

/**
 * Sums a cost run's events from `from` on, in files last written then or
 * later (as a cost run since `from` reads them), of every file or of
 * `only`'s; `stale` when one of those files was answered from an old answer.
 */
function spendSums(result: CostResult, stalePaths: ReadonlySet<string>) {
  return (from: number, only: Set<string> | null): { nanos: number; stale: boolean } => {
    let nanos = 0;
    let stale = false;
    for (const s of result.events ?? []) {
      if (only !== null && !only.has(s.path)) continue;
      if ((result.sessions.get(s.id)?.updatedMs ?? 0) < from) continue;
      if (stalePaths.has(s.path)) stale = true;
      for (const e of s.events) if (e.timeMs >= from) nanos += e.spend.costNanos;
    }
    return { nanos, stale };
  };
}
