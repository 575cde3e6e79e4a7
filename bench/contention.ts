/**
 * The benchmark's contention case (issue 19, item 13): 20 runs of
 * `cost --all --by day --json` started at once on a warm index, right after
 * zot appended to 20 sessions, so that every run has something to save and
 * all want the write lock at once. Each run's wall time (spawn to exit) is
 * kept; the case prints the median, p95 and worst over all rounds, next to
 * one run alone after the same append. A run that cannot take the write
 * lock within 200 ms goes on without saving, so p95 should stay near one
 * run's time rather than grow with the number of runs.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { appendFile, rm, stat, truncate, utimes } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { pickTargets, zotLines } from "./index_cases.ts";

/** What the case runs and on what. */
export interface ContentionSetup {
  command: string;
  prefix: string[];
  home: string;
  files: string[];
  /** Where its cache directory goes. */
  dir: string;
  /** Runs at once. Default 20. */
  parallel?: number;
  /** Rounds of them. Default 3. */
  rounds?: number;
  log(message: string): void;
}

/** Seconds: the median, p95 and worst of the runs at once, and one run alone. */
export interface ContentionFigures {
  median: number;
  p95: number;
  max: number;
  alone: number;
  runs: number;
}

/** Bytes appended to each of the 20 sessions before a round. */
const APPEND_EACH = 20_000;

/** Runs the case and prints its line. */
export async function benchContention(s: ContentionSetup): Promise<ContentionFigures> {
  const parallel = s.parallel ?? 20;
  const rounds = s.rounds ?? 3;
  const cache = join(s.dir, "index-contention");
  await rm(cache, { recursive: true, force: true });
  const args = [...s.prefix, "cost", "--all", "--by", "day", "--json", "--home", s.home];
  s.log(`Contention: filling its index (${cache})…`);
  await timed(s.command, [...s.prefix, "index", "--home", s.home, "--quiet"], cache);
  const targets = await pickTargets(s.files);
  const grown: { path: string; size: number; atime: Date; mtime: Date }[] = [];
  const append = async (round: number) => {
    for (const [i, path] of targets.entries()) {
      const st = await stat(path);
      grown.push({ path, size: st.size, atime: st.atime, mtime: st.mtime });
      await appendFile(path, await zotLines(path, APPEND_EACH, round * 100 + i, st.mtimeMs));
    }
  };
  const restore = async () => {
    for (const g of grown.reverse()) {
      await truncate(g.path, g.size);
      await utimes(g.path, g.atime, g.mtime);
    }
    grown.length = 0;
  };
  const times: number[] = [];
  let alone = 0;
  try {
    await append(0);
    alone = await timed(s.command, args, cache);
    await restore();
    for (let round = 1; round <= rounds; round++) {
      // The index as it was before the round's append, then the append.
      await timed(s.command, [...s.prefix, "index", "--home", s.home, "--quiet"], cache);
      await append(round);
      s.log(`Contention round ${round}/${rounds}: ${parallel} runs at once…`);
      times.push(
        ...await Promise.all(Array.from({ length: parallel }, () => timed(s.command, args, cache))),
      );
      await restore();
    }
  } finally {
    await restore();
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  const f = {
    median: at(0.5),
    p95: at(0.95),
    max: times[times.length - 1],
    alone,
    runs: times.length,
  };
  s.log(
    `Contention: ${parallel} × cost --all --by day at once after an append (${f.runs} runs): ` +
      `median ${f.median.toFixed(3)} s, p95 ${f.p95.toFixed(3)} s, worst ${f.max.toFixed(3)} s; ` +
      `one alone ${f.alone.toFixed(3)} s`,
  );
  return f;
}

/** Runs a command to its end (output ignored): its wall time in seconds; throws if it fails. */
async function timed(command: string, args: string[], cache: string): Promise<number> {
  const start = performance.now();
  const child = spawn(command, args, {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ZOT_SESSIONS_CACHE: cache },
  });
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  if (code !== 0) throw new Error(`${command} ${args.join(" ")}: exit ${code}: ${err}`);
  return (performance.now() - start) / 1000;
}
