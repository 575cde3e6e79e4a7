/**
 * Tests of `tailLines` in lib/commands/tail.ts and of the `tail` verb
 * in-process (the start finder's are in tests/transcript/tail_start_test.ts).
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { cli } from "../helpers/transcript_cli.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { tailLines } from "../../lib/commands/tail.ts";

describe("tail", () => {
  it("prints the last N messages with their tool results", async () => {
    const r = await cli(["tail", "-n", "1", "--json"]);
    const events = r.out.trimEnd().split("\n").map((l) => JSON.parse(l));
    // The session's meta first, as show's; then the last non-tool message,
    // the assistant's (index -2 from the end), with its result.
    assert.deepEqual(events.map((e) => e.type), ["meta", "usage", "message", "message", "rename"]);
    assert.deepEqual(events.filter((e) => e.type === "message").map((e) => e.index), [-2, -1]);
    assert.equal(events[1].delta.costUsd, 0.5);
  });

  it("rejects following with --raw", async () => {
    const r = await cli(["tail", "-f", "--raw"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /Cannot follow with --raw/);
  });
});

// ---------------------------------------------------------------------------
// findTailStart
// ---------------------------------------------------------------------------

describe("tailLines", () => {
  const cases: [string | undefined, number | null, unknown][] = [
    [undefined, null, { last: 10 }],
    [undefined, -3, { last: 10 }],
    [undefined, -25, { last: 25 }],
    [undefined, 4, { last: 10 }],
    ["0", null, { last: 0 }],
    ["7", null, { last: 7 }],
    ["+1", null, { from: 0 }],
    ["+0", null, { from: 0 }],
    ["+12", null, { from: 11 }],
  ];
  for (const [text, rangeFrom, want] of cases) {
    it(`-n ${text ?? "(none)"} with --range from ${rangeFrom} → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(tailLines(text, rangeFrom), want);
    });
  }
  for (const bad of ["-1", "x", "1.5", "+", "+-2", ""]) {
    it(`-n "${bad}" is a usage error saying what is expected`, () => {
      assert.throws(
        () => tailLines(bad, null),
        (e: unknown) =>
          e instanceof Error && e.name === "UsageError" &&
          e.message.startsWith(`Cannot parse -n "${bad}": expected a whole number ≥ 0`),
      );
    });
  }
});
