/**
 * The benchmark's index cases (issue 10): warm and cold `ls --all --json` and
 * `cost --all --by day --json`, and `cost` after zot appended a few MB to 20
 * sessions, each next to `cat` of the same bytes and to the same command with
 * `--no-index`, with peak RSS and the bytes of session files read
 * (`ZOT_SESSIONS_STATS=1`); then the goals, met or missed.
 *
 * - warm: an index filled once (`zot-sessions index`) before the warm-up;
 * - cold: the cache directory removed before every run;
 * - append: before every run (untimed) the index is brought up to date and
 *   ~`APPEND_BYTES` of zot lines (messages and their usage rows, running
 *   totals going on from the file's) are appended to 20 sessions spread over
 *   the corpus; after it, the files are cut back and their mtimes restored,
 *   so that every other case sees the corpus as generated.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { appendFile, open, rm, stat, truncate, utimes } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import type { RunResult, Variant } from "./bench.ts";

/** Bytes appended per run of the append case, over {@linkcode APPEND_FILES} files. */
export const APPEND_BYTES = 4_000_000;
/** How many sessions the append case grows. */
export const APPEND_FILES = 20;

const KiB = 1024;
const MiB = 1024 * KiB;

/** What the index cases run and on what. */
export interface IndexSetup {
  /** The command and its leading arguments (the binary, or `bun main.ts`). */
  command: string;
  prefix: string[];
  home: string;
  /** Session files of the corpus, sorted. */
  files: string[];
  /** Where the cases' cache directories go. */
  dir: string;
  /** `ls --all --home … --json` and `cost --all --by day … --json`, without `--no-index`. */
  lsArgs: string[];
  costArgs: string[];
  log(message: string): void;
  /**
   * Run (untimed) after the append case put its files back: other warm
   * caches (search's) bring themselves up to date there too.
   */
  afterRestore?(): Promise<void>;
}

/** The cases, and what their goals are read from. */
export interface IndexCases {
  variants: Variant[];
  /** Fills the warm index; run before the warm-up. */
  prepare(): Promise<void>;
  /** Bytes appended before each append run. */
  appended(): number;
}

/** A file grown by the append case, and how to put it back. */
interface Grown {
  path: string;
  size: number;
  atime: Date;
  mtime: Date;
}

/** The index cases for `s`. */
export function indexCases(s: IndexSetup): IndexCases {
  const warm = join(s.dir, "index-warm");
  const cold = join(s.dir, "index-cold");
  const grow = join(s.dir, "index-append");
  const env = (cache: string) => ({ ZOT_SESSIONS_CACHE: cache, ZOT_SESSIONS_STATS: "1" });
  const removeCold = () => rm(cold, { recursive: true, force: true });
  let targets: string[] = [];
  let grown: Grown[] = [];
  let appendedBytes = 0;
  const append = async () => {
    if (targets.length === 0) targets = await pickTargets(s.files);
    grown = [];
    appendedBytes = 0;
    for (const [i, path] of targets.entries()) {
      const st = await stat(path);
      grown.push({ path, size: st.size, atime: st.atime, mtime: st.mtime });
      const text = await zotLines(path, Math.round(APPEND_BYTES / targets.length), i, st.mtimeMs);
      await appendFile(path, text);
      appendedBytes += Buffer.byteLength(text);
    }
  };
  const restore = async () => {
    for (const g of grown) {
      await truncate(g.path, g.size);
      await utimes(g.path, g.atime, g.mtime);
    }
    grown = [];
  };
  // Putting a grown file back changes its ctime: the warm index is brought
  // up to date after it (untimed), or the next round's warm runs would read
  // those files again (18 MB of 204 MB, seen as "warm ls reads 9%"); so are
  // the warm search caches (their rows of those 20 files were deleted and
  // written again inside the timed warm searches: 0.43 s of a 0.84 s
  // "warm" rare-phrase search).
  const restoreWarm = async () => {
    await restore();
    await update(warm);
    await s.afterRestore?.();
  };
  const update = (cache: string) =>
    runQuiet(s.command, [...s.prefix, "index", "--home", s.home, "--quiet"], cache);
  const v = (
    name: string,
    kind: Variant["kind"],
    args: string[],
    cache: string,
    o: Partial<Variant> = {},
  ): Variant => ({
    name,
    kind,
    command: s.command,
    args: [...s.prefix, ...args],
    env: env(cache),
    ...o,
  });
  return {
    variants: [
      v("ls warm (index)", "zot", s.lsArgs, warm, { index: "warm ls" }),
      v("cost --by day warm (index)", "cost", s.costArgs, warm, { index: "warm cost" }),
      v("ls cold (index)", "zot", s.lsArgs, cold, { index: "cold ls", before: removeCold }),
      v("cost --by day cold (index)", "cost", s.costArgs, cold, {
        index: "cold cost",
        before: removeCold,
      }),
      v(`cost after append (index)`, "append", s.costArgs, grow, {
        index: "append",
        before: async () => {
          await update(grow);
          await append();
        },
        after: restoreWarm,
      }),
      v(`cost after append (no index)`, "append", [...s.costArgs, "--no-index"], grow, {
        index: "append, no index",
        before: append,
        after: restoreWarm,
      }),
    ],
    async prepare() {
      for (const d of [warm, cold, grow]) await rm(d, { recursive: true, force: true });
      s.log(`Filling the warm index (${warm})…`);
      const t = performance.now();
      await update(warm);
      s.log(`  zot-sessions index took ${((performance.now() - t) / 1000).toFixed(2)} s`);
    },
    appended: () => appendedBytes,
  };
}

/** Runs a command to the end, its output ignored; throws if it fails. */
export async function runQuiet(command: string, args: string[], cache: string): Promise<void> {
  const child = spawn(command, args, {
    stdio: "ignore",
    env: { ...process.env, ZOT_SESSIONS_CACHE: cache },
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  if (code !== 0) throw new Error(`${command} ${args.join(" ")}: exit ${code}`);
}

/** 20 sessions spread evenly over the corpus, each ending in a newline (not cut by a crash). */
export async function pickTargets(files: string[]): Promise<string[]> {
  const whole: string[] = [];
  for (const path of files) {
    const f = await open(path, "r");
    try {
      const size = (await f.stat()).size;
      const last = new Uint8Array(1);
      if (size > 0) await f.read(last, 0, 1, size - 1);
      if (last[0] === 0x0a) whole.push(path);
    } finally {
      await f.close();
    }
  }
  const step = Math.max(1, Math.floor(whole.length / APPEND_FILES));
  const out: string[] = [];
  for (let i = 0; i < whole.length && out.length < APPEND_FILES; i += step) out.push(whole[i]);
  return out;
}

/** A few rounds of zot lines (a prompt, its usage row, a reply) of about `bytes`. */
export async function zotLines(
  path: string,
  bytes: number,
  seed: number,
  mtimeMs: number,
): Promise<string> {
  const totals = await lastTotals(path);
  const time = new Date(mtimeMs + 60_000).toISOString();
  let x = (seed + 1) * 2654435761;
  const word = () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return WORDS[x % WORDS.length];
  };
  const text = (n: number) => {
    const out: string[] = [];
    let length = 0;
    while (length < n) {
      const w = word();
      out.push(w);
      length += w.length + 1;
    }
    return out.join(" ");
  };
  const lines: string[] = [];
  let length = 0;
  while (length < bytes) {
    const prompt = text(8 * KiB);
    const reply = text(24 * KiB);
    totals.input_tokens += Math.round(prompt.length / 4);
    totals.output_tokens += Math.round(reply.length / 4);
    totals.cost_usd += (prompt.length * 3 + reply.length * 15) / 4e6;
    const usage = JSON.stringify(totals);
    lines.push(
      `{"type":"message","message":{"role":"user","content":[{"text":"${prompt}"}],"time":"${time}"}}`,
      `{"type":"usage","usage":${usage},"cumulative":${usage}}`,
      `{"type":"message","message":{"role":"assistant","content":[{"text":"${reply}"}],"time":"${time}"}}`,
    );
    length += prompt.length + reply.length + 2 * usage.length + 200;
  }
  return lines.join("\n") + "\n";
}

/** The running totals of a file's last usage row (read from its end). */
async function lastTotals(path: string): Promise<Record<string, number>> {
  const zero = {
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
  };
  const f = await open(path, "r");
  try {
    const size = (await f.stat()).size;
    for (let window = 256 * KiB;; window *= 4) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      await f.read(buf, 0, buf.length, start);
      const lines = buf.toString("utf8").split("\n");
      for (let i = lines.length - 1; i >= (start > 0 ? 1 : 0); i--) {
        if (!lines[i].startsWith('{"type":"usage"')) continue;
        try {
          return { ...zero, ...JSON.parse(lines[i]).cumulative };
        } catch {
          // a damaged row: look further back
        }
      }
      if (start === 0) return zero;
    }
  } finally {
    await f.close();
  }
}

const WORDS = (
  "the index keeps what every session held so that ls and cost read only what zot " +
  "appended since then func return error nil context value handler request response " +
  "ledger rounding banker tests commit branch merge rebase build deploy cache"
).split(" ");

// ---------------------------------------------------------------------------
// Goals.

/** The median of a case's timed runs, its peak RSS and bytes read. */
interface Figures {
  seconds: number;
  rssKiB: number | null;
  bytesRead: number | null;
}

function figures(runs: RunResult[]): Figures {
  const ms = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const m = ms.length >> 1;
  const rss = runs.map((r) => r.rssKiB).filter((x): x is number => x !== null);
  const read = runs.map((r) => r.bytesRead).filter((x): x is number => x !== null);
  return {
    seconds: (ms.length % 2 ? ms[m] : (ms[m - 1] + ms[m]) / 2) / 1000,
    rssKiB: rss.length ? Math.max(...rss) : null,
    bytesRead: read.length ? Math.max(...read) : null,
  };
}

function size(n: number): string {
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= KiB) return `${(n / KiB).toFixed(1)} KiB`;
  return `${n} B`;
}

/**
 * Prints the goals with this run's figures: warm ≤ ¼ of cat's time
 * and < 1% of the bytes read, RSS ≤ 80 MiB; cold ≤ 1.25× `--no-index`, RSS
 * ≤ 100 MiB; append reads ≤ the appended bytes + a few KiB per file (taken as
 * 16 KiB); `--no-index` RSS ≤ 100 MiB.
 */
export function printGoals(
  variants: Variant[],
  timed: Map<Variant, RunResult[]>,
  corpusBytes: number,
  appended: number,
): void {
  const by = (label: string) => {
    const v = variants.find((x) => x.index === label || x.name === label);
    return v ? figures(timed.get(v)!) : null;
  };
  const cat = by("cat > /dev/null")!;
  const lsNo = by("zot-sessions (compiled)") ?? by("zot-sessions (bun main.ts)");
  const costNo = by("cost --by day (compiled)") ?? by("cost --by day (bun main.ts)");
  const rows: [string, string, string, boolean | null][] = [];
  const rss = (f: Figures | null) => (f?.rssKiB ? size(f.rssKiB * KiB) : "?");
  const rssOk = (f: Figures | null, max: number) => (f?.rssKiB ? f.rssKiB * KiB <= max : null);
  for (const [label, name] of [["warm ls", "ls --all --json"], ["warm cost", "cost --by day"]]) {
    const f = by(label);
    if (!f) continue;
    const read = f.bytesRead ?? NaN;
    rows.push(
      [
        `warm ${name}: time`,
        `${f.seconds.toFixed(3)} s = ${(f.seconds / cat.seconds).toFixed(3)}× cat`,
        "≤ 0.25× cat",
        f.seconds <= cat.seconds / 4,
      ],
      [
        `warm ${name}: bytes read`,
        `${size(read)} = ${(100 * read / corpusBytes).toFixed(4)}%`,
        "< 1%",
        read < corpusBytes / 100,
      ],
      [`warm ${name}: peak RSS`, rss(f), "≤ 80 MiB", rssOk(f, 80 * MiB)],
    );
  }
  for (
    const [label, name, no] of [["cold ls", "ls --all --json", lsNo], [
      "cold cost",
      "cost --by day",
      costNo,
    ]] as const
  ) {
    const f = by(label);
    if (!f || !no) continue;
    rows.push(
      [
        `cold ${name}: time`,
        `${f.seconds.toFixed(3)} s = ${(f.seconds / no.seconds).toFixed(2)}× --no-index (${
          no.seconds.toFixed(3)
        } s)`,
        "≤ 1.25×",
        f.seconds <= 1.25 * no.seconds,
      ],
      [`cold ${name}: peak RSS`, rss(f), "≤ 100 MiB", rssOk(f, 100 * MiB)],
    );
  }
  const a = by("append");
  const aNo = by("append, no index");
  if (a && appended > 0) {
    const read = a.bytesRead ?? NaN;
    const extra = (read - appended) / APPEND_FILES;
    rows.push(
      [
        `append: bytes read`,
        `${size(read)} for ${size(appended)} appended (+${size(extra)} per file)`,
        "≤ appended + few KiB/file (16 KiB)",
        read <= appended + APPEND_FILES * 16 * KiB,
      ],
      [
        `append: time`,
        `${a.seconds.toFixed(3)} s; --no-index ${aNo ? aNo.seconds.toFixed(3) : "?"} s; cat ${
          cat.seconds.toFixed(3)
        } s`,
        "(no goal)",
        null,
      ],
      [`append: peak RSS`, rss(a), "≤ 80 MiB (warm)", rssOk(a, 80 * MiB)],
    );
  }
  for (const [name, f] of [["ls --no-index", lsNo], ["cost --no-index", costNo]] as const) {
    if (f) rows.push([`${name}: peak RSS`, rss(f), "≤ 100 MiB", rssOk(f, 100 * MiB)]);
  }
  console.log("\nIndex goals (issue 10), from the medians above:");
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  for (const [what, figure, goal, ok] of rows) {
    const verdict = ok === null ? "" : ok ? "met" : "MISSED";
    console.log(`  ${what.padEnd(w0)}  ${figure.padEnd(w1)}  ${goal.padEnd(w2)}  ${verdict}`);
  }
}
