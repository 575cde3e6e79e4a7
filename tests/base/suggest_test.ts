/** Typo suggestions: the edit distance and the closest known name. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { closest, editDistance } from "../../lib/base/suggest.ts";

describe("suggestions", () => {
  it("editDistance counts inserts, deletes, substitutions and swaps", () => {
    const cases: [string, string, number][] = [
      ["ls", "ls", 0],
      ["lss", "ls", 1],
      ["shwo", "show", 1],
      ["cots", "cost", 1],
      ["tial", "tail", 1],
      ["gx", "gc", 1],
      ["", "abc", 3],
      ["kitten", "sitting", 3],
    ];
    for (const [a, b, d] of cases) assert.equal(editDistance(a, b), d, `${a} → ${b}`);
  });

  it("closest suggests a near name and nothing for a far one", () => {
    const verbs = ["ls", "show", "tail", "cost", "gc", "help"];
    const cases: [string, string | null][] = [
      ["lss", "ls"],
      ["LS", "ls"],
      ["shwo", "show"],
      ["tali", "tail"],
      ["costs", "cost"],
      ["frobnicate", null],
      ["x", null],
      ["ls", null],
    ];
    for (const [word, want] of cases) assert.equal(closest(word, verbs), want, word);
    assert.equal(closest("lmit", ["all", "limit", "since"]), "limit");
    assert.equal(closest("no-tool", ["no-tools", "no-pager"]), "no-tools");
  });
});
