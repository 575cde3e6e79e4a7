/**
 * The benchmark's `pick` rows (issue 23):
 *
 * - **first screen**: `pick --all` over a warm index of 2,000 sessions,
 *   from start until the terminal is sent its first row (the newest
 *   session's), next to `zot-sessions --version` until its line; both run
 *   on a pseudo-terminal (util-linux `script`), so both pay for it. Goal:
 *   at most 3× `--version`.
 * - **a keystroke**: in-process, over 10,000 generated sessions, what one
 *   key costs the picker: the key's step, the fuzzy filter over every
 *   session, the frame (rows, preview) and the screen update, for a query
 *   typed letter by letter and taken back. Goal: at most 16 ms each.
 *
 * The 2,000 sessions are generated (a seeded PRNG: 24 projects, a year of
 * sessions, titles and prompts from a vocabulary) under `<corpus>/pick-home`
 * once, and indexed (`<corpus>/pick-cache`) before the timed runs.
 *
 * Usage: `deno run -A bench/bench.ts --pick-only [--runs N]`, or
 * `deno run -A bench/pick_cases.ts`.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { projectKey } from "../lib/sessions/home.ts";
import type { SessionInfo } from "../lib/sessions/info.ts";
import { FuzzyList, sessionMatchText } from "../lib/sessions/fuzzy.ts";
import type { Key } from "../lib/io/keys.ts";
import { pickKey, type PickState } from "../lib/commands/pick_keys.ts";
import { PreviewCache } from "../lib/commands/pick_preview.ts";
import { palette } from "../lib/render/color.ts";
import { frameHeights, pickFrame } from "../lib/render/pick_frame.ts";
import { rowLayout, sessionRow } from "../lib/render/pick_rows.ts";
import { ScreenPainter } from "../lib/render/screen.ts";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const NOW = Date.parse("2026-11-25T12:00:00Z");
const DAY = 86_400_000;
/** Sessions of the first-screen case (the issue's), and of the keystroke case. */
export const FIRST_SCREEN_SESSIONS = 2_000;
export const KEYSTROKE_SESSIONS = 10_000;
/** The issue's goals. */
const FIRST_SCREEN_RATIO = 3;
const KEYSTROKE_MS = 16;

const WORDS = (
  "fix add parser cart button index search refactor tests bench deno bun sqlite html terminal " +
  "picker fuzzy review update migrate schema api client server auth login token cache query " +
  "filter sort page layout style build release deploy docker config env logging metrics error " +
  "retry timeout queue worker job scheduler cron email notify user profile settings upload " +
  "image resize thumbnail stream socket chat thread reply invoice payment checkout order " +
  "refund webhook event analytics report export csv pdf chart table modal dialog form input " +
  "validate date zone locale translate flaky pipeline lint types hooks state store router " +
  "route menu sidebar header footer theme dark mode font icon animation scroll lazy memory " +
  "leak crash bug regression idempotency transfers ledger statements pagination メニュー 価格"
).split(" ");
const MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5", "gpt-5", "gpt-5-mini", "gemini-2.5-pro"];

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

/** One generated session's facts. */
interface Generated {
  id: string;
  cwd: string;
  model: string;
  title: string | null;
  prompt: string;
  mtimeMs: number;
  costUsd: number;
}

/** `n` sessions as a busy home has them (see the module doc). */
function generate(n: number, seed = 23): Generated[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const words = (k: number) => Array.from({ length: k }, () => pick(WORDS)).join(" ");
  return Array.from({ length: n }, (_, i) => ({
    id: `${i.toString(16).padStart(8, "0")}-${words(1).length.toString(16).padStart(4, "0")}` +
      "-4000-8000-000000000000",
    cwd: `/home/dev/src/${pick(WORDS)}-${Math.floor(rand() * 24)}`,
    model: pick(MODELS),
    title: rand() < 0.7 ? words(3 + Math.floor(rand() * 6)) : null,
    prompt: words(8 + Math.floor(rand() * 40)),
    mtimeMs: NOW - Math.floor(rand() * 365 * DAY),
    costUsd: Math.round(rand() ** 3 * 5000) / 100,
  }));
}

/** A usage row's counters, as zot writes them. */
const usage = (costUsd: number) => ({
  input_tokens: 1000,
  output_tokens: 200,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  cost_usd: costUsd,
});

/** The 2,000-session home: written once (its stamp names the count), then reused. */
async function ensureHome(dir: string): Promise<string> {
  const home = join(dir, "pick-home");
  const stamp = join(home, "stamp");
  const want = `sessions=${FIRST_SCREEN_SESSIONS} v1`;
  if (existsSync(stamp) && (await readFile(stamp, "utf8")) === want) return home;
  await rm(home, { recursive: true, force: true });
  for (const s of generate(FIRST_SCREEN_SESSIONS)) {
    const sessions = join(home, "sessions", projectKey(s.cwd));
    await mkdir(sessions, { recursive: true });
    const started = new Date(s.mtimeMs - 3_600_000).toISOString();
    const lines = [
      { type: "meta", meta: { id: s.id, cwd: s.cwd, model: s.model, provider: "p", started } },
      { type: "message", message: { role: "user", content: [{ text: s.prompt }], time: started } },
      { type: "usage", usage: usage(s.costUsd), cumulative: usage(s.costUsd) },
      {
        type: "message",
        message: { role: "assistant", content: [{ text: `Done: ${s.prompt}` }], time: started },
      },
      ...(s.title ? [{ type: "rename", title: s.title }] : []),
    ];
    const path = join(sessions, `20261101-120000-${s.id.slice(0, 8)}.jsonl`);
    await writeFile(path, lines.map((l) => JSON.stringify(l) + "\n").join(""));
    await utimes(path, s.mtimeMs / 1000, s.mtimeMs / 1000);
  }
  await writeFile(stamp, want);
  return home;
}

/** Wall time (ms) of one run of `command`, which must exit 0. */
async function timed(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, ...env },
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${command} ${args.join(" ")}: exit ${code}`);
  return ms;
}

/**
 * Milliseconds from starting `args` on a pseudo-terminal (120 × 40, util-linux
 * `script`) until the terminal is sent `marker`; then Esc is typed, and the
 * run must end by itself.
 */
async function untilShown(
  args: string[],
  marker: string,
  env: Record<string, string>,
): Promise<number> {
  const command = `stty cols 120 rows 40; exec ${args.map((a) => `'${a}'`).join(" ")}`;
  const started = performance.now();
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "ignore"],
    env: { ...process.env, TERM: "xterm-256color", ...env },
  });
  let shown: number | null = null;
  let seen = "";
  const decoder = new TextDecoder();
  child.stdout!.on("data", (chunk: Uint8Array) => {
    if (shown !== null) return;
    seen += decoder.decode(chunk, { stream: true });
    if (seen.includes(marker)) {
      shown = performance.now() - started;
      child.stdin!.write("\x1b");
    }
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  if (shown === null) throw new Error(`${args.join(" ")}: never showed ${marker} (exit ${code})`);
  return shown;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The first-screen row: `pick --all` on a pseudo-terminal over a warm
 * index of 2,000 sessions, next to `--version`; medians of `runs` rounds
 * after one untimed, the two interleaved in each round.
 */
export async function benchFirstScreen(
  log: (line: string) => void,
  o: { binary: string; dir: string; runs: number },
): Promise<void> {
  const home = await ensureHome(o.dir);
  const cache = join(o.dir, "pick-cache");
  const env = { ZOT_SESSIONS_CACHE: cache };
  await timed(o.binary, ["index", "--home", home, "--quiet"], env);
  // The newest session's row is the first screen's first row.
  const newest = generate(FIRST_SCREEN_SESSIONS).sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
  const marker = (newest.title ?? newest.prompt).slice(0, 24);
  const version = () => untilShown([o.binary, "--version"], "zot-sessions ", env);
  const pick = () => untilShown([o.binary, "pick", "--all", "--home", home], marker, env);
  await version();
  await pick();
  const times = { version: [] as number[], pick: [] as number[] };
  for (let i = 0; i < o.runs; i++) {
    times.version.push(await version());
    times.pick.push(await pick());
  }
  const v = median(times.version);
  const p = median(times.pick);
  const ratio = p / v;
  log(
    `pick, first screen (${FIRST_SCREEN_SESSIONS} sessions, warm index, on a pty, until the terminal ` +
      `is sent it; median of ${o.runs}):`,
  );
  log(`  zot-sessions --version            ${v.toFixed(1).padStart(8)} ms`);
  log(`  pick --all, first screen          ${p.toFixed(1).padStart(8)} ms`);
  log(
    `  goal: first screen ≤ ${FIRST_SCREEN_RATIO}× --version: ×${ratio.toFixed(2)} ${
      ratio <= FIRST_SCREEN_RATIO ? "met" : "MISSED"
    }`,
  );
}

const counters = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** `n` sessions as `listSessions` gives them (generated, no files). */
function sessionInfos(n: number): SessionInfo[] {
  return generate(n).sort((a, b) => b.mtimeMs - a.mtimeMs).map((s) => ({
    id: s.id,
    shortId: s.id.slice(0, 8),
    path: `/home/dev/.local/state/zot/sessions/${projectKey(s.cwd)}/${s.id.slice(0, 8)}.jsonl`,
    cwd: s.cwd,
    dir: projectKey(s.cwd),
    started: null,
    updated: new Date(s.mtimeMs).toISOString(),
    model: s.model,
    provider: "p",
    title: s.title,
    firstPrompt: s.prompt,
    messages: 2,
    bytes: 1000,
    usage: { ...counters, costUsd: s.costUsd },
    spend: { ...counters, costUsd: s.costUsd, unpricedTokens: 0 },
    parent: null,
    forkPoint: null,
    empty: false,
    damagedLines: 0,
  }));
}

/** The keys of the keystroke case: a query typed letter by letter, then taken back. */
const TYPED: Key[] = [
  ..."parser cart".split("").map((text): Key => ({ kind: "text", text })),
  ...Array.from({ length: 6 }, (): Key => ({ kind: "key", name: "backspace" })),
  { kind: "key", name: "down" },
  ..."idem".split("").map((text): Key => ({ kind: "text", text })),
];

/**
 * The keystroke row: over 10,000 sessions, each key of {@linkcode TYPED}
 * as the picker handles it (step, filter, frame with a preview, screen
 * update), `rounds` times after one untimed; the median, p95 and slowest.
 */
export function benchKeystroke(log: (line: string) => void, rounds = 10): void {
  const width = 120;
  const height = 40;
  const sessions = sessionInfos(KEYSTROKE_SESSIONS);
  const entries = sessions.map((s) => ({ session: s, row: sessionRow(s, NOW, "/home/dev") }));
  const fuzzy = new FuzzyList(entries, (e) => sessionMatchText(e.session));
  const layout = rowLayout(entries.map((e) => e.row), width, true);
  const preview = {
    header: ["Session  x", "Title    y", "Project  /home/dev/src/app", "Model    gpt-5 (p)"],
    body: Array.from({ length: 60 }, (_, i) => `line ${i} ${WORDS.slice(i, i + 20).join(" ")}`),
  };
  const p = palette(true);
  const previewCache = new PreviewCache();
  const times: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const painter = new ScreenPainter();
    let state: PickState = {
      query: "",
      mode: "sessions",
      selected: 0,
      top: 0,
      preview: true,
      confirming: false,
    };
    let matches = fuzzy.filter("");
    for (const key of TYPED) {
      const t0 = performance.now();
      const heights = frameHeights(height, state.preview);
      const step = pickKey(state, key, matches.length, heights.list);
      state = step.state;
      if (step.command.kind === "filter") matches = fuzzy.filter(state.query);
      const frame = pickFrame({
        width,
        height,
        prompt: "> ",
        query: state.query,
        scope: "all projects",
        counter: `${matches.length}/${entries.length}`,
        rows: matches.slice(state.top, state.top + heights.list).map((e) => e.row),
        layout,
        selected: state.selected - state.top,
        empty: "no session matches",
        preview: {
          title: "x",
          lines: previewCache.lines("/x.jsonl", preview, heights.preview, width),
        },
        status: "",
        palette: p,
      });
      const text = painter.paint(frame.lines, frame.cursor);
      const ms = performance.now() - t0;
      if (round > 0) times.push(ms);
      if (text.length === 0) throw new Error("nothing drawn");
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  const max = sorted[sorted.length - 1];
  log(`pick, a keystroke (${KEYSTROKE_SESSIONS} sessions, in-process, ${times.length} keys):`);
  log(
    `  filter + frame + screen update: median ${median(times).toFixed(2)} ms, p95 ${
      p95.toFixed(2)
    } ms, slowest ${max.toFixed(2)} ms`,
  );
  log(
    `  goal: ≤ ${KEYSTROKE_MS} ms a keystroke: p95 ${p95 <= KEYSTROKE_MS ? "met" : "MISSED"}`,
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      runs: { type: "string", default: "5" },
      corpus: { type: "string", default: join(ROOT, "bench", "corpus") },
      keystroke: { type: "boolean", default: false },
      "first-screen": { type: "boolean", default: false },
    },
  });
  const both = !values.keystroke && !values["first-screen"];
  const log = (line: string) => console.log(line);
  if (both || values.keystroke) benchKeystroke(log);
  const binary = join(ROOT, "dist", "zot-sessions");
  if (!both && !values["first-screen"]) {
    // Only the keystroke row.
  } else if (existsSync(binary)) {
    await benchFirstScreen(log, { binary, dir: values.corpus, runs: Number(values.runs) });
  } else {
    log("note: dist/zot-sessions is missing (npm run build): no first-screen row");
  }
}
