import { execFileSync } from "node:child_process";
/**
 * Tests of `gc`: the pure planner (`planGc`, with fast-check properties), the
 * size and config parsers, the lock, the executor (`executeGc`, driven
 * directly to change files between plan and execution), and the verb run
 * in-process on temporary homes.
 *
 * The executor re-checks the grace period against the real clock, so every
 * fixture's mtime is set relative to `Date.now()` (and the in-process CLI is
 * given that same "now").
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { FileSource } from "../lib/sessions/source.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import {
  appendFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { gunzipSync } from "node:zlib";
import { runCli } from "../lib/cli/run.ts";
import { describeSyntaxError, loadGcConfig, parseGcConfig } from "../lib/gc/config.ts";
import { UsageError } from "../lib/base/errors.ts";
import { listGcCandidates } from "../lib/gc/candidates.ts";
import { executeGc, type GcOutcome } from "../lib/gc/exec.ts";
import { type GcCandidate, type GcPlan, type GcPolicy, planGc } from "../lib/gc/plan.ts";
import { projectKey } from "../lib/sessions/home.ts";
import { memoryIO } from "../lib/commands/io.ts";
import { acquireLock, LOCK_NAME } from "../lib/gc/lock.ts";
import { parseSize } from "../lib/base/size.ts";
import {
  type FixtureSession,
  messageLine,
  metaLine,
  tempHome,
  usageLine,
} from "./helpers/fixtures.ts";
import { TEST_CACHE } from "./helpers/cache.ts";

const NOW = Date.now();
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const A = "/home/dev/alpha";
const B = "/home/dev/beta";
const KA = projectKey(A);
const KB = projectKey(B);
/** A pid that cannot exist on Linux (pid_max is at most 2^22). */
const DEAD_PID = 2 ** 22 + 12345;

// ---------------------------------------------------------------------------
// Fixtures

/** A session id whose first 8 characters are `n` in hex. */
function uuid(n: number): string {
  return `${n.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
}

interface SessOpts {
  empty?: boolean;
  parent?: number;
  /** Extra bytes in the prompt, to steer sizes. */
  pad?: number;
  cost?: number;
}

/** Session `n` in project `cwd`, last modified `ageMs` before NOW. */
function sess(n: number, cwd: string, ageMs: number, o: SessOpts = {}): FixtureSession {
  const id = uuid(n);
  const meta = metaLine({ id, cwd, parent: o.parent === undefined ? undefined : uuid(o.parent) });
  const lines = o.empty ? [meta] : [
    meta,
    messageLine("user", `prompt ${n} ${"x".repeat(o.pad ?? 0)}`),
    usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: o.cost ?? 0.01 }),
    messageLine("assistant", "ok"),
  ];
  return { cwd, name: fileName(n), lines, mtimeMs: NOW - ageMs };
}

function fileName(n: number): string {
  return `20260922-120509-${uuid(n).slice(0, 8)}.jsonl`;
}

async function withHome<T>(
  sessions: FixtureSession[],
  fn: (home: string, path: (s: FixtureSession) => string) => Promise<T>,
): Promise<T> {
  const h = await tempHome(sessions);
  try {
    return await fn(h.home, h.path);
  } finally {
    await h.cleanup();
  }
}

/** Runs the CLI in-process with the real "now". */
async function cli(args: string[], over: { userHome?: string; processCwd?: string } = {}) {
  const io = memoryIO({
    now: NOW,
    processCwd: over.processCwd ?? "/",
    userHome: over.userHome ?? "/nonexistent-home",
    env: { ZOT_SESSIONS_CACHE: TEST_CACHE },
  });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

/**
 * Every entry under `root`: names, types, sizes, mtimes (also of
 * directories), contents' SHA-256, link targets; and a hash of it all.
 */
async function treeSnapshot(root: string): Promise<{ listing: string; hash: string }> {
  const out: string[] = [];
  async function walk(dir: string, rel: string) {
    for (const name of (await readdir(dir)).sort()) {
      const p = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = await lstat(p);
      if (s.isSymbolicLink()) out.push(`L ${r} -> ${await readlink(p)} ${s.mtimeMs}`);
      else if (s.isDirectory()) {
        out.push(`D ${r} ${s.mtimeMs} ${s.mode.toString(8)}`);
        await walk(p, r);
      } else {
        const sum = createHash("sha256").update(await readFile(p)).digest("hex");
        out.push(`F ${r} ${s.size} ${s.mtimeMs} ${s.mode.toString(8)} ${sum}`);
      }
    }
  }
  await walk(root, "");
  const listing = out.join("\n");
  return { listing, hash: createHash("sha256").update(listing).digest("hex") };
}

/** Session file names left in a home, `<key>/<name>`, sorted. */
async function left(home: string): Promise<string[]> {
  const dir = join(home, "sessions");
  if (!existsSync(dir)) return [];
  const names: string[] = [];
  for (const k of (await readdir(dir)).sort()) {
    const s = await lstat(join(dir, k));
    if (!s.isDirectory()) continue;
    for (const f of (await readdir(join(dir, k))).sort()) names.push(`${k}/${f}`);
  }
  return names;
}

const fn = (key: string, n: number) => `${key}/${fileName(n)}`;

/** Starts a process that stays alive (a live lock holder); `stop` waits for its end. */
function liveProcess() {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  assert.ok(child.pid, "could not start sleep");
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  return {
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------
// Planner

const DIRS = ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"];

function cand(
  id: string,
  mtimeMs: number,
  o: Partial<GcCandidate> = {},
): GcCandidate {
  const dir = o.dir ?? DIRS[0];
  return {
    path: `/h/sessions/${dir}/${id}.jsonl`,
    dir,
    bytes: 100,
    mtimeMs,
    id,
    parent: null,
    cwd: `/p/${dir}`,
    empty: false,
    ...o,
  };
}

const NO_POLICY: GcPolicy = {
  empty: false,
  olderThanMs: null,
  keepLast: null,
  maxSize: null,
  graceMs: HOUR,
  allowOrphans: false,
};

const ids = (p: GcPlan) => p.remove.map((s) => s.file.id);

describe("planGc", () => {
  it("--empty selects exactly the sessions without a message line", () => {
    const c = [
      cand("e1", NOW - 2 * DAY, { empty: true }),
      cand("full", NOW - 2 * DAY),
      cand("e2", NOW - 3 * DAY, { empty: true }),
    ];
    const p = planGc(c, { ...NO_POLICY, empty: true }, NOW);
    assert.deepEqual(ids(p), ["e2", "e1"]);
    assert.deepEqual(p.remove.map((s) => s.reasons), [["empty"], ["empty"]]);
    assert.equal(p.bytes, 200);
    assert.equal(p.homeBytes, 300);
    assert.equal(p.remainingBytes, 100);
  });

  it("--older-than selects by mtime, strictly older than the limit", () => {
    const c = [
      cand("old", NOW - 8 * DAY),
      cand("edge", NOW - 7 * DAY),
      cand("new", NOW - 2 * DAY),
    ];
    const p = planGc(c, { ...NO_POLICY, olderThanMs: 7 * DAY }, NOW);
    assert.deepEqual(ids(p), ["old"]);
    assert.deepEqual(p.remove[0].reasons, ["older-than"]);
  });

  it("--keep-last keeps the newest N of each project and selects the rest", () => {
    const [a, b] = DIRS;
    const c = [
      cand("a1", NOW - 5 * DAY, { dir: a }),
      cand("a2", NOW - 4 * DAY, { dir: a }),
      cand("a3", NOW - 3 * DAY, { dir: a }),
      cand("a4", NOW - 2 * DAY, { dir: a }),
      cand("b1", NOW - 9 * DAY, { dir: b }),
      cand("b2", NOW - 8 * DAY, { dir: b }),
    ];
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, keepLast: 2 }, NOW)), ["a1", "a2"]);
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, keepLast: 1 }, NOW)), [
      "b1",
      "a1",
      "a2",
      "a3",
    ]);
    assert.equal(ids(planGc(c, { ...NO_POLICY, keepLast: 0 }, NOW)).length, 6);
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, keepLast: 9 }, NOW)), []);
  });

  it("--max-size selects oldest first until the home fits, and no more", () => {
    const c = [
      cand("n", NOW - 1 * DAY, { bytes: 400 }),
      cand("o3", NOW - 3 * DAY, { bytes: 300 }),
      cand("o1", NOW - 5 * DAY, { bytes: 100 }),
      cand("o2", NOW - 4 * DAY, { bytes: 200 }),
    ];
    // 1000 bytes, 600 allowed: o1 (100), o2 (200), o3 (300) → 400 left.
    const p = planGc(c, { ...NO_POLICY, maxSize: 600 }, NOW);
    assert.deepEqual(ids(p), ["o1", "o2", "o3"]);
    assert.equal(p.remainingBytes, 400);
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, maxSize: 700 }, NOW)), ["o1", "o2"]);
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, maxSize: 1000 }, NOW)), []);
  });

  it("combines policies: any one selects, and each reason is listed", () => {
    const c = [
      cand("old-empty", NOW - 30 * DAY, { empty: true }),
      cand("old", NOW - 20 * DAY),
      cand("recent-empty", NOW - 2 * DAY, { empty: true }),
      cand("recent", NOW - 2 * HOUR),
    ];
    const p = planGc(c, { ...NO_POLICY, empty: true, olderThanMs: 10 * DAY, keepLast: 3 }, NOW);
    assert.deepEqual(p.remove.map((s) => [s.file.id, s.reasons]), [
      ["old-empty", ["empty", "older-than", "keep-last"]],
      ["old", ["older-than"]],
      ["recent-empty", ["empty"]],
    ]);
    // max-size counts what the other policies already free.
    const q = planGc(c, { ...NO_POLICY, olderThanMs: 10 * DAY, maxSize: 150 }, NOW);
    assert.deepEqual(q.remove.map((s) => [s.file.id, s.reasons]), [
      ["old-empty", ["older-than"]],
      ["old", ["older-than"]],
      ["recent-empty", ["max-size"]],
    ]);
  });

  it("never selects a file in the grace period; lists it in inGrace", () => {
    const c = [
      cand("fresh-empty", NOW - 30 * MIN, { empty: true }),
      cand("old", NOW - 3 * DAY),
      cand("fresh", NOW - 10 * MIN, { bytes: 5000 }),
    ];
    const p = planGc(c, { ...NO_POLICY, empty: true, keepLast: 0, maxSize: 0 }, NOW);
    assert.deepEqual(ids(p), ["old"]);
    assert.deepEqual(p.inGrace.map((g) => g.file.id), ["fresh-empty", "fresh"]);
    assert.deepEqual(p.inGrace[0].reasons, ["empty", "keep-last"]);
    // A shorter grace lets them go.
    const q = planGc(c, { ...NO_POLICY, empty: true, keepLast: 0, graceMs: 5 * MIN }, NOW);
    assert.deepEqual(ids(q), ["old", "fresh-empty", "fresh"]);
  });

  it("keeps the parent (and grandparent) of a kept fork, and says so; --allow-orphans removes them", () => {
    const c = [
      cand("root", NOW - 10 * DAY),
      cand("mid", NOW - 9 * DAY, { parent: "root" }),
      cand("leaf", NOW - 1 * DAY, { parent: "mid" }),
      cand("other", NOW - 8 * DAY),
    ];
    const policy = { ...NO_POLICY, olderThanMs: 5 * DAY };
    const p = planGc(c, policy, NOW);
    assert.deepEqual(ids(p), ["other"]);
    assert.deepEqual(
      p.keptForChildren.map((k) => [k.file.id, k.children, k.reasons]),
      [["root", ["mid"], ["older-than"]], ["mid", ["leaf"], ["older-than"]]],
    );
    assert.equal(p.remainingBytes, 300);
    const q = planGc(c, { ...policy, allowOrphans: true }, NOW);
    assert.deepEqual(ids(q), ["root", "mid", "other"]);
    assert.deepEqual(q.keptForChildren, []);
    // A fork that is itself selected does not keep its parent.
    const r = planGc(c, { ...policy, olderThanMs: HOUR * 2 }, NOW);
    assert.deepEqual(ids(r), ["root", "mid", "other", "leaf"]);
  });

  it("a fork in the grace period keeps its parent", () => {
    const c = [cand("p", NOW - 10 * DAY), cand("f", NOW - 5 * MIN, { parent: "p" })];
    const p = planGc(c, { ...NO_POLICY, keepLast: 0 }, NOW);
    assert.deepEqual(ids(p), []);
    assert.deepEqual(p.keptForChildren.map((k) => k.file.id), ["p"]);
    assert.deepEqual(p.inGrace.map((k) => k.file.id), ["f"]);
  });

  // BUG: max-size picks the oldest file even when it is the parent of a kept
  // fork; the parent rule then keeps it, and the home stays over the limit
  // although another eligible session ("x") would have made it fit.
  it("--max-size fits the home when an eligible non-parent session can go (parent of a kept fork)", () => {
    const c = [
      cand("p", NOW - 3 * DAY),
      cand("x", NOW - 2 * DAY),
      cand("fork", NOW - 1 * DAY, { parent: "p" }),
    ];
    const plan = planGc(c, { ...NO_POLICY, maxSize: 200 }, NOW);
    assert.ok(
      plan.remainingBytes <= 200,
      `home left at ${plan.remainingBytes} bytes > 200 (removes [${ids(plan)}], keeps ${
        plan.keptForChildren.map((k) => k.file.id)
      } for forks) although removing "x" fits`,
    );
    assert.deepEqual(ids(plan), ["x"]);
  });

  it("does not change its input", () => {
    const c = [
      cand("a", NOW - 3 * DAY, { empty: true }),
      cand("b", NOW - 1 * DAY, { parent: "a" }),
    ];
    const copy = structuredClone(c);
    planGc(c, { ...NO_POLICY, empty: true, keepLast: 0, maxSize: 0 }, NOW);
    assert.deepEqual(c, copy);
  });
});

// Properties over generated candidates and policies.
const candidatesArb = fc.array(
  fc.record({
    dir: fc.constantFrom(...DIRS),
    bytes: fc.integer({ min: 0, max: 1000 }),
    ageMin: fc.integer({ min: 0, max: 60 * 24 * 20 }),
    empty: fc.boolean(),
    parent: fc.option(fc.nat({ max: 30 }), { nil: null }),
  }),
  { maxLength: 25 },
).map((list) =>
  list.map((x, i): GcCandidate => ({
    path: `/h/sessions/${x.dir}/f${String(i).padStart(2, "0")}.jsonl`,
    dir: x.dir,
    bytes: x.bytes,
    mtimeMs: NOW - x.ageMin * MIN,
    id: `id${i}`,
    // Forks name an earlier session (no cycles, as in real homes).
    parent: x.parent !== null && x.parent < i ? `id${x.parent}` : null,
    cwd: `/p/${x.dir}`,
    empty: x.empty,
  }))
);

const policyArb: fc.Arbitrary<GcPolicy> = fc.record({
  empty: fc.boolean(),
  olderThanMs: fc.option(fc.integer({ min: 0, max: 20 * DAY }), { nil: null }),
  keepLast: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  maxSize: fc.option(fc.integer({ min: 0, max: 15_000 }), { nil: null }),
  graceMs: fc.integer({ min: 0, max: 5 * DAY }),
  allowOrphans: fc.boolean(),
});

const inGraceAt = (c: GcCandidate, p: GcPolicy) => c.mtimeMs > NOW - p.graceMs;

describe("planGc properties", () => {
  it("never selects a file modified within the grace period", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, (c, p) => {
        const plan = planGc(c, p, NOW);
        for (const s of plan.remove) assert.ok(!inGraceAt(s.file, p), s.file.id);
        for (const g of plan.inGrace) assert.ok(inGraceAt(g.file, p), g.file.id);
      }),
      { numRuns: 400 },
    );
  });

  it("never selects the parent of a kept session without allowOrphans", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, (c, p) => {
        const plan = planGc(c, { ...p, allowOrphans: false }, NOW);
        const removed = new Set(plan.remove.map((s) => s.file.id));
        for (const x of c) {
          if (removed.has(x.id) || x.parent === null) continue;
          assert.ok(!removed.has(x.parent), `${x.parent} removed, its fork ${x.id} kept`);
        }
        for (const k of plan.keptForChildren) {
          assert.ok(!removed.has(k.file.id));
          for (const child of k.children) {
            assert.equal(c.find((x) => x.id === child)?.parent, k.file.id);
            assert.ok(!removed.has(child));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("max-size leaves the home at most the limit when enough files are eligible", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, fc.boolean(), (c, p, noForks) => {
        // Eligible: out of the grace period, and no parent rule in the way.
        const list = noForks ? c.map((x) => ({ ...x, parent: null })) : c;
        const policy = { ...p, allowOrphans: !noForks || p.allowOrphans };
        const max = policy.maxSize ?? 0;
        const plan = planGc(list, { ...policy, maxSize: max }, NOW);
        const eligible = list.filter((x) => !inGraceAt(x, policy)).reduce((n, x) => n + x.bytes, 0);
        if (plan.homeBytes - eligible <= max) {
          assert.ok(plan.remainingBytes <= max, `${plan.remainingBytes} > ${max}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("keep-last leaves at least min(N, count) sessions per project, the newest", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, fc.integer({ min: 0, max: 6 }), (c, p, n) => {
        const plan = planGc(c, {
          ...NO_POLICY,
          graceMs: p.graceMs,
          allowOrphans: p.allowOrphans,
          keepLast: n,
        }, NOW);
        const removed = new Set(plan.remove.map((s) => s.file));
        for (const dir of DIRS) {
          const all = c.filter((x) => x.dir === dir);
          const kept = all.filter((x) => !removed.has(x));
          assert.ok(kept.length >= Math.min(n, all.length), `${dir}: ${kept.length} kept`);
          const newest = [...all].sort((a, b) =>
            b.mtimeMs - a.mtimeMs || (a.path < b.path ? 1 : -1)
          )
            .slice(0, n);
          for (const x of newest) assert.ok(!removed.has(x), `${x.id} is among the newest ${n}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("without max-size, the selection is the union of each policy's own", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, (c, p) => {
        const base = { ...NO_POLICY, graceMs: p.graceMs, allowOrphans: true };
        const policy = { ...p, maxSize: null, allowOrphans: true };
        const one = (q: Partial<GcPolicy>) => ids(planGc(c, { ...base, ...q }, NOW));
        const union = new Set([
          ...(p.empty ? one({ empty: true }) : []),
          ...(p.olderThanMs !== null ? one({ olderThanMs: p.olderThanMs }) : []),
          ...(p.keepLast !== null ? one({ keepLast: p.keepLast }) : []),
        ]);
        assert.deepEqual(new Set(ids(planGc(c, policy, NOW))), union);
      }),
      { numRuns: 300 },
    );
  });

  it("is consistent: disjoint lists, oldest first, bytes add up", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, (c, p) => {
        const plan = planGc(c, p, NOW);
        const all = [
          ...plan.remove.map((s) => s.file.id),
          ...plan.keptForChildren.map((k) => k.file.id),
          ...plan.inGrace.map((g) => g.file.id),
        ];
        assert.equal(new Set(all).size, all.length);
        for (const s of plan.remove) assert.ok(s.reasons.length > 0);
        for (let i = 1; i < plan.remove.length; i++) {
          assert.ok(plan.remove[i - 1].file.mtimeMs <= plan.remove[i].file.mtimeMs);
        }
        assert.equal(plan.bytes, plan.remove.reduce((n, s) => n + s.file.bytes, 0));
        assert.equal(plan.homeBytes, c.reduce((n, x) => n + x.bytes, 0));
        assert.equal(plan.remainingBytes, plan.homeBytes - plan.bytes);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------
// Sizes and config

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

describe("zot-sessions.jsonc", () => {
  it("reads the gc section, with comments and trailing commas", () => {
    const text = `// defaults for cron
{
  /* policies */
  "gc": {
    "empty": true,
    "olderThan": "90d",
    "keepLast": 50,
    "maxSize": "2GiB",
    "grace": "1h",
    "archive": "~/zot-archive",
    "compress": true,
    "allowOrphans": false,
  },
}
`;
    assert.deepEqual(parseGcConfig(text, "c.jsonc"), {
      empty: true,
      olderThan: "90d",
      keepLast: 50,
      maxSize: "2GiB",
      grace: "1h",
      archive: "~/zot-archive",
      compress: true,
      allowOrphans: false,
    });
    assert.deepEqual(parseGcConfig("{}", "c.jsonc"), {});
  });

  it("names the file, line and column of a syntax error, in words", () => {
    const text = '{\n  "gc": {\n    "empty": true\n    "keepLast": 3\n  }\n}\n';
    assert.throws(
      () => parseGcConfig(text, "/x/c.jsonc"),
      (e) =>
        e instanceof UsageError &&
        e.message === 'Cannot read config "/x/c.jsonc": line 4, column 5: expected a comma',
    );
  });

  it("puts every jsonc-parser syntax error in words", () => {
    // ParseErrorCode runs from 1 (InvalidSymbol) to 16 (InvalidCharacter).
    const words = new Set<string>();
    for (let code = 1; code <= 16; code++) {
      const text = describeSyntaxError(code);
      assert.match(text, /^[a-z][a-z (),\\]*[a-z)]$/, `${code}: ${text}`);
      assert.notEqual(text, "not valid JSONC", `${code} has its own words`);
      words.add(text);
    }
    assert.equal(words.size, 16);
    const cases: [string, string][] = [
      ['{ "gc": { "empty": true } ', "line 1, column 27: expected a closing brace"],
      ['{ "gc": { "grace": "1h } }', "line 1, column 20: a string is not closed"],
      ['{ "gc" { } }', "line 1, column 8: expected a colon"],
      ['{ "gc": {} } }', "line 1, column 14: expected the end of the file"],
      ["{ /* open", "line 1, column 3: a comment is not closed"],
    ];
    for (const [text, want] of cases) {
      assert.throws(
        () => parseGcConfig(text, "c.jsonc"),
        (e) => e instanceof UsageError && e.message === `Cannot read config "c.jsonc": ${want}`,
        text,
      );
    }
  });

  it("names the file, line and column of an unknown key, a wrong type, a fraction", () => {
    const cases: [string, string, RegExp][] = [
      ['{ "gc": {\n  "olderThen": "9d" } }', "line 2, column 3", /unknown key "gc\.olderThen"/],
      ['{\n "cleanup": {} }', "line 2, column 2", /unknown key "cleanup"/],
      ['{ "gc": { "keepLast": "5" } }', "line 1, column 23", /must be a whole number/],
      ['{ "gc": { "keepLast": 1.5 } }', "line 1, column 23", /must be a whole number/],
      ['{ "gc": { "empty": 1 } }', "line 1, column 20", /must be a boolean/],
      ['{ "gc": [] }', "line 1, column 9", /must be an object/],
      ["[1]", "line 1, column 1", /expected an object/],
    ];
    for (const [text, pos, re] of cases) {
      assert.throws(
        () => parseGcConfig(text, "c.jsonc"),
        (e) =>
          e instanceof UsageError && e.message.includes(`"c.jsonc": ${pos}: `) &&
          re.test(e.message),
        text,
      );
    }
  });

  it("a missing default file is no config; a missing --config file is an error", async () => {
    assert.deepEqual(await loadGcConfig(undefined, "/nonexistent/zot-sessions.jsonc"), {});
    await assert.rejects(
      () => loadGcConfig("/nonexistent/my.jsonc", "/nonexistent/zot-sessions.jsonc"),
      (e) =>
        e instanceof UsageError &&
        e.message === 'Cannot read config "/nonexistent/my.jsonc": no such file or directory',
    );
  });
});

// ---------------------------------------------------------------------------
// Lock

describe("acquireLock", () => {
  async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), "zot-lock-"));
    try {
      return await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it("writes the holder's pid; a second try sees the live holder; release frees it", async () => {
    await withDir(async (dir) => {
      const other = liveProcess();
      try {
        const a = await acquireLock(dir, other.pid);
        assert.ok(a.acquired);
        assert.equal(a.tookOverFrom, null);
        assert.equal(await readFile(join(dir, LOCK_NAME), "utf8"), `${other.pid}\n`);
        const b = await acquireLock(dir, process.pid);
        assert.deepEqual(b, { acquired: false, holder: other.pid });
        await a.release();
        assert.ok(!existsSync(join(dir, LOCK_NAME)));
        const c = await acquireLock(dir, process.pid);
        assert.ok(c.acquired);
        await c.release();
      } finally {
        await other.stop();
      }
    });
  });

  it("never blocks on a FIFO planted as the lock: it is a holder it cannot name", async () => {
    await withDir(async (dir) => {
      execFileSync("mkfifo", [join(dir, LOCK_NAME)]);
      // Reading a FIFO with no writer would wait forever: the race fails the test instead.
      const timeout = new Promise<"hung">((r) => setTimeout(() => r("hung"), 10_000).unref?.());
      const got = await Promise.race([acquireLock(dir, process.pid), timeout]);
      assert.notEqual(got, "hung");
      if (got !== "hung" && got.acquired) await got.release();
    });
  });

  it("takes over a lock whose process is gone, and says from whom", async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, LOCK_NAME), `${DEAD_PID}\n`);
      const a = await acquireLock(dir, process.pid);
      assert.ok(a.acquired);
      assert.equal(a.tookOverFrom, DEAD_PID);
      assert.equal(await readFile(join(dir, LOCK_NAME), "utf8"), `${process.pid}\n`);
      await a.release();
      assert.deepEqual(await readdir(dir), []);
    });
  });

  it("removes the private files that runs killed while locking left, not a live run's", async () => {
    await withDir(async (dir) => {
      const other = liveProcess();
      try {
        const dead = [`${LOCK_NAME}.${DEAD_PID}`, `${LOCK_NAME}.stale.${DEAD_PID}`];
        const kept = [`${LOCK_NAME}.${other.pid}`, `${LOCK_NAME}.notes`, "0123456789abcdef"];
        for (const name of [...dead, ...kept]) await writeFile(join(dir, name), "x");
        const a = await acquireLock(dir, process.pid);
        assert.ok(a.acquired);
        await a.release();
        assert.deepEqual((await readdir(dir)).sort(), kept.sort());
      } finally {
        await other.stop();
      }
    });
  });

  it("release leaves a lock that another run has taken since", async () => {
    await withDir(async (dir) => {
      const a = await acquireLock(dir, DEAD_PID);
      assert.ok(a.acquired);
      const b = await acquireLock(dir, process.pid); // DEAD_PID is gone: taken over
      assert.ok(b.acquired && b.tookOverFrom === DEAD_PID);
      await a.release();
      assert.equal(await readFile(join(dir, LOCK_NAME), "utf8"), `${process.pid}\n`);
      await b.release();
    });
  });

  it("fails in a directory that does not exist", async () => {
    await assert.rejects(() => acquireLock("/nonexistent/zot/sessions", process.pid));
  });

  // BUG: a run that reads the lock file in the instant between another run's
  // exclusive create and its pid write sees "" (pid 0), takes it for stale and
  // renames it aside; meanwhile a third run creates a fresh lock, the put-back
  // link fails, and two runs hold "the" lock. Several gc runs started together
  // (cron plus a manual run, or a few hosts on a shared home) both act.
  it("of several runs started together (distinct live pids), at most one gets the lock", async () => {
    const kids = Array.from({ length: 4 }, () => liveProcess());
    const pids = [process.pid, process.ppid, ...kids.map((k) => k.pid)];
    try {
      let trials = 0;
      for (; trials < 300; trials++) {
        const got = await withDir(async (dir) => {
          const results = await Promise.all(pids.map((p) => acquireLock(dir, p)));
          return results.flatMap((r, i) =>
            r.acquired ? [`pid ${pids[i]} (took over from ${r.tookOverFrom})`] : []
          );
        });
        assert.ok(
          got.length <= 1,
          `trial ${trials}: ${got.length} runs hold the lock at once: ${got.join(", ")}`,
        );
        assert.equal(got.length, 1, `trial ${trials}: nobody got the lock`);
      }
    } finally {
      await Promise.all(kids.map((k) => k.stop()));
    }
  });
});

// ---------------------------------------------------------------------------
// Executor, driven directly

describe("executeGc", () => {
  const old = 3 * DAY;
  const policy: GcPolicy = { ...NO_POLICY, olderThanMs: DAY };

  async function planFor(home: string, p: GcPolicy = policy) {
    const dir = join(home, "sessions");
    const { candidates, skipped } = await listGcCandidates(dir, null, p.empty, new FileSource());
    return { dir, plan: planGc(candidates, p, Date.now()), skipped };
  }

  async function exec(
    dir: string,
    files: GcCandidate[],
    archive: { dir: string; compress: boolean } | null = null,
    graceMs = HOUR,
  ) {
    const reported: GcOutcome[] = [];
    const outcomes = await executeGc(files, dir, archive, graceMs, () => Date.now(), (o) => {
      reported.push(o);
    });
    assert.deepEqual(outcomes, reported, "each outcome is reported once, in order");
    return outcomes;
  }

  const byName = (outcomes: GcOutcome[]) =>
    Object.fromEntries(
      outcomes.map((o) => [o.file.path.split("/").slice(-1)[0], [o.result, o.detail ?? null]]),
    );

  it("skips a file appended to between plan and removal; removes the rest", async () => {
    const s = [sess(1, A, old + 2 * HOUR), sess(2, A, old + HOUR), sess(3, B, old)];
    await withHome(s, async (home, path) => {
      const { dir, plan } = await planFor(home);
      assert.equal(plan.remove.length, 3);
      await appendFile(path(s[1]), messageLine("user", "one more") + "\n");
      // Keep the old mtime: only the size tells.
      await utimes(path(s[1]), s[1].mtimeMs / 1000, s[1].mtimeMs / 1000);
      const outcomes = await exec(dir, plan.remove.map((x) => x.file));
      assert.deepEqual(byName(outcomes), {
        [fileName(1)]: ["removed", null],
        [fileName(2)]: ["skipped", "changed since it was planned"],
        [fileName(3)]: ["removed", null],
      });
      assert.deepEqual(await left(home), [fn(KA, 2)]);
      assert.match(await readFile(path(s[1]), "utf8"), /one more/);
      assert.ok(!existsSync(join(dir, KB)), "the emptied project directory is removed");
    });
  });

  it("skips a file whose mtime changed (same size), and one touched into the grace period", async () => {
    const s = [sess(1, A, old), sess(2, A, old)];
    await withHome(s, async (home, path) => {
      const { dir, plan } = await planFor(home);
      const t = (s[0].mtimeMs - DAY) / 1000;
      await utimes(path(s[0]), t, t);
      await utimes(path(s[1]), new Date(), new Date());
      const outcomes = await exec(dir, plan.remove.map((x) => x.file));
      assert.deepEqual(outcomes.map((o) => o.result), ["skipped", "skipped"]);
      assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 2)]);
    });
  });

  it("re-checks the grace period against the clock at removal time", async () => {
    const s = [sess(1, A, 2 * HOUR)];
    await withHome(s, async (home) => {
      const { dir, plan } = await planFor(home, { ...policy, olderThanMs: HOUR });
      assert.equal(plan.remove.length, 1);
      const outcomes = await exec(dir, plan.remove.map((x) => x.file), null, 3 * HOUR);
      assert.deepEqual(byName(outcomes), {
        [fileName(1)]: ["skipped", "modified within the grace period"],
      });
      assert.deepEqual(await left(home), [fn(KA, 1)]);
    });
  });

  it("skips a file or a project directory replaced by a symbolic link after planning", async () => {
    const outside = await mkdtemp(join(tmpdir(), "zot-outside-"));
    const s = [sess(1, A, old), sess(2, B, old)];
    try {
      await withHome(s, async (home, path) => {
        const { dir, plan } = await planFor(home);
        // The same bytes and mtimes outside, then links in their place.
        await mkdir(join(outside, KB));
        for (
          const [x, target] of [[s[0], join(outside, "a.jsonl")], [
            s[1],
            join(outside, KB, fileName(2)),
          ]] as const
        ) {
          await writeFile(target, await readFile(path(x)));
          await utimes(target, x.mtimeMs / 1000, x.mtimeMs / 1000);
        }
        await rm(path(s[0]));
        await symlink(join(outside, "a.jsonl"), path(s[0]));
        await rm(join(dir, KB), { recursive: true });
        await symlink(join(outside, KB), join(dir, KB));
        const before = await treeSnapshot(outside);
        const outcomes = await exec(dir, plan.remove.map((x) => x.file));
        assert.deepEqual(byName(outcomes), {
          [fileName(1)]: ["skipped", "no longer a regular file"],
          [fileName(2)]: ["skipped", "its directory is a link"],
        });
        assert.equal((await treeSnapshot(outside)).listing, before.listing);
        assert.ok((await lstat(path(s[0]))).isSymbolicLink());
      });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("refuses a candidate outside the sessions tree, whatever its name", async () => {
    const outside = await mkdtemp(join(tmpdir(), "zot-outside-"));
    try {
      await withHome([sess(1, A, old)], async (home) => {
        const { dir, plan } = await planFor(home);
        // A file that passes every other check: same name, size and mtime.
        const stray = join(outside, KA, fileName(1));
        await mkdir(join(outside, KA));
        await writeFile(stray, "{}\n");
        const t = (NOW - old) / 1000;
        await utimes(stray, t, t);
        const s = await stat(stray);
        const forged = {
          ...plan.remove[0].file,
          path: stray,
          bytes: s.size,
          mtimeMs: Math.floor(s.mtimeMs),
        };
        const notSession = { ...forged, path: join(dir, KA, "notes.txt") };
        const outcomes = await exec(dir, [forged, notSession]);
        assert.deepEqual(outcomes.map((o) => [o.result, o.detail]), [
          ["skipped", "outside the sessions directory"],
          ["skipped", "not a session file in a project directory"],
        ]);
        assert.equal(await readFile(stray, "utf8"), "{}\n");
        assert.deepEqual(await left(home), [fn(KA, 1)]);
      });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("removes a project directory only when it is empty afterwards", async () => {
    const s = [sess(1, A, old), sess(2, B, old)];
    await withHome(s, async (home) => {
      const { dir, plan } = await planFor(home);
      await writeFile(join(dir, KA, "notes.txt"), "keep me");
      const outcomes = await exec(dir, plan.remove.map((x) => x.file));
      assert.deepEqual(outcomes.map((o) => o.result), ["removed", "removed"]);
      assert.deepEqual(await readdir(join(dir, KA)), ["notes.txt"]);
      assert.ok(!existsSync(join(dir, KB)));
      assert.ok(existsSync(dir), "the sessions directory stays");
    });
  });

  it("archives without compression: same bytes, same mtime, sessions/<key>/<file>", async () => {
    const s = [sess(1, A, old + HOUR), sess(2, B, old)];
    const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
    try {
      await withHome(s, async (home, path) => {
        const originals = await Promise.all(s.map((x) => readFile(path(x))));
        const { dir, plan } = await planFor(home);
        const outcomes = await exec(dir, plan.remove.map((x) => x.file), {
          dir: arch,
          compress: false,
        });
        assert.deepEqual(outcomes.map((o) => o.result), ["archived", "archived"]);
        for (const [i, x] of s.entries()) {
          const dest = join(arch, "sessions", projectKey(x.cwd), x.name);
          assert.equal(outcomes[i].archivedTo, dest);
          assert.deepEqual(await readFile(dest), originals[i]);
          assert.equal(Math.floor((await stat(dest)).mtimeMs), Math.floor(x.mtimeMs));
        }
        assert.deepEqual(await left(home), []);
      });
    } finally {
      await rm(arch, { recursive: true, force: true });
    }
  });

  it("archives with compression: .jsonl.gz that gunzips to the same bytes, same mtime", async () => {
    const s = [sess(1, A, old + HOUR, { pad: 100_000 }), sess(2, A, old)];
    const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
    try {
      await withHome(s, async (home, path) => {
        const originals = await Promise.all(s.map((x) => readFile(path(x))));
        const { dir, plan } = await planFor(home);
        const outcomes = await exec(dir, plan.remove.map((x) => x.file), {
          dir: arch,
          compress: true,
        });
        assert.deepEqual(outcomes.map((o) => o.result), ["archived", "archived"]);
        for (const [i, x] of s.entries()) {
          const dest = join(arch, "sessions", KA, x.name + ".gz");
          assert.equal(outcomes[i].archivedTo, dest);
          const gz = await readFile(dest);
          assert.deepEqual(gunzipSync(gz), originals[i]);
          assert.equal(Math.floor((await stat(dest)).mtimeMs), Math.floor(x.mtimeMs));
        }
        assert.ok((await stat(join(arch, "sessions", KA, s[0].name + ".gz"))).size < 10_000);
        assert.deepEqual(await left(home), []);
      });
    } finally {
      await rm(arch, { recursive: true, force: true });
    }
  });

  it("archives across file systems by copy, verify and unlink", async (t) => {
    const shm = "/dev/shm";
    if (!existsSync(shm) || statSync(shm).dev === statSync(tmpdir()).dev) {
      return t.skip(`${shm} is not another file system here`);
    }
    const arch = await mkdtemp(join(shm, "zot-arch-"));
    const s = [sess(1, A, old, { pad: 300_000 })];
    try {
      await withHome(s, async (home, path) => {
        const original = await readFile(path(s[0]));
        const { dir, plan } = await planFor(home);
        const outcomes = await exec(dir, plan.remove.map((x) => x.file), {
          dir: arch,
          compress: false,
        });
        assert.deepEqual(outcomes.map((o) => o.result), ["archived"]);
        const dest = join(arch, "sessions", KA, s[0].name);
        assert.deepEqual(await readFile(dest), original);
        assert.equal(Math.floor((await stat(dest)).mtimeMs), Math.floor(s[0].mtimeMs));
        assert.deepEqual(await left(home), []);
      });
    } finally {
      await rm(arch, { recursive: true, force: true });
    }
  });

  it("never overwrites in the archive: that file fails, the original stays, the rest go on", async () => {
    const s = [sess(1, A, old + 2 * HOUR), sess(2, A, old + HOUR), sess(3, A, old)];
    for (const compress of [false, true]) {
      const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
      try {
        await withHome(s, async (home) => {
          const taken = join(arch, "sessions", KA, fileName(2) + (compress ? ".gz" : ""));
          await mkdir(join(arch, "sessions", KA), { recursive: true });
          await writeFile(taken, "already archived");
          const { dir, plan } = await planFor(home);
          const outcomes = await exec(dir, plan.remove.map((x) => x.file), { dir: arch, compress });
          assert.deepEqual(outcomes.map((o) => o.result), ["archived", "failed", "archived"]);
          assert.equal(await readFile(taken, "utf8"), "already archived");
          assert.deepEqual(await left(home), [fn(KA, 2)]);
        });
      } finally {
        await rm(arch, { recursive: true, force: true });
      }
    }
  });
});

// ---------------------------------------------------------------------------
// The verb, in-process

/** A home with a bit of everything, all outside the grace period but #7. */
const mixed = () => [
  sess(1, A, 40 * DAY, { empty: true }),
  sess(2, A, 30 * DAY),
  sess(3, A, 20 * DAY, { pad: 3000 }),
  sess(4, A, 2 * DAY),
  sess(5, B, 50 * DAY),
  sess(6, B, 3 * HOUR, { empty: true }),
  sess(7, B, 10 * MIN, { empty: true }),
];

describe("gc (in-process)", () => {
  it("without a policy (no flag, no config) is a usage error", async () => {
    await withHome(mixed(), async (home) => {
      const before = await treeSnapshot(home);
      for (const extra of [[], ["--yes"], ["--grace", "0m", "--archive", "/tmp/x"]]) {
        const r = await cli(["gc", "--home", home, ...extra]);
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, /Cannot clean up without a policy/);
        assert.equal(r.out, "");
      }
      assert.equal((await treeSnapshot(home)).hash, before.hash);
    });
  });

  it("refuses bad values with exit 2: durations, sizes, counts, --compress alone, two homes", async () => {
    await withHome(mixed(), async (home) => {
      const before = await treeSnapshot(home);
      for (
        const args of [
          ["--older-than", "90 days"],
          ["--max-size", "lots"],
          ["--keep-last", "x"],
          ["--keep-last", "1.5"],
          ["--empty", "--grace", "soon"],
          ["--empty", "--compress"],
          // Another directory: the same home named twice is one home.
          ["--empty", "--home", join(home, "sessions")],
          ["--empty", "stray"],
        ]
      ) {
        const r = await cli(["gc", "--home", home, "--yes", ...args]);
        assert.equal(r.code, 2, `${args}: ${r.err}`);
        assert.match(r.err, /^zot-sessions: Cannot /, args.join(" "));
      }
      assert.equal((await treeSnapshot(home)).hash, before.hash);
    });
  });

  it("refuses a zero limit, which would select every session without saying so; --all-sessions says it", async () => {
    await withHome(mixed(), async (home) => {
      const before = await treeSnapshot(home);
      for (
        const [args, said] of [
          [["--older-than", "0"], '--older-than "0"'],
          [["--older-than", "0d"], '--older-than "0d"'],
          [["--keep-last", "0"], '--keep-last "0"'],
          [["--max-size", "0"], '--max-size "0"'],
          [["--max-size", "0B", "--empty"], '--max-size "0B"'],
        ]
      ) {
        for (const yes of [[], ["--yes"]]) {
          const r = await cli(["gc", "--home", home, ...args, ...yes]);
          assert.equal(r.code, 2, `${args}: ${r.err}`);
          assert.ok(r.err.startsWith(`zot-sessions: Cannot use ${said}: `), r.err);
          assert.match(r.err, /\nhint: to clean up every session .* say so with --all-sessions/);
          assert.equal(r.out, "");
        }
      }
      await writeFile(join(home, "zot-sessions.jsonc"), '{ "gc": { "keepLast": 0 } }');
      const r = await cli(["gc", "--home", home, "--yes"]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /^zot-sessions: Cannot use "keepLast": 0 \(in the config\): /);
      await rm(join(home, "zot-sessions.jsonc"));
      assert.equal((await treeSnapshot(home)).hash, before.hash);
      const all = await cli(["gc", "--home", home, "--all-sessions", "--json"]);
      assert.equal(all.code, 0, all.err);
      const plan = JSON.parse(all.out);
      // Every session but #7, modified 10 minutes ago (within the grace period).
      assert.deepEqual(plan.sessions.map((x: { id: string }) => x.id.slice(0, 8)).sort(), [
        "00000001",
        "00000002",
        "00000003",
        "00000004",
        "00000005",
        "00000006",
      ]);
      assert.ok(
        plan.sessions.every((x: { reasons: string[] }) => x.reasons.includes("all-sessions")),
      );
      const named = await cli(["gc", "--home", home, "--all-sessions", "latest"]);
      assert.equal(named.code, 2);
      assert.match(named.err, /Cannot clean up "latest" with --all-sessions/);
    });
  });

  it("refuses an archive that is empty, the home, or inside its sessions directory", async () => {
    await withHome(mixed(), async (home) => {
      const before = await treeSnapshot(home);
      const elsewhere = await mkdtemp(join(tmpdir(), "zot-link-"));
      try {
        await symlink(home, join(elsewhere, "home-link"));
        for (
          const [archive, why] of [
            ["", /Cannot archive to "": an empty name is no directory/],
            [
              home,
              /Cannot archive to ".*": it is the home ".*", whose sessions it would hold twice/,
            ],
            [home + "/", /it is the home/],
            [join(elsewhere, "home-link"), /it is the home/],
            [join(home, "sessions"), /it is inside the sessions directory/],
            [join(home, "sessions", KA, "old"), /it is inside the sessions directory/],
          ] as const
        ) {
          for (const compress of [[], ["--compress"]]) {
            const r = await cli([
              "gc",
              "--home",
              home,
              "--all-sessions",
              "--yes",
              "--archive",
              archive,
              ...compress,
            ]);
            assert.equal(r.code, 2, `${archive}: ${r.err}`);
            assert.match(r.err, why);
          }
        }
        assert.equal((await treeSnapshot(home)).hash, before.hash);
        // Inside the home but beside the sessions: that is fine.
        const r = await cli([
          "gc",
          "--home",
          home,
          "--all-sessions",
          "--archive",
          join(home, "archive"),
        ]);
        assert.equal(r.code, 0, r.err);
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
    });
  });

  it("a dry run changes nothing (the whole tree hashed), whatever the policies", async () => {
    const arch = join(tmpdir(), `zot-arch-never-${process.pid}-${Date.now()}`);
    await withHome(mixed(), async (home) => {
      await writeFile(join(home, "sessions", LOCK_NAME + ".not-mine"), "x");
      const before = await treeSnapshot(home);
      const runs = [
        ["--empty"],
        ["--older-than", "1d"],
        ["--all-sessions"],
        ["--max-size", "1"],
        ["--empty", "--older-than", "1d", "--keep-last", "1", "--max-size", "1k", "--grace", "0m"],
        ["--all-sessions", "--archive", arch, "--compress", "--allow-orphans"],
        ["--all-sessions", "--json"],
        ["--all-sessions", "--quiet"],
      ];
      for (const args of runs) {
        const r = await cli(["gc", "--home", home, ...args]);
        assert.equal(r.code, 0, `${args}: ${r.err}`);
        if (!args.includes("--quiet")) assert.ok(r.out.length > 0);
        assert.equal((await treeSnapshot(home)).listing, before.listing, args.join(" "));
      }
      assert.ok(!existsSync(arch), "a dry run does not create the archive");
    });
  });

  it("the dry run says what would go, why, and how many bytes", async () => {
    await withHome(mixed(), async (home, path) => {
      const r = await cli(["gc", "--home", home, "--empty", "--older-than", "25d", "--no-color"]);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trimEnd().split("\n");
      assert.ok(
        lines[0].startsWith(
          `Would remove 4 sessions from every project under ${home}, freeing `,
        ) && lines[0].endsWith(" (dry run: add --yes to do it):"),
        lines[0],
      );
      const m = mixed();
      // Each with its reasons, then its first prompt (or that it is empty).
      assert.ok(
        lines[1].includes(path(m[4])) && lines[1].endsWith("older than the limit  prompt 5"),
        lines[1],
      );
      assert.ok(
        lines[2].includes(path(m[0])) &&
          lines[2].endsWith("empty, older than the limit  (empty session)"),
        lines[2],
      );
      assert.ok(lines[3].includes(path(m[1])) && lines[3].includes(A), lines[3]);
      assert.ok(lines[3].endsWith("older than the limit  prompt 2"), lines[3]);
      assert.ok(
        lines[4].includes(path(m[5])) && lines[4].endsWith("empty  (empty session)"),
        lines[4],
      );
      assert.match(lines[5], /^Left .*00000007.*within the grace period$/);
      assert.equal(lines.length, 6);

      const j = JSON.parse(
        (await cli(["gc", "--home", home, "--empty", "--older-than", "25d", "--json"])).out,
      );
      assert.equal(j.dryRun, true);
      assert.equal(j.action, "remove");
      let total = 0;
      for (const x of [m[4], m[0], m[1], m[5]]) total += (await stat(path(x))).size;
      assert.equal(j.bytes, total);
      assert.deepEqual(
        j.sessions.map((x: { bytes: number }) => x.bytes).reduce((a: number, b: number) => a + b),
        total,
      );
      assert.deepEqual(
        j.sessions.map((x: { id: string; reasons: string[] }) => [x.id, x.reasons]),
        [
          [uuid(5), ["older-than"]],
          [uuid(1), ["empty", "older-than"]],
          [uuid(2), ["older-than"]],
          [uuid(6), ["empty"]],
        ],
      );
      assert.deepEqual(j.inGrace.map((x: { path: string }) => x.path), [path(m[6])]);
      assert.ok(!("result" in j.sessions[0]));
      assert.deepEqual([j.home, j.project], [home, null]);
      assert.deepEqual(
        j.sessions.map((x: { title: unknown; firstPrompt: unknown }) => [x.title, x.firstPrompt]),
        [[null, "prompt 5 "], [null, null], [null, "prompt 2 "], [null, null]],
      );
    });
  });

  const policies: [string, string[], string[]][] = [
    ["--empty", ["--empty"], [fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 5), fn(KB, 7)]],
    ["--older-than", ["--older-than", "25d"], [fn(KA, 3), fn(KA, 4), fn(KB, 6), fn(KB, 7)]],
    ["--keep-last", ["--keep-last", "1"], [fn(KA, 4), fn(KB, 7)]],
    // 2 kB allowed: the oldest go until it fits; #3 (3 kB) must go too.
    ["--max-size", ["--max-size", "2kB"], [fn(KA, 4), fn(KB, 6), fn(KB, 7)]],
    [
      "--max-size (all fits)",
      ["--max-size", "1MiB"],
      [fn(KA, 1), fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 5), fn(KB, 6), fn(KB, 7)],
    ],
    [
      "--empty --older-than",
      ["--empty", "--older-than", "25d"],
      [fn(KA, 3), fn(KA, 4), fn(KB, 7)],
    ],
    ["--keep-last --empty", ["--keep-last", "2", "--empty"], [
      fn(KA, 3),
      fn(KA, 4),
      fn(KB, 7),
    ]],
    ["--older-than --max-size", ["--older-than", "35d", "--max-size", "2kB"], [
      fn(KA, 4),
      fn(KB, 6),
      fn(KB, 7),
    ]],
  ];
  for (const [name, args, remaining] of policies) {
    it(`--yes ${name} removes what it selects and nothing else`, async () => {
      await withHome(mixed(), async (home) => {
        const r = await cli(["gc", "--home", home, "--yes", ...args]);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.err, "");
        assert.match(r.out, /^Removed \d+ sessions?, freeing [\d.]+ [kM]?B\.\n$/);
        assert.deepEqual(await left(home), remaining);
      });
    });
  }

  it("--project limits gc to one project", async () => {
    await withHome(mixed(), async (home) => {
      const r = await cli(["gc", "--home", home, "--yes", "--all-sessions", "--project", B]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 7)]);
      // Relative to the process cwd, as --cwd is.
      const q = await cli(
        ["gc", "--home", home, "--yes", "--all-sessions", "--project", "alpha"],
        {
          processCwd: "/home/dev",
        },
      );
      assert.equal(q.code, 0, q.err);
      assert.deepEqual(await left(home), [fn(KB, 7)]);
    });
  });

  it("never touches a file in the grace period (default 1h); --grace changes it", async () => {
    const s = [sess(1, A, 30 * MIN, { empty: true }), sess(2, A, 90 * MIN, { empty: true })];
    await withHome(s, async (home) => {
      let r = await cli(["gc", "--home", home, "--yes", "--empty"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await left(home), [fn(KA, 1)]);
      r = await cli(["gc", "--home", home, "--yes", "--empty", "--grace", "2h"]);
      assert.deepEqual(await left(home), [fn(KA, 1)]);
      r = await cli(["gc", "--home", home, "--yes", "--empty", "--grace", "10m"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await left(home), []);
    });
  });

  it("--quiet prints nothing on success, dry run or not; errors still go to stderr", async () => {
    await withHome(mixed(), async (home) => {
      let r = await cli(["gc", "--home", home, "--quiet", "--all-sessions"]);
      assert.deepEqual([r.code, r.out, r.err], [0, "", ""]);
      r = await cli(["gc", "--home", home, "--yes", "--quiet", "--all-sessions"]);
      assert.deepEqual([r.code, r.out, r.err], [0, "", ""]);
      assert.deepEqual(await left(home), [fn(KB, 7)]);
      r = await cli(["gc", "--home", home, "--yes", "--quiet"]);
      assert.equal(r.code, 2);
      assert.equal(r.out, "");
      assert.match(r.err, /without a policy/);
    });
  });

  it("--yes --json reports each file's result", async () => {
    await withHome(mixed(), async (home) => {
      const r = await cli(["gc", "--home", home, "--yes", "--json", "--older-than", "35d"]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.dryRun, false);
      assert.deepEqual(
        j.sessions.map((x: Record<string, unknown>) => [x.id, x.result, x.detail, x.archivedTo]),
        [[uuid(5), "removed", null, null], [uuid(1), "removed", null, null]],
      );
    });
  });

  it("keeps the parent of a kept fork, and says so; --allow-orphans removes it", async () => {
    const s = [sess(1, A, 30 * DAY), sess(2, A, 2 * DAY, { parent: 1 }), sess(3, A, 31 * DAY)];
    await withHome(s, async (home) => {
      const r = await cli(["gc", "--home", home, "--older-than", "7d", "--no-color"]);
      assert.match(r.out, /^Would remove 1 session from every project under /);
      assert.match(
        r.out,
        /\nKept .*00000001.*: parent of kept fork 00000002 \(--allow-orphans removes it\)\n/,
      );
      const j = JSON.parse((await cli(["gc", "--home", home, "--older-than", "7d", "--json"])).out);
      assert.deepEqual(j.keptForChildren, [{
        path: join(home, "sessions", KA, fileName(1)),
        id: uuid(1),
        children: [uuid(2)],
      }]);
      await cli(["gc", "--home", home, "--older-than", "7d", "--yes"]);
      assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 2)]);
      await cli(["gc", "--home", home, "--older-than", "7d", "--yes", "--allow-orphans"]);
      assert.deepEqual(await left(home), [fn(KA, 2)]);
    });
  });

  it("considers only regular *.jsonl files directly in sessions/<16 hex>/", async () => {
    await withHome(mixed(), async (home) => {
      const dir = join(home, "sessions");
      const oldT = (NOW - 60 * DAY) / 1000;
      const extra = [
        join(dir, KA, "archived.jsonl.gz"),
        join(dir, KA, "notes.txt"),
        join(dir, KA, "sub", "deep.jsonl"),
        join(dir, "not-a-key", "x.jsonl"),
        join(dir, "0123456789abcde", "x.jsonl"),
        join(dir, "0123456789abcdef0", "x.jsonl"),
        join(dir, "ABCDEF0123456789", "x.jsonl"),
        join(dir, "loose.jsonl"),
      ];
      for (const p of extra) {
        await mkdir(join(p, ".."), { recursive: true });
        await writeFile(p, metaLine({ id: uuid(99), cwd: A }) + "\n");
        await utimes(p, oldT, oldT);
      }
      await mkdir(join(dir, KB, "dir.jsonl"));
      await utimes(join(dir, KB, "dir.jsonl"), oldT, oldT);
      const r = await cli([
        "gc",
        "--home",
        home,
        "--yes",
        "--all-sessions",
        "--empty",
        "--grace",
        "0m",
      ]);
      assert.equal(r.code, 0, r.err);
      for (const p of extra) assert.ok(existsSync(p), p);
      assert.ok(existsSync(join(dir, KB, "dir.jsonl")));
      for (const x of mixed()) {
        assert.ok(!existsSync(join(dir, projectKey(x.cwd), x.name)), x.name);
      }
      assert.deepEqual((await readdir(join(dir, KA))).sort(), [
        "archived.jsonl.gz",
        "notes.txt",
        "sub",
      ]);
    });
  });

  it("reports a symbolic link, never follows it, and leaves its target alone", async () => {
    const outside = await mkdtemp(join(tmpdir(), "zot-outside-"));
    try {
      await withHome(mixed(), async (home) => {
        const dir = join(home, "sessions");
        const target = join(outside, "precious.jsonl");
        await writeFile(target, metaLine({ id: uuid(98), cwd: A }) + "\n");
        await utimes(target, (NOW - 90 * DAY) / 1000, (NOW - 90 * DAY) / 1000);
        await mkdir(join(outside, "proj"));
        await writeFile(join(outside, "proj", "x.jsonl"), "");
        await utimes(join(outside, "proj", "x.jsonl"), 1, 1);
        await symlink(target, join(dir, KA, "link.jsonl"));
        await symlink(join(outside, "proj"), join(dir, "0123456789abcdef"));
        const before = await treeSnapshot(outside);
        const dry = await cli([
          "gc",
          "--home",
          home,
          "--all-sessions",
          "--empty",
          "--grace",
          "0m",
          "--no-color",
        ]);
        assert.match(dry.out, /\nSkipped .*\/link\.jsonl: a symbolic link \(not followed\)\n/);
        assert.match(dry.out, /\nSkipped .*\/0123456789abcdef: a symbolic link \(not followed\)\n/);
        const r = await cli([
          "gc",
          "--home",
          home,
          "--yes",
          "--all-sessions",
          "--empty",
          "--grace",
          "0m",
        ]);
        assert.equal(r.code, 0, r.err);
        assert.match(
          r.err,
          /warning: Cannot clean ".*\/link\.jsonl": a symbolic link \(not followed\); skipped it/,
        );
        assert.match(r.err, /warning: Cannot clean ".*\/0123456789abcdef": a symbolic link/);
        assert.equal((await treeSnapshot(outside)).listing, before.listing);
        assert.deepEqual(await left(home), [`${KA}/link.jsonl`]);
        assert.ok((await lstat(join(dir, "0123456789abcdef"))).isSymbolicLink());
      });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("takes over a stale lock with a warning, and leaves no lock behind", async () => {
    await withHome(mixed(), async (home) => {
      const lock = join(home, "sessions", LOCK_NAME);
      await writeFile(lock, `${DEAD_PID}\n`);
      const r = await cli(["gc", "--home", home, "--yes", "--older-than", "35d"]);
      assert.equal(r.code, 0, r.err);
      assert.equal(
        r.err,
        `zot-sessions: warning: took over the lock of gc pid ${DEAD_PID}, which is gone\n`,
      );
      assert.match(r.out, /^Removed 2 sessions/);
      assert.ok(!existsSync(lock));
      assert.deepEqual(
        (await readdir(join(home, "sessions"))).filter((n) => n.startsWith(".")),
        [],
      );
    });
  });

  it("a live lock makes a second run do nothing and exit 0 with a message", async () => {
    const holder = liveProcess();
    try {
      await withHome(mixed(), async (home) => {
        const lock = join(home, "sessions", LOCK_NAME);
        await writeFile(lock, `${holder.pid}\n`);
        const before = await treeSnapshot(home);
        const r = await cli(["gc", "--home", home, "--yes", "--all-sessions"]);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.out, "");
        assert.equal(
          r.err,
          `Another gc (pid ${holder.pid}) is running on "${home}"; nothing done.\n`,
        );
        assert.equal((await treeSnapshot(home)).listing, before.listing);
        // The holder dies: its lock is stale now.
        await holder.stop();
        const again = await cli(["gc", "--home", home, "--yes", "--all-sessions"]);
        assert.equal(again.code, 0, again.err);
        assert.match(again.err, new RegExp(`took over the lock of gc pid ${holder.pid}`));
        assert.deepEqual(await left(home), [fn(KB, 7)]);
      });
    } finally {
      await holder.stop();
    }
  });

  it("a home without sessions is nothing to clean", async () => {
    const home = await mkdtemp(join(tmpdir(), "zot-empty-home-"));
    try {
      let r = await cli(["gc", "--home", home, "--empty"]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, `Nothing to remove from every project under ${home}.\n`);
      r = await cli(["gc", "--home", home, "--empty", "--yes"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await readdir(home), []);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("archives, and --archive --compress output is read back by ls, show and cost", async () => {
    const s = [
      sess(1, A, 10 * DAY, { cost: 0.5 }),
      sess(2, A, 9 * DAY, { cost: 1.25 }),
      sess(3, B, 8 * DAY, { cost: 2 }),
    ];
    for (const compress of [false, true]) {
      const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
      try {
        await withHome(s, async (home) => {
          const costArgs = ["cost", "--all", "--json", "--by", "session", "--tz", "UTC"];
          const costBefore = JSON.parse((await cli([...costArgs, "--home", home])).out);
          const showBefore =
            (await cli(["show", "--home", home, "--cwd", A, "00000002", "--json"])).out;
          const r = await cli([
            "gc",
            "--home",
            home,
            "--yes",
            "--older-than",
            "1d",
            "--archive",
            arch,
            ...(compress ? ["--compress"] : []),
          ]);
          assert.equal(r.code, 0, r.err);
          assert.equal(r.out.split(",")[0], `Archived 3 sessions to ${arch}`);
          assert.deepEqual(await left(home), []);
          const ext = compress ? ".jsonl.gz" : ".jsonl";
          assert.deepEqual(
            (await left(arch)).sort(),
            [fn(KA, 1), fn(KA, 2), fn(KB, 3)].map((x) => x.replace(/\.jsonl$/, ext)).sort(),
          );
          const ls = JSON.parse((await cli(["ls", "--all", "--json", "--home", arch])).out);
          assert.deepEqual(ls.map((x: { id: string }) => x.id), [uuid(3), uuid(2), uuid(1)]);
          assert.ok(ls.every((x: { path: string }) => x.path.endsWith(ext)));
          assert.deepEqual(JSON.parse((await cli([...costArgs, "--home", arch])).out), costBefore);
          const showAfter =
            (await cli(["show", "--home", arch, "--cwd", A, "00000002", "--json"])).out;
          assert.equal(showAfter.replaceAll(arch, "H"), showBefore.replaceAll(home, "H"));
        });
      } finally {
        await rm(arch, { recursive: true, force: true });
      }
    }
  });

  it("reports a file that fails, goes on with the rest, and exits 1", async () => {
    const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
    try {
      await withHome(mixed(), async (home) => {
        await mkdir(join(arch, "sessions", KA), { recursive: true });
        await writeFile(join(arch, "sessions", KA, fileName(2)), "older copy");
        const r = await cli([
          "gc",
          "--home",
          home,
          "--yes",
          "--older-than",
          "25d",
          "--archive",
          arch,
        ]);
        assert.equal(r.code, 1);
        assert.match(r.err, new RegExp(`warning: Cannot archive ".*${fileName(2)}": `));
        assert.match(r.err, /Cannot complete the clean-up: 1 file failed\n$/);
        assert.match(r.out, /^Archived 2 sessions to /);
        assert.deepEqual(await left(home), [fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 6), fn(KB, 7)]);
        assert.equal(await readFile(join(arch, "sessions", KA, fileName(2)), "utf8"), "older copy");
      });
    } finally {
      await rm(arch, { recursive: true, force: true });
    }
  });
});

describe("gc config (in-process)", () => {
  it("takes its policies from the home's zot-sessions.jsonc; flags override them", async () => {
    await withHome(mixed(), async (home) => {
      const arch = join(home, "..", `zot-arch-cfg-${process.pid}`);
      await writeFile(
        join(home, "zot-sessions.jsonc"),
        `{ "gc": { "olderThan": "45d", "empty": true, "grace": "4h", "archive": "~/arch", "compress": true } } // cron`,
      );
      try {
        // Dry run: the plan follows the config.
        let j = JSON.parse((await cli(["gc", "--home", home, "--json"], { userHome: arch })).out);
        assert.equal(j.archive, join(arch, "arch"));
        assert.equal(j.compress, true);
        assert.deepEqual(j.sessions.map((x: { id: string }) => x.id), [uuid(5), uuid(1)]);
        // Flags win: a shorter age and a shorter grace.
        j = JSON.parse(
          (await cli(["gc", "--home", home, "--json", "--older-than", "25d", "--grace", "1h"], {
            userHome: arch,
          })).out,
        );
        assert.deepEqual(j.sessions.map((x: { id: string }) => x.id), [
          uuid(5),
          uuid(1),
          uuid(2),
          uuid(6),
        ]);
        const r = await cli(["gc", "--home", home, "--yes", "--quiet"], { userHome: arch });
        assert.deepEqual([r.code, r.out, r.err], [0, "", ""]);
        assert.deepEqual(await left(home), [fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 6), fn(KB, 7)]);
        assert.deepEqual(await left(join(arch, "arch")), [fn(KA, 1) + ".gz", fn(KB, 5) + ".gz"]);
      } finally {
        await rm(arch, { recursive: true, force: true });
      }
    });
  });

  it("a config value that does not parse is a usage error, and nothing is touched", async () => {
    for (
      const [text, re] of [
        ['{ "gc": { "olderThan": "90 days" } }', /"90 days"/],
        ['{ "gc": { "maxSize": "big" } }', /"big"/],
        ['{ "gc": { "keepLast": -1 } }', /-1/],
        ['{ "gc": { "grace": "1 hour", "empty": true } }', /"1 hour"/],
        ['{ "gc": { "empty": true, "compress": true } }', /--compress/],
      ] as const
    ) {
      await withHome(mixed(), async (home) => {
        await writeFile(join(home, "zot-sessions.jsonc"), text);
        const before = await treeSnapshot(home);
        const r = await cli(["gc", "--home", home, "--yes"]);
        assert.equal(r.code, 2, `${text}: ${r.err}`);
        assert.match(r.err, re, text);
        assert.equal((await treeSnapshot(home)).hash, before.hash, text);
      });
    }
  });

  it("--config PATH names another file", async () => {
    await withHome(mixed(), async (home) => {
      const cfg = join(home, "other.jsonc");
      await writeFile(cfg, `{ "gc": { "keepLast": 1, } }`);
      const r = await cli(["gc", "--home", home, "--yes", "--config", cfg]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await left(home), [fn(KA, 4), fn(KB, 7)]);
      const missing = await cli([
        "gc",
        "--home",
        home,
        "--yes",
        "--config",
        join(home, "nope.jsonc"),
      ]);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /Cannot read config ".*nope\.jsonc"/);
    });
  });

  const broken: [string, string, string, RegExp][] = [
    [
      "a syntax error",
      '{\n  "gc": {\n    "olderThan": "1d"\n    "empty": true\n  }\n}\n',
      "line 4, column 5",
      /: expected a comma/,
    ],
    [
      "an unknown key",
      '{\n  "gc": {\n    "olderThan": "1d",\n    "maxAge": "1d"\n  }\n}\n',
      "line 4, column 5",
      /unknown key "gc\.maxAge"/,
    ],
    [
      "an unknown section",
      '{ "gc": { "empty": true },\n  "ls": {} }',
      "line 2, column 3",
      /unknown key "ls"/,
    ],
    [
      "a wrong type",
      '{ "gc": { "keepLast": "50" } }',
      "line 1, column 23",
      /"gc\.keepLast" must be a whole number/,
    ],
  ];
  for (const [name, text, pos, re] of broken) {
    it(`a config with ${name} exits 2 naming file, line, column; changes nothing`, async () => {
      await withHome(mixed(), async (home) => {
        const cfg = join(home, "zot-sessions.jsonc");
        await writeFile(cfg, text);
        const before = await treeSnapshot(home);
        for (const extra of [[], ["--older-than", "1d"], ["--quiet"]]) {
          const r = await cli(["gc", "--home", home, "--yes", ...extra]);
          assert.equal(r.code, 2, r.err);
          assert.equal(r.out, "");
          assert.ok(r.err.includes(`Cannot read config "${cfg}": ${pos}: `), r.err);
          assert.match(r.err, re);
        }
        assert.equal((await treeSnapshot(home)).listing, before.listing);
      });
    });
  }
});
