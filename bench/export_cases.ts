/**
 * The benchmark's `export --html` case (issue 24): over the status home
 * ({@linkcode STATUS_SESSIONS} small sessions, bench/status_cases.ts), warm
 * index, a first export (the site removed before each run), a re-export
 * (nothing changed), and `ls --all --json` on the same home: export's own
 * share of the peak resident set is its peak minus `ls`'s, the listing
 * both read.
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

/** The case's variants (in this order in each round: the re-export follows the first), and how to prepare them. */
export function exportCases(s: {
  binary: string;
  home: string;
  dir: string;
}): { variants: Variant[]; prepare(): Promise<void> } {
  const warm = join(s.dir, "index-export");
  const site = join(s.dir, "export-site");
  const env = { ZOT_SESSIONS_CACHE: warm, ZOT_SESSIONS_NOW: STATUS_NOW };
  const run = (name: string, args: string[], before?: () => Promise<void>): Variant => ({
    name: `${name} (${STATUS_SESSIONS} sess.)`,
    kind: "export",
    command: s.binary,
    args: [...args, "--all", "--home", s.home],
    env,
    before,
  });
  const exportArgs = ["export", "--html", site, "-q"];
  return {
    variants: [
      run("ls --all --json warm", ["ls", "--json"]),
      run("export --html, first", exportArgs, () => rm(site, { recursive: true, force: true })),
      run("export --html, again", exportArgs),
    ],
    async prepare() {
      await rm(warm, { recursive: true, force: true });
      await runQuiet(s.binary, ["index", "--home", s.home, "--quiet"], warm);
    },
  };
}

/** Each row's median time and largest peak RSS, and export's share over `ls`'s. */
export function printExportRows(variants: Variant[], timed: Map<Variant, RunResult[]>): void {
  const rss = (v: Variant) => Math.max(...timed.get(v)!.map((r) => r.rssKiB ?? 0)) / 1024;
  console.log(`\nexport --html (issue 24), median wall time and peak RSS:`);
  for (const v of variants) {
    const ms = timed.get(v)!.map((r) => r.wallMs).sort((a, b) => a - b);
    const share = v === variants[0] ? "" : `  (+${(rss(v) - rss(variants[0])).toFixed(1)} MiB)`;
    const median = ms[ms.length >> 1] / 1000;
    console.log(`  ${v.name.padEnd(44)} ${median.toFixed(3)} s  ${rss(v).toFixed(1)} MiB${share}`);
  }
}
