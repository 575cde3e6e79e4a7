// deno-lint-ignore-file no-control-regex -- these tests look for colour escapes on purpose
/**
 * End-to-end tests of the output habits, against the built binary: narrow
 * terminals, colour, the pager falling back, warnings in scope and once,
 * typo suggestions, show's flags, help screens and config errors. See
 * harness.ts.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile, cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BIN, exampleWorkdir, run } from "./harness.ts";
import { HAVE_SCRIPT, parseNdjson, runOnTerminal } from "../helpers/transcripts.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { needs } from "../helpers/skips.ts";
import { displayWidth } from "../../lib/render/width.ts";

let work = "";
let example = "";
let cleanup = () => Promise.resolve();
before(async () => {
  ({ work, example, cleanup } = await exampleWorkdir());
});
after(() => cleanup());

const WEB = "/home/dev/web-shop";
const LEDGER = "/home/dev/ledger-api";
const FB0E = "fb0ec902-cae8-443e-99bf-6815b1b7d0a4";

/** Every run here is on the example home or a copy: read at its instant. */
const AT_EXAMPLE = { ZOT_SESSIONS_NOW: EXAMPLE_NOW };

/** The binary, at the example's instant. */
const zs = (args: string[], env: Record<string, string> = {}) =>
  run(BIN, args, { ...AT_EXAMPLE, ...env });

/** The binary on a pseudo-terminal `columns` wide; stdout and stderr both arrive in `out`. */
function onTerminal(args: string[], env: Record<string, string> = {}, columns = 80) {
  const r = runOnTerminal(args, { ...AT_EXAMPLE, ...env }, columns);
  return { code: r.code, out: r.out.replaceAll("\r\n", "\n") };
}
const noTerminal = needs("script (util-linux), for a terminal", HAVE_SCRIPT);

const widest = (text: string) =>
  Math.max(
    ...text.trimEnd().split("\n").map((l) => displayWidth(l.replace(/\x1b\[[0-9;]*m/g, ""))),
  );

describe("e2e: narrow terminals", () => {
  it("ls --all at COLUMNS=60 into a pipe: no row wider than 60, ID and TITLE kept", () => {
    const r = zs(["ls", "--all", "--home", example], { COLUMNS: "60" });
    assert.equal(r.code, 0, r.err);
    assert.ok(widest(r.out) <= 60, r.out);
    assert.match(r.out.split("\n")[0], /^ID\s.*\sTITLE$/);
    assert.equal(r.out.trimEnd().split("\n").length, 11);
    const wide = zs(["ls", "--all", "--home", example]);
    assert.ok(widest(wide.out) > 60, "without COLUMNS nothing is cut");
  });

  it(
    "ls on a 60-column terminal: no row wraps, with or without --all",
    { skip: noTerminal },
    () => {
      for (const args of [["--all"], ["--cwd", WEB]]) {
        const r = onTerminal(["ls", "--home", example, ...args], {}, 60);
        assert.equal(r.code, 0, r.out);
        assert.ok(widest(r.out) <= 60, r.out);
        assert.match(r.out, /fb0ec902/);
      }
    },
  );
});

describe("e2e: colour", () => {
  const colours = (args: string[], env: Record<string, string> = {}) => {
    const r = zs(["ls", "--home", example, "--cwd", WEB, ...args], env);
    assert.equal(r.code, 0, r.err);
    return /\x1b\[/.test(r.out);
  };

  it("into a pipe: --color always and FORCE_COLOR colour, NO_COLOR beats FORCE_COLOR", () => {
    assert.equal(colours([]), false);
    assert.equal(colours(["--color", "always"]), true);
    assert.equal(colours(["--color=always"], { NO_COLOR: "1" }), true, "the flag wins");
    assert.equal(colours([], { FORCE_COLOR: "1" }), true);
    assert.equal(colours([], { FORCE_COLOR: "0" }), false);
    assert.equal(colours([], { FORCE_COLOR: "1", NO_COLOR: "1" }), false);
    assert.equal(colours(["--color", "never"], { FORCE_COLOR: "1" }), false);
  });

  it("on a terminal: colour unless --color never, --no-color, NO_COLOR or TERM=dumb", {
    skip: noTerminal,
  }, () => {
    const ls = ["ls", "--home", example, "--cwd", WEB];
    assert.match(onTerminal(ls).out, /\x1b\[/);
    assert.doesNotMatch(onTerminal([...ls, "--color", "never"]).out, /\x1b\[/);
    assert.doesNotMatch(onTerminal([...ls, "--no-color"]).out, /\x1b\[/);
    assert.doesNotMatch(onTerminal(ls, { NO_COLOR: "1" }).out, /\x1b\[/);
    assert.doesNotMatch(onTerminal(ls, { TERM: "dumb" }).out, /\x1b\[/);
  });

  it("a bad --color value is a usage error", () => {
    const r = zs(["ls", "--home", example, "--color", "rainbow"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /Cannot parse --color "rainbow": expected one of auto, always, never/);
  });
});

describe("e2e: a pager that cannot start", { skip: noTerminal }, () => {
  it("show prints everything directly after one warning, exit 0", () => {
    const args = ["show", FB0E, "--home", example, "--no-color"];
    const direct = onTerminal([...args, "--no-pager"]);
    assert.equal(direct.code, 0, direct.out);
    assert.match(direct.out, /renamed: "checkout → \/api\/v2\/cart"/);
    for (const pager of ["nosuchpager", "sh -c 'exit 127'"]) {
      const r = onTerminal(args, { PAGER: pager });
      assert.equal(r.code, 0, r.out);
      const warning = `zot-sessions: warning: Cannot start pager "${pager}": `;
      const lines = r.out.split("\n");
      assert.equal(lines.filter((l) => l.startsWith(warning)).length, 1, r.out);
      assert.equal(lines.filter((l) => !l.startsWith(warning)).join("\n"), direct.out, pager);
    }
  });
});

describe("e2e: warnings", () => {
  let home = "";
  const damagedFile = () =>
    join(home, "sessions", "7468554e6e736f31", "20261012-132031-ac04b01f.jsonl");
  before(async () => {
    home = join(work, "damaged");
    await cp(example, home, { recursive: true, preserveTimestamps: true });
    await appendFile(damagedFile(), "{this is not json\n");
  });
  const warnings = (err: string) => err.split("\n").filter((l) => l.includes(": warning: "));

  it("about a damaged file only in scope, once per run, never with --quiet", () => {
    const other = zs(["ls", "--home", home, "--cwd", WEB]);
    assert.equal(other.code, 0);
    assert.equal(other.err, "", "ledger-api's file is not in web-shop's scope");
    const own = zs(["ls", "--home", home, "--cwd", LEDGER]);
    assert.deepEqual(warnings(own.err).length, 1, own.err);
    assert.ok(own.err.includes(damagedFile()), own.err);
    const claude = zs(["ls", "--home", home, "--cwd", LEDGER, "--model", "claude"]);
    assert.equal(claude.err, "", "the damaged session is gpt-5's: filtered out");
    const twice = zs(["ls", "--all", "--home", home, "--home", home]);
    assert.equal(warnings(twice.err).length, 1, twice.err);
    for (const args of [["ls", "--all", "-q"], ["--quiet", "cost", "--all"]]) {
      const r = zs([...args, "--home", home]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, "", args.join(" "));
      assert.notEqual(r.out, "");
    }
  });
});

describe("e2e: typos and help", () => {
  it("an unknown verb or flag suggests the nearest; help foo exits 2", () => {
    const cases: [string[], string][] = [
      [["lss"], 'zot-sessions: Cannot run "lss": unknown command; did you mean "ls"?'],
      [
        ["ls", "--lmit", "3"],
        'Cannot use option "--lmit": unknown option; did you mean "--limit"?',
      ],
      [["help", "foo"], 'zot-sessions: Cannot show help for "foo": unknown command or topic'],
    ];
    for (const [args, message] of cases) {
      const r = zs(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.out, "");
      assert.ok(r.err.includes(message), r.err);
    }
    const help = zs(["help", "ls"]);
    assert.equal(help.code, 0);
    assert.equal(help.out, zs(["ls", "--help"]).out);
  });

  it("each verb's help lists --json once, aligned, and ends with exit codes and more help", () => {
    for (const verb of ["ls", "show", "tail", "cost", "gc"]) {
      const r = zs([verb, "--help"]);
      assert.equal(r.code, 0);
      assert.equal(r.out.split("\n").filter((l) => /^ +--json\b/.test(l)).length, 1, verb);
      const starts = new Set(
        r.out.split("\n").map((l) => /^( +-\S*(?: \S+)*\s{2,})\S/.exec(l)?.[1].length)
          .filter((n) => n !== undefined),
      );
      assert.equal(starts.size, 1, `${verb}: descriptions start at ${[...starts]}`);
      const footer = r.out.slice(r.out.indexOf("\nExit codes:\n"));
      assert.match(footer, /^ {2}2 {2}usage error/m);
      // The global options and the environment are topics of their own (issue 22, 8).
      assert.match(footer, /\nMore help:\n(?: {2}zot-sessions help \S+( \S+)? +\S.*\n)+$/);
    }
    assert.match(zs(["help", "environment"]).out, /^ {2}PAGER +for show: /m);
  });
});

describe("e2e: show", () => {
  const show = (args: string[]) => zs(["show", "--home", example, ...args]);

  it("contradictory flags are usage errors", () => {
    for (
      const args of [
        [FB0E, "--with-data"],
        [FB0E, "--no-tools", "--role", "tool"],
      ]
    ) {
      const r = show(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.err, /^zot-sessions: Cannot use --(with-data|no-tools) /);
    }
  });

  it("--range N is N..N, and renames outside the range are not printed", () => {
    const types = (range: string) =>
      parseNdjson(show([FB0E, "--json", "--range", range]).out)
        .filter((e) => e.type !== "usage").map((e) => e.type === "message" ? e.index : e.type);
    assert.deepEqual(types("5"), ["meta", 5]);
    assert.deepEqual(types("22"), ["meta", 22, "rename"]);
    assert.doesNotMatch(show([FB0E, "--range", "0..3"]).out, /renamed/);
  });

  it("--markdown leaves out the absolute paths of the file and the project", () => {
    const text = show([FB0E]);
    assert.ok(text.out.includes(example), "the text header names the file");
    const md = show([FB0E, "--markdown"]);
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^# checkout → \/api\/v2\/cart\n/);
    assert.ok(!md.out.includes(example), "no path of the home");
    assert.doesNotMatch(md.out, /\*\*(File|Project)\*\*/);
  });

  it("an ambiguous prefix lists the candidates with the hint on its own line", async () => {
    const home = join(work, "ambiguous");
    await cp(example, home, { recursive: true, preserveTimestamps: true });
    const dir = join(home, "sessions", "b6612f11880eb186");
    const text = await readFile(join(dir, "20261101-052152-fb0ec902.jsonl"), "utf8");
    const twin = "fb0ec903-0000-4000-8000-000000000000";
    await writeFile(join(dir, "20261101-052153-fb0ec903.jsonl"), text.replaceAll(FB0E, twin));
    const r = zs(["show", "fb0e", "--home", home, "--cwd", WEB]);
    assert.equal(r.code, 2);
    const lines = r.err.trimEnd().split("\n");
    assert.equal(lines[0], 'zot-sessions: Cannot pick session "fb0e": 2 sessions match');
    assert.equal(lines.length, 4, r.err);
    assert.ok(lines.slice(1, 3).every((l) => l.startsWith("  fb0ec90") && !l.includes("(see")));
    assert.equal(
      lines[3],
      'hint: give more of the id to pick one (see "zot-sessions show --help")',
    );
  });
});

describe("e2e: config errors", () => {
  it("say the file, line and column in words; a missing file is named plainly", async () => {
    const cfg = join(work, "broken.jsonc");
    await writeFile(cfg, '{\n  "gc": {\n    "olderThan": "90d"\n    "empty": true\n  }\n}\n');
    const r = zs(["gc", "--home", example, "--config", cfg]);
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      `zot-sessions: Cannot read config "${cfg}": line 4, column 5: expected a comma (see "zot-sessions gc --help")\n`,
    );
    const missing = zs(["gc", "--home", example, "--config", join(work, "nope.jsonc")]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /Cannot read config ".*nope\.jsonc": no such file or directory/);
  });
});
