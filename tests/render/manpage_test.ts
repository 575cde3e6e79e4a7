/**
 * Tests of lib/render/manpage.ts: help text shapes as man macros. Expected
 * roff is written out by hand.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { helpRoff, manPage, roffText } from "../../lib/render/manpage.ts";

describe("roff text", () => {
  it("escapes backslashes, dashes, requests and non-ASCII", () => {
    assert.equal(roffText("a\\b"), "a\\eb");
    assert.equal(roffText("--all"), "\\-\\-all");
    assert.equal(roffText(".jsonl files"), "\\&.jsonl files");
    assert.equal(roffText("'quoted'"), "\\&'quoted'");
    assert.equal(roffText("project… ≥ 1 🍂"), "project\\[u2026] \\[u2265] 1 \\[u1F342]");
    assert.equal(roffText("a.b 'c'"), "a.b 'c'"); // only at the start of a line
  });
});

describe("help as man macros", () => {
  it("paragraphs, labels, option rows with continuations, examples", () => {
    const help = `Usage: zs gc [policies]
       zs gc SESSION...

List the sessions, newest first (zot's order):
id and title.

Options:
  -a, --all          every project
      --since WHEN   at or after WHEN: today or
                     -5d (a dash at the start)
  SESSION            an id

Examples:
  zs ls  # all of them`;
    assert.equal(
      helpRoff(help),
      [
        ".PP",
        ".nf",
        "Usage: zs gc [policies]",
        "       zs gc SESSION...",
        ".fi",
        ".PP",
        "List the sessions, newest first (zot's order):",
        "id and title.",
        ".PP",
        "\\fBOptions:\\fR",
        ".TP",
        "\\fB\\-a\\fR, \\fB\\-\\-all\\fR",
        "every project",
        ".TP",
        "\\fB\\-\\-since\\fR \\fIWHEN\\fR",
        "at or after WHEN: today or",
        "\\-5d (a dash at the start)",
        ".TP",
        "\\fBSESSION\\fR",
        "an id",
        ".PP",
        "\\fBExamples:\\fR",
        ".RS 2",
        ".nf",
        "zs ls  # all of them",
        ".fi",
        ".RE",
      ].join("\n"),
    );
  });

  it("a page has the sections, in order", () => {
    const page = manPage({
      program: "zs",
      version: "1.2",
      summary: "does things",
      verbs: [{ name: "ls", summary: "list", help: "Usage: zs ls" }],
      sections: [["EXIT STATUS", "  0  fine"]],
    });
    const heads = page.split("\n").filter((l) => /^\.(TH|SH|SS) /.test(l));
    assert.deepEqual(heads, [
      '.TH ZS 1 "" "zs 1.2" "User Commands"',
      ".SH NAME",
      ".SH SYNOPSIS",
      ".SH DESCRIPTION",
      ".SH COMMANDS",
      ".SS ls",
      ".SH EXIT STATUS",
    ]);
    assert.ok(page.includes("zs \\- does things\n"));
  });
});
