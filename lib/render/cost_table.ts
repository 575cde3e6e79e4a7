/**
 * A cost report as the table a person reads: scope and range, total,
 * tokens, then the rows with a TOTAL row, fitted to the terminal.
 *
 * @module
 */
import type { CostCoverage, CostOptions, CostResult } from "../cost/run_types.ts";
import { type GroupKey, type ReportRow, TIME_KEYS } from "../cost/report.ts";
import { NANOS } from "../base/counters.ts";
import type { Palette } from "./color.ts";
import { type Column, renderTable } from "./table.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { truncateModelToWidth, truncateToWidth } from "./width.ts";
import { formatCost, formatProject, formatTokens, formatWeek, UNPRICED_NOTE } from "./format.ts";
import { clockIn } from "../base/calendar.ts";
import { dayKey } from "../base/periods.ts";

const BAR = "█";

/** The grouping keys whose values are names that may be cut to fit. */
const NAME_KEYS: ReadonlySet<GroupKey> = new Set<GroupKey>(["model", "provider", "project"]);

/** What `costText` needs of the context. */
export interface CostTextContext {
  palette: Palette;
  width?: number;
  stdout: { isTTY: boolean };
  /** The user's home, shown as `~` in project paths. */
  userHome?: string;
}

/**
 * The human report: scope and range, total, tokens, then the table with a
 * TOTAL row. On a terminal a by-time table ends each row with a bar
 * proportional to its cost. `--by session` adds last activity, project,
 * RECORDED and title columns. On a narrow terminal names are cut, then
 * columns dropped (token counts first), so that no row wraps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CostOptions } from "../cost/run_types.ts";
 * import { bucketFields, CostReport } from "../cost/report.ts";
 * import { palette } from "./color.ts";
 * import { costText } from "./cost_table.ts";
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
 * const ctx = { palette: palette(false), stdout: { isTTY: false } };
 * const text = costText(result, options, { kind: "all" }, ctx);
 * assert.match(text, /^Total {3}\$0\.41 in 1 session$/m);
 * ```
 */
export function costText(
  r: CostResult,
  o: CostOptions,
  scope: CostCoverage,
  ctx: CostTextContext,
): string {
  const p = ctx.palette;
  const clean = (t: string) => sanitizeForTerminal(t, true);
  const home = ctx.userHome ?? "";
  const total = r.total;
  let out = p.dim(`${describeScope(scope)} · ${describeRange(o)} · ${o.tz}`) + "\n";
  const unpricedNote = total.unpricedTokens > 0
    ? ` (+ ${formatTokens(total.unpricedTokens)} unpriced tokens)`
    : "";
  out += `${p.bold("Total")}   ${p.bold(formatCost(total.costUsd))} in ${total.sessions} session${
    total.sessions === 1 ? "" : "s"
  }${unpricedNote}\n`;
  out += tokensLine(total, ctx.width, p);
  if (scope.kind === "session") {
    const s = r.sessions.get(scope.id);
    if (s && s.info.meta?.parent) {
      out += p.dim(
        `Recorded by zot: ${formatCost(s.info.recorded.costNanos / NANOS)}, of which ${
          formatCost(s.info.inherited.costNanos / NANOS)
        } was copied from parent ${clean(s.info.meta.parent.slice(0, 8))} at the fork`,
      ) + "\n";
    }
  }
  const rows = r.rows;
  if (rows.length === 0) return out;

  const bySession = o.by.includes("session");
  const onlySessions = o.by.length === 1 && bySession;
  const withProject = bySession && !o.by.includes("project");
  // Columns in drawing order; the cells below follow the same order.
  const columns: (Column & { id: string })[] = [];
  const add = (id: string, c: Column, when = true) => {
    if (when) columns.push({ id, ...c });
  };
  const keyIsName = o.by.some((k) => NAME_KEYS.has(k));
  // A model's cell is cut as a model name (its version kept), any other as text.
  const modelCells = new Set<string>();
  add("key", {
    header: o.by.map((k) => k.toUpperCase()).join(" / "),
    maxWidth: 48,
    ...(keyIsName ? { minWidth: 12, shrinkRank: 2 } : {}),
    cut: (t, w) => (modelCells.has(t) ? truncateModelToWidth : truncateToWidth)(t, w),
  });
  add("sessions", { header: "SESSIONS", align: "right", dropOrder: 5 }, !onlySessions);
  add("updated", { header: "LAST ACTIVITY", dropOrder: 7 }, bySession);
  add("input", { header: "INPUT", align: "right", dropOrder: 3 });
  add("output", { header: "OUTPUT", align: "right", dropOrder: 4 });
  add("cacheRead", { header: "CACHE READ", align: "right", dropOrder: 2 });
  add("cacheWrite", { header: "CACHE WRITE", align: "right", dropOrder: 1 });
  add("spend", { header: "SPEND", align: "right" });
  add("recorded", { header: "RECORDED", align: "right", dropOrder: 8 }, bySession);
  const bars = ctx.stdout.isTTY && TIME_KEYS.has(o.by[0]);
  add("bar", { header: "", style: (t) => p.cyan(t), dropOrder: 6 }, bars);
  add("project", { header: "PROJECT", maxWidth: 32, minWidth: 12, shrinkRank: 1 }, withProject);
  add("title", {
    header: "TITLE",
    flex: true,
    minWidth: 10,
    shrinkRank: 0,
    dropOrder: 9,
    style: (t, row) => titleDim[row] ? p.dim(t) : t,
  }, bySession);
  const maxCost = Math.max(...rows.map((row) => row.costUsd), 0);
  const barWidth = Math.max(8, Math.min(30, (ctx.width ?? 100) - 100));
  const when = (ms: number) => {
    const c = clockIn(ms, o.tz);
    return `${c.date} ${c.time.slice(0, 5)}`;
  };

  const cells: string[][] = [];
  const titleDim: boolean[] = [];
  const emit = (row: ReportRow, depth: number) => {
    const key = o.by[depth];
    const s = key === "session" ? r.sessions.get(row.key) : undefined;
    const keyName = key === "session"
      ? clean(row.key.slice(0, 8))
      : key === "project"
      ? formatProject(row.key, home)
      : key === "week"
      ? formatWeek(row.key, o.weekStart)
      : clean(row.key);
    const values: Record<string, string> = {
      key: (depth > 0 ? "  " : "") + keyName,
      sessions: String(row.sessions),
      updated: s ? when(s.updatedMs) : "",
      input: formatTokens(row.inputTokens),
      output: formatTokens(row.outputTokens),
      cacheRead: formatTokens(row.cacheReadTokens),
      cacheWrite: formatTokens(row.cacheWriteTokens),
      spend: formatCost(row.costUsd, row.unpricedTokens),
      recorded: s ? formatCost(s.info.recorded.costNanos / NANOS) : "",
      bar: "",
      project: s ? formatProject(s.cwd, home) : "",
      title: s ? clean(s.title ?? s.firstPrompt ?? "") : "",
    };
    if (bars && depth === 0) {
      const n = maxCost > 0 ? Math.round((row.costUsd / maxCost) * barWidth) : 0;
      values.bar = n === 0 && row.costUsd > 0 ? "▏" : BAR.repeat(n);
    }
    if (key === "model") modelCells.add(values.key);
    titleDim.push(s !== undefined && s.title === null);
    cells.push(columns.map((c) => values[c.id]));
    for (const child of row.children ?? []) emit(child, depth + 1);
  };
  for (const row of rows) emit(row, 0);

  // The TOTAL row fills every column: of every session counted, not only
  // the rows shown.
  const counted = [...r.sessions.values()].filter((s) => r.report.total.sessions.has(s.id));
  const projects = new Set(counted.map((s) => s.cwd));
  const latest = counted.reduce((max, s) => Math.max(max, s.updatedMs), 0);
  const recorded = counted.reduce((sum, s) => sum + s.info.recorded.costNanos, 0);
  const totals: Record<string, string> = {
    key: "TOTAL",
    sessions: String(total.sessions),
    updated: counted.length ? when(latest) : "",
    input: formatTokens(total.inputTokens),
    output: formatTokens(total.outputTokens),
    cacheRead: formatTokens(total.cacheReadTokens),
    cacheWrite: formatTokens(total.cacheWriteTokens),
    spend: formatCost(total.costUsd, total.unpricedTokens),
    recorded: formatCost(recorded / NANOS),
    bar: "",
    project: projects.size === 1
      ? formatProject([...projects][0], home)
      : `${projects.size} projects`,
    title: `${total.sessions} session${total.sessions === 1 ? "" : "s"}`,
  };
  titleDim.push(false);
  cells.push(columns.map((c) => totals[c.id]));
  out += "\n" + renderTable(columns, cells, { width: ctx.width, palette: p });
  if (r.hiddenSessions > 0) {
    out += p.dim(
      `${r.hiddenSessions} more session${r.hiddenSessions === 1 ? "" : "s"} not shown (--limit)`,
    ) + "\n";
  }
  if (total.unpricedTokens > 0 && total.costUsd > 0) out += p.dim(UNPRICED_NOTE) + "\n";
  return out;
}

/** The token line, on two lines when one would not fit the terminal. */
function tokensLine(
  total: CostResult["total"],
  width: number | undefined,
  p: Palette,
): string {
  const head = `${formatTokens(total.inputTokens)} input · ${
    formatTokens(total.outputTokens)
  } output`;
  const tail = `${formatTokens(total.cacheReadTokens)} cache read · ${
    formatTokens(total.cacheWriteTokens)
  } cache write`;
  const one = `Tokens  ${head} · ${tail}`;
  if (width === undefined || one.length <= width) return `${p.bold("Tokens")}  ${head} · ${tail}\n`;
  return `${p.bold("Tokens")}  ${head} ·\n        ${tail}\n`;
}

function describeScope(scope: CostCoverage): string {
  switch (scope.kind) {
    case "all":
      return "All projects";
    case "project":
      return `Project ${formatProject(scope.cwd)}`;
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
