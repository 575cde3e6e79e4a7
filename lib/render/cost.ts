/**
 * A cost report as JSON and as CSV, and the one entry the verb calls
 * ({@linkcode costOutput}); the table for a person is in
 * lib/render/cost_table.ts.
 *
 * @module
 */
import type { CostCoverage, CostOptions, CostResult } from "../cost/run_types.ts";
import type { ReportRow } from "../cost/report.ts";
import { dateText } from "../base/calendar.ts";
import { periodDays } from "../base/periods.ts";
import { NANOS } from "../base/counters.ts";
import type { FieldDocs } from "../base/field_docs.ts";
import { csvText, csvUsd } from "./csv.ts";
import { costText, type CostTextContext } from "./cost_table.ts";
import { eventText } from "./events.ts";
import { jsonForTerminal } from "./sanitize.ts";

/**
 * A row of `--json`. Period rows (day, week, month) add their first and last
 * day; session rows the session's recorded total, title, first prompt,
 * project, start and last activity.
 */
export type JsonRow = ReportRow & {
  start?: string;
  end?: string;
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
 * import { bucketFields, CostReport } from "../cost/report.ts";
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
 * const total = bucketFields(report.total);
 * const result = { report, total, rows: report.rows(), sessions: new Map(), hiddenSessions: 0, problems: [] };
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
    total: r.total,
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
  start: "rows by day, week or month: the period's first day (YYYY-MM-DD)",
  end: "rows by day, week or month: the period's last day, included (YYYY-MM-DD)",
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
  const by = o.by[depth];
  const period = by === "day" || by === "week" || by === "month" ? by : null;
  return rows.map((row) => {
    const days = period === null ? null : periodDays(row.key, period, o.weekStart);
    const { key, ...sums } = row;
    // The period's days beside its key.
    const out: JsonRow = days === null
      ? { key, ...sums }
      : { key, start: dateText(days.first), end: dateText(days.last), ...sums };
    delete out.children;
    if (by === "session") {
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

/** The session columns `--csv` adds with `--by session`, named as in `--json`. */
const CSV_SESSION_FIELDS = ["recordedCostUsd", "title", "cwd", "updated"] as const;

/**
 * CSV: a header, then one row per innermost group (with both keys when
 * grouped by two). No total row: a spreadsheet sums. Keys are text cells
 * ({@linkcode csvText}: a `'` before `=+-@`, TAB or CR); the sums are
 * numbers, written as they are. With `--by session`, each row also has what
 * `--json` says of its session: zot's recorded total, title, project and
 * last activity (from `sessions`; text cells too).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CostOptions } from "../cost/run_types.ts";
 * import { bucketFields, CostReport } from "../cost/report.ts";
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
export function costCsv(
  rows: ReportRow[],
  o: CostOptions,
  terminal = false,
  sessions: CostResult["sessions"] = new Map(),
): string {
  const bySession = o.by.indexOf("session");
  const extra = bySession === -1 ? [] : CSV_SESSION_FIELDS;
  const lines = [[...o.by, ...CSV_FIELDS, ...extra].join(",")];
  const sessionCells = (id: string): string[] => {
    const s = sessions.get(id);
    return [
      csvUsd((s?.info.recorded.costNanos ?? 0) / NANOS),
      csvText(s?.title ?? "", terminal),
      csvText(s?.cwd ?? "", terminal),
      s === undefined ? "" : new Date(s.updatedMs).toISOString(),
    ];
  };
  const walk = (rows: ReportRow[], keys: string[]) => {
    for (const row of rows) {
      if (row.children) walk(row.children, [...keys, row.key]);
      else {
        const path = [...keys, row.key];
        const cells = path.map((k) => csvText(k, terminal))
          .concat(CSV_FIELDS.map((f) => f === "costUsd" ? csvUsd(row[f]) : String(row[f])));
        if (bySession !== -1) cells.push(...sessionCells(path[bySession]));
        lines.push(cells.join(","));
      }
    }
  };
  walk(rows, []);
  return lines.join("\n") + "\n";
}

/**
 * What `cost` writes to stdout, in the form asked for: the events (NDJSON,
 * or CSV with `--csv`), the `--json` document, the CSV report, or the table
 * ({@linkcode costText}). Pieces, written in order: events stream one chunk
 * at a time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CostOptions } from "../cost/run_types.ts";
 * import { bucketFields, CostReport } from "../cost/report.ts";
 * import { palette } from "./color.ts";
 * import { costOutput } from "./cost.ts";
 *
 * const options: CostOptions = {
 *   all: true, session: null, sinceMs: null, untilMs: null, tz: "UTC", by: ["model"],
 *   weekStart: "monday", csv: true, sort: "cost", reverse: false, limit: null,
 * };
 * const report = new CostReport(options);
 * const total = bucketFields(report.total);
 * const result = { report, total, rows: report.rows(), sessions: new Map(), hiddenSessions: 0, problems: [] };
 * const view = { palette: palette(false), stdout: { isTTY: false } };
 * assert.match([...costOutput(result, options, view)].join(""), /^model,/);
 * ```
 */
export function* costOutput(
  r: CostResult,
  o: CostOptions,
  view: CostTextContext,
  json = false,
): Iterable<string> {
  const terminal = view.stdout.isTTY;
  const coverage = r.coverage ?? { kind: "all" };
  if (o.events) {
    yield* eventText(r.eventRows ?? [], o.csv ? "csv" : "ndjson", terminal);
  } else if (json) {
    yield jsonForTerminal(JSON.stringify(costJson(r, o, coverage), null, 2), terminal) + "\n";
  } else if (o.csv) {
    yield costCsv(r.rows, o, terminal, r.sessions);
  } else {
    yield costText(r, o, coverage, view);
  }
}
