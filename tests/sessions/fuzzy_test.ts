/**
 * Tests of lib/sessions/fuzzy.ts: how `pick` ranks sessions as one types.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { FuzzyList, RANK_MAX, sessionMatchText } from "../../lib/sessions/fuzzy.ts";
import type { SessionInfo } from "../../lib/sessions/info.ts";

/** A list over plain strings (newest first, as sessions come). */
const list = (items: string[]) => new FuzzyList(items, (t) => t);

describe("FuzzyList", () => {
  it("ranks whole words and word starts above letters spread out", () => {
    const l = list(["a pretty rare sentence", "parser fails", "fix the parser"]);
    assert.deepEqual(l.filter("parser"), ["parser fails", "fix the parser"]);
    assert.deepEqual(l.filter("par"), ["parser fails", "fix the parser"]);
  });

  it("keeps the list's order (newest first) among equal matches", () => {
    const l = list(["cart one", "cart two", "cart three"]);
    assert.deepEqual(l.filter("cart"), ["cart one", "cart two", "cart three"]);
  });

  it("matches words in any order, each one required", () => {
    const l = list(["add a cart button", "cart totals", "button colours"]);
    assert.deepEqual(l.filter("button cart"), ["add a cart button"]);
    assert.deepEqual(l.filter("cart button"), ["add a cart button"]);
  });

  it("allows one letter of slack, ignores case and accents, and leaves out -words", () => {
    const l = list(["Fix the Parser", "café menu", "parse dates"]);
    assert.deepEqual(l.filter("prser"), ["Fix the Parser"]);
    assert.deepEqual(l.filter("PARSER"), ["Fix the Parser"]);
    assert.deepEqual(l.filter("cafe"), ["café menu"]);
    assert.deepEqual(l.filter("pars -dates"), ["Fix the Parser"]);
  });

  it("matches CJK text", () => {
    const l = list(["季節限定メニュー 🍂", "メニューの価格表示を円に"]);
    assert.deepEqual(l.filter("価格"), ["メニューの価格表示を円に"]);
  });

  it("keeps everything, in order, for a query with nothing to match", () => {
    const l = list(["b", "a"]);
    for (const q of ["", "   ", "!!"]) assert.deepEqual(l.filter(q), ["b", "a"]);
  });

  it("past RANK_MAX matches, keeps the list's order", () => {
    const items = Array.from({ length: RANK_MAX + 5 }, (_, i) => `session ${i} parser`);
    assert.deepEqual(list(items).filter("parser"), items);
  });

  it("gives only items that hold every typed word's letters, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z ]{0,12}$/), { maxLength: 20 }),
        fc.stringMatching(/^[a-z]{1,4}$/),
        (items, q) => {
          const found = list(items).filter(q);
          const letters = new RegExp([...q].join(".*"));
          for (const f of found) assert.match(f, letters);
          // Every item that holds the word as written is found.
          for (const item of items) if (item.includes(q)) assert.ok(found.includes(item), item);
        },
      ),
    );
  });
});

describe("sessionMatchText", () => {
  it("joins title, the first prompt's start on one line, project, model and short id", () => {
    const s = {
      title: null,
      firstPrompt: "line one\nline two " + "x".repeat(500),
      cwd: "/src/app",
      model: "gpt-5",
      shortId: "0e19291e",
    } as SessionInfo;
    const t = sessionMatchText(s);
    assert.match(t, /^line one line two x+ \/src\/app gpt-5 0e19291e$/);
    assert.ok(t.length < 300);
  });
});
