// deno-lint-ignore-file no-control-regex -- these tests look for escape codes on purpose
/**
 * Tests of `zot-sessions cost`, run in-process (runCli + memoryIO, a fixed
 * `now`) on temporary homes. Every expected number is written out by hand;
 * the comments show the arithmetic. Nothing expected is computed by the code
 * under test.
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
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { runCli } from "../../lib/cli/run.ts";
import { lastPeriods } from "../../lib/commands/cost.ts";
import type { GroupKey } from "../../lib/cost/report.ts";
import { dayKey, monthKey, weekKey } from "../../lib/base/periods.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { displayWidth } from "../../lib/render/width.ts";
import {
  type FixtureSession,
  messageLine,
  metaLine,
  renameLine,
  tempHome,
  usageLine,
} from "../helpers/fixtures.ts";
import { cliWith } from "../helpers/cli.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const A = "/home/dev/alpha";
const B = '/home/dev/b,"q"'; // a comma and quotes: CSV must quote it

const ID1 = "11111111-1111-4111-8111-111111111111";
const ID2 = "22222222-2222-4222-8222-222222222222";
const ID3 = "33333333-3333-4333-8333-333333333333";
const ID4 = "44444444-4444-4444-8444-444444444444";
const ID5 = "55555555-5555-4555-8555-555555555555";
const ID6 = "66666666-6666-4666-8666-666666666666";
const ID7 = "77777777-7777-4777-8777-777777777777";
const ID8 = "88888888-8888-4888-8888-888888888888";
const SONNET = "claude-sonnet-4-5";

function session(id: string, cwd: string, mtime: string, lines: string[]): FixtureSession {
  return {
    cwd,
    name: `20261120-230000-${id.slice(0, 8)}.jsonl`,
    lines,
    mtimeMs: Date.parse(mtime),
  };
}

// S1: plain; its first spend is before UTC midnight, its second after.
const S1 = [
  metaLine({ id: ID1, cwd: A, started: "2026-11-20T23:00:00Z" }),
  messageLine("user", "q1", "2026-11-21T00:30:00+01:00"), // m1, 2026-11-20T23:30Z
  usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: 0.25 }),
  messageLine("assistant", "a1", "2026-11-21T00:31:00+01:00"), // m2
  messageLine("user", "q2", "2026-11-21T10:00:00+01:00"), // m3, 09:00Z
  usageLine({ input_tokens: 300, output_tokens: 30, cache_read_tokens: 1000, cost_usd: 0.75 }),
  messageLine("assistant", "a2", "2026-11-21T10:00:30+01:00"), // m4
  usageLine({ input_tokens: 300, output_tokens: 30, cache_read_tokens: 1000, cost_usd: 0.75 }),
];

// S2: gpt-5, then a switch to a model zot has no price for.
const S2 = [
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

// S3: fork of S1 at fork_point 3 (S1's prompt q2): copies m1…m3 and the usage
// line between them. Last inherited: {100, 10, $0.25}.
const S3 = [
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

// S4: fork of S3 at fork_point 5 (S3's prompt fq5). Last inherited {350, 40, $1.25}.
const S4 = [
  metaLine({ id: ID4, cwd: A, started: "2026-11-23T12:06:00Z", parent: ID3, fork_point: 5 }),
  ...S3.slice(1, 8),
  usageLine({ input_tokens: 500, output_tokens: 60, cost_usd: 2 }), // own: {150, 20, $0.75}
  messageLine("assistant", "ga6", "2026-11-23T12:07:00Z"),
];

// S5: messages but no usage rows.
const S5 = [
  metaLine({ id: ID5, cwd: A, started: "2026-11-24T08:00:00Z" }),
  messageLine("user", "hi", "2026-11-24T08:00:00Z"),
  messageLine("assistant", "hello", "2026-11-24T08:00:05Z"),
  renameLine("free chat"),
];

// S6: another project.
const S6 = [
  metaLine({ id: ID6, cwd: B, started: "2026-11-24T10:00:00Z" }),
  messageLine("user", "q", "2026-11-24T10:00:00Z"),
  usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: 0.5 }),
  messageLine("assistant", "a", "2026-11-24T10:00:10Z"),
];

const f1 = () => session(ID1, A, "2026-11-21T09:01:00Z", S1);
const f2 = () => session(ID2, A, "2026-11-22T10:01:00Z", S2);
const f3 = () => session(ID3, A, "2026-11-23T12:06:00Z", S3);
const f4 = () => session(ID4, A, "2026-11-23T12:07:30Z", S4);
const f5 = () => session(ID5, A, "2026-11-24T08:00:10Z", S5);
const f6 = () => session(ID6, B, "2026-11-24T10:01:00Z", S6);
const MAIN = () => [f1(), f2(), f3(), f4(), f5(), f6()];

// A session across the end of October: three spends, at
// E1 2026-10-31T23:30Z ($0.25, 10 in), E2 2026-11-01T03:30Z ($0.50, 20 in),
// E3 2026-11-01T12:00Z ($1.00, 40 in). Berlin (CET): all on 1 November.
// New York (EDT until 06:00Z on 1 November): E1, E2 on 31 October.
const MONTH_END = () => [
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

// ---------------------------------------------------------------------------
// Running the CLI
// ---------------------------------------------------------------------------

interface Run {
  code: number;
  out: string;
  err: string;
}

const cli = cliWith({ now: NOW, processCwd: A });

interface Home {
  home: string;
  path(s: FixtureSession): string;
}

async function withHomes<T>(
  homes: FixtureSession[][],
  fn: (...h: Home[]) => Promise<T>,
): Promise<T> {
  const made = await Promise.all(homes.map((s) => tempHome(s)));
  try {
    return await fn(...made);
  } finally {
    await Promise.all(made.map((h) => h.cleanup()));
  }
}

interface Fields {
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  unpricedTokens: number;
  sessions: number;
}
interface JsonRow extends Fields {
  key: string;
  start?: string;
  end?: string;
  recordedCostUsd?: number;
  title?: string | null;
  firstPrompt?: string | null;
  cwd?: string;
  started?: string | null;
  updated?: string;
  children?: JsonRow[];
}
interface CostJson {
  scope: { kind: string; cwd?: string; id?: string };
  since: string | null;
  until: string | null;
  tz: string;
  total: Fields;
  rows: JsonRow[];
}

/** Runs `cost … --json`, checks it succeeded quietly, and parses it. */
async function costJson(args: string[], env?: Record<string, string>): Promise<CostJson> {
  const r = await cli(["cost", "--json", ...args], { env });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  return JSON.parse(r.out);
}

/** A fields object from a compact tuple: cost, in, out, cache read, cache write, unpriced, sessions. */
function f(
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

const row = (key: string, fields: Fields, extra: Partial<JsonRow> = {}): JsonRow => ({
  key,
  ...fields,
  ...extra,
});
/** A day's row: a period's rows carry their first and last day. */
const dayRow = (key: string, fields: Fields, extra: Partial<JsonRow> = {}): JsonRow =>
  row(key, fields, { start: key, end: key, ...extra });

/** Session rows' descriptive fields (checked on their own): left out to compare sums. */
const INFO = ["title", "firstPrompt", "cwd", "started", "updated"] as const;

/** Rows with their session fields left out, children too. */
function sums(rows: JsonRow[] | undefined): JsonRow[] | undefined {
  return rows?.map((r) => {
    const out: Record<string, unknown> = { ...r };
    for (const k of INFO) delete out[k];
    if (r.children) out.children = sums(r.children);
    return out as unknown as JsonRow;
  });
}

/** Rows without children, as [key, cost] pairs: for short checks. */
const keyCost = (rows: JsonRow[]) => rows.map((r) => [r.key, r.costUsd]);

const TOTAL_A = f(3.75, 2250, 240, 1000, 0, 550, 4);
const TOTAL_ALL = f(4.25, 2260, 245, 1000, 0, 550, 5);

// ---------------------------------------------------------------------------
// --json
// ---------------------------------------------------------------------------

describe("cost --json", () => {
  it("prints exactly {scope, since, until, tz, total, rows} with the documented total fields", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC"]);
      assert.deepEqual(Object.keys(j), ["scope", "since", "until", "tz", "total", "rows"]);
      assert.deepEqual(Object.keys(j.total), [
        "costUsd",
        "inputTokens",
        "outputTokens",
        "cacheReadTokens",
        "cacheWriteTokens",
        "unpricedTokens",
        "sessions",
      ]);
      assert.deepEqual(Object.keys(j.rows[0]), ["key", ...Object.keys(j.total)]);
      assert.deepEqual(j.scope, { kind: "project", cwd: A });
      assert.equal(j.since, null);
      assert.equal(j.until, null);
      assert.equal(j.tz, "UTC");
    });
  });

  it("groups by model by default, costliest first, an unpriced model last with its tokens", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC"]);
      assert.deepEqual(j.total, TOTAL_A);
      assert.deepEqual(j.rows, [
        // S1 $0.75 + S3 $1.25 + S4 $0.75; input 300+300+150, output 30+40+20
        row(SONNET, f(2.75, 750, 90, 1000, 0, 0, 3)),
        row("gpt-5", f(1, 1000, 100, 0, 0, 0, 1)),
        row("local-llama", f(0, 500, 50, 0, 0, 550, 1)),
      ]);
    });
  });

  it("--by provider sums the providers of the latest meta lines", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "provider"]);
      assert.deepEqual(j.rows, [
        row("anthropic", f(2.75, 750, 90, 1000, 0, 0, 3)),
        row("openai", f(1, 1000, 100, 0, 0, 0, 1)),
        row("ollama", f(0, 500, 50, 0, 0, 550, 1)),
      ]);
    });
  });

  it("a session whose meta line names no model or provider is grouped as (unknown)", async () => {
    const ID = "99999999-9999-4999-8999-999999999999";
    const s = session(ID, A, "2026-11-24T10:01:00Z", [
      metaLine({ id: ID, cwd: A, model: "", provider: "", started: "2026-11-24T10:00:00Z" }),
      messageLine("user", "q", "2026-11-24T10:00:00Z"),
      usageLine({ input_tokens: 7, cost_usd: 0.5 }),
    ]);
    await withHomes([[s]], async (h) => {
      for (const by of ["model", "provider"]) {
        const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--by", by]);
        assert.deepEqual(j.rows, [row("(unknown)", f(0.5, 7, 0, 0, 0, 0, 1))]);
      }
    });
  });

  it("--all counts every project; --by project gives one row each", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(["--home", h.home, "--all", "--tz", "UTC", "--by", "project"]);
      assert.deepEqual(j.scope, { kind: "all" });
      assert.deepEqual(j.total, TOTAL_ALL);
      assert.deepEqual(j.rows, [
        row(A, TOTAL_A),
        row(B, f(0.5, 10, 5, 0, 0, 0, 1)),
      ]);
    });
  });

  it("--by session: own spend per session, recordedCostUsd as zot shows it, summing to the total", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "session"]);
      assert.deepEqual(j.total, TOTAL_A);
      assert.deepEqual(sums(j.rows), [
        row(ID3, f(1.25, 300, 40, 0, 0, 0, 1), { recordedCostUsd: 1.5 }),
        row(ID2, f(1, 1500, 150, 0, 0, 550, 1), { recordedCostUsd: 1 }),
        // equal costs: by id
        row(ID1, f(0.75, 300, 30, 1000, 0, 0, 1), { recordedCostUsd: 0.75 }),
        row(ID4, f(0.75, 150, 20, 0, 0, 0, 1), { recordedCostUsd: 2 }),
      ]);
      // The forks were recorded by zot at more than they added.
      assert.ok(j.rows[0].recordedCostUsd! > j.rows[0].costUsd);
      assert.ok(j.rows[3].recordedCostUsd! > j.rows[3].costUsd);
      // 1.25 + 1 + 0.75 + 0.75 = 3.75; 300+1500+300+150 = 2250; 40+150+30+20 = 240
      assertRowsSumTo(j.rows, j.total);
    });
  });

  it("counts a fork's own spend the same with its parent's file present or gone", async () => {
    // Only the forks: S3 $1.25 + S4 $0.75.
    await withHomes([[f3(), f4()]], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "session"]);
      assert.deepEqual(sums(j.rows), [
        row(ID3, f(1.25, 300, 40, 0, 0, 0, 1), { recordedCostUsd: 1.5 }),
        row(ID4, f(0.75, 150, 20, 0, 0, 0, 1), { recordedCostUsd: 2 }),
      ]);
      assert.deepEqual(j.total, f(2, 450, 60, 0, 0, 0, 2));
    });
    // The fork of a fork without its parent S3: S1 $0.75 + S4 $0.75.
    await withHomes([[f1(), f4()]], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "session"]);
      assert.deepEqual(keyCost(j.rows), [[ID1, 0.75], [ID4, 0.75]]);
      assert.deepEqual(j.total, f(1.5, 450, 50, 1000, 0, 0, 2));
    });
    // The fork of a fork alone.
    await withHomes([[f4()]], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC"]);
      assert.deepEqual(j.total, f(0.75, 150, 20, 0, 0, 0, 1));
    });
  });

  it("--by day puts the same spend on different days in UTC, Berlin and New York", async () => {
    await withHomes([MAIN()], async (h) => {
      const byDay = (tz: string) =>
        costJson(["--home", h.home, "--cwd", A, "--tz", tz, "--by", "day"]);
      const utc = await byDay("UTC");
      assert.equal(utc.tz, "UTC");
      assert.deepEqual(utc.rows, [
        dayRow("2026-11-20", f(0.25, 100, 10, 0, 0, 0, 1)), // S1 at 23:30Z
        dayRow("2026-11-21", f(1.5, 450, 50, 1000, 0, 0, 2)), // S1 $0.5 + S3 $1 at 09:00Z
        dayRow("2026-11-22", f(1, 1500, 150, 0, 0, 550, 1)), // S2 at 03:00Z and 10:00Z
        dayRow("2026-11-23", f(1, 200, 30, 0, 0, 0, 2)), // S3 $0.25 + S4 $0.75
      ]);
      const berlin = await byDay("Europe/Berlin");
      assert.equal(berlin.tz, "Europe/Berlin");
      assert.deepEqual(berlin.rows, [
        // S1's 23:30Z is 00:30 CET on the 21st: 0.25 + 0.5 + 1
        dayRow("2026-11-21", f(1.75, 550, 60, 1000, 0, 0, 2)),
        dayRow("2026-11-22", f(1, 1500, 150, 0, 0, 550, 1)),
        dayRow("2026-11-23", f(1, 200, 30, 0, 0, 0, 2)),
      ]);
      const ny = await byDay("America/New_York");
      assert.deepEqual(ny.rows, [
        dayRow("2026-11-20", f(0.25, 100, 10, 0, 0, 0, 1)),
        // S2's 03:00Z is 22:00 EST on the 21st: 0.5 + 1 + 1
        dayRow("2026-11-21", f(2.5, 1450, 150, 1000, 0, 0, 3)),
        dayRow("2026-11-22", f(0, 500, 50, 0, 0, 550, 1)),
        dayRow("2026-11-23", f(1, 200, 30, 0, 0, 0, 2)),
      ]);
      for (const j of [utc, berlin, ny]) assert.deepEqual(j.total, TOTAL_A);
    });
  });

  it("--by day,model gives each day's models as children", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "day,model"]);
      assert.deepEqual(j.rows, [
        dayRow("2026-11-20", f(0.25, 100, 10, 0, 0, 0, 1), {
          children: [row(SONNET, f(0.25, 100, 10, 0, 0, 0, 1))],
        }),
        dayRow("2026-11-21", f(1.5, 450, 50, 1000, 0, 0, 2), {
          children: [row(SONNET, f(1.5, 450, 50, 1000, 0, 0, 2))],
        }),
        dayRow("2026-11-22", f(1, 1500, 150, 0, 0, 550, 1), {
          children: [
            row("gpt-5", f(1, 1000, 100, 0, 0, 0, 1)),
            row("local-llama", f(0, 500, 50, 0, 0, 550, 1)),
          ],
        }),
        dayRow("2026-11-23", f(1, 200, 30, 0, 0, 0, 2), {
          children: [row(SONNET, f(1, 200, 30, 0, 0, 0, 2))],
        }),
      ]);
    });
  });

  it("--by model,session gives session children with recordedCostUsd", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson([
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--by",
        "model,session",
      ]);
      assert.deepEqual(j.rows[0].key, SONNET);
      assert.equal(j.rows[0].recordedCostUsd, undefined);
      assert.deepEqual(sums(j.rows[0].children), [
        row(ID3, f(1.25, 300, 40, 0, 0, 0, 1), { recordedCostUsd: 1.5 }),
        row(ID1, f(0.75, 300, 30, 1000, 0, 0, 1), { recordedCostUsd: 0.75 }),
        row(ID4, f(0.75, 150, 20, 0, 0, 0, 1), { recordedCostUsd: 2 }),
      ]);
      assert.deepEqual(sums(j.rows[1].children), [
        row(ID2, f(1, 1000, 100, 0, 0, 0, 1), { recordedCostUsd: 1 }),
      ]);
      assert.deepEqual(sums(j.rows[2].children), [
        row(ID2, f(0, 500, 50, 0, 0, 550, 1), { recordedCostUsd: 1 }),
      ]);
    });
  });

  it("--by month and --by day split a session across the end of October by zone", async () => {
    await withHomes([MONTH_END()], async (h) => {
      const rows = async (by: string, tz: string, ...more: string[]) =>
        keyCost(
          (await costJson(["--home", h.home, "--cwd", A, "--tz", tz, "--by", by, ...more])).rows,
        );
      assert.deepEqual(await rows("month", "UTC"), [["2026-10", 0.25], ["2026-11", 1.5]]);
      assert.deepEqual(await rows("month", "Europe/Berlin"), [["2026-11", 1.75]]);
      assert.deepEqual(await rows("month", "America/New_York"), [["2026-10", 0.75], [
        "2026-11",
        1,
      ]]);
      assert.deepEqual(await rows("day", "UTC"), [["2026-10-31", 0.25], ["2026-11-01", 1.5]]);
      assert.deepEqual(await rows("day", "Europe/Berlin"), [["2026-11-01", 1.75]]);
      assert.deepEqual(await rows("day", "America/New_York"), [
        ["2026-10-31", 0.75],
        ["2026-11-01", 1],
      ]);
    });
  });

  it("--by week uses ISO weeks; --week-start sunday moves a Sunday into the next week", async () => {
    // Saturday 31 October and Sunday 1 November are both in ISO week 44.
    await withHomes([MONTH_END()], async (h) => {
      const rows = async (tz: string, ...more: string[]) =>
        keyCost(
          (await costJson(["--home", h.home, "--cwd", A, "--tz", tz, "--by", "week", ...more]))
            .rows,
        );
      assert.deepEqual(await rows("UTC"), [["2026-W44", 1.75]]);
      assert.deepEqual(await rows("Europe/Berlin"), [["2026-W44", 1.75]]);
      assert.deepEqual(await rows("UTC", "--week-start", "sunday"), [
        ["2026-W44", 0.25], // E1, Saturday
        ["2026-W45", 1.5], // E2, E3 on Sunday: the week of Monday 2 November
      ]);
      assert.deepEqual(await rows("America/New_York", "--week-start", "sunday"), [
        ["2026-W44", 0.75],
        ["2026-W45", 1],
      ]);
      assert.deepEqual(await rows("Europe/Berlin", "--week-start", "sunday"), [["2026-W45", 1.75]]);
    });
  });

  it("uses $TZ when --tz is not given", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--by", "day"], {
        TZ: "Europe/Berlin",
      });
      assert.equal(j.tz, "Europe/Berlin");
      assert.deepEqual(keyCost(j.rows), [["2026-11-21", 1.75], ["2026-11-22", 1], [
        "2026-11-23",
        1,
      ]]);
    });
  });

  it("a realistic float session is right to the cent and its rows add up to the nanodollar", async () => {
    const R1 = "aaaaaaaa-1111-4111-8111-111111111111";
    const R2 = "bbbbbbbb-2222-4222-8222-222222222222";
    const real = [
      session(R1, A, "2026-11-24T10:03:00Z", [
        metaLine({ id: R1, cwd: A, started: "2026-11-24T10:00:00Z" }),
        messageLine("user", "q1", "2026-11-24T10:00:00Z"),
        usageLine({ input_tokens: 4210, output_tokens: 312, cost_usd: 0.017244 }),
        messageLine("assistant", "a1", "2026-11-24T10:00:10Z"),
        messageLine("user", "q2", "2026-11-24T10:01:00Z"),
        usageLine({
          input_tokens: 9870,
          output_tokens: 901,
          cache_read_tokens: 4096,
          cost_usd: 0.041298000000000004,
        }),
        messageLine("assistant", "a2", "2026-11-24T10:01:10Z"),
        messageLine("user", "q3", "2026-11-24T10:02:00Z"),
        usageLine({
          input_tokens: 21003,
          output_tokens: 2544,
          cache_read_tokens: 12288,
          cache_write_tokens: 777,
          cost_usd: 0.1037391,
        }),
        messageLine("assistant", "a3", "2026-11-24T10:02:10Z"),
      ]),
      session(R2, A, "2026-11-24T11:02:00Z", [
        metaLine({ id: R2, cwd: A, started: "2026-11-24T11:00:00Z" }),
        messageLine("user", "q1", "2026-11-24T11:00:00Z"),
        usageLine({ input_tokens: 800, output_tokens: 40, cost_usd: 0.0033 }),
        messageLine("assistant", "a1", "2026-11-24T11:00:10Z"),
        messageLine("user", "q2", "2026-11-24T11:01:00Z"),
        usageLine({ input_tokens: 2400, output_tokens: 130, cost_usd: 0.0123 }),
        messageLine("assistant", "a2", "2026-11-24T11:01:10Z"),
      ]),
    ];
    await withHomes([real], async (h) => {
      const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "session"]);
      // 0.1037391 + 0.0123 = 0.1160391 $ (116 039 100 n$)
      assert.deepEqual(j.total, f(0.1160391, 23403, 2674, 12288, 777, 0, 2));
      assert.equal(j.total.costUsd.toFixed(2), "0.12");
      assert.deepEqual(keyCost(j.rows), [[R1, 0.1037391], [R2, 0.0123]]);
      assertRowsSumTo(j.rows, j.total);
      const text = await cli(["cost", "--home", h.home, "--cwd", A, "--tz", "UTC"]);
      assert.match(text.out, /^Total {3}\$0\.12 in 2 sessions$/m);
    });
  });
});

// ---------------------------------------------------------------------------
// Ranges, sessions, homes
// ---------------------------------------------------------------------------

describe("cost ranges", () => {
  it("--since/--until dates: since from the start of the day, until to its end", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson([
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--since",
        "2026-11-21",
        "--until",
        "2026-11-22",
      ]);
      assert.equal(j.since, "2026-11-21T00:00:00.000Z");
      assert.equal(j.until, "2026-11-22T23:59:59.999Z");
      // 21st: S1 $0.5 + S3 $1; 22nd: S2 $1 (and S2's unpriced row at 10:00Z, after midnight)
      assert.deepEqual(j.total, f(2.5, 1950, 200, 1000, 0, 550, 3));
    });
  });

  it("a date range is read in --tz: the same dates select different spend in New York", async () => {
    await withHomes([MAIN()], async (h) => {
      const day22 = (tz: string) =>
        costJson([
          "--home",
          h.home,
          "--cwd",
          A,
          "--tz",
          tz,
          "--since",
          "2026-11-22",
          "--until",
          "2026-11-22",
        ]);
      const utc = await day22("UTC");
      assert.deepEqual(utc.total, f(1, 1500, 150, 0, 0, 550, 1));
      const ny = await day22("America/New_York");
      assert.equal(ny.since, "2026-11-22T05:00:00.000Z");
      assert.equal(ny.until, "2026-11-23T04:59:59.999Z");
      // Only S2's unpriced 10:00Z; its 03:00Z spend was on the 21st in New York.
      assert.deepEqual(ny.total, f(0, 500, 50, 0, 0, 550, 1));
    });
  });

  it("--until a date-time is inclusive; --since a duration counts back from now", async () => {
    await withHomes([MAIN()], async (h) => {
      const until = await costJson([
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--until",
        "2026-11-21T09:00",
      ]);
      // S1 0.25 + 0.5 and S3 1.0 (both at exactly 09:00Z)
      assert.deepEqual(until.total, f(1.75, 550, 60, 1000, 0, 0, 2));
      const since = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--since", "90h"]);
      // now − 90 h = 2026-11-21T18:00Z: S2 $1 + $0, S3 $0.25, S4 $0.75
      assert.equal(since.since, "2026-11-21T18:00:00.000Z");
      assert.deepEqual(since.total, f(2, 1700, 180, 0, 0, 550, 3));
    });
  });

  it("--last N is the last N days including today, in --tz", async () => {
    await withHomes([MAIN()], async (h) => {
      const last = (n: string, tz: string, ...more: string[]) =>
        costJson(["--home", h.home, "--tz", tz, "--last", n, ...more]);
      // Today is 2026-11-25 (UTC): the 23rd, 24th, 25th.
      const a3 = await last("3", "UTC", "--cwd", A);
      assert.equal(a3.since, "2026-11-23T00:00:00.000Z");
      assert.equal(a3.until, null);
      assert.deepEqual(a3.total, f(1, 200, 30, 0, 0, 0, 2));
      const all3 = await last("3", "UTC", "--all");
      assert.deepEqual(all3.total, f(1.5, 210, 35, 0, 0, 0, 3)); // + S6 on the 24th
      const today = await last("1", "UTC", "--cwd", A);
      assert.deepEqual(today.total, f(0, 0, 0, 0, 0, 0, 0));
      assert.deepEqual(today.rows, []);
      // New York: now is 07:00 on the 25th; 4 days = from 2026-11-22 00:00 EST.
      const ny4 = await last("4", "America/New_York", "--cwd", A);
      assert.equal(ny4.since, "2026-11-22T05:00:00.000Z");
      assert.deepEqual(ny4.total, f(1, 700, 80, 0, 0, 550, 3));
    });
  });

  it("--last N counts the report's own period: weeks with --by week, months with --by month", async () => {
    await withHomes([MAIN()], async (h) => {
      const since = async (...more: string[]) =>
        (await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", ...more])).since;
      // Now is Wednesday 2026-11-25 12:00Z.
      assert.equal(await since("--by", "week", "--last", "1"), "2026-11-23T00:00:00.000Z");
      assert.equal(
        await since("--by", "week", "--last", "1", "--week-start", "sunday"),
        "2026-11-22T00:00:00.000Z",
      );
      assert.equal(await since("--by", "week", "--last", "3"), "2026-11-09T00:00:00.000Z");
      assert.equal(await since("--by", "model,week", "--last", "1"), "2026-11-23T00:00:00.000Z");
      assert.equal(await since("--by", "month", "--last", "1"), "2026-11-01T00:00:00.000Z");
      assert.equal(await since("--by", "month", "--last", "13"), "2025-11-01T00:00:00.000Z");
      assert.equal(await since("--by", "day", "--last", "1"), "2026-11-25T00:00:00.000Z");
      assert.equal(await since("--by", "model", "--last", "2"), "2026-11-24T00:00:00.000Z");
      // The week so far holds S4's spend of the 23rd-25th, not the 21st-22nd.
      const week = await costJson([
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--by",
        "week",
        "--last",
        "1",
      ]);
      assert.deepEqual(week.rows.map((r) => r.key), ["2026-W48"]);
    });
  });

  it("lastPeriods() starts N-1 whole periods before the current one, in the zone (property)", () => {
    const keyOf = {
      day: dayKey,
      week: (t: number, tz: string) => weekKey(t, tz, "monday"),
      month: monthKey,
    };
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse("2000-01-01T00:00:00Z"),
          max: Date.parse("2060-01-01T00:00:00Z"),
        }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom("day", "week", "month"),
        fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney"),
        (now, n, period, tz) => {
          const start = lastPeriods(String(n), [period as GroupKey], "monday", now, tz).ms;
          const key = (t: number) => keyOf[period as "day"](t, tz);
          // A period starts there…
          assert.notEqual(key(start - 1), key(start));
          // …and from it to now there are exactly N periods.
          const keys = new Set<string>();
          for (let t = start; t <= now; t += 6 * 3_600_000) keys.add(key(t));
          keys.add(key(now));
          assert.equal(keys.size, n);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the header shows the range as asked, time included; an inverted range is refused", async () => {
    await withHomes([MAIN()], async (h) => {
      const header = async (...more: string[]) => {
        const r = await cli(["cost", "--home", h.home, "--cwd", A, "--tz", "UTC", ...more]);
        assert.equal(r.code, 0, r.err);
        return r.out.split("\n")[0];
      };
      assert.equal(
        await header("--since", "2026-11-01 09:30"),
        `Project ${A} · since 2026-11-01 09:30 · UTC`,
      );
      assert.equal(
        await header("--since", "20261101", "--until", "2026-11-21T18:00Z"),
        `Project ${A} · 2026-11-01 to 2026-11-21 18:00 · UTC`,
      );
      assert.equal(
        await header("--since", "2d3h"),
        `Project ${A} · since 2026-11-23 09:00 (2d3h ago) · UTC`,
      );
      assert.equal(
        await header("--by", "week", "--last", "1"),
        `Project ${A} · since 2026-11-23 (this week) · UTC`,
      );
      assert.equal(
        await header("--last", "7"),
        `Project ${A} · since 2026-11-19 (the last 7 days) · UTC`,
      );
      assert.equal(
        await header("--until", "yesterday"),
        `Project ${A} · until 2026-11-24 (yesterday) · UTC`,
      );
      for (
        const args of [["--since", "2026-11-05", "--until", "2026-11-01"], [
          "--last",
          "3",
          "--until",
          "5d",
        ]]
      ) {
        const r = await cli(["cost", "--home", h.home, "--cwd", A, ...args]);
        assert.equal(r.code, 2, args.join(" "));
        assert.match(r.err, /the range ends before it starts/);
      }
    });
  });

  // FAILS (bug in lib/calendar.ts zonedInstant → startOfDay, used for
  // --since/--until/--last dates): Sydney's DST begins at 02:00 on
  // 2026-10-04; that day starts at 00:00 AEST = 2026-10-03T14:00Z, but
  // startOfDay gives 13:00Z, so --since takes in the last hour of the 3rd.
  it("--since a date in Australia/Sydney on the day DST begins starts at that day's midnight", async () => {
    const ID = "99999999-9999-4999-8999-999999999999";
    const s = session(ID, A, "2026-10-03T14:31:00Z", [
      metaLine({ id: ID, cwd: A, started: "2026-10-03T13:00:00Z" }),
      messageLine("user", "late on the 3rd", "2026-10-03T23:30:00+10:00"), // 13:30Z
      usageLine({ input_tokens: 10, cost_usd: 0.25 }),
      messageLine("user", "early on the 4th", "2026-10-04T00:30:00+10:00"), // 14:30Z
      usageLine({ input_tokens: 30, cost_usd: 0.75 }),
    ]);
    await withHomes([[s]], async (h) => {
      const j = await costJson([
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "Australia/Sydney",
        "--since",
        "2026-10-04",
      ]);
      assert.deepEqual([j.since, j.total.costUsd], ["2026-10-03T14:00:00.000Z", 0.5]);
    });
  });
});

describe("cost --session", () => {
  it("takes a full id, a prefix or a path, and scopes the report to that session", async () => {
    await withHomes([MAIN()], async (h) => {
      const refs = [ID3, "3333", h.path(f3())];
      for (const ref of refs) {
        const j = await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--session", ref]);
        assert.deepEqual(j.scope, { kind: "session", id: ID3 }, ref);
        assert.deepEqual(j.total, f(1.25, 300, 40, 0, 0, 0, 1), ref);
        assert.deepEqual(j.rows, [row(SONNET, f(1.25, 300, 40, 0, 0, 0, 1))], ref);
      }
    });
  });

  it("takes latest (the newest file: a session with no usage rows) and latest~1", async () => {
    await withHomes([MAIN()], async (h) => {
      const latest = await costJson([
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--session",
        "latest",
      ]);
      assert.deepEqual(latest.scope, { kind: "session", id: ID5 });
      assert.deepEqual(latest.total, f(0, 0, 0, 0, 0, 0, 0));
      assert.deepEqual(latest.rows, []);
      const text = await cli([
        "cost",
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--session",
        "latest",
      ]);
      assert.equal(text.code, 0);
      assert.match(text.out, /^Total {3}\$0\.00 in 0 sessions$/m);
      assert.doesNotMatch(text.out, /TOTAL/); // no table without rows
      const previous = await costJson([
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--session",
        "latest~1",
      ]);
      assert.deepEqual(previous.scope, { kind: "session", id: ID4 });
      assert.deepEqual(previous.total, f(0.75, 150, 20, 0, 0, 0, 1));
    });
  });

  it("explains a fork's recorded total in text: what zot shows and what was copied", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", "--home", h.home, "--cwd", A, "--tz", "UTC", "--session", ID4]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Session 44444444-4444-4444-8444-444444444444 · all time · UTC$/m);
      assert.match(r.out, /^Total {3}\$0\.75 in 1 session$/m);
      assert.match(
        r.out,
        /^Recorded by zot: \$2\.00, of which \$1\.25 was copied from parent 33333333 at the fork$/m,
      );
    });
  });

  it("an unknown id is a runtime error (exit 1)", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", "--home", h.home, "--cwd", A, "--session", "abcdef12"]);
      assert.equal(r.code, 1);
      assert.equal(r.out, "");
      assert.match(r.err, /Cannot find session "abcdef12"/);
    });
  });
});

describe("cost with several homes", () => {
  // Home 2 holds S1 again (synced) and S8, a session only it has:
  // S8 = $0.25, 40 in, at 2026-11-24T12:00Z.
  const S8 = () =>
    session(ID8, A, "2026-11-24T12:01:00Z", [
      metaLine({ id: ID8, cwd: A, started: "2026-11-24T12:00:00Z" }),
      messageLine("user", "q", "2026-11-24T12:00:00Z"),
      usageLine({ input_tokens: 40, cost_usd: 0.25 }),
      messageLine("assistant", "a", "2026-11-24T12:00:10Z"),
    ]);

  it("counts a session synced into two homes once", async () => {
    await withHomes([MAIN(), [f1(), S8()]], async (h1, h2) => {
      const j = await costJson([
        "--home",
        h1.home,
        "--home",
        h2.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--by",
        "session",
      ]);
      // 3.75 + 0.25; S1 once at $0.75
      assert.deepEqual(j.total, f(4, 2290, 240, 1000, 0, 550, 5));
      assert.deepEqual(keyCost(j.rows), [[ID3, 1.25], [ID2, 1], [ID1, 0.75], [ID4, 0.75], [
        ID8,
        0.25,
      ]]);
      assertRowsSumTo(j.rows, j.total);
    });
  });

  it("takes the newest copy of a synced session, and a copy under another name counts once", async () => {
    // Home 2's S1 is older and stops after the first spend: home 1's wins.
    const stale = { ...f1(), lines: S1.slice(0, 3), mtimeMs: Date.parse("2026-11-20T23:31:00Z") };
    await withHomes([[f1()], [stale]], async (h1, h2) => {
      const j = await costJson(["--home", h1.home, "--home", h2.home, "--cwd", A, "--tz", "UTC"]);
      assert.deepEqual(j.total, f(0.75, 300, 30, 1000, 0, 0, 1));
    });
    // Home 2's S1 is newer and has one more spend ($0.25 on the 24th): it wins.
    const newer = {
      ...f1(),
      lines: [
        ...S1,
        messageLine("user", "q3", "2026-11-24T09:00:00Z"),
        usageLine({ input_tokens: 320, output_tokens: 35, cache_read_tokens: 1000, cost_usd: 1 }),
      ],
      mtimeMs: Date.parse("2026-11-24T09:01:00Z"),
    };
    await withHomes([[f1()], [newer]], async (h1, h2) => {
      const j = await costJson(["--home", h1.home, "--home", h2.home, "--cwd", A, "--tz", "UTC"]);
      assert.deepEqual(j.total, f(1, 320, 35, 1000, 0, 0, 1));
    });
    // The same session under another file name in the other home.
    const renamed = { ...f1(), name: "20261120-230000-11111111-copy.jsonl" };
    await withHomes([[f1()], [renamed]], async (h1, h2) => {
      const j = await costJson(["--home", h1.home, "--home", h2.home, "--cwd", A, "--tz", "UTC"]);
      assert.deepEqual(j.total, f(0.75, 300, 30, 1000, 0, 0, 1));
    });
  });
});

// ---------------------------------------------------------------------------
// Text and CSV
// ---------------------------------------------------------------------------

describe("cost text and CSV", () => {
  it("text: scope, total with unpriced tokens, tokens, a table with a TOTAL row, no ANSI off a TTY", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", "--home", h.home, "--cwd", A, "--tz", "UTC"]);
      assert.equal(r.code, 0);
      assert.equal(r.err, "");
      assert.doesNotMatch(r.out, /\x1b\[/);
      const lines = r.out.split("\n");
      assert.equal(lines[0], "Project /home/dev/alpha · all time · UTC");
      assert.equal(lines[1], "Total   $3.75 in 4 sessions (+ 550 unpriced tokens)");
      assert.equal(lines[2], "Tokens  2.25k input · 240 output · 1.00k cache read · 0 cache write");
      assert.equal(lines[3], "");
      assert.match(
        lines[4],
        /^MODEL\s+SESSIONS\s+INPUT\s+OUTPUT\s+CACHE READ\s+CACHE WRITE\s+SPEND$/,
      );
      assert.match(lines[5], /^claude-sonnet-4-5\s+3\s+750\s+90\s+1\.00k\s+0\s+\$2\.75$/);
      assert.match(lines[6], /^gpt-5\s+1\s+1\.00k\s+100\s+0\s+0\s+\$1\.00$/);
      assert.match(lines[7], /^local-llama\s+1\s+500\s+50\s+0\s+0\s+unpriced$/);
      assert.match(lines[8], /^TOTAL\s+4\s+2\.25k\s+240\s+1\.00k\s+0\s+\$3\.75\*$/);
      assert.equal(lines[9], "* also unpriced tokens: a model zot had no price for");
      assert.equal(lines.length, 11); // and the final newline
    });
  });

  it("text --by session has a RECORDED column; --by day on a TTY draws bars and colours", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", "--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "session"]);
      assert.match(
        r.out,
        /^SESSION\s+LAST ACTIVITY\s+INPUT\s+OUTPUT\s+CACHE READ\s+CACHE WRITE\s+SPEND\s+RECORDED\s+PROJECT\s+TITLE$/m,
      );
      const cols = "\\s+2026-11-2\\d \\d\\d:\\d\\d\\s+";
      const tail = "\\s+\\/home\\/dev\\/alpha\\s+q1$";
      assert.match(
        r.out,
        new RegExp(`^44444444${cols}150\\s+20\\s+0\\s+0\\s+\\$0\\.75\\s+\\$2\\.00${tail}`, "m"),
      );
      assert.match(
        r.out,
        new RegExp(`^33333333${cols}300\\s+40\\s+0\\s+0\\s+\\$1\\.25\\s+\\$1\\.50${tail}`, "m"),
      );
      assert.match(
        r.out,
        new RegExp(
          `^22222222${cols}1\\.50k\\s+150\\s+0\\s+0\\s+\\$1\\.00\\*\\s+\\$1\\.00${tail}`,
          "m",
        ),
      );
      // The TOTAL row fills every column: latest activity, the recorded
      // sum, the project, and the number of sessions.
      assert.match(
        r.out,
        /^TOTAL\s+2026-11-23 12:07\s+2\.25k\s+240\s+1\.00k\s+0\s+\$3\.75\*\s+\$5\.25\s+\/home\/dev\/alpha\s+4 sessions$/m,
      );
      const tty = await cli(["cost", "--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "day"], {
        tty: true,
      });
      assert.match(tty.out, /\x1b\[/);
      assert.match(tty.out, /█/);
      const plain = await cli(["cost", "--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "day"]);
      assert.doesNotMatch(plain.out, /\x1b\[|█/);
    });
  });

  it("--csv --by day: a header and one row per day, exactly", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli([
        "cost",
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--by",
        "day",
        "--csv",
      ]);
      assert.equal(r.code, 0);
      assert.equal(
        r.out,
        "day,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
          "2026-11-20,0.25,100,10,0,0,0,1\n" +
          "2026-11-21,1.5,450,50,1000,0,0,2\n" +
          "2026-11-22,1,1500,150,0,0,550,1\n" +
          "2026-11-23,1,200,30,0,0,0,2\n",
      );
    });
  });

  it("--csv --by day,model: both keys on each innermost row", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli([
        "cost",
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--by",
        "day,model",
        "--csv",
      ]);
      assert.equal(
        r.out,
        "day,model,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
          "2026-11-20,claude-sonnet-4-5,0.25,100,10,0,0,0,1\n" +
          "2026-11-21,claude-sonnet-4-5,1.5,450,50,1000,0,0,2\n" +
          "2026-11-22,gpt-5,1,1000,100,0,0,0,1\n" +
          "2026-11-22,local-llama,0,500,50,0,0,550,1\n" +
          "2026-11-23,claude-sonnet-4-5,1,200,30,0,0,0,2\n",
      );
    });
  });

  it("--csv --all --by project quotes a cwd with a comma and quotes", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli([
        "cost",
        "--home",
        h.home,
        "--all",
        "--tz",
        "UTC",
        "--by",
        "project",
        "--csv",
      ]);
      assert.equal(
        r.out,
        "project,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
          "/home/dev/alpha,3.75,2250,240,1000,0,550,4\n" +
          '"/home/dev/b,""q""",0.5,10,5,0,0,0,1\n',
      );
    });
  });
});

// ---------------------------------------------------------------------------
// Usage errors
// ---------------------------------------------------------------------------

describe("cost usage errors", () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ["--by", "hour"],
      /Cannot parse --by "hour": expected one of day, week, month, model, provider, project, session/,
    ],
    [["--by", "day,model,session"], /Cannot group by "day,model,session": at most two keys/],
    [["--by", "day,day"], /Cannot group by "day,day": the two keys are the same/],
    [["--tz", "Mars/Base"], /Cannot use time zone "Mars\/Base"/],
    [["--json", "--csv"], /Cannot use --json with --csv: choose one/],
    [["--last", "0"], /Cannot parse --last "0": expected a whole number ≥ 1/],
    [["--last", "3", "--since", "2026-11-01"], /Cannot use --last with --since/],
    [["--since", "next week"], /Cannot parse --since "next week"/],
    [["--until", "2026-02-30"], /Cannot parse --until "2026-02-30"/],
    [
      ["--week-start", "tuesday"],
      /Cannot parse --week-start "tuesday": expected one of monday, sunday/,
    ],
    [["--session", "zz"], /Cannot use session "zz"/],
    [["extra"], /Cannot use argument "extra"/],
  ];
  for (const [args, message] of cases) {
    it(`exits 2 with one line for: cost ${args.join(" ")}`, async () => {
      const r = await cli(["cost", "--home", "/nonexistent/zot", "--tz", "UTC", ...args]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.out, "");
      assert.match(r.err, message);
      assert.equal(r.err.split("\n").length, 2, r.err);
    });
  }
});

// ---------------------------------------------------------------------------
// Sums: every grouping adds up to the total, for random homes
// ---------------------------------------------------------------------------

const NANOS = 1e9;
const nanos = (usd: number) => Math.round(usd * NANOS);
const TOKEN_FIELDS = [
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "unpricedTokens",
] as const;

/** Rows sum to `total` in cost (to the nanodollar) and every token field; children to their row. */
function assertRowsSumTo(rows: JsonRow[], total: Fields, where = "rows") {
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

type GenOp =
  | { kind: "msg"; minutes: number }
  | { kind: "usage"; inc: number[] }
  | { kind: "restart"; keep: number }
  | { kind: "model"; model: string };

const genOp: fc.Arbitrary<GenOp> = fc.oneof(
  { weight: 3, arbitrary: fc.nat(900).map((minutes) => ({ kind: "msg" as const, minutes })) },
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc.nat(3000),
      fc.nat(400),
      fc.nat(9000),
      fc.nat(500),
      fc.oneof(fc.constant(0), fc.nat(400_000)), // micro-dollars; 0: unpriced
    ).map((inc) => ({ kind: "usage" as const, inc })),
  },
  {
    weight: 1,
    arbitrary: fc.double({ min: 0, max: 0.9, noNaN: true }).map((keep) => ({
      kind: "restart" as const,
      keep,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("m-a", "m-b", "").map((model) => ({
      kind: "model" as const,
      model,
    })),
  },
);

interface GenSession {
  project: number;
  ops: GenOp[];
  /** Fork of an earlier session (index modulo), at a message (modulo its count + 1). */
  fork: { parent: number; at: number } | null;
  /** Written to the home (a fork's parent may be missing). */
  present: boolean;
}

const genSession: fc.Arbitrary<GenSession> = fc.record({
  project: fc.nat(1),
  ops: fc.array(genOp, { maxLength: 16, size: "max" }),
  fork: fc.option(fc.record({ parent: fc.nat(10), at: fc.nat(20) }), { freq: 4 }), // 3 in 4 forks
  present: fc.nat(2).map((n) => n !== 0), // two in three files are kept
});

interface Built {
  id: string;
  cwd: string;
  lines: string[];
  /** Lines after the first meta line, with the cumulative of usage lines. */
  entries: Array<{ line: string; kind: "meta" | "msg" | "usage"; cum?: number[] }>;
  own: number[]; // in, out, cache read, cache write, micro-dollars
  recorded: number[];
  lastMs: number;
  present: boolean;
  /** The parent's id, for a fork. */
  parentId: string | null;
}

const PROJECTS = ["/p/one", "/p/two"];
const BASE_MS = Date.parse("2026-10-31T18:00:00Z");

/**
 * Builds sessions and, independently of lib/, what each one spent itself: a
 * usage row's increase over the one before (the new row in full after a
 * restart), forks counting only what follows their fork point.
 */
function buildHome(specs: GenSession[]): Built[] {
  const built: Built[] = [];
  specs.forEach((spec, i) => {
    const id = `${(i + 1).toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
    const parent = spec.fork && built.length > 0 ? built[spec.fork.parent % built.length] : null;
    const cwd = parent ? parent.cwd : PROJECTS[spec.project];
    let timeMs = BASE_MS + i * 3_600_000;
    const entries: Built["entries"] = [];
    let cum = [0, 0, 0, 0, 0];
    let forkPoint = 0;
    if (parent) {
      const messages = parent.entries.filter((e) => e.kind === "msg").length;
      forkPoint = messages === 0 ? 0 : 1 + (spec.fork!.at % messages);
    }
    const lines = [
      metaLine({
        id,
        cwd,
        model: "m-a",
        provider: "p",
        started: new Date(timeMs).toISOString(),
        ...(forkPoint > 0 ? { parent: parent!.id, fork_point: forkPoint } : {}),
      }),
    ];
    if (forkPoint > 0) {
      // Copy the parent's first forkPoint messages and the usage rows between them.
      let seen = 0;
      for (const e of parent!.entries) {
        if (seen === forkPoint) break;
        if (e.kind === "meta") continue;
        lines.push(e.line);
        entries.push(e);
        if (e.kind === "msg") seen++;
        else cum = e.cum!;
      }
    }
    const own = [0, 0, 0, 0, 0];
    let costFloat = cum[4] / 1e6;
    for (const o of spec.ops) {
      if (o.kind === "msg") {
        timeMs += o.minutes * 60_000;
        const line = messageLine("user", "x", new Date(timeMs).toISOString());
        lines.push(line);
        entries.push({ line, kind: "msg" });
        continue;
      }
      if (o.kind === "model") {
        const line = metaLine({ id, cwd, model: o.model, provider: o.model ? "p" : "" });
        lines.push(line);
        entries.push({ line, kind: "meta" });
        continue;
      }
      if (o.kind === "usage") {
        cum = cum.map((c, k) => c + o.inc[k]);
        costFloat += o.inc[4] / 1e6;
        o.inc.forEach((d, k) => own[k] += d);
      } else {
        if (cum[4] === 0) continue;
        cum = cum.map((c) => Math.floor(c * o.keep));
        costFloat = cum[4] / 1e6;
        cum.forEach((d, k) => own[k] += d);
      }
      const line = usageLine({
        input_tokens: cum[0],
        output_tokens: cum[1],
        cache_read_tokens: cum[2],
        cache_write_tokens: cum[3],
        cost_usd: costFloat,
      });
      lines.push(line);
      entries.push({ line, kind: "usage", cum });
    }
    built.push({
      id,
      cwd,
      lines,
      entries,
      own,
      recorded: cum,
      lastMs: timeMs,
      present: true,
      parentId: forkPoint > 0 ? parent!.id : null,
    });
  });
  // Drop some parents' files (never all): the index list says which.
  specs.forEach((spec, i) => {
    if (!spec.present && i < built.length - 1) built[i].present = false;
  });
  return built;
}

describe("cost sums (property)", () => {
  it("for random homes, --by session rows and every grouping sum exactly to the total", async () => {
    const groupings = [
      "session",
      "day",
      "week",
      "month",
      "model",
      "provider",
      "project",
      "day,model",
      "session,day",
      "project,session",
      "month,provider",
    ];
    const tzs = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"];
    let withForks = 0;
    let withOrphans = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(genSession, { minLength: 2, maxLength: 6 }),
        fc.constantFrom(...tzs),
        fc.constantFrom("monday" as const, "sunday" as const),
        async (specs, tz, weekStart) => {
          const built = buildHome(specs);
          const present = built.filter((b) => b.present);
          if (present.some((b) => b.parentId !== null)) withForks++;
          const ids = new Set(present.map((b) => b.id));
          if (present.some((b) => b.parentId !== null && !ids.has(b.parentId))) withOrphans++;
          const files: FixtureSession[] = present.map((b) => ({
            cwd: b.cwd,
            name: `20261031-180000-${b.id.slice(0, 8)}.jsonl`,
            lines: b.lines,
            mtimeMs: b.lastMs,
          }));
          // Expected total: each present session's own spend, summed by hand here.
          const own = [0, 0, 0, 0, 0];
          for (const b of present) b.own.forEach((d, k) => own[k] += d);
          await withHomes([files], async (h) => {
            let first: Fields | null = null;
            for (const by of groupings) {
              const j = await costJson([
                "--home",
                h.home,
                "--all",
                "--tz",
                tz,
                "--week-start",
                weekStart,
                "--by",
                by,
              ]);
              assert.deepEqual(
                [
                  j.total.inputTokens,
                  j.total.outputTokens,
                  j.total.cacheReadTokens,
                  j.total.cacheWriteTokens,
                  nanos(j.total.costUsd),
                ],
                [own[0], own[1], own[2], own[3], own[4] * 1000],
                `total, --by ${by}`,
              );
              first ??= j.total;
              assert.deepEqual(j.total, first, `--by ${by} total differs`);
              assertRowsSumTo(j.rows, j.total, `--by ${by}`);
              if (by === "session") {
                assert.deepEqual(
                  j.rows.map((r) => r.key).sort(),
                  present.filter((b) => b.own.some((d) => d > 0)).map((b) => b.id).sort(),
                );
                for (const r of j.rows) {
                  const b = present.find((x) => x.id === r.key)!;
                  assert.equal(nanos(r.costUsd), b.own[4] * 1000, r.key);
                  assert.equal(r.inputTokens, b.own[0], r.key);
                  assert.equal(nanos(r.recordedCostUsd!), b.recorded[4] * 1000, r.key);
                }
              }
            }
          });
        },
      ),
      { numRuns: 30 },
    );
    // The runs must meet the cases this is about (typically ~20 and ~8).
    assert.ok(withForks > 8, `only ${withForks} runs with a fork`);
    assert.ok(withOrphans > 1, `only ${withOrphans} runs with a parent file missing`);
  });
});

// ---------------------------------------------------------------------------
// --by session: columns, order, limit; narrow terminals
// ---------------------------------------------------------------------------

describe("cost --by session", () => {
  const base = ["cost", "--tz", "UTC", "--by", "session", "--cwd", A];
  const keys = (j: CostJson) => j.rows.map((r) => r.key.slice(0, 8));

  it("JSON session rows carry title, first prompt, project, start and last activity", async () => {
    const named = session(ID6, B, "2026-11-24T10:01:00Z", [...S6, renameLine("named one")]);
    await withHomes([[f3(), named]], async (h) => {
      const j = await costJson(["--home", h.home, "--all", "--tz", "UTC", "--by", "session"]);
      const [s6, s3] = [j.rows.find((r) => r.key === ID6)!, j.rows.find((r) => r.key === ID3)!];
      assert.deepEqual(
        [s6.title, s6.firstPrompt, s6.cwd, s6.started, s6.updated],
        ["named one", "q", B, "2026-11-24T10:00:00.000Z", "2026-11-24T10:01:00.000Z"],
      );
      assert.deepEqual(
        [s3.title, s3.firstPrompt, s3.cwd, s3.started, s3.updated],
        [null, "q1", A, "2026-11-23T11:59:00.000Z", "2026-11-23T12:06:00.000Z"],
      );
    });
  });

  it("--sort orders session rows (biggest or newest first), --reverse flips, --limit cuts", async () => {
    await withHomes([MAIN()], async (h) => {
      const run = async (...more: string[]) =>
        keys(
          await costJson(["--home", h.home, "--cwd", A, "--tz", "UTC", "--by", "session", ...more]),
        );
      assert.deepEqual(await run(), ["33333333", "22222222", "11111111", "44444444"]);
      assert.deepEqual(await run("--sort", "cost"), await run());
      assert.deepEqual(await run("--sort", "recorded"), [
        "44444444",
        "33333333",
        "22222222",
        "11111111",
      ]);
      assert.deepEqual(await run("--sort", "tokens"), [
        "22222222",
        "11111111",
        "33333333",
        "44444444",
      ]);
      assert.deepEqual(await run("--sort", "updated"), [
        "44444444",
        "33333333",
        "22222222",
        "11111111",
      ]);
      // S2's latest meta line has the fixture's default start, in September.
      assert.deepEqual(await run("--sort", "started"), [
        "44444444",
        "33333333",
        "11111111",
        "22222222",
      ]);
      assert.deepEqual(await run("--sort", "updated", "-r"), [
        "11111111",
        "22222222",
        "33333333",
        "44444444",
      ]);
      assert.deepEqual(await run("--sort", "updated", "--limit", "2"), ["44444444", "33333333"]);
      assert.deepEqual(await run("-r", "-n", "1"), ["44444444"]);
      // The total is still every session's.
      const j = await costJson([...base.slice(1), "--home", h.home, "--limit", "1"]);
      assert.deepEqual(j.total, TOTAL_A);
    });
  });

  it("applies within each group when sessions are the second key", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson([
        "--home",
        h.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--by",
        "model,session",
        "--sort",
        "updated",
        "--limit",
        "2",
      ]);
      assert.equal(j.rows[0].key, SONNET);
      assert.deepEqual(j.rows[0].children!.map((r) => r.key.slice(0, 8)), ["44444444", "33333333"]);
      assert.equal(j.rows[0].sessions, 3, "the group's sums are its whole");
    });
  });

  it("text: the limit is said, the TOTAL row is every session's", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli([...base, "--home", h.home, "--sort", "updated", "--limit", "2"]);
      assert.equal(r.code, 0, r.err);
      const rows = r.out.split("\n").filter((l) => /^[0-9a-f]{8} /.test(l));
      assert.deepEqual(rows.map((l) => l.slice(0, 8)), ["44444444", "33333333"]);
      assert.match(r.out, /^TOTAL\s.*\$3\.75\*.*4 sessions$/m);
      assert.match(r.out, /^2 more sessions not shown \(--limit\)$/m);
    });
  });

  it("--sort, --limit and --reverse need session rows; a bad key is a usage error", async () => {
    await withHomes([MAIN()], async (h) => {
      for (
        const args of [
          ["--sort", "updated"],
          ["--limit", "2", "--by", "day"],
          ["--reverse", "--by", "model"],
          ["--by", "session", "--sort", "size"],
          ["--by", "session", "--limit", "0"],
        ]
      ) {
        const r = await cli(["cost", "--home", h.home, "--cwd", A, ...args]);
        assert.equal(r.code, 2, args.join(" "));
        assert.equal(r.out, "");
        assert.match(r.err, /^zot-sessions: Cannot /, args.join(" "));
      }
    });
  });
});

describe("cost tables on narrow terminals", () => {
  const P = "/home/dev/a-long-project-name"; // under PROJECT's 32 columns
  const long = (id: string, title: string, mtime: string) =>
    session(id, P, mtime, [
      metaLine({ id, cwd: P, started: "2026-11-24T09:00:00Z" }),
      messageLine("user", "q", "2026-11-24T09:00:00Z"),
      usageLine({
        input_tokens: 123_456,
        output_tokens: 7_890,
        cache_read_tokens: 4_567_890,
        cache_write_tokens: 12_345,
        cost_usd: 1.2345,
      }),
      messageLine("assistant", "a", "2026-11-24T09:00:10Z"),
      renameLine(title),
    ]);
  const HOME = () => [
    long(ID7, "a long title that says what this session was about", "2026-11-24T09:01:00Z"),
    long(ID8, "another long title, about something else entirely", "2026-11-24T09:02:00Z"),
    f6(),
  ];
  const plain = (t: string) => t.replace(/\x1b\[[0-9;]*m/g, "");
  const tableLines = (out: string) => {
    const lines = plain(out).split("\n");
    return lines.slice(lines.findIndex((l) => l === "") + 1).filter((l) => l !== "");
  };

  for (const by of ["session", "model", "project", "day", "day,session", "project,model"]) {
    it(`--by ${by} at 60 columns on a terminal: no line is wider`, async () => {
      await withHomes([HOME()], async (h) => {
        const r = await cli(["cost", "--home", h.home, "--all", "--tz", "UTC", "--by", by], {
          tty: true,
          columns: 60,
          env: { NO_COLOR: "1" },
        });
        assert.equal(r.code, 0, r.err);
        for (const l of tableLines(r.out)) {
          assert.ok(displayWidth(l) <= 60, `${displayWidth(l)}: ${l}`);
        }
        const header = tableLines(r.out)[0];
        assert.match(header, /SPEND/, "the money is never dropped");
        if (by === "session") assert.match(header, /^SESSION .*TITLE$/);
        // Wide enough, nothing is dropped.
        const wide = await cli(["cost", "--home", h.home, "--all", "--tz", "UTC", "--by", by], {
          tty: true,
          columns: 250,
        });
        assert.match(plain(wide.out), /CACHE WRITE/);
      });
    });
  }

  it("the title shrinks first, before the project and before any column goes", async () => {
    await withHomes([HOME()], async (h) => {
      const args = ["cost", "--home", h.home, "--all", "--tz", "UTC", "--by", "session"];
      const natural = Math.max(...tableLines((await cli(args)).out).map(displayWidth));
      const r = await cli(args, { tty: true, columns: natural - 10, env: { NO_COLOR: "1" } });
      const lines = tableLines(r.out);
      assert.match(
        lines[0],
        /^SESSION\s+LAST ACTIVITY\s+INPUT\s+OUTPUT\s+CACHE READ\s+CACHE WRITE\s+SPEND\s+RECORDED\s+PROJECT\s+TITLE$/,
      );
      assert.ok(lines.some((l) => l.includes(P + "  ")), "the project whole");
      assert.ok(lines.some((l) => l.endsWith("…")), "a title cut");
      assert.ok(Math.max(...lines.map(displayWidth)) <= natural - 10);
    });
  });
});

describe("cost: project paths in tables", () => {
  it("marks the decomposed one of two projects that differ only in normalisation", async () => {
    const nfc = "/home/dev/ünïcode proj".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    const one = (id: string, cwd: string, mtime: string) =>
      session(id, cwd, mtime, [
        metaLine({ id, cwd }),
        messageLine("user", "q", "2026-11-24T10:00:00Z"),
        usageLine({ input_tokens: 10, cost_usd: 0.5 }),
        messageLine("assistant", "a", "2026-11-24T10:00:10Z"),
      ]);
    await withHomes(
      [[one(ID7, nfc, "2026-11-24T10:01:00Z"), one(ID8, nfd, "2026-11-24T10:02:00Z")]],
      async (h) => {
        const args = ["cost", "--home", h.home, "--all", "--tz", "UTC"];
        const byProject = await cli([...args, "--by", "project"]);
        assert.match(byProject.out, new RegExp(`^${nfd} \\(NFD\\)\\s+1\\s`, "m"));
        assert.match(byProject.out, new RegExp(`^${nfc}\\s+1\\s`, "m"));
        const bySession = await cli([...args, "--by", "session"]);
        assert.match(bySession.out, new RegExp(`^88888888\\s.*\\s${nfd} \\(NFD\\)\\s+q$`, "m"));
        assert.match(bySession.out, new RegExp(`^77777777\\s.*\\s${nfc}\\s+q$`, "m"));
        const scope = await cli(["cost", "--home", h.home, "--cwd", nfd, "--tz", "UTC"]);
        assert.match(scope.out, new RegExp(`^Project ${nfd} \\(NFD\\) · `));
        // JSON keeps the paths as they are.
        const j = JSON.parse((await cli([...args, "--by", "project", "--json"])).out);
        assert.deepEqual(j.rows.map((row: JsonRow) => row.key).sort(), [nfc, nfd].sort());
      },
    );
  });
});

describe("time flags out of range", () => {
  it("cost --last with an absurd count is a usage error, not a crash", async () => {
    const io = memoryIO({ now: NOW, env: {} });
    assert.equal(await runCli(["cost", "--home", "/nonexistent", "--last", "100000000"], io), 2);
    assert.match(io.err(), /Cannot parse --last/);
  });
});
