/**
 * Lengths of time as users type them (`90m`, `7d`, `3mo`, `2d3h`): parsed,
 * read from a flag (`--older-than`, `--grace`), and gone back from now, with
 * calendar months in the user's zone. Points in time (`--since`) are in
 * lib/base/time.ts.
 *
 * @module
 */
import { daysInMonth, localTimeZone, MAX_MS, wallTime, zonedInstant } from "./calendar.ts";
import { UsageError } from "./errors.ts";

/** Fixed-length units. `mo` and `y` are calendar units: see {@linkcode Duration}. */
const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * A duration as typed: whole calendar months (`y` is 12 of them) and a fixed
 * length. Months are calendar months because that is what "3mo ago" means to
 * a person: the same day and time three months back in their zone (the last
 * day of the month when that day does not exist), not 90 days.
 */
export interface Duration {
  months: number;
  ms: number;
}

const PART = / *(\d+(?:\.\d+)?)(mo|y|w|d|h|m|s) */y;

/**
 * A duration such as `90m`, `12h`, `7d`, `4w`, `3mo`, `1y`, `30s`, or
 * several together (`2d3h`, `1y2mo`, each unit at most once), or `0`; `null`
 * if the text is not one. `y` and `mo` take whole numbers; the others may
 * have a fraction (`1.5h`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDuration } from "./duration.ts";
 *
 * assert.deepEqual(parseDuration("2d3h"), { months: 0, ms: 51 * 3_600_000 });
 * assert.equal(parseDuration("soon"), null);
 * ```
 */
export function parseDuration(text: string): Duration | null {
  if (/^ *0 *$/.test(text)) return { months: 0, ms: 0 };
  const d: Duration = { months: 0, ms: 0 };
  const seen = new Set<string>();
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m || seen.has(m[2])) return null;
    seen.add(m[2]);
    const n = Number(m[1]);
    if (m[2] === "mo" || m[2] === "y") {
      if (!Number.isInteger(n)) return null;
      d.months += m[2] === "y" ? 12 * n : n;
    } else d.ms += n * UNIT_MS[m[2]];
    at = PART.lastIndex;
  }
  if (seen.size === 0) return null;
  d.ms = Math.round(d.ms);
  return d;
}

/**
 * The instant a duration before `nowMs`: calendar months back first, in the
 * zone, then the fixed part.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { durationBefore } from "./duration.ts";
 *
 * // A month before March 31 is the last day of February.
 * const t = durationBefore({ months: 1, ms: 0 }, Date.parse("2026-03-31T12:00:00Z"), "UTC");
 * assert.equal(t, Date.parse("2026-02-28T12:00:00Z"));
 * ```
 */
export function durationBefore(d: Duration, nowMs: number, tz: string): number {
  let t = nowMs;
  if (d.months !== 0) {
    const w = wallTime(nowMs, tz);
    const total = w.year * 12 + (w.month - 1) - d.months;
    const year = Math.floor(total / 12);
    const month = total - year * 12 + 1;
    const day = Math.min(w.day, daysInMonth(year, month));
    t = zonedInstant({ ...w, year, month, day }, tz) + (((nowMs % 1000) + 1000) % 1000);
  }
  return t - d.ms;
}

/**
 * A length of time from a flag (`--older-than`, `--grace`), in milliseconds:
 * how far back {@linkcode durationBefore} goes from `nowMs`. Throws a
 * {@linkcode UsageError} naming the flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { durationFlag } from "./duration.ts";
 *
 * assert.equal(durationFlag("--grace", "0", Date.now()), 0);
 * assert.equal(durationFlag("--grace", "90m", Date.now()), 90 * 60_000);
 * assert.throws(() => durationFlag("--grace", "-1h", Date.now()), /cannot be negative/);
 * ```
 */
export function durationFlag(flag: string, text: string, nowMs: number, tz?: string): number {
  const d = parseDuration(text);
  if (d === null) {
    if (text.startsWith("-") && parseDuration(text.slice(1)) !== null) {
      throw new UsageError(`Cannot parse ${flag} "${text}": a duration cannot be negative`);
    }
    throw new UsageError(
      `Cannot parse ${flag} "${text}": expected a duration such as 90m, 12h, 7d, 4w, 3mo, 1y or 2d3h (or 0)`,
    );
  }
  const ms = nowMs - durationBefore(d, nowMs, tz ?? localTimeZone());
  if (!Number.isFinite(ms) || Math.abs(nowMs - ms) > MAX_MS) {
    throw new UsageError(`Cannot parse ${flag} "${text}": too long ago`);
  }
  return ms;
}
