/** The help screens' shared layout and footer, in-process. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { COMMANDS } from "../../lib/cli/run.ts";
import {
  alignOptions,
  ENVIRONMENT,
  helpFooter,
  helpText,
  optionDescriptions,
} from "../../lib/cli/help.ts";
import { tail } from "../../lib/commands/tail.ts";
import { GLOBAL_HELP } from "../../lib/commands/context.ts";
import { JSON_VERBS } from "../../lib/cli/help_json.ts";
import { ROOT } from "../e2e/harness.ts";
import { cliWith } from "../helpers/cli.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const A = "/home/dev/alpha";

const cli = cliWith({ now: NOW, processCwd: A });

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
      // The tool's help lists the global --json; a verb's, its own if it writes JSON.
      assert.equal(
        text.split("\n").filter((l) => /^ +(-\w, )?--json\b/.test(l)).length,
        name === "(tool)" || JSON_VERBS.includes(name) ? 1 : 0,
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
      // completions has no option of its own.
      assert.equal(
        columns.size,
        name === "completions" ? 0 : 1,
        `${name}: descriptions start at columns ${[...columns]}`,
      );
    }
  });

  it("end with the exit codes, then where the global options, variables and JSON fields are", async () => {
    for (const [name, text] of await screens()) {
      const tail = text.slice(text.indexOf("\nExit codes:\n"));
      assert.ok(text.includes("\nExit codes:\n"), `${name}: no exit codes`);
      for (const code of ["0", "1", "2"]) assert.match(tail, new RegExp(`^  ${code}  \\S`, "m"));
      assert.doesNotMatch(text, /^ {2}ZOT_SESSIONS_DEBUG /m, name);
      if (name === "(tool)") continue;
      assert.doesNotMatch(text, /^(Environment|Global options):$/m, name);
      const more = tail.slice(tail.indexOf("\n\nMore help:\n"));
      assert.match(more, /^ {2}zot-sessions help global +options every command takes/m, name);
      assert.match(more, /^ {2}zot-sessions help environment +environment variables/m, name);
      assert.equal(more.includes(`zot-sessions help json ${name} `), JSON_VERBS.includes(name));
    }
    const env = (verb: string) =>
      /zot-sessions help environment +(.*)/.exec(
        helpText(COMMANDS.find((c) => c.name === verb), ""),
      )?.[1];
    assert.equal(env("show"), "environment variables (PAGER, TZ among them)");
    assert.equal(env("search"), "environment variables (COLUMNS, TZ among them)");
    assert.equal(env("gc"), "environment variables (COLUMNS among them)");
    const main = (await cli(["--help"])).out;
    assert.match(main, /^Global options:\n/m); // the tool's help keeps them
    assert.match(main, /^Help:\n {2}zot-sessions help <command> /m);
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

  it("every verb that fits its output to the width says it reads COLUMNS", () => {
    for (const name of ["ls", "cost", "tail", "search", "gc"]) {
      const verb = COMMANDS.find((c) => c.name === name)!;
      assert.match(helpText(verb, ""), /environment variables \([^)]*\bCOLUMNS\b/, name);
    }
  });

  it("helpFooter names a verb's own variables in one order and refuses an unknown one", () => {
    const footer = helpFooter({ name: "x", env: ["TZ", "PAGER"], exitCodes: { 0: "fine" } });
    assert.match(footer, /^Exit codes:\n {2}0 {2}fine\n {2}1 {2}failure/);
    assert.match(footer, /environment variables \(PAGER, TZ among them\)/);
    assert.doesNotMatch(footer, /help json/); // x writes no JSON
    assert.throws(() => helpFooter({ name: "x", env: ["NOT_A_VARIABLE"] }));
  });

  it("no option's description runs into a label (the man page and completions join them)", () => {
    const texts = [
      ["global", GLOBAL_HELP],
      ...COMMANDS.map((c) => [c.name, c.help]),
    ];
    for (const [name, text] of texts) {
      const lines = text.split("\n");
      for (const [i, line] of lines.entries()) {
        const row = /^ {1,7}-/.test(lines[i - 1] ?? "") || /^ {8,}\S/.test(lines[i - 1] ?? "");
        assert.ok(
          !(row && /^ {8,}[A-Z][A-Z_]*:/.test(line)),
          `${name}: "${line.trim()}" continues an option's description`,
        );
      }
    }
    const ls = optionDescriptions(COMMANDS.find((c) => c.name === "ls")!.help);
    assert.equal(ls.get("--until"), "last activity at or before WHEN (a day or period: its end)");
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

const TEXT = `Options:
  -n, --lines N          the last N messages (default 10); 0 for none (with
                         -f: only what comes next)
  -f, --follow           keep following`;

describe("help rows", () => {
  it("a continuation line that starts with a dash stays under its description", () => {
    assert.equal(
      alignOptions(TEXT),
      `Options:
  -n, --lines N  the last N messages (default 10); 0 for none (with
                 -f: only what comes next)
  -f, --follow   keep following`,
    );
    // tail's own help has such a line.
    assert.match(helpText(tail, ""), /\(with\n {8,}-f: only what comes next\)/);
  });

  it("each flag's description, by every spelling, its continuation joined", () => {
    const d = optionDescriptions(TEXT);
    assert.equal(
      d.get("--lines"),
      "the last N messages (default 10); 0 for none (with -f: only what comes next)",
    );
    assert.equal(d.get("-n"), d.get("--lines"));
    assert.equal(d.get("-f"), "keep following");
    assert.equal(d.get("--follow"), "keep following");
    assert.equal(d.size, 4);
  });

  it("a flag on two rows keeps the first; --a, --b on one row share it", () => {
    const d = optionDescriptions(
      "  -n, --lines N    first\n  -n, --lines +N   second\n      --usage, --no-usage  both",
    );
    assert.equal(d.get("--lines"), "first");
    assert.equal(d.get("--no-usage"), "both");
    assert.equal(d.get("--usage"), "both");
  });
});
