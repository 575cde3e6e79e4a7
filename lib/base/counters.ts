/**
 * The one counters type and its arithmetic: tokens in, out, cache read and
 * cache written, and the cost. {@linkcode Spend} keeps the cost in integer
 * nanodollars, so sums are exact and a table's rows add up to its total to
 * the last digit; {@linkcode Usage} is the same five counters with the cost
 * in dollars, as zot records them and as `--json` prints them. Every
 * conversion between the two is here.
 *
 * @module
 */

/** Token and cost counters of a usage row, named as in `--json` output. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

/** A usage row of all zeros. */
export const ZERO_USAGE: Readonly<Usage> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
});

/** Usage counters with the cost in integer nanodollars. */
export interface Spend {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costNanos: number;
}

/** Nanodollars in a dollar. */
export const NANOS = 1e9;

/**
 * Counters → spend, the cost rounded to whole nanodollars (zot's costs have
 * far fewer significant digits; the rounding only removes float noise).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toSpend } from "./counters.ts";
 * const u = { inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.5 };
 * assert.equal(toSpend(u).costNanos, 500_000_000);
 * ```
 */
export function toSpend(u: Usage): Spend {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheReadTokens: u.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    costNanos: Math.round(u.costUsd * NANOS),
  };
}

/**
 * A dollar amount for JSON: rounded to whole nanodollars, so sums and zot's
 * own float noise (`0.035244750000000005`) print as the decimal they mean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { roundUsd } from "./counters.ts";
 * assert.equal(roundUsd(0.035244750000000005), 0.03524475);
 * ```
 */
export function roundUsd(usd: number): number {
  return Math.round(usd * NANOS) / NANOS;
}

/**
 * Tokens spent with no recorded cost (a model zot had no price for): all of
 * an increase's tokens when its cost is zero, else none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unpricedTokens, zeroSpend } from "./counters.ts";
 * assert.equal(unpricedTokens({ ...zeroSpend(), inputTokens: 10, outputTokens: 5 }), 15);
 * ```
 */
export function unpricedTokens(s: Spend): number {
  if (s.costNanos !== 0) return 0;
  return s.inputTokens + s.outputTokens + s.cacheReadTokens + s.cacheWriteTokens;
}

/** A spend of nothing. */
export function zeroSpend(): Spend {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costNanos: 0 };
}

const FIELDS = [
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "costNanos",
] as const;

/**
 * The increase from `prev` to `next` cumulative counters: their difference,
 * or `next` itself when any field went down (a restarted counter).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cumulativeDelta, zeroSpend } from "./counters.ts";
 * const at = (tokens: number) => ({ ...zeroSpend(), inputTokens: tokens });
 * assert.equal(cumulativeDelta(at(10), at(25)).inputTokens, 15);
 * assert.equal(cumulativeDelta(at(10), at(4)).inputTokens, 4); // a restart
 * ```
 */
export function cumulativeDelta(prev: Spend, next: Spend): Spend {
  if (FIELDS.some((f) => next[f] < prev[f])) return { ...next };
  const d = zeroSpend();
  for (const f of FIELDS) d[f] = next[f] - prev[f];
  return d;
}

/** True when nothing was spent. */
export function isZeroSpend(s: Spend): boolean {
  return FIELDS.every((f) => s[f] === 0);
}

/** Adds `b` into `a`. */
export function addSpend(a: Spend, b: Spend): void {
  for (const f of FIELDS) a[f] += b[f];
}

/**
 * The sum of two usage rows' increases, in the dollar form (several rows
 * before one reply, as a resume or a flush writes them, shown as one turn).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addUsage, ZERO_USAGE } from "./counters.ts";
 * const turn = { ...ZERO_USAGE, inputTokens: 10, costUsd: 0.25 };
 * assert.deepEqual(addUsage(turn, turn), { ...ZERO_USAGE, inputTokens: 20, costUsd: 0.5 });
 * ```
 */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

/**
 * Spend → the dollar form (`--json`'s field names and order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toUsage, zeroSpend } from "./counters.ts";
 * assert.equal(toUsage({ ...zeroSpend(), costNanos: 1_500_000_000 }).costUsd, 1.5);
 * ```
 */
export function toUsage(s: Spend): Usage {
  return {
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    cacheReadTokens: s.cacheReadTokens,
    cacheWriteTokens: s.cacheWriteTokens,
    costUsd: s.costNanos / NANOS,
  };
}
