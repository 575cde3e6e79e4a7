/**
 * Benchmark: how fast `zot-sessions ls --all --json` reads a large zot home,
 * next to what the machine allows and next to a naive reader.
 *
 * What it measures, on the same bytes in the same run:
 *
 * - `cat` of every session file to /dev/null: the floor for getting the bytes
 *   from the page cache into a process.
 * - `wc -l` over them: the floor for finding every newline.
 * - `zot-sessions ls --all --home <corpus> --json > /dev/null`, three ways:
 *   the compiled binary `dist/zot-sessions` (if built), `bun main.ts`, and
 *   `deno run -A main.ts`.
 * - "naive JSON.parse per line" (`bench/naive.ts` under bun): decode and
 *   `JSON.parse` every line, as a reader that unmarshals each line does.
 * - The index (`bench/index_cases.ts`): warm and cold `ls` and `cost --by
 *   day`, and `cost` after appending a few MB to 20 sessions, with the bytes
 *   of session files each run read; the zot-sessions rows above run with
 *   `--no-index`, the reference for these. Then the issue's goals, met or not.
 *
 * How: `bench/corpus.ts` generates (or reuses, by its stamp) a deterministic
 * zot home of `--size` bytes under `bench/corpus/home`. Each command first runs
 * once untimed: that warms the page cache and the runtimes' caches, and its
 * stdout is kept to verify the answers. Then `--runs` timed rounds follow, the
 * commands interleaved inside each round so that drift hits all of them alike.
 * Wall time is taken from spawn to exit with `performance.now()`; the table
 * shows the median. Throughput is corpus bytes (10^6 per MB) over the median.
 * Peak RSS of the child comes from GNU `/usr/bin/time -f %M` (the kernel's
 * `ru_maxrss` of the waited-for child, exact, same under Deno and Bun); when
 * that program is missing, from polling `VmHWM` in `/proc/<pid>/status` every
 * 5 ms (a lower bound: the last few milliseconds are not seen).
 *
 * The baseline (`--baseline REF`, default `HEAD~1`, see `bench/previous.ts`):
 * the binary of another commit runs `ls`/`cost --no-index` and a first `ls`
 * with an empty cache in the same rounds; issue 20's cold table then gives
 * each with its ratio to `cat` and to the baseline. The load average is
 * printed at the start and the end (the machine may be shared).
 *
 * Verification (exit status 1 if any fails): every command exits 0; the three
 * zot-sessions outputs are byte-identical, and the baseline's too; their message total equals the
 * naive reader's count and the generator's; `wc -l` sees the generator's
 * number of newlines.
 *
 * Usage (repository root):
 *
 *     deno run -A bench/bench.ts [--size 200MB] [--runs 3] [--seed 1] [--regen]
 *     bun bench/bench.ts --size 1GB
 *
 * Other flags: `--corpus DIR` (default `bench/corpus`), `--corpus-only`
 * (generate and stop), `--plan-gc-only` (only the planGc section),
 * `--contention-only` (only the contention case, `bench/contention.ts`: p95
 * of 20 runs at once), `--stress-only` (only the index's seeded stress run,
 * `bench/stress.ts`, at a larger size than the test's), `--search-only` (cat
 * and the search cases, `bench/search_cases.ts`: the first search, warm
 * searches, every hit as JSON, the cache's size).
 *
 * A last section, in-process, times gc's planner on 1k to 8k generated
 * candidates (`bench/plan_gc.ts`): each doubling should about double the time.
 * Then `pick`'s rows (`bench/pick_cases.ts`, alone with `--pick-only`): its
 * first screen over 2,000 sessions against `--version`, and a keystroke's
 * filter and redraw over 10,000. `export --html`'s rows
 * (`bench/export_cases.ts`, only with `--export-only`): a first export and a
 * re-export of 2,000 sessions and of 8,000, their peak RSS next to `ls
 * --all`'s, and what each gains per 1,000 sessions.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, release, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type CorpusStats, ensureCorpus, parseSize } from "./corpus.ts";
import type { NaiveCounts } from "./naive.ts";
import { indexCases, printGoals } from "./index_cases.ts";
import { benchPlanGc } from "./plan_gc.ts";
import { benchContention } from "./contention.ts";
import { benchStress } from "./stress.ts";
import { printSearchGoals, searchCases } from "./search_cases.ts";
import { benchFirstScreen, benchKeystroke } from "./pick_cases.ts";
import { baselineBinary, exists, printColdGoals, resolveCommit } from "./previous.ts";
import { printStatusGoals, statusCases, statusHome } from "./status_cases.ts";
import { EXPORT_SIZES, exportCases, printExportRows } from "./export_cases.ts";

/** The repository root (the parent of `bench/`). */
const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

/** A command the benchmark runs. */
export interface Variant {
  /** The row label. */
  name: string;
  kind:
    | "baseline"
    | "zot"
    | "cost"
    | "naive"
    | "append"
    | "previous"
    | "search"
    | "status"
    | "export";
  command: string;
  args: string[];
  /** Added to the environment. */
  env?: Record<string, string>;
  /** Run untimed before and after each run (clearing a cache, appending). */
  before?: () => Promise<void>;
  after?: () => Promise<void>;
  /** An index case: the label its goals are found by. */
  index?: string;
  /** A baseline commit's run: the name of this commit's run that must print the same. */
  sameAs?: string;
}

/** One run of one command. */
export interface RunResult {
  code: number | null;
  signal: string | null;
  wallMs: number;
  /** Peak resident set of the child, KiB; null if unknown. */
  rssKiB: number | null;
  /** User + system CPU seconds of the child; null if unknown. */
  cpuS: number | null;
  /** Bytes of session files read, when the run reported them (ZOT_SESSIONS_STATS). */
  bytesRead: number | null;
  /** Captured stdout (warm-up run only). */
  stdout: Uint8Array | null;
  stderr: string;
}

/** How peak RSS is measured. */
type Meter = { kind: "time"; path: string; out: string } | { kind: "proc" };

const HELP = `Usage: deno run -A bench/bench.ts [options]   (or: bun bench/bench.ts)

  --size SIZE     corpus size, e.g. 200MB (default), 1GB, 512MiB
  --runs N        timed runs per command (default 3), after one warm-up
  --seed N        corpus PRNG seed (default 1)
  --corpus DIR    where the corpus lives (default bench/corpus)
  --regen         regenerate the corpus even if its stamp matches
  --baseline REF  also run the binary of commit REF (default HEAD~1), "none" for none
  --corpus-only   generate the corpus and stop
  --plan-gc-only  only time gc's planner on generated candidates
  --contention-only  only the contention case: p95 of 20 cost runs at once
  --stress-only   only the index's seeded stress run (--seed), the larger size
  --search-only   only cat and the search cases (issue 20's search rows)
  --status-only   only the statusline case: warm over 2,000 sessions against --version
  --pick-only     only pick's rows: its first screen against --version over
                  2,000 sessions, and a keystroke over 10,000 (issue 23)
  --export-only   only export --html's rows: first export and re-export of
                  2,000 and 8,000 sessions, with peak RSS next to ls --all's,
                  and its gain per 1,000 sessions (issue 24)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      size: { type: "string", default: "200MB" },
      runs: { type: "string", default: "3" },
      seed: { type: "string", default: "1" },
      corpus: { type: "string", default: join(ROOT, "bench", "corpus") },
      regen: { type: "boolean", default: false },
      baseline: { type: "string", default: "HEAD~1" },
      "corpus-only": { type: "boolean", default: false },
      "plan-gc-only": { type: "boolean", default: false },
      "contention-only": { type: "boolean", default: false },
      "stress-only": { type: "boolean", default: false },
      "search-only": { type: "boolean", default: false },
      "status-only": { type: "boolean", default: false },
      "pick-only": { type: "boolean", default: false },
      "export-only": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values["plan-gc-only"]) {
    await benchPlanGc((m) => console.log(m));
    return 0;
  }
  // pick's rows need no corpus of the size asked: their own homes.
  const pickRows = async () => {
    // The keystroke under Bun, the compiled binary's engine (its regular
    // expressions are uFuzzy's whole cost); in this process if there is none.
    const bun = await tool("bun");
    const keystroke = await capture(bun, [join(ROOT, "bench", "pick_cases.ts"), "--keystroke"]);
    if (keystroke.code === 0) console.log(keystroke.out + " (Bun)");
    else benchKeystroke((m) => console.log(m));
    const binary = join(ROOT, "dist", "zot-sessions");
    if (!(await exists(binary))) {
      console.log("note: dist/zot-sessions is missing (npm run build): no first-screen row");
      return;
    }
    await mkdir(resolve(values.corpus), { recursive: true });
    await benchFirstScreen((m) => console.log(m), {
      binary,
      dir: resolve(values.corpus),
      runs: Number(values.runs),
    });
  };
  if (values["pick-only"]) {
    await pickRows();
    return 0;
  }
  const targetBytes = parseSize(values.size);
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer`);
  const corpusDir = resolve(values.corpus);
  await mkdir(corpusDir, { recursive: true });
  const binary = join(ROOT, "dist", "zot-sessions");
  const status = async () => {
    const home = await statusHome(corpusDir, (m) => console.log(m));
    return statusCases({ binary, home, dir: corpusDir });
  };
  if (values["status-only"] || values["export-only"]) {
    if (!await exists(binary)) throw new Error("dist/zot-sessions is missing: npm run build");
    const meter = await chooseMeter(corpusDir);
    const cases = values["export-only"]
      ? exportCases({
        binary,
        homes: await Promise.all(
          EXPORT_SIZES.map(async (sessions) => ({
            home: await statusHome(corpusDir, console.log, sessions),
            sessions,
          })),
        ),
        dir: corpusDir,
      })
      : await status();
    await cases.prepare();
    const timed = new Map<Variant, RunResult[]>(cases.variants.map((v) => [v, []]));
    for (const v of cases.variants) await runOnce(v, true, meter);
    for (let i = 0; i < runs; i++) {
      for (const v of cases.variants) timed.get(v)!.push(await runOnce(v, false, meter));
    }
    if (values["export-only"]) printExportRows(cases.variants, timed);
    else printStatusGoals(cases.variants, timed);
    return [...timed.values()].flat().every((r) => r.code === 0) ? 0 : 1;
  }

  console.log(`zot-sessions benchmark: corpus of ${values.size}, ${runs} timed run(s)\n`);
  const corpus = await ensureCorpus({
    dir: corpusDir,
    targetBytes,
    seed,
    force: values.regen,
    log: (m) => console.log(m),
  });
  const home = corpus.home;
  const files = await sessionFiles(home);
  const bytes = await totalSize(files);
  printCorpus(corpus.stats, corpus.reused, home, files.length, bytes);
  if (values["corpus-only"]) return 0;

  const meter = await chooseMeter(corpusDir);
  const bun = await tool("bun");
  const deno = await tool("deno");
  await printMachine(meter, bun, deno);

  const zotArgs = ["ls", "--all", "--home", home, "--json", "--no-index"];
  // The issue's figure: cost --all --by day against cat over the same bytes.
  const costArgs = [
    "cost",
    "--all",
    "--by",
    "day",
    "--tz",
    "UTC",
    "--home",
    home,
    "--json",
    "--no-index",
  ];
  const variants: Variant[] = [
    { name: "cat > /dev/null", kind: "baseline", command: "cat", args: files },
    { name: "wc -l", kind: "baseline", command: "wc", args: ["-l", ...files] },
  ];
  if (await exists(binary)) {
    const stale = await staleBinary(binary);
    if (stale) console.log(`warning: dist/zot-sessions is older than ${stale}; run npm run build`);
    variants.push({ name: "zot-sessions (compiled)", kind: "zot", command: binary, args: zotArgs });
    variants.push({
      name: "cost --by day (compiled)",
      kind: "cost",
      command: binary,
      args: costArgs,
    });
  } else {
    console.log("note: dist/zot-sessions is missing (npm run build); skipping the compiled binary");
  }
  // The same commands from the baseline commit's binary, in the same rounds.
  let baselineCommit: string | null = null;
  let previousBinary: string | null = null;
  if (values.baseline !== "none") {
    baselineCommit = await resolveCommit(ROOT, values.baseline);
    if (baselineCommit === null) {
      console.log(`note: no commit "${values.baseline}"; no baseline runs`);
    } else {
      const previous = await baselineBinary(
        ROOT,
        baselineCommit,
        corpusDir,
        bun,
        (m) => console.log(m),
      );
      previousBinary = previous;
      const coldPrevious = join(corpusDir, "index-cold-baseline");
      const warmPrevious = join(corpusDir, "index-warm-baseline");
      await rm(warmPrevious, { recursive: true, force: true });
      variants.push(
        {
          name: "ls --no-index (baseline)",
          kind: "previous",
          command: previous,
          args: zotArgs,
          sameAs: "zot-sessions (bun main.ts)",
        },
        {
          name: "cost --no-index (baseline)",
          kind: "previous",
          command: previous,
          args: costArgs,
          sameAs: "cost --by day (bun main.ts)",
        },
        {
          name: "ls cold (baseline)",
          kind: "previous",
          command: previous,
          args: zotArgs.filter((a) => a !== "--no-index"),
          env: { ZOT_SESSIONS_CACHE: coldPrevious },
          before: () => rm(coldPrevious, { recursive: true, force: true }),
          sameAs: "zot-sessions (bun main.ts)",
        },
        // Warm: the baseline's own index (its layout may differ), filled
        // by its first run, the untimed warm-up.
        {
          name: "ls warm (baseline)",
          kind: "previous",
          command: previous,
          args: zotArgs.filter((a) => a !== "--no-index"),
          env: { ZOT_SESSIONS_CACHE: warmPrevious },
          sameAs: "zot-sessions (bun main.ts)",
        },
        {
          name: "cost warm (baseline)",
          kind: "previous",
          command: previous,
          args: costArgs.filter((a) => a !== "--no-index"),
          env: { ZOT_SESSIONS_CACHE: warmPrevious },
          sameAs: "cost --by day (bun main.ts)",
        },
      );
    }
  }
  variants.push(
    {
      name: "zot-sessions (bun main.ts)",
      kind: "zot",
      command: bun,
      args: ["main.ts", ...zotArgs],
    },
    {
      name: "zot-sessions (deno run)",
      kind: "zot",
      command: deno,
      args: ["run", "-A", "main.ts", ...zotArgs],
    },
    {
      name: "cost --by day (bun main.ts)",
      kind: "cost",
      command: bun,
      args: ["main.ts", ...costArgs],
    },
    {
      name: "naive JSON.parse per line (bun)",
      kind: "naive",
      command: bun,
      args: [join("bench", "naive.ts"), home],
    },
  );
  const hasBinary = await exists(binary);
  const contention = () =>
    benchContention({
      command: hasBinary ? binary : bun,
      prefix: hasBinary ? [] : ["main.ts"],
      home,
      files,
      dir: corpusDir,
      log: (m) => console.log(m),
    });
  if (values["contention-only"]) {
    await contention();
    return 0;
  }
  const stress = () => benchStress(binary, corpusDir, seed, (m) => console.log(m));
  if (values["stress-only"]) {
    await stress();
    return 0;
  }
  let afterRestore = () => Promise.resolve();
  const index = indexCases({
    command: hasBinary ? binary : bun,
    prefix: hasBinary ? [] : ["main.ts"],
    home,
    files,
    dir: corpusDir,
    lsArgs: zotArgs.filter((a) => a !== "--no-index"),
    costArgs: costArgs.filter((a) => a !== "--no-index"),
    log: (m) => console.log(m),
    afterRestore: () => afterRestore(),
  });
  variants.push(...index.variants);
  const search = searchCases({
    command: hasBinary ? binary : bun,
    prefix: hasBinary ? [] : ["main.ts"],
    home,
    dir: corpusDir,
    previous: previousBinary,
    log: (m) => console.log(m),
  });
  variants.push(...search.variants);
  const statusRows = hasBinary ? await status() : null;
  if (statusRows) variants.push(...statusRows.variants);
  afterRestore = () => search.refresh();
  if (values["search-only"]) {
    variants.splice(
      0,
      variants.length,
      ...variants.filter((v) => v.kind === "search" || v.name === "cat > /dev/null"),
    );
  }
  console.log("\nCommands (cwd = repository root; stdout to /dev/null when timed):");
  for (const v of variants) console.log(`  ${v.name.padEnd(32)} ${showCommand(v)}`);

  if (!values["search-only"]) await index.prepare();
  if (!values["search-only"]) await statusRows?.prepare();
  await search.prepare();
  // Warm-up: page cache, runtime caches, and the answers to verify.
  console.log("\nWarm-up run of each command (untimed, output kept for verification)…");
  const warm = new Map<Variant, RunResult>();
  for (const v of variants) warm.set(v, await runOnce(v, true, meter));

  const timed = new Map<Variant, RunResult[]>(variants.map((v) => [v, []]));
  for (let i = 0; i < runs; i++) {
    console.log(`Timed round ${i + 1}/${runs}…`);
    for (const v of variants) timed.get(v)!.push(await runOnce(v, false, meter));
  }

  printTable(variants, timed, bytes, meter);
  printGoals(variants, timed, bytes, index.appended());
  printColdGoals(variants, timed, baselineCommit);
  printSearchGoals(variants, timed, bytes, search);
  printStatusGoals(variants, timed);
  console.log(`\nLoad average at the end: ${loadavg().map((x) => x.toFixed(2)).join(", ")}`);
  const ok = verify(variants, warm, timed, corpus.stats, files.length);
  console.log("");
  if (values["search-only"]) return ok ? 0 : 1;
  await contention();
  console.log("");
  if (hasBinary) await stress();
  console.log("");
  await benchPlanGc((m) => console.log(m));
  console.log("");
  await pickRows();
  return ok ? 0 : 1;
}

// ---------------------------------------------------------------------------
// Running commands.

/**
 * Runs one command, stdout to /dev/null (or captured when `capture`), and
 * measures its wall time and, through `meter`, its peak RSS.
 *
 * @example
 * const r = await runOnce({ name: "cat", kind: "baseline", command: "cat", args: files }, false, meter);
 */
export async function runOnce(v: Variant, capture: boolean, meter: Meter): Promise<RunResult> {
  let command = v.command;
  let args = v.args;
  if (meter.kind === "time") {
    args = ["-f", "%M %U %S", "-o", meter.out, command, ...args];
    command = meter.path;
  }
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  let hwm = 0;
  await v.before?.();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"],
    env: v.env ? { ...process.env, ...v.env } : process.env,
  });
  child.stdout?.on("data", (c: Uint8Array) => out.push(c));
  child.stderr?.on("data", (c: Uint8Array) => err.push(c));
  let poller: ReturnType<typeof setInterval> | undefined;
  if (meter.kind === "proc" && child.pid !== undefined) {
    const status = `/proc/${child.pid}/status`;
    let busy = false;
    const poll = async () => {
      if (busy) return;
      busy = true;
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(await readFile(status, "utf8"));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch {
        // The process is gone (or not yet there).
      } finally {
        busy = false;
      }
    };
    void poll();
    poller = setInterval(poll, 5);
  }
  const [code, signal] = await new Promise<[number | null, string | null]>((done, fail) => {
    child.on("error", fail);
    child.on("close", (c: number | null, s: string | null) => done([c, s]));
  });
  const wallMs = performance.now() - started;
  if (poller) clearInterval(poller);
  await v.after?.();
  let rssKiB: number | null = hwm || null;
  let cpuS: number | null = null;
  if (meter.kind === "time") {
    // GNU time writes "Command exited with non-zero status N" first on failure.
    const lines = (await readFile(meter.out, "utf8")).trim().split("\n");
    const [rss, user, sys] = lines[lines.length - 1].split(" ").map(Number);
    rssKiB = Number.isFinite(rss) ? rss : null;
    cpuS = Number.isFinite(user) && Number.isFinite(sys) ? user + sys : null;
  }
  const stderr = new TextDecoder().decode(concat(err));
  const read = /zot-sessions: read (\d+) bytes of session files\n$/.exec(stderr);
  return {
    code,
    signal,
    wallMs,
    rssKiB,
    cpuS,
    bytesRead: read ? Number(read[1]) : null,
    stdout: capture ? concat(out) : null,
    stderr,
  };
}

/** GNU time if it works here, else /proc polling. */
async function chooseMeter(corpusDir: string): Promise<Meter> {
  const path = "/usr/bin/time";
  const out = join(corpusDir, "time.out");
  if (await exists(path)) {
    const r = await capture(path, ["-f", "%M %U %S", "-o", out, "true"]);
    if (r.code === 0) {
      const text = (await readFile(out, "utf8")).trim();
      if (/^\d+ [\d.]+ [\d.]+$/.test(text)) return { kind: "time", path, out };
    }
  }
  return { kind: "proc" };
}

/** Runs a short command and returns its exit code and stdout. */
async function capture(command: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const out: Uint8Array[] = [];
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (c: Uint8Array) => out.push(c));
    const code = await new Promise<number>((done, fail) => {
      child.on("error", fail);
      child.on("close", (c: number | null) => done(c ?? -1));
    });
    return { code, out: new TextDecoder().decode(concat(out)).trim() };
  } catch {
    return { code: -1, out: "" };
  }
}

/** `node_modules/.bin/<name>` if present, else the name (found on PATH). */
async function tool(name: string): Promise<string> {
  const local = join(ROOT, "node_modules", ".bin", name);
  return await exists(local) ? local : name;
}

function showCommand(v: Variant): string {
  const shown = v.kind === "baseline"
    ? [
      v.command,
      ...v.args.filter((a) => a.startsWith("-")),
      `<${v.args.filter((a) => !a.startsWith("-")).length} files>`,
    ]
    : [v.command.startsWith(ROOT) ? relative(ROOT, v.command) : v.command, ...v.args];
  return shown.join(" ");
}

// ---------------------------------------------------------------------------
// The corpus on disk.

/** The session files of a home, as zot-sessions finds them, sorted. */
async function sessionFiles(home: string): Promise<string[]> {
  const root = join(home, "sessions");
  const out: string[] = [];
  for (const dir of (await readdir(root)).sort()) {
    for (const e of await readdir(join(root, dir), { withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith(".jsonl")) out.push(join(root, dir, e.name));
    }
  }
  return out.sort();
}

async function totalSize(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) n += (await stat(f)).size;
  return n;
}

/** The newest source file newer than the binary, or null. */
async function staleBinary(binary: string): Promise<string | null> {
  const built = (await stat(binary)).mtimeMs;
  const sources = [join(ROOT, "main.ts")];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".ts")) sources.push(p);
    }
  };
  await walk(join(ROOT, "lib"));
  let newest: string | null = null;
  let newestMs = built;
  for (const s of sources) {
    const ms = (await stat(s)).mtimeMs;
    if (ms > newestMs) [newest, newestMs] = [relative(ROOT, s), ms];
  }
  return newest;
}

// ---------------------------------------------------------------------------
// Reporting.

const MB = 1e6;

function fmtBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function printCorpus(
  s: CorpusStats,
  reused: boolean,
  home: string,
  files: number,
  bytes: number,
): void {
  console.log(
    `Corpus: ${relative(ROOT, home) || home} — ${
      reused ? "reused (stamp matches)" : `generated in ${s.seconds} s`
    }, seed ${s.seed}`,
  );
  console.log(
    `  ${(bytes / MB).toFixed(1)} MB (${fmtBytes(bytes)}) in ${files} session files, ` +
      `${s.projects} projects; ${s.forks} forks, ${s.emptySessions} empty, ` +
      `${s.truncatedSessions} with a crash-truncated last line`,
  );
  console.log(
    `  ${s.lines} lines, ${s.messages} messages, ${s.screenshots} screenshots, ` +
      `${s.hugeLines} lines over 8 MiB`,
  );
  console.log("  line sizes:        lines        bytes");
  for (const b of s.histogram) {
    if (b.lines === 0) continue;
    console.log(
      `    ${b.label.padEnd(14)} ${String(b.lines).padStart(8)} ${
        fmtBytes(b.bytes).padStart(12)
      }  (${(100 * b.bytes / bytes).toFixed(1)}% of bytes)`,
    );
  }
  console.log();
}

async function printMachine(meter: Meter, bun: string, deno: string): Promise<void> {
  const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  const nproc = (await capture("nproc", [])).out || String(availableParallelism());
  const first = (s: string) => s.split("\n")[0];
  console.log("Machine:");
  console.log(`  CPU       ${model}, nproc ${nproc}`);
  console.log(`  memory    ${fmtBytes(totalmem())}, kernel ${release()}`);
  console.log(
    `  load      ${loadavg().map((x) => x.toFixed(2)).join(", ")} (1, 5, 15 min averages)`,
  );
  console.log(`  host      ${navigator.userAgent} (runs the benchmark itself)`);
  console.log(`  deno      ${first((await capture(deno, ["--version"])).out)}`);
  console.log(`  bun       ${(await capture(bun, ["--version"])).out}`);
  console.log(`  cat, wc   ${first((await capture("cat", ["--version"])).out)}`);
  const commit = (await capture("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"])).out;
  const dirty =
    (await capture("git", ["-C", ROOT, "status", "--porcelain", "--", "main.ts", "lib"]))
      .out;
  console.log(
    `  code      ${commit || "?"}${dirty ? " + uncommitted changes in main.ts/lib" : ""}`,
  );
  console.log(
    `  peak RSS  ${
      meter.kind === "time"
        ? `${meter.path} -f %M (ru_maxrss of the child, from wait4)`
        : "VmHWM polled every 5 ms from /proc/<pid>/status (lower bound)"
    }`,
  );
}

function printTable(
  variants: Variant[],
  timed: Map<Variant, RunResult[]>,
  bytes: number,
  meter: Meter,
): void {
  const catMs = median(timed.get(variants[0])!.map((r) => r.wallMs));
  const header = [
    "command".padEnd(32),
    "median s".padStart(9),
    "min–max s".padStart(14),
    "MB/s".padStart(8),
    "× cat".padStart(7),
    "peak RSS".padStart(10),
    "CPU s".padStart(7),
    "read".padStart(9),
  ].join(" ");
  console.log(
    `\nResults: ${(bytes / MB).toFixed(1)} MB, median of ${
      timed.get(variants[0])!.length
    } run(s) after one warm-up; MB = 10^6 bytes; peak RSS = max over the timed runs; ` +
      `read = bytes of session files read (max), % of the corpus` +
      (meter.kind === "time" ? "; CPU = user+sys (median)" : ""),
  );
  console.log(header);
  console.log("-".repeat(header.length));
  for (const v of variants) {
    const rs = timed.get(v)!;
    const ms = rs.map((r) => r.wallMs);
    const med = median(ms);
    const rss = rs.map((r) => r.rssKiB).filter((x): x is number => x !== null);
    const cpu = rs.map((r) => r.cpuS).filter((x): x is number => x !== null);
    const failed = rs.some((r) => r.code !== 0);
    console.log([
      (v.name + (failed ? " (FAILED)" : "")).padEnd(32),
      (med / 1000).toFixed(3).padStart(9),
      `${(Math.min(...ms) / 1000).toFixed(3)}–${(Math.max(...ms) / 1000).toFixed(3)}`.padStart(
        14,
      ),
      (bytes / MB / (med / 1000)).toFixed(0).padStart(8),
      (med / catMs).toFixed(1).padStart(7),
      (rss.length ? fmtBytes(Math.max(...rss) * 1024) : "?").padStart(10),
      (cpu.length ? median(cpu).toFixed(2) : "?").padStart(7),
      readShare(rs, bytes).padStart(9),
    ].join(" "));
  }
}

/** The most bytes of session files a command's runs read, as a share of the corpus. */
function readShare(rs: RunResult[], bytes: number): string {
  const read = rs.map((r) => r.bytesRead).filter((x): x is number => x !== null);
  if (read.length === 0) return "";
  const share = 100 * Math.max(...read) / bytes;
  return share >= 1 ? `${share.toFixed(1)}%` : `${share.toFixed(3)}%`;
}

function verify(
  variants: Variant[],
  warm: Map<Variant, RunResult>,
  timed: Map<Variant, RunResult[]>,
  stats: CorpusStats,
  files: number,
): boolean {
  console.log("\nVerification:");
  let ok = true;
  const check = (pass: boolean, what: string) => {
    console.log(`  ${pass ? "ok  " : "FAIL"} ${what}`);
    if (!pass) ok = false;
  };
  for (const v of variants) {
    const all = [warm.get(v)!, ...timed.get(v)!];
    const bad = all.find((r) => r.code !== 0);
    check(
      !bad,
      `${v.name}: exit status 0 in all ${all.length} runs` +
        (bad ? ` (got ${bad.code ?? bad.signal}: ${bad.stderr.trim().split("\n")[0]})` : ""),
    );
  }
  const zots = variants.filter((v) => v.kind === "zot");
  const outputs = zots.map((v) => warm.get(v)!.stdout ?? new Uint8Array(0));
  for (const v of variants.filter((x) => x.sameAs)) {
    const other = variants.find((x) => x.name === v.sameAs);
    if (!other) continue;
    check(
      equalBytes(
        warm.get(v)!.stdout ?? new Uint8Array(),
        warm.get(other)!.stdout ?? new Uint8Array(),
      ),
      `${v.name}: the same output as ${other.name}`,
    );
  }
  if (zots.length === 0) {
    // --search-only: no ls, cost or naive runs to hold each other to.
    console.log(ok ? "\nAll checks passed." : "\nSOME CHECKS FAILED.");
    return ok;
  }
  check(
    outputs.every((o) => equalBytes(o, outputs[0])),
    `zot-sessions JSON output byte-identical across ${zots.length} variants ` +
      `(${fmtBytes(outputs[0].length)})`,
  );
  const costs = variants.filter((v) => v.kind === "cost");
  const costOutputs = costs.map((v) => warm.get(v)!.stdout ?? new Uint8Array(0));
  check(
    costOutputs.every((o) => equalBytes(o, costOutputs[0])),
    `cost --json output byte-identical across ${costs.length} variants`,
  );
  const appends = variants.filter((v) => v.kind === "append");
  if (appends.length) {
    const o = appends.map((v) => warm.get(v)!.stdout ?? new Uint8Array(0));
    check(
      o.every((x) => equalBytes(x, o[0])),
      `cost after an append: output byte-identical with and without the index`,
    );
  }
  // The index's runs warn as the files' do (a damaged line), and of nothing
  // else; damage warned about before is one summary line (issue 22, item 6:
  // the index remembers it, the files' runs cannot).
  const damageOnce = (text: string) =>
    text.split("\n").map((l) =>
      /^zot-sessions: warning: \d+ (?:more )?sessions? ha(?:s|ve) damaged lines /.test(l)
        ? "zot-sessions: warning: (damage)"
        : /^zot-sessions: warning: Cannot read (?:line \d+|\d+ lines) of .*; skipped/.test(l)
        ? "zot-sessions: warning: (damage)"
        : l
    ).join("\n");
  for (const v of variants.filter((v) => v.index && v.kind !== "search")) {
    const reference = variants.find((x) => x.kind === v.kind && !x.index) ?? appends[1];
    const want = damageOnce(withoutStats(warm.get(reference)!.stderr));
    const said = [warm.get(v)!, ...timed.get(v)!].map((r) => damageOnce(withoutStats(r.stderr)))
      .find((e) => e !== want);
    check(
      said === undefined,
      `${v.name}: the same warnings as ${reference.name}` +
        (said === undefined ? "" : ` (got: ${said.trim().split("\n")[0]})`),
    );
  }
  const warnings = warm.get(zots[0])!.stderr.trim();
  if (warnings) {
    const n = warnings.split("\n").length;
    console.log(`       zot-sessions warned ${n}×, e.g.: ${warnings.split("\n")[0]}`);
  }
  let sessions: { messages: number }[] = [];
  try {
    sessions = JSON.parse(new TextDecoder().decode(outputs[0]));
  } catch {
    check(false, "zot-sessions output is valid JSON");
  }
  const zotMessages = sessions.reduce((n, s) => n + s.messages, 0);
  check(sessions.length === files, `zot-sessions lists ${sessions.length} of ${files} files`);
  const naiveVariant = variants.find((v) => v.kind === "naive")!;
  let naive: NaiveCounts | null = null;
  try {
    naive = JSON.parse(new TextDecoder().decode(warm.get(naiveVariant)!.stdout!));
  } catch {
    check(false, "naive reader output is valid JSON");
  }
  check(
    naive !== null && zotMessages === naive.messages,
    `message total: zot-sessions ${zotMessages}, naive JSON.parse ${naive?.messages}`,
  );
  check(
    naive !== null && naive.messages === stats.messages,
    `naive count ${naive?.messages} equals the generator's ${stats.messages}`,
  );
  const wc = variants.find((v) => v.command === "wc")!;
  // "N path" per file, then "N total" when there is more than one file.
  const wcLines = new TextDecoder().decode(warm.get(wc)!.stdout!).trim().split("\n");
  const wcTotal = Number(/^\s*(\d+)/.exec(wcLines[wcLines.length - 1])?.[1] ?? NaN);
  const newlines = stats.lines - stats.truncatedSessions;
  check(wcTotal === newlines, `wc -l total ${wcTotal} equals the generator's ${newlines} newlines`);
  console.log(ok ? "\nAll checks passed." : "\nSOME CHECKS FAILED.");
  return ok;
}

/** A run's stderr without the lines of ZOT_SESSIONS_STATS (bytes read, and checked as JSON). */
function withoutStats(stderr: string): string {
  return stderr.replace(/^zot-sessions: (read|checked) \d+ bytes.*\n/gm, "");
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

if (import.meta.main) {
  try {
    process.exitCode = await main();
  } catch (err) {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  }
}
