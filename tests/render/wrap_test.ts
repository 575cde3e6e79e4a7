import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { cellsOf, joinCells, wrapCells } from "../../lib/render/wrap.ts";
import { displayWidth } from "../../lib/render/width.ts";

const text = (line: { text: string }[]) => line.map((c) => c.text).join("");

describe("wrap", () => {
  it("breaks at spaces, inside a word only when it is wider than a line", () => {
    const lines = wrapCells(cellsOf("fix the 日本語 header please", [], (t) => t), 12, 10);
    assert.deepEqual(lines.map(text), ["fix the", "日本語", "header", "please"]);
    const long = wrapCells(cellsOf("a supercalifragilistic b", [], (t) => t), 8, 8);
    assert.deepEqual(long.map(text), ["a", "supercal", "ifragili", "stic b"]);
    assert.deepEqual(wrapCells([], 5, 5), [[]]);
  });

  it("keeps marks across breaks and never splits a grapheme", () => {
    const cells = cellsOf("see 👍🏽👍🏽 the cart button", [[13, 24]], (t) => t);
    const lines = wrapCells(cells, 10, 10);
    assert.deepEqual(lines.map((l) => joinCells(l, (t) => `[${t}]`)), [
      "see 👍🏽👍🏽",
      "the [cart]",
      "[button]",
    ]);
  });

  it("lines fit, and only spaces at the breaks are lost (property)", () => {
    const word = fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 })
      .filter((w) => !/\s/.test(w));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), fc.integer({ min: 2, max: 30 }), (ws, w) => {
        const s = ws.join(" ");
        const lines = wrapCells(cellsOf(s, [], (t) => t), w, w);
        for (const l of lines) {
          // A line is wider only when it holds a single grapheme wider than the line.
          assert.ok(displayWidth(text(l)) <= w || l.length === 1, text(l));
          assert.ok(!text(l).startsWith(" ") && !text(l).endsWith(" "));
        }
        assert.equal(lines.map(text).join("").replaceAll(" ", ""), s.replaceAll(" ", ""));
      }),
    );
  });
});
