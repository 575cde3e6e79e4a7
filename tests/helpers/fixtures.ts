/**
 * Builders for zot-shaped lines and temporary homes, for tests. Lines are
 * written as zot's Go writer does: its key order, `<>&` escaped.
 *
 * @module
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectKey } from "../../lib/sessions/home.ts";
import { goJSON } from "../../scripts/make-example-home.ts";

/** JSON as Go's encoding/json writes it: `<`, `>`, `&` escaped. */
export const goJson = goJSON;

/** Fields of a meta line. */
export interface MetaFields {
  id: string;
  cwd: string;
  model?: string;
  provider?: string;
  started?: string;
  version?: string;
  title?: string;
  parent?: string;
  fork_point?: number;
}

/** A `meta` line. */
export function metaLine(m: MetaFields): string {
  const meta: Record<string, unknown> = {
    id: m.id,
    cwd: m.cwd,
    model: m.model ?? "claude-sonnet-4-5",
    provider: m.provider ?? "anthropic",
    started: m.started ?? "2026-09-22T12:05:09.776051448Z",
    version: m.version ?? "0.1.58",
  };
  if (m.title) meta.title = m.title;
  if (m.parent) meta.parent = m.parent;
  if (m.fork_point) meta.fork_point = m.fork_point;
  return goJson({ type: "meta", meta });
}

/** A `message` line with text blocks (or the given raw blocks). */
export function messageLine(
  role: string,
  content: string | unknown[] | null,
  time = "2026-09-22T14:05:30.382143679+02:00",
  meta?: Record<string, string>,
): string {
  const blocks = typeof content === "string" ? [{ text: content }] : content;
  const message: Record<string, unknown> = { role, content: blocks, time };
  if (meta) message.meta = meta;
  return goJson({ type: "message", message });
}

/** Counters of a usage row, in zot's field names. */
export interface ZotUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
}

/** A usage row from partial counters (missing ones are 0). */
export function usageOf(u: Partial<ZotUsage>): ZotUsage {
  return {
    input_tokens: u.input_tokens ?? 0,
    output_tokens: u.output_tokens ?? 0,
    cache_read_tokens: u.cache_read_tokens ?? 0,
    cache_write_tokens: u.cache_write_tokens ?? 0,
    cost_usd: u.cost_usd ?? 0,
  };
}

/** A `usage` line; as zot writes it, `usage` repeats `cumulative` by default. */
export function usageLine(cumulative: Partial<ZotUsage>, usage?: Partial<ZotUsage>): string {
  return goJson({
    type: "usage",
    usage: usageOf(usage ?? cumulative),
    cumulative: usageOf(cumulative),
  });
}

/**
 * A session's turns, a minute apart from `start` (an ISO time to the second,
 * in UTC): for each cumulative usage n (from 1), the prompt `q<n>`, the usage
 * line, and the reply `a<n>` 10 s after the prompt.
 */
export function turns(start: string, cumulative: readonly Partial<ZotUsage>[]): string[] {
  const at = (ms: number) => new Date(Date.parse(start) + ms).toISOString().replace(".000Z", "Z");
  return cumulative.flatMap((u, i) => [
    messageLine("user", `q${i + 1}`, at(i * 60_000)),
    usageLine(u),
    messageLine("assistant", `a${i + 1}`, at(i * 60_000 + 10_000)),
  ]);
}

/**
 * Three turns' cumulative usage with realistic float costs, as zot records
 * them: $0.017244, $0.041298000000000004, $0.1037391.
 */
export const REALISTIC_USAGE: readonly Partial<ZotUsage>[] = [
  { input_tokens: 4210, output_tokens: 312, cost_usd: 0.017244 },
  {
    input_tokens: 9870,
    output_tokens: 901,
    cache_read_tokens: 4096,
    cost_usd: 0.041298000000000004,
  },
  {
    input_tokens: 21003,
    output_tokens: 2544,
    cache_read_tokens: 12288,
    cache_write_tokens: 777,
    cost_usd: 0.1037391,
  },
];

/** A `rename` line (keys sorted, as zot writes it). */
export function renameLine(title: string): string {
  return goJson({ title, type: "rename" });
}

/** A session file to put in a temporary home. */
export interface FixtureSession {
  cwd: string;
  /** File name, e.g. `20260922-120509-0e19291e.jsonl`. */
  name: string;
  lines: string[] | string;
  /** Modification time (ms since epoch). */
  mtimeMs: number;
}

/**
 * Creates a temporary home holding `sessions`; returns its path and a cleanup.
 *
 * @example
 * await using h = await tempHome([{ cwd: "/p", name: "x.jsonl", lines: [...], mtimeMs: 0 }]);
 */
export async function tempHome(
  sessions: FixtureSession[],
): Promise<{ home: string; path(s: FixtureSession): string; cleanup(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), "zot-home-"));
  const path = (s: FixtureSession) => join(home, "sessions", projectKey(s.cwd), s.name);
  for (const s of sessions) {
    await mkdir(join(home, "sessions", projectKey(s.cwd)), { recursive: true });
    const text = typeof s.lines === "string" ? s.lines : s.lines.map((l) => l + "\n").join("");
    await writeFile(path(s), text);
    await utimes(path(s), s.mtimeMs / 1000, s.mtimeMs / 1000);
  }
  return { home, path, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** A temporary home, and where a session of it is. */
export interface Home {
  home: string;
  path(s: FixtureSession): string;
}

/** Runs `fn` on temporary homes holding these sessions (a list a home), removed after. */
export async function withHomes<T>(
  homes: FixtureSession[][],
  fn: (...h: Home[]) => T | Promise<T>,
): Promise<T> {
  const made = await Promise.all(homes.map((s) => tempHome(s)));
  try {
    return await fn(...made);
  } finally {
    await Promise.all(made.map((h) => h.cleanup()));
  }
}

/** A minimal valid session: meta, a prompt, a usage row, a reply. */
export function simpleSession(id: string, cwd: string, prompt: string, cost = 0.01): string[] {
  return [
    metaLine({ id, cwd }),
    messageLine("user", prompt),
    usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: cost }),
    messageLine("assistant", "ok"),
  ];
}
