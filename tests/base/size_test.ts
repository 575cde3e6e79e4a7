/**
 * Tests of `parseSize`: the sizes `gc --max-size` and the config take.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "../../lib/base/errors.ts";
import { parseSize } from "../../lib/base/size.ts";

describe("parseSize", () => {
  it("reads SI and binary units, any case, with or without a space", () => {
    assert.equal(parseSize("--max-size", "500MB"), 500_000_000);
    assert.equal(parseSize("--max-size", "2GiB"), 2 * 2 ** 30);
    assert.equal(parseSize("--max-size", "1.5G"), 1_500_000_000);
    assert.equal(parseSize("--max-size", "800k"), 800_000);
    assert.equal(parseSize("--max-size", "64 KiB"), 65_536);
    assert.equal(parseSize("--max-size", "3mib"), 3 * 2 ** 20);
    assert.equal(parseSize("--max-size", "1TB"), 1e12);
    assert.equal(parseSize("--max-size", "42"), 42);
    assert.equal(parseSize("--max-size", "42b"), 42);
    assert.equal(parseSize("--max-size", "0"), 0);
  });

  it("refuses anything else with a usage error naming the flag", () => {
    for (const bad of ["", "MB", "-1MB", "5XB", "1e3", "2 GiB extra", "1,5G", "0x10"]) {
      assert.throws(
        () => parseSize("--max-size", bad),
        (e) => e instanceof UsageError && e.message.includes("--max-size"),
        JSON.stringify(bad),
      );
    }
  });
});
