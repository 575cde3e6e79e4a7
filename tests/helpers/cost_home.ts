/**
 * The homes the `cost` tests run the CLI on (in process: runCli + memoryIO,
 * a fixed `now`), and what they compare its `--json` with. Every expected
 * number is written out by hand; the comments show the arithmetic. Nothing
 * expected is computed by the code under test.
 *
 * The main fixture (project A = /home/dev/alpha unless said otherwise):
 *
 * | session | what                                   | spend events (time UTC, model, Δ)                         |
 * | ------- | -------------------------------------- | --------------------------------------------------------- |
 * | S1      | plain, spans midnight, a repeated row  | 11-20 23:30 sonnet {100 in, 10 out} $0.25                  |
 * |         |                                        | 11-21 09:00 sonnet {200 in, 20 out, 1000 cache read} $0.50 |
 * | S2      | model switch, then an unpriced model   | 11-22 03:00 gpt-5/openai {1000, 100} $1.00                 |
 * |         |                                        | 11-22 10:00 local-llama/ollama {500, 50} $0 (unpriced 550) |
 * | S3      | fork of S1 at message 3 (a prompt)     | 11-21 09:00 sonnet {250, 30} $1.00 (recorded $1.50)        |
 * |         |                                        | 11-23 12:05 sonnet {50, 10} $0.25                          |
 * | S4      | fork of S3 at message 5 (fork of fork) | 11-23 12:05 sonnet {150, 20} $0.75 (recorded $2.00)        |
 * | S5      | no usage rows; the newest file         | none                                                      |
 * | S6      | project B                              | 11-24 10:00 sonnet {10, 5} $0.50                           |
 *
 * Project A: $0.75 + $1.00 + $1.25 + $0.75 = $3.75; input 300+1500+300+150 =
 * 2250; output 30+150+40+20 = 240; cache read 1000; unpriced 550; 4 sessions
 * with spend. All projects: + S6 = $4.25, input 2260, output 245, 5 sessions.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ReportRow } from "../../lib/cost/report.ts";
import { costJson as jsonDocument, type JsonRow } from "../../lib/render/cost.ts";
import {
  type FixtureSession,
  type Home,
  messageLine,
  metaLine,
  renameLine,
  usageLine,
} from "./fixtures.ts";
import { cliWith } from "./cli.ts";

/** The tests' now: Wednesday 2026-11-25, 12:00 UTC. */
export const NOW = Date.parse("2026-11-25T12:00:00Z");
export const A = "/home/dev/alpha";
export const B = '/home/dev/b,"q"'; // a comma and quotes: CSV must quote it

/** The fixture's session ids (S1…S6; S7, S8 for homes of their own). */
export const ID1 = "11111111-1111-4111-8111-111111111111";
export const ID2 = "22222222-2222-4222-8222-222222222222";
export const ID3 = "33333333-3333-4333-8333-333333333333";
export const ID4 = "44444444-4444-4444-8444-444444444444";
export const ID5 = "55555555-5555-4555-8555-555555555555";
export const ID6 = "66666666-6666-4666-8666-666666666666";
export const ID7 = "77777777-7777-4777-8777-777777777777";
export const ID8 = "88888888-8888-4888-8888-888888888888";
export const SONNET = "claude-sonnet-4-5";

/** A session file of the fixture: its name is made from its id. */
export function session(id: string, cwd: string, mtime: string, lines: string[]): FixtureSession {
  return {
    cwd,
    name: `20261120-230000-${id.slice(0, 8)}.jsonl`,
    lines,
    mtimeMs: Date.parse(mtime),
  };
}

/** S1: plain; its first spend is before UTC midnight, its second after. */
export const S1 = [
  metaLine({ id: ID1, cwd: A, started: "2026-11-20T23:00:00Z" }),
  messageLine("user", "q1", "2026-11-21T00:30:00+01:00"), // m1, 2026-11-20T23:30Z
  usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: 0.25 }),
  messageLine("assistant", "a1", "2026-11-21T00:31:00+01:00"), // m2
  messageLine("user", "q2", "2026-11-21T10:00:00+01:00"), // m3, 09:00Z
  usageLine({ input_tokens: 300, output_tokens: 30, cache_read_tokens: 1000, cost_usd: 0.75 }),
  messageLine("assistant", "a2", "2026-11-21T10:00:30+01:00"), // m4
  usageLine({ input_tokens: 300, output_tokens: 30, cache_read_tokens: 1000, cost_usd: 0.75 }),
];

/** S2: gpt-5, then a switch to a model zot has no price for. */
export const S2 = [
  metaLine({
    id: ID2,
    cwd: A,
    model: "gpt-5",
    provider: "openai",
    started: "2026-11-22T02:59:00Z",
  }),
  messageLine("user", "q1", "2026-11-22T03:00:00Z"),
  usageLine({ input_tokens: 1000, output_tokens: 100, cost_usd: 1 }),
  messageLine("assistant", "a1", "2026-11-22T03:00:20Z"),
  metaLine({ id: ID2, cwd: A, model: "local-llama", provider: "ollama" }),
  messageLine("user", "q2", "2026-11-22T10:00:00Z"),
  usageLine({ input_tokens: 1500, output_tokens: 150, cost_usd: 1 }),
  messageLine("assistant", "a2", "2026-11-22T10:00:20Z"),
];

/**
 * S3: fork of S1 at fork_point 3 (S1's prompt q2): copies m1…m3 and the usage
 * line between them. Last inherited: {100, 10, $0.25}.
 */
export const S3 = [
  metaLine({ id: ID3, cwd: A, started: "2026-11-23T11:59:00Z", parent: ID1, fork_point: 3 }),
  S1[1],
  S1[2],
  S1[3],
  S1[4],
  usageLine({ input_tokens: 350, output_tokens: 40, cost_usd: 1.25 }), // own: {250, 30, $1}
  messageLine("assistant", "fa4", "2026-11-23T12:00:00Z"), // m4
  messageLine("user", "fq5", "2026-11-23T12:05:00Z"), // m5
  usageLine({ input_tokens: 400, output_tokens: 50, cost_usd: 1.5 }), // own: {50, 10, $0.25}
  messageLine("assistant", "fa6", "2026-11-23T12:05:30Z"),
];

/** S4: fork of S3 at fork_point 5 (S3's prompt fq5). Last inherited {350, 40, $1.25}. */
export const S4 = [
  metaLine({ id: ID4, cwd: A, started: "2026-11-23T12:06:00Z", parent: ID3, fork_point: 5 }),
  ...S3.slice(1, 8),
  usageLine({ input_tokens: 500, output_tokens: 60, cost_usd: 2 }), // own: {150, 20, $0.75}
  messageLine("assistant", "ga6", "2026-11-23T12:07:00Z"),
];

/** S5: messages but no usage rows. */
export const S5 = [
  metaLine({ id: ID5, cwd: A, started: "2026-11-24T08:00:00Z" }),
  messageLine("user", "hi", "2026-11-24T08:00:00Z"),
  messageLine("assistant", "hello", "2026-11-24T08:00:05Z"),
  renameLine("free chat"),
];

/** S6: another project. */
export const S6 = [
  metaLine({ id: ID6, cwd: B, started: "2026-11-24T10:00:00Z" }),
  messageLine("user", "q", "2026-11-24T10:00:00Z"),
  usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: 0.5 }),
  messageLine("assistant", "a", "2026-11-24T10:00:10Z"),
];

/** The fixture's files: S1…S6 of the table, last written after their last line. */
export const f1 = () => session(ID1, A, "2026-11-21T09:01:00Z", S1);
export const f2 = () => session(ID2, A, "2026-11-22T10:01:00Z", S2);
export const f3 = () => session(ID3, A, "2026-11-23T12:06:00Z", S3);
export const f4 = () => session(ID4, A, "2026-11-23T12:07:30Z", S4);
export const f5 = () => session(ID5, A, "2026-11-24T08:00:10Z", S5);
export const f6 = () => session(ID6, B, "2026-11-24T10:01:00Z", S6);
export const MAIN = () => [f1(), f2(), f3(), f4(), f5(), f6()];

/**
 * A session across the end of October: three spends, at
 * E1 2026-10-31T23:30Z ($0.25, 10 in), E2 2026-11-01T03:30Z ($0.50, 20 in),
 * E3 2026-11-01T12:00Z ($1.00, 40 in). Berlin (CET): all on 1 November.
 * New York (EDT until 06:00Z on 1 November): E1, E2 on 31 October.
 */
export const MONTH_END = () => [
  session(ID7, A, "2026-11-01T12:01:00Z", [
    metaLine({ id: ID7, cwd: A, started: "2026-10-31T23:00:00Z" }),
    messageLine("user", "q1", "2026-10-31T23:30:00Z"),
    usageLine({ input_tokens: 10, cost_usd: 0.25 }),
    messageLine("assistant", "a1", "2026-10-31T23:30:10Z"),
    messageLine("user", "q2", "2026-11-01T03:30:00Z"),
    usageLine({ input_tokens: 30, cost_usd: 0.75 }),
    messageLine("assistant", "a2", "2026-11-01T03:30:10Z"),
    messageLine("user", "q3", "2026-11-01T12:00:00Z"),
    usageLine({ input_tokens: 70, cost_usd: 1.75 }),
    messageLine("assistant", "a3", "2026-11-01T12:00:10Z"),
  ]),
];

/** The CLI in process, at {@linkcode NOW}, from project A. */
export const cli = cliWith({ now: NOW, processCwd: A });

/** Project A of one home, days in UTC: `--home <home> --cwd A --tz UTC`, then `more`. */
export function inA(h: Home, ...more: string[]): string[] {
  return ["--home", h.home, "--cwd", A, "--tz", "UTC", ...more];
}

/** Every project of one home, days in UTC: `--home <home> --all --tz UTC`, then `more`. */
export function inAll(h: Home, ...more: string[]): string[] {
  return ["--home", h.home, "--all", "--tz", "UTC", ...more];
}

/** The sums of a total or a row in `--json`. */
export type Fields = Omit<ReportRow, "key" | "children">;
/** `cost --json`'s document. */
export type CostJson = ReturnType<typeof jsonDocument>;

/** Runs `cost … --json`, checks it succeeded quietly, and parses it. */
export async function costJson(args: string[], env?: Record<string, string>): Promise<CostJson> {
  const r = await cli(["cost", "--json", ...args], { env });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  return JSON.parse(r.out);
}

/** A fields object from a compact tuple: cost, in, out, cache read, cache write, unpriced, sessions. */
export function f(
  costUsd: number,
  inputTokens: number,
  outputTokens: number,
  cacheReadTokens: number,
  cacheWriteTokens: number,
  unpricedTokens: number,
  sessions: number,
): Fields {
  return {
    costUsd,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    unpricedTokens,
    sessions,
  };
}

/** A row of `--json`: key, sums, and any more fields. */
export const row = (key: string, fields: Fields, extra: Partial<JsonRow> = {}): JsonRow => ({
  key,
  ...fields,
  ...extra,
});

/** Session rows' descriptive fields (checked on their own): left out to compare sums. */
const INFO = ["title", "firstPrompt", "cwd", "started", "updated"] as const;

/** Rows with their session fields left out, children too. */
export function sums(rows: JsonRow[] | undefined): JsonRow[] | undefined {
  return rows?.map((r) => {
    const out: Record<string, unknown> = { ...r };
    for (const k of INFO) delete out[k];
    if (r.children) out.children = sums(r.children);
    return out as unknown as JsonRow;
  });
}

/** Rows without children, as [key, cost] pairs: for short checks. */
export const keyCost = (rows: JsonRow[]) => rows.map((r) => [r.key, r.costUsd]);

/** Project A's total, and every project's (see the table above). */
export const TOTAL_A = f(3.75, 2250, 240, 1000, 0, 550, 4);
export const TOTAL_ALL = f(4.25, 2260, 245, 1000, 0, 550, 5);

const NANOS = 1e9;
/** Dollars as whole nanodollars. */
export const nanos = (usd: number) => Math.round(usd * NANOS);
const TOKEN_FIELDS = [
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "unpricedTokens",
] as const;

/** Rows sum to `total` in cost (to the nanodollar) and every token field; children to their row. */
export function assertRowsSumTo(rows: JsonRow[], total: Fields, where = "rows") {
  let cost = 0;
  const tokens = [0, 0, 0, 0, 0];
  for (const r of rows) {
    cost += nanos(r.costUsd);
    TOKEN_FIELDS.forEach((k, i) => tokens[i] += r[k]);
    if (r.children) assertRowsSumTo(r.children, r, `${where} > ${r.key}`);
  }
  assert.equal(cost, nanos(total.costUsd), `${where}: cost`);
  assert.deepEqual(tokens, TOKEN_FIELDS.map((k) => total[k]), `${where}: tokens`);
  assert.equal((cost / NANOS).toFixed(2), total.costUsd.toFixed(2), `${where}: cents`);
}
