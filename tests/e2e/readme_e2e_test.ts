/**
 * Every `$ zot-sessions …` example in README.md is real output: the binary
 * is run on the example home with the clock pinned (ZOT_SESSIONS_NOW), in
 * UTC, without colour, and what it prints must be what the README shows.
 *
 * An example is a fenced block whose first line is `$ zot-sessions ARGS`
 * (or `$ COLUMNS=N zot-sessions ARGS`, for a table at that width); the lines
 * after it, to the end of the block, are its stdout. The repository's
 * absolute path is written `…` in the README.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BIN, ROOT, run } from "./harness.ts";

/** The instant the README's relative times are measured from. */
export const README_NOW = "2026-11-25T12:00:00Z";

/** One example: the arguments and the expected stdout. */
export interface ReadmeExample {
  line: number;
  args: string[];
  expected: string;
  /** The width asked with `COLUMNS=N` before the command, if any. */
  columns?: string;
}

/** An example's first line: `$ [COLUMNS=N ]zot-sessions ARGS`. */
const COMMAND = /^\$ (?:COLUMNS=(\d+) )?zot-sessions (.*)$/;

/**
 * Splits a shell-like command line: spaces separate words, single and double
 * quotes group them (no escapes, no variables: the README keeps examples simple).
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const m of text.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

/** The examples of a Markdown text, in order. */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split("\n");
  const out: ReadmeExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const command = COMMAND.exec(lines[i + 1] ?? "");
    if (!/^```\s*$/.test(lines[i]) || !command) continue;
    const start = i + 1;
    let end = start + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    out.push({
      line: start + 1,
      args: splitWords(command[2]),
      expected: lines.slice(start + 1, end).join("\n"),
      ...(command[1] === undefined ? {} : { columns: command[1] }),
    });
    i = end;
  }
  return out;
}

describe("README examples", () => {
  it("finds the examples it checks", () => {
    assert.deepEqual(readmeExamples("x\n```\n$ zot-sessions ls -a 'b c'\nout\n```\n"), [
      { line: 3, args: ["ls", "-a", "b c"], expected: "out" },
    ]);
    assert.deepEqual(readmeExamples("```\n$ COLUMNS=60 zot-sessions cost\nout\n```\n"), [
      { line: 2, args: ["cost"], expected: "out", columns: "60" },
    ]);
    assert.deepEqual(readmeExamples("```\n$ LANG=C zot-sessions cost\nout\n```\n"), []);
  });

  const examples = readmeExamples(readFileSync(join(ROOT, "README.md"), "utf8"));
  it("has an example for every verb", () => {
    const verbs = new Set(examples.map((e) => e.args[0]));
    for (const verb of ["ls", "show", "tail", "cost", "gc"]) {
      assert.ok(verbs.has(verb), `README has no "$ zot-sessions ${verb}" example`);
    }
  });

  for (const ex of examples) {
    it(`README.md:${ex.line}: zot-sessions ${ex.args.join(" ")}`, () => {
      const r = run(BIN, ex.args, {
        ZOT_SESSIONS_NOW: README_NOW,
        TZ: "UTC",
        NO_COLOR: "1",
        ...(ex.columns === undefined ? {} : { COLUMNS: ex.columns }),
      });
      assert.equal(r.code, 0, r.err);
      // Blank lines at the end (after each search hit) are not in the
      // README: deno fmt drops them from a code block.
      const got = r.out.replaceAll(ROOT, "…").replace(/\n+$/, "");
      assert.equal(got, ex.expected);
    });
  }
});
