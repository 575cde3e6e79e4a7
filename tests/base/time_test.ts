import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { durationBefore, durationFlag, parseDuration } from "../../lib/base/duration.ts";
import { parseRfc3339, parseTimePoint, parseTimeRange, toIsoUtc } from "../../lib/base/time.ts";
import { startOfDay, utcMs, wallTime } from "../../lib/base/calendar.ts";
import { UsageError } from "../../lib/base/errors.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");

/** A point in time from a flag, in milliseconds. */
const parseTimeFlag = (flag: string, text: string, nowMs: number, tz?: string): number =>
  parseTimePoint(flag, text, nowMs, tz).ms;

describe("time", () => {
  it("parseTimeFlag() reads dates and date-times in the process's zone by default", () => {
    assert.equal(parseTimeFlag("--since", "2026-11-01", NOW), new Date(2026, 10, 1).getTime());
    assert.equal(
      parseTimeFlag("--since", "2026-11-01T09:30", NOW),
      new Date(2026, 10, 1, 9, 30).getTime(),
    );
    assert.equal(parseTimeFlag("--since", "2h", NOW), NOW - 2 * 3_600_000);
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

// ---------------------------------------------------------------------------
// Times as people type them

const H = 3_600_000;
const D = 24 * H;
const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const daysIn = (y: number, m: number) => new Date(utcMs(y, m + 1, 0)).getUTCDate();

describe("parseDuration", () => {
  const good: [string, { months: number; ms: number }][] = [
    ["0", { months: 0, ms: 0 }],
    ["30s", { months: 0, ms: 30_000 }],
    ["90m", { months: 0, ms: 90 * 60_000 }],
    ["1.5h", { months: 0, ms: 1.5 * H }],
    ["12h", { months: 0, ms: 12 * H }],
    ["7d", { months: 0, ms: 7 * D }],
    ["4w", { months: 0, ms: 28 * D }],
    ["3mo", { months: 3, ms: 0 }],
    ["1y", { months: 12, ms: 0 }],
    ["2d3h", { months: 0, ms: 2 * D + 3 * H }],
    ["1y2mo", { months: 14, ms: 0 }],
    ["3h2d", { months: 0, ms: 2 * D + 3 * H }],
    ["1y2mo3w4d5h6m7s", { months: 14, ms: 25 * D + 5 * H + 6 * 60_000 + 7000 }],
    ["2d 3h", { months: 0, ms: 2 * D + 3 * H }],
    ["0d", { months: 0, ms: 0 }],
  ];
  for (const [text, want] of good) {
    it(`"${text}" is ${JSON.stringify(want)}`, () => assert.deepEqual(parseDuration(text), want));
  }
  for (
    const bad of ["", "7", "d", "7x", "-1d", "1d1d", "1.5mo", "0.5y", "5ms", "2D", "1 d", "1d\n2h"]
  ) {
    it(`"${bad.replace("\n", "\\n")}" is no duration`, () =>
      assert.equal(parseDuration(bad), null));
  }

  it("reads any combination of units in any order as their sum (property)", () => {
    const unitMs: Record<string, number> = { w: 7 * D, d: D, h: H, m: 60_000, s: 1000 };
    const part = fc.tuple(fc.constantFrom("y", "mo", "w", "d", "h", "m", "s"), fc.nat(500));
    fc.assert(
      fc.property(
        fc.uniqueArray(part, { minLength: 1, maxLength: 7, selector: (p) => p[0] }),
        (parts) => {
          const text = parts.map(([u, n]) => `${n}${u}`).join("");
          let months = 0;
          let ms = 0;
          for (const [u, n] of parts) {
            if (u === "y") months += 12 * n;
            else if (u === "mo") months += n;
            else ms += n * unitMs[u];
          }
          assert.deepEqual(parseDuration(text), { months, ms });
        },
      ),
    );
  });
});

describe("durationBefore", () => {
  it("goes back calendar months, keeping the wall time, on the last day when the day is missing", () => {
    const cases: [string, number, string][] = [
      ["2026-03-31T12:00:00Z", 1, "2026-02-28T12:00:00Z"],
      ["2028-03-31T12:00:00Z", 1, "2028-02-29T12:00:00Z"],
      ["2026-11-25T12:00:00.250Z", 12, "2025-11-25T12:00:00.250Z"],
      ["2026-01-15T00:00:00Z", 14, "2024-11-15T00:00:00Z"],
      ["0100-03-01T00:00:00Z", 12 * 50, "0050-03-01T00:00:00Z"],
    ];
    for (const [now, months, want] of cases) {
      assert.equal(
        new Date(durationBefore({ months, ms: 0 }, Date.parse(now), "UTC")).toISOString(),
        new Date(Date.parse(want)).toISOString(),
        `${months}mo before ${now}`,
      );
    }
  });

  it("a month back in a zone is the same wall-clock time (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse("1990-01-01T00:00:00Z"),
          max: Date.parse("2090-01-01T00:00:00Z"),
        }),
        fc.integer({ min: 0, max: 240 }),
        fc.constantFrom(...ZONES),
        (now, months, tz) => {
          const w = wallTime(now, tz);
          const got = wallTime(durationBefore({ months, ms: 0 }, now, tz), tz);
          const total = w.year * 12 + w.month - 1 - months;
          const year = Math.floor(total / 12);
          const month = total - 12 * year + 1;
          assert.deepEqual([got.year, got.month, got.day], [
            year,
            month,
            Math.min(w.day, daysIn(year, month)),
          ]);
          // The same time of day, unless that time does not exist there
          // (a clock change): then a later one, within the gap.
          const shown = utcMs(got.year, got.month, got.day, got.hour, got.minute, got.second);
          const want = utcMs(year, month, got.day, w.hour, w.minute, w.second);
          assert.ok(shown >= want && shown - want <= 2 * H, `${months}mo before ${now} in ${tz}`);
        },
      ),
    );
  });
});

describe("parseTimePoint", () => {
  const NOW2 = Date.parse("2026-11-25T14:30:00Z"); // a Wednesday; 15:30 in Berlin
  const BERLIN = "Europe/Berlin";
  const table: [string, string, string, string][] = [
    // flag, text, instant, label
    ["--since", "today", "2026-11-24T23:00:00.000Z", "2026-11-25 (today)"],
    ["--until", "today", "2026-11-25T22:59:59.999Z", "2026-11-25 (today)"],
    ["--since", "yesterday", "2026-11-23T23:00:00.000Z", "2026-11-24 (yesterday)"],
    ["--until", "Yesterday", "2026-11-24T22:59:59.999Z", "2026-11-24 (yesterday)"],
    ["--since", "now", "2026-11-25T14:30:00.000Z", "2026-11-25 15:30 (now)"],
    ["--since", "2026-11-01", "2026-10-31T23:00:00.000Z", "2026-11-01"],
    ["--until", "2026-11-01", "2026-11-01T22:59:59.999Z", "2026-11-01"],
    ["--since", "20261101", "2026-10-31T23:00:00.000Z", "2026-11-01"],
    ["--until", "20261130", "2026-11-30T22:59:59.999Z", "2026-11-30"],
    ["--since", "2026-11-01T09:30", "2026-11-01T08:30:00.000Z", "2026-11-01 09:30"],
    ["--since", "2026-11-01 09:30", "2026-11-01T08:30:00.000Z", "2026-11-01 09:30"],
    ["--since", "2026-11-01 09:30:15", "2026-11-01T08:30:15.000Z", "2026-11-01 09:30:15"],
    ["--since", "2026-11-01T09:30:15.5", "2026-11-01T08:30:15.500Z", "2026-11-01 09:30:15"],
    ["--since", "2026-11-01T09:30Z", "2026-11-01T09:30:00.000Z", "2026-11-01 10:30"],
    ["--since", "2026-11-01 09:30:00z", "2026-11-01T09:30:00.000Z", "2026-11-01 10:30"],
    ["--since", "2026-11-01T09:30+05:30", "2026-11-01T04:00:00.000Z", "2026-11-01 05:00"],
    ["--since", "2026-11-01T09:30-0800", "2026-11-01T17:30:00.000Z", "2026-11-01 18:30"],
    ["--since", "2026-11-01 09:30 +01", "2026-11-01T08:30:00.000Z", "2026-11-01 09:30"],
    ["--until", "2026-11-01T09:30", "2026-11-01T08:30:00.000Z", "2026-11-01 09:30"],
    ["--since", "2h", "2026-11-25T12:30:00.000Z", "2026-11-25 13:30 (2h ago)"],
    ["--since", "2d3h", "2026-11-23T11:30:00.000Z", "2026-11-23 12:30 (2d3h ago)"],
    ["--since", "1w", "2026-11-18T14:30:00.000Z", "2026-11-18 15:30 (1w ago)"],
    // 15:30 on the day Berlin's clocks went back: a month and an hour ago.
    ["--since", "1mo", "2026-10-25T14:30:00.000Z", "2026-10-25 15:30 (1mo ago)"],
    ["--since", "1y2mo", "2025-09-25T13:30:00.000Z", "2025-09-25 15:30 (1y2mo ago)"],
    ["--since", "0", "2026-11-25T14:30:00.000Z", "2026-11-25 15:30 (now)"],
    // The Date.UTC pitfall: years 0–99 stay there.
    ["--since", "0050-03-01", "0050-02-28T23:06:32.000Z", "0050-03-01"],
    ["--since", "0000-01-01T00:00Z", "0000-01-01T00:00:00.000Z", "0000-01-01 00:53:28"],
    ["--since", "00991231", "0099-12-30T23:06:32.000Z", "0099-12-31"],
    ["--since", "2024-02-29", "2024-02-28T23:00:00.000Z", "2024-02-29"],
  ];
  for (const [flag, text, instant, label] of table) {
    it(`${flag} "${text}" → ${instant}, shown as "${label}"`, () => {
      const p = parseTimePoint(flag, text, NOW2, BERLIN);
      assert.equal(new Date(p.ms).toISOString(), new Date(Date.parse(instant)).toISOString());
      assert.equal(p.label, label);
    });
  }

  const bad: [string, RegExp][] = [
    ["-5d", /a time cannot be negative: 5d already means 5d ago/],
    ["-2d3h", /cannot be negative/],
    ["7", /a duration needs a unit: 7d, 7h, 7m/],
    ["2026-02-29", /no such date/],
    ["20261301", /no such date/],
    ["2026-11-31 10:00", /no such date or time/],
    ["2026-11-01T24:00", /no such date or time/],
    ["2026-11-01T09:30+25:00", /no such offset/],
    ["11/01/2026", /expected now, today, yesterday, a date/],
    ["tomorrow", /expected now, today, yesterday, a date/],
    ["2026-11-01T09", /expected now, today/],
    ["999999999999d", /too far away/],
  ];
  for (const [text, message] of bad) {
    it(`"${text}" is a usage error naming the flag: ${message.source}`, () => {
      assert.throws(
        () => parseTimePoint("--until", text, NOW2, BERLIN),
        (e: unknown) =>
          e instanceof UsageError && e.message.startsWith(`Cannot parse --until "${text}": `) &&
          message.test(e.message),
      );
    });
  }

  it("a date is the day's start, or its end for --until, in any zone, 0000–9999 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.constantFrom(...ZONES),
        (year, month, d, tz) => {
          const day = Math.min(d, daysIn(year, month));
          const iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
          const since = parseTimePoint("--since", iso, NOW, tz);
          assert.equal(since.label, iso);
          assert.equal(parseTimePoint("--since", iso.replaceAll("-", ""), NOW, tz).ms, since.ms);
          const w = wallTime(since.ms, tz);
          assert.deepEqual([w.year, w.month, w.day], [year, month, day]);
          assert.equal(since.ms, startOfDay(year, month, day, tz));
          // --until: the last millisecond of that day.
          const until = parseTimePoint("--until", iso, NOW, tz).ms;
          const after = wallTime(until + 1, tz);
          assert.notDeepEqual([after.year, after.month, after.day], [year, month, day]);
          const last = wallTime(until, tz);
          assert.deepEqual([last.year, last.month, last.day], [year, month, day]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a date-time with an offset is that instant, as Date.parse reads ISO 8601 (property)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("0000-01-01T00:00:00Z"),
          max: new Date("9999-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.boolean(),
        (date, offsetMin, space) => {
          const iso = date.toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
          const sign = offsetMin < 0 ? "-" : "+";
          const off = `${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${
            pad(Math.abs(offsetMin) % 60)
          }`;
          const text = `${space ? iso.replace("T", " ") : iso}${off}`;
          assert.equal(parseTimeFlag("--since", text, NOW, "UTC"), Date.parse(iso + off));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a date-time without an offset is that wall-clock time in the zone (property)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-01-01T00:00:00Z"),
          max: new Date("2100-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        fc.constantFrom(...ZONES),
        (date, tz) => {
          const text = date.toISOString().slice(0, 19).replace("T", " ");
          const ms = parseTimeFlag("--since", text, NOW, tz);
          const w = wallTime(ms, tz);
          const asked = wallTime(Date.parse(text.replace(" ", "T") + "Z"), "UTC");
          // Equal, unless that wall time does not exist there (a clock
          // change): then a later one, within the gap.
          const shown = utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
          const want = utcMs(
            asked.year,
            asked.month,
            asked.day,
            asked.hour,
            asked.minute,
            asked.second,
          );
          assert.ok(shown >= want && shown - want <= 2 * H, `${text} in ${tz}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a negative duration is refused as negative, never as something else (property)", () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.constantFrom("y", "mo", "w", "d", "h", "m", "s"),
        (n, unit) => {
          assert.throws(
            () => parseTimePoint("--until", `-${n}${unit}`, NOW, "UTC"),
            (e: unknown) => e instanceof UsageError && /cannot be negative/.test(e.message),
          );
        },
      ),
    );
  });
});

describe("parseTimeRange", () => {
  it("refuses a range that ends before it starts", () => {
    assert.throws(
      () => parseTimeRange("2026-11-05", "2026-11-01", NOW, "UTC"),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message ===
          'Cannot use --since "2026-11-05" with --until "2026-11-01": the range ends before it starts',
    );
    assert.throws(() => parseTimeRange("2d", "3d", NOW, "UTC"), UsageError);
    assert.throws(() => parseTimeRange("today", "yesterday", NOW, "UTC"), UsageError);
  });

  it("takes a one-day range, open ends and an instant range", () => {
    const day = parseTimeRange("2026-11-01", "2026-11-01", NOW, "UTC");
    assert.equal(day.until!.ms - day.since!.ms, D - 1);
    assert.equal(parseTimeRange(undefined, "2026-11-01", NOW, "UTC").since, null);
    assert.equal(parseTimeRange("3d", undefined, NOW, "UTC").until, null);
    const same = parseTimeRange("2026-11-01T10:00Z", "2026-11-01T10:00Z", NOW, "UTC");
    assert.equal(same.since!.ms, same.until!.ms);
  });
});

describe("durationFlag", () => {
  it("is how far back a duration goes, 0 included", () => {
    assert.equal(durationFlag("--grace", "0", NOW), 0);
    assert.equal(durationFlag("--grace", "1h", NOW), H);
    assert.equal(durationFlag("--older-than", "2d3h", NOW), 2 * D + 3 * H);
    // 2026-11-25 back to 2026-10-25: October has 31 days.
    assert.equal(durationFlag("--older-than", "1mo", NOW, "UTC"), 31 * D);
    assert.equal(durationFlag("--older-than", "1y", NOW, "UTC"), 365 * D);
  });
  for (
    const [text, message] of [
      ["-1h", /Cannot parse --grace "-1h": a duration cannot be negative/],
      ["1 hour", /expected a duration such as 90m, 12h, 7d, 4w, 3mo, 1y or 2d3h/],
      ["2026-11-01", /expected a duration/],
    ] as const
  ) {
    it(`"${text}" is a usage error`, () => {
      assert.throws(
        () => durationFlag("--grace", text, NOW),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      );
    });
  }
});

describe("time flags out of range", () => {
  for (const text of ["999999999999d", "2026-11-01T09:30:99"]) {
    it(`"${text}" is a usage error`, () => {
      assert.throws(() => parseTimeFlag("--since", text, NOW), UsageError);
    });
  }
});
