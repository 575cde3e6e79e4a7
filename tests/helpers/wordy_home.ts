/**
 * A generated home of many sessions full of words, from a seed: for the
 * index's fault and stress tests, where the cache must outgrow a small disk
 * and many runs must have something to search and cost. Everything comes
 * from the seed (text, sizes, times), so a failing seed can be run again.
 *
 * @module
 */
import { appendFile, mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { projectKey } from "../../lib/sessions/home.ts";
import { messageLine, metaLine, usageLine, type ZotUsage } from "./fixtures.ts";

/** A seeded generator of numbers in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "index",
  "search",
  "cart",
  "button",
  "ledger",
  "transfer",
  "retry",
  "timeout",
  "pytest",
  "deploy",
  "cache",
  "token",
];

/** Text of `n` words: common ones, and made-up ones (many distinct trigrams). */
export function words(rand: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (rand() < 0.5) out.push(WORDS[Math.floor(rand() * WORDS.length)]);
    else {
      let w = "";
      for (let k = 3 + Math.floor(rand() * 6); k > 0; k--) {
        w += String.fromCharCode(97 + Math.floor(rand() * 26));
      }
      out.push(w);
    }
  }
  return out.join(" ");
}

/** A home written by {@linkcode writeWordyHome}. */
export interface WordyHome {
  home: string;
  /** The session files, in the order written. */
  paths: string[];
}

/**
 * Writes `sessions` sessions of `turns` turns each (a prompt, a usage row,
 * a reply with a tool call, a tool result) under `home`, in three projects,
 * dated before `nowMs`.
 */
export async function writeWordyHome(
  home: string,
  o: { seed: number; sessions: number; turns: number; nowMs: number },
): Promise<WordyHome> {
  const rand = seeded(o.seed);
  const paths: string[] = [];
  for (let s = 0; s < o.sessions; s++) {
    const cwd = `/home/dev/project-${s % 3}`;
    const hex = (s + 1).toString(16).padStart(8, "0");
    const id = `${hex}-1111-4222-8333-${String(o.seed).padStart(12, "0").slice(-12)}`;
    const t = o.nowMs - (o.sessions - s) * 3_600_000;
    const stamp = new Date(t).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    const dir = join(home, "sessions", projectKey(cwd));
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${stamp}-${hex}.jsonl`);
    const lines = [metaLine({ id, cwd, title: words(rand, 3) })];
    const totals = zeroUsage();
    for (let turn = 0; turn < o.turns; turn++) lines.push(...turnLines(rand, totals, t));
    await writeFile(path, lines.map((l) => l + "\n").join(""));
    await utimes(path, t / 1000, t / 1000);
    paths.push(path);
  }
  return { home, paths };
}

function zeroUsage(): ZotUsage {
  return {
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
  };
}

/** One turn's lines, its usage going on from `totals` (updated). */
function turnLines(rand: () => number, totals: ZotUsage, t: number): string[] {
  const time = new Date(t).toISOString();
  totals.input_tokens += 100 + Math.floor(rand() * 900);
  totals.output_tokens += 10 + Math.floor(rand() * 90);
  totals.cost_usd = Math.round((totals.cost_usd + rand() / 50) * 1e6) / 1e6;
  return [
    messageLine("user", words(rand, 20), time),
    usageLine({ ...totals }),
    messageLine("assistant", [
      { text: words(rand, 30) },
      { id: "call_1", name: "bash", arguments: { command: words(rand, 4) } },
    ], time),
    messageLine("tool", [
      { call_id: "call_1", content: [{ text: words(rand, 60) }], is_error: false },
    ], time),
  ];
}

/** Appends one turn to a session as zot would (its usage going on from the file's last). */
export async function appendTurn(path: string, rand: () => number, t: number): Promise<void> {
  const totals = zeroUsage();
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    if (!line.startsWith('{"type":"usage"')) continue;
    Object.assign(totals, JSON.parse(line).cumulative);
  }
  await appendFile(path, turnLines(rand, totals, t).map((l) => l + "\n").join(""));
}
