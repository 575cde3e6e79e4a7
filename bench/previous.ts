/**
 * The benchmark's baseline commit (issue 20): the binary built from another
 * commit (by default the previous one, `HEAD~1`), run in the same rounds as
 * this one, so that a change is measured against what it changed under the
 * same load; and the cold rows of issue 20's table (`ls --all --no-index`,
 * `cost --all --by day --no-index`, the first run with an empty cache) with
 * their ratios to `cat` and to the baseline, and their goals.
 *
 * The baseline's sources are taken with `git archive` into
 * `<corpus>/baseline/<commit>/` (its `node_modules` a link to this
 * repository's) and compiled as `npm run build` compiles; a binary already
 * there is reused.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { access, mkdir, readFile, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult, Variant } from "./bench.ts";

const MiB = 1024 * 1024;

/** Resolves `ref` to a full commit id, or null if git does not know it. */
export async function resolveCommit(root: string, ref: string): Promise<string | null> {
  const r = await run("git", ["-C", root, "rev-parse", "--verify", `${ref}^{commit}`], root);
  return r.code === 0 ? r.out.trim() : null;
}

/**
 * The binary of `commit`, built under `dir` if not there yet. Throws if the
 * sources cannot be taken or do not compile.
 */
export async function baselineBinary(
  root: string,
  commit: string,
  dir: string,
  bun: string,
  log: (m: string) => void,
): Promise<string> {
  const src = join(dir, "baseline", commit.slice(0, 12));
  const binary = join(src, "zot-sessions");
  if (await exists(binary)) return binary;
  log(`Building the baseline ${commit.slice(0, 12)} into ${src}…`);
  await rm(src, { recursive: true, force: true });
  await mkdir(src, { recursive: true });
  const archive = await run(
    "sh",
    ["-c", `git -C "${root}" archive "${commit}" | tar -x -C "${src}"`],
    root,
  );
  if (archive.code !== 0) throw new Error(`git archive ${commit}: ${archive.err.trim()}`);
  await symlink(join(root, "node_modules"), join(src, "node_modules"));
  // As npm run build compiles at the baseline (its package.json says how).
  const flags = await execArgv(src);
  const build = await run(bun, [
    "build",
    "--compile",
    "--bytecode",
    "--format=esm",
    `--compile-exec-argv=${flags}`,
    "--minify",
    "main.ts",
    "--outfile",
    binary,
  ], src);
  if (build.code !== 0) throw new Error(`building ${commit}: ${build.err.trim()}`);
  return binary;
}

/**
 * The median wall time (s) and the peak RSS (bytes) of the timed runs of
 * the variant named or labelled `label`, or null when there is none.
 */
export function figureOf(
  variants: Variant[],
  timed: Map<Variant, RunResult[]>,
  label: string,
): { s: number; rss: number | null } | null {
  const v = variants.find((x) => x.name === label || x.index === label);
  if (!v) return null;
  const runs = timed.get(v)!;
  const ms = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const m = ms.length >> 1;
  const rss = runs.map((r) => r.rssKiB).filter((x): x is number => x !== null);
  return {
    s: (ms.length % 2 ? ms[m] : (ms[m - 1] + ms[m]) / 2) / 1000,
    rss: rss.length ? Math.max(...rss) * 1024 : null,
  };
}

/** The rows of issue 20's cold table, from the medians of the timed runs. */
export function printColdGoals(
  variants: Variant[],
  timed: Map<Variant, RunResult[]>,
  baseline: string | null,
): void {
  const median = (label: string) => figureOf(variants, timed, label);
  const cat = median("cat > /dev/null")!;
  const rows: string[][] = [];
  const cases: [string, string, string, number, number][] = [
    ["ls --all --no-index", "zot-sessions (compiled)", "ls --no-index (baseline)", 2, 100],
    [
      "cost --all --by day --no-index",
      "cost --by day (compiled)",
      "cost --no-index (baseline)",
      2,
      100,
    ],
    ["first run, empty cache (ls --all)", "cold ls", "ls cold (baseline)", 2.5, 100],
    ["warm ls --all --json", "warm ls", "ls warm (baseline)", 0.1, 80],
    ["warm cost --all --by day --json", "warm cost", "cost warm (baseline)", 0.1, 80],
  ];
  for (const [what, label, prevLabel, goal, rssGoal] of cases) {
    const f = median(label);
    if (!f) continue;
    const prev = median(prevLabel);
    const ratio = f.s / cat.s;
    const rssOk = f.rss !== null && f.rss <= rssGoal * MiB;
    rows.push([
      what,
      `${f.s.toFixed(3)} s = ${ratio.toFixed(2)}× cat`,
      prev ? `${prev.s.toFixed(3)} s = ${(prev.s / cat.s).toFixed(2)}× cat` : "-",
      prev ? `${(f.s / prev.s).toFixed(2)}×` : "-",
      f.rss === null ? "?" : `${(f.rss / MiB).toFixed(1)} MiB`,
      prev?.rss ? `${(prev.rss / MiB).toFixed(1)} MiB` : "-",
      `≤ ${goal}× cat, ≤ ${rssGoal} MiB`,
      ratio <= goal && rssOk ? "met" : "MISSED",
    ]);
  }
  const head = [
    "work",
    "now",
    `baseline${baseline ? ` ${baseline.slice(0, 7)}` : ""}`,
    "now/baseline",
    "peak RSS",
    "baseline RSS",
    "goal",
    "",
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => "  " + r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  console.log(
    `\nCold and warm runs (issue 20), from the medians above (cat: ${cat.s.toFixed(3)} s):`,
  );
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

/** The runtime flags the baseline's `npm run build` compiles in (`--no-deprecation` if it names none). */
async function execArgv(src: string): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(join(src, "package.json"), "utf8"));
    const m = /--compile-exec-argv=(?:'([^']*)'|(\S+))/.exec(pkg.scripts?.build ?? "");
    return m?.[1] ?? m?.[2] ?? "--no-deprecation";
  } catch {
    return "--no-deprecation";
  }
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to the end and returns its exit code and output. */
function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (c: Uint8Array) => out.push(c));
    child.stderr?.on("data", (c: Uint8Array) => err.push(c));
    child.on("error", fail);
    child.on("close", (code: number | null) => {
      const text = (parts: Uint8Array[]) => parts.map((p) => new TextDecoder().decode(p)).join("");
      done({ code, out: text(out), err: text(err) });
    });
  });
}
