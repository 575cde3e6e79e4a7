/**
 * Tests of lib/json_valid.ts: the byte-level JSON check must say exactly what
 * `JSON.parse` of the decoded bytes says, on valid JSON, on JSON damaged the
 * way files get damaged (flipped bits, lost bytes, cuts), and on random bytes;
 * and fed in pieces it must say what it says fed at once.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isJsonValid, JsonValidator } from "../../lib/format/json_valid.ts";
import { zotLine } from "../helpers/zot_reference.ts";

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s);

/** The oracle: does JSON.parse accept the bytes, decoded as the readers decode them? */
function parses(b: Uint8Array): boolean {
  try {
    JSON.parse(new TextDecoder().decode(b));
    return true;
  } catch {
    return false;
  }
}

/** JSON text as JSON.stringify writes it, compact or indented, with whitespace around. */
const spacedJson = fc
  .record({
    value: fc.jsonValue({ maxDepth: 4 }),
    indent: fc.constantFrom(0, 1, 2, "\t"),
    before: fc.constantFrom("", " ", "\t", "\r\n"),
    after: fc.constantFrom("", " ", "\n", " \r"),
  })
  .map(({ value, indent, before, after }) => before + JSON.stringify(value, null, indent) + after);

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | {
    kind: "delete";
    at: number;
    length: number;
  }
  | { kind: "insert"; at: number; byte: number }
  | { kind: "cut"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
);

function mutate(b: Uint8Array, m: Mutation): Uint8Array {
  if (b.length === 0) return b;
  const at = m.at % b.length;
  switch (m.kind) {
    case "flip": {
      const out = b.slice();
      out[at] ^= 1 << m.bit;
      return out;
    }
    case "delete":
      return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + m.length)]);
    case "insert":
      return new Uint8Array([...b.subarray(0, at), m.byte, ...b.subarray(at)]);
    case "cut":
      return b.slice(0, at);
  }
}

/** Splits bytes at the given points (mod length) and feeds the pieces. */
function validInPieces(b: Uint8Array, cuts: number[]): boolean {
  const points = [...new Set(cuts.map((c) => (b.length === 0 ? 0 : c % (b.length + 1))))]
    .sort((x, y) => x - y);
  const v = new JsonValidator();
  let from = 0;
  for (const p of points) {
    v.push(b.subarray(from, p));
    from = p;
  }
  v.push(b.subarray(from));
  return v.end();
}

const cases: [string, string, boolean][] = [
  ["an object", '{"a":[1,-2.5e+3,true,false,null,"x"]}', true],
  ["a bare number", "-0.0e-0", true],
  ["a string with every escape", '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D"', true],
  ["whitespace around a value", " \t\r\n{ } \n", true],
  ["nothing", "", false],
  ["only whitespace", "  ", false],
  ["a leading zero", "01", false],
  ["a bare minus", "-", false],
  ["a dot without digits", "1.", false],
  ["an exponent without digits", "1e+", false],
  ["a plus sign", "+1", false],
  ["a trailing comma in an array", "[1,]", false],
  ["a trailing comma in an object", '{"a":1,}', false],
  ["a key that is not a string", "{a:1}", false],
  ["a missing colon", '{"a" 1}', false],
  ["a mismatched bracket", '{"a":[1}', false],
  ["an unclosed object", '{"a":1', false],
  ["two values", "{} {}", false],
  ["a raw control character in a string", '"a\u0001b"', false],
  ["a raw tab in a string", '"a\tb"', false],
  ["an unknown escape", '"\\x41"', false],
  ["a short \\u escape", '"\\u12"', false],
  ["a literal cut short", "tru", false],
  ["a misspelt literal", "nul1", false],
  ["single quotes", "'a'", false],
  ["a raw DEL in a string", '"\u007f"', true],
  ["U+2028 in a string", '"\u2028"', true],
];

describe("isJsonValid", () => {
  for (const [name, text, expected] of cases) {
    it(`isJsonValid() on ${name}: ${expected}`, () => {
      assert.equal(parses(bytes(text)), expected, "the oracle disagrees with the case");
      assert.equal(isJsonValid(bytes(text)), expected);
    });
  }

  it("isJsonValid() accepts invalid UTF-8 inside a string and refuses it outside, as a decode then parse does", () => {
    const inside = new Uint8Array([0x22, 0xff, 0xc3, 0x22]);
    const outside = new Uint8Array([0x5b, 0x31, 0x2c, 0xff, 0x5d]);
    assert.equal(isJsonValid(inside), parses(inside));
    assert.equal(isJsonValid(inside), true);
    assert.equal(isJsonValid(outside), parses(outside));
    assert.equal(isJsonValid(outside), false);
  });

  it("isJsonValid() skips a leading byte order mark, as TextDecoder does", () => {
    const b = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes("{}")]);
    assert.equal(parses(b), true);
    assert.equal(isJsonValid(b), true);
  });

  it("isJsonValid() checks nesting 100,000 deep without the call stack", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    assert.equal(isJsonValid(bytes(deep)), true);
    assert.equal(isJsonValid(bytes(deep.slice(0, -1))), false);
  });

  it("isJsonValid() equals JSON.parse on any JSON value, spaced", () => {
    fc.assert(
      fc.property(spacedJson, (text) => {
        const b = bytes(text);
        assert.equal(isJsonValid(b), parses(b), text);
      }),
      { numRuns: 300 },
    );
  });

  it("isJsonValid() equals JSON.parse on zot lines with flipped bits, lost or added bytes, and cuts", () => {
    fc.assert(
      fc.property(
        fc.oneof(zotLine(), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (line, mutations) => {
          const b = mutations.reduce(mutate, bytes(line));
          assert.equal(isJsonValid(b), parses(b), JSON.stringify(new TextDecoder().decode(b)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("isJsonValid() equals JSON.parse on long strings damaged anywhere, viewed at any offset of a buffer", () => {
    const text = fc.string({
      unit: fc.oneof(
        { arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789+/="), weight: 20 },
        { arbitrary: fc.constantFrom('"', "\\", "\n", "\t", "\u0001", "é", "\u2028"), weight: 1 },
      ),
      minLength: 20,
      maxLength: 300,
    });
    fc.assert(
      fc.property(
        text,
        fc.array(mutation, { maxLength: 2 }),
        fc.nat(7),
        (t, mutations, offset) => {
          const b = mutations.reduce(mutate, bytes(JSON.stringify({ text: t, data: t })));
          const buffer = new Uint8Array(offset + b.length + 3);
          buffer.set(b, offset);
          const view = buffer.subarray(offset, offset + b.length);
          assert.equal(isJsonValid(view), parses(b));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("isJsonValid() equals JSON.parse on random bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 12 }),
        fc.uint8Array({ maxLength: 12 }).map((b) => b.map((x) => x % 0x80)),
        (raw, ascii) => {
          for (const b of [raw, ascii]) assert.equal(isJsonValid(b), parses(b), String(b));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("JsonValidator fed in pieces says what it says fed at once", () => {
    fc.assert(
      fc.property(
        fc.oneof(zotLine(), spacedJson),
        fc.array(mutation, { maxLength: 2 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (line, mutations, cuts) => {
          const b = mutations.reduce(mutate, bytes(line));
          assert.equal(validInPieces(b, cuts), isJsonValid(b));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
