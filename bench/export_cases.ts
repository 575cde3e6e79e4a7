/**
 * The benchmark's `export --html` case (issue 24): over two status homes
 * (small sessions, bench/status_cases.ts), {@linkcode STATUS_SESSIONS} and
 * four times as many, each with its warm index: a first export (the site
 * removed before each run), a re-export (nothing changed), and `ls --all
 * --json` on the same home. Export's own share of the peak resident set is
 * its peak minus `ls`'s (the listing both read); what it gains from one size
 * to the other, per 1,000 sessions, is how far it is from constant in the
 * number of sessions.
 *
 * Run it alone: `deno run -A bench/bench.ts --export-only`.
 *
 * @module
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult, Variant } from "./bench.ts";
import { runQuiet } from "./index_cases.ts";
import { STATUS_NOW, STATUS_SESSIONS } from "./status_cases.ts";

/** The sizes of the homes exported: the status home's, and four times as many. */
export const EXPORT_SIZES = [STATUS_SESSIONS, 4 * STATUS_SESSIONS];

/** The case's variants (per home, in this order: the re-export follows the first), and how to prepare them. */
export function exportCases(s: {
  binary: string;
  homes: { home: string; sessions: number }[];
  dir: string;
}): { variants: Variant[]; prepare(): Promise<void> } {
  const variants: Variant[] = [];
  const prepares: (() => Promise<void>)[] = [];
  for (const { home, sessions } of s.homes) {
    const warm = join(s.dir, `index-export-${sessions}`);
    const site = join(s.dir, `export-site-${sessions}`);
    const env = { ZOT_SESSIONS_CACHE: warm, ZOT_SESSIONS_NOW: STATUS_NOW };
    const run = (name: string, args: string[], before?: () => Promise<void>): Variant => ({
      name: `${name} (${sessions} sess.)`,
      kind: "export",
      command: s.binary,
      args: [...args, "--all", "--home", home],
      env,
      before,
    });
    const exportArgs = ["export", "--html", site, "-q"];
    variants.push(
      run("ls --all --json warm", ["ls", "--json"]),
      run("export --html, first", exportArgs, () => rm(site, { recursive: true, force: true })),
      run("export --html, again", exportArgs),
    );
    prepares.push(async () => {
      await rm(warm, { recursive: true, force: true });
      await runQuiet(s.binary, ["index", "--home", home, "--quiet"], warm);
    });
  }
  return {
    variants,
    async prepare() {
      for (const p of prepares) await p();
    },
  };
}

/**
 * Each row's median time and largest peak RSS, export's share over `ls`'s,
 * and what each row's peak gains per 1,000 sessions from the first home to
 * the second.
 */
export function printExportRows(variants: Variant[], timed: Map<Variant, RunResult[]>): void {
  const rss = (v: Variant) => Math.max(...timed.get(v)!.map((r) => r.rssKiB ?? 0)) / 1024;
  console.log(`\nexport --html (issue 24), median wall time and peak RSS:`);
  const per = 3;
  for (let i = 0; i < variants.length; i++) {
    const v = variants[i];
    const ls = variants[i - (i % per)];
    const ms = timed.get(v)!.map((r) => r.wallMs).sort((a, b) => a - b);
    const d = rss(v) - rss(ls);
    const share = v === ls ? "" : `  (${d >= 0 ? "+" : ""}${d.toFixed(1)} MiB)`;
    const median = ms[ms.length >> 1] / 1000;
    console.log(`  ${v.name.padEnd(44)} ${median.toFixed(3)} s  ${rss(v).toFixed(1)} MiB${share}`);
  }
  if (variants.length < 2 * per) return;
  const [a, b] = EXPORT_SIZES;
  console.log(`  peak RSS gained per 1,000 sessions more (${a} → ${b}):`);
  for (let i = 0; i < per; i++) {
    const gain = (rss(variants[per + i]) - rss(variants[i])) / ((b - a) / 1000);
    console.log(`    ${variants[i].name.replace(/ \(.*$/, "").padEnd(30)} ${gain.toFixed(2)} MiB`);
  }
}
