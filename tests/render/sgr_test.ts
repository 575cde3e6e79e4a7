/**
 * Tests of lib/render/sgr.ts: colour codes out of transcript text for a page,
 * the same whether the text comes whole or in pieces cut anywhere.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SgrStripper, stripSgr } from "../../lib/render/sgr.ts";

/** Pieces of text dense in escape sequences, whole, cut and joined. */
const escapey = fc.array(
  fc.constantFrom("\x1b", "[", "3", "1", ";", ":", "m", "x", "\x1b[0m", "\x1b[38;5;196m", "\n"),
  { maxLength: 40 },
).map((parts) => parts.join(""));

/** `text` through a stripper, cut at `cuts`. */
function inPieces(text: string, cuts: number[]): string {
  const s = new SgrStripper();
  let out = "";
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b)) {
    out += s.push(text.slice(from, cut));
    from = cut;
  }
  return out + s.push(text.slice(from)) + s.end();
}

describe("stripSgr", () => {
  it("takes out colours, bold and resets, 256 and true colour, and nothing else", () => {
    assert.equal(stripSgr("\x1b[1;31mFAIL\x1b[0m \x1b[m"), "FAIL ");
    assert.equal(stripSgr("\x1b[38;5;196ma\x1b[38:2::255:0:0mb"), "ab");
    // Not colours: clearing the screen, a title (OSC), a lone ESC.
    for (
      const kept of [
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\x1b",
        "\x1b[31",
        "\x1b[" + "1".repeat(65) + "m",
      ]
    ) {
      assert.equal(stripSgr(kept), kept, JSON.stringify(kept));
    }
  });

  it("in pieces, cut anywhere, gives what the whole text gives", () => {
    fc.assert(
      fc.property(escapey, fc.array(fc.nat(45), { maxLength: 6 }), (text, cuts) => {
        assert.equal(inPieces(text, cuts), stripSgr(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("holds no more than the start of one sequence", () => {
    const s = new SgrStripper();
    assert.equal(s.push("a\x1b[1;3"), "a");
    assert.equal(s.push("x"), "\x1b[1;3x");
    assert.equal(s.end(), "");
  });
});
