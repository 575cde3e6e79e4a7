/**
 * Tests of lib/render/html_text.ts: `escapeHtml` and `ProseText`, the
 * transcript text of `show --html`: fenced code, code spans and bold, and
 * the same page however the text was cut into pieces.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { escapeHtml, ProseText } from "../../lib/render/html_text.ts";

/** The text whole, through a fresh ProseText. */
function prose(text: string): string {
  const t = new ProseText();
  return t.push(text) + t.end();
}

/** The text cut at `cuts`, through a fresh ProseText. */
function proseInPieces(text: string, cuts: number[]): string {
  const t = new ProseText();
  let out = "";
  let from = 0;
  for (const at of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    out += t.push(text.slice(from, at));
    from = at;
  }
  return out + t.push(text.slice(from)) + t.end();
}

describe("escapeHtml", () => {
  it("escapes the five characters and shows control characters", () => {
    assert.equal(escapeHtml(`<a href='x'>&"`), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
    assert.equal(escapeHtml("a\x1b[2J\u202eb\tc\nd"), "a␛[2J\\u{202e}b\tc\nd");
  });
});

describe("ProseText", () => {
  const cases: [string, string, string][] = [
    ["prose stays text, newlines kept", "a\n\nb <i>", "a\n\nb &lt;i&gt;"],
    ["a final newline shows nothing", "a\n", "a"],
    [
      "a fence makes a code block, the newlines at its edges dropped",
      "See:\n```ts\nif (a < b) {}\n```\nok",
      'See:<pre class="code"><code>if (a &lt; b) {}</code></pre>ok',
    ],
    [
      "only its own kind and length closes a fence",
      "~~~~\n```\n~~~\n~~~~\nafter",
      '<pre class="code"><code>```\n~~~</code></pre>after',
    ],
    ["an unclosed fence runs to the end", "```\ncode", '<pre class="code"><code>code</code></pre>'],
    ["a backtick fence's info string holds no backtick", "``` a`b\nx", "``` a`b\nx"],
    [
      "code spans",
      "run `ls <dir>` or ``a`b``",
      "run <code>ls &lt;dir&gt;</code> or <code>a`b</code>",
    ],
    ["an unclosed code span is text", "a `b", "a `b"],
    ["bold", "**Now:** go", "<strong>Now:</strong> go"],
    [
      "inside a code block nothing is inline",
      "```\n`x` **y**\n```",
      '<pre class="code"><code>`x` **y**</code></pre>',
    ],
  ];
  for (const [what, text, html] of cases) {
    it(what, () => assert.equal(prose(text), html));
  }

  it("a line too long to hold streams as plain text", () => {
    const t = new ProseText();
    const long = "`" + "x".repeat(5000) + "`";
    const out = t.push(long.slice(0, 4500));
    assert.ok(out.length >= 4000, "the held part went out once the line was known to be long");
    assert.equal(out + t.push(long.slice(4500)) + t.end(), long);
  });

  it("the same text cut anywhere gives the same HTML", () => {
    const piece = fc.constantFrom(
      "```",
      "~~~",
      "`",
      "**",
      "\n",
      " ",
      "a",
      "<",
      "&",
      "x".repeat(4100),
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.string()), { maxLength: 20 }).map((p) => p.join("")),
        fc.array(fc.nat(), { maxLength: 6 }),
        (text, cuts) => assert.equal(proseInPieces(text, cuts), prose(text)),
      ),
      { numRuns: 300 },
    );
  });
});
