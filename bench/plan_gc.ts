/**
 * Benchmark section: how `planGc` grows with the number of candidates. It
 * was quadratic (20 / 53 / 189 ms for 1k / 2k / 4k, issue 14); linear, each
 * doubling of the candidates about doubles the time.
 *
 * The candidates are generated (a seeded PRNG, the same every run): 40
 * projects, a year of sessions, a third of them forks (some of forks), sizes
 * from 1 kB to 2 MB. The policies make every part of the planner work:
 * `--older-than 90d`, `--keep-last 50` and `--max-size` at half the home, so
 * that max-size chooses sessions one by one past parents of kept forks.
 * Each size is planned once untimed, then `runs` times; the fastest run is
 * shown (on a shared machine, other work only ever adds to a time).
 *
 * Usage: `deno run -A bench/plan_gc.ts [--runs 15]`, or as a section of
 * `npm run bench` (`bench/bench.ts --plan-gc-only` runs only it).
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { type GcCandidate, type GcPolicy, planGc } from "../lib/gc/plan.ts";

const DAY = 86_400_000;
/** A fixed "now", so that the candidates and the plan are the same every run. */
const NOW = Date.parse("2026-11-25T12:00:00Z");

/** Mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `n` candidates as a busy home has them (see the module doc). */
export function generateCandidates(n: number, seed = 1): GcCandidate[] {
  const rand = prng(seed);
  const out: GcCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const dir = (Math.floor(rand() * 40) * 0x9e3779b1 >>> 0).toString(16).padStart(16, "0");
    const id = `${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
    // A fork names an earlier session, mostly a recent one.
    const parent = i > 0 && rand() < 1 / 3
      ? out[i - 1 - Math.floor(rand() * Math.min(i, 50))].id
      : null;
    out.push({
      path: `/home/me/.local/state/zot/sessions/${dir}/20260101-000000-${id.slice(0, 8)}.jsonl`,
      dir,
      bytes: 1_000 + Math.floor(rand() ** 3 * 2_000_000),
      mtimeMs: NOW - Math.floor(rand() * 365 * DAY),
      id,
      parent,
      cwd: `/home/me/src/p${dir.slice(0, 4)}`,
      empty: rand() < 0.05,
    });
  }
  return out;
}

/** The policies every size is planned with: all of them at once. */
export function benchPolicy(candidates: GcCandidate[]): GcPolicy {
  return {
    empty: true,
    olderThanMs: 300 * DAY,
    keepLast: 200,
    maxSize: Math.floor(candidates.reduce((sum, c) => sum + c.bytes, 0) / 4),
    graceMs: 3_600_000,
    allowOrphans: false,
  };
}

/**
 * Plans 1k, 2k, 4k and 8k generated candidates and logs the fastest time of
 * each and its ratio to the size before (about 2 when linear, 4 when
 * quadratic).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * await benchPlanGc((line) => lines.push(line), 1, [100, 200]);
 * assert.match(lines.join("\n"), /200 candidates/);
 * ```
 */
export async function benchPlanGc(
  log: (line: string) => void,
  runs = 15,
  sizes = [1_000, 2_000, 4_000, 8_000],
): Promise<void> {
  log(`planGc, generated candidates (fastest of ${runs} runs after one untimed):`);
  let before: number | null = null;
  for (const n of sizes) {
    const candidates = generateCandidates(n);
    const policy = benchPolicy(candidates);
    const plan = planGc(candidates, policy, NOW);
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      planGc(candidates, policy, NOW);
      times.push(performance.now() - t0);
      // Let timers and the event loop run between rounds, as a CLI would.
      await new Promise((res) => setTimeout(res, 0));
    }
    const ms = Math.min(...times);
    const ratio = before === null ? "" : `  ×${(ms / before).toFixed(2)} for ×2 candidates`;
    log(
      `  ${String(n).padStart(5)} candidates: ${
        ms.toFixed(2).padStart(8)
      } ms  (removes ${plan.remove.length}, keeps ${plan.keptForChildren.length} for forks)${ratio}`,
    );
    before = ms;
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { runs: { type: "string", default: "15" } },
  });
  await benchPlanGc((line) => console.log(line), Number(values.runs));
}
