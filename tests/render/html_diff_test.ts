/**
 * Tests of lib/render/html_diff.ts: an edit's old and new text as a line
 * diff, and tool output that is a diff shown with its lines marked.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { diffHtml, diffLines, looksLikeDiff, markedDiff } from "../../lib/render/html_diff.ts";

describe("diffLines", () => {
  it("keeps the common lines and marks the changed run, removed lines first", () => {
    assert.deepEqual(diffLines("a\nb\nc\nd", "a\nx\ny\nd"), [
      [" ", "a"],
      ["-", "b"],
      ["-", "c"],
      ["+", "x"],
      ["+", "y"],
      [" ", "d"],
    ]);
  });

  it("gives back both texts: kept and removed lines are the old, kept and added the new", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "", "d e"), { maxLength: 12 })
      .map((l) => l.join("\n"));
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        const d = diffLines(before, after);
        assert.equal(d.filter(([m]) => m !== "+").map(([, l]) => l).join("\n"), before);
        assert.equal(d.filter(([m]) => m !== "-").map(([, l]) => l).join("\n"), after);
      }),
      { numRuns: 300 },
    );
  });

  it("past its bound shows the old text removed and the new added, still exact", () => {
    const before = Array.from({ length: 1000 }, (_, i) => `old ${i}`).join("\n");
    const after = Array.from({ length: 1000 }, (_, i) => `new ${i}`).join("\n");
    const d = diffLines(before, after);
    assert.equal(d.length, 2000);
    assert.ok(d.slice(0, 1000).every(([m]) => m === "-"));
  });

  it("as HTML, each line escaped in its mark", () => {
    assert.equal(
      diffHtml("<a>", "<b>"),
      '<pre class="diff"><del>-&lt;a&gt;</del>\n<ins>+&lt;b&gt;</ins></pre>',
    );
  });
});

describe("looksLikeDiff, markedDiff", () => {
  it("takes a diff for one, and neither a list nor prose", () => {
    assert.equal(looksLikeDiff("@@ -1 +1 @@\n-a\n+b\n"), true);
    assert.equal(looksLikeDiff("- one\n- two\n"), false);
    assert.equal(looksLikeDiff("+ one\n- two\nthree"), false);
  });
  it("marks removed and added lines, escaped", () => {
    assert.equal(
      markedDiff(" <x>\n-a\n+b"),
      '<pre class="out diff"> &lt;x&gt;\n<del>-a</del>\n<ins>+b</ins></pre>',
    );
  });
});
