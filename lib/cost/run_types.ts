/**
 * What a cost report is asked for and what it found: the types the `cost`
 * verb fills from its flags and the cost renderer reads, so that neither
 * depends on the other.
 *
 * @module
 */
import type { LedgerInfo } from "../scan/ledger.ts";
import type { CostReport, GroupKey, ReportRow } from "./report.ts";
import type { EventRow, SessionEvents } from "./events.ts";
import type { Problem } from "../sessions/load.ts";

/** Orders `--sort` accepts for session rows. */
export const COST_SORT_KEYS = ["cost", "recorded", "tokens", "updated", "started"] as const;
/** An order of session rows. */
export type CostSortKey = typeof COST_SORT_KEYS[number];

/** What was counted: one project, all projects, or one session. */
export type CostCoverage =
  | { kind: "project"; cwd: string }
  | { kind: "all" }
  | { kind: "session"; id: string };

/** `cost` flags, checked and typed. */
export interface CostOptions {
  all: boolean;
  session: string | null;
  sinceMs: number | null;
  untilMs: number | null;
  /** The range's ends as asked, for the header (see `TimePoint.label`). */
  sinceLabel?: string;
  untilLabel?: string;
  tz: string;
  by: GroupKey[];
  weekStart: "monday" | "sunday";
  csv: boolean;
  /** Session rows: order, direction, and how many (null: all). */
  sort: CostSortKey;
  reverse: boolean;
  limit: number | null;
  /** `--events`: keep each counted session's events (see `CostResult.events`). */
  events?: boolean;
  /** With `events`: the machine name its rows carry (`--host`, else this one's). */
  host?: string;
}

/** A session's totals, for `--by session` and the session header. */
export interface SessionTotals {
  id: string;
  cwd: string;
  info: LedgerInfo;
  /** The last title, and the first prompt (null when none). */
  title: string | null;
  firstPrompt: string | null;
  /** From the latest meta line, in ms, or null. */
  startedMs: number | null;
  /** Last activity: the file's modification time (ms since the epoch). */
  updatedMs: number;
}

/** Everything a cost run found. */
export interface CostResult {
  report: CostReport;
  /** The report's total in `--json`'s field names (`bucketFields` of its total). */
  total: Omit<ReportRow, "key" | "children">;
  /** The report's rows, session rows ordered and cut as asked. */
  rows: ReportRow[];
  sessions: Map<string, SessionTotals>;
  /** Session rows left out by `--limit` at the top level. */
  hiddenSessions: number;
  /** What could not be read, and damaged lines, in file order: the verb reports them. */
  problems: Problem[];
  /** With `events`: each counted session's events in range, forks counted once. */
  events?: SessionEvents[];
  /** With `events`: their rows, oldest first, as `--events` writes them. */
  eventRows?: EventRow[];
  /** What was counted (absent from a result made by hand: then all projects). */
  coverage?: CostCoverage;
  /** With no session in the project (not `--all`): how many the other projects hold. */
  elsewhere?: number;
}
