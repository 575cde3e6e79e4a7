/**
 * The help a user with only the binary has (issue 22, item 8): a verb's help
 * is its own flags, its exit codes and where the rest is; `help global`,
 * `help environment` and `help json` are that rest; `help --man` prints the
 * man page, FILES included; no option's description runs into the next
 * label. `help json` is checked against what the binary writes: every key of
 * every JSON output on the example home is in its command's section.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { BIN, exampleWorkdir, run } from "./harness.ts";
import { COMMANDS, SUMMARY } from "../../lib/cli/run.ts";
import { manPageText } from "../../lib/cli/manpage.ts";
import { ENVIRONMENT } from "../../lib/cli/help.ts";
import { GLOBAL_OPTIONS } from "../../lib/commands/context.ts";
import { GROUP_KEYS } from "../../lib/cost/report.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";

// The runs are of the binary, the same whichever runner runs this file.
const UNDER_BUN = process.versions.bun !== undefined;

let work: Awaited<ReturnType<typeof exampleWorkdir>>;
before(async () => {
  work = await exampleWorkdir();
});
after(() => work?.cleanup());

/** The binary on the example home, at its instant, with a cache of its own. */
const zs = (args: string[]) =>
  run(BIN, args, { ...work.env, ZOT_SESSIONS_CACHE: join(work.work, "cache") });

/** Its stdout, the run checked to have succeeded without a word on stderr. */
function out(args: string[]): string {
  const r = zs(args);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
  assert.equal(r.err, "", args.join(" "));
  return r.out;
}

const JSON_VERBS = [
  "ls",
  "show",
  "export",
  "tail",
  "cost",
  "gc",
  "index",
  "search",
  "changes",
  "blame",
  "statusline",
];

describe("e2e: a verb's help, and the topics it points to", () => {
  it("a verb's help is its own flags, its exit codes and where the rest is", () => {
    for (const c of COMMANDS) {
      const help = out([c.name, "--help"]);
      assert.equal(out(["help", c.name]), help, c.name);
      assert.doesNotMatch(help, /^(Global options|Environment):$/m, c.name);
      // No row of the global options or of the environment.
      assert.doesNotMatch(help, /^ +(--cache-dir DIR|--no-index|ZOT_SESSIONS_DEBUG) /m, c.name);
      const more = help.slice(help.indexOf("\nExit codes:\n"));
      assert.match(more, /^ {2}2 {2}usage error/m, c.name);
      assert.match(more, /\nMore help:\n {2}zot-sessions help global +options every command /);
      assert.match(more, /\n {2}zot-sessions help environment +environment variables/);
      const json = new RegExp(`\\n {2}zot-sessions help json ${c.name} +the fields`);
      if (JSON_VERBS.includes(c.name)) assert.match(more, json, c.name);
      else assert.doesNotMatch(more, json, c.name);
    }
    // ls's was 66 lines, 50 of them the global options and the environment.
    // 66 lines before the global options and variables left it (with
    // --projects, --damaged and the forms of WHEN since).
    assert.ok(out(["ls", "--help"]).split("\n").length < 56);
    assert.match(
      out(["show", "--help"]),
      /zot-sessions help environment +environment variables \(PAGER, TZ among them\)/,
    );
  });

  it("help global has every global option; help environment every variable, and who reads it", () => {
    const global = out(["help", "global"]);
    for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) {
      assert.match(global, new RegExp(`^ +(-${o.short}, )?--${name}\\b`, "m"), name);
    }
    assert.match(global, /before or after its name/);
    const env = out(["help", "environment"]);
    for (const name of Object.keys(ENVIRONMENT)) {
      assert.match(env, new RegExp(`^ {2}${name} +\\S`, "m"), name);
    }
    assert.match(env, /^ {2}PAGER +for show: the pager /m);
    assert.match(
      env,
      /^ {2}TZ +for ls, show, export, tail, cost, search,\n +blame, statusline, pick: the time zone/m,
    );
    assert.match(env, /^ {2}ZOT_HOME +zot's home, when no --home is given$/m);
  });

  it("the tool's help names the topics; an unknown one is a usage error", () => {
    const main = out(["--help"]);
    for (const topic of ["help global", "help environment", "help json [CMD]", "help --man"]) {
      assert.match(main, new RegExp(`^ {2}zot-sessions ${topic.replace(/[[\]]/g, "\\$&")} `, "m"));
    }
    assert.equal(out(["help"]), main);
    const unknown = zs(["help", "globl"]);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.err,
      /Cannot show help for "globl": unknown command or topic; did you mean "global"\?/,
    );
    const none = zs(["help", "json", "resume"]);
    assert.equal(none.code, 2);
    assert.match(none.err, /Cannot show the JSON fields of "resume": it writes no JSON/);
  });

  it("no description runs into the next label: ls's WHEN is a paragraph of its own", () => {
    for (const c of COMMANDS) {
      const lines = out([c.name, "--help"]).split("\n");
      for (const [i, line] of lines.entries()) {
        if (/^ {8,}[A-Z]+:/.test(line) && /^ {2,}-/.test(lines[i - 1] ?? "")) {
          assert.fail(`${c.name}: "${line.trim()}" continues "${lines[i - 1].trim()}"`);
        }
      }
    }
    const ls = out(["ls", "--help"]);
    assert.match(
      ls,
      /^ {6}--until WHEN +last activity at or before WHEN \(a day or period: its end\)$/m,
    );
    assert.match(ls, /\n\nWHEN: today, yesterday, a date/);
    const page = out(["help", "--man"]);
    assert.doesNotMatch(page, /WHEN\nWHEN:/);
  });
});

describe("e2e: help --man", () => {
  it("prints the man page, with its FILES and JSON OUTPUT sections", () => {
    const page = out(["help", "--man"]);
    assert.equal(page, manPageText(COMMANDS, SUMMARY));
    assert.match(page, /^\.SH FILES$/m);
    const files = page.slice(page.indexOf(".SH FILES")).replaceAll("\\-", "-");
    for (const file of ["<home>/zot-sessions.jsonc", ".zot-sessions-gc.lock", "index.sqlite"]) {
      assert.ok(files.includes(file), file);
    }
    assert.match(page, /^\.SH JSON OUTPUT$/m);
  });

  it("renders with man, FILES naming the index and the config", {
    skip: needs("groff", hasProgram("groff")),
  }, () => {
    const r = spawnSync("groff", ["-man", "-Tutf8", "-ww", "-P", "-cbou"], {
      input: out(["help", "--man"]),
      encoding: "utf8",
    });
    assert.equal(r.stderr, "");
    const files = r.stdout.slice(r.stdout.indexOf("\nFILES\n"));
    assert.match(files, /<home>\/zot-sessions\.jsonc\n +gc's default policies/);
    assert.match(files, /<cache>\/index\.sqlite\n +the index/);
    assert.match(files, /~\/\.cache\/zot-sessions/);
    assert.match(r.stdout, /^JSON OUTPUT$/m);
  });
});

/**
 * Every key of every object in `value`, at any depth, and every `type`
 * value; not inside a tool call's arguments (the tool's own JSON).
 */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) { for (const v of value) keysOf(v, into); }
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      if (k === "type" && typeof v === "string") into.add(v);
      if (k !== "arguments") keysOf(v, into);
    }
  }
  return into;
}

/** The documents of a JSON output: one, or one a line. */
function parse(text: string): unknown[] {
  const trimmed = text.trim();
  return trimmed.startsWith("[") || trimmed.startsWith("{\n")
    ? [JSON.parse(trimmed)]
    : trimmed.split("\n").map((l) => JSON.parse(l));
}

describe("e2e: help json lists every field the binary writes", {
  skip: skipBecause(UNDER_BUN, "run once, under Deno"),
}, () => {
  it("on the example home: ls, show, tail, cost (and --events), gc, index, export, search", () => {
    const ids = (JSON.parse(out(["ls", "--all", "--json"])) as { id: string }[]).map((s) => s.id);
    const runs: Record<string, string[][]> = {
      ls: [["ls", "--all", "--json"], ["ls", "--all", "--ndjson"]],
      show: ids.map((id) => ["show", id, "--json"]),
      tail: ids.map((id) => ["tail", id, "-n", "3", "--json"]),
      cost: [
        ...[...GROUP_KEYS, "month,model"].map((by) => ["cost", "--all", "--by", by, "--json"]),
        ["cost", "--session", ids[0], "--json"],
        ["cost", "--all", "--events"],
      ],
      gc: [
        ["gc", "--empty", "--keep-last", "1", "--grace", "0", "--json"],
        [
          "gc",
          "--empty",
          "--archive",
          join(work.work, "archive"),
          "--grace",
          "0",
          "--yes",
          "--json",
        ],
      ],
      index: [["index", "--json"]],
      export: [["export", "--html", join(work.work, "site"), "--all", "--json"]],
      search: [["search", "--all", "--tools", "the", "--json", "-n", "0"]],
    };
    for (const [verb, commands] of Object.entries(runs)) {
      const help = out(["help", "json", verb]);
      const written = new Set<string>();
      for (const args of commands) {
        for (const doc of parse(out(args))) keysOf(doc, written);
      }
      assert.ok(written.size > 5, `${verb}: ${[...written]}`);
      for (const key of written) {
        assert.match(help, new RegExp(`(^|\\W)${key}(\\W|$)`, "m"), `${verb}: "${key}"`);
      }
    }
    // ls's fields, in the order written.
    const ls = JSON.parse(out(["ls", "--all", "--json"]))[0];
    const rows = out(["help", "json", "ls"]).split("\n").map((l) => /^ {2}(\w+) {2,}/.exec(l)?.[1])
      .filter((k) => k !== undefined);
    assert.deepEqual(rows, Object.keys(ls));
  });
});
