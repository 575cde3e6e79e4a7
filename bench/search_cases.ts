/**
 * The benchmark's search cases (issue 20's search rows), run in the same
 * rounds as every other command:
 *
 * - the first search: a rare phrase with an empty cache, so the text index
 *   is built from nothing; then the cache's size against the session bytes;
 * - warm: the rare phrase, two common words with `-n 20`, and every hit of
 *   the two common words as `--json` (which must equal `--no-index`'s);
 * - the same from the baseline commit's binary, when there is one.
 *
 * `printSearchGoals` then prints each row next to `cat` of the same bytes and
 * to the baseline, with peak RSS and the goal.
 *
 * @module
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult, Variant } from "./bench.ts";
import { runQuiet } from "./index_cases.ts";
import { figureOf } from "./previous.ts";

const MiB = 1024 * 1024;

/**
 * A phrase of one of the corpus's twelve first prompts (bench/corpus.ts has
 * no rarer text outside tool output): about one session in twelve holds it.
 */
export const RARE = "terraform state bucket";
/** Two of the corpus's commonest words. */
export const COMMON = ["retry", "shard"];

/** What the search cases run and on what. */
export interface SearchSetup {
  command: string;
  prefix: string[];
  home: string;
  /** Where the cases' cache directories go. */
  dir: string;
  /** The baseline commit's binary, if any. */
  previous: string | null;
  log(message: string): void;
}

/** The cases; `cacheBytes` is the first search's cache, measured after its last run. */
export interface SearchCases {
  variants: Variant[];
  /** Fills the warm caches; run before the warm-up. */
  prepare(): Promise<void>;
  /** Brings the warm caches up to date (untimed), after files changed. */
  refresh(): Promise<void>;
  cacheBytes(which: "this" | "baseline"): number | null;
}

/** The search cases for `s`. */
export function searchCases(s: SearchSetup): SearchCases {
  const sizes = new Map<string, number>();
  const rows = (label: string, command: string, prefix: string[], suffix: string) => {
    const warm = join(s.dir, `search-warm${suffix}`);
    const cold = join(s.dir, `search-cold${suffix}`);
    const base = ["search", "--all", "--home", s.home];
    const v = (name: string, args: string[], cache: string, o: Partial<Variant> = {}): Variant => ({
      name: `${name}${label}`,
      kind: "search",
      command,
      args: [...prefix, ...base, ...args],
      env: { ZOT_SESSIONS_CACHE: cache },
      ...o,
    });
    return {
      warm,
      variants: [
        v("search first (empty cache)", [RARE], cold, {
          index: `first search${label}`,
          before: () => rm(cold, { recursive: true, force: true }),
          after: async () => {
            sizes.set(suffix, await treeBytes(cold));
          },
        }),
        v("search rare phrase (warm)", [RARE], warm, { index: `rare search${label}` }),
        v("search two common words -n 20 (warm)", [...COMMON, "-n", "20"], warm, {
          index: `common search${label}`,
        }),
        v("search two common words --json (warm)", [...COMMON, "--json"], warm, {
          index: `all hits${label}`,
        }),
      ],
    };
  };
  const mine = rows("", s.command, s.prefix, "");
  const theirs = s.previous ? rows(" (baseline)", s.previous, [], "-baseline") : null;
  const exact: Variant = {
    name: "search two common words --json --no-index",
    kind: "search",
    command: s.command,
    args: [...s.prefix, "search", "--all", "--home", s.home, ...COMMON, "--json", "--no-index"],
    sameAs: "search two common words --json (warm)",
  };
  const warmCaches = () =>
    [
      [s.command, s.prefix, mine.warm],
      ...(theirs && s.previous ? [[s.previous, [], theirs.warm] as const] : []),
    ] as const;
  return {
    variants: [...mine.variants, exact, ...(theirs?.variants ?? [])],
    async prepare() {
      for (const [command, prefix, warm] of warmCaches()) {
        await rm(warm, { recursive: true, force: true });
        s.log(`Filling the search index (${warm})…`);
        const t = performance.now();
        await runQuiet(command, [...prefix, "search", "--all", "--home", s.home, RARE], warm);
        s.log(`  the first search took ${((performance.now() - t) / 1000).toFixed(2)} s`);
      }
    },
    async refresh() {
      for (const [command, prefix, warm] of warmCaches()) {
        await runQuiet(command, [...prefix, "search", "--all", "--home", s.home, RARE], warm);
      }
    },
    cacheBytes: (which) => sizes.get(which === "this" ? "" : "-baseline") ?? null,
  };
}

/** Prints issue 20's search rows: each next to cat and to the baseline. */
export function printSearchGoals(
  variants: Variant[],
  timed: Map<Variant, RunResult[]>,
  sessionBytes: number,
  cases: SearchCases,
): void {
  const figure = (label: string) => figureOf(variants, timed, label);
  const cat = figure("cat > /dev/null");
  if (!cat) return;
  const goals: [string, string, number, number | null][] = [
    ["first search (text index from nothing)", "first search", 3, null],
    ["warm search, a rare phrase", "rare search", 0.05, null],
    ["warm search, two common words, -n 20", "common search", 0.1, 100],
    ["search --json, every hit of two common words", "all hits", 1, 100],
  ];
  const rows: string[][] = [];
  for (const [what, label, goal, rssGoal] of goals) {
    const f = figure(label);
    if (!f) continue;
    const prev = figure(`${label} (baseline)`);
    const ratio = f.s / cat.s;
    const rssOk = rssGoal === null || (f.rss !== null && f.rss <= rssGoal * MiB);
    rows.push([
      what,
      `${f.s.toFixed(3)} s = ${ratio.toFixed(2)}× cat`,
      prev ? `${prev.s.toFixed(3)} s = ${(prev.s / cat.s).toFixed(2)}×` : "-",
      prev ? `${(f.s / prev.s).toFixed(2)}×` : "-",
      f.rss === null ? "?" : `${(f.rss / MiB).toFixed(1)} MiB`,
      `≤ ${goal}× cat${rssGoal === null ? "" : `, ≤ ${rssGoal} MiB`}`,
      ratio <= goal && rssOk ? "met" : "MISSED",
    ]);
  }
  const cache = cases.cacheBytes("this");
  const prevCache = cases.cacheBytes("baseline");
  if (cache !== null) {
    const share = cache / sessionBytes;
    rows.push([
      "the first search's cache",
      `${(cache / MiB).toFixed(1)} MiB = ${(share * 100).toFixed(1)}% of the bytes`,
      prevCache === null ? "-" : `${(prevCache / MiB).toFixed(1)} MiB`,
      prevCache === null ? "-" : `${(cache / prevCache).toFixed(2)}×`,
      "",
      "≤ 5%",
      share <= 0.05 ? "met" : "MISSED",
    ]);
  }
  console.log("\nIssue 20, search (median wall time; peak RSS over the timed runs):");
  const head = ["work", "now", "baseline", "now/baseline", "peak RSS", "goal", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => "  " + r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

/** Bytes of the files under `dir`. */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
  }
  return total;
}
