/**
 * The cost report tested directly (lib/cost/report.ts is pure): the key of
 * an event for each grouping, and the rows' order, sums and nesting, with
 * merged reports adding up as one.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bucketFields,
  CostReport,
  type GroupKey,
  groupKeyOf,
  type ReportRow,
} from "../../lib/cost/report.ts";
import type { SpendEvent } from "../../lib/scan/ledger.ts";

const spend = (costNanos: number, inputTokens = 10) => ({
  inputTokens,
  outputTokens: 1,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costNanos,
});
const event = (iso: string, model: string, costNanos: number, provider = "p"): SpendEvent => ({
  timeMs: Date.parse(iso),
  model,
  provider,
  spend: spend(costNanos),
  ordinal: 1,
});

describe("groupKeyOf", () => {
  // Sunday 2026-11-01, 23:30 UTC: already Monday the 2nd in Berlin.
  const e = event("2026-11-01T23:30:00Z", "m1", 0);
  const session = { id: "0e19", cwd: "/src/app" };
  const cases: [GroupKey, string, "monday" | "sunday", string][] = [
    ["day", "UTC", "monday", "2026-11-01"],
    ["day", "Europe/Berlin", "monday", "2026-11-02"],
    ["week", "UTC", "monday", "2026-W44"],
    ["week", "UTC", "sunday", "2026-W45"], // a Sunday joins the week that follows it
    ["month", "Pacific/Kiritimati", "monday", "2026-11"],
    ["model", "UTC", "monday", "m1"],
    ["provider", "UTC", "monday", "p"],
    ["project", "UTC", "monday", "/src/app"],
    ["session", "UTC", "monday", "0e19"],
  ];
  for (const [key, tz, weekStart, want] of cases) {
    it(`${key} in ${tz} (${weekStart}) is ${want}`, () => {
      assert.equal(groupKeyOf(key, e, session, { by: [key], tz, weekStart }), want);
    });
  }

  it("a missing model or provider is (unknown)", () => {
    const o = { by: [], tz: "UTC", weekStart: "monday" as const };
    const bare = event("2026-11-01T00:00:00Z", "", 0, "");
    assert.equal(groupKeyOf("model", bare, session, o), "(unknown)");
    assert.equal(groupKeyOf("provider", bare, session, o), "(unknown)");
  });
});

describe("CostReport", () => {
  const feed = (r: CostReport) => {
    r.add(event("2026-11-02T09:00:00Z", "m2", 30_000_000), { id: "s1", cwd: "/a" });
    r.add(event("2026-11-01T09:00:00Z", "m1", 10_000_000), { id: "s1", cwd: "/a" });
    r.add(event("2026-11-01T10:00:00Z", "m2", 30_000_000), { id: "s2", cwd: "/b" });
    r.add(event("2026-11-01T11:00:00Z", "m3", 0), { id: "s3", cwd: "/b" }); // no price
    return r;
  };
  const rowsOf = (rows: { key: string; costUsd: number; sessions: number }[]) =>
    rows.map((r) => [r.key, r.costUsd, r.sessions]);

  it("orders time keys oldest first", () => {
    const r = feed(new CostReport({ by: ["day"], tz: "UTC", weekStart: "monday" }));
    assert.deepEqual(rowsOf(r.rows()), [["2026-11-01", 0.04, 3], ["2026-11-02", 0.03, 1]]);
  });

  it("orders other keys costliest first, ties by key", () => {
    const r = feed(new CostReport({ by: ["model"], tz: "UTC", weekStart: "monday" }));
    assert.deepEqual(rowsOf(r.rows()), [["m2", 0.06, 2], ["m1", 0.01, 1], ["m3", 0, 1]]);
  });

  it("nests the second key under the first, and the total counts each session once", () => {
    const r = feed(new CostReport({ by: ["day", "project"], tz: "UTC", weekStart: "monday" }));
    const rows = r.rows();
    assert.deepEqual(rowsOf(rows[0].children!), [["/b", 0.03, 2], ["/a", 0.01, 1]]);
    assert.equal(r.total.sessions.size, 3);
    assert.equal(r.total.spend.costNanos, 70_000_000);
  });

  it("counts the tokens of an event with no cost as unpriced", () => {
    const r = feed(new CostReport({ by: ["model"], tz: "UTC", weekStart: "monday" }));
    const m3 = r.rows().find((row) => row.key === "m3")!;
    assert.equal(m3.unpricedTokens, 11);
    assert.equal(r.total.unpricedTokens, 11);
  });

  it("merged reports add up as one fed with every event", () => {
    const o = { by: ["day", "model"] as GroupKey[], tz: "UTC", weekStart: "monday" as const };
    const whole = feed(new CostReport(o));
    const a = new CostReport(o);
    const b = new CostReport(o);
    a.add(event("2026-11-02T09:00:00Z", "m2", 30_000_000), { id: "s1", cwd: "/a" });
    a.add(event("2026-11-01T09:00:00Z", "m1", 10_000_000), { id: "s1", cwd: "/a" });
    b.add(event("2026-11-01T10:00:00Z", "m2", 30_000_000), { id: "s2", cwd: "/b" });
    b.add(event("2026-11-01T11:00:00Z", "m3", 0), { id: "s3", cwd: "/b" });
    a.merge(b);
    assert.deepEqual(a.rows(), whole.rows());
    assert.deepEqual(a.total.spend, whole.total.spend);
  });
});

/**
 * The `cost` tests' main home (tests/helpers/cost_home.ts) as its ledgers
 * find it: each session's own spend events, forks' copied history left out.
 * S1…S4 are of project A, S6 of project B (S5 spent nothing).
 */
const MAIN_A: [string, string, string, number, number, number, number, string][] = [
  // time, model, provider, $, input, output, cache read, session; newest
  // file first, as a run merges them (S4 before S1: ties must not keep that order)
  ["2026-11-23T12:05:00Z", "sonnet", "anthropic", 0.75, 150, 20, 0, "S4"],
  ["2026-11-20T23:30:00Z", "sonnet", "anthropic", 0.25, 100, 10, 0, "S1"],
  ["2026-11-21T09:00:00Z", "sonnet", "anthropic", 0.5, 200, 20, 1000, "S1"],
  ["2026-11-22T03:00:00Z", "gpt-5", "openai", 1, 1000, 100, 0, "S2"],
  ["2026-11-22T10:00:00Z", "local-llama", "ollama", 0, 500, 50, 0, "S2"], // unpriced
  ["2026-11-21T09:00:00Z", "sonnet", "anthropic", 1, 250, 30, 0, "S3"],
  ["2026-11-23T12:05:00Z", "sonnet", "anthropic", 0.25, 50, 10, 0, "S3"],
];
const MAIN_B: typeof MAIN_A = [
  ["2026-11-24T10:00:00Z", "sonnet", "anthropic", 0.5, 10, 5, 0, "S6"],
];
/** One session across the end of October: E1 $0.25, E2 $0.50, E3 $1.00. */
const MONTH_END: typeof MAIN_A = [
  ["2026-10-31T23:30:00Z", "sonnet", "anthropic", 0.25, 10, 0, 0, "S7"],
  ["2026-11-01T03:30:00Z", "sonnet", "anthropic", 0.5, 20, 0, 0, "S7"],
  ["2026-11-01T12:00:00Z", "sonnet", "anthropic", 1, 40, 0, 0, "S7"],
];

/** A report of `events` with these options. */
function reportOf(
  events: typeof MAIN_A,
  by: GroupKey[],
  tz = "UTC",
  weekStart: "monday" | "sunday" = "monday",
): CostReport {
  const r = new CostReport({ by, tz, weekStart });
  for (
    const [iso, model, provider, usd, inputTokens, outputTokens, cacheReadTokens, id] of events
  ) {
    const spend = {
      inputTokens,
      outputTokens,
      cacheReadTokens,
      cacheWriteTokens: 0,
      costNanos: Math.round(usd * 1e9),
    };
    const cwd = id === "S6" ? "B" : "A";
    r.add({ timeMs: Date.parse(iso), model, provider, spend, ordinal: 1 }, { id, cwd });
  }
  return r;
}

/** Rows as lines: `key $cost input/output/cache read/cache write +unpriced ×sessions`, children indented. */
function brief(rows: ReportRow[], indent = ""): string[] {
  return rows.flatMap((r) => [
    `${indent}${r.key} $${r.costUsd} ${r.inputTokens}/${r.outputTokens}/${r.cacheReadTokens}/` +
    `${r.cacheWriteTokens} +${r.unpricedTokens} ×${r.sessions}`,
    ...brief(r.children ?? [], indent + "  "),
  ]);
}

/** A grouping of some events, and the rows it must give (see {@linkcode brief}). */
interface Case {
  why: string;
  events: typeof MAIN_A;
  by: GroupKey[];
  tz?: string;
  weekStart?: "monday" | "sunday";
  want: string[];
}

describe("CostReport on the cost tests' homes (period bucketing, pricing, nesting)", () => {
  const cases: Case[] = [
    {
      why: "costliest model first; an unpriced one last, its tokens counted",
      events: MAIN_A,
      by: ["model"],
      want: [
        "sonnet $2.75 750/90/1000/0 +0 ×3",
        "gpt-5 $1 1000/100/0/0 +0 ×1",
        "local-llama $0 500/50/0/0 +550 ×1",
      ],
    },
    {
      why: "providers as the events name them",
      events: MAIN_A,
      by: ["provider"],
      want: [
        "anthropic $2.75 750/90/1000/0 +0 ×3",
        "openai $1 1000/100/0/0 +0 ×1",
        "ollama $0 500/50/0/0 +550 ×1",
      ],
    },
    {
      why: "one row per project",
      events: [...MAIN_A, ...MAIN_B],
      by: ["project"],
      want: [
        "A $3.75 2250/240/1000/0 +550 ×4",
        "B $0.5 10/5/0/0 +0 ×1",
      ],
    },
    {
      why: "sessions costliest first, equal costs by id",
      events: MAIN_A,
      by: ["session"],
      want: [
        "S3 $1.25 300/40/0/0 +0 ×1",
        "S2 $1 1500/150/0/0 +550 ×1",
        "S1 $0.75 300/30/1000/0 +0 ×1",
        "S4 $0.75 150/20/0/0 +0 ×1",
      ],
    },
    {
      why: "days in UTC: S1's 23:30Z on the 20th",
      events: MAIN_A,
      by: ["day"],
      want: [
        "2026-11-20 $0.25 100/10/0/0 +0 ×1",
        "2026-11-21 $1.5 450/50/1000/0 +0 ×2",
        "2026-11-22 $1 1500/150/0/0 +550 ×1",
        "2026-11-23 $1 200/30/0/0 +0 ×2",
      ],
    },
    {
      why: "days in Berlin: S1's 23:30Z is 00:30 on the 21st",
      events: MAIN_A,
      by: ["day"],
      tz: "Europe/Berlin",
      want: [
        "2026-11-21 $1.75 550/60/1000/0 +0 ×2",
        "2026-11-22 $1 1500/150/0/0 +550 ×1",
        "2026-11-23 $1 200/30/0/0 +0 ×2",
      ],
    },
    {
      why: "days in New York: S2's 03:00Z is 22:00 on the 21st",
      events: MAIN_A,
      by: ["day"],
      tz: "America/New_York",
      want: [
        "2026-11-20 $0.25 100/10/0/0 +0 ×1",
        "2026-11-21 $2.5 1450/150/1000/0 +0 ×3",
        "2026-11-22 $0 500/50/0/0 +550 ×1",
        "2026-11-23 $1 200/30/0/0 +0 ×2",
      ],
    },
    {
      why: "each day's models as children",
      events: MAIN_A,
      by: ["day", "model"],
      want: [
        "2026-11-20 $0.25 100/10/0/0 +0 ×1",
        "  sonnet $0.25 100/10/0/0 +0 ×1",
        "2026-11-21 $1.5 450/50/1000/0 +0 ×2",
        "  sonnet $1.5 450/50/1000/0 +0 ×2",
        "2026-11-22 $1 1500/150/0/0 +550 ×1",
        "  gpt-5 $1 1000/100/0/0 +0 ×1",
        "  local-llama $0 500/50/0/0 +550 ×1",
        "2026-11-23 $1 200/30/0/0 +0 ×2",
        "  sonnet $1 200/30/0/0 +0 ×2",
      ],
    },
    {
      why: "each model's sessions as children",
      events: MAIN_A,
      by: ["model", "session"],
      want: [
        "sonnet $2.75 750/90/1000/0 +0 ×3",
        "  S3 $1.25 300/40/0/0 +0 ×1",
        "  S1 $0.75 300/30/1000/0 +0 ×1",
        "  S4 $0.75 150/20/0/0 +0 ×1",
        "gpt-5 $1 1000/100/0/0 +0 ×1",
        "  S2 $1 1000/100/0/0 +0 ×1",
        "local-llama $0 500/50/0/0 +550 ×1",
        "  S2 $0 500/50/0/0 +550 ×1",
      ],
    },
    {
      why: "months in UTC",
      events: MONTH_END,
      by: ["month"],
      want: [
        "2026-10 $0.25 10/0/0/0 +0 ×1",
        "2026-11 $1.5 60/0/0/0 +0 ×1",
      ],
    },
    {
      why: "months in Berlin: all on 1 November",
      events: MONTH_END,
      by: ["month"],
      tz: "Europe/Berlin",
      want: [
        "2026-11 $1.75 70/0/0/0 +0 ×1",
      ],
    },
    {
      why: "months in New York: E1, E2 on 31 October",
      events: MONTH_END,
      by: ["month"],
      tz: "America/New_York",
      want: [
        "2026-10 $0.75 30/0/0/0 +0 ×1",
        "2026-11 $1 40/0/0/0 +0 ×1",
      ],
    },
    {
      why: "days across the month's end in UTC",
      events: MONTH_END,
      by: ["day"],
      want: [
        "2026-10-31 $0.25 10/0/0/0 +0 ×1",
        "2026-11-01 $1.5 60/0/0/0 +0 ×1",
      ],
    },
    {
      why: "days across the month's end in Berlin",
      events: MONTH_END,
      by: ["day"],
      tz: "Europe/Berlin",
      want: [
        "2026-11-01 $1.75 70/0/0/0 +0 ×1",
      ],
    },
    {
      why: "days across the month's end in New York",
      events: MONTH_END,
      by: ["day"],
      tz: "America/New_York",
      want: [
        "2026-10-31 $0.75 30/0/0/0 +0 ×1",
        "2026-11-01 $1 40/0/0/0 +0 ×1",
      ],
    },
    {
      why: "ISO weeks: Saturday 31 and Sunday 1 in week 44",
      events: MONTH_END,
      by: ["week"],
      want: [
        "2026-W44 $1.75 70/0/0/0 +0 ×1",
      ],
    },
    {
      why: "ISO weeks in Berlin",
      events: MONTH_END,
      by: ["week"],
      tz: "Europe/Berlin",
      want: [
        "2026-W44 $1.75 70/0/0/0 +0 ×1",
      ],
    },
    {
      why: "weeks from Sunday: Sunday 1 joins week 45",
      events: MONTH_END,
      by: ["week"],
      weekStart: "sunday",
      want: [
        "2026-W44 $0.25 10/0/0/0 +0 ×1",
        "2026-W45 $1.5 60/0/0/0 +0 ×1",
      ],
    },
    {
      why: "weeks from Sunday in New York",
      events: MONTH_END,
      by: ["week"],
      tz: "America/New_York",
      weekStart: "sunday",
      want: [
        "2026-W44 $0.75 30/0/0/0 +0 ×1",
        "2026-W45 $1 40/0/0/0 +0 ×1",
      ],
    },
    {
      why: "weeks from Sunday in Berlin",
      events: MONTH_END,
      by: ["week"],
      tz: "Europe/Berlin",
      weekStart: "sunday",
      want: [
        "2026-W45 $1.75 70/0/0/0 +0 ×1",
      ],
    },
  ];
  for (const { why, events, by, tz = "UTC", weekStart = "monday", want } of cases) {
    it(`--by ${by.join(",")} in ${tz} (weeks from ${weekStart}): ${why}`, () => {
      assert.deepEqual(brief(reportOf(events, by, tz, weekStart).rows()), want);
    });
  }

  it("every grouping of project A's events has the same total", () => {
    for (const { events, by, tz, weekStart } of cases.filter((c) => c.events === MAIN_A)) {
      const { total } = reportOf(events, by, tz, weekStart);
      assert.deepEqual(brief([{ key: "total", ...bucketFields(total) }]), [
        "total $3.75 2250/240/1000/0 +550 ×4",
      ]);
    }
  });
});
