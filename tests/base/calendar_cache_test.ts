/**
 * ZonedDays answers as dayKey, weekKey and monthKey do, for any instants in
 * any order, in zones with DST changes at odd hours, half-hour and
 * quarter-hour offsets, and a zone that skipped a whole day.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { dayKey, monthKey, weekKey, ZonedDays } from "../../lib/base/periods.ts";

const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "America/Santiago", // DST changes at midnight
  "Australia/Lord_Howe", // a half-hour DST change
  "Asia/Kathmandu", // +05:45
  "Pacific/Apia", // skipped 2011-12-30
  "America/St_Johns",
];

describe("ZonedDays", () => {
  it("gives the uncached keys for instants in any order", () => {
    const around = [
      Date.UTC(2011, 11, 28),
      Date.UTC(2026, 2, 28),
      Date.UTC(2026, 9, 24),
      Date.UTC(2026, 3, 4),
      Date.UTC(2025, 11, 31),
    ];
    const instant = fc.tuple(
      fc.constantFrom(...around),
      fc.integer({ min: -4 * 86_400_000, max: 4 * 86_400_000 }),
    )
      .map(([base, d]) => base + d);
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(instant, { minLength: 1, maxLength: 40 }),
        (tz, times) => {
          const days = new ZonedDays(tz);
          for (const t of times) {
            assert.equal(days.dayKey(t), dayKey(t, tz), `day ${new Date(t).toISOString()} ${tz}`);
            assert.equal(days.monthKey(t), monthKey(t, tz));
            assert.equal(days.weekKey(t, "monday"), weekKey(t, tz, "monday"));
            assert.equal(days.weekKey(t, "sunday"), weekKey(t, tz, "sunday"));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives the uncached keys at every minute around a zone's changes", () => {
    for (const tz of ["Europe/Berlin", "America/Santiago", "Australia/Lord_Howe", "Pacific/Apia"]) {
      const days = new ZonedDays(tz);
      for (const base of [Date.UTC(2026, 2, 28), Date.UTC(2026, 8, 5), Date.UTC(2011, 11, 29)]) {
        for (let t = base; t < base + 3 * 86_400_000; t += 60_000) {
          assert.equal(days.dayKey(t), dayKey(t, tz), `${new Date(t).toISOString()} ${tz}`);
        }
      }
    }
  });
});
