import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseTimePoint, parseTimeRange } from "../../lib/base/time.ts";
import { parseSpokenTime } from "../../lib/base/time_words.ts";
import { type CalendarDate, startOfDay, utcMs, wallTime } from "../../lib/base/calendar.ts";
import { UsageError } from "../../lib/base/errors.ts";

const NOW = Date.parse("2026-11-25T14:30:00Z"); // a Wednesday; 15:30 in Berlin
const BERLIN = "Europe/Berlin";
const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"];
const D = 86_400_000;

/** Days from 1970-01-01 of a calendar date: to compare and subtract dates. */
const dayNumber = (d: CalendarDate) => utcMs(d.year, d.month, d.day) / D;
const weekdayOf = (d: CalendarDate) => new Date(utcMs(d.year, d.month, d.day)).getUTCDay();

describe("times as people say them", () => {
  const table: [string, string, string, string][] = [
    // flag, text, instant, label (Berlin, on Wednesday 2026-11-25 15:30)
    ["--since", "2 days ago", "2026-11-23T14:30:00.000Z", "2026-11-23 15:30 (2 days ago)"],
    ["--since", "2 DAYS AGO", "2026-11-23T14:30:00.000Z", "2026-11-23 15:30 (2 days ago)"],
    ["--since", "7days", "2026-11-18T14:30:00.000Z", "2026-11-18 15:30 (7days ago)"],
    ["--since", " 7  Days ", "2026-11-18T14:30:00.000Z", "2026-11-18 15:30 (7 days ago)"],
    ["--since", "1 day ago", "2026-11-24T14:30:00.000Z", "2026-11-24 15:30 (1 day ago)"],
    ["--since", "an hour ago", "2026-11-25T13:30:00.000Z", "2026-11-25 14:30 (an hour ago)"],
    ["--since", "a week ago", "2026-11-18T14:30:00.000Z", "2026-11-18 15:30 (a week ago)"],
    ["--since", "90 minutes ago", "2026-11-25T13:00:00.000Z", "2026-11-25 14:00 (90 minutes ago)"],
    ["--since", "1 min ago", "2026-11-25T14:29:00.000Z", "2026-11-25 15:29 (1 min ago)"],
    ["--since", "30 secs ago", "2026-11-25T14:29:30.000Z", "2026-11-25 15:29:30 (30 secs ago)"],
    ["--since", "1.5 hours ago", "2026-11-25T13:00:00.000Z", "2026-11-25 14:00 (1.5 hours ago)"],
    ["--since", "2 hrs ago", "2026-11-25T12:30:00.000Z", "2026-11-25 13:30 (2 hrs ago)"],
    [
      "--since",
      "1 week, 2 days ago",
      "2026-11-16T14:30:00.000Z",
      "2026-11-16 15:30 (1 week, 2 days ago)",
    ],
    ["--since", "3d ago", "2026-11-22T14:30:00.000Z", "2026-11-22 15:30 (3d ago)"],
    // Calendar months, in the zone: 15:30 in summer time.
    ["--since", "3 months ago", "2026-08-25T13:30:00.000Z", "2026-08-25 15:30 (3 months ago)"],
    ["--since", "1 year ago", "2025-11-25T14:30:00.000Z", "2025-11-25 15:30 (1 year ago)"],
    ["--since", "2 years ago", "2024-11-25T14:30:00.000Z", "2024-11-25 15:30 (2 years ago)"],
    ["--until", "2 days ago", "2026-11-23T14:30:00.000Z", "2026-11-23 15:30 (2 days ago)"],
    ["--since", "0 days ago", "2026-11-25T14:30:00.000Z", "2026-11-25 15:30 (now)"],
    // Periods: the first day's start; to --until, the last day's end.
    ["--since", "this week", "2026-11-22T23:00:00.000Z", "2026-11-23 (this week)"],
    ["--until", "this week", "2026-11-29T22:59:59.999Z", "2026-11-29 (this week)"],
    ["--since", "Last Week", "2026-11-15T23:00:00.000Z", "2026-11-16 (last week)"],
    ["--until", "last week", "2026-11-22T22:59:59.999Z", "2026-11-22 (last week)"],
    ["--since", "this month", "2026-10-31T23:00:00.000Z", "2026-11-01 (this month)"],
    ["--until", "this month", "2026-11-30T22:59:59.999Z", "2026-11-30 (this month)"],
    ["--since", "last month", "2026-09-30T22:00:00.000Z", "2026-10-01 (last month)"],
    ["--until", "last month", "2026-10-31T22:59:59.999Z", "2026-10-31 (last month)"],
    ["--since", "this year", "2025-12-31T23:00:00.000Z", "2026-01-01 (this year)"],
    ["--until", "this year", "2026-12-31T22:59:59.999Z", "2026-12-31 (this year)"],
    ["--since", "last  year", "2024-12-31T23:00:00.000Z", "2025-01-01 (last year)"],
    ["--until", "last year", "2025-12-31T22:59:59.999Z", "2025-12-31 (last year)"],
    // Weekdays: the latest, today included; "last": the latest before today.
    ["--since", "monday", "2026-11-22T23:00:00.000Z", "2026-11-23 (monday)"],
    ["--until", "Monday", "2026-11-23T22:59:59.999Z", "2026-11-23 (monday)"],
    ["--since", "last monday", "2026-11-22T23:00:00.000Z", "2026-11-23 (last monday)"],
    ["--since", "this monday", "2026-11-22T23:00:00.000Z", "2026-11-23 (this monday)"],
    ["--since", "wednesday", "2026-11-24T23:00:00.000Z", "2026-11-25 (wednesday)"],
    ["--since", "last wednesday", "2026-11-17T23:00:00.000Z", "2026-11-18 (last wednesday)"],
    ["--since", "thursday", "2026-11-18T23:00:00.000Z", "2026-11-19 (thursday)"],
    ["--since", "Sun", "2026-11-21T23:00:00.000Z", "2026-11-22 (sun)"],
    ["--since", "last tues", "2026-11-23T23:00:00.000Z", "2026-11-24 (last tues)"],
    ["--since", "LAST  Friday", "2026-11-19T23:00:00.000Z", "2026-11-20 (last friday)"],
    ["--since", "sat", "2026-11-20T23:00:00.000Z", "2026-11-21 (sat)"],
  ];
  for (const [flag, text, instant, label] of table) {
    it(`${flag} "${text}" → ${instant}, shown as "${label}"`, () => {
      const p = parseTimePoint(flag, text, NOW, BERLIN);
      assert.equal(new Date(p.ms).toISOString(), instant);
      assert.equal(p.label, label);
    });
  }

  it("weeks start on the week start asked for", () => {
    const sunday = parseTimeRange("this week", "this week", NOW, BERLIN, "sunday");
    assert.deepEqual([sunday.since?.label, sunday.until?.label], [
      "2026-11-22 (this week)",
      "2026-11-28 (this week)",
    ]);
    const last = parseTimeRange("last week", "last week", NOW, BERLIN, "sunday");
    assert.deepEqual([last.since?.label, last.until?.label], [
      "2026-11-15 (last week)",
      "2026-11-21 (last week)",
    ]);
  });

  it("a day is the zone's: near midnight the zones disagree on which Monday is latest", () => {
    const now = Date.parse("2026-11-23T02:00:00Z"); // Monday in Berlin, Sunday in New York
    assert.equal(parseTimePoint("--since", "monday", now, BERLIN).label, "2026-11-23 (monday)");
    assert.equal(
      parseTimePoint("--since", "monday", now, "America/New_York").label,
      "2026-11-16 (monday)",
    );
    assert.equal(
      parseTimePoint("--since", "last monday", now, BERLIN).label,
      "2026-11-16 (last monday)",
    );
  });

  const bad = [
    "next week",
    "tomorrow",
    "2 days from now",
    "in 2 days",
    "last 7 days",
    "this day",
    "ago",
    "2 fortnights ago",
    "1.5 months ago",
    "1 day 2 days ago",
    "constructor",
    "last toString",
    "2 days ago ago",
    "mondays",
  ];
  for (const text of bad) {
    it(`"${text}" is a one-line usage error listing the accepted forms`, () => {
      assert.throws(
        () => parseTimePoint("--since", text, NOW, BERLIN),
        (e: unknown) =>
          e instanceof UsageError &&
          e.message ===
            `Cannot parse --since "${text}": expected now, today, yesterday, a date (2026-11-01, 20261101), ` +
              "a date-time (2026-11-01 09:30), a time ago (90m, 7d, 2d3h, 3mo, 2 days ago), " +
              "this or last week, month or year, or a weekday (monday, last friday)",
      );
    });
  }
});

describe("times as people say them (properties, the clock pinned by each case)", () => {
  const nowArb = fc.integer({
    min: Date.parse("1990-01-01T00:00:00Z"),
    max: Date.parse("2090-01-01T00:00:00Z"),
  });
  const zoneArb = fc.constantFrom(...ZONES);
  const NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
  const caseArb = (text: string) =>
    fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((up) =>
      [...text].map((c, i) => up[i] ? c.toUpperCase() : c).join("")
    );

  it("a weekday is the latest such day, today included; with last, before today", () => {
    fc.assert(
      fc.property(nowArb, zoneArb, fc.nat(6), fc.boolean(), (now, tz, dow, last) => {
        const text = `${last ? "last " : ""}${NAMES[dow]}`;
        const got = parseSpokenTime(text, now, tz);
        assert.ok(got?.kind === "days");
        assert.deepEqual(got.first, got.last);
        assert.equal(weekdayOf(got.first), dow);
        const back = dayNumber(wallTime(now, tz)) - dayNumber(got.first);
        assert.ok(last ? back >= 1 && back <= 7 : back >= 0 && back <= 6, `${text}: ${back}`);
      }),
    );
  });

  it("this week holds today and starts on the week start; last week is the seven days before", () => {
    fc.assert(
      fc.property(
        nowArb,
        zoneArb,
        fc.constantFrom("monday" as const, "sunday" as const),
        (now, tz, start) => {
          const today = dayNumber(wallTime(now, tz));
          const week = parseSpokenTime("this week", now, tz, start);
          const before = parseSpokenTime("last week", now, tz, start);
          assert.ok(week?.kind === "days" && before?.kind === "days");
          assert.equal(weekdayOf(week.first), start === "monday" ? 1 : 0);
          assert.equal(dayNumber(week.last) - dayNumber(week.first), 6);
          assert.ok(dayNumber(week.first) <= today && today <= dayNumber(week.last));
          assert.equal(dayNumber(before.first), dayNumber(week.first) - 7);
          assert.equal(dayNumber(before.last), dayNumber(week.first) - 1);
        },
      ),
    );
  });

  it("this month and year hold today, whole; last month and year end the day before", () => {
    fc.assert(
      fc.property(nowArb, zoneArb, fc.constantFrom("month", "year"), (now, tz, unit) => {
        const today = wallTime(now, tz);
        const span = parseSpokenTime(`this ${unit}`, now, tz);
        const before = parseSpokenTime(`last ${unit}`, now, tz);
        assert.ok(span?.kind === "days" && before?.kind === "days");
        assert.deepEqual(span.first, {
          year: today.year,
          month: unit === "year" ? 1 : today.month,
          day: 1,
        });
        // The day after the last is the first of the next month or year.
        const next = new Date(utcMs(span.last.year, span.last.month, span.last.day + 1));
        assert.equal(next.getUTCDate(), 1);
        if (unit === "year") assert.equal(next.getUTCMonth(), 0);
        assert.equal(dayNumber(before.last), dayNumber(span.first) - 1);
        assert.equal(before.first.day, 1);
        if (unit === "year") assert.equal(before.first.month, 1);
      }),
    );
  });

  it("a period to --until ends the instant before its next day starts, in the zone", () => {
    fc.assert(
      fc.property(
        nowArb,
        zoneArb,
        fc.constantFrom("this week", "last week", "this month", "last month", "this year"),
        (now, tz, text) => {
          const got = parseSpokenTime(text, now, tz);
          assert.ok(got?.kind === "days");
          const until = parseTimePoint("--until", text, now, tz).ms;
          const { year, month, day } = got.last;
          assert.equal(until + 1, startOfDay(year, month, day + 1, tz));
          assert.equal(
            parseTimePoint("--since", text, now, tz).ms,
            startOfDay(got.first.year, got.first.month, got.first.day, tz),
          );
        },
      ),
    );
  });

  it("N units ago, in any case and spacing, is the duration N of that unit ago", () => {
    const units: [string, string][] = [
      ["second", "s"],
      ["sec", "s"],
      ["minute", "m"],
      ["min", "m"],
      ["hour", "h"],
      ["hr", "h"],
      ["day", "d"],
      ["week", "w"],
      ["month", "mo"],
      ["year", "y"],
    ];
    fc.assert(
      fc.property(
        nowArb,
        zoneArb,
        fc.integer({ min: 0, max: 500 }),
        fc.constantFrom(...units),
        fc.boolean(),
        fc.constantFrom("", " ", "  "),
        fc.boolean(),
        (now, tz, n, [word, letter], plural, gap, withAgo) => {
          const said = `${n}${gap}${word}${plural ? "s" : ""}${withAgo ? " ago" : ""}`;
          const want = parseTimePoint("--since", `${n}${letter}`, now, tz).ms;
          for (const text of [said, said.toUpperCase()]) {
            assert.equal(parseTimePoint("--since", text, now, tz).ms, want, text);
          }
        },
      ),
    );
  });

  it("the words are read in any case", () => {
    const phrases = ["last week", "this month", "last year", "last thursday", "2 weeks ago"];
    fc.assert(
      fc.property(
        nowArb,
        zoneArb,
        fc.constantFrom(...phrases).chain((p) => fc.tuple(fc.constant(p), caseArb(p))),
        (now, tz, [phrase, cased]) => {
          assert.deepEqual(parseSpokenTime(cased, now, tz), parseSpokenTime(phrase, now, tz));
        },
      ),
    );
  });
});
