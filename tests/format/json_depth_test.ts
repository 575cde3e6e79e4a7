/**
 * Tests of lib/json_depth.ts: depth without recursion, and the cut text of a
 * value nested too deep, against `JSON.stringify` where it can answer.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { deeperThan, jsonPrefix } from "../../lib/format/json_depth.ts";

/** The depth of a value by the obvious recursion (fine for fast-check's small values). */
function depthOf(v: unknown): number {
  if (typeof v !== "object" || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** `[[…]]` nested `n` levels, built without recursion. */
function nested(n: number): unknown {
  let v: unknown = [];
  for (let i = 1; i < n; i++) v = [v];
  return v;
}

describe("deeperThan", () => {
  it("agrees with a recursive depth for any JSON value and limit (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(12), (v, limit) => {
        assert.equal(deeperThan(v, limit), depthOf(v) > limit);
      }),
      { numRuns: 500 },
    );
  });

  it("walks a million levels without a stack overflow", () => {
    assert.equal(deeperThan(nested(1_000_000), 512), true);
    assert.equal(deeperThan(nested(512), 512), false);
  });
});

describe("jsonPrefix", () => {
  it("is JSON.stringify for any value within the limits (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        assert.deepEqual(jsonPrefix(v, 100, 1 << 20), { text: JSON.stringify(v), cut: false });
      }),
      { numRuns: 500 },
    );
  });

  it("is the start of JSON.stringify, cut, for any value over them (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(4), fc.nat(60), (v, limit, maxChars) => {
        const whole = JSON.stringify(v);
        const { text, cut } = jsonPrefix(v, limit, maxChars);
        assert.ok(whole.startsWith(text), `${text} is a start of ${whole}`);
        assert.equal(cut, text !== whole);
        if (depthOf(v) > limit) assert.equal(cut, true);
      }),
      { numRuns: 500 },
    );
  });

  it("cuts a million levels before the first container over the limit", () => {
    assert.deepEqual(jsonPrefix(nested(1_000_000), 512, 1 << 16), {
      text: "[".repeat(512),
      cut: true,
    });
    // {, [, { are levels 1 to 3: the array under "b" would be the fourth.
    assert.deepEqual(jsonPrefix({ a: [1, { b: [[2]] }] }, 3, 100), {
      text: '{"a":[1,{"b":',
      cut: true,
    });
  });
});
