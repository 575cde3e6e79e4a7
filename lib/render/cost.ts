/**
 * A cost report as JSON and as CSV, and what was counted
 * ({@linkcode CostCoverage}); the table for a person is in
 * lib/render/cost_table.ts.
 *
 * @module
 */
import type { CostOptions, CostResult } from "../cost/run_types.ts";
import { bucketFields, type ReportRow } from "../cost/report.ts";
import { NANOS } from "../base/counters.ts";
import type { FieldDocs } from "../base/field_docs.ts";
import { csvText, csvUsd } from "./csv.ts";

/** What was counted: one project, all projects, or one session. */
export type CostCoverage =
  | { kind: "project"; cwd: string }
  | { kind: "all" }
  | { kind: "session"; id: string };

/**
 * A row of `--json`. Session rows add the session's recorded total, title,
 * first prompt, project, start and last activity.
 */
export type JsonRow = ReportRow & {
  recordedCostUsd?: number;
  title?: string | null;
  firstPrompt?: string | null;
  cwd?: string;
  started?: string | null;
  updated?: string;
  children?: JsonRow[];
};

/**
 * The `--json` document: `{scope, since, until, tz, total, rows}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CostOptions } from "../cost/run_types.ts";
 * import { CostReport } from "../cost/report.ts";
 * import { costJson } from "./cost.ts";
 *
 * const options: CostOptions = {
 *   all: true, session: null, sinceMs: null, untilMs: null, tz: "UTC", by: ["day"],
 *   weekStart: "monday", csv: false, sort: "cost", reverse: false, limit: null,
 * };
 * const report = new CostReport(options);
 * const spend = { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0 };
 * const event = { timeMs: Date.parse("2026-11-01T09:00:00Z"), model: "m", provider: "p", ordinal: 1 };
 * report.add({ ...event, spend: { ...spend, costNanos: 410_000_000 } }, { id: "s1", cwd: "/a" });
 * const result = { report, rows: report.rows(), sessions: new Map(), hiddenSessions: 0, problems: [] };
 * const json = costJson(result, options, { kind: "all" });
 * assert.deepEqual([json.total.costUsd, json.rows[0].key], [0.41, "2026-11-01"]);
 * ```
 */
export function costJson(r: CostResult, o: CostOptions, scope: CostCoverage) {
  return {
    scope,
    since: o.sinceMs === null ? null : new Date(o.sinceMs).toISOString(),
    until: o.untilMs === null ? null : new Date(o.untilMs).toISOString(),
    tz: o.tz,
    total: bucketFields(r.report.total),
    rows: withRecorded(r.rows, o, r, 0),
  };
}

/** What each field of `cost --json` means (`zot-sessions help json`). */
export const COST_FIELDS: FieldDocs<ReturnType<typeof costJson>> = {
  scope: 'what was counted: {kind: "project", cwd}, {kind: "all"} or {kind: "session", id}',
  since: "--since as an ISO 8601 instant, or null",
  until: "--until as an ISO 8601 instant, or null",
  tz: "the time zone of days, weeks, months and times",
  total: "the sums over every group: the fields of a row, without key",
  rows: "one per group, in the table's order (by cost, or in time order)",
};

/** What each field of a row of `cost --json` means (`zot-sessions help json`). */
export const COST_ROW_FIELDS: FieldDocs<JsonRow> = {
  key: "the group: an ISO date, YYYY-Www, YYYY-MM, a model, a provider, a project's cwd " +
    "or a session id",
  costUsd: "spend in dollars: each usage line's increase, counted once (a fork's copied " +
    "history is its parent's)",
  inputTokens: "input tokens",
  outputTokens: "output tokens",
  cacheReadTokens: "tokens read from the cache",
  cacheWriteTokens: "tokens written to the cache",
  unpricedTokens: "tokens of models zot had no price for (never counted as $0.00)",
  sessions: "the sessions with spend in the group",
  recordedCostUsd: "rows by session: the session's total as zot recorded it (a fork's copy " +
    "of its parent's spend included)",
  title: "rows by session: its title, or null",
  firstPrompt: "rows by session: its first prompt, or null",
  cwd: "rows by session: its project",
  started: "rows by session: its start, ISO 8601, or null",
  updated: "rows by session: its last activity, ISO 8601",
  children: "with two keys (--by month,model): the rows of the second key in this group",
};

function withRecorded(rows: ReportRow[], o: CostOptions, r: CostResult, depth: number): JsonRow[] {
  return rows.map((row) => {
    const out: JsonRow = { ...row };
    delete out.children;
    if (o.by[depth] === "session") {
      const s = r.sessions.get(row.key);
      out.recordedCostUsd = (s?.info.recorded.costNanos ?? 0) / NANOS;
      out.title = s?.title ?? null;
      out.firstPrompt = s?.firstPrompt ?? null;
      out.cwd = s?.cwd ?? "";
      out.started = s?.startedMs == null ? null : new Date(s.startedMs).toISOString();
      out.updated = new Date(s?.updatedMs ?? 0).toISOString();
    }
    if (row.children) out.children = withRecorded(row.children, o, r, depth + 1);
    return out;
  });
}

const CSV_FIELDS = [
  "costUsd",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "unpricedTokens",
  "sessions",
] as const;

/**
 * CSV: a header, then one row per innermost group (with both keys when
 * grouped by two). No total row: a spreadsheet sums. Keys are text cells
 * ({@linkcode csvText}: a `'` before `=+-@`, TAB or CR); the sums are
 * numbers, written as they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CostOptions } from "../cost/run_types.ts";
 * import { CostReport } from "../cost/report.ts";
 * import { costCsv } from "./cost.ts";
 *
 * const options: CostOptions = {
 *   all: true, session: null, sinceMs: null, untilMs: null, tz: "UTC", by: ["day"],
 *   weekStart: "monday", csv: false, sort: "cost", reverse: false, limit: null,
 * };
 * const report = new CostReport(options);
 * const spend = { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0 };
 * const event = { timeMs: Date.parse("2026-11-01T09:00:00Z"), model: "m", provider: "p", ordinal: 1 };
 * report.add({ ...event, spend: { ...spend, costNanos: 410_000_000 } }, { id: "s1", cwd: "/a" });
 * assert.equal(
 *   costCsv(report.rows(), options),
 *   "day,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
 *     "2026-11-01,0.41,1200,300,0,0,0,1\n",
 * );
 * ```
 */
export function costCsv(rows: ReportRow[], o: CostOptions, terminal = false): string {
  const lines = [[...o.by, ...CSV_FIELDS].join(",")];
  const walk = (rows: ReportRow[], keys: string[]) => {
    for (const row of rows) {
      if (row.children) walk(row.children, [...keys, row.key]);
      else {
        const cells = [...keys, row.key].map((k) => csvText(k, terminal));
        lines.push(
          cells.concat(CSV_FIELDS.map((f) => f === "costUsd" ? csvUsd(row[f]) : String(row[f])))
            .join(","),
        );
      }
    }
  };
  walk(rows, []);
  return lines.join("\n") + "\n";
}
