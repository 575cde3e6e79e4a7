/**
 * `zot-sessions cost`: what sessions cost, by day, week, month, model,
 * provider, project or session — each dollar counted once, forks included.
 *
 * @module
 */
import { choiceFlag, intFlag, type ParsedFlags } from "../args.ts";
import { checkTimeZone, localTimeZone, startOfDay, wallTime } from "../calendar.ts";
import type { Command } from "../command.ts";
import { type Context, requireHomes } from "../context.ts";
import { newestFirst, type SessionFile } from "../catalog.ts";
import { CostReport, GROUP_KEYS, type GroupKey } from "../cost_report.ts";
import { describeSystemError, UsageError } from "../errors.ts";
import { type LedgerInfo, readLedger } from "../ledger.ts";
import { damageWarning, listCatalogs } from "../load.ts";
import { mapConcurrent } from "../pool.ts";
import { parseRef, resolveRef } from "../refs.ts";
import { idFromFileName } from "../session_info.ts";
import { parseTimeFlag } from "../time.ts";
import { costCsv, costJson, costText } from "../render/cost.ts";
import { jsonForTerminal } from "../render/sanitize.ts";

/** `cost` flags, checked and typed. */
export interface CostOptions {
  all: boolean;
  session: string | null;
  sinceMs: number | null;
  untilMs: number | null;
  tz: string;
  by: GroupKey[];
  weekStart: "monday" | "sunday";
  csv: boolean;
}

/**
 * Checks and types `cost`'s flags. `--last N` is the last N days including
 * today in the zone.
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
  const tz = checkTimeZone(text("tz") ?? (env.TZ ? env.TZ : localTimeZone()));
  const by = (text("by") ?? "model").split(",").map((k) =>
    choiceFlag("--by", k.trim(), GROUP_KEYS)
  );
  if (by.length > 2) throw new UsageError(`Cannot group by "${text("by")}": at most two keys`);
  if (by.length === 2 && by[0] === by[1]) {
    throw new UsageError(`Cannot group by "${text("by")}": the two keys are the same`);
  }
  let sinceMs = text("since") === undefined
    ? null
    : parseTimeFlag("--since", text("since")!, nowMs, tz);
  const untilMs = text("until") === undefined
    ? null
    : parseTimeFlag("--until", text("until")!, nowMs, tz);
  if (text("last") !== undefined) {
    if (sinceMs !== null) throw new UsageError("Cannot use --last with --since: choose one");
    const n = intFlag("--last", text("last")!, 1);
    if (n > 100_000) throw new UsageError(`Cannot parse --last "${n}": at most 100000 days`);
    const today = wallTime(nowMs, tz);
    const first = new Date(Date.UTC(today.year, today.month - 1, today.day - (n - 1)));
    sinceMs = startOfDay(first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate(), tz);
  }
  if (v.json === true && v.csv === true) {
    throw new UsageError("Cannot use --json with --csv: choose one");
  }
  return {
    all: v.all === true,
    session: text("session") ?? null,
    sinceMs,
    untilMs,
    tz,
    by,
    weekStart: choiceFlag(
      "--week-start",
      text("week-start") ?? "monday",
      ["monday", "sunday"] as const,
    ),
    csv: v.csv === true,
  };
}

/** A session's totals, for `--by session` and the session header. */
export interface SessionTotals {
  id: string;
  cwd: string;
  info: LedgerInfo;
}

/** Everything a cost run found. */
export interface CostResult {
  report: CostReport;
  sessions: Map<string, SessionTotals>;
  problems: string[];
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
    files = [
      await resolveRef(o.session, {
        homes: ctx.homes,
        cwd: ctx.cwd,
        all: o.all,
        base: ctx.processCwd,
      }),
    ];
  } else {
    const catalogs = await listCatalogs(ctx.homes, ctx.cwd, o.all);
    for (const c of catalogs) {
      for (const p of c.problems) problems.push(`Cannot list "${p.path}": ${p.message}`);
    }
    files = chooseFiles(catalogs.map((c) => c.files), o.sinceMs);
  }
  const inRange = (t: number) =>
    (o.sinceMs === null || t >= o.sinceMs) && (o.untilMs === null || t <= o.untilMs);
  let done = 0;
  let bytes = 0;
  const perFile = await mapConcurrent(files, 4, async (file) => {
    const report = new CostReport(o);
    try {
      const info = await readLedger(file.path, (e, i) => {
        if (inRange(e.timeMs)) {
          report.add(e, { id: i.meta?.id || idFromFileName(file.path), cwd: i.meta?.cwd ?? "" });
        }
      });
      return { file, report, info };
    } catch (err) {
      return { file, error: describeSystemError(err) };
    } finally {
      onProgress?.(++done, files.length, bytes += file.bytes);
    }
  });
  const total = new CostReport(o);
  const sessions = new Map<string, SessionTotals>();
  for (const r of perFile) {
    if ("error" in r) {
      problems.push(`Cannot read "${r.file.path}": ${r.error}; skipped it`);
      continue;
    }
    const id = r.info.meta?.id || idFromFileName(r.file.path);
    if (sessions.has(id)) continue; // the same session again: counted once
    sessions.set(id, { id, cwd: r.info.meta?.cwd ?? "", info: r.info });
    const damage = damageWarning(r.file.path, r.info.damagedLines, r.info.firstDamage ?? undefined);
    if (damage) problems.push(damage);
    total.merge(r.report);
  }
  return { report: total, sessions, problems };
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
  const scope = o.session !== null
    ? { kind: "session" as const, id: [...result.sessions.keys()][0] ?? "" }
    : o.all
    ? { kind: "all" as const }
    : { kind: "project" as const, cwd: ctx.cwd };
  if (ctx.json) {
    const json = JSON.stringify(costJson(result, o, scope), null, 2);
    await ctx.stdout.write(jsonForTerminal(json, ctx.stdout.isTTY) + "\n");
  } else if (o.csv) {
    await ctx.stdout.write(costCsv(result.report, o, ctx.stdout.isTTY));
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
      void ctx.stderr.write(
        `\r\x1b[KScanning ${done}/${total} files, ${(bytes / 1e6).toFixed(0)} MB…`,
      );
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
  allowPositionals: false,
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
  },
  help: `Usage: zot-sessions cost [options]

What the sessions of the current project cost: total, tokens, sessions, and
a table by model. Spend is each usage row's increase over the one before, so
a fork's copied history counts once (for its parent), and a restarted
counter is not lost.

Options:
  -a, --all              every project under the home(s)
  -s, --session REF      one session: id, id prefix, path, latest or latest~N
      --since WHEN       spend at or after WHEN (a date, a date-time, or 7d…)
      --until WHEN       spend at or before WHEN (a date means to its end)
      --last N           the last N days, today included
      --tz ZONE          time zone for days, weeks, months (IANA name or UTC;
                         default: the local zone)
      --by KEY[,KEY]     day, week, month, model (default), provider, project
                         or session; two keys give a breakdown
      --week-start DAY   monday (default, ISO weeks) or sunday
      --home DIR         may be given more than once: a session synced into
                         several homes is counted once
      --json             {scope, since, until, tz, total, rows} (see README)
      --csv              one row per group

Spend with tokens but no recorded cost (a model zot had no price for) is
shown as unpriced and counted in unpricedTokens, never as $0.00.

Examples:
  zot-sessions cost --all --last 7 --by day
  zot-sessions cost --all --by month,model --tz Europe/Berlin
  zot-sessions cost --session latest`,
  run,
};
