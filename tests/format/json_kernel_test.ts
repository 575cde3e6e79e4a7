/**
 * Tests of lib/format/json_kernel.ts: the WebAssembly kernel and the
 * JavaScript fallback must find the same line ends and give the same
 * verdicts, and the verdicts must be JSON.parse's (the judge, as in
 * json_valid_test.ts), whatever the chunking, the interleaving of several
 * checks, the nesting depth and where the bytes sit in memory.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { jsonCheck, wasmKernelAvailable } from "../../lib/format/json_kernel.ts";
import type { JsonCheck, JsonCheckCounter, JsonKernelKind } from "../../lib/format/json_check.ts";
import { zotLine } from "../helpers/zot_reference.ts";

const encoder = new TextEncoder();
const KINDS: JsonKernelKind[] = ["wasm", "js"];

/** The judge: does JSON.parse accept the bytes, decoded as the readers decode them? */
function parses(b: Uint8Array): boolean {
  try {
    JSON.parse(new TextDecoder().decode(b));
    return true;
  } catch {
    return false;
  }
}

/** Each line's end (offset of its "\n", -1 for an unterminated last one) and verdict. */
type Verdicts = [number, boolean][];

/** Feeds `data` in the pieces cut at `cuts` to a check, line by line. */
function verdictsOf(check: JsonCheck, data: Uint8Array, cuts: number[]): Verdicts {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...points, data.length];
  const out: Verdicts = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const chunk = data.slice(bounds[i], bounds[i + 1]);
    check.newChunk();
    let pos = 0;
    while (true) {
      const nl = check.line(chunk, pos);
      if (nl === -1) break;
      out.push([bounds[i] + nl, check.end()]);
      pos = nl + 1;
    }
  }
  if (data.length === 0 || data[data.length - 1] !== 0x0a) out.push([-1, check.end()]);
  return out;
}

/** What JSON.parse says of each line. */
function judged(data: Uint8Array): Verdicts {
  const out: Verdicts = [];
  let start = 0;
  while (true) {
    const nl = data.indexOf(0x0a, start);
    const line = data.subarray(start, nl === -1 ? data.length : nl);
    if (nl === -1) {
      if (start < data.length || data.length === 0) out.push([-1, parses(line)]);
      return out;
    }
    out.push([nl, parses(line)]);
    start = nl + 1;
  }
}

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; byte: number };

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
  }
}

/** A string with long plain runs and, now and then, a byte that stops one. */
const runText = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789+/="), weight: 30 },
    {
      arbitrary: fc.constantFrom('"', "\\", "\n", "\t", "\u0001", "é", "\u2028", "\\u00e9"),
      weight: 1,
    },
  ),
  maxLength: 400,
});

/** Lines as zot writes them, and others, some damaged; "\n" or "\r\n" after each but maybe the last. */
const lines = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.oneof(
          zotLine(),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          runText.map((t) => JSON.stringify({ text: t, data: t })),
          fc.string({ maxLength: 40 }),
        ),
        fc.array(mutation, { maxLength: 2 }),
        fc.boolean(),
      ),
      { maxLength: 6 },
    ),
    fc.boolean(),
  )
  .map(([ls, terminated]) => {
    const parts = ls.map(([text, ms, crlf]) => {
      const b = ms.reduce(mutate, encoder.encode(text));
      return [...b, ...(crlf ? [0x0d, 0x0a] : [0x0a])];
    });
    const all = new Uint8Array(parts.flat());
    return terminated || all.length === 0 ? all : all.subarray(0, all.length - 1);
  });

const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe("jsonCheck", () => {
  it("the WebAssembly kernel is available under this runtime", () => {
    assert.equal(wasmKernelAvailable(), true);
    assert.equal(jsonCheck().kind, "wasm");
    assert.equal(jsonCheck(undefined, "js").kind, "js");
  });

  it("jsonCheck() finds each line's end and says what JSON.parse says of it, the kernel and JavaScript alike, for any cut points", () => {
    fc.assert(
      fc.property(lines, cuts, (data, cutPoints) => {
        const want = judged(data);
        for (const kind of KINDS) {
          assert.deepEqual(verdictsOf(jsonCheck(undefined, kind), data, cutPoints), want, kind);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("jsonCheck() push() of a whole text, newlines inside, says what JSON.parse says, the kernel and JavaScript alike", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v, null, 1)),
          zotLine(),
        ),
        fc.array(mutation, { maxLength: 2 }),
        cuts,
        (text, ms, cutPoints) => {
          const b = ms.reduce(mutate, encoder.encode(text));
          const points = [...new Set(cutPoints.map((c) => c % (b.length + 1)))].sort((x, y) =>
            x - y
          );
          for (const kind of KINDS) {
            const check = jsonCheck(undefined, kind);
            let from = 0;
            for (const p of [...points, b.length]) {
              check.push(b.slice(from, p));
              from = p;
            }
            assert.equal(check.end(), parses(b), kind);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("jsonCheck() checks taking turns, a chunk each, say what each says alone (the kernel's one state is saved and restored)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(lines, cuts), { minLength: 2, maxLength: 4 }), (streams) => {
        const alone = streams.map(([data, c]) => verdictsOf(jsonCheck(), data, c));
        // The same streams, each chunk of each in turn, nested brackets open across turns.
        const checks = streams.map(() => jsonCheck());
        const pieces = streams.map(([data, c]) => {
          const points = [...new Set(c.map((x) => x % (data.length + 1)))].sort((a, b) => a - b);
          const bounds = [0, ...points, data.length];
          return bounds.slice(1).map((end, i) => ({
            start: bounds[i],
            chunk: data.slice(bounds[i], end),
          }));
        });
        const got: Verdicts[] = streams.map(() => []);
        const positions = streams.map(() => 0);
        for (let turn = 0; positions.some((p, i) => p < pieces[i].length); turn++) {
          for (const [i, check] of checks.entries()) {
            const piece = pieces[i][positions[i]++];
            if (!piece) continue;
            check.newChunk();
            let pos = 0;
            while (true) {
              const nl = check.line(piece.chunk, pos);
              if (nl === -1) break;
              got[i].push([piece.start + nl, check.end()]);
              pos = nl + 1;
            }
          }
        }
        for (const [i, [data]] of streams.entries()) {
          if (data.length === 0 || data[data.length - 1] !== 0x0a) {
            got[i].push([-1, checks[i].end()]);
          }
        }
        assert.deepEqual(got, alone);
      }),
      { numRuns: 300 },
    );
  });

  it("jsonCheck() goes on in JavaScript past the kernel's 2^20 levels of nesting, with the same verdicts", () => {
    const depth = (1 << 20) + 5;
    const deep = new Uint8Array(2 * depth + 1);
    deep.fill(0x5b, 0, depth); // "["
    deep.fill(0x5d, depth, 2 * depth); // "]"
    deep[2 * depth] = 0x0a;
    const counter: JsonCheckCounter = {};
    for (const kind of KINDS) {
      const check = jsonCheck(counter, kind);
      assert.equal(check.line(deep, 0), 2 * depth, kind);
      assert.equal(check.end(), true, kind);
      // One bracket short: not JSON; the next line is checked from scratch.
      const short = deep.slice(1);
      assert.equal(check.line(short, 0), 2 * depth - 1, kind);
      assert.equal(check.end(), false, kind);
      assert.equal(check.line(encoder.encode("[1]\n"), 0), 3, kind);
      assert.equal(check.end(), true, kind);
    }
    // The kernel checked up to its depth, JavaScript the rest.
    assert.ok(counter.jsonWasmBytes! >= 2 * (1 << 20), `${counter.jsonWasmBytes}`);
    assert.ok(counter.jsonJsBytes! > 4 * depth, `${counter.jsonJsBytes}`);
  });

  it("jsonCheck() checks lines longer than the kernel's window as shorter ones", () => {
    const big = JSON.stringify({ text: 'ab\\n"'.repeat(700_000), n: 1 });
    const data = encoder.encode(`${big}\n${big.slice(0, -1)}\n{"a":1}\n`);
    assert.ok(data.length > 2 << 20);
    const want = judged(data);
    assert.deepEqual(want.map(([, v]) => v), [true, false, true]);
    for (const kind of KINDS) {
      assert.deepEqual(verdictsOf(jsonCheck(undefined, kind), data, []), want, kind);
      assert.deepEqual(verdictsOf(jsonCheck(undefined, kind), data, [1 << 20, 3 << 20]), want);
    }
  });

  it("jsonCheck() counts the bytes each implementation checked", () => {
    const data = encoder.encode('{"a":1}\nnot json\n');
    for (const kind of KINDS) {
      const counter: JsonCheckCounter = {};
      verdictsOf(jsonCheck(counter, kind), data, []);
      const checked = (counter.jsonWasmBytes ?? 0) + (counter.jsonJsBytes ?? 0);
      assert.equal(kind === "wasm" ? counter.jsonWasmBytes : counter.jsonJsBytes, checked);
      // Everything but the newlines (a damaged line may be skipped to its end).
      assert.equal(checked, data.length - 2, kind);
    }
  });
});
