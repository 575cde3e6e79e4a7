/**
 * Reading a field of a parsed JSON object the way zot's Go reader does: a
 * field that is missing or of another type is its zero value ("" or 0), and
 * a number that is not finite is 0.
 *
 * @module
 */

/** A parsed JSON object. */
export type Obj = Record<string, unknown>;

/**
 * Whether a parsed JSON value is an object (not null, not an array).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isObj } from "./json_value.ts";
 *
 * assert.ok(isObj({ a: 1 }));
 * assert.ok(!isObj([1]));
 * assert.ok(!isObj(null));
 * ```
 */
export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
/**
 * A string field, or "" (Go's zero value).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { str } from "./json_value.ts";
 *
 * assert.equal(str("hi"), "hi");
 * assert.equal(str(3), "");
 * ```
 */
export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}
/**
 * A finite number field, or 0 (Go's zero value).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { num } from "./json_value.ts";
 *
 * assert.equal(num(2.5), 2.5);
 * assert.equal(num("2"), 0);
 * assert.equal(num(Infinity), 0);
 * ```
 */
export function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}
