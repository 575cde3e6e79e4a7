import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseDuration, parseRfc3339, parseTimeFlag, relativeTime, toIsoUtc } from "../lib/time.ts";
import { UsageError } from "../lib/errors.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");

describe("time", () => {
  it("parseDuration() reads s, m, h, d, w", () => {
    assert.equal(parseDuration("90m"), 90 * 60_000);
    assert.equal(parseDuration("12h"), 12 * 3_600_000);
    assert.equal(parseDuration("7d"), 7 * 86_400_000);
    assert.equal(parseDuration("4w"), 28 * 86_400_000);
    assert.equal(parseDuration("30s"), 30_000);
    for (const bad of ["", "7", "d", "7x", "-1d", "1d2h"]) {
      assert.equal(parseDuration(bad), null, bad);
    }
  });

  it("parseTimeFlag() takes durations ago, local dates and date-times", () => {
    assert.equal(parseTimeFlag("--since", "2h", NOW), NOW - 7_200_000);
    assert.equal(parseTimeFlag("--since", "2026-11-01", NOW), new Date(2026, 10, 1).getTime());
    assert.equal(
      parseTimeFlag("--since", "2026-11-01T09:30:00Z", NOW),
      Date.parse("2026-11-01T09:30:00Z"),
    );
    assert.equal(
      parseTimeFlag("--since", "2026-11-01T09:30", NOW),
      new Date(2026, 10, 1, 9, 30).getTime(),
    );
  });

  it("parseTimeFlag() rejects nonsense with a usage error naming the flag", () => {
    for (const bad of ["yesterday", "2026-02-30", "2026-13-01", "11/01/2026"]) {
      assert.throws(
        () => parseTimeFlag("--until", bad, NOW),
        (e: unknown) =>
          e instanceof UsageError && e.message.startsWith(`Cannot parse --until "${bad}"`),
      );
    }
  });

  it("relativeTime() gives short ages", () => {
    const cases: [number, string][] = [
      [0, "now"],
      [45_000, "45s ago"],
      [12 * 60_000, "12m ago"],
      [3 * 3_600_000, "3h ago"],
      [47 * 3_600_000, "47h ago"],
      [5 * 86_400_000, "5d ago"],
      [50 * 86_400_000, "7w ago"],
      [800 * 86_400_000, "2y ago"],
    ];
    for (const [age, want] of cases) assert.equal(relativeTime(NOW - age, NOW), want);
  });

  it("parseRfc3339() orders by instant across offsets and 0–9 fractional digits", () => {
    assert.equal(
      parseRfc3339("2026-09-22T14:05:30.382143679+02:00"),
      Date.parse("2026-09-22T12:05:30.382Z"),
    );
    assert.equal(parseRfc3339("2026-09-22T12:05:30Z"), Date.parse("2026-09-22T12:05:30Z"));
    assert.equal(
      parseRfc3339("2026-09-22T12:05:30.5-05:00"),
      Date.parse("2026-09-22T17:05:30.500Z"),
    );
    assert.equal(parseRfc3339("2026-09-22 12:05:30Z"), null);
    assert.equal(parseRfc3339("garbage"), null);
  });

  it("toIsoUtc() keeps zot's UTC text and converts offsets", () => {
    assert.equal(toIsoUtc("2026-09-22T12:05:09.776051448Z"), "2026-09-22T12:05:09.776051448Z");
    assert.equal(toIsoUtc("2026-10-01T01:53:17+02:00"), "2026-09-30T23:53:17.000Z");
    assert.equal(toIsoUtc(""), null);
  });
});
