/**
 * The cost report tested directly (lib/cost/report.ts is pure): the key of
 * an event for each grouping, and the rows' order, sums and nesting, with
 * merged reports adding up as one.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CostReport, type GroupKey, groupKeyOf } from "../../lib/cost/report.ts";
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
