/**
 * `zot-sessions cost`: what sessions cost, by day, week, month, model,
 * provider, project or session — each dollar counted once, forks included.
 *
 * @module
 */
import { choiceFlag, intFlag, type ParsedFlags } from "./args.ts";
import { startOfDay, utcMs, wallTime } from "../base/calendar.ts";
import type { Command } from "./command.ts";
import { type Context, requireHomes } from "./context.ts";
import { newestFirst, type SessionFile } from "../sessions/catalog.ts";
import {
  CostReport,
  GROUP_KEYS,
  type GroupKey,
  type ReportRow,
  TIME_KEYS,
} from "../cost/report.ts";
import { describeSystemError, UsageError } from "../base/errors.ts";
import { type LedgerInfo, readLedger, type SpendEvent } from "../scan/ledger.ts";
import { damageWarning, listCatalogs, scanSession } from "../sessions/load.ts";
import { mapConcurrent } from "../base/pool.ts";
import { parseRef, refScope, resolveRef } from "../sessions/refs.ts";
import { idFromFileName } from "../sessions/info.ts";
import { checkTimeRange, parseRfc3339, parseTimeRange, type TimePoint } from "../base/time.ts";
import { timeZoneFlag, ZONE_OPTIONS } from "./zone_flag.ts";
import {
  COST_SORT_KEYS,
  type CostOptions,
  type CostResult,
  type CostSortKey,
  type SessionTotals,
} from "../cost/query.ts";
import { costCsv, costJson, costText } from "../render/cost.ts";
import { jsonForTerminal } from "../render/sanitize.ts";
import { EVENT_HELP, EVENT_OPTIONS, eventsWanted, writeEvents } from "./cost_events.ts";
import type { SessionEvents } from "../cost/events.ts";

export type { CostOptions, CostResult, SessionTotals };

/** Days a week may start on (`--week-start`). */
const WEEK_STARTS = ["monday", "sunday"] as const;

/** The most periods `--last` takes, per period (about 270 years). */
const LAST_MAX = { day: 100_000, week: 14_000, month: 3_200 } as const;

/**
 * Where `--last N` starts: the start of the N-th latest period in the zone,
 * the current one included, where a period is the report's own: weeks for
 * `--by week`, months for `--by month`, else days. So `--by week --last 1` is
 * this week so far, as ccusage users asked for.
 *
 * @example
 * lastPeriods("1", ["week"], "monday", Date.parse("2026-11-25T12:00:00Z"), "UTC").label // "2026-11-23 (this week)"
 */
export function lastPeriods(
  text: string,
  by: GroupKey[],
  weekStart: "monday" | "sunday",
  nowMs: number,
  tz: string,
): TimePoint {
  const period = by.find((k): k is "day" | "week" | "month" => TIME_KEYS.has(k)) ?? "day";
  const n = intFlag("--last", text, 1);
  if (n > LAST_MAX[period]) {
    throw new UsageError(`Cannot parse --last "${text}": at most ${LAST_MAX[period]} ${period}s`);
  }
  const today = wallTime(nowMs, tz);
  let first: Date;
  if (period === "month") {
    first = new Date(utcMs(today.year, today.month - (n - 1), 1));
  } else {
    let back = n - 1;
    if (period === "week") {
      const dow = new Date(utcMs(today.year, today.month, today.day)).getUTCDay(); // Sunday = 0
      back = 7 * (n - 1) + (weekStart === "monday" ? (dow + 6) % 7 : dow);
    }
    first = new Date(utcMs(today.year, today.month, today.day - back));
  }
  const [y, m, d] = [first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate()];
  const what = n === 1 ? period === "day" ? "today" : `this ${period}` : `the last ${n} ${period}s`;
  return {
    ms: startOfDay(y, m, d, tz),
    label: `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${
      String(d).padStart(2, "0")
    } (${what})`,
  };
}

/**
 * Checks and types `cost`'s flags. `--last N` is the last N periods of the
 * report (see {@linkcode lastPeriods}), the current one included.
 *
 * @example
 * costOptions({ values: { by: "day,model" }, positionals: [] }, Date.now()).by // ["day", "model"]
 */
export function costOptions(
  flags: ParsedFlags,
  nowMs: number,
  env: Record<string, string | undefined>,
): CostOptions {
  const v = flags.values;
  const text = (name: string) => v[name] as string | undefined;
  const tz = timeZoneFlag(flags, env);
  const events = eventsWanted(flags);
  const by = (text("by") ?? "model").split(",").map((k) =>
    choiceFlag("--by", k.trim(), GROUP_KEYS)
  );
  if (by.length > 2) throw new UsageError(`Cannot group by "${text("by")}": at most two keys`);
  if (by.length === 2 && by[0] === by[1]) {
    throw new UsageError(`Cannot group by "${text("by")}": the two keys are the same`);
  }
  const weekStart = choiceFlag("--week-start", text("week-start") ?? "monday", WEEK_STARTS);
  const range = parseTimeRange(text("since"), text("until"), nowMs, tz);
  if (text("last") !== undefined) {
    if (range.since !== null) throw new UsageError("Cannot use --last with --since: choose one");
    range.since = lastPeriods(text("last")!, by, weekStart, nowMs, tz);
    checkTimeRange(range, `--last "${text("last")}"`, `--until "${text("until")}"`);
  }
  if (v.json === true && v.csv === true) {
    throw new UsageError("Cannot use --json with --csv: choose one");
  }
  // They order and cut session rows: with no session rows they would
  // silently do nothing.
  for (const flag of ["sort", "limit", "reverse"]) {
    if (v[flag] !== undefined && !by.includes("session")) {
      throw new UsageError(
        `Cannot use --${flag} with --by "${by.join(",")}": it orders session rows (--by session)`,
      );
    }
  }
  return {
    all: v.all === true,
    session: text("session") ?? null,
    sinceMs: range.since?.ms ?? null,
    untilMs: range.until?.ms ?? null,
    sinceLabel: range.since?.label,
    untilLabel: range.until?.label,
    tz,
    by,
    weekStart,
    csv: v.csv === true,
    sort: choiceFlag("--sort", text("sort") ?? "cost", COST_SORT_KEYS),
    reverse: v.reverse === true,
    limit: text("limit") === undefined ? null : intFlag("--limit", text("limit")!, 1),
    events,
  };
}

/**
 * The files to count: every home's, the same session synced into two homes
 * counted once (same place under `sessions/`: the newest copy wins), files
 * last written before `sinceMs` skipped unread (they cannot hold later spend).
 */
function chooseFiles(catalogFiles: SessionFile[][], sinceMs: number | null): SessionFile[] {
  const byPlace = new Map<string, SessionFile>();
  for (const files of catalogFiles) {
    for (const f of files) {
      const place = `${f.dir}/${f.path.slice(f.path.lastIndexOf("/") + 1)}`;
      const seen = byPlace.get(place);
      if (
        !seen || f.mtimeMs > seen.mtimeMs || (f.mtimeMs === seen.mtimeMs && f.bytes > seen.bytes)
      ) {
        byPlace.set(place, f);
      }
    }
  }
  return [...byPlace.values()]
    .filter((f) => sinceMs === null || f.mtimeMs >= sinceMs)
    .sort(newestFirst);
}

/**
 * Reads the ledgers of the chosen sessions and sums them. A session id met
 * twice (a copy under another name or in another home) counts once: the
 * newest file's.
 *
 * @example
 * const { report } = await computeCost(ctx, options, onProgress);
 */
export async function computeCost(
  ctx: Pick<Context, "homes" | "cwd" | "processCwd">,
  o: CostOptions,
  onProgress?: (done: number, total: number, bytes: number) => void,
): Promise<CostResult> {
  let files: SessionFile[];
  const problems: string[] = [];
  if (o.session !== null) {
    // A path that is a link names the file it leads to: cost only reads.
    files = [await resolveRef(o.session, refScope(ctx, o.all, true))];
  } else {
    // --all needs no project (nor a current directory, which may be gone).
    const catalogs = await listCatalogs(ctx.homes, o.all ? "" : ctx.cwd, o.all);
    for (const c of catalogs) {
      for (const p of c.problems) problems.push(`Cannot list "${p.path}": ${p.message}`);
    }
    files = chooseFiles(catalogs.map((c) => c.files), o.sinceMs);
  }
  const inRange = (t: number) =>
    (o.sinceMs === null || t >= o.sinceMs) && (o.untilMs === null || t <= o.untilMs);
  const needSummary = o.by.includes("session");
  let done = 0;
  let bytes = 0;
  const perFile = await mapConcurrent(files, 4, async (file) => {
    const report = new CostReport(o);
    const events: SpendEvent[] | undefined = o.events ? [] : undefined;
    try {
      const onSpend = (e: SpendEvent, i: LedgerInfo) => {
        if (inRange(e.timeMs)) {
          report.add(e, { id: i.meta?.id || idFromFileName(file.path), cwd: i.meta?.cwd ?? "" });
          events?.push(e);
        }
      };
      // Session rows show a title or first prompt: then the summary's pass
      // feeds the ledger. Otherwise the ledger's own pass, which parses no
      // message: finding a first prompt parses a whole user message, often
      // megabytes of screenshot (cost --by day, 150 MB generated corpus,
      // shared 2-core machine: 0.38 s wall with the ledger alone, 0.44 s
      // with the summary; noisy, but never faster).
      if (!needSummary) {
        return { file, report, events, info: await readLedger(file.path, onSpend) };
      }
      const { summary, ledger: info } = await scanSession(file.path, onSpend);
      return { file, report, events, info, summary };
    } catch (err) {
      return { file, error: describeSystemError(err) };
    } finally {
      onProgress?.(++done, files.length, bytes += file.bytes);
    }
  });
  const total = new CostReport(o);
  const sessions = new Map<string, SessionTotals>();
  const events: SessionEvents[] | undefined = o.events ? [] : undefined;
  for (const r of perFile) {
    if ("error" in r) {
      problems.push(`Cannot read "${r.file.path}": ${r.error}; skipped it`);
      continue;
    }
    const id = r.info.meta?.id || idFromFileName(r.file.path);
    if (sessions.has(id)) continue; // the same session again: counted once
    const meta = r.summary?.meta ?? r.info.meta;
    sessions.set(id, {
      id,
      cwd: r.info.meta?.cwd ?? "",
      info: r.info,
      title: r.summary?.title ?? null,
      firstPrompt: r.summary?.firstPrompt ?? null,
      startedMs: meta ? parseRfc3339(meta.started) : null,
      updatedMs: r.file.mtimeMs,
    });
    const damage = damageWarning(r.file.path, r.info.damagedLines, r.info.firstDamage ?? undefined);
    if (damage) problems.push(damage);
    total.merge(r.report);
    if (r.events) events?.push({ id, info: r.info, path: r.file.path, events: r.events });
  }
  const arranged = arrangeRows(total.rows(), o, sessions, 0);
  return { report: total, ...arranged, sessions, problems, events };
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

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const o = costOptions(flags, ctx.now, ctx.env);
  // A malformed reference is a usage error before any home is looked at.
  if (o.session !== null) parseRef(o.session);
  await requireHomes(ctx, flags);
  const progress = progressLine(ctx);
  const result = await computeCost(ctx, o, progress.update);
  await progress.clear();
  for (const p of result.problems) await ctx.warn(p);
  if (o.events) {
    await writeEvents(ctx, result.events ?? [], flags, o.csv);
    return 0;
  }
  const scope = o.session !== null
    ? { kind: "session" as const, id: [...result.sessions.keys()][0] ?? "" }
    : o.all
    ? { kind: "all" as const }
    : { kind: "project" as const, cwd: ctx.cwd };
  if (ctx.json) {
    const json = JSON.stringify(costJson(result, o, scope), null, 2);
    await ctx.stdout.write(jsonForTerminal(json, ctx.stdout.isTTY) + "\n");
  } else if (o.csv) {
    await ctx.stdout.write(costCsv(result.rows, o, ctx.stdout.isTTY));
  } else {
    await ctx.stdout.write(costText(result, o, scope, ctx));
  }
  return 0;
}

/**
 * A progress line on stderr when a scan takes longer than a second, only on
 * a terminal; cleared at the end.
 */
function progressLine(ctx: Context) {
  const start = Date.now();
  let shown = false;
  let last = 0;
  return {
    update: (done: number, total: number, bytes: number) => {
      if (!ctx.stderr.isTTY) return;
      const now = Date.now();
      if (now - start < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      // Not awaited (the scan goes on); a failure shows on the next write.
      ctx.stderr.write(
        `\r\x1b[KScanning ${done}/${total} files, ${(bytes / 1e6).toFixed(0)} MB…`,
      ).catch(() => {});
    },
    clear: async () => {
      if (shown) await ctx.stderr.write("\r\x1b[K");
    },
  };
}

/** The `cost` verb. */
export const cost: Command = {
  name: "cost",
  summary: "what sessions cost, by day, model, project… (forks counted once)",
  env: ["COLUMNS", "TZ"],
  allowPositionals: false,
  values: { by: GROUP_KEYS, sort: COST_SORT_KEYS, "week-start": WEEK_STARTS, session: "session" },
  options: {
    all: { type: "boolean", short: "a" },
    session: { type: "string", short: "s" },
    since: { type: "string" },
    until: { type: "string" },
    last: { type: "string" },
    tz: { type: "string" },
    by: { type: "string" },
    "week-start": { type: "string" },
    csv: { type: "boolean" },
    limit: { type: "string", short: "n" },
    sort: { type: "string" },
    reverse: { type: "boolean", short: "r" },
    ...ZONE_OPTIONS,
    ...EVENT_OPTIONS,
  },
  help: `Usage: zot-sessions cost [options]

What the sessions of the current project cost: total, tokens, sessions, and
a table by model. SPEND is each usage row's increase over the one before, so
a fork's copied history counts once (for its parent), and a restarted
counter is not lost; RECORDED (with --by session) is the session's total as
zot recorded it, a fork's copy included. --by session adds each session's
last activity, project and title.

Options:
  -a, --all              every project under the home(s)
  -s, --session REF      one session: id, id prefix, path, latest or latest~N
      --since WHEN       spend at or after WHEN: today, yesterday, a date
                         (2026-11-01, 20261101), a date-time (2026-11-01
                         09:30) or a duration ago (12h, 7d, 3mo, 1y, 2d3h)
      --until WHEN       spend at or before WHEN (a day means to its end)
      --last N           the last N periods of the report, the current one
                         included: weeks with --by week, months with --by
                         month, else days
      --tz ZONE          time zone for days, weeks, months and times (IANA
                         name or UTC; default: $TZ, else the system's zone)
      --utc              the same as --tz UTC
      --by KEY[,KEY]     day, week, month, model (default), provider, project
                         or session; two keys give a breakdown
      --week-start DAY   monday (default, ISO weeks) or sunday
  -n, --limit N          with --by session: at most N session rows
      --sort KEY         with --by session: cost (default: spend in the
                         range), recorded (zot's total), tokens, updated
                         (last activity) or started; biggest or newest first
  -r, --reverse          with --by session: reverse the order
      --home DIR         may be given more than once: a session synced into
                         several homes is counted once
      --json             {scope, since, until, tz, total, rows} (see README)
      --csv              one row per group
${EVENT_HELP}

Spend with tokens but no recorded cost (a model zot had no price for) is
shown as unpriced and counted in unpricedTokens, never as $0.00.

Examples:
  zot-sessions cost --all --last 7 --by day
  zot-sessions cost --by week --last 1
  zot-sessions cost --all --by month,model --tz Europe/Berlin
  zot-sessions cost --all --by session --sort updated --limit 10
  zot-sessions cost --session latest
  zot-sessions cost --all --events --since yesterday --until yesterday`,
  run,
};
