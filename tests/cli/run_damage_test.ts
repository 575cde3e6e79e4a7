/**
 * Damaged and hostile session files through the whole CLI, in-process
 * (`runCli` + `memoryIO`), starting from zot's own files (the shared samples
 * when present, and the repository's example home):
 *
 * - `ls` counts a damaged line as `show` and the reference reader do: for
 *   flipped bits and lost bytes, `ls --json`'s `messages` and `damagedLines`
 *   equal the reference's counts and `show --json`'s message and `skipped`
 *   events (issue 9, item 9: the fast path once counted a line damaged in
 *   the middle as a message).
 * - A fuzz test: every verb, fed mutated files (flipped bits, cuts,
 *   duplicated or lost lines, wrong-type values in known fields), ends with
 *   exit 0, or exit 1 and one line, in bounded time, and lists or reports
 *   every session.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../lib/cli/run.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { ROOT } from "../e2e/harness.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { referenceSummaryOfBytes } from "../helpers/zot_reference.ts";

/** Bun's default per-test timeout is 5 s; these run the CLI many times. */
const SLOW = { timeout: 120_000 };

/** A session file of zot's: where it sat in its home, and its bytes. */
interface Sample {
  dir: string;
  name: string;
  bytes: Uint8Array;
}

/**
 * Every session file of the example home and of zot's samples (missing
 * samples: outside CI the example home alone, under CI a failure).
 */
async function loadSamples(): Promise<Sample[]> {
  const out: Sample[] = [];
  const homes = [join(ROOT, "examples", "home"), ...(samplesSkip ? [] : [samplesHome()])];
  for (const home of homes) {
    const sessions = join(home, "sessions");
    for (const dir of (await readdir(sessions)).sort()) {
      for (const name of (await readdir(join(sessions, dir))).sort()) {
        if (!name.endsWith(".jsonl")) continue;
        out.push({ dir, name, bytes: new Uint8Array(await readFile(join(sessions, dir, name))) });
      }
    }
  }
  return out;
}

const samples = await loadSamples();

/** Runs the CLI in-process; a run that does not end in time fails the test. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ processCwd: "/nonexistent-cwd" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in 20 s: ${args.join(" ")}`)), 20_000);
  });
  try {
    const code = await Promise.race([runCli(args, io), timeout]);
    return { code, out: io.out(), err: io.err() };
  } finally {
    clearTimeout(timer);
  }
}

/** Writes files into a fresh home; returns it and the files' paths. */
async function makeHome(
  files: { dir: string; name: string; bytes: Uint8Array }[],
): Promise<{ home: string; paths: string[] }> {
  const home = await mkdtemp(join(tmpdir(), "zot-damage-"));
  const paths: string[] = [];
  for (const [i, f] of files.entries()) {
    // One directory per file: two mutants of one sample must not collide.
    const dir = join(home, "sessions", `${f.dir}${i}`);
    await mkdir(dir, { recursive: true });
    const path = join(dir, f.name);
    await writeFile(path, f.bytes);
    paths.push(path);
  }
  return { home, paths };
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/** A change to a file's bytes; positions are taken modulo the length. */
type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "cut"; at: number }
  | { kind: "duplicateLine"; line: number }
  | { kind: "deleteLine"; line: number }
  | { kind: "wrongType"; line: number; field: number; value: number };

const flip = fc.record({
  kind: fc.constant("flip" as const),
  at: fc.nat(),
  bit: fc.integer({ min: 0, max: 7 }),
});
const deletion = fc.record({
  kind: fc.constant("delete" as const),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 4 }),
});
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: flip, weight: 2 },
  { arbitrary: deletion, weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant("duplicateLine" as const), line: fc.nat() }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("deleteLine" as const), line: fc.nat() }),
    weight: 1,
  },
  {
    // The most varied mutation: weighed up so 40 runs try many fields.
    arbitrary: fc.record({
      kind: fc.constant("wrongType" as const),
      line: fc.nat(),
      field: fc.nat(),
      value: fc.nat(),
    }),
    weight: 4,
  },
);

/** Fields of zot's records, as key paths ("#" is an array's first element). */
const FIELDS = [
  ["type"],
  ["meta"],
  ["meta", "id"],
  ["meta", "cwd"],
  ["meta", "model"],
  ["meta", "started"],
  ["meta", "title"],
  ["meta", "parent"],
  ["meta", "fork_point"],
  ["message"],
  ["message", "role"],
  ["message", "content"],
  ["message", "time"],
  ["message", "meta"],
  ["message", "content", "#"],
  ["message", "content", "#", "text"],
  ["message", "content", "#", "arguments"],
  ["message", "content", "#", "content"],
  ["message", "content", "#", "is_error"],
  ["message", "content", "#", "data"],
  ["usage"],
  ["cumulative"],
  ["cumulative", "cost_usd"],
  ["cumulative", "input_tokens"],
  ["cumulative", "output_tokens"],
  ["cumulative", "cache_read_tokens"],
  ["cumulative", "cache_write_tokens"],
  ["usage", "output_tokens"],
  ["usage", "cost_usd"],
  ["title"],
];

/** Values of the wrong type, or out of range, as raw JSON text. */
const WRONG = [
  "5",
  "-1",
  "1.5",
  "1e308",
  "1e999",
  "-1e999",
  "[]",
  "{}",
  "null",
  '"x"',
  "true",
  '""',
  '[{"text":1}]',
  '{"a":[1,{"b":null}]}',
];

const LF = 0x0a;

/** The file's lines (without their "\n") and whether it ended with one. */
function linesOf(bytes: Uint8Array): { lines: Uint8Array[]; final: boolean } {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  const final = start === bytes.length;
  if (!final) lines.push(bytes.subarray(start));
  return { lines, final };
}

function joinLines(lines: Uint8Array[], final: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  lines.forEach((l, i) => {
    parts.push(l);
    if (i < lines.length - 1 || final) parts.push(new Uint8Array([LF]));
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The object holding the value at `path`, and its key; null if the path does not exist. */
function slotOf(
  value: unknown,
  path: string[],
): { holder: Record<string | number, unknown>; key: string | number } | null {
  let o = value;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof o !== "object" || o === null) return null;
    o = (o as Record<string | number, unknown>)[path[i] === "#" ? 0 : path[i]];
  }
  if (typeof o !== "object" || o === null) return null;
  const key = path[path.length - 1] === "#" ? 0 : path[path.length - 1];
  return key in o ? { holder: o as Record<string | number, unknown>, key } : null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Applies one mutation. */
function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (bytes.length === 0) return bytes;
  switch (m.kind) {
    case "flip": {
      const out = bytes.slice();
      out[m.at % out.length] ^= 1 << m.bit;
      return out;
    }
    case "delete": {
      const at = m.at % bytes.length;
      return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
    }
    case "cut":
      return bytes.slice(0, m.at % bytes.length);
  }
  const { lines, final } = linesOf(bytes);
  const i = m.line % lines.length;
  switch (m.kind) {
    case "duplicateLine":
      return joinLines([...lines.slice(0, i + 1), ...lines.slice(i)], final);
    case "deleteLine":
      return joinLines([...lines.slice(0, i), ...lines.slice(i + 1)], final);
    case "wrongType": {
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(lines[i]));
      } catch {
        return bytes; // already damaged
      }
      // One of the known fields this line has.
      const slots = FIELDS.map((f) => slotOf(value, f)).filter((x) => x !== null);
      if (slots.length === 0) return bytes;
      const slot = slots[m.field % slots.length]!;
      const placeholder = "\u0000wrong\u0000";
      slot.holder[slot.key] = placeholder;
      const text = JSON.stringify(value).replace(
        JSON.stringify(placeholder),
        WRONG[m.value % WRONG.length],
      );
      const out = [...lines];
      out[i] = encoder.encode(text);
      return joinLines(out, final);
    }
  }
}

// ---------------------------------------------------------------------------
// ls agrees with show and the reference
// ---------------------------------------------------------------------------

/** Messages and damaged lines as `show --json` reports them. */
function showCounts(ndjson: string): { messages: number; damaged: number } {
  let messages = 0;
  let damaged = 0;
  for (const line of ndjson.split("\n")) {
    if (line === "") continue;
    const e = JSON.parse(line);
    if (e.type === "message") messages++;
    if (e.type === "skipped") damaged += e.count;
  }
  return { messages, damaged };
}

describe("ls, show and the reference on damaged lines", () => {
  it(
    "ls --json counts messages and damaged lines as the reference and show --json do, for flipped bits and lost bytes in zot's files",
    SLOW,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(samples.length - 1),
          fc.array(fc.oneof(flip, deletion), { minLength: 1, maxLength: 4 }),
          async (which, mutations) => {
            const sample = samples[which];
            const bytes = mutations.reduce(mutate, sample.bytes);
            const { home, paths: [path] } = await makeHome([{ ...sample, bytes }]);
            try {
              const ref = referenceSummaryOfBytes(bytes);
              const ls = await cli(["ls", "--all", "--home", home, "--json"]);
              assert.equal(ls.code, 0, ls.err);
              const listed = JSON.parse(ls.out) as { messages: number; damagedLines: number }[];
              // A file whose meta lines are all damaged is no session to ls.
              assert.equal(listed.length, ref.id === null ? 0 : 1, ls.err);
              const show = await cli(["show", "--home", home, "--json", path]);
              assert.equal(show.code, 0, show.err);
              const shown = showCounts(show.out);
              assert.deepEqual(shown, { messages: ref.messages, damaged: ref.damaged }, "show");
              if (ref.id !== null) {
                assert.deepEqual(
                  { messages: listed[0].messages, damaged: listed[0].damagedLines },
                  { messages: ref.messages, damaged: ref.damaged },
                  "ls",
                );
              }
            } finally {
              await rm(home, { recursive: true, force: true });
            }
          },
        ),
        { numRuns: 60 },
      );
    },
  );
});

// ---------------------------------------------------------------------------
// Fuzz: every verb survives mutated files
// ---------------------------------------------------------------------------

/** What a run of a verb may end with: success, or one line saying why not. */
function assertEndsWell(r: { code: number; out: string; err: string }, what: string): void {
  const context = `${what}: exit ${r.code}\n${r.err}`;
  assert.ok(r.code === 0 || r.code === 1, context);
  assert.doesNotMatch(r.err, /^\s+at /m, `a stack trace: ${context}`);
  // The catch-all for errors nobody expected: a bug, not a report.
  assert.doesNotMatch(r.err, /Cannot complete the command/, context);
  if (r.code === 1) {
    const lines = r.err.trimEnd().split("\n");
    assert.match(lines[lines.length - 1], /^zot-sessions: Cannot /, context);
  }
}

/**
 * Money and token counts are finite numbers ≥ 0, whatever the files hold
 * (JSON has no Infinity: it would show as null).
 */
function assertCountersSane(o: Record<string, unknown>, what: string): void {
  for (
    const key of ["costUsd", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens"]
  ) {
    const v = o[key];
    assert.ok(typeof v === "number" && Number.isFinite(v) && v >= 0, `${what}: ${key} is ${v}`);
  }
}

describe("fuzz: every verb on mutated zot files", () => {
  it(
    "ls, cost, show (JSON, text, Markdown), tail and gc end well in bounded time and list or report every session",
    SLOW,
    async () => {
      const file = fc.record({
        which: fc.nat(samples.length - 1),
        mutations: fc.array(mutation, { maxLength: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 3 }), async (files) => {
          const mutated = files.map(({ which, mutations }) => ({
            ...samples[which],
            bytes: mutations.reduce(mutate, samples[which].bytes),
          }));
          const { home, paths } = await makeHome(mutated);
          try {
            const ls = await cli(["ls", "--all", "--home", home, "--json"]);
            assertEndsWell(ls, "ls --json");
            const listed = new Set(
              ls.code === 0 ? (JSON.parse(ls.out) as { path: string }[]).map((s) => s.path) : [],
            );
            for (const path of paths) {
              assert.ok(
                listed.has(path) || ls.err.includes(path),
                `neither listed nor reported: ${path}\n${ls.err}`,
              );
            }
            const cost = await cli([
              "cost",
              "--all",
              "--home",
              home,
              "--json",
              "--by",
              "session",
            ]);
            assertEndsWell(cost, "cost --json --by session");
            if (cost.code === 0) assertCountersSane(JSON.parse(cost.out).total, "cost total");
            if (ls.code === 0) {
              for (const s of JSON.parse(ls.out)) {
                assertCountersSane(s.usage, `ls usage of ${s.path}`);
                assertCountersSane(s.spend, `ls spend of ${s.path}`);
              }
            }
            for (const path of paths) {
              for (
                const args of [
                  ["show", "--json", path],
                  ["show", path],
                  ["show", "--markdown", path],
                  ["tail", "-n", "5", path],
                ]
              ) {
                assertEndsWell(await cli([...args, "--home", home]), args.join(" "));
              }
            }
            const gc = await cli(["gc", "--empty", "--home", home, "--json"]);
            assertEndsWell(gc, "gc --empty --json");
          } finally {
            await rm(home, { recursive: true, force: true });
          }
        }),
        { numRuns: 50 },
      );
    },
  );
});
