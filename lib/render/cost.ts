/**
 * A cost report as a table, as JSON and as CSV.
 *
 * @module
 */
import type { CostOptions, CostResult } from "../commands/cost.ts";
import { bucketFields, type CostReport, type ReportRow, TIME_KEYS } from "../cost_report.ts";
import { NANOS } from "../ledger.ts";
import type { Palette } from "./color.ts";
import { type Column, renderTable } from "./table.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { formatTokens } from "./format.ts";
import { dayKey } from "../calendar.ts";

/** What was counted: one project, all projects, or one session. */
export type CostScope =
  | { kind: "project"; cwd: string }
  | { kind: "all" }
  | { kind: "session"; id: string };

/** A row of `--json`, with a session's recorded total on session rows. */
export type JsonRow = ReportRow & { recordedCostUsd?: number; children?: JsonRow[] };

/**
 * The `--json` document: `{scope, since, until, tz, total, rows}`.
 *
 * @example
 * JSON.stringify(costJson(result, options, { kind: "all" }))
 */
export function costJson(r: CostResult, o: CostOptions, scope: CostScope) {
  return {
    scope,
    since: o.sinceMs === null ? null : new Date(o.sinceMs).toISOString(),
    until: o.untilMs === null ? null : new Date(o.untilMs).toISOString(),
    tz: o.tz,
    total: bucketFields(r.report.total),
    rows: withRecorded(r.report.rows(), o, r, 0),
  };
}

function withRecorded(rows: ReportRow[], o: CostOptions, r: CostResult, depth: number): JsonRow[] {
  return rows.map((row) => {
    const out: JsonRow = { ...row };
    delete out.children;
    if (o.by[depth] === "session") {
      out.recordedCostUsd = (r.sessions.get(row.key)?.info.recorded.costNanos ?? 0) / NANOS;
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

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV: a header, then one row per innermost group (with both keys when
 * grouped by two). No total row: a spreadsheet sums.
 *
 * @example
 * costCsv(report, options) // "day,costUsd,…\n2026-11-01,0.41,…\n"
 */
export function costCsv(report: CostReport, o: CostOptions, terminal = false): string {
  const lines = [[...o.by, ...CSV_FIELDS].join(",")];
  const walk = (rows: ReportRow[], keys: string[]) => {
    for (const row of rows) {
      if (row.children) walk(row.children, [...keys, row.key]);
      else {
        const cells = [...keys, row.key].map((k) =>
          csvCell(terminal ? sanitizeForTerminal(k, true) : k)
        );
        lines.push(cells.concat(CSV_FIELDS.map((f) => String(row[f]))).join(","));
      }
    }
  };
  walk(report.rows(), []);
  return lines.join("\n") + "\n";
}

/** A cost in a table: `$0.41`, `unpriced`, or `$0.41*` when partly unpriced. */
function costCell(costUsd: number, unpricedTokens: number): string {
  if (unpricedTokens > 0) return costUsd === 0 ? "unpriced" : `$${costUsd.toFixed(2)}*`;
  return `$${costUsd.toFixed(2)}`;
}

const BAR = "█";

/**
 * The human report: scope and range, total, tokens, then the table with a
 * TOTAL row. On a terminal a by-time table ends each row with a bar
 * proportional to its cost.
 *
 * @example
 * costText(result, options, { kind: "all" }, ctx)
 */
export function costText(
  r: CostResult,
  o: CostOptions,
  scope: CostScope,
  ctx: { palette: Palette; width?: number; stdout: { isTTY: boolean } },
): string {
  const p = ctx.palette;
  const clean = (t: string) => sanitizeForTerminal(t, true);
  const total = bucketFields(r.report.total);
  let out = p.dim(`${describeScope(scope)} · ${describeRange(o)} · ${o.tz}`) + "\n";
  const unpricedNote = total.unpricedTokens > 0
    ? ` (+ ${formatTokens(total.unpricedTokens)} unpriced tokens)`
    : "";
  out += `${p.bold("Total")}   ${p.bold(costCell(total.costUsd, 0))} in ${total.sessions} session${
    total.sessions === 1 ? "" : "s"
  }${unpricedNote}\n`;
  out += `${p.bold("Tokens")}  ${formatTokens(total.inputTokens)} input · ${
    formatTokens(total.outputTokens)
  } output · ${formatTokens(total.cacheReadTokens)} cache read · ${
    formatTokens(total.cacheWriteTokens)
  } cache write\n`;
  if (scope.kind === "session") {
    const s = r.sessions.get(scope.id);
    if (s && s.info.meta?.parent) {
      out += p.dim(
        `Recorded by zot: $${(s.info.recorded.costNanos / NANOS).toFixed(2)}, of which $${
          (s.info.inherited.costNanos / NANOS).toFixed(2)
        } was copied from parent ${clean(s.info.meta.parent.slice(0, 8))} at the fork`,
      ) + "\n";
    }
  }
  const rows = r.report.rows();
  if (rows.length === 0) return out;

  const bySession = o.by.includes("session");
  const columns: Column[] = [
    { header: o.by.map((k) => k.toUpperCase()).join(" / "), maxWidth: 48 },
    { header: "SESSIONS", align: "right" },
    { header: "INPUT", align: "right" },
    { header: "OUTPUT", align: "right" },
    { header: "CACHE READ", align: "right" },
    { header: "CACHE WRITE", align: "right" },
    { header: "COST", align: "right" },
  ];
  if (bySession) columns.push({ header: "RECORDED", align: "right" });
  const bars = ctx.stdout.isTTY && TIME_KEYS.has(o.by[0]);
  if (bars) columns.push({ header: "", style: (t) => p.cyan(t) });
  const maxCost = Math.max(...rows.map((row) => row.costUsd), 0);
  const barWidth = Math.max(8, Math.min(30, (ctx.width ?? 100) - 100));

  const cells: string[][] = [];
  const emit = (row: ReportRow, depth: number) => {
    const keyName = clean(o.by[depth] === "session" ? row.key.slice(0, 8) : row.key);
    const cell = [
      (depth > 0 ? "  " : "") + keyName,
      String(row.sessions),
      formatTokens(row.inputTokens),
      formatTokens(row.outputTokens),
      formatTokens(row.cacheReadTokens),
      formatTokens(row.cacheWriteTokens),
      costCell(row.costUsd, row.unpricedTokens),
    ];
    if (bySession) {
      const s = o.by[depth] === "session" ? r.sessions.get(row.key) : undefined;
      cell.push(s ? `$${(s.info.recorded.costNanos / NANOS).toFixed(2)}` : "");
    }
    if (bars) {
      const n = depth === 0 && maxCost > 0 ? Math.round((row.costUsd / maxCost) * barWidth) : 0;
      cell.push(depth === 0 ? (n === 0 && row.costUsd > 0 ? "▏" : BAR.repeat(n)) : "");
    }
    cells.push(cell);
    for (const child of row.children ?? []) emit(child, depth + 1);
  };
  for (const row of rows) emit(row, 0);
  const totalCell = [
    "TOTAL",
    String(total.sessions),
    formatTokens(total.inputTokens),
    formatTokens(total.outputTokens),
    formatTokens(total.cacheReadTokens),
    formatTokens(total.cacheWriteTokens),
    costCell(total.costUsd, total.unpricedTokens),
  ];
  if (bySession) totalCell.push("");
  if (bars) totalCell.push("");
  cells.push(totalCell);
  out += "\n" + renderTable(columns, cells, { width: ctx.width, palette: p });
  if (total.unpricedTokens > 0) {
    out += p.dim("* also unpriced tokens: a model zot had no price for") + "\n";
  }
  return out;
}

function describeScope(scope: CostScope): string {
  switch (scope.kind) {
    case "all":
      return "All projects";
    case "project":
      return `Project ${sanitizeForTerminal(scope.cwd, true)}`;
    case "session":
      return `Session ${sanitizeForTerminal(scope.id, true)}`;
  }
}

/** The range as asked (`since 2026-11-01 09:30`), or its days when no label was kept. */
function describeRange(o: CostOptions): string {
  const since = o.sinceMs === null ? null : o.sinceLabel ?? dayKey(o.sinceMs, o.tz);
  const until = o.untilMs === null ? null : o.untilLabel ?? dayKey(o.untilMs, o.tz);
  if (since === null && until === null) return "all time";
  if (until === null) return `since ${since}`;
  if (since === null) return `until ${until}`;
  return `${since} to ${until}`;
}
