/** The flags show and tail share: their checks and what they read. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { transcriptFlags } from "../../lib/commands/transcript_options.ts";
import { UsageError } from "../../lib/base/errors.ts";

describe("show flags", () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ range: "3x" }, /Cannot parse --range "3x"/],
    [{ "with-data": true }, /Cannot use --with-data without --json/],
    [{ "no-tools": true, role: ["user", "tool"] }, /Cannot use --no-tools with --role tool/],
    [{ range: ".." }, /Cannot parse --range ".."/],
    [{ range: "5..2" }, /5 is after 2/],
    [{ range: "-1..-3" }, /-1 is after -3/],
    [{ range: "-..2" }, /Cannot parse --range "-..2"/],
    [{ role: ["robot"] }, /Cannot parse --role "robot": expected one of user, assistant, tool/],
    [{ raw: true, json: true }, /Cannot combine --raw, --markdown and --json/],
    [{ usage: true, "no-usage": true }, /Cannot use --usage with --no-usage/],
  ];
  for (const [values, message] of bad) {
    it(`rejects ${JSON.stringify(values)} with a usage error`, () => {
      assert.throws(
        () => transcriptFlags({ values: values as never, positionals: [] }),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      );
    });
  }
  it("reads --range N as N..N", () => {
    const f = transcriptFlags({ values: { range: "5" }, positionals: [] });
    assert.deepEqual([f.filter.from, f.filter.to], [5, 5]);
  });
  it("takes --with-data with --json, and --no-tools with other roles", () => {
    const f = transcriptFlags({
      values: { "with-data": true, json: true, "no-tools": true, role: ["user"] },
      positionals: [],
    });
    assert.deepEqual([f.withData, f.filter.tools], [true, false]);
  });
  it("reads an open range and repeated roles", () => {
    const f = transcriptFlags({
      values: { range: "2..", role: ["user", "tool"] },
      positionals: [],
    });
    assert.deepEqual([f.filter.from, f.filter.to, [...f.filter.roles!]], [2, null, [
      "user",
      "tool",
    ]]);
  });
});
