/**
 * A usage row of a zot transcript (FORMAT.md's `usage` and `cumulative`
 * objects) → the `Usage` counters, and the bounds that keep every verb's
 * numbers finite and exact ({@linkcode usageProblem}).
 *
 * @module
 */
import type { Usage } from "../base/counters.ts";
import { isObj, num, type Obj } from "./json_value.ts";

/**
 * A usage object as zot writes it (`input_tokens`, …, `cost_usd`) → `Usage`.
 * Missing or non-numeric fields count as 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUsage } from "./usage_decode.ts";
 *
 * const u = decodeUsage({ input_tokens: 3, cost_usd: 0.01 });
 * assert.equal(u.inputTokens, 3);
 * assert.equal(u.outputTokens, 0);
 * ```
 */
export function decodeUsage(v: unknown): Usage {
  const o = isObj(v) ? v : {};
  return {
    inputTokens: num(o.input_tokens),
    outputTokens: num(o.output_tokens),
    cacheReadTokens: num(o.cache_read_tokens),
    cacheWriteTokens: num(o.cache_write_tokens),
    costUsd: num(o.cost_usd),
  };
}

/**
 * The largest token count one field of a usage row may hold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_USAGE_TOKENS, usageProblem } from "./usage_decode.ts";
 *
 * assert.equal(usageProblem({ usage: { input_tokens: MAX_USAGE_TOKENS } }), null);
 * ```
 */
export const MAX_USAGE_TOKENS = 1e12;
/**
 * The largest dollar amount a usage row may hold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_USAGE_USD, usageProblem } from "./usage_decode.ts";
 *
 * assert.equal(usageProblem({ usage: { cost_usd: MAX_USAGE_USD } }), null);
 * assert.notEqual(usageProblem({ usage: { cost_usd: MAX_USAGE_USD * 2 } }), null);
 * ```
 */
export const MAX_USAGE_USD = 1e6;

const COUNTERS = [
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
] as const;

/**
 * Why a usage row's counters cannot be true, or `null` when they can. Every
 * verb's numbers come from usage rows, so this one check keeps them finite
 * and exact: a counter must be a finite number ≥ 0 (JSON's `1e999` parses as
 * Infinity), token counts whole (zot writes Go ints) and at most
 * {@linkcode MAX_USAGE_TOKENS}, a cost at most {@linkcode MAX_USAGE_USD} —
 * far past any real session, and small enough that integer nanodollars of
 * sums stay exact. FORMAT.md's restart rule is about a *decrease between*
 * rows, which stays valid; a value below zero is no running total at all.
 * Missing or non-numeric fields are not checked: they read as 0, as Go's
 * zero value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usageProblem } from "./usage_decode.ts";
 *
 * const row = { usage: {}, cumulative: { cost_usd: 1e300 } };
 * assert.equal(usageProblem(row), "cumulative.cost_usd 1e+300 is out of range");
 * assert.equal(usageProblem({ usage: { input_tokens: 3 } }), null);
 * ```
 */
export function usageProblem(row: Obj): string | null {
  for (const part of ["cumulative", "usage"] as const) {
    const o = row[part];
    if (!isObj(o)) continue;
    for (const key of [...COUNTERS, "cost_usd"] as const) {
      const v = o[key];
      if (typeof v !== "number") continue;
      const max = key === "cost_usd" ? MAX_USAGE_USD : MAX_USAGE_TOKENS;
      if (!(v >= 0 && v <= max)) return `${part}.${key} ${v} is out of range`;
      if (key !== "cost_usd" && !Number.isInteger(v)) {
        return `${part}.${key} ${v} is not a whole number`;
      }
    }
  }
  return null;
}
