/**
 * Tests of lib/render/html_args.ts: a tool call's arguments as a person
 * reads them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { toolCallHtml } from "../../lib/render/html_args.ts";
import { markupProblems } from "../helpers/html_check.ts";

describe("toolCallHtml", () => {
  it("short values go on the call's line", () => {
    assert.equal(
      toolCallHtml("bash", '{"command":"ls -la","timeout":30}', false, false),
      '<div class="call"><div class="call-head"><span class="tool">bash</span> ' +
        '<span class="arg-inline"><span class="k">command</span> <code>ls -la</code></span> ' +
        '<span class="arg-inline"><span class="k">timeout</span> <code>30</code></span></div></div>\n',
    );
  });

  it("multi-line values are blocks, folded past 12 lines unless --full", () => {
    const content = Array.from({ length: 13 }, (_, i) => `line ${i}`).join("\n");
    const args = JSON.stringify({ path: "a.ts", content });
    const folded = toolCallHtml("write", args, false, false);
    assert.ok(
      folded.includes(
        '<details class="arg"><summary><span class="k">content</span> <span class="n">13 lines</span></summary><pre>line 0\n',
      ),
    );
    const full = toolCallHtml("write", args, false, true);
    assert.ok(full.includes('<div class="arg"><span class="k">content</span><pre>line 0\n'));
    const short = toolCallHtml("write", JSON.stringify({ content: "a\nb" }), false, false);
    assert.ok(
      short.includes('<div class="arg"><span class="k">content</span><pre>a\nb</pre></div>'),
    );
  });

  it("an edit's old and new text is a diff, named by its path", () => {
    const args = JSON.stringify({
      path: "a.css",
      edits: [{ oldText: "x {\n  a: 1;\n}", newText: "x {\n  a: 2;\n}" }],
    });
    const html = toolCallHtml("edit", args, false, false);
    assert.ok(
      html.includes(
        '<div class="arg"><span class="k">edits[0]</span><pre class="diff"><span> x {</span>\n<del>-  a: 1;</del>\n<ins>+  a: 2;</ins>\n<span> }</span></pre></div>',
      ),
    );
    const claude = toolCallHtml(
      "Edit",
      JSON.stringify({ old_string: "a", new_string: "b" }),
      false,
      false,
    );
    assert.ok(
      claude.includes(
        '<span class="k">edit</span><pre class="diff"><del>-a</del>\n<ins>+b</ins></pre>',
      ),
    );
  });

  it("nested values are named by their path", () => {
    const html = toolCallHtml(
      "t",
      JSON.stringify({ opts: { depth: 2, tags: ["a"] } }),
      false,
      false,
    );
    assert.ok(
      html.includes('<div class="arg"><span class="k">opts.depth</span> <code>2</code></div>'),
    );
    assert.ok(
      html.includes('<div class="arg"><span class="k">opts.tags[0]</span> <code>a</code></div>'),
    );
  });

  it("cut arguments are shown as the text they are, marked cut; null ones not at all", () => {
    const html = toolCallHtml("t", '{"a":"<b', true, false);
    assert.ok(
      html.includes('<span class="k">arguments</span><pre>{&quot;a&quot;:&quot;&lt;b…</pre>'),
    );
    assert.equal(
      toolCallHtml("screenshot", "null", false, false),
      '<div class="call"><div class="call-head"><span class="tool">screenshot</span></div></div>\n',
    );
  });

  it("many values are shown as JSON", () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const html = toolCallHtml("t", JSON.stringify(many), false, false);
    assert.ok(html.includes('<details class="arg"><summary><span class="k">arguments</span>'));
  });

  it("hostile names, keys and values stay text", () => {
    const evil = '<img src=x onerror=alert(1)>"';
    const html = toolCallHtml(
      evil,
      JSON.stringify({ [evil]: evil, b: { [evil]: `${evil}\n` } }),
      false,
      false,
    );
    assert.deepEqual(markupProblems(html), []);
  });
});
