/**
 * Times as users type them (`--since 7d`, `--until 2026-11-01`) and as the
 * tables show them (`3h ago`).
 *
 * @module
 */
import { localTimeZone, startOfDay, zonedInstant } from "./calendar.ts";
import { UsageError } from "./errors.ts";

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * A duration such as `90m`, `12h`, `7d`, `4w` (also `30s`) in milliseconds,
 * or `null` if the text is not one.
 *
 * @example
 * parseDuration("12h") // 43200000
 */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]]);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A point in time from a flag: a duration ago (`7d`), a date (`2026-11-01`) or
 * a date-time (`2026-11-01T09:30`, or with `Z` or an offset). Dates and
 * date-times without an offset are wall-clock times in `tz` (default: the
 * process's zone). A date given to an `--until` flag means the end of that
 * day, so `--since 2026-11-01 --until 2026-11-30` is all of November. Throws
 * a {@linkcode UsageError} naming the flag.
 *
 * @example
 * parseTimeFlag("--since", "7d", Date.now())
 */
export function parseTimeFlag(flag: string, text: string, nowMs: number, tz?: string): number {
  const fail = () =>
    new UsageError(
      `Cannot parse ${flag} "${text}": expected a date (2026-11-01), a date-time (2026-11-01T09:30) or a duration (90m, 12h, 7d, 4w)`,
    );
  // Dates beyond what Date can hold (about ±273,000 years) are no dates.
  const inRange = (t: number) => {
    if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) throw fail();
    return t;
  };
  const duration = parseDuration(text);
  if (duration !== null) return inRange(nowMs - duration);
  const zone = tz ?? localTimeZone();
  const d = DATE_ONLY.exec(text);
  if (d) {
    const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    // Date rolls 2026-02-30 over to March: a real date survives the trip.
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      if (!flag.includes("until")) return startOfDay(year, month, day, zone);
      const next = new Date(Date.UTC(year, month - 1, day + 1));
      return startOfDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), zone) -
        1;
    }
  } else {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(.*)$/.exec(text);
    if (m && m[7] === "") {
      const [year, month, day, hour, minute, second] = m.slice(1, 7).map((x) => Number(x ?? 0));
      if (
        month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 &&
        second < 60
      ) {
        return inRange(zonedInstant({ year, month, day, hour, minute, second }, zone));
      }
    } else if (m) {
      const t = Date.parse(text.replace(" ", "T"));
      if (!Number.isNaN(t)) return inRange(t);
    }
  }
  throw fail();
}

/**
 * How long ago, in the short form tables use: `now`, `45s ago`, `12m ago`,
 * `3h ago`, `5d ago`, `7w ago`, `2y ago`.
 *
 * @example
 * relativeTime(Date.now() - 3 * 3_600_000, Date.now()) // "3h ago"
 */
export function relativeTime(thenMs: number, nowMs: number): string {
  const s = Math.floor((nowMs - thenMs) / 1000);
  if (s < 0) return "in future";
  if (s < 5) return "now";
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ago`;
  const d = Math.floor(h / 24);
  if (d < 14) return `${d}d ago`;
  if (d < 365) return `${Math.floor(d / 7)}w ago`;
  return `${Math.floor(d / 365)}y ago`;
}

/**
 * An RFC 3339 time with 0–9 fractional digits → milliseconds since the epoch,
 * or `null`. Digits past milliseconds are dropped (Date cannot hold them).
 *
 * @example
 * parseRfc3339("2026-09-22T14:05:30.382143679+02:00") // 1790078730382
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
 * toIsoUtc("2026-10-01T01:53:17+02:00") // "2026-09-30T23:53:17.000Z"
 */
export function toIsoUtc(text: string): string | null {
  const t = parseRfc3339(text);
  if (t === null) return null;
  return text.endsWith("Z") ? text : new Date(t).toISOString();
}
