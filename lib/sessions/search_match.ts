/**
 * What a search matches, exactly: a message matches when its text contains
 * every term, case-insensitively, as a substring. Case is folded one code
 * point at a time (so positions in the folded text are positions in the
 * original), as SQLite's FTS5 folds: the index's candidates are then always
 * a superset of the exact matches checked here. Pure.
 *
 * @module
 */

/**
 * Folds case one UTF-16 unit for one: lower case, final sigma as sigma; a
 * character whose lower case is longer (İ) is kept as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { foldCase } from "./search_match.ts";
 *
 * assert.equal(foldCase("Idempotency-Key ΟΔΟΣ"), "idempotency-key οδοσ");
 * assert.equal(foldCase("İx").length, 2);
 * ```
 */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower.replaceAll("ς", "σ");
  let out = "";
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out.replaceAll("ς", "σ");
}

/**
 * The search's terms: each argument one term (a phrase stays whole), case
 * folded; empty ones dropped, repeats kept once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchTerms } from "./search_match.ts";
 *
 * assert.deepEqual(searchTerms(["Cart button", "cart button", "", "Go"]), ["cart button", "go"]);
 * ```
 */
export function searchTerms(words: string[]): string[] {
  return [...new Set(words.map(foldCase).filter((w) => w.trim() !== ""))];
}

/**
 * Every occurrence of every term in `text` as `[start, end)` in UTF-16
 * units, sorted and merged; null when a term does not occur.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchRanges } from "./search_match.ts";
 *
 * assert.deepEqual(matchRanges("Transfers: transfer", ["transf"]), [[0, 6], [11, 17]]);
 * assert.equal(matchRanges("Transfers", ["transf", "key"]), null);
 * ```
 */
export function matchRanges(text: string, terms: string[]): [number, number][] | null {
  const folded = foldCase(text);
  const ranges: [number, number][] = [];
  for (const t of terms) {
    let at = folded.indexOf(t);
    if (at === -1) return null;
    while (at !== -1) {
      ranges.push([at, at + t.length]);
      at = folded.indexOf(t, at + t.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** A hit's snippet: text around the first match, on one line, and where the matches are. */
export interface Snippet {
  text: string;
  /** `[start, end)` in code points of `text`. */
  matches: [number, number][];
}

/**
 * A window of about `width` characters around the first match, runs of
 * white space as one space, "…" where text was left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { snippet } from "./search_match.ts";
 *
 * const s = snippet("fix the\n\nbug now", [[9, 12]], 80);
 * assert.deepEqual(s, { text: "fix the bug now", matches: [[8, 11]] });
 * ```
 */
export function snippet(text: string, ranges: [number, number][], width = 160): Snippet {
  return snippetAt(text, 0, text.length, ranges, width);
}

/**
 * How far a snippet of `width` reaches before and after its first match:
 * {@linkcode snippetAt} needs the text from `first - before` to
 * `first + after` (within the text).
 */
export function snippetReach(width: number): { before: number; after: number } {
  return { before: width + 2, after: width + 2 };
}

/**
 * {@linkcode snippet} of a text of `length` units of which only `window`
 * is at hand, starting at `base`: it must hold the text
 * {@linkcode snippetReach} around the first range; `ranges` (in the whole
 * text) must hold at least those that reach into it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { snippet, snippetAt } from "./search_match.ts";
 *
 * const text = "x".repeat(500) + " needle " + "y".repeat(500);
 * const ranges: [number, number][] = [[501, 507]];
 * assert.deepEqual(snippetAt(text.slice(300, 800), 300, text.length, ranges, 160), snippet(text, ranges));
 * ```
 */
export function snippetAt(
  window: string,
  base: number,
  length: number,
  ranges: [number, number][],
  width = 160,
): Snippet {
  const unit = (i: number) => window.charCodeAt(i - base);
  const low = (c: number) => c >= 0xdc00 && c <= 0xdfff;
  const first = ranges[0] ?? [0, 0];
  let start = Math.max(0, first[0] - Math.floor(width / 3));
  let end = Math.min(length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  // Not in the middle of a surrogate pair.
  if (start > 0 && low(unit(start))) start--;
  if (end < length && low(unit(end))) end++;
  let out = start > 0 ? "…" : "";
  // Text index (from start) → code point of out.
  const map = new Int32Array(end - start + 1);
  let points = out.length;
  let space = false;
  for (let i = start; i < end; i++) {
    map[i - start] = points;
    const c = unit(i);
    if (isSpace(c)) {
      if (!space && out !== "" && out !== "…") {
        out += " ";
        points++;
      }
      space = true;
      continue;
    }
    space = false;
    out += window[i - base];
    // A high surrogate and its low one are one code point.
    if (c < 0xd800 || c > 0xdbff) points++;
  }
  map[end - start] = points;
  // Only a space (one, white space was joined) can end out.
  const trimmed = out.endsWith(" ") ? out.slice(0, -1) : out;
  // (Code points as the text has them: a lone high surrogate is one.)
  const points2 = [...trimmed].length;
  const matches: [number, number][] = [];
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) continue;
    const s = map[Math.max(a, start) - start];
    const e = Math.min(map[Math.min(b, end) - start], points2);
    if (e > s) matches.push([s, e]);
  }
  return { text: end < length ? trimmed + "…" : trimmed, matches };
}

/**
 * Whether a UTF-16 unit is white space as `/\s/` has it (JavaScript's
 * WhiteSpace and LineTerminator), without a regular expression.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isSpace } from "./search_match.ts";
 *
 * assert.deepEqual([" ", "\u00a0", "\u3000", "x", "\u200b"].map((c) => isSpace(c.charCodeAt(0))), [
 *   true, true, true, false, false,
 * ]);
 * ```
 */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 ||
    c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
