/**
 * Times as users type them (`--since 7d`, `--until 2026-11-01`) and as the
 * tables show them (`3h ago`).
 *
 * Every form of a point in time a flag takes is parsed here, once, with the
 * same error messages; lengths of time (`7d`) are in lib/base/duration.ts.
 *
 * @module
 */
import {
  dateText,
  daysInMonth,
  localTimeZone,
  MAX_MS,
  startOfDay,
  timeText,
  utcMs,
  wallTime,
  zonedInstant,
} from "./calendar.ts";
import { UsageError } from "./errors.ts";
import { type Duration, durationBefore, parseDuration } from "./duration.ts";
import { parseSpokenTime } from "./time_words.ts";

/** A point in time from a flag, and how a header shows it. */
export interface TimePoint {
  /** Milliseconds since the epoch. */
  ms: number;
  /**
   * What was asked, as a person reads it in the zone: `2026-11-01`,
   * `2026-11-01 09:30`, `2026-11-25 (today)`, `2026-11-18 12:00:37 (7d ago)`.
   */
  label: string;
}

/**
 * `YYYY-MM-DD HH:MM` of an instant in a zone, with `:SS` when the seconds are
 * not zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatWallTime } from "./time.ts";
 *
 * const ms = Date.parse("2026-11-01T08:30:00Z");
 * assert.equal(formatWallTime(ms, "Europe/Berlin"), "2026-11-01 09:30");
 * ```
 */
export function formatWallTime(ms: number, tz: string): string {
  const w = wallTime(ms, tz);
  return `${dateText(w)} ${timeText(w, "unless-zero")}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/; // ccusage's --since 20261101
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)? *(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/** What a time flag takes, for the error when it is given none of them. */
const TIME_FORMS = "expected now, today, yesterday, a date (2026-11-01, 20261101), " +
  "a date-time (2026-11-01 09:30), a time ago (90m, 7d, 2d3h, 3mo, 2 days ago), " +
  "this or last week, month or year, or a weekday (monday, last friday)";

function realDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * A point in time from a flag, as people type it:
 *
 * - `now`, `today`, `yesterday`;
 * - a date, `2026-11-01` or ccusage's `20261101`;
 * - a date-time, `2026-11-01T09:30` or `2026-11-01 09:30`, seconds and a
 *   fraction optional, with an optional `Z` or offset (`+01:00`, `+0100`,
 *   `+01`);
 * - a duration ago (see {@linkcode parseDuration}): `7d`, `2d3h`, `3mo`, `0`;
 * - words (see lib/base/time_words.ts): `2 days ago`, `7days`, `this week`,
 *   `last month`, `this year`, `monday`, `last friday`.
 *
 * Dates and date-times without an offset are wall-clock times in `tz`
 * (default: the process's zone). A day given to an `--until` flag (a date,
 * `today`, `yesterday`, a weekday) means the end of that day, and a period
 * (`last week`) its last day's end, so `--since 2026-11-01 --until
 * 2026-11-30` is all of November, as is `--since "last month" --until "last
 * month"` on a day of December. Weeks start on `weekStart`. Throws a
 * {@linkcode UsageError} naming the flag, and listing the forms when the
 * text is none of them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTimePoint } from "./time.ts";
 *
 * const p = parseTimePoint("--since", "2026-11-01 09:30", Date.now(), "UTC");
 * assert.deepEqual(p, { ms: Date.parse("2026-11-01T09:30:00Z"), label: "2026-11-01 09:30" });
 * ```
 */
export function parseTimePoint(
  flag: string,
  text: string,
  nowMs: number,
  tz?: string,
  weekStart: "monday" | "sunday" = "monday",
): TimePoint {
  const zone = tz ?? localTimeZone();
  const fail = (detail?: string) =>
    new UsageError(`Cannot parse ${flag} "${text}": ${detail ?? TIME_FORMS}`);
  const checked = (point: TimePoint): TimePoint => {
    if (!Number.isFinite(point.ms) || Math.abs(point.ms) > MAX_MS) throw fail("too far away");
    return point;
  };
  const trimmed = text.trim();
  const day = (year: number, month: number, date: number, note = ""): TimePoint => {
    if (!realDate(year, month, date)) throw fail("no such date");
    const label = `${dateText({ year, month, day: date })}${note}`;
    if (!flag.includes("until")) return checked({ ms: startOfDay(year, month, date, zone), label });
    const next = new Date(utcMs(year, month, date + 1));
    const end = startOfDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), zone);
    return checked({ ms: end - 1, label });
  };

  const lower = trimmed.toLowerCase();
  if (lower === "now") return { ms: nowMs, label: `${formatWallTime(nowMs, zone)} (now)` };
  if (lower === "today" || lower === "yesterday") {
    const w = wallTime(nowMs, zone);
    const d = new Date(utcMs(w.year, w.month, w.day - (lower === "yesterday" ? 1 : 0)));
    return day(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), ` (${lower})`);
  }
  const ago = (duration: Duration, said: string): TimePoint => {
    const ms = checked({ ms: durationBefore(duration, nowMs, zone), label: "" }).ms;
    const note = duration.months === 0 && duration.ms === 0 ? "now" : said;
    return checked({ ms, label: `${formatWallTime(ms, zone)} (${note})` });
  };
  const duration = parseDuration(trimmed);
  if (duration !== null) return ago(duration, `${trimmed} ago`);
  const spoken = parseSpokenTime(trimmed, nowMs, zone, weekStart);
  if (spoken?.kind === "ago") return ago(spoken.duration, spoken.label);
  if (spoken?.kind === "days") {
    const d = flag.includes("until") ? spoken.last : spoken.first;
    return day(d.year, d.month, d.day, ` (${spoken.label})`);
  }
  const d = DATE.exec(trimmed) ?? COMPACT_DATE.exec(trimmed);
  if (d) return day(Number(d[1]), Number(d[2]), Number(d[3]));
  const t = DATE_TIME.exec(trimmed);
  if (t) {
    const [year, month, date, hour, minute, second] = t.slice(1, 7).map((x) => Number(x ?? 0));
    const millis = Number((t[7] ?? "").padEnd(3, "0").slice(0, 3));
    if (!realDate(year, month, date) || hour > 23 || minute > 59 || second > 59) {
      throw fail("no such date or time");
    }
    const wall = { year, month, day: date, hour, minute, second };
    let ms: number;
    if (t[8] || t[9]) {
      const offsetMin = t[8]
        ? 0
        : (t[9] === "-" ? -1 : 1) * (Number(t[10]) * 60 + Number(t[11] ?? 0));
      if (Number(t[10]) > 23 || Number(t[11] ?? 0) > 59) throw fail("no such offset");
      ms = utcMs(year, month, date, hour, minute, second) - offsetMin * 60_000;
    } else {
      ms = zonedInstant(wall, zone);
    }
    ms += millis;
    return checked({ ms, label: formatWallTime(ms, zone) });
  }
  if (trimmed.startsWith("-") && parseDuration(trimmed.slice(1)) !== null) {
    throw fail(
      `a time cannot be negative: ${trimmed.slice(1)} already means ${trimmed.slice(1)} ago`,
    );
  }
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    throw fail(`a duration needs a unit: ${trimmed}d, ${trimmed}h, ${trimmed}m…`);
  }
  throw fail();
}

/** A `--since`/`--until` pair, either end open. */
export interface TimeRange {
  since: TimePoint | null;
  until: TimePoint | null;
}

/**
 * Reads `--since` and `--until` (either may be absent; see
 * {@linkcode parseTimePoint}) and checks that the range does not end before
 * it starts: that is a usage error, not an empty report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTimeRange } from "./time.ts";
 *
 * const r = parseTimeRange("2026-11-01", "2026-11-30", Date.now(), "UTC");
 * assert.equal(r.until?.label, "2026-11-30");
 * assert.throws(() => parseTimeRange("7d", "9d", Date.now(), "UTC"), /ends before it starts/);
 * ```
 */
export function parseTimeRange(
  since: string | undefined,
  until: string | undefined,
  nowMs: number,
  tz?: string,
  weekStart: "monday" | "sunday" = "monday",
): TimeRange {
  const point = (flag: string, text: string | undefined) =>
    text === undefined ? null : parseTimePoint(flag, text, nowMs, tz, weekStart);
  const range: TimeRange = { since: point("--since", since), until: point("--until", until) };
  checkTimeRange(range, `--since "${since}"`, `--until "${until}"`);
  return range;
}

/**
 * Throws a {@linkcode UsageError} when `since` is after `until`, naming the
 * two flags as given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTimeRange } from "./time.ts";
 *
 * const range = { since: { ms: 2, label: "b" }, until: { ms: 1, label: "a" } };
 * assert.throws(
 *   () => checkTimeRange(range, '--since "b"', '--until "a"'),
 *   /Cannot use --since "b" with --until "a": the range ends before it starts/,
 * );
 * ```
 */
export function checkTimeRange(range: TimeRange, sinceText: string, untilText: string): void {
  const { since, until } = range;
  if (since !== null && until !== null && since.ms > until.ms) {
    throw new UsageError(
      `Cannot use ${sinceText} with ${untilText}: the range ends before it starts`,
    );
  }
}

/**
 * An RFC 3339 time with 0–9 fractional digits → milliseconds since the epoch,
 * or `null`. Digits past milliseconds are dropped (Date cannot hold them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRfc3339 } from "./time.ts";
 *
 * const ms = parseRfc3339("2026-09-22T14:05:30.382143679+02:00");
 * assert.equal(ms, Date.parse("2026-09-22T12:05:30.382Z"));
 * assert.equal(parseRfc3339("yesterday"), null);
 * ```
 */
export function parseRfc3339(text: string): number | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return null;
  const ms = (m[2] ?? "").padEnd(3, "0").slice(0, 3);
  const t = Date.parse(`${m[1]}.${ms}${m[3]}`);
  return Number.isNaN(t) ? null : t;
}

/**
 * A time as ISO 8601 UTC. Kept as written when it already is UTC (`Z`), so
 * zot's nanoseconds survive; otherwise converted (milliseconds).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toIsoUtc } from "./time.ts";
 *
 * assert.equal(toIsoUtc("2026-10-01T01:53:17+02:00"), "2026-09-30T23:53:17.000Z");
 * assert.equal(toIsoUtc("2026-10-01T01:53:17.123456789Z"), "2026-10-01T01:53:17.123456789Z");
 * ```
 */
export function toIsoUtc(text: string): string | null {
  const t = parseRfc3339(text);
  if (t === null) return null;
  return text.endsWith("Z") ? text : new Date(t).toISOString();
}
