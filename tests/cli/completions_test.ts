/**
 * Tests of lib/cli/completions.ts: the completion spec is the CLI's own
 * flag tables, checked against what the verbs actually accept (a bad value
 * is refused with the list the spec offers), and the hidden `__complete`
 * entry. The shells themselves run in tests/e2e/completions_e2e_test.ts.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { COMMANDS } from "../../lib/cli/run.ts";
import { cliSpec } from "../../lib/cli/completions.ts";
import { GLOBAL_OPTIONS } from "../../lib/commands/context.ts";
import { checkTimeZone } from "../../lib/base/calendar.ts";
import { GROUP_KEYS } from "../../lib/cost/report.ts";
import type { FlagSpec } from "../../lib/commands/completion_spec.ts";
import { messageLine, metaLine, renameLine, tempHome } from "../helpers/fixtures.ts";
import { cliWith } from "../helpers/cli.ts";

const cli = cliWith({ processCwd: "/home/dev/p" });

let home = "";
let cleanup = () => Promise.resolve();
before(async () => {
  const made = await tempHome([]);
  ({ home, cleanup } = made);
});
after(() => cleanup());

/** The choices a refusal lists (`expected one of a, b`), or null. */
function listed(err: string): string[] | null {
  const m = /expected one of (.+?)(?: \(see "|\n|$)/.exec(err);
  return m ? m[1].split(", ") : null;
}

describe("completion spec", () => {
  const spec = cliSpec(COMMANDS);

  it("has every verb, and help", () => {
    assert.deepEqual(spec.verbs.map((v) => v.name), [...COMMANDS.map((c) => c.name), "help"]);
  });

  it("a flag's values are exactly what the verb accepts: a bad value is refused with that list", async () => {
    const cases: [string, FlagSpec][] = [
      ...spec.verbs.filter((v) => v.name !== "help").flatMap((v) =>
        v.flags.map((f) => [v.name, f] as [string, FlagSpec])
      ),
      ...spec.globals.map((f) => ["ls", f] as [string, FlagSpec]),
    ];
    let lists = 0;
    for (const [verb, f] of cases) {
      if (f.value === undefined) continue;
      const flag = f.name.length === 1 ? `-${f.name}` : `--${f.name}`;
      // cost's session-row flags are checked only with session rows.
      const extra = verb === "cost" && f.name !== "by" ? ["--by", "session"] : [];
      const r = await cli(["--home", home, verb, ...extra, `${flag}=zz-not-a-value`]);
      const accepted = listed(r.err);
      const list = Array.isArray(f.value)
        ? f.value
        : typeof f.value === "object" && "commaList" in f.value
        ? f.value.commaList
        : null;
      if (list !== null) {
        lists++;
        assert.deepEqual(accepted, [...list], `${verb} ${flag}: ${r.err}`);
        assert.equal(r.code, 2);
      } else {
        assert.equal(accepted, null, `${verb} ${flag} takes a list the spec does not offer`);
      }
    }
    // --by, --sort three times, --week-start, --role three times, --color.
    assert.equal(lists, 9);
  });

  it("--by takes a comma list; every --tz completes to the zones, each of which it accepts", async () => {
    const cost = spec.verbs.find((v) => v.name === "cost")!;
    assert.deepEqual(cost.flags.find((f) => f.name === "by")!.value, { commaList: GROUP_KEYS });
    const ok = await cli(["--home", home, "cost", "--by", "day,model", "--json"]);
    assert.equal(ok.code, 0, ok.err);
    const zoned = spec.verbs.filter((v) => v.flags.some((f) => f.name === "tz"));
    assert.deepEqual(zoned.map((v) => v.name), [
      "ls",
      "show",
      "export",
      "tail",
      "cost",
      "search",
      "blame",
      "statusline",
    ]);
    for (const v of zoned) assert.equal(v.flags.find((f) => f.name === "tz")!.value, "zone");
    const zones = spec.zones ?? [];
    assert.ok(zones.includes("UTC") && zones.includes("Europe/Berlin"), `${zones.length} zones`);
    for (const zone of zones) assert.equal(checkTimeZone(zone), zone);
  });

  it("describes every flag from the help, and knows which take a value", () => {
    for (const v of spec.verbs) {
      for (const f of v.flags) {
        assert.notEqual(f.description, "", `${v.name} --${f.name} has no help line`);
      }
    }
    const cost = spec.verbs.find((v) => v.name === "cost")!;
    const session = cost.flags.find((f) => f.name === "session")!;
    assert.deepEqual([session.short, session.value], ["s", "session"]);
    assert.equal(cost.flags.find((f) => f.name === "csv")!.value, undefined);
    assert.equal(spec.globals.length, Object.keys(GLOBAL_OPTIONS).length);
    assert.equal(spec.globals.find((f) => f.name === "home")!.multiple, true);
  });
});

describe("completions verb", () => {
  it("prints a script per shell, and refuses another shell", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const r = await cli(["completions", shell]);
      assert.equal(r.code, 0);
      assert.match(r.out, new RegExp(`${shell} completion for zot-sessions`));
    }
    const bad = await cli(["completions", "tcsh"]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /Cannot print a completion script for "tcsh": expected bash, zsh or fish/,
    );
    assert.equal((await cli(["completions"])).code, 2);
  });
});

describe("__complete sessions", () => {
  const A = "/home/dev/p";
  const B = "/home/dev/q";
  const IDA = "aaaaaaaa-0000-4000-8000-000000000001";
  const IDAB = "abababab-0000-4000-8000-000000000002";
  const IDB = "bbbbbbbb-0000-4000-8000-000000000003";
  const at = (iso: string) => Date.parse(iso);

  it("short ids with their title (else project) and day, this project's first, newest first", async () => {
    const h = await tempHome([
      {
        cwd: A,
        name: `20261001-120000-aaaaaaaa.jsonl`,
        mtimeMs: at("2026-10-01T12:00:00Z"),
        lines: [
          metaLine({ id: IDA, cwd: A, title: "Fix\tthe\x1b[31m test" }),
          messageLine("user", "x"),
        ],
      },
      {
        cwd: B,
        name: `20261003-120000-abababab.jsonl`,
        mtimeMs: at("2026-10-03T12:00:00Z"),
        lines: [metaLine({ id: IDAB, cwd: B })],
      },
      {
        cwd: A,
        name: `20261002-120000-bbbbbbbb.jsonl`,
        mtimeMs: at("2026-10-02T12:00:00Z"),
        lines: [metaLine({ id: IDB, cwd: A }), renameLine("renamed later: not read")],
      },
    ]);
    try {
      const all = await cli(["__complete", "sessions", "--home", h.home, "--cwd", A, "--", ""]);
      assert.equal(all.code, 0);
      assert.equal(
        all.out,
        `bbbbbbbb\t${A} · 2026-10-02\naaaaaaaa\tFix the [31m test · 2026-10-01\nabababab\t${B} · 2026-10-03\n`,
      );
      const some = await cli(["__complete", "sessions", "--home", h.home, "--cwd", A, "--", "A"]);
      assert.equal(
        some.out.split("\n").filter(Boolean).map((l) => l.split("\t")[0]).join(" "),
        "aaaaaaaa abababab",
      );
      const long = await cli(["__complete", "sessions", "--home", h.home, "--", "aaaaaaaa-0"]);
      assert.equal(long.out.split("\t")[0], IDA);
    } finally {
      await h.cleanup();
    }
  });

  it("prints nothing, and no error, when it cannot answer", async () => {
    for (
      const args of [["sessions", "--home", "/nonexistent/zot"], ["other"], ["sessions", "--bogus"]]
    ) {
      const r = await cli(["__complete", ...args]);
      assert.equal(r.out, "");
      assert.equal(r.err, "");
    }
  });
});
