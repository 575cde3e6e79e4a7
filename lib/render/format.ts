/**
 * Numbers and names as people read them: costs, sizes, token counts, project
 * directories, weeks.
 *
 * @module
 */
import { sanitizeForTerminal } from "./sanitize.ts";
import { periodDays } from "../base/periods.ts";

/**
 * Money, the one rule of every table and transcript: to the cent (`$0.07`,
 * `$12.40`), `<$0.01` for a positive amount under a cent, `$0.00` only for
 * nothing at all. With `unpricedTokens` (tokens a model zot had no price
 * for), a zero amount is `unpriced` — never `$0.00`, which would claim it was
 * free — and a non-zero one is marked `*` ({@linkcode UNPRICED_NOTE}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCost } from "./format.ts";
 *
 * assert.equal(formatCost(0.0717), "$0.07");
 * assert.equal(formatCost(0.0043), "<$0.01");
 * assert.equal(formatCost(0, 1200), "unpriced");
 * ```
 */
export function formatCost(usd: number, unpricedTokens = 0): string {
  if (unpricedTokens > 0) return usd === 0 ? "unpriced" : formatCost(usd) + "*";
  if (usd < 0) return "-" + formatCost(-usd);
  if (usd === 0) return "$0.00";
  if (usd < 0.01) return "<$0.01";
  return "$" + usd.toFixed(2);
}

/** The footnote for an amount {@linkcode formatCost} marked with `*`. */
export const UNPRICED_NOTE = "* also unpriced tokens: a model zot had no price for";

/**
 * A project directory as tables show it: sanitised, the user's home as `~`,
 * and marked when its name is not in Unicode's composed form (NFC). zot
 * hashes the exact bytes, so `café` typed composed and decomposed are two
 * projects that look the same on screen: the mark tells them apart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatProject } from "./format.ts";
 *
 * assert.equal(formatProject("/home/me/src/app", "/home/me"), "~/src/app");
 * assert.equal(formatProject("/home/me/cafe\u0301", "/home/me"), "~/cafe\u0301 (NFD)");
 * ```
 */
export function formatProject(cwd: string, userHome = ""): string {
  const home = userHome && (cwd === userHome || cwd.startsWith(userHome + "/"))
    ? "~" + cwd.slice(userHome.length)
    : cwd;
  return sanitizeForTerminal(home, true) + normalizationMark(cwd);
}

/**
 * `" (NFD)"` for a decomposed name, `" (not NFC)"` for one neither composed
 * nor decomposed, `""` for a composed (NFC) one, which is how paths are
 * usually typed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizationMark } from "./format.ts";
 *
 * assert.equal(normalizationMark("cafe\u0301"), " (NFD)");
 * assert.equal(normalizationMark("caf\u00e9"), "");
 * ```
 */
export function normalizationMark(text: string): string {
  if (text === text.normalize("NFC")) return "";
  return text === text.normalize("NFD") ? " (NFD)" : " (not NFC)";
}

/**
 * A byte count: `512 B`, `1.2 kB`, `3.4 MB`, `1.1 GB` (SI: powers of 1000,
 * as `ls -h --si` and most file managers show).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBytes } from "./format.ts";
 *
 * assert.equal(formatBytes(1_234_567), "1.2 MB");
 * assert.equal(formatBytes(512), "512 B");
 * ```
 */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/**
 * A token count, short: `950`, `12.3k`, `4.56M`, `1.2B`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTokens } from "./format.ts";
 *
 * assert.equal(formatTokens(1_234_567), "1.23M");
 * assert.equal(formatTokens(12_345), "12.3k");
 * ```
 */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 2 : 1)}k`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)}M`;
  return `${(n / 1e9).toFixed(2)}B`;
}

/**
 * How long ago, in the short form tables use: `now`, `45s ago`, `12m ago`,
 * `3h ago`, `5d ago`, `7w ago`, `2y ago`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { relativeTime } from "./format.ts";
 *
 * const now = Date.now();
 * assert.equal(relativeTime(now - 3 * 3_600_000, now), "3h ago");
 * assert.equal(relativeTime(now - 2_000, now), "now");
 * ```
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

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A week's key with the day it starts, as a table shows it: `2026-W42 (Oct
 * 12)`; a week starting on Sunday gives that Sunday. The key alone when it
 * is not a week's (sanitised: it is then a transcript's text).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatWeek } from "./format.ts";
 *
 * assert.equal(formatWeek("2026-W42", "monday"), "2026-W42 (Oct 12)");
 * assert.equal(formatWeek("2026-W01", "sunday"), "2026-W01 (Dec 28)");
 * ```
 */
export function formatWeek(key: string, weekStart: "monday" | "sunday"): string {
  const days = periodDays(key, "week", weekStart);
  if (days === null) return sanitizeForTerminal(key, true);
  return `${key} (${MONTHS[days.first.month - 1]} ${days.first.day})`;
}
