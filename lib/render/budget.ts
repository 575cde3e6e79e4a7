/**
 * A budget's standing in one line, for `cost --budget` and `cost
 * --check-budgets`: "Over budget: $23.10 of $20.00 today (+$3.10); on pace
 * for $31.40 by midnight".
 *
 * @module
 */
import type { BudgetStanding } from "../cost/budget.ts";
import type { Period } from "../base/periods.ts";

/** What a budget is for, in words: `today`, `this week in ~/src/app`; and when its period ends. */
export interface BudgetWording {
  what: string;
  /** `by midnight`, `by the end of the week`, …; null: no projection shown. */
  by: string | null;
}

/** The words for a calendar period's budget. */
export const PERIOD_WORDS: Record<Period, { what: string; by: string; adjective: string }> = {
  day: { what: "today", by: "by midnight", adjective: "daily" },
  week: { what: "this week", by: "by the end of the week", adjective: "weekly" },
  month: { what: "this month", by: "by the end of the month", adjective: "monthly" },
};

/**
 * Dollars with cents, as budgets show them (`$0.004` is `$0.00`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usd } from "./budget.ts";
 * assert.deepEqual([usd(23.1), usd(0.004), usd(-1.5)], ["$23.10", "$0.00", "-$1.50"]);
 * ```
 */
export function usd(x: number): string {
  const cents = Math.round(Math.abs(x) * 100);
  return `${x < 0 && cents > 0 ? "-" : ""}$${(cents / 100).toFixed(2)}`;
}

/**
 * The one line of a budget's standing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { budgetLine } from "./budget.ts";
 *
 * const over = { limitUsd: 20, usedUsd: 23.1, projectedUsd: 31.4, over: true };
 * assert.equal(
 *   budgetLine(over, { what: "today", by: "by midnight" }),
 *   "Over budget: $23.10 of $20.00 today (+$3.10); on pace for $31.40 by midnight",
 * );
 * const under = { limitUsd: 20, usedUsd: 12.4, projectedUsd: null, over: false };
 * assert.equal(
 *   budgetLine(under, { what: "since 2026-11-01", by: null }),
 *   "Within budget: $12.40 of $20.00 since 2026-11-01 ($7.60 left)",
 * );
 * ```
 */
export function budgetLine(s: BudgetStanding, w: BudgetWording): string {
  const head = s.over ? "Over budget" : "Within budget";
  const gap = s.over ? `+${usd(s.usedUsd - s.limitUsd)}` : `${usd(s.limitUsd - s.usedUsd)} left`;
  const pace = s.projectedUsd !== null && w.by !== null
    ? `; on pace for ${usd(s.projectedUsd)} ${w.by}`
    : "";
  return `${head}: ${usd(s.usedUsd)} of ${usd(s.limitUsd)} ${w.what} (${gap})${pace}`;
}
