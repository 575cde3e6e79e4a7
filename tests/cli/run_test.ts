/**
 * The command line's own habits, in-process: unknown verbs and options with
 * typo suggestions, `help VERB`, and usage errors that list candidates.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type FixtureSession, simpleSession, tempHome } from "../helpers/fixtures.ts";
import { cliWith } from "../helpers/cli.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const A = "/home/dev/alpha";
const B = "/home/dev/beta";

const cli = cliWith({ now: NOW, processCwd: A });

const session = (id: string, cwd: string, hoursAgo: number): FixtureSession => ({
  cwd,
  name: `20260922-120509-${id.slice(0, 8)}.jsonl`,
  lines: simpleSession(id, cwd, `prompt of ${id.slice(0, 8)}`),
  mtimeMs: NOW - hoursAgo * 3_600_000,
});

describe("typos and help", () => {
  const usage: [string[], string][] = [
    [["lss"], 'Cannot run "lss": unknown command; did you mean "ls"? (see "zot-sessions --help")'],
    [["frobnicate"], 'Cannot run "frobnicate": unknown command (see "zot-sessions --help")'],
    [
      ["ls", "--lmit", "3"],
      'Cannot use option "--lmit": unknown option; did you mean "--limit"? (see "zot-sessions ls --help")',
    ],
    [
      ["show", "--no-tool"],
      'Cannot use option "--no-tool": unknown option; did you mean "--no-tools"? (see "zot-sessions show --help")',
    ],
    [
      ["ls", "--colour", "never"],
      'Cannot use option "--colour": unknown option; did you mean "--color"? (see "zot-sessions ls --help")',
    ],
    [
      ["help", "foo"],
      'Cannot show help for "foo": unknown command or topic (see "zot-sessions --help")',
    ],
    [
      ["help", "shw"],
      'Cannot show help for "shw": unknown command or topic; did you mean "show"? (see "zot-sessions --help")',
    ],
    [
      ["help", "envrionment"],
      'Cannot show help for "envrionment": unknown command or topic; did you mean "environment"? (see "zot-sessions --help")',
    ],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 for: ${args.join(" ")}`, async () => {
      const r = await cli(args);
      assert.equal(r.code, 2);
      assert.equal(r.out, "");
      assert.equal(r.err, `zot-sessions: ${message}\n`);
    });
  }

  it("help VERB is the verb's help, help alone the tool's; exit 0", async () => {
    const verb = await cli(["help", "show"]);
    assert.equal(verb.code, 0);
    assert.equal(verb.out, (await cli(["show", "--help"])).out);
    assert.match(verb.out, /^Usage: zot-sessions show/);
    const main = await cli(["help"]);
    assert.equal(main.code, 0);
    assert.match(main.out, /^zot-sessions \S+: list, read/);
  });
});

describe("usage errors with a list", () => {
  it("an ambiguous id lists the candidates, then the hint on a line of its own", async () => {
    const one = "abab0001-1111-4111-8111-111111111111";
    const two = "abab0002-2222-4222-8222-222222222222";
    const h = await tempHome([session(one, A, 1), session(two, B, 2)]);
    try {
      const r = await cli(["show", "abab", "--home", h.home, "--cwd", "/elsewhere"]);
      assert.equal(r.code, 2);
      assert.equal(r.out, "");
      const lines = r.err.trimEnd().split("\n");
      assert.equal(lines[0], 'zot-sessions: Cannot pick session "abab": 2 sessions match');
      assert.equal(lines.length, 4, r.err);
      assert.match(lines[1], new RegExp(`^  ${one}  ${A}  prompt of abab0001$`));
      assert.match(lines[2], new RegExp(`^  ${two}  ${B}  prompt of abab0002$`));
      assert.equal(
        lines[3],
        'hint: give more of the id to pick one (see "zot-sessions show --help")',
      );
    } finally {
      await h.cleanup();
    }
  });
});
