/**
 * `cost` adds up: for random homes (forks, parents' files gone, counter
 * restarts, model switches, unpriced models), every grouping's rows sum
 * exactly to the total, and the total to each session's own spend worked
 * out here apart from lib/; and a session of realistic float costs is right
 * to the nanodollar and to the cent. Run in process on temporary homes.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { GROUP_KEYS } from "../../lib/cost/report.ts";
import {
  type FixtureSession,
  messageLine,
  metaLine,
  REALISTIC_USAGE,
  turns,
  usageLine,
  withHomes,
} from "../helpers/fixtures.ts";
import {
  A,
  assertRowsSumTo,
  cli,
  costJson,
  f,
  type Fields,
  inA,
  keyCost,
  nanos,
  session,
} from "../helpers/cost_home.ts";

describe("cost sums to the cent", () => {
  it("a realistic float session is right to the cent and its rows add up to the nanodollar", async () => {
    const R1 = "aaaaaaaa-1111-4111-8111-111111111111";
    const R2 = "bbbbbbbb-2222-4222-8222-222222222222";
    const real = [
      session(R1, A, "2026-11-24T10:03:00Z", [
        metaLine({ id: R1, cwd: A, started: "2026-11-24T10:00:00Z" }),
        ...turns("2026-11-24T10:00:00Z", REALISTIC_USAGE),
      ]),
      session(R2, A, "2026-11-24T11:02:00Z", [
        metaLine({ id: R2, cwd: A, started: "2026-11-24T11:00:00Z" }),
        ...turns("2026-11-24T11:00:00Z", [
          { input_tokens: 800, output_tokens: 40, cost_usd: 0.0033 },
          { input_tokens: 2400, output_tokens: 130, cost_usd: 0.0123 },
        ]),
      ]),
    ];
    await withHomes([real], async (h) => {
      const j = await costJson(inA(h, "--by", "session"));
      // 0.1037391 + 0.0123 = 0.1160391 $ (116 039 100 n$)
      assert.deepEqual(j.total, f(0.1160391, 23403, 2674, 12288, 777, 0, 2));
      assert.equal(j.total.costUsd.toFixed(2), "0.12");
      assert.deepEqual(keyCost(j.rows), [[R1, 0.1037391], [R2, 0.0123]]);
      assertRowsSumTo(j.rows, j.total);
      const text = await cli(["cost", ...inA(h)]);
      assert.match(text.out, /^Total {3}\$0\.12 in 2 sessions$/m);
    });
  });
});

type GenOp =
  | { kind: "msg"; minutes: number }
  | { kind: "usage"; inc: number[] }
  | { kind: "restart"; keep: number }
  | { kind: "model"; model: string };

const genOp: fc.Arbitrary<GenOp> = fc.oneof(
  { weight: 3, arbitrary: fc.nat(900).map((minutes) => ({ kind: "msg" as const, minutes })) },
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc.nat(3000),
      fc.nat(400),
      fc.nat(9000),
      fc.nat(500),
      fc.oneof(fc.constant(0), fc.nat(400_000)), // micro-dollars; 0: unpriced
    ).map((inc) => ({ kind: "usage" as const, inc })),
  },
  {
    weight: 1,
    arbitrary: fc.double({ min: 0, max: 0.9, noNaN: true }).map((keep) => ({
      kind: "restart" as const,
      keep,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("m-a", "m-b", "").map((model) => ({
      kind: "model" as const,
      model,
    })),
  },
);

interface GenSession {
  project: number;
  ops: GenOp[];
  /** Fork of an earlier session (index modulo), at a message (modulo its count + 1). */
  fork: { parent: number; at: number } | null;
  /** Written to the home (a fork's parent may be missing). */
  present: boolean;
}

const genSession: fc.Arbitrary<GenSession> = fc.record({
  project: fc.nat(1),
  ops: fc.array(genOp, { maxLength: 16, size: "max" }),
  fork: fc.option(fc.record({ parent: fc.nat(10), at: fc.nat(20) }), { freq: 4 }), // 3 in 4 forks
  present: fc.nat(2).map((n) => n !== 0), // two in three files are kept
});

interface Built {
  id: string;
  cwd: string;
  lines: string[];
  /** Lines after the first meta line, with the cumulative of usage lines. */
  entries: Array<{ line: string; kind: "meta" | "msg" | "usage"; cum?: number[] }>;
  own: number[]; // in, out, cache read, cache write, micro-dollars
  recorded: number[];
  lastMs: number;
  present: boolean;
  /** The parent's id, for a fork. */
  parentId: string | null;
}

const PROJECTS = ["/p/one", "/p/two"];
const BASE_MS = Date.parse("2026-10-31T18:00:00Z");

/**
 * Builds sessions and, independently of lib/, what each one spent itself: a
 * usage row's increase over the one before (the new row in full after a
 * restart), forks counting only what follows their fork point.
 */
function buildHome(specs: GenSession[]): Built[] {
  const built: Built[] = [];
  specs.forEach((spec, i) => {
    const id = `${(i + 1).toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
    const parent = spec.fork && built.length > 0 ? built[spec.fork.parent % built.length] : null;
    const cwd = parent ? parent.cwd : PROJECTS[spec.project];
    let timeMs = BASE_MS + i * 3_600_000;
    const entries: Built["entries"] = [];
    let cum = [0, 0, 0, 0, 0];
    let forkPoint = 0;
    if (parent) {
      const messages = parent.entries.filter((e) => e.kind === "msg").length;
      forkPoint = messages === 0 ? 0 : 1 + (spec.fork!.at % messages);
    }
    const lines = [
      metaLine({
        id,
        cwd,
        model: "m-a",
        provider: "p",
        started: new Date(timeMs).toISOString(),
        ...(forkPoint > 0 ? { parent: parent!.id, fork_point: forkPoint } : {}),
      }),
    ];
    if (forkPoint > 0) {
      // Copy the parent's first forkPoint messages and the usage rows between them.
      let seen = 0;
      for (const e of parent!.entries) {
        if (seen === forkPoint) break;
        if (e.kind === "meta") continue;
        lines.push(e.line);
        entries.push(e);
        if (e.kind === "msg") seen++;
        else cum = e.cum!;
      }
    }
    const own = [0, 0, 0, 0, 0];
    let costFloat = cum[4] / 1e6;
    for (const o of spec.ops) {
      if (o.kind === "msg") {
        timeMs += o.minutes * 60_000;
        const line = messageLine("user", "x", new Date(timeMs).toISOString());
        lines.push(line);
        entries.push({ line, kind: "msg" });
        continue;
      }
      if (o.kind === "model") {
        const line = metaLine({ id, cwd, model: o.model, provider: o.model ? "p" : "" });
        lines.push(line);
        entries.push({ line, kind: "meta" });
        continue;
      }
      if (o.kind === "usage") {
        cum = cum.map((c, k) => c + o.inc[k]);
        costFloat += o.inc[4] / 1e6;
        o.inc.forEach((d, k) => own[k] += d);
      } else {
        if (cum[4] === 0) continue;
        cum = cum.map((c) => Math.floor(c * o.keep));
        costFloat = cum[4] / 1e6;
        cum.forEach((d, k) => own[k] += d);
      }
      const line = usageLine({
        input_tokens: cum[0],
        output_tokens: cum[1],
        cache_read_tokens: cum[2],
        cache_write_tokens: cum[3],
        cost_usd: costFloat,
      });
      lines.push(line);
      entries.push({ line, kind: "usage", cum });
    }
    built.push({
      id,
      cwd,
      lines,
      entries,
      own,
      recorded: cum,
      lastMs: timeMs,
      present: true,
      parentId: forkPoint > 0 ? parent!.id : null,
    });
  });
  // Drop some parents' files (never all): the index list says which.
  specs.forEach((spec, i) => {
    if (!spec.present && i < built.length - 1) built[i].present = false;
  });
  return built;
}

describe("cost sums (property)", () => {
  it("for random homes, --by session rows and every grouping sum exactly to the total", async () => {
    // Every key alone, then pairs.
    const groupings = [
      ...GROUP_KEYS,
      "day,model",
      "session,day",
      "project,session",
      "month,provider",
    ];
    const tzs = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"];
    let withForks = 0;
    let withOrphans = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(genSession, { minLength: 2, maxLength: 6 }),
        fc.constantFrom(...tzs),
        fc.constantFrom("monday" as const, "sunday" as const),
        async (specs, tz, weekStart) => {
          const built = buildHome(specs);
          const present = built.filter((b) => b.present);
          if (present.some((b) => b.parentId !== null)) withForks++;
          const ids = new Set(present.map((b) => b.id));
          if (present.some((b) => b.parentId !== null && !ids.has(b.parentId))) withOrphans++;
          const files: FixtureSession[] = present.map((b) => ({
            cwd: b.cwd,
            name: `20261031-180000-${b.id.slice(0, 8)}.jsonl`,
            lines: b.lines,
            mtimeMs: b.lastMs,
          }));
          // Expected total: each present session's own spend, summed by hand here.
          const own = [0, 0, 0, 0, 0];
          for (const b of present) b.own.forEach((d, k) => own[k] += d);
          await withHomes([files], async (h) => {
            let first: Fields | null = null;
            for (const by of groupings) {
              const j = await costJson([
                "--home",
                h.home,
                "--all",
                "--tz",
                tz,
                "--week-start",
                weekStart,
                "--by",
                by,
              ]);
              assert.deepEqual(
                [
                  j.total.inputTokens,
                  j.total.outputTokens,
                  j.total.cacheReadTokens,
                  j.total.cacheWriteTokens,
                  nanos(j.total.costUsd),
                ],
                [own[0], own[1], own[2], own[3], own[4] * 1000],
                `total, --by ${by}`,
              );
              first ??= j.total;
              assert.deepEqual(j.total, first, `--by ${by} total differs`);
              assertRowsSumTo(j.rows, j.total, `--by ${by}`);
              if (by === "session") {
                assert.deepEqual(
                  j.rows.map((r) => r.key).sort(),
                  present.filter((b) => b.own.some((d) => d > 0)).map((b) => b.id).sort(),
                );
                for (const r of j.rows) {
                  const b = present.find((x) => x.id === r.key)!;
                  assert.equal(nanos(r.costUsd), b.own[4] * 1000, r.key);
                  assert.equal(r.inputTokens, b.own[0], r.key);
                  assert.equal(nanos(r.recordedCostUsd!), b.recorded[4] * 1000, r.key);
                }
              }
            }
          });
        },
      ),
      { numRuns: 30 },
    );
    // The runs must meet the cases this is about (typically ~20 and ~8).
    assert.ok(withForks > 8, `only ${withForks} runs with a fork`);
    assert.ok(withOrphans > 1, `only ${withOrphans} runs with a parent file missing`);
  });
});
