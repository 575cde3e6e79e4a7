/**
 * Budget arithmetic (lib/cost/budget.ts) and its line (lib/render/budget.ts):
 * period bounds in zones with a daylight-saving change, weeks from Sunday,
 * the linear projection, and what counts as over.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { budgetStanding, parseUsd, periodBounds } from "../../lib/cost/budget.ts";
import { budgetLine, usd } from "../../lib/render/budget.ts";

const iso = (ms: number) => new Date(ms).toISOString();

describe("budget periods", () => {
  it("a day across a daylight-saving change is 25 hours long (Berlin, 2026-10-25)", () => {
    const b = periodBounds("day", "monday", Date.parse("2026-10-25T12:00:00Z"), "Europe/Berlin");
    assert.deepEqual([iso(b.startMs), iso(b.endMs)], [
      "2026-10-24T22:00:00.000Z",
      "2026-10-25T23:00:00.000Z",
    ]);
  });

  it("weeks start on Sunday when asked; months end at the next month's first midnight", () => {
    const now = Date.parse("2026-11-25T12:00:00Z"); // a Wednesday
    const sunday = periodBounds("week", "sunday", now, "UTC");
    assert.deepEqual([iso(sunday.startMs), iso(sunday.endMs)], [
      "2026-11-22T00:00:00.000Z",
      "2026-11-29T00:00:00.000Z",
    ]);
    const december = periodBounds("month", "monday", Date.parse("2026-12-31T23:59:59Z"), "UTC");
    assert.equal(iso(december.endMs), "2027-01-01T00:00:00.000Z");
  });

  it("now always lies in its period", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2000-01-01"), max: Date.parse("2100-01-01") }),
        fc.constantFrom("day", "week", "month" as const),
        fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Pacific/Chatham"),
        (now, period, tz) => {
          const b = periodBounds(period, "monday", now, tz);
          return b.startMs <= now && now < b.endMs;
        },
      ),
      { seed: 23, numRuns: 300 },
    );
  });
});

describe("a budget's standing", () => {
  const start = Date.parse("2026-11-25T00:00:00Z");
  const end = Date.parse("2026-11-26T00:00:00Z");

  it("projects linearly from the period's start; equal to the limit is not over", () => {
    const at6 = Date.parse("2026-11-25T06:00:00Z");
    assert.deepEqual(budgetStanding(20, 5_000_000_000, start, end, at6), {
      limitUsd: 20,
      usedUsd: 5,
      projectedUsd: 20, // $5 in 6 hours: $20 in 24
      over: false,
    });
    assert.equal(budgetStanding(20, 20_000_000_000, start, end, at6).over, false);
    assert.equal(budgetStanding(0.1, 100_000_001, start, end, at6).over, true);
  });

  it("projects nothing for a period not begun, ended, or without a start", () => {
    assert.equal(budgetStanding(20, 1, start, end, start).projectedUsd, null);
    assert.equal(budgetStanding(20, 1, start, end, end).projectedUsd, null);
    assert.equal(budgetStanding(20, 1, null, end, end - 1).projectedUsd, null);
  });

  it("reads dollars as typed", () => {
    assert.deepEqual(
      ["20", "$20", "12.50", " 3 ", "0", "-5", "1e3", "$", "20$", ""].map(parseUsd),
      [20, 20, 12.5, 3, null, null, null, null, null, null],
    );
  });

  it("says over or within, by how much, and the pace", () => {
    const over = budgetStanding(20, 23_100_000_000, start, end, Date.parse("2026-11-25T17:39:22Z"));
    assert.equal(
      budgetLine(over, { what: "today", by: "by midnight" }),
      "Over budget: $23.10 of $20.00 today (+$3.10); on pace for $31.40 by midnight",
    );
    assert.equal(usd(0.005), "$0.01");
  });
});
