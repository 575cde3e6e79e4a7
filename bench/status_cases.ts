/**
 * The benchmark's `statusline` case (issue 23): warm, over a home of
 * {@linkcode STATUS_SESSIONS} small sessions in 50 projects (its own, made
 * here: the main corpus has a few hundred big ones), next to
 * `zot-sessions --version`, the floor of any run of the binary. The goal:
 * the median ≤ 4× `--version`'s.
 *
 * The home is deterministic and reused by its stamp; the clock is pinned
 * (`ZOT_SESSIONS_NOW`) to the day its newest 20 sessions were written, so
 * "today" and the last hour hold spend. The warm index is filled once
 * (`zot-sessions index`) before the warm-up; each run reads it with
 * `ZOT_SESSIONS_STATS=1` (bytes of session files read: 0 when warm).
 *
 * Run it alone: `deno run -A bench/bench.ts --status-only`.
 *
 * @module
 */
import { mkdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult, Variant } from "./bench.ts";
import { runQuiet } from "./index_cases.ts";
import { projectKey } from "../lib/sessions/home.ts";

/** Sessions in the status home. */
export const STATUS_SESSIONS = 2000;
/** Projects they are spread over. */
const PROJECTS = 50;
/** The pinned clock of the runs: the newest sessions were written just before. */
export const STATUS_NOW = "2026-11-25T12:00:00Z";
const NOW_MS = Date.parse(STATUS_NOW);
/** Bumped when the home's shape changes (the stamp then differs). */
const VERSION = 1;

/** The project `statusline --cwd` names (the newest sessions' one). */
export const STATUS_PROJECT = "/home/bench/project-00";

/**
 * Writes (or reuses) the status home under `dir` (of `sessions` sessions,
 * {@linkcode STATUS_SESSIONS} by default; another number is another home):
 * session i (newest first) was last written i × 40 minutes before
 * {@linkcode STATUS_NOW}, in project i mod 50, with three turns of usage.
 * Returns the home.
 */
export async function statusHome(
  dir: string,
  log: (m: string) => void,
  sessions = STATUS_SESSIONS,
): Promise<string> {
  const name = sessions === STATUS_SESSIONS ? "status-home" : `status-home-${sessions}`;
  const home = join(dir, name);
  const stamp = join(dir, `${name}.stamp`);
  const want = `${VERSION} ${sessions} ${PROJECTS} ${STATUS_NOW}`;
  if ((await readFile(stamp, "utf8").catch(() => "")) === want) return home;
  log(`Writing the status home (${sessions} sessions)…`);
  await rm(home, { recursive: true, force: true });
  for (let i = 0; i < sessions; i++) {
    const cwd = `/home/bench/project-${String(i % PROJECTS).padStart(2, "0")}`;
    const end = NOW_MS - i * 40 * 60_000 - 60_000;
    const start = end - 30 * 60_000;
    const id = `${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
    const at = (min: number) => new Date(start + min * 60_000).toISOString();
    const lines = [
      {
        type: "meta",
        meta: {
          id,
          cwd,
          model: "claude-sonnet-4-5",
          provider: "anthropic",
          started: at(0),
          version: "0.1.58",
        },
      },
    ];
    let cost = 0;
    for (let t = 0; t < 3; t++) {
      cost += 0.01 * ((i % 7) + t + 1);
      const totals = {
        input_tokens: 100 * (t + 1),
        output_tokens: 20 * (t + 1),
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        cost_usd: cost,
      };
      lines.push(
        {
          type: "message",
          message: {
            role: "user",
            content: [{ text: `question ${t} of session ${i}` }],
            time: at(10 * t),
          },
        } as never,
        { type: "usage", usage: totals, cumulative: totals } as never,
        {
          type: "message",
          message: { role: "assistant", content: [{ text: `answer ${t}` }], time: at(10 * t + 1) },
        } as never,
      );
    }
    const key = projectKey(cwd);
    const path = join(home, "sessions", key, `20261101-000000-${id.slice(0, 8)}.jsonl`);
    await mkdir(join(home, "sessions", key), { recursive: true });
    await writeFile(path, lines.map((l) => JSON.stringify(l) + "\n").join(""));
    await utimes(path, end / 1000, end / 1000);
  }
  await writeFile(stamp, want);
  return home;
}

/** The case's variants, and how to prepare them. */
export function statusCases(s: {
  binary: string;
  home: string;
  dir: string;
}): { variants: Variant[]; prepare(): Promise<void> } {
  const warm = join(s.dir, "index-status");
  const env = { ZOT_SESSIONS_CACHE: warm, ZOT_SESSIONS_NOW: STATUS_NOW, ZOT_SESSIONS_STATS: "1" };
  return {
    variants: [
      { name: "--version (compiled)", kind: "status", command: s.binary, args: ["--version"] },
      {
        name: `statusline warm (${STATUS_SESSIONS} sess.)`,
        kind: "status",
        command: s.binary,
        args: ["statusline", "--home", s.home, "--cwd", STATUS_PROJECT, "--tz", "UTC"],
        env,
        index: "warm statusline",
      },
    ],
    async prepare() {
      await rm(warm, { recursive: true, force: true });
      await runQuiet(s.binary, ["index", "--home", s.home, "--quiet"], warm);
    },
  };
}

/** The case's goal, from the medians: warm statusline ≤ 4× `--version`. */
export function printStatusGoals(variants: Variant[], timed: Map<Variant, RunResult[]>): void {
  const median = (name: string) => {
    const v = variants.find((x) => x.name === name || x.index === name);
    if (!v) return null;
    const ms = timed.get(v)!.map((r) => r.wallMs).sort((a, b) => a - b);
    const m = ms.length >> 1;
    return { ms: ms.length % 2 ? ms[m] : (ms[m - 1] + ms[m]) / 2, runs: timed.get(v)! };
  };
  const version = median("--version (compiled)");
  const status = median("warm statusline");
  if (!version || !status) return;
  const ratio = status.ms / version.ms;
  const read = Math.max(...status.runs.map((r) => r.bytesRead ?? 0));
  console.log("\nstatusline goal (issue 23), from the medians:");
  console.log(
    `  --version ${
      (version.ms / 1000).toFixed(3)
    } s; statusline warm over ${STATUS_SESSIONS} sessions ` +
      `${(status.ms / 1000).toFixed(3)} s = ${ratio.toFixed(2)}× --version (goal ≤ 4×)  ` +
      `${ratio <= 4 ? "met" : "MISSED"}; session bytes read ${read}`,
  );
}
