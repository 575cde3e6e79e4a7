/**
 * The streaming check ({@linkcode TextMatcher}) gives, for any text cut into
 * any pieces, what the whole-text check gives: `matchRanges` (whether every
 * term occurs, and how many merged ranges) and `snippet` (text and matches).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { foldCase, matchRanges, searchTerms, snippet } from "../../lib/sessions/search_match.ts";
import { TextMatcher } from "../../lib/sessions/text_match.ts";

/** Characters that stress folding, surrogates and white space. */
const CHARS = ["a", "b", "A", "B", " ", "\n", "Σ", "ς", "σ", "İ", "i", "😀", "\ud83d", "ß", "x"];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 400 }).map((cs) => cs.join(""));

function whole(t: string, terms: string[], width: number) {
  const ranges = matchRanges(t, terms);
  return ranges === null ? null : { score: ranges.length, snippet: snippet(t, ranges, width) };
}

/** The pieces of `t` cut at `cuts` (taken modulo its length + 1). */
function pieces(t: string, cuts: number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const c of [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b)) {
    out.push(t.slice(at, c));
    at = c;
  }
  out.push(t.slice(at));
  return out;
}

function streamed(t: string, terms: string[], cuts: number[], width: number) {
  const m = new TextMatcher(terms, width);
  let at = 0;
  for (const c of [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b)) {
    m.feed(t.slice(at, c));
    at = c;
  }
  m.feed(t.slice(at));
  return m.end();
}

describe("TextMatcher", () => {
  it("agrees with the whole-text check for any pieces", () => {
    fc.assert(
      fc.property(
        text,
        fc.array(fc.oneof(fc.constantFrom(...CHARS), fc.string({ maxLength: 3 })), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom(4, 10, 160),
        (t, words, cuts, width) => {
          const terms = searchTerms(words);
          fc.pre(terms.length > 0);
          assert.deepEqual(streamed(t, terms, cuts, width), whole(t, terms, width));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("agrees on terms taken from the text, in long texts with many matches", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("ab", "ba", "aab", " x ", "Σς", "😀a"), { maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (parts, from, len, cuts) => {
          const t = parts.join("");
          fc.pre(t.length > 0);
          const a = from % t.length;
          const terms = searchTerms([t.slice(a, a + len), "a"]);
          fc.pre(terms.length > 0);
          assert.deepEqual(streamed(t, terms, cuts, 20), whole(t, terms, 20));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("once decided, the rest of the text changes nothing but the score", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("ab", "ba", "aab", " x ", "Σς", "😀a", "\n"), { maxLength: 300 }),
        fc.array(fc.constantFrom("ab", "a", "x", "b a", "σ", "😀"), { minLength: 1, maxLength: 2 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.constantFrom(4, 10, 20),
        (parts, words, cuts, width) => {
          const t = parts.join("");
          const terms = searchTerms(words);
          const want = whole(t, terms, width);
          const m = new TextMatcher(terms, width);
          let stopped = false;
          for (const piece of pieces(t, cuts)) {
            if (m.decided()) {
              stopped = true;
              break;
            }
            m.feed(piece);
          }
          const got = m.end();
          if (want === null) return assert.equal(got, null);
          assert.deepEqual(got?.snippet, want.snippet);
          assert.ok(got!.score <= want.score && got!.score >= 1);
          if (!stopped) assert.equal(got!.score, want.score);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("is decided early in a long text whose terms come first", () => {
    const m = new TextMatcher(searchTerms(["needle", "hay"]), 160);
    m.feed("hay and a needle ");
    assert.equal(m.decided(), false);
    m.feed("lorem ipsum ".repeat(20));
    assert.equal(m.decided(), true);
  });

  it("keeps little of a long text", () => {
    const m = new TextMatcher(searchTerms(["needle"]));
    const filler = "lorem ipsum ".repeat(5000);
    for (let i = 0; i < 200; i++) m.feed(i === 150 ? filler + "NEEDLE" : filler);
    const r = m.end();
    assert.equal(r?.score, 1);
    assert.match(r!.snippet.text, /NEEDLE/);
    assert.equal(foldCase("NEEDLE"), "needle");
  });
});
