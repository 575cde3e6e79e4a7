/**
 * Spend events → a cost report: totals and rows grouped by one or two keys.
 * Pure: events in, values out.
 *
 * @module
 */
import { ZonedDays } from "../base/periods.ts";
import { type SpendEvent } from "../scan/ledger.ts";
import { addSpend, type Spend, toUsage, unpricedTokens, zeroSpend } from "../base/counters.ts";

/** What a report can be grouped by. */
export const GROUP_KEYS = [
  "day",
  "week",
  "month",
  "model",
  "provider",
  "project",
  "session",
] as const;
/** A grouping key. */
export type GroupKey = typeof GROUP_KEYS[number];

/** How to group. */
export interface GroupOptions {
  by: GroupKey[];
  tz: string;
  weekStart: "monday" | "sunday";
}

/** The session an event belongs to. */
export interface SessionRef {
  id: string;
  cwd: string;
}

/** Sums of one group. */
export interface Bucket {
  spend: Spend;
  /** Tokens spent with no recorded cost (a model zot had no price for). */
  unpricedTokens: number;
  sessions: Set<string>;
  children: Map<string, Bucket>;
}

function newBucket(): Bucket {
  return { spend: zeroSpend(), unpricedTokens: 0, sessions: new Set(), children: new Map() };
}

/**
 * The key of an event for one grouping.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupKeyOf } from "./report.ts";
 *
 * const spend = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costNanos: 0 };
 * const event = { timeMs: Date.parse("2026-11-01T23:30:00Z"), model: "m1", provider: "p", spend, ordinal: 1 };
 * const session = { id: "0e19", cwd: "/src/app" };
 * const options = { by: [], tz: "Europe/Berlin", weekStart: "monday" as const };
 * assert.equal(groupKeyOf("model", event, session, options), "m1");
 * assert.equal(groupKeyOf("day", event, session, options), "2026-11-02");
 * ```
 */
export function groupKeyOf(
  key: GroupKey,
  e: SpendEvent,
  session: SessionRef,
  o: GroupOptions,
  days: ZonedDays = new ZonedDays(o.tz),
): string {
  switch (key) {
    case "day":
      return days.dayKey(e.timeMs);
    case "week":
      return days.weekKey(e.timeMs, o.weekStart);
    case "month":
      return days.monthKey(e.timeMs);
    case "model":
      return e.model || "(unknown)";
    case "provider":
      return e.provider || "(unknown)";
    case "project":
      return session.cwd;
    case "session":
      return session.id;
  }
}

/**
 * Accumulates events into a total and groups. Feed it events with
 * {@linkcode CostReport.add}; read `total` and `rows()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CostReport } from "./report.ts";
 *
 * const r = new CostReport({ by: ["model"], tz: "UTC", weekStart: "monday" });
 * const spend = { inputTokens: 100, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 };
 * const at = Date.parse("2026-11-01T09:00:00Z");
 * const event = (model: string, costNanos: number) =>
 *   ({ timeMs: at, model, provider: "p", spend: { ...spend, costNanos }, ordinal: 1 });
 * r.add(event("m1", 20_000_000), { id: "s1", cwd: "/a" });
 * r.add(event("m2", 50_000_000), { id: "s2", cwd: "/a" });
 * r.add(event("m1", 40_000_000), { id: "s3", cwd: "/b" });
 * assert.deepEqual(r.rows().map((row) => [row.key, row.costUsd, row.sessions]), [
 *   ["m1", 0.06, 2],
 *   ["m2", 0.05, 1],
 * ]);
 * ```
 */
export class CostReport {
  readonly total: Bucket = newBucket();
  readonly groups = new Map<string, Bucket>();

  /** The zone's days, looked up once per day, not once per event. */
  readonly #days: ZonedDays;

  constructor(readonly options: GroupOptions) {
    this.#days = new ZonedDays(options.tz);
  }

  /** Counts one event of one session. */
  add(e: SpendEvent, session: SessionRef): void {
    const unpriced = unpricedTokens(e.spend);
    const buckets = [this.total];
    let level = this.groups;
    for (const key of this.options.by) {
      const k = groupKeyOf(key, e, session, this.options, this.#days);
      let b = level.get(k);
      if (!b) level.set(k, b = newBucket());
      buckets.push(b);
      level = b.children;
    }
    for (const b of buckets) {
      addSpend(b.spend, e.spend);
      b.unpricedTokens += unpriced;
      b.sessions.add(session.id);
    }
  }

  /** Adds another report's sums (same options) into this one. */
  merge(other: CostReport): void {
    mergeBucket(this.total, other.total);
    mergeGroups(this.groups, other.groups);
  }

  /** Rows in display order: time keys oldest first, other keys costliest first. */
  rows(): ReportRow[] {
    return toRows(this.groups, this.options.by, 0);
  }
}

function mergeBucket(into: Bucket, from: Bucket): void {
  addSpend(into.spend, from.spend);
  into.unpricedTokens += from.unpricedTokens;
  for (const id of from.sessions) into.sessions.add(id);
}

function mergeGroups(into: Map<string, Bucket>, from: Map<string, Bucket>): void {
  for (const [k, b] of from) {
    let target = into.get(k);
    if (!target) into.set(k, target = newBucket());
    mergeBucket(target, b);
    mergeGroups(target.children, b.children);
  }
}

/** A row of a report, as `--json` prints it. */
export interface ReportRow {
  key: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  unpricedTokens: number;
  sessions: number;
  children?: ReportRow[];
}

/** The sums of a bucket in `--json`'s field names. */
export function bucketFields(b: Bucket): Omit<ReportRow, "key" | "children"> {
  // `--json`'s field order: the cost first.
  const { costUsd, ...tokens } = toUsage(b.spend);
  return { costUsd, ...tokens, unpricedTokens: b.unpricedTokens, sessions: b.sessions.size };
}

/** The grouping keys that are calendar periods (rows in time order). */
export const TIME_KEYS: ReadonlySet<GroupKey> = new Set<GroupKey>(["day", "week", "month"]);

function toRows(groups: Map<string, Bucket>, by: GroupKey[], depth: number): ReportRow[] {
  const entries = [...groups.entries()];
  if (TIME_KEYS.has(by[depth])) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  else {
    entries.sort(([ka, a], [kb, b]) =>
      b.spend.costNanos - a.spend.costNanos || (ka < kb ? -1 : ka > kb ? 1 : 0)
    );
  }
  return entries.map(([key, b]) => {
    const row: ReportRow = { key, ...bucketFields(b) };
    if (depth + 1 < by.length) row.children = toRows(b.children, by, depth + 1);
    return row;
  });
}
