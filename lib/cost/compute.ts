/**
 * A cost run, from scope to rows: which files to count (the same session in
 * two homes once), their spend events from the {@linkcode SessionSource},
 * grouped, and the session rows ordered and cut as asked.
 *
 * @module
 */
import type { SessionFile } from "../sessions/catalog.ts";
import { bucketFields, CostReport, type ReportRow } from "./report.ts";
import { describeSystemError } from "../base/errors.ts";
import type { SpendEvent } from "../scan/ledger.ts";
import { damageWarning, type Problem } from "../sessions/load.ts";
import {
  checkHomes,
  distinctFiles,
  listCatalogs,
  listingProblems,
  type SessionScope,
  sessionsElsewhere,
} from "../sessions/scope.ts";
import { mapConcurrent } from "../base/pool.ts";
import { refScope, resolveRef } from "../sessions/refs.ts";
import { sessionId } from "../sessions/info.ts";
import { parseRfc3339 } from "../base/time.ts";
import type {
  CostCoverage,
  CostOptions,
  CostResult,
  CostSortKey,
  SessionTotals,
} from "./run_types.ts";
import { eventRows, type SessionEvents } from "./events.ts";
import type { Progress } from "../base/progress.ts";

/**
 * Reads the ledgers of the chosen sessions and sums them. A session id met
 * twice (a copy under another name or in another home) counts once: the
 * newest file's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { projectKey } from "../sessions/home.ts";
 * import { computeCost } from "./compute.ts";
 * import type { CostOptions } from "./run_types.ts";
 * import { FileSource } from "../sessions/source.ts";
 *
 * // A tiny zot home: one session of /src/app that cost $0.41.
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions", projectKey("/src/app"));
 * await mkdir(dir, { recursive: true });
 * const id = "0e19291e-0000-4000-8000-000000000000";
 * const meta = { id, cwd: "/src/app", model: "m1", started: "2026-11-01T09:00:00Z" };
 * const usage = { input_tokens: 1200, output_tokens: 300, cost_usd: 0.41 };
 * const lines = [{ type: "meta", meta }, { type: "usage", usage, cumulative: usage }];
 * const text = lines.map((l) => JSON.stringify(l) + "\n").join("");
 * await writeFile(join(dir, "20261101-090000-0e19291e.jsonl"), text);
 * const options: CostOptions = {
 *   all: false, session: null, sinceMs: null, untilMs: null, tz: "UTC", by: ["model"],
 *   weekStart: "monday", csv: false, sort: "cost", reverse: false, limit: null,
 * };
 * const { rows } = await computeCost(
 *   { source: new FileSource(), homes: [home], cwd: "/src/app", base: "/" },
 *   options,
 * );
 * assert.deepEqual(rows.map((r) => [r.key, r.costUsd]), [["m1", 0.41]]);
 * await rm(home, { recursive: true });
 * ```
 */
export async function computeCost(
  scope: SessionScope,
  o: CostOptions,
  progress?: Progress,
): Promise<CostResult> {
  await checkHomes(scope);
  let files: SessionFile[];
  const problems: Problem[] = [];
  let elsewhere = 0;
  if (o.session !== null) {
    // A path that is a link names the file it leads to: cost only reads.
    files = [await resolveRef(o.session, refScope(scope, o.all, true))];
  } else {
    const catalogs = await listCatalogs(scope, o.all);
    problems.push(...listingProblems(catalogs).map((message) => ({ message })));
    files = distinctFiles(catalogs, o.sinceMs);
    if (!o.all && catalogs.every((c) => c.files.length === 0)) {
      elsewhere = await sessionsElsewhere(scope);
    }
  }
  const inRange = (t: number) =>
    (o.sinceMs === null || t >= o.sinceMs) && (o.untilMs === null || t <= o.untilMs);
  await scope.source.prefetch(files, true);
  let done = 0;
  let bytes = 0;
  const perFile = await mapConcurrent(files, 4, async (file) => {
    const report = new CostReport(o);
    try {
      const events: SpendEvent[] = [];
      const { summary, ledger: info } = await scope.source.scan(file, (e) => {
        if (inRange(e.timeMs)) events.push(e);
      });
      // A session's project is its latest meta line's cwd, as `ls` shows it:
      // known once the whole file is read.
      const session = { id: sessionId(file.path, info.meta), cwd: summary.meta?.cwd ?? "" };
      for (const e of events) report.add(e, session);
      return { file, report, info, summary, events: o.events ? events : undefined };
    } catch (err) {
      return { file, error: describeSystemError(err) };
    } finally {
      progress?.update(++done, files.length, bytes += file.bytes);
    }
  });
  await progress?.clear();
  const total = new CostReport(o);
  const sessions = new Map<string, SessionTotals>();
  const events: SessionEvents[] | undefined = o.events ? [] : undefined;
  for (const r of perFile) {
    if ("error" in r) {
      problems.push({ message: `Cannot read "${r.file.path}": ${r.error}; skipped it` });
      continue;
    }
    const id = sessionId(r.file.path, r.info.meta);
    if (sessions.has(id)) continue; // the same session again: counted once
    const meta = r.summary.meta;
    sessions.set(id, {
      id,
      cwd: meta?.cwd ?? "",
      info: r.info,
      title: r.summary.title,
      firstPrompt: r.summary.firstPrompt,
      startedMs: meta ? parseRfc3339(meta.started) : null,
      updatedMs: r.file.mtimeMs,
    });
    const first = r.info.firstDamage ? [r.info.firstDamage] : [];
    const damage = damageWarning(r.file.path, r.info.damagedLines, first[0]);
    if (damage) {
      problems.push({
        message: damage,
        damage: { file: r.file, count: r.info.damagedLines, first },
      });
    }
    total.merge(r.report);
    if (r.events) {
      events?.push({ id, cwd: meta?.cwd ?? "", info: r.info, path: r.file.path, events: r.events });
    }
  }
  const arranged = arrangeRows(total.rows(), o, sessions, 0);
  const coverage: CostCoverage = o.session !== null
    ? { kind: "session", id: [...sessions.keys()][0] ?? "" }
    : o.all
    ? { kind: "all" }
    : { kind: "project", cwd: scope.cwd };
  return {
    report: total,
    total: bucketFields(total.total),
    ...arranged,
    sessions,
    problems,
    events,
    eventRows: events && eventRows(events, scope.homes, o.host ?? ""),
    coverage,
    elsewhere,
  };
}

const SORT_VALUE: Record<CostSortKey, (row: ReportRow, s: SessionTotals | undefined) => number> = {
  cost: (row) => row.costUsd,
  recorded: (_, s) => s?.info.recorded.costNanos ?? 0,
  tokens: (row) => row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens,
  updated: (_, s) => s?.updatedMs ?? 0,
  started: (_, s) => s?.startedMs ?? 0,
};

/**
 * Orders and cuts the session rows as `--sort`, `--reverse` and `--limit`
 * say, at whichever level of the grouping they are (within each group when
 * sessions are the second key). Biggest or newest first; ties keep the
 * report's order (costliest first, then by id).
 */
function arrangeRows(
  rows: ReportRow[],
  o: CostOptions,
  sessions: Map<string, SessionTotals>,
  depth: number,
): { rows: ReportRow[]; hiddenSessions: number } {
  if (o.by[depth] !== "session") {
    return {
      rows: rows.map((row) =>
        row.children
          ? { ...row, children: arrangeRows(row.children, o, sessions, depth + 1).rows }
          : row
      ),
      hiddenSessions: 0,
    };
  }
  const value = SORT_VALUE[o.sort];
  let list = rows.map((row, i) => ({ row, i, v: value(row, sessions.get(row.key)) }))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .map((x) => x.row);
  if (o.reverse) list.reverse();
  const all = list.length;
  if (o.limit !== null) list = list.slice(0, o.limit);
  list = list.map((row) =>
    row.children
      ? { ...row, children: arrangeRows(row.children, o, sessions, depth + 1).rows }
      : row
  );
  return { rows: list, hiddenSessions: depth === 0 ? all - list.length : 0 };
}
