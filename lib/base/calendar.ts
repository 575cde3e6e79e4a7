/**
 * Calendar keys in a time zone: the day, ISO week and month an instant falls
 * in, as a user in that zone would say it. Uses the runtime's Intl time zone
 * data; no dependency.
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

/** `n` in at least `width` digits, after its sign. */
const pad = (n: number, width = 2) =>
  n < 0 ? `-${String(-n).padStart(width, "0")}` : String(n).padStart(width, "0");

/**
 * `YYYY-MM-DD` of the day an instant falls in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dayKey } from "./calendar.ts";
 *
 * assert.equal(dayKey(Date.parse("2026-10-31T23:30:00Z"), "Europe/Berlin"), "2026-11-01");
 * ```
 */
export function dayKey(ms: number, tz: string): string {
  return dateText(wallTime(ms, tz));
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

function monthKeyOf(w: CalendarDate): string {
  return `${pad(w.year, 4)}-${pad(w.month)}`;
}

function weekKeyOf(w: CalendarDate, weekStart: "monday" | "sunday"): string {
  const date = new Date(utcMs(w.year, w.month, w.day + (weekStart === "sunday" ? 1 : 0)));
  const dow = (date.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(date.getTime() + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - utcMs(year, 1, 1)) / (7 * 86_400_000));
  return `${pad(year, 4)}-W${pad(week)}`;
}

/**
 * {@linkcode dayKey}, {@linkcode weekKey} and {@linkcode monthKey} for many
 * instants in one zone, fast: the zone's date is looked up (`Intl`, ~1–8 µs)
 * once per day, not once per instant. It keeps the last day's bounds, the
 * instants where that day starts and the next one starts in the zone
 * ({@linkcode startOfDay}), and answers instants between them without a
 * lookup. A session's spend events come in time order, mostly on one day.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ZonedDays } from "./calendar.ts";
 * const days = new ZonedDays("Europe/Berlin");
 * assert.equal(days.dayKey(Date.parse("2026-10-31T23:30:00Z")), "2026-11-01");
 * assert.equal(days.weekKey(Date.parse("2026-01-01T12:00:00Z"), "monday"), "2026-W01");
 * assert.equal(days.monthKey(Date.parse("2026-10-31T22:59:59Z")), "2026-10");
 * ```
 */
export class ZonedDays {
  #start = Infinity;
  #end = -Infinity;
  #date: CalendarDate = { year: 0, month: 0, day: 0 };
  #keys: Map<string, string> = new Map();

  constructor(readonly tz: string) {}

  /** The zone's date at `ms`. */
  dateOf(ms: number): CalendarDate {
    if (ms >= this.#start && ms < this.#end) return this.#date;
    const w = wallTime(ms, this.tz);
    this.#date = { year: w.year, month: w.month, day: w.day };
    this.#keys = new Map();
    const start = startOfDay(w.year, w.month, w.day, this.tz);
    const end = startOfDay(w.year, w.month, w.day + 1, this.tz);
    // Kept only when they do hold `ms` (they always should).
    [this.#start, this.#end] = start <= ms && ms < end ? [start, end] : [Infinity, -Infinity];
    return this.#date;
  }

  #key(kind: string, ms: number, make: (d: CalendarDate) => string): string {
    const d = this.dateOf(ms);
    let k = this.#keys.get(kind);
    if (k === undefined) this.#keys.set(kind, k = make(d));
    return k;
  }

  /** {@linkcode dayKey} in this zone. */
  dayKey(ms: number): string {
    return this.#key("day", ms, dateText);
  }

  /** {@linkcode monthKey} in this zone. */
  monthKey(ms: number): string {
    return this.#key("month", ms, monthKeyOf);
  }

  /** {@linkcode weekKey} in this zone. */
  weekKey(ms: number, weekStart: "monday" | "sunday"): string {
    return this.#key(weekStart, ms, (d) => weekKeyOf(d, weekStart));
  }
}

/**
 * `YYYY-MM` of the month an instant falls in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthKey } from "./calendar.ts";
 *
 * assert.equal(monthKey(Date.parse("2026-10-31T23:30:00Z"), "UTC"), "2026-10");
 * ```
 */
export function monthKey(ms: number, tz: string): string {
  return monthKeyOf(wallTime(ms, tz));
}

/**
 * `YYYY-Www` of the week an instant falls in. Monday-first weeks are ISO
 * 8601 weeks (the year is the ISO week-year). Sunday-first weeks are labelled
 * with the ISO week of their Monday: a Sunday joins the week that follows it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { weekKey } from "./calendar.ts";
 *
 * assert.equal(weekKey(Date.parse("2026-01-01T12:00:00Z"), "UTC", "monday"), "2026-W01");
 * ```
 */
export function weekKey(ms: number, tz: string, weekStart: "monday" | "sunday"): string {
  return weekKeyOf(wallTime(ms, tz), weekStart);
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
