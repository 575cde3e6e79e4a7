/**
 * Tests of lib/format/json_skim.ts: a text parsed with its long strings left
 * out is the text parsed whole, once every placeholder is restored; keys are
 * never left out; a text whose strings could be taken for placeholders is
 * refused (null), never answered wrongly.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseSkimmed } from "../../lib/format/json_skim.ts";

const encoder = new TextEncoder();

/** `v` with every string (keys too) passed through `f`. */
function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === "string") return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), mapStrings(x, f)]));
  }
  return v;
}

/** Whether a string value of `v` (not a key) takes more than `min` bytes written as JSON. */
function hasLongValue(v: unknown, min: number): boolean {
  if (typeof v === "string") return encoder.encode(JSON.stringify(v)).length - 2 > min;
  if (Array.isArray(v)) return v.some((x) => hasLongValue(x, min));
  if (v !== null && typeof v === "object") {
    return Object.values(v).some((x) => hasLongValue(x, min));
  }
  return false;
}

/** Strings short and long, with escapes, quotes, backslashes and non-ASCII. */
const text = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.constantFrom(..."abcXYZ019+/= "), weight: 20 },
    { arbitrary: fc.constantFrom('"', "\\", "\n", "\u0001", "é", "😀", "\u2028"), weight: 2 },
  ),
  maxLength: 120,
});

const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { arbitrary: text, weight: 3 },
    { arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), weight: 1 },
    { arbitrary: fc.array(tie("value"), { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(text, tie("value"), { maxKeys: 4 }), weight: 1 },
  ),
})).value;

describe("parseSkimmed", () => {
  it("parseSkimmed() restored is JSON.parse, for any JSON text, compact or spaced, any threshold", () => {
    fc.assert(
      fc.property(
        values,
        fc.constantFrom(0, 1, 2),
        fc.integer({ min: 0, max: 60 }),
        (v, indent, min) => {
          const json = JSON.stringify(v, null, indent);
          const bytes = encoder.encode(json);
          const s = parseSkimmed(bytes, min);
          // Null only when no value is longer than min as written.
          assert.equal(s !== null, hasLongValue(v, min), json);
          if (s === null) return;
          assert.deepEqual(mapStrings(s.value, s.restore), JSON.parse(json));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("parseSkimmed() leaves out long values, not keys, and keeps short ones", () => {
    const long = "x".repeat(100);
    const json = `{"${long}": "${long}", "a": ["${long}", "short", "\\"${long}\\""]}`;
    const s = parseSkimmed(encoder.encode(json), 50)!;
    const v = s.value as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), [long, "a"]);
    assert.notEqual(v[long], long);
    const [a, b, c] = v.a as string[];
    assert.notEqual(a, long);
    assert.equal(b, "short");
    assert.equal(s.restore(c), `"${long}"`);
    assert.equal(s.restore("short"), "short");
  });

  it("parseSkimmed() refuses a text holding a string that reads as a placeholder", () => {
    const long = "y".repeat(100);
    const probe = parseSkimmed(encoder.encode(`["${long}"]`), 50)!;
    const placeholder = (probe.value as string[])[0];
    // The same placeholder written in the text itself, escaped as JSON writes it.
    const json = JSON.stringify([long, placeholder]);
    assert.equal(parseSkimmed(encoder.encode(json), 50), null);
    const asKey = JSON.stringify({ [placeholder]: long });
    assert.equal(parseSkimmed(encoder.encode(asKey), 50), null);
  });

  it("parseSkimmed() gives null when no string is long", () => {
    assert.equal(parseSkimmed(encoder.encode('{"a":"b"}'), 10), null);
  });
});
