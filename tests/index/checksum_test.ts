/**
 * A row's checksum is SHA-256 of its values' text, one `n`/`s`, length,
 * `:` and value after another (the sums stored in every index): computed in
 * one update and remembered for short rows, it is still that hash.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { rowSum } from "../../lib/index/checksum.ts";

/** The sum as first written: one update per value. */
function reference(values: (string | number)[]): string {
  const h = createHash("sha256");
  for (const v of values) h.update(`${typeof v === "number" ? "n" : "s"}${String(v).length}:${v}`);
  return h.digest("base64").slice(0, 22);
}

describe("rowSum", () => {
  it("is the stored sums' hash, computed again or remembered", () => {
    const value = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ maxLength: 2000 }),
      fc.double(),
      fc.integer(),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 12 }), (values) => {
        assert.equal(rowSum(values), reference(values));
        assert.equal(rowSum(values), reference(values)); // remembered
      }),
      { numRuns: 2000 },
    );
  });

  it("a sum stored by an earlier version still matches", () => {
    // Computed by the first rowSum (one update per value).
    assert.equal(
      rowSum(["/p/s.jsonl", 2049, 1234, 100, 1700000000000.5]),
      "0DgTnGqz8RYvKW7Wh4hal3",
    );
  });
});
