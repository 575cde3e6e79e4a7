/**
 * Calendar periods in a time zone: the day, ISO week and month an instant
 * falls in, as a user in that zone would say it (the keys `cost --by day`,
 * `week` and `month` group by), fast for many instants in one zone; and
 * where the latest N periods start (`cost --last N`).
 *
 * @module
 */
import { type CalendarDate, dateText, pad, startOfDay, utcMs, wallTime } from "./calendar.ts";

/**
 * `YYYY-MM-DD` of the day an instant falls in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dayKey } from "./periods.ts";
 *
 * assert.equal(dayKey(Date.parse("2026-10-31T23:30:00Z"), "Europe/Berlin"), "2026-11-01");
 * ```
 */
export function dayKey(ms: number, tz: string): string {
  return dateText(wallTime(ms, tz));
}

/**
 * `YYYY-MM` of the month an instant falls in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthKey } from "./periods.ts";
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
 * import { weekKey } from "./periods.ts";
 *
 * assert.equal(weekKey(Date.parse("2026-01-01T12:00:00Z"), "UTC", "monday"), "2026-W01");
 * ```
 */
export function weekKey(ms: number, tz: string, weekStart: "monday" | "sunday"): string {
  return weekKeyOf(wallTime(ms, tz), weekStart);
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
 * import { ZonedDays } from "./periods.ts";
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

/** A period of the calendar. */
export type Period = "day" | "week" | "month";

/**
 * The first day of the latest `n` periods in the zone at `nowMs`, the
 * current one included: `n` 1 is today, the start of this week (on
 * `weekStart`) or the 1st of this month.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { latestPeriodsStart } from "./periods.ts";
 *
 * const now = Date.parse("2026-11-25T12:00:00Z"); // a Wednesday
 * assert.deepEqual(latestPeriodsStart(1, "week", "monday", now, "UTC"), {
 *   year: 2026, month: 11, day: 23,
 * });
 * assert.deepEqual(latestPeriodsStart(2, "month", "monday", now, "UTC"), {
 *   year: 2026, month: 10, day: 1,
 * });
 * ```
 */
export function latestPeriodsStart(
  n: number,
  period: Period,
  weekStart: "monday" | "sunday",
  nowMs: number,
  tz: string,
): CalendarDate {
  const today = wallTime(nowMs, tz);
  let first: Date;
  if (period === "month") {
    first = new Date(utcMs(today.year, today.month - (n - 1), 1));
  } else {
    let back = n - 1;
    if (period === "week") {
      const dow = new Date(utcMs(today.year, today.month, today.day)).getUTCDay(); // Sunday = 0
      back = 7 * (n - 1) + (weekStart === "monday" ? (dow + 6) % 7 : dow);
    }
    first = new Date(utcMs(today.year, today.month, today.day - back));
  }
  return { year: first.getUTCFullYear(), month: first.getUTCMonth() + 1, day: first.getUTCDate() };
}

/**
 * Where `--last N` starts: the start of the latest `n` periods in the zone,
 * the current one included ({@linkcode latestPeriodsStart}), with its label
 * as a person reads it (a `TimePoint` of base/time.ts, which imports this
 * module). So `--by week --last 1` is this week so far.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lastPeriods } from "./periods.ts";
 *
 * const now = Date.parse("2026-11-25T12:00:00Z"); // a Wednesday
 * const since = lastPeriods(1, "week", "monday", now, "UTC");
 * assert.equal(since.label, "2026-11-23 (this week)");
 * assert.equal(since.ms, Date.parse("2026-11-23T00:00:00Z"));
 * assert.equal(lastPeriods(3, "day", "monday", now, "UTC").label, "2026-11-23 (the last 3 days)");
 * ```
 */
export function lastPeriods(
  n: number,
  period: Period,
  weekStart: "monday" | "sunday",
  nowMs: number,
  tz: string,
): { ms: number; label: string } {
  const first = latestPeriodsStart(n, period, weekStart, nowMs, tz);
  const what = n === 1 ? period === "day" ? "today" : `this ${period}` : `the last ${n} ${period}s`;
  return {
    ms: startOfDay(first.year, first.month, first.day, tz),
    label: `${dateText(first)} (${what})`,
  };
}

/**
 * The first and last day of the period a key of {@linkcode dayKey},
 * {@linkcode weekKey} or {@linkcode monthKey} names: a day is itself, a
 * Monday-first week runs Monday to Sunday (ISO 8601), a Sunday-first one
 * from the Sunday before its Monday to Saturday, a month from its 1st to its
 * last day. `null` when the key is not one of that period.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { periodDays } from "./periods.ts";
 *
 * assert.deepEqual(periodDays("2026-W42", "week", "monday"), {
 *   first: { year: 2026, month: 10, day: 12 },
 *   last: { year: 2026, month: 10, day: 18 },
 * });
 * assert.deepEqual(periodDays("2028-02", "month", "monday")?.last, { year: 2028, month: 2, day: 29 });
 * ```
 */
export function periodDays(
  key: string,
  period: Period,
  weekStart: "monday" | "sunday",
): { first: CalendarDate; last: CalendarDate } | null {
  const dateOf = (ms: number): CalendarDate => {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  };
  if (period === "day") {
    const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(key);
    if (!m) return null;
    const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    return { first: day, last: day };
  }
  if (period === "month") {
    const m = /^(\d{4})-(\d\d)$/.exec(key);
    if (!m) return null;
    const [year, month] = [Number(m[1]), Number(m[2])];
    return { first: { year, month, day: 1 }, last: dateOf(utcMs(year, month + 1, 0)) };
  }
  const m = /^(\d{4})-W(\d\d)$/.exec(key);
  if (!m) return null;
  const [year, week] = [Number(m[1]), Number(m[2])];
  // Week 1 is the week of January 4th.
  const jan4 = utcMs(year, 1, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (week - 1) * 7 * DAY_MS;
  const first = monday - (weekStart === "sunday" ? DAY_MS : 0);
  return { first: dateOf(first), last: dateOf(first + 6 * DAY_MS) };
}

const DAY_MS = 86_400_000;
