/**
 * The `budgets` section of `zot-sessions.jsonc` (the file gc reads too, see
 * config.ts): daily, weekly and monthly limits in dollars, for every project
 * together and per project.
 *
 * ```jsonc
 * {
 *   "budgets": {
 *     "daily": 20, "weekly": 80, "monthly": 250,
 *     "weekStart": "monday",
 *     "projects": { "~/src/app": { "daily": 5 } }
 *   }
 * }
 * ```
 *
 * It reads jsonc-parser's tree through the few fields it needs (config.ts
 * stays the one import of the parser); every error names the file, line and
 * column, as config.ts's do.
 *
 * @module
 */
import { UsageError } from "../base/errors.ts";

/** A period a budget is for. */
export type BudgetPeriod = "day" | "week" | "month";

/** The config's word for each period. */
export const BUDGET_KEYS = { daily: "day", weekly: "week", monthly: "month" } as const;

/** One configured budget. */
export interface Budget {
  period: BudgetPeriod;
  limitUsd: number;
  /** The project (as written, `~` not yet expanded), or null for every project together. */
  project: string | null;
}

/** The `budgets` section, checked. */
export interface BudgetConfig {
  budgets: Budget[];
  weekStart: "monday" | "sunday";
}

/** What this module reads of a jsonc-parser node. */
export interface ConfigNode {
  type: string;
  value?: unknown;
  offset: number;
  children?: ConfigNode[];
}

/** No budgets. */
export const NO_BUDGETS: BudgetConfig = { budgets: [], weekStart: "monday" };

/**
 * Checks the `budgets` object; `at(node)` names where a node is (`"path":
 * line 3, column 5`). Limits are positive dollar amounts; project keys are
 * absolute paths or start with `~/`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBudgets } from "./budget_config.ts";
 *
 * // What jsonc-parser's parseTree makes of { "daily": 20 } (config.ts parses).
 * const key = { type: "string", value: "daily", offset: 2 };
 * const prop = { type: "property", offset: 2, children: [key, { type: "number", value: 20, offset: 11 }] };
 * const node = { type: "object", offset: 0, children: [prop] };
 * assert.deepEqual(parseBudgets(node, () => "c.jsonc").budgets, [
 *   { period: "day", limitUsd: 20, project: null },
 * ]);
 * prop.children[1].value = -1;
 * assert.throws(() => parseBudgets(node, () => "c.jsonc"), /"budgets.daily" must be a positive number/);
 * ```
 */
export function parseBudgets(node: ConfigNode, at: (n: ConfigNode) => string): BudgetConfig {
  const fail = (n: ConfigNode, detail: string) =>
    new UsageError(`Cannot read config ${at(n)}: ${detail}`);
  if (node.type !== "object") throw fail(node, `"budgets" must be an object`);
  const out: BudgetConfig = { budgets: [], weekStart: "monday" };
  const limits = (obj: ConfigNode, name: string, project: string | null, nested: boolean) => {
    for (const prop of obj.children ?? []) {
      const [k, v] = prop.children ?? [];
      const key = String(k?.value);
      const where = `${name}.${key}`;
      if (Object.hasOwn(BUDGET_KEYS, key)) {
        if (v?.type !== "number" || !(Number(v.value) > 0) || !Number.isFinite(v.value)) {
          throw fail(v ?? prop, `"${where}" must be a positive number of dollars`);
        }
        const period = BUDGET_KEYS[key as keyof typeof BUDGET_KEYS];
        out.budgets.push({ period, limitUsd: Number(v.value), project });
      } else if (!nested && key === "weekStart") {
        if (v?.value !== "monday" && v?.value !== "sunday") {
          throw fail(v ?? prop, `"${where}" must be "monday" or "sunday"`);
        }
        out.weekStart = v.value;
      } else if (!nested && key === "projects") {
        if (v?.type !== "object") throw fail(v ?? prop, `"${where}" must be an object`);
        for (const p of v.children ?? []) {
          const [pk, pv] = p.children ?? [];
          const dir = String(pk?.value);
          if (!dir.startsWith("/") && !dir.startsWith("~/") && !/^[A-Za-z]:[\\/]/.test(dir)) {
            throw fail(pk ?? p, `"${where}" keys must be absolute paths or start with ~/`);
          }
          if (pv?.type !== "object") {
            throw fail(pv ?? p, `"${where}.${dir}" must be an object`);
          }
          limits(pv, `${where}.${dir}`, dir, true);
        }
      } else {
        const known = nested
          ? "daily, weekly, monthly"
          : "daily, weekly, monthly, weekStart, projects";
        throw fail(k ?? prop, `unknown key "${where}" (known: ${known})`);
      }
    }
  };
  limits(node, "budgets", null, false);
  return out;
}
