/**
 * The index's seeded stress run (issue 19, "Done when"): rounds of ~20
 * processes of `ls`, `cost`, `search` and `index` started at once on one
 * cache, while sessions are appended to and `gc` removes some, and some
 * index writers are killed (SIGKILL, SIGTERM or SIGINT) at a write
 * transaction, stopped there by the index's pause seam, so the kill lands
 * inside it. After each round, every question asked through the index must
 * get what `--no-index` gets: stdout, stderr and exit status.
 *
 * Everything is drawn from the seed (the home, which process runs what,
 * which writers die where and by which signal, what is appended where):
 * the seed is printed, and a failing seed can be run again. No sleeps: the
 * kills wait for the writer to stand at its point; the rest is whatever
 * interleaving the processes find, and the answers must not depend on it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pausePoint } from "./pause.ts";
import { spawn, spawnSync } from "./spawn.ts";

type ChildProcess = ReturnType<typeof spawn>;
import { appendTurn, seeded, writeWordyHome } from "./wordy_home.ts";

/** How big a stress run is. */
export interface StressSize {
  seed: number;
  rounds: number;
  /** Processes started at once per round. */
  processes: number;
  sessions: number;
  turns: number;
  /** Turns appended per round (while the processes run). */
  appends: number;
}

/** What a stress run did. */
export interface StressReport {
  seed: number;
  runs: number;
  kills: number;
  appends: number;
  removed: number;
  questions: number;
}

/** How a process of the run ended. */
interface Ended {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  err: string;
}

const SIGNALS: NodeJS.Signals[] = ["SIGKILL", "SIGTERM", "SIGINT"];

/**
 * Runs the stress in `dir` with the binary `bin`, its clock pinned to `now`,
 * the home's sessions dated before `homeNowMs` (the file system's now: gc
 * checks its grace period against the real clock too); throws (an assertion
 * naming the seed) when an answer differs.
 */
export async function runStress(
  bin: string,
  dir: string,
  now: string,
  homeNowMs: number,
  size: StressSize,
  log: (message: string) => void = () => {},
): Promise<StressReport> {
  const rand = seeded(size.seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  log(`stress: seed ${size.seed}`);
  const wordy = await writeWordyHome(join(dir, "home"), {
    seed: size.seed,
    sessions: size.sessions,
    turns: size.turns,
    nowMs: homeNowMs,
  });
  const cache = join(dir, "cache");
  const home = ["--home", wordy.home];
  const env = { ZOT_SESSIONS_NOW: now, ZOT_SESSIONS_CACHE: cache };
  const live = [...wordy.paths];
  const report: StressReport = {
    seed: size.seed,
    runs: 0,
    kills: 0,
    appends: 0,
    removed: 0,
    questions: 0,
  };
  const questions = [
    ["ls", "--all", "--json", ...home],
    ["cost", "--all", "--json", "--by", "session", ...home],
    ["cost", "--all", "--json", "--by", "day", ...home],
    ["search", "--all", "retry", ...home],
    ["search", "--all", "--tools", "--json", "index", ...home],
  ];
  let fifo = 0;
  for (let round = 1; round <= size.rounds; round++) {
    const children: Promise<Ended>[] = [];
    const kills: {
      child: ChildProcess;
      pause: ReturnType<typeof pausePoint>;
      signal: NodeJS.Signals;
    }[] = [];
    const start = (args: string[], pause?: { point: string; signal: NodeJS.Signals }) => {
      const p = pause && pausePoint(dir, pause.point, `stress-${fifo++}`);
      const child = spawn(bin, args, {
        env: p ? { ...env, ZOT_SESSIONS_TEST_PAUSE: p.spec } : env,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let err = "";
      child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
      if (p) kills.push({ child, pause: p, signal: pause.signal });
      children.push(
        new Promise<Ended>((res, rej) => {
          child.on("error", rej);
          child.on("close", (code, signal) => res({ args, code, signal, err }));
        }),
      );
      report.runs++;
    };
    // A gc of one session, now and then, as one of the processes.
    if (live.length > 3 && rand() < 0.5) {
      const gone = live.splice(Math.floor(rand() * live.length), 1)[0];
      start(["gc", gone, "--yes", "--grace", "0", ...home]);
      report.removed++;
    }
    while (children.length < size.processes) {
      const r = rand();
      if (r < 0.25) start(pick(questions.slice(0, 1)));
      else if (r < 0.45) start(pick(questions.slice(1, 3)));
      else if (r < 0.7) start(pick(questions.slice(3)));
      else {
        const args = pick([["index"], ["index", "--search"], ["index", "--rebuild"]]);
        const kill = rand() < 0.6;
        const point = args[1] === "--rebuild" && rand() < 0.5
          ? "clear"
          : `write@${1 + Math.floor(rand() * 3)}`;
        start([...args, "--quiet", ...home], kill ? { point, signal: pick(SIGNALS) } : undefined);
      }
    }
    // zot goes on writing meanwhile.
    for (let i = 0; i < size.appends; i++) {
      await appendTurn(pick(live), rand, homeNowMs);
      report.appends++;
    }
    for (const k of kills) {
      if (await k.pause.reached(k.child) === null) continue; // done before its point
      k.child.kill(k.signal);
      report.kills++;
    }
    const ended = await Promise.all(children);
    for (const e of ended) checkEnded(e, size.seed);
    log(`stress: round ${round}: ${ended.length} runs, ${kills.length} writers stopped`);
    for (const q of questions) {
      const viaIndex = spawnSync(bin, q, { encoding: "utf8", env, maxBuffer: 64 << 20 });
      const direct = spawnSync(bin, [...q, "--no-index"], {
        encoding: "utf8",
        env,
        maxBuffer: 64 << 20,
      });
      const what = `seed ${size.seed}, round ${round}: ${q.join(" ")}`;
      assert.equal(viaIndex.stdout, direct.stdout, `${what}: stdout`);
      assert.equal(viaIndex.stderr, direct.stderr, `${what}: stderr`);
      assert.equal(viaIndex.status, direct.status, `${what}: exit status`);
      report.questions++;
    }
  }
  await rm(join(dir, "home"), { recursive: true, force: true });
  return report;
}

/**
 * A process ended as it may: killed by the signal sent, or on its own with
 * 0, or 1 for a search without hits or an `index` that found the database
 * locked for longer than it waits.
 */
function checkEnded(e: Ended, seed: number): void {
  const what = `seed ${seed}: ${e.args.join(" ")}`;
  if (e.signal !== null) {
    assert.ok(SIGNALS.includes(e.signal), `${what}: ended by ${e.signal}`);
    return;
  }
  if (e.code === 0) return;
  assert.equal(e.code, 1, `${what}: exit ${e.code}: ${e.err}`);
  const noHits = e.args[0] === "search" && /No message .* holds/.test(e.err);
  const locked = e.args[0] === "index" && /database is locked/.test(e.err);
  assert.ok(noHits || locked, `${what}: exit 1: ${e.err}`);
}
