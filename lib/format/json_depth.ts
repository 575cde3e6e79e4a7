/**
 * Nesting depth of JSON values, without recursion.
 *
 * Why: `JSON.parse` is iterative in both engines (a million levels parse),
 * but `JSON.stringify` recurses, and so does every walk written the obvious
 * way. A valid 100 kB line whose tool-call arguments nest 50k levels made
 * `show` and `tail` die with "Maximum call stack size exceeded" (Bun: compact
 * stringify fails at 50k levels; Deno: pretty stringify fails at 10k), losing
 * every later message. So arguments nested deeper than
 * {@linkcode JSON_DEPTH_LIMIT} are cut, as arguments too long are, and what
 * is below the limit is safe for any recursive code.
 *
 * @module
 */

/**
 * Deepest nesting of tool-call arguments shown whole: `[]` is depth 1. Go's
 * encoding/json, which zot reads with, refuses 10,000; real arguments nest
 * a handful of levels.
 */
export const JSON_DEPTH_LIMIT = 512;

/**
 * True when a parsed JSON value nests deeper than `limit` (`[]` is 1, a
 * scalar 0). Stops at the first container over it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deeperThan } from "./json_depth.ts";
 *
 * assert.equal(deeperThan([[1]], 1), true);
 * assert.equal(deeperThan([[1]], 2), false);
 * ```
 */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === "object" && child !== null) {
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return false;
}

/**
 * The compact JSON text of a parsed value, cut before the first container
 * deeper than `limit` or once it reaches `maxChars` (roughly; one string may
 * pass it): the start of what `JSON.stringify` gives, written without
 * recursion. `cut` says whether anything was left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonPrefix } from "./json_depth.ts";
 *
 * assert.deepEqual(jsonPrefix({ a: [[1]] }, 2, 100), { text: '{"a":[', cut: true });
 * assert.deepEqual(jsonPrefix({ a: [1] }, 2, 100), { text: '{"a":[1]}', cut: false });
 * ```
 */
export function jsonPrefix(
  value: unknown,
  limit: number,
  maxChars: number,
): { text: string; cut: boolean } {
  let text = "";
  // One frame per open container: its entries, and where it is in them.
  type Frame = { close: string; entries: [string | null, unknown][]; next: number };
  const frames: Frame[] = [];
  const open = (v: object): boolean => {
    if (frames.length + 1 > limit) return false;
    const isArray = Array.isArray(v);
    text += isArray ? "[" : "{";
    frames.push({
      close: isArray ? "]" : "}",
      entries: isArray ? (v as unknown[]).map((x) => [null, x]) : Object.entries(v),
      next: 0,
    });
    return true;
  };
  const scalar = (v: unknown) => JSON.stringify(v) ?? "null";
  if (typeof value !== "object" || value === null) return { text: scalar(value), cut: false };
  if (!open(value)) return { text: "", cut: true };
  while (frames.length > 0) {
    if (text.length >= maxChars) return { text, cut: true };
    const top = frames[frames.length - 1];
    if (top.next === top.entries.length) {
      text += top.close;
      frames.pop();
      continue;
    }
    const [key, v] = top.entries[top.next];
    if (top.next++ > 0) text += ",";
    if (key !== null) text += JSON.stringify(key) + ":";
    if (typeof v === "object" && v !== null) {
      if (!open(v)) return { text, cut: true };
    } else text += scalar(v);
  }
  return { text, cut: false };
}
