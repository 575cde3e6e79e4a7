/**
 * Times as people say them: `2 days ago`, `7days`, `last week`, `this
 * month`, `monday`, `last friday`. lib/base/time.ts reads them with every
 * other form of a point in time; this module only tells what was said.
 *
 * Where GNU `date -d` reads the same words differently, the reading here is
 * the one a `--since`/`--until` flag needs (README, "Times"):
 *
 * - `N units` without `ago` is N units ago (GNU: N units from now);
 * - `2 days 3 hours ago`: `ago` covers every part (GNU: only the last one);
 * - `this`/`last` `week`/`month`/`year` is that calendar period: its first
 *   day, or its last to an `--until` flag (GNU: now, or one unit before now);
 * - a bare weekday is the latest such day, today included (GNU: today or the
 *   next one); `last monday` is the latest Monday before today, as in GNU;
 * - days and weeks are 24 hours and 7 × 24 hours, as in `7d` (GNU keeps the
 *   time of day across a clock change); months and years are calendar ones.
 *
 * @module
 */
import { type CalendarDate, daysInMonth, utcMs, wallTime } from "./calendar.ts";
import { type Duration, parseDuration } from "./duration.ts";
import { latestPeriodsStart } from "./periods.ts";

/** What a phrase said: a length of time ago, or a run of whole days. */
export type SpokenTime =
  | {
    kind: "ago";
    duration: Duration;
    /** As said, in lower case, ending in `ago`: `2 days ago`, `7days ago`. */
    label: string;
  }
  | {
    kind: "days";
    /** The first and last day, in the zone: the same day for a weekday. */
    first: CalendarDate;
    last: CalendarDate;
    /** As said, in lower case: `last week`, `monday`. */
    label: string;
  };

/** Unit words (and the duration's own letters) → the duration's letters. */
const UNITS = new Map<string, string>();
for (
  const [letter, words] of [
    ["s", "s sec secs second seconds"],
    ["m", "m min mins minute minutes"],
    ["h", "h hr hrs hour hours"],
    ["d", "d day days"],
    ["w", "w week weeks"],
    ["mo", "mo month months"],
    ["y", "y year years"],
  ]
) for (const word of words.split(" ")) UNITS.set(word, letter);

/** Weekday names and GNU's abbreviations → the day (Sunday = 0). */
const WEEKDAYS = new Map<string, number>();
for (
  const [day, names] of [
    [0, "sunday sun"],
    [1, "monday mon"],
    [2, "tuesday tue tues"],
    [3, "wednesday wed wednes"],
    [4, "thursday thu thur thurs"],
    [5, "friday fri"],
    [6, "saturday sat"],
  ] as const
) for (const name of names.split(" ")) WEEKDAYS.set(name, day);

/** One `N unit` of a spoken length: `2 days`, `2days`, `an hour`. */
const PART = /(\d+(?:\.\d+)?|an? )\s*([a-z]+)\s*,?\s*/y;

function spokenDuration(text: string): SpokenTime | null {
  const ago = /^(.*?)\s*\bago$/.exec(text);
  const body = ago ? ago[1] : text;
  let compact = "";
  let at = 0;
  while (at < body.length) {
    PART.lastIndex = at;
    const m = PART.exec(body);
    const letter = m ? UNITS.get(m[2]) : undefined;
    if (!m || letter === undefined) return null;
    compact += `${/^an? $/.test(m[1]) ? "1" : m[1]}${letter}`;
    at = PART.lastIndex;
  }
  const duration = compact === "" ? null : parseDuration(compact);
  if (duration === null) return null;
  return { kind: "ago", duration, label: ago ? text : `${text} ago` };
}

function plusDays(d: CalendarDate, n: number): CalendarDate {
  const t = new Date(utcMs(d.year, d.month, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/**
 * What a phrase says, or `null` when it is none of these (any case, any
 * spacing):
 *
 * - a length ago: `2 days ago`, `7days`, `7 days`, `an hour ago`,
 *   `1 week 2 days ago`, `3h ago`; units `sec(s)`/`second(s)`,
 *   `min(s)`/`minute(s)`, `hr(s)`/`hour(s)`, `day(s)`, `week(s)`,
 *   `month(s)`, `year(s)` and the duration's letters (`s m h d w mo y`);
 * - a calendar period: `this week`, `last week`, `this month`, `last month`,
 *   `this year`, `last year` (weeks start on `weekStart`);
 * - a weekday, named or abbreviated as GNU does (`mon`, `tues`, `thurs`): the
 *   latest such day, today included; `last monday`, the latest before today.
 *
 * Days are the zone's days at `nowMs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSpokenTime } from "./time_words.ts";
 *
 * const now = Date.parse("2026-11-25T12:00:00Z"); // a Wednesday
 * assert.deepEqual(parseSpokenTime("Last  Week", now, "UTC"), {
 *   kind: "days",
 *   first: { year: 2026, month: 11, day: 16 },
 *   last: { year: 2026, month: 11, day: 22 },
 *   label: "last week",
 * });
 * assert.deepEqual(parseSpokenTime("2 days ago", now, "UTC"), {
 *   kind: "ago", duration: { months: 0, ms: 2 * 86_400_000 }, label: "2 days ago",
 * });
 * assert.equal(parseSpokenTime("next week", now, "UTC"), null);
 * ```
 */
export function parseSpokenTime(
  text: string,
  nowMs: number,
  tz: string,
  weekStart: "monday" | "sunday" = "monday",
): SpokenTime | null {
  const said = text.trim().toLowerCase().replace(/\s+/g, " ");
  const today = wallTime(nowMs, tz);
  const period = /^(this|last) (week|month|year)$/.exec(said);
  if (period) {
    const n = period[1] === "this" ? 1 : 2;
    let first: CalendarDate;
    let last: CalendarDate;
    if (period[2] === "year") {
      const year = today.year - (n - 1);
      [first, last] = [{ year, month: 1, day: 1 }, { year, month: 12, day: 31 }];
    } else if (period[2] === "month") {
      first = latestPeriodsStart(n, "month", weekStart, nowMs, tz);
      last = { ...first, day: daysInMonth(first.year, first.month) };
    } else {
      first = latestPeriodsStart(n, "week", weekStart, nowMs, tz);
      last = plusDays(first, 6);
    }
    return { kind: "days", first, last, label: said };
  }
  const weekday = /^(?:(this|last) )?([a-z]+)$/.exec(said);
  const named = weekday ? WEEKDAYS.get(weekday[2]) : undefined;
  if (weekday && named !== undefined) {
    const dow = new Date(utcMs(today.year, today.month, today.day)).getUTCDay();
    let back = (dow - named + 7) % 7;
    if (back === 0 && weekday[1] === "last") back = 7;
    const day = plusDays(today, -back);
    return { kind: "days", first: day, last: day, label: said };
  }
  return spokenDuration(said);
}
