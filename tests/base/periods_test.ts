/**
 * Tests of periodDays (lib/base/periods.ts): the first and last day of the
 * period a `cost --by day|week|month` key names, which `--json` prints as
 * `start` and `end` and the table shows a week by.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { dateText, utcMs, wallTime } from "../../lib/base/calendar.ts";
import { dayKey, monthKey, type Period, periodDays, weekKey } from "../../lib/base/periods.ts";

const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"];
const DAY = 86_400_000;

describe("periodDays", () => {
  const table: [string, Period, "monday" | "sunday", string, string][] = [
    ["2026-11-25", "day", "monday", "2026-11-25", "2026-11-25"],
    ["2026-W42", "week", "monday", "2026-10-12", "2026-10-18"],
    ["2026-W42", "week", "sunday", "2026-10-11", "2026-10-17"],
    // 2026 begins on a Thursday: W01 starts in 2025; it has 53 weeks.
    ["2026-W01", "week", "monday", "2025-12-29", "2026-01-04"],
    ["2026-W53", "week", "monday", "2026-12-28", "2027-01-03"],
    ["2027-W01", "week", "sunday", "2027-01-03", "2027-01-09"],
    ["2020-W53", "week", "monday", "2020-12-28", "2021-01-03"],
    ["2026-02", "month", "monday", "2026-02-01", "2026-02-28"],
    ["2028-02", "month", "monday", "2028-02-01", "2028-02-29"],
    ["2026-12", "month", "monday", "2026-12-01", "2026-12-31"],
    // The Date.UTC pitfall: years 0–99 stay there.
    ["0050-W10", "week", "monday", "0050-03-07", "0050-03-13"],
    ["0099-12", "month", "monday", "0099-12-01", "0099-12-31"],
  ];
  for (const [key, period, start, first, last] of table) {
    it(`${period} ${key} (${start}) is ${first} to ${last}`, () => {
      const days = periodDays(key, period, start);
      assert.ok(days !== null);
      assert.deepEqual([dateText(days.first), dateText(days.last)], [first, last]);
    });
  }

  it("is null for a key of another period", () => {
    assert.equal(periodDays("2026-11", "week", "monday"), null);
    assert.equal(periodDays("2026-W42", "month", "monday"), null);
    assert.equal(periodDays("claude-sonnet-4-5", "day", "monday"), null);
  });

  it("holds the instant's day, and its first and last day have its key (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...ZONES),
        fc.constantFrom<Period>("day", "week", "month"),
        fc.constantFrom("monday" as const, "sunday" as const),
        (ms, tz, period, start) => {
          const keyOf = (t: number) =>
            period === "day"
              ? dayKey(t, tz)
              : period === "week"
              ? weekKey(t, tz, start)
              : monthKey(t, tz);
          const key = keyOf(ms);
          const days = periodDays(key, period, start);
          assert.ok(days !== null, key);
          const day = wallTime(ms, tz);
          const n = (d: { year: number; month: number; day: number }) =>
            utcMs(d.year, d.month, d.day) / DAY;
          assert.ok(n(days.first) <= n(day) && n(day) <= n(days.last), key);
          // Noon of the first and last day (UTC has no clock change) has the
          // key; the day before the first and after the last does not.
          const noon = (d: typeof days.first, plus = 0) =>
            utcMs(d.year, d.month, d.day + plus) + 12 * 3_600_000;
          const utcKey = (t: number) =>
            period === "day"
              ? dayKey(t, "UTC")
              : period === "week"
              ? weekKey(t, "UTC", start)
              : monthKey(t, "UTC");
          assert.equal(utcKey(noon(days.first)), key);
          assert.equal(utcKey(noon(days.last)), key);
          assert.notEqual(utcKey(noon(days.first, -1)), key);
          assert.notEqual(utcKey(noon(days.last, 1)), key);
        },
      ),
      { numRuns: 500 },
    );
  });
});
