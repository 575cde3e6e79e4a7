/**
 * The options of a `cost` run for the tests that call lib/cost and
 * lib/render directly, rather than parsing flags: one shared value that
 * each test changes where it needs to.
 *
 * @module
 */
import type { CostOptions } from "../../lib/cost/run_types.ts";

/**
 * One project (not `--all`), no session, no range, UTC, `--by session`,
 * weeks from Monday, text, session rows by cost, not reversed, no limit.
 */
export const COST_OPTIONS: Readonly<CostOptions> = Object.freeze({
  all: false,
  session: null,
  sinceMs: null,
  untilMs: null,
  tz: "UTC",
  by: Object.freeze(["session"]) as CostOptions["by"],
  weekStart: "monday",
  csv: false,
  sort: "cost",
  reverse: false,
  limit: null,
});
