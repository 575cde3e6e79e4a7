/**
 * The snippet, written without regular expressions or a map per character,
 * gives what the first version gave (kept here as the reference) for any
 * text, ranges and width; and {@linkcode isSpace} is `/\s/`, unit for unit.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isSpace, matchRanges, type Snippet, snippet } from "../../lib/sessions/search_match.ts";

/** The first version of `snippetAt` on a whole text (regular expressions per character). */
function reference(text: string, ranges: [number, number][], width: number): Snippet {
  const at = (i: number) => text[i];
  const length = text.length;
  const first = ranges[0] ?? [0, 0];
  let start = Math.max(0, first[0] - Math.floor(width / 3));
  let end = Math.min(length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  if (start > 0 && /[\udc00-\udfff]/.test(at(start))) start--;
  if (end < length && /[\udc00-\udfff]/.test(at(end))) end++;
  let out = start > 0 ? "…" : "";
  const map = new Map<number, number>();
  let points = [...out].length;
  let space = false;
  for (let i = start; i < end; i++) {
    map.set(i, points);
    const ch = at(i);
    if (/\s/.test(ch)) {
      if (!space && out !== "" && out !== "…") {
        out += " ";
        points++;
      }
      space = true;
      continue;
    }
    space = false;
    out += ch;
    if (!/[\ud800-\udbff]/.test(ch)) points++;
  }
  map.set(end, points);
  const trimmed = out.trimEnd();
  const points2 = [...trimmed].length;
  const matches: [number, number][] = [];
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) continue;
    const s = map.get(Math.max(a, start))!;
    const e = Math.min(map.get(Math.min(b, end))!, points2);
    if (e > s) matches.push([s, e]);
  }
  return { text: end < length ? trimmed + "…" : trimmed, matches };
}

/** Characters that stress white space (of every kind), surrogates and folding. */
const CHARS = [
  "a",
  "b",
  "A",
  " ",
  "\n",
  "\t",
  "\u00a0",
  "\u2003",
  "\u3000",
  "\ufeff",
  "\u200b",
  "\u2028",
  "😀",
  "\ud83d",
  "\ude00",
  "Σ",
  "İ",
  "…",
  "x",
];

describe("snippet", () => {
  it("gives what the first version gave", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...CHARS), { maxLength: 300 }).map((cs) => cs.join("")),
        fc.array(fc.constantFrom("a", "b", "x", "a b", "😀", " "), { minLength: 1, maxLength: 2 }),
        fc.constantFrom(1, 4, 10, 160),
        (text, terms, width) => {
          const ranges = matchRanges(text, terms) ?? [];
          assert.deepEqual(snippet(text, ranges, width), reference(text, ranges, width));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("isSpace is /\\s/ for every UTF-16 unit", () => {
    for (let c = 0; c <= 0xffff; c++) {
      assert.equal(isSpace(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
    }
  });
});
