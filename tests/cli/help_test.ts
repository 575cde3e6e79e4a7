/**
 * Tests of lib/cli/help.ts: option rows and the lines that continue them.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { alignOptions, helpText, optionDescriptions } from "../../lib/cli/help.ts";
import { tail } from "../../lib/commands/tail.ts";

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
