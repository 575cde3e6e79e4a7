// deno-lint-ignore-file no-control-regex -- these tests look for colour escapes on purpose
/**
 * The command line's own habits, in-process: typo suggestions, `help`,
 * `--color` and the colour environment, `--quiet`, usage errors with a hint,
 * and the help screens' shared layout and footer.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { COMMANDS, runCli } from "../../lib/cli/run.ts";
import { alignOptions, ENVIRONMENT, helpFooter } from "../../lib/cli/help.ts";
import { memoryIO } from "../../lib/commands/io.ts";
import { type ColorMode, useColor } from "../../lib/render/color.ts";
import { closest, editDistance } from "../../lib/base/suggest.ts";
import { ROOT } from "../e2e/harness.ts";
import { type FixtureSession, simpleSession, tempHome } from "../helpers/fixtures.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const A = "/home/dev/alpha";
const B = "/home/dev/beta";

async function cli(
  args: string[],
  opts: { tty?: boolean; env?: Record<string, string> } = {},
) {
  const io = memoryIO({ now: NOW, processCwd: A, env: { ...opts.env }, tty: opts.tty });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const session = (id: string, cwd: string, hoursAgo: number): FixtureSession => ({
  cwd,
  name: `20260922-120509-${id.slice(0, 8)}.jsonl`,
  lines: simpleSession(id, cwd, `prompt of ${id.slice(0, 8)}`),
  mtimeMs: NOW - hoursAgo * 3_600_000,
});

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
    [["help", "foo"], 'Cannot show help for "foo": unknown command (see "zot-sessions --help")'],
    [
      ["help", "shw"],
      'Cannot show help for "shw": unknown command; did you mean "show"? (see "zot-sessions --help")',
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

describe("help screens", () => {
  const screens = async () =>
    [
      ["(tool)", (await cli(["--help"])).out],
      ...await Promise.all(
        COMMANDS.map(async (c) => [c.name, (await cli([c.name, "--help"])).out] as const),
      ),
    ] as const;

  it("list each flag once: --json and --home are not repeated under Global options", async () => {
    for (const [name, text] of await screens()) {
      for (const flag of ["--json", "--home", "--quiet", "--color"]) {
        const rows = text.split("\n").filter((l) => new RegExp(`^ +(-\\w, )?${flag}\\b`).test(l));
        assert.ok(rows.length <= 1, `${name}: ${flag} is listed ${rows.length} times`);
      }
      assert.equal(
        text.split("\n").filter((l) => /^ +(-\w, )?--json\b/.test(l)).length,
        1,
        `${name} lists --json`,
      );
    }
  });

  it("align every option description at one column, continuation lines too", async () => {
    for (const [name, text] of await screens()) {
      const columns = new Set<number>();
      let inRow = false;
      for (const line of text.split("\n")) {
        const row = /^( +-\S*(?: \S+)*)( {2,})\S/.exec(line);
        if (row) {
          columns.add(row[1].length + row[2].length);
          inRow = true;
        } else if (inRow && /^ {8,}\S/.test(line)) {
          columns.add(line.length - line.trimStart().length);
        } else inRow = false;
      }
      assert.equal(columns.size, 1, `${name}: descriptions start at columns ${[...columns]}`);
    }
  });

  it("end with the exit codes and the environment variables the verb reads", async () => {
    for (const [name, text] of await screens()) {
      const tail = text.slice(text.indexOf("\nExit codes:\n"));
      assert.ok(text.includes("\nExit codes:\n"), `${name}: no exit codes`);
      for (const code of ["0", "1", "2"]) assert.match(tail, new RegExp(`^  ${code}  \\S`, "m"));
      const env = tail.slice(tail.indexOf("\nEnvironment:\n"));
      for (const v of ["ZOT_HOME", "NO_COLOR", "FORCE_COLOR", "ZOT_SESSIONS_DEBUG"]) {
        assert.match(env, new RegExp(`^  ${v} +\\S`, "m"), `${name} documents ${v}`);
      }
      // Nothing after the footer but the pointer to the verbs' help.
      assert.doesNotMatch(env, /\n\n(?!Run "zot-sessions <command> --help")/, name);
    }
    const show = (await cli(["show", "--help"])).out;
    assert.match(show, /^ {2}PAGER +\S/m);
    assert.doesNotMatch((await cli(["ls", "--help"])).out, /^ {2}PAGER /m);
    assert.match((await cli(["cost", "--help"])).out, /^ {2}TZ +\S/m);
  });

  it("documents every environment variable the code reads", async () => {
    const read = new Set<string>();
    const walk = async (dir: string) => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) await walk(path);
        else if (e.name.endsWith(".ts") && e.name !== "io.ts") {
          const text = await readFile(path, "utf8");
          for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) read.add(m[1]);
        }
      }
    };
    await walk(join(ROOT, "lib"));
    assert.ok(read.has("ZOT_SESSIONS_DEBUG") && read.has("PAGER"), [...read].join(" "));
    // PATH finds the pager and LESS is passed to it: both under PAGER.
    for (const v of read) {
      if (v === "PATH" || v === "LESS") continue;
      assert.ok(v in ENVIRONMENT, `${v} is read but not in the help's Environment`);
    }
  });

  it("helpFooter adds a verb's variables in one order and refuses an unknown one", () => {
    const footer = helpFooter({ env: ["TZ", "PAGER"], exitCodes: { 0: "fine" } });
    assert.match(footer, /^Exit codes:\n {2}0 {2}fine\n {2}1 {2}failure/);
    const names = footer.slice(footer.indexOf("Environment:")).split("\n").slice(1)
      .map((l) => l.trim().split(" ")[0]);
    assert.ok(names.indexOf("PAGER") < names.indexOf("TZ"), names.join(" "));
    assert.throws(() => helpFooter({ env: ["NOT_A_VARIABLE"] }));
  });

  it("alignOptions lines descriptions up and moves a very long flag's onto the next line", () => {
    const text = [
      "Options:",
      "  -a, --all  every project",
      "      --since WHEN    from WHEN",
      "                      WHEN: a date",
      "      --a-very-long-flag-name VALUE  described below it",
      "",
      "  zot-sessions ls --all   an example, left alone",
    ].join("\n");
    assert.equal(
      alignOptions(text),
      [
        "Options:",
        "  -a, --all         every project",
        "      --since WHEN  from WHEN",
        "                    WHEN: a date",
        "      --a-very-long-flag-name VALUE",
        "                    described below it",
        "",
        "  zot-sessions ls --all   an example, left alone",
      ].join("\n"),
    );
  });
});

describe("colour", () => {
  it("useColor: the flag, then NO_COLOR, FORCE_COLOR, TERM=dumb, then the terminal", () => {
    const cases: [ColorMode, boolean, Record<string, string>, boolean][] = [
      ["auto", true, {}, true],
      ["auto", false, {}, false],
      ["always", false, {}, true],
      ["always", true, { NO_COLOR: "1" }, true],
      ["never", true, { FORCE_COLOR: "1" }, false],
      ["auto", true, { NO_COLOR: "1" }, false],
      ["auto", true, { NO_COLOR: "" }, true],
      ["auto", false, { FORCE_COLOR: "1" }, true],
      ["auto", false, { FORCE_COLOR: "3" }, true],
      ["auto", false, { FORCE_COLOR: "0" }, false],
      ["auto", false, { FORCE_COLOR: "false" }, false],
      ["auto", false, { FORCE_COLOR: "" }, false],
      ["auto", false, { FORCE_COLOR: "1", NO_COLOR: "1" }, false],
      ["auto", true, { TERM: "dumb" }, false],
      ["auto", false, { TERM: "dumb", FORCE_COLOR: "1" }, true],
      ["auto", true, { TERM: "xterm-256color" }, true],
    ];
    for (const [mode, isTTY, env, want] of cases) {
      assert.equal(useColor({ mode, isTTY, env }), want, JSON.stringify({ mode, isTTY, env }));
    }
  });

  it("--color, --no-color and the environment decide for a real run", async () => {
    const h = await tempHome([session("11111111-1111-4111-8111-111111111111", A, 1)]);
    try {
      const ls = async (flags: string[], o: { tty?: boolean; env?: Record<string, string> }) => {
        const r = await cli(["ls", "--home", h.home, "--cwd", A, ...flags], o);
        assert.equal(r.code, 0, r.err);
        return /\x1b\[/.test(r.out);
      };
      assert.equal(await ls([], { tty: true }), true);
      assert.equal(await ls([], {}), false);
      assert.equal(await ls(["--color", "always"], {}), true);
      assert.equal(await ls(["--color=always"], { env: { NO_COLOR: "1" } }), true);
      assert.equal(await ls(["--color", "never"], { tty: true }), false);
      assert.equal(await ls(["--no-color"], { tty: true }), false);
      assert.equal(await ls(["--color", "auto"], { env: { FORCE_COLOR: "1" } }), true);
      assert.equal(await ls([], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }), false);
      assert.equal(await ls([], { tty: true, env: { TERM: "dumb" } }), false);
      // The global flag before the verb, its value skipped when finding the verb.
      const before = await cli(["--color", "always", "ls", "--home", h.home, "--cwd", A]);
      assert.match(before.out, /\x1b\[/);
    } finally {
      await h.cleanup();
    }
  });

  it("a bad --color value, or --no-color with --color always, is a usage error", async () => {
    const bad = await cli(["ls", "--color", "sometimes"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Cannot parse --color "sometimes": expected one of auto, always, never/);
    const both = await cli(["ls", "--no-color", "--color", "always"]);
    assert.equal(both.code, 2);
    assert.match(both.err, /Cannot use --no-color with --color always: choose one/);
    const h = await tempHome([session("11111111-1111-4111-8111-111111111111", A, 1)]);
    try {
      const agree = await cli(["ls", "--home", h.home, "--no-color", "--color", "never"], {
        tty: true,
      });
      assert.equal(agree.code, 0, agree.err);
      assert.doesNotMatch(agree.out, /\x1b\[/);
    } finally {
      await h.cleanup();
    }
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
