/**
 * Budgets, as arithmetic: where a day, week or month starts and ends in a
 * zone, and how a period's spend stands against its limit, projected to the
 * period's end at the pace so far. Pure: no files, no clock of its own.
 *
 * @module
 */
import { NANOS, roundUsd } from "../base/counters.ts";
import { startOfDay, utcMs } from "../base/calendar.ts";
import { latestPeriodsStart, type Period } from "../base/periods.ts";

/** A budget that applies: every project's, or one project's (`project` its absolute cwd). */
export interface PeriodBudget {
  period: Period;
  limitUsd: number;
  project: string | null;
}

/** The start (inclusive) and end (exclusive) of a period, ms since the epoch. */
export interface PeriodBounds {
  startMs: number;
  endMs: number;
}

/**
 * The day, week (starting on `weekStart`) or month `nowMs` falls in, in the
 * zone `tz`: from its first midnight to the next period's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { periodBounds } from "./budget.ts";
 *
 * const now = Date.parse("2026-11-25T12:00:00Z"); // a Wednesday
 * const week = periodBounds("week", "monday", now, "UTC");
 * assert.deepEqual(
 *   [new Date(week.startMs).toISOString(), new Date(week.endMs).toISOString()],
 *   ["2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z"],
 * );
 * const month = periodBounds("month", "monday", now, "Europe/Berlin");
 * assert.equal(new Date(month.endMs).toISOString(), "2026-11-30T23:00:00.000Z");
 * ```
 */
export function periodBounds(
  period: Period,
  weekStart: "monday" | "sunday",
  nowMs: number,
  tz: string,
): PeriodBounds {
  const first = latestPeriodsStart(1, period, weekStart, nowMs, tz);
  const next = new Date(
    period === "month"
      ? utcMs(first.year, first.month + 1, 1)
      : utcMs(first.year, first.month, first.day + (period === "week" ? 7 : 1)),
  );
  return {
    startMs: startOfDay(first.year, first.month, first.day, tz),
    endMs: startOfDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), tz),
  };
}

/** How a period's spend stands against a limit. */
export interface BudgetStanding {
  limitUsd: number;
  usedUsd: number;
  /**
   * The spend at the period's end if it goes on at its pace so far (spend
   * over time elapsed since the start); null when the period has no start,
   * has ended, or has not begun.
   */
  projectedUsd: number | null;
  /** Spend above the limit (equal is not over). */
  over: boolean;
}

/**
 * Where `usedNanos` of spend in `[startMs, endMs)` stands at `nowMs` against
 * `limitUsd`. The projection is linear: `used × (end − start) / (now − start)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetStanding } from "./budget.ts";
 *
 * const start = Date.parse("2026-11-25T00:00:00Z");
 * const end = Date.parse("2026-11-26T00:00:00Z");
 * const noon = Date.parse("2026-11-25T12:00:00Z");
 * const s = budgetStanding(20, 12_500_000_000, start, end, noon); // $12.50 by noon
 * assert.deepEqual(s, { limitUsd: 20, usedUsd: 12.5, projectedUsd: 25, over: false });
 * assert.equal(budgetStanding(20, 20_000_000_001, start, end, noon).over, true);
 * assert.equal(budgetStanding(20, 0, null, null, noon).projectedUsd, null);
 * ```
 */
export function budgetStanding(
  limitUsd: number,
  usedNanos: number,
  startMs: number | null,
  endMs: number | null,
  nowMs: number,
): BudgetStanding {
  const usedUsd = roundUsd(usedNanos / NANOS);
  let projectedUsd: number | null = null;
  if (startMs !== null && endMs !== null && nowMs > startMs && nowMs < endMs) {
    projectedUsd = roundUsd(usedNanos * ((endMs - startMs) / (nowMs - startMs)) / NANOS);
  }
  return { limitUsd, usedUsd, projectedUsd, over: usedNanos > Math.round(limitUsd * NANOS) };
}

/**
 * A dollar amount a user typed for a budget (`20`, `$20`, `12.50`), or null
 * when it is not a positive amount.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUsd } from "./budget.ts";
 *
 * assert.deepEqual([parseUsd("$20"), parseUsd("12.50"), parseUsd("0"), parseUsd("2e3")], [20, 12.5, null, null]);
 * ```
 */
export function parseUsd(text: string): number | null {
  const m = /^\$?(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  const usd = Number(m[1]);
  return usd > 0 && Number.isFinite(usd) ? usd : null;
}
