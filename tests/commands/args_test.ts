/**
 * Tests of lib/args.ts: flags with values that look like negative numbers
 * (`--until -5d`, `-n -1`) reach the flag's own check, and a bare `-N` sets
 * a command's count flag (GNU tail's `-5`).
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import { tmpdir } from "node:os";
import assert from "node:assert/strict";
import { intFlag, joinDashValues, type OptionSpec, parseFlags } from "../../lib/commands/args.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { runCli } from "../../lib/cli/run.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";

const OPTIONS: OptionSpec = {
  until: { type: "string" },
  lines: { type: "string", short: "n" },
  follow: { type: "boolean", short: "f" },
};

describe("joinDashValues", () => {
  const cases: [string[], string | undefined, string[]][] = [
    [["--until", "-5d"], undefined, ["--until=-5d"]],
    [["-n", "-1"], undefined, ["--lines=-1"]],
    [["--until", "5d"], undefined, ["--until", "5d"]],
    [["--until=-5d"], undefined, ["--until=-5d"]],
    // Not a value flag: left for parseArgs to refuse.
    [["-f", "-5"], undefined, ["-f", "-5"]],
    [["-f", "-5"], "lines", ["-f", "--lines=5"]],
    [["-5", "abc"], "lines", ["--lines=5", "abc"]],
    // A value flag's negative value is its value, not a count.
    [["-n", "-5"], "lines", ["--lines=-5"]],
    // A dash and a letter is a flag, even after a value flag.
    [["--until", "-f"], undefined, ["--until", "-f"]],
    // After "--" everything is left as it is.
    [["--", "--until", "-5d", "-5"], "lines", ["--", "--until", "-5d", "-5"]],
  ];
  for (const [args, countFlag, want] of cases) {
    it(`${JSON.stringify(args)}${countFlag ? ` (count flag ${countFlag})` : ""} → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(joinDashValues(args, OPTIONS, countFlag), want);
    });
  }
});

describe("parseFlags", () => {
  it("gives a value flag its negative value, so the flag's check can refuse it", () => {
    assert.equal(parseFlags(["--until", "-5d"], OPTIONS, false).values.until, "-5d");
    const lines = parseFlags(["-n", "-1"], OPTIONS, false).values.lines as string;
    assert.throws(
      () => intFlag("-n", lines, 0),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message === 'Cannot parse -n "-1": expected a whole number ≥ 0',
    );
  });

  it("still says a value is missing when none is given", () => {
    assert.throws(
      () => parseFlags(["--until"], OPTIONS, false),
      (e: unknown) => e instanceof UsageError && /it needs a value/.test(e.message),
    );
  });
});

describe("negative values through the CLI", () => {
  const cases: [string[], RegExp][] = [
    [["ls", "--until", "-5d"], /Cannot parse --until "-5d": a time cannot be negative/],
    [["ls", "--since=-2h"], /Cannot parse --since "-2h": a time cannot be negative/],
    [["ls", "--limit", "-1"], /Cannot parse --limit "-1": expected a whole number ≥ 1/],
    [["ls", "-n", "-1"], /Cannot parse --limit "-1": expected a whole number ≥ 1/],
    [["cost", "--last", "-3"], /Cannot parse --last "-3": expected a whole number ≥ 1/],
    [["tail", "-n", "-1"], /Cannot parse -n "-1": expected a whole number ≥ 0/],
    [
      ["gc", "--grace", "-1h", "--empty"],
      /Cannot parse --grace "-1h": a duration cannot be negative/,
    ],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(" ")}: exit 2, ${message.source}`, async () => {
      // An existing home without sessions: gc reads its config before its flags.
      const io = memoryIO({ env: { ZOT_HOME: tmpdir() } });
      assert.equal(await runCli(args, io), 2, io.err());
      assert.match(io.err(), message);
      assert.doesNotMatch(io.err(), /needs a value/);
    });
  }
});
