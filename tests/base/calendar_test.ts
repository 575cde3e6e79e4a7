/**
 * Tests of lib/calendar.ts: days, ISO weeks and months of instants as seen in
 * a time zone, and the instants that wall-clock times name. Expected values
 * are worked out by hand from the zones' rules for 2026:
 *
 * - Europe/Berlin: CET (+01:00); CEST (+02:00) from 2026-03-29 01:00Z to
 *   2026-10-25 01:00Z (last Sundays of March and October).
 * - America/New_York: EST (−05:00); EDT (−04:00) from 2026-03-08 07:00Z to
 *   2026-11-01 06:00Z (second Sunday of March, first Sunday of November).
 * - America/Santiago and America/Havana change at local midnight: on
 *   2026-09-06 (Santiago, −04 → −03) and 2026-03-08 (Havana, −05 → −04) the
 *   clock jumps from 00:00 to 01:00, so those days start at 01:00.
 * - 2026 begins on a Thursday: it has 53 ISO weeks, W01 starting Monday
 *   2025-12-29. 2020 (a leap year beginning on Wednesday) has 53 too.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checkTimeZone,
  clockIn,
  localTimeZone,
  startOfDay,
  utcMs,
  wallTime,
  zonedInstant,
} from "../../lib/base/calendar.ts";
import { dayKey, monthKey, weekKey } from "../../lib/base/periods.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { formatWallTime } from "../../lib/base/time.ts";

const UTC = "UTC";
const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";
const HOUR = 3_600_000;

const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();

/** [instant, zone, expected key] rows. */
type Row = [string, string, string];

function checkRows(fn: (ms: number, tz: string) => string, rows: Row[]) {
  for (const [iso, tz, expected] of rows) {
    assert.equal(fn(at(iso), tz), expected, `${iso} in ${tz}`);
  }
}

describe("dayKey", () => {
  it("puts the same instant on different days in UTC, Berlin and New York", () => {
    checkRows(dayKey, [
      ["2026-10-31T23:30:00Z", UTC, "2026-10-31"],
      ["2026-10-31T23:30:00Z", BERLIN, "2026-11-01"], // 00:30 CET
      ["2026-10-31T23:30:00Z", NEW_YORK, "2026-10-31"], // 19:30 EDT
      ["2026-11-21T02:00:00Z", UTC, "2026-11-21"],
      ["2026-11-21T02:00:00Z", BERLIN, "2026-11-21"], // 03:00 CET
      ["2026-11-21T02:00:00Z", NEW_YORK, "2026-11-20"], // 21:00 EST
    ]);
  });

  it("turns over at local midnight in UTC", () => {
    checkRows(dayKey, [
      ["2026-11-01T23:59:59.999Z", UTC, "2026-11-01"],
      ["2026-11-02T00:00:00Z", UTC, "2026-11-02"],
    ]);
  });

  it("turns over at local midnight on Berlin's DST transition days", () => {
    checkRows(dayKey, [
      // spring forward, 2026-03-29: a 23-hour day
      ["2026-03-28T22:59:59Z", BERLIN, "2026-03-28"], // 23:59:59 CET
      ["2026-03-28T23:00:00Z", BERLIN, "2026-03-29"], // 00:00 CET
      ["2026-03-29T21:59:59Z", BERLIN, "2026-03-29"], // 23:59:59 CEST
      ["2026-03-29T22:00:00Z", BERLIN, "2026-03-30"],
      // fall back, 2026-10-25: a 25-hour day
      ["2026-10-24T21:59:59Z", BERLIN, "2026-10-24"], // 23:59:59 CEST
      ["2026-10-24T22:00:00Z", BERLIN, "2026-10-25"], // 00:00 CEST
      ["2026-10-25T22:59:59Z", BERLIN, "2026-10-25"], // 23:59:59 CET
      ["2026-10-25T23:00:00Z", BERLIN, "2026-10-26"],
    ]);
  });

  it("turns over at local midnight on New York's DST transition days", () => {
    checkRows(dayKey, [
      ["2026-03-08T04:59:59Z", NEW_YORK, "2026-03-07"], // 23:59:59 EST
      ["2026-03-08T05:00:00Z", NEW_YORK, "2026-03-08"],
      ["2026-03-09T03:59:59Z", NEW_YORK, "2026-03-08"], // 23:59:59 EDT
      ["2026-03-09T04:00:00Z", NEW_YORK, "2026-03-09"],
      ["2026-11-01T03:59:59Z", NEW_YORK, "2026-10-31"], // 23:59:59 EDT
      ["2026-11-01T04:00:00Z", NEW_YORK, "2026-11-01"],
      ["2026-11-01T05:30:00Z", NEW_YORK, "2026-11-01"], // 01:30 EDT
      ["2026-11-01T06:30:00Z", NEW_YORK, "2026-11-01"], // 01:30 EST, again
      ["2026-11-02T04:59:59Z", NEW_YORK, "2026-11-01"], // 23:59:59 EST
      ["2026-11-02T05:00:00Z", NEW_YORK, "2026-11-02"],
    ]);
  });
});

describe("monthKey", () => {
  it("puts month-end instants in different months by zone", () => {
    checkRows(monthKey, [
      ["2026-02-28T23:30:00Z", UTC, "2026-02"],
      ["2026-02-28T23:30:00Z", BERLIN, "2026-03"], // 00:30 CET on 1 March
      ["2026-02-28T23:30:00Z", NEW_YORK, "2026-02"],
      ["2026-03-01T03:00:00Z", UTC, "2026-03"],
      ["2026-03-01T03:00:00Z", BERLIN, "2026-03"],
      ["2026-03-01T03:00:00Z", NEW_YORK, "2026-02"], // 22:00 EST on 28 February
      ["2026-10-31T23:30:00Z", BERLIN, "2026-11"],
      ["2026-11-01T03:30:00Z", NEW_YORK, "2026-10"], // 23:30 EDT on 31 October
      ["2028-02-29T23:30:00Z", UTC, "2028-02"], // leap day
      ["2028-02-29T23:30:00Z", BERLIN, "2028-03"],
    ]);
  });

  it("changes year at local New Year", () => {
    checkRows(monthKey, [
      ["2026-12-31T23:30:00Z", UTC, "2026-12"],
      ["2026-12-31T23:30:00Z", BERLIN, "2027-01"],
      ["2027-01-01T04:30:00Z", NEW_YORK, "2026-12"], // 23:30 EST
      ["2027-01-01T04:30:00Z", UTC, "2027-01"],
    ]);
    assert.equal(dayKey(at("2026-12-31T23:30:00Z"), BERLIN), "2027-01-01");
  });
});

describe("weekKey", () => {
  const monday = (ms: number, tz: string) => weekKey(ms, tz, "monday");
  const sunday = (ms: number, tz: string) => weekKey(ms, tz, "sunday");

  it("numbers Monday-first weeks as ISO 8601, with the ISO week-year", () => {
    checkRows(monday, [
      ["2025-12-28T12:00:00Z", UTC, "2025-W52"], // Sunday: 2025 has 52 weeks
      ["2025-12-29T12:00:00Z", UTC, "2026-W01"], // Monday, still 2025 on the calendar
      ["2026-01-01T12:00:00Z", UTC, "2026-W01"], // Thursday
      ["2026-11-01T12:00:00Z", UTC, "2026-W44"], // Sunday: week of Monday 26 October
      ["2026-11-02T12:00:00Z", UTC, "2026-W45"],
      ["2026-12-31T12:00:00Z", UTC, "2026-W53"], // Thursday
      ["2027-01-01T12:00:00Z", UTC, "2026-W53"], // Friday, 2027 on the calendar
      ["2027-01-03T12:00:00Z", UTC, "2026-W53"], // Sunday
      ["2027-01-04T12:00:00Z", UTC, "2027-W01"], // Monday
      ["2020-12-31T12:00:00Z", UTC, "2020-W53"],
      ["2021-01-03T12:00:00Z", UTC, "2020-W53"],
      ["2021-01-04T12:00:00Z", UTC, "2021-W01"],
      ["2024-12-30T12:00:00Z", UTC, "2025-W01"],
    ]);
  });

  it("takes the week of the local day, so zones disagree around midnight", () => {
    checkRows(monday, [
      ["2027-01-03T23:30:00Z", UTC, "2026-W53"], // Sunday 23:30
      ["2027-01-03T23:30:00Z", BERLIN, "2027-W01"], // Monday 00:30 CET
      ["2027-01-03T23:30:00Z", NEW_YORK, "2026-W53"], // Sunday 18:30 EST
      ["2021-01-03T23:30:00Z", BERLIN, "2021-W01"],
      ["2020-12-31T23:30:00Z", BERLIN, "2020-W53"], // 1 January 2021 00:30: still 2020-W53
    ]);
  });

  it("labels a Sunday-first week with the ISO week of its Monday", () => {
    checkRows(sunday, [
      ["2026-11-01T12:00:00Z", UTC, "2026-W45"], // Sunday joins the week of Monday 2 November
      ["2026-11-07T12:00:00Z", UTC, "2026-W45"], // Saturday of that week
      ["2026-10-31T12:00:00Z", UTC, "2026-W44"], // the Saturday before
      ["2027-01-02T12:00:00Z", UTC, "2026-W53"], // Saturday; its Monday is 28 December
      ["2027-01-03T12:00:00Z", UTC, "2027-W01"], // Sunday; its Monday is 4 January
      ["2027-01-09T12:00:00Z", UTC, "2027-W01"], // Saturday
      ["2020-12-27T12:00:00Z", UTC, "2020-W53"], // Sunday; its Monday is 28 December 2020
      // 2026-11-01T03:00Z is Sunday in UTC but Saturday 23:00 EDT in New York
      ["2026-11-01T03:00:00Z", NEW_YORK, "2026-W44"],
      ["2026-11-01T03:00:00Z", UTC, "2026-W45"],
    ]);
  });

  it("changes label exactly at the first day of the week, one week up or to W01 of the next year", () => {
    const dayMs = 86_400_000;
    const parse = (k: string) => {
      const m = /^(\d{4})-W(\d{2})$/.exec(k)!;
      return { year: Number(m[1]), week: Number(m[2]) };
    };
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.constantFrom("monday" as const, "sunday" as const),
        (startMs, start) => {
          const noon = Math.floor(startMs / dayMs) * dayMs + 12 * HOUR;
          let prev = weekKey(noon, UTC, start);
          for (let i = 1; i <= 14; i++) {
            const t = noon + i * dayMs;
            const key = weekKey(t, UTC, start);
            const firstDay = new Date(t).getUTCDay() === (start === "monday" ? 1 : 0);
            if (!firstDay) {
              assert.equal(key, prev);
            } else {
              const a = parse(prev);
              const b = parse(key);
              const next = b.year === a.year && b.week === a.week + 1;
              const wrap = b.year === a.year + 1 && b.week === 1 &&
                (a.week === 52 || a.week === 53);
              assert.ok(next || wrap, `${prev} → ${key}`);
            }
            // ISO: the week holding 4 January is W01; the one holding 28 December is the last.
            const d = new Date(t);
            if (start === "monday" && d.getUTCMonth() === 0 && d.getUTCDate() === 4) {
              assert.equal(key, `${d.getUTCFullYear()}-W01`);
            }
            if (start === "sunday" && d.getUTCDay() === 0) {
              assert.equal(key, weekKey(t + dayMs, UTC, "monday"));
            }
            prev = key;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("wallTime", () => {
  it("in UTC (no zone data) reads what Intl reads, BC years and the far future too (property)", () => {
    const intl = new Intl.DateTimeFormat("en-US", {
      timeZone: "UTC",
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    fc.assert(
      fc.property(fc.integer({ min: -62_198_755_200_000 * 2, max: 8.64e15 }), (ms) => {
        const p = Object.fromEntries(intl.formatToParts(ms).map((x) => [x.type, x.value]));
        const year = p.era === "BC" ? 1 - Number(p.year) : Number(p.year);
        assert.deepEqual(wallTime(ms, UTC), {
          year,
          month: Number(p.month),
          day: Number(p.day),
          hour: Number(p.hour),
          minute: Number(p.minute),
          second: Number(p.second),
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("reads midnight as hour 0, not 24", () => {
    assert.deepEqual(wallTime(at("2026-11-01T00:00:00Z"), UTC), {
      year: 2026,
      month: 11,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
    });
    assert.deepEqual(wallTime(at("2026-10-31T23:30:00Z"), BERLIN), {
      year: 2026,
      month: 11,
      day: 1,
      hour: 0,
      minute: 30,
      second: 0,
    });
  });
});

describe("startOfDay", () => {
  it("is local midnight as an instant in UTC, Berlin and New York", () => {
    assert.equal(iso(startOfDay(2026, 11, 1, UTC)), "2026-11-01T00:00:00.000Z");
    assert.equal(iso(startOfDay(2026, 11, 1, BERLIN)), "2026-10-31T23:00:00.000Z");
    assert.equal(iso(startOfDay(2026, 7, 1, BERLIN)), "2026-06-30T22:00:00.000Z");
    assert.equal(iso(startOfDay(2026, 1, 15, NEW_YORK)), "2026-01-15T05:00:00.000Z");
    assert.equal(iso(startOfDay(2027, 1, 1, BERLIN)), "2026-12-31T23:00:00.000Z");
  });

  it("gives 23- and 25-hour days on Berlin's DST transition days", () => {
    assert.equal(iso(startOfDay(2026, 3, 29, BERLIN)), "2026-03-28T23:00:00.000Z");
    assert.equal(iso(startOfDay(2026, 3, 30, BERLIN)), "2026-03-29T22:00:00.000Z");
    assert.equal(startOfDay(2026, 3, 30, BERLIN) - startOfDay(2026, 3, 29, BERLIN), 23 * HOUR);
    assert.equal(iso(startOfDay(2026, 10, 25, BERLIN)), "2026-10-24T22:00:00.000Z");
    assert.equal(iso(startOfDay(2026, 10, 26, BERLIN)), "2026-10-25T23:00:00.000Z");
    assert.equal(startOfDay(2026, 10, 26, BERLIN) - startOfDay(2026, 10, 25, BERLIN), 25 * HOUR);
  });

  it("gives 23- and 25-hour days on New York's DST transition days", () => {
    assert.equal(iso(startOfDay(2026, 3, 8, NEW_YORK)), "2026-03-08T05:00:00.000Z");
    assert.equal(iso(startOfDay(2026, 3, 9, NEW_YORK)), "2026-03-09T04:00:00.000Z");
    assert.equal(iso(startOfDay(2026, 11, 1, NEW_YORK)), "2026-11-01T04:00:00.000Z");
    assert.equal(iso(startOfDay(2026, 11, 2, NEW_YORK)), "2026-11-02T05:00:00.000Z");
  });

  it("starts every day of 2026 at local midnight, one ms after the day before, in 10 zones", () => {
    // Zones whose DST changes (if any) are away from local midnight and
    // within |offset| hours of it on no day: see the failing cases below.
    const zones = [
      UTC,
      BERLIN,
      NEW_YORK,
      "Europe/London",
      "America/Los_Angeles",
      "America/St_Johns",
      "Asia/Kolkata",
      "Asia/Tokyo",
      "Pacific/Kiritimati",
      "Pacific/Pago_Pago",
    ];
    for (const tz of zones) {
      let prev = "2025-12-31";
      for (let i = 0; i < 365; i++) {
        const d = new Date(Date.UTC(2026, 0, 1 + i));
        const key = d.toISOString().slice(0, 10);
        const start = startOfDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), tz);
        assert.equal(dayKey(start, tz), key, `${key} in ${tz}`);
        assert.equal(dayKey(start - 1, tz), prev, `${key} in ${tz}`);
        const w = wallTime(start, tz);
        assert.deepEqual([w.hour, w.minute, w.second], [0, 0, 0], `${key} in ${tz}`);
        prev = key;
      }
    }
  });

  // FAILS (bug in lib/calendar.ts zonedInstant, used by startOfDay): on the
  // day DST starts, east of UTC, midnight falls within |offset| hours before
  // the change; the offset is then probed after the change and the earlier
  // of two candidates is taken: 23:00 of the day before. Actual:
  // 2026-10-03T13:00Z (Sydney), 2026-09-26T11:00Z (Auckland).
  it("starts the day DST begins at local midnight east of UTC (Sydney 2026-10-04, Auckland 2026-09-27)", () => {
    const sydney = startOfDay(2026, 10, 4, "Australia/Sydney"); // 00:00 AEST (+10)
    const auckland = startOfDay(2026, 9, 27, "Pacific/Auckland"); // 00:00 NZST (+12)
    assert.deepEqual(
      [
        iso(sydney),
        dayKey(sydney, "Australia/Sydney"),
        iso(auckland),
        dayKey(auckland, "Pacific/Auckland"),
      ],
      ["2026-10-03T14:00:00.000Z", "2026-10-04", "2026-09-26T12:00:00.000Z", "2026-09-27"],
    );
  });

  // FAILS (same bug): where midnight itself is skipped, the day starts at
  // 01:00; actual: 23:00 of the day before (2026-09-06T03:00Z,
  // 2026-03-08T04:00Z).
  it("starts a day whose midnight does not exist at its first instant, 01:00 (Santiago, Havana)", () => {
    const santiago = startOfDay(2026, 9, 6, "America/Santiago");
    const havana = startOfDay(2026, 3, 8, "America/Havana");
    assert.deepEqual(
      [
        iso(santiago),
        dayKey(santiago, "America/Santiago"),
        iso(havana),
        dayKey(havana, "America/Havana"),
      ],
      ["2026-09-06T04:00:00.000Z", "2026-09-06", "2026-03-08T05:00:00.000Z", "2026-03-08"],
    );
  });
});

describe("zonedInstant", () => {
  const wall = (year: number, month: number, day: number, hour: number, minute: number) => ({
    year,
    month,
    day,
    hour,
    minute,
    second: 0,
  });

  it("names the instant of an ordinary wall-clock time", () => {
    assert.equal(iso(zonedInstant(wall(2026, 7, 1, 12, 0), BERLIN)), "2026-07-01T10:00:00.000Z");
    assert.equal(
      iso(zonedInstant(wall(2026, 1, 15, 9, 30), NEW_YORK)),
      "2026-01-15T14:30:00.000Z",
    );
    assert.equal(iso(zonedInstant(wall(2026, 11, 1, 0, 0), BERLIN)), "2026-10-31T23:00:00.000Z");
  });

  // FAILS (bug in lib/calendar.ts zonedInstant): these wall times exist once,
  // but lie within |offset| hours of a DST change, so the offset is probed
  // on the wrong side of it, and min() keeps the wrong candidate. Actual:
  // 2026-03-28T23:30Z (Berlin 01:30 CET, an hour early) and
  // 2026-11-01T07:00Z (New York 03:00 EST, an hour early).
  it("maps a wall time that exists once, next to a DST change, to its instant", () => {
    assert.deepEqual(
      [
        iso(zonedInstant(wall(2026, 3, 29, 1, 30), BERLIN)), // 01:30 CET, before the gap
        iso(zonedInstant(wall(2026, 11, 1, 3, 0), NEW_YORK)), // 03:00 EST, after the overlap
      ],
      ["2026-03-29T00:30:00.000Z", "2026-11-01T08:00:00.000Z"],
    );
  });

  // FAILS (bug in lib/calendar.ts zonedInstant): a gap time is moved backward
  // by the gap (Berlin 02:30 → 01:30 CET = 00:30Z; New York 02:30 → 01:30
  // EST = 06:30Z), not forward as its doc comment says.
  it("moves a wall time in a DST gap forward by the gap (02:30 → 03:30)", () => {
    assert.deepEqual(
      [
        iso(zonedInstant(wall(2026, 3, 29, 2, 30), BERLIN)),
        iso(zonedInstant(wall(2026, 3, 8, 2, 30), NEW_YORK)),
      ],
      ["2026-03-29T01:30:00.000Z", "2026-03-08T07:30:00.000Z"],
    );
  });

  // FAILS for Berlin (bug in lib/calendar.ts zonedInstant): east of UTC it
  // returns the later instant of an overlap (02:30 CET = 01:30Z).
  it("takes the earlier instant of a wall time that happens twice (fall back)", () => {
    assert.deepEqual(
      [
        iso(zonedInstant(wall(2026, 11, 1, 1, 30), NEW_YORK)),
        iso(zonedInstant(wall(2026, 10, 25, 2, 30), BERLIN)),
      ],
      ["2026-11-01T05:30:00.000Z", "2026-10-25T00:30:00.000Z"],
    );
  });

  it("round-trips any instant's wall time away from DST changes", () => {
    fc.assert(
      fc.property(
        // 2026-05-01 to 2026-08-31: no zone below changes its offset then.
        fc.integer({ min: Date.UTC(2026, 4, 1) / 1000, max: Date.UTC(2026, 7, 31) / 1000 }),
        fc.constantFrom(UTC, BERLIN, NEW_YORK, "Asia/Kolkata", "Australia/Sydney"),
        (seconds, tz) => {
          const t = seconds * 1000;
          assert.equal(zonedInstant(wallTime(t, tz), tz), t);
        },
      ),
      { numRuns: 300 },
    );
  });

  // FAILS (the bug above): within half a day of a DST change, some wall
  // times that exist once come back an hour (or 30 minutes) early.
  it("round-trips any instant within 14 hours of a 2026 DST change (earlier instant on overlaps)", () => {
    // [zone, change (UTC), clock shift in ms], from the rules in the header
    // and Sydney (first Sundays of April/October, 03:00/02:00 local),
    // Auckland (first Sunday of April, last of September), Lord Howe (30 min).
    const changes: Array<[string, string, number]> = [
      [BERLIN, "2026-03-29T01:00:00Z", HOUR],
      [BERLIN, "2026-10-25T01:00:00Z", HOUR],
      [NEW_YORK, "2026-03-08T07:00:00Z", HOUR],
      [NEW_YORK, "2026-11-01T06:00:00Z", HOUR],
      ["Australia/Sydney", "2026-04-04T16:00:00Z", HOUR],
      ["Australia/Sydney", "2026-10-03T16:00:00Z", HOUR],
      ["Pacific/Auckland", "2026-04-04T14:00:00Z", HOUR],
      ["Pacific/Auckland", "2026-09-26T14:00:00Z", HOUR],
      ["Australia/Lord_Howe", "2026-10-03T15:30:00Z", HOUR / 2],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...changes),
        fc.integer({ min: -14 * 3600, max: 14 * 3600 }),
        ([tz, change, shift], seconds) => {
          const t = Date.parse(change) + seconds * 1000;
          const w = wallTime(t, tz);
          const back = zonedInstant(w, tz);
          assert.deepEqual(wallTime(back, tz), w, `${new Date(t).toISOString()} in ${tz}`);
          // t itself, or the earlier of the two instants of an overlap
          assert.ok(back === t || back === t - shift, `${iso(t)} → ${iso(back)} in ${tz}`);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("checkTimeZone", () => {
  it("returns a zone the runtime knows", () => {
    assert.equal(checkTimeZone(UTC), UTC);
    assert.equal(checkTimeZone(BERLIN), BERLIN);
    assert.equal(checkTimeZone(NEW_YORK), NEW_YORK);
    assert.equal(checkTimeZone(localTimeZone()), localTimeZone());
  });

  it('rejects "Mars/Base" with a UsageError naming it', () => {
    assert.throws(
      () => checkTimeZone("Mars/Base"),
      (err: unknown) =>
        err instanceof UsageError &&
        /^Cannot use time zone "Mars\/Base": not an IANA zone name/.test(err.message),
    );
  });
});

describe("clockIn", () => {
  it("clockIn() writes the date as dayKey() and formatWallTime() do: the year in four digits", () => {
    const ms = Date.parse("0999-03-01T08:30:05Z");
    assert.deepEqual(clockIn(ms, UTC), { date: "0999-03-01", time: "08:30:05" });
    assert.equal(clockIn(ms, UTC).date, dayKey(ms, UTC));
    assert.equal(formatWallTime(ms, UTC), "0999-03-01 08:30:05");
  });
});

describe("years 0–99 (the Date.UTC pitfall)", () => {
  it("utcMs() keeps years 0–99 where Date.UTC moves them to 1900–1999", () => {
    assert.equal(utcMs(50, 3, 1), Date.parse("0050-03-01T00:00:00Z"));
    assert.equal(utcMs(0, 1, 1, 12), Date.parse("0000-01-01T12:00:00Z"));
    assert.equal(utcMs(99, 12, 31, 23, 59, 59), Date.parse("0099-12-31T23:59:59Z"));
    assert.equal(
      utcMs(2026, 2, 29),
      Date.parse("2026-03-01T00:00:00Z"),
      "rolls over like Date.UTC",
    );
  });

  it("wallTime(), dayKey(), startOfDay() agree on any day of 0000–0099 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.constantFrom(UTC, BERLIN, NEW_YORK),
        (year, month, day, tz) => {
          const start = startOfDay(year, month, day, tz);
          const w = wallTime(start, tz);
          assert.deepEqual([w.year, w.month, w.day, w.hour, w.minute, w.second], [
            year,
            month,
            day,
            0,
            0,
            0,
          ]);
          const key = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${
            String(day).padStart(2, "0")
          }`;
          assert.equal(dayKey(start, tz), key);
          assert.equal(monthKey(start, tz), key.slice(0, 7));
        },
      ),
    );
  });

  it("the year 1 BC is year 0, as in ISO 8601", () => {
    const w = wallTime(Date.parse("0000-06-01T12:00:00Z"), UTC);
    assert.deepEqual([w.year, w.month, w.day], [0, 6, 1]);
  });
});
