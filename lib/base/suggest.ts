/**
 * "Did you mean …?" for a mistyped verb or flag: the nearest known name by
 * edit distance, when it is near enough to be a typo rather than another word.
 *
 * @module
 */

/**
 * Edits (insert, delete, substitute, swap two neighbours) that turn `a` into
 * `b`: the optimal-string-alignment distance, so `shwo` is one edit from
 * `show`, as a typing slip is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { editDistance } from "./suggest.ts";
 *
 * assert.equal(editDistance("lss", "ls"), 1);
 * assert.equal(editDistance("shwo", "show"), 1);
 * ```
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < rows; i++) d[i][0] = i;
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The candidate nearest to `word`, or null when none is near: at most one
 * edit per three characters of the longer word (at least one, at most
 * three), so `x` suggests nothing but `lmit` suggests `limit`. Ties go to
 * the first candidate. Case is ignored (`LS` suggests `ls`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closest } from "./suggest.ts";
 *
 * assert.equal(closest("lss", ["ls", "show", "cost"]), "ls");
 * assert.equal(closest("frobnicate", ["ls", "show"]), null);
 * ```
 */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(w.length, c.length) / 3)));
    if (c !== word && d <= allowed && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
