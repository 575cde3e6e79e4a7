/**
 * The calendar in a time zone: an instant's wall-clock time there and back,
 * the start of a day, the zone's offset, and how a date and a time of day
 * are written. Uses the runtime's Intl time zone data; no dependency. The
 * day, week and month keys of reports are in lib/base/periods.ts.
 *
 * @module
 */
import { UsageError } from "./errors.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      // Without the era, 1 BC (ISO year 0) reads as year 1.
      era: "short",
    });
    formatters.set(tz, f);
  }
  return f;
}

/**
 * Checks an IANA zone name (or `UTC`) and returns it; a usage error if the
 * runtime does not know it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTimeZone } from "./calendar.ts";
 *
 * assert.equal(checkTimeZone("Europe/Berlin"), "Europe/Berlin");
 * assert.throws(() => checkTimeZone("Mars/Olympus"), /not an IANA zone name/);
 * ```
 */
export function checkTimeZone(tz: string): string {
  if (tz === "UTC") return tz;
  try {
    formatter(tz);
    return tz;
  } catch {
    throw new UsageError(
      `Cannot use time zone "${tz}": not an IANA zone name such as Europe/Berlin or UTC`,
    );
  }
}

/** The zone the process runs in (`$TZ`, else the system's). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** A calendar date and wall-clock time. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Dates beyond what Date can hold (about ±273,000 years) are no dates. */
export const MAX_MS = 8.64e15;

/**
 * Days in a month of the proleptic Gregorian calendar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { daysInMonth } from "./calendar.ts";
 *
 * assert.deepEqual([daysInMonth(2024, 2), daysInMonth(2026, 2)], [29, 28]);
 * ```
 */
export function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month + 1, 0)).getUTCDate();
}

/**
 * The wall-clock time of an instant in a zone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wallTime } from "./calendar.ts";
 *
 * const w = wallTime(Date.parse("2026-10-31T23:30:00Z"), "Europe/Berlin");
 * assert.deepEqual([w.year, w.month, w.day, w.hour, w.minute], [2026, 11, 1, 0, 30]);
 * ```
 */
export function wallTime(ms: number, tz: string): WallTime {
  if (tz === "UTC") {
    // No zone data needed: ICU's first DateTimeFormat costs 15-22 ms of a
    // run (a CPU profile of `ls`, 2026-12-07). getUTCFullYear counts 1 BC
    // as 0, as the era arithmetic below does.
    const d = new Date(Math.floor(ms / 1000) * 1000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const out: Record<string, number> = {};
  let bc = false;
  for (const p of formatter(tz).formatToParts(ms)) {
    if (p.type === "era") bc = p.value === "BC";
    else if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return {
    year: bc ? 1 - out.year : out.year,
    month: out.month,
    day: out.day,
    hour: out.hour,
    minute: out.minute,
    second: out.second,
  };
}

/**
 * `Date.UTC` without its pitfall: years 0–99 stay years 0–99 (`Date.UTC`
 * makes them 1900–1999). Months, days and times past their range roll over.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utcMs } from "./calendar.ts";
 *
 * // The year 50, not 1950 (unlike Date.UTC).
 * assert.equal(new Date(utcMs(50, 1, 1)).getUTCFullYear(), 50);
 * ```
 */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0) {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, tz: string): number {
  const w = wallTime(ms, tz);
  const asUtc = utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in a zone. In a DST gap (a time that
 * does not exist) it is moved forward by the gap; in an overlap the earlier
 * instant is taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zonedInstant } from "./calendar.ts";
 *
 * const w = { year: 2026, month: 11, day: 1, hour: 0, minute: 0, second: 0 };
 * assert.equal(zonedInstant(w, "Europe/Berlin"), Date.parse("2026-10-31T23:00:00Z"));
 * ```
 */
export function zonedInstant(w: WallTime, tz: string): number {
  const utc = utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
  // The offsets in force well before and well after (no zone changes its
  // offset twice within a day): each gives a candidate instant; keep the
  // earliest that shows the asked wall time. None does in a gap: the
  // offset from before the change moves the time forward past it.
  const before = offsetAt(utc - 14 * 3_600_000 - 86_400_000 / 2, tz);
  const after = offsetAt(utc + 14 * 3_600_000 + 86_400_000 / 2, tz);
  const shows = (t: number) => {
    const v = wallTime(t, tz);
    return utcMs(v.year, v.month, v.day, v.hour, v.minute, v.second) === utc;
  };
  const candidates = [utc - before, utc - after].filter(shows).sort((a, b) => a - b);
  return candidates[0] ?? utc - before;
}

/**
 * The instant a calendar day starts in a zone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startOfDay } from "./calendar.ts";
 *
 * assert.equal(startOfDay(2026, 11, 1, "Europe/Berlin"), Date.parse("2026-10-31T23:00:00Z"));
 * ```
 */
export function startOfDay(year: number, month: number, day: number, tz: string): number {
  return zonedInstant({ year, month, day, hour: 0, minute: 0, second: 0 }, tz);
}

/**
 * `n` in at least `width` digits, after its sign: how every part of a date
 * or a time is written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pad } from "./calendar.ts";
 *
 * assert.deepEqual([pad(7), pad(999, 4), pad(-5, 4)], ["07", "0999", "-0005"]);
 * ```
 */
export function pad(n: number, width = 2): string {
  return n < 0 ? `-${String(-n).padStart(width, "0")}` : String(n).padStart(width, "0");
}

/** A calendar date. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * A date as every date is written: `YYYY-MM-DD`, the year in four digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dateText } from "./calendar.ts";
 *
 * assert.equal(dateText({ year: 999, month: 3, day: 1 }), "0999-03-01");
 * ```
 */
export function dateText(w: CalendarDate): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/**
 * A wall-clock time of day as every one is written: `HH:MM:SS`, or `HH:MM`
 * when `seconds` is "unless-zero" and they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeText } from "./calendar.ts";
 *
 * const w = { year: 2026, month: 11, day: 1, hour: 9, minute: 30, second: 0 };
 * assert.equal(timeText(w, "always"), "09:30:00");
 * assert.equal(timeText(w, "unless-zero"), "09:30");
 * ```
 */
export function timeText(w: WallTime, seconds: "always" | "unless-zero"): string {
  const s = seconds === "always" || w.second !== 0 ? `:${pad(w.second)}` : "";
  return `${pad(w.hour)}:${pad(w.minute)}${s}`;
}

/**
 * The zone's offset from UTC at an instant, as `+02:00` / `-04:00` / `+00:00`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utcOffset } from "./calendar.ts";
 *
 * assert.equal(utcOffset(Date.parse("2026-09-22T12:00:00Z"), "Europe/Berlin"), "+02:00");
 * ```
 */
export function utcOffset(ms: number, tz: string): string {
  const minutes = Math.round(offsetAt(ms, tz) / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The date (`YYYY-MM-DD`) and the time of day (`HH:MM:SS`) of an instant in
 * a zone, for showing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clockIn } from "./calendar.ts";
 *
 * assert.deepEqual(clockIn(Date.parse("2026-09-22T12:05:30Z"), "Europe/Berlin"), {
 *   date: "2026-09-22",
 *   time: "14:05:30",
 * });
 * ```
 */
export function clockIn(ms: number, tz: string): { date: string; time: string } {
  const w = wallTime(ms, tz);
  return { date: dateText(w), time: timeText(w, "always") };
}
