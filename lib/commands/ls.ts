/**
 * `zot-sessions ls`: the sessions of this project (or all), newest first.
 *
 * @module
 */
import { choiceFlag, intFlag, type ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import { type Context, requireHomes } from "./context.ts";
import { listAll } from "../sessions/catalog.ts";
import { projectKey } from "../sessions/home.ts";
import { loadSessions } from "../sessions/load.ts";
import type { SessionInfo } from "../sessions/info.ts";
import { parseTimeRange, relativeTime } from "../base/time.ts";
import { type Column, renderTable } from "../render/table.ts";
import { jsonForTerminal, sanitizeForTerminal } from "../render/sanitize.ts";
import { formatCost, formatProject, UNPRICED_NOTE } from "../render/format.ts";
import { truncatePathToWidth } from "../render/width.ts";
import { timeZoneFlag, ZONE_OPTIONS } from "./zone_flag.ts";

/** Orders `--sort` accepts. */
export const SORT_KEYS = ["updated", "started", "cost", "messages", "size"] as const;
type SortKey = typeof SORT_KEYS[number];

/** `ls` flags, checked and typed. */
export interface LsOptions {
  all: boolean;
  limit: number | null;
  sinceMs: number | null;
  untilMs: number | null;
  model: string | null;
  sort: SortKey;
  reverse: boolean;
  tree: boolean;
  ndjson: boolean;
}

/**
 * Checks and types `ls`'s flags.
 *
 * @example
 * lsOptions({ values: { limit: "5" }, positionals: [] }, Date.now()).limit // 5
 */
export function lsOptions(
  flags: ParsedFlags,
  nowMs: number,
  env: Record<string, string | undefined> = {},
): LsOptions {
  const v = flags.values;
  const text = (name: string) => v[name] as string | undefined;
  // Dates without an offset (--since 2026-11-01) are days in this zone.
  const tz = timeZoneFlag(flags, env);
  const range = parseTimeRange(text("since"), text("until"), nowMs, tz);
  return {
    all: v.all === true,
    limit: text("limit") === undefined ? null : intFlag("--limit", text("limit")!, 1),
    sinceMs: range.since?.ms ?? null,
    untilMs: range.until?.ms ?? null,
    model: text("model") ?? null,
    sort: choiceFlag("--sort", text("sort") ?? "updated", SORT_KEYS),
    reverse: v.reverse === true,
    tree: v.tree === true,
    ndjson: v.ndjson === true,
  };
}

const SORT_VALUE: Record<SortKey, (s: SessionInfo) => number> = {
  updated: (s) => Date.parse(s.updated),
  started: (s) => (s.started ? Date.parse(s.started) : 0),
  // The number the table shows: the session's own spend, as `cost` counts it.
  cost: (s) => s.spend.costUsd,
  messages: (s) => s.messages,
  size: (s) => s.bytes,
};

/**
 * The sessions the filters keep (`--model`; the time filters apply to files
 * before they are read), in the order given. Pure.
 *
 * @example
 * filterSessions(sessions, { ...options, model: "sonnet" })
 */
export function filterSessions(sessions: SessionInfo[], o: LsOptions): SessionInfo[] {
  const needle = o.model?.toLowerCase();
  if (needle === undefined) return sessions;
  return sessions.filter((s) =>
    s.model.toLowerCase().includes(needle) || s.provider.toLowerCase().includes(needle)
  );
}

/**
 * Filters, sorts and limits a newest-first list as the options say. Biggest
 * first for every key; ties keep zot's order. Pure.
 *
 * @example
 * selectSessions(sessions, { ...options, sort: "cost", limit: 3 })
 */
export function selectSessions(
  sessions: SessionInfo[],
  o: LsOptions,
): { session: SessionInfo; depth: number }[] {
  let list = filterSessions(sessions, o);
  if (o.sort !== "updated") {
    const value = SORT_VALUE[o.sort];
    list = list.map((s, i) => ({ s, i, v: value(s) }))
      .sort((a, b) => b.v - a.v || a.i - b.i)
      .map((x) => x.s);
  }
  if (o.reverse) list.reverse();
  const rows = o.tree ? forkTree(list) : list.map((session) => ({ session, depth: 0 }));
  return o.limit === null ? rows : rows.slice(0, o.limit);
}

/**
 * Orders sessions as a fork tree: each child right under its parent, indented
 * one level more; a child whose parent is not in the list is a root. Siblings
 * keep the list's order.
 *
 * @example
 * forkTree([parent, child]).map((r) => r.depth) // [0, 1]
 */
export function forkTree(list: SessionInfo[]): { session: SessionInfo; depth: number }[] {
  const ids = new Set(list.map((s) => s.id));
  const children = new Map<string, SessionInfo[]>();
  const roots: SessionInfo[] = [];
  for (const s of list) {
    if (s.parent && s.parent !== s.id && ids.has(s.parent)) {
      const c = children.get(s.parent) ?? [];
      c.push(s);
      children.set(s.parent, c);
    } else roots.push(s);
  }
  const out: { session: SessionInfo; depth: number }[] = [];
  const seen = new Set<SessionInfo>();
  const visit = (s: SessionInfo, depth: number) => {
    if (seen.has(s)) return;
    seen.add(s);
    out.push({ session: s, depth });
    for (const c of children.get(s.id) ?? []) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  // A parent cycle (hand-edited files) has no root: show its members flat.
  for (const s of list) visit(s, 0);
  return out;
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const o = lsOptions(flags, ctx.now, ctx.env);
  await requireHomes(ctx, flags);
  const loaded = await loadSessions({
    homes: ctx.homes,
    // --all needs no project (nor a current directory, which may be gone).
    cwd: o.all ? "" : ctx.cwd,
    all: o.all,
    // Last activity is the file's mtime: filter before reading anything.
    fileFilter: (f) =>
      (o.sinceMs === null || f.mtimeMs >= o.sinceMs) &&
      (o.untilMs === null || f.mtimeMs <= o.untilMs),
  });
  // Damage is worth a warning only in sessions the user asked about.
  const inScope = new Set(filterSessions(loaded.sessions, o));
  for (const p of loaded.problems) {
    if (!p.session || inScope.has(p.session)) await ctx.warn(p.message);
  }
  const rows = selectSessions(loaded.sessions, o);

  if (o.ndjson) {
    for (const r of rows) {
      await ctx.stdout.write(jsonForTerminal(JSON.stringify(r.session), ctx.stdout.isTTY) + "\n");
    }
    return 0;
  }
  if (ctx.json) {
    const json = JSON.stringify(rows.map((r) => r.session), null, 2);
    await ctx.stdout.write(jsonForTerminal(json, ctx.stdout.isTTY) + "\n");
    return 0;
  }
  if (rows.length === 0) {
    await ctx.stderr.write(await nothingFound(ctx, o, loaded.sessions.length, loaded.looked));
    return 0;
  }
  await ctx.stdout.write(renderSessions(rows, o.all, ctx));
  return 0;
}

async function nothingFound(
  ctx: Context,
  o: LsOptions,
  found: number,
  looked: string[],
): Promise<string> {
  if (found > 0) return `No sessions match the filters (${found} without them).\n`;
  const where = looked.map((l) => `"${l}"`).join(", ");
  if (o.all) return `No zot sessions under ${where}.\n`;
  let text = `No zot sessions for "${ctx.cwd}" (looked in ${where}).\n`;
  let others = 0;
  const here = projectKey(ctx.cwd);
  for (const home of ctx.homes) {
    others += (await listAll(home)).files.filter((f) => f.dir !== here).length;
  }
  if (others > 0) {
    text += `${others} session${others === 1 ? "" : "s"} in other projects: ` +
      `try "zot-sessions ls --all".\n`;
  }
  return text;
}

/**
 * The `ls` table. Cells are sanitised: titles and prompts come from files.
 *
 * @example
 * renderSessions([{ session, depth: 0 }], false, ctx)
 */
export function renderSessions(
  rows: { session: SessionInfo; depth: number }[],
  all: boolean,
  ctx: Pick<Context, "now" | "palette" | "width" | "userHome">,
): string {
  const p = ctx.palette;
  const clean = (t: string) => sanitizeForTerminal(t, true);
  // On a narrow terminal MODEL and PROJECT shorten with TITLE; then MSGS,
  // MODEL, COST, PROJECT and UPDATED are left out in that order. ID and
  // TITLE always stay: they are what a person picks a session by.
  const columns: Column[] = [
    { header: "ID", style: (t) => p.cyan(t) },
    { header: "UPDATED", style: (t) => p.dim(t), dropOrder: 5 },
    { header: "MSGS", align: "right", dropOrder: 1 },
    // Spend, not zot's recorded total: the rows then add up to `cost`'s
    // total, and a fork does not show its parent's spend again.
    { header: "SPEND", align: "right", dropOrder: 3 },
    { header: "MODEL", maxWidth: 24, minWidth: 12, dropOrder: 2 },
  ];
  if (all) {
    columns.push({
      header: "PROJECT",
      maxWidth: 32,
      minWidth: 12,
      cut: truncatePathToWidth,
      dropOrder: 4,
    });
  }
  columns.push({
    header: "TITLE",
    flex: true,
    style: (t, row) => rows[row].session.title === null ? p.dim(t) : t,
  });
  const home = ctx.userHome;
  const cells = rows.map(({ session: s, depth }) => {
    const row = [
      (depth > 0 ? "  ".repeat(depth - 1) + "└ " : "") + clean(s.shortId),
      relativeTime(Date.parse(s.updated), ctx.now),
      String(s.messages),
      formatCost(s.spend.costUsd, s.spend.unpricedTokens),
      clean(s.model),
    ];
    if (all) row.push(formatProject(s.cwd, home));
    row.push(
      s.empty ? "(empty session)" : clean(s.title ?? s.firstPrompt ?? ""),
    );
    return row;
  });
  let out = renderTable(columns, cells, { width: ctx.width, palette: p });
  if (rows.some((r) => r.session.spend.unpricedTokens > 0 && r.session.spend.costUsd > 0)) {
    out += p.dim(UNPRICED_NOTE) + "\n";
  }
  return out;
}

/** The `ls` verb. */
export const ls: Command = {
  name: "ls",
  summary: "list sessions, newest first",
  env: ["COLUMNS", "TZ"],
  allowPositionals: false,
  values: { sort: SORT_KEYS },
  options: {
    all: { type: "boolean", short: "a" },
    limit: { type: "string", short: "n" },
    since: { type: "string" },
    until: { type: "string" },
    model: { type: "string" },
    sort: { type: "string" },
    reverse: { type: "boolean", short: "r" },
    tree: { type: "boolean" },
    ndjson: { type: "boolean" },
    ...ZONE_OPTIONS,
  },
  help: `Usage: zot-sessions ls [options]

List the zot sessions of the current project, newest first (zot's order):
id, last activity, messages, spend, model, and title or first prompt. SPEND
is the session's own spend as "cost" counts it (a fork's copy of its
parent's spend left out); --json has both it and zot's recorded usage.

Options:
  -a, --all           every project under the home (adds a PROJECT column)
  -n, --limit N       at most N sessions
      --since WHEN    last activity at or after WHEN
      --until WHEN    last activity at or before WHEN
                      WHEN: today, yesterday, a date (2026-11-01, 20261101),
                      a date-time (2026-11-01 09:30, 2026-11-01T09:30Z) or a
                      duration ago (90m, 12h, 7d, 4w, 3mo, 1y, 2d3h); a date
                      given to --until means the end of that day
      --model TEXT    model or provider contains TEXT (any case)
      --sort KEY      updated (default), started, cost (spend), messages or
                      size; biggest or newest first
  -r, --reverse       reverse the order
      --tree          forks indented under their parent
      --tz ZONE       the zone of dates in --since/--until (default: $TZ,
                      else the system's zone)
      --utc           the same as --tz UTC
      --json          one JSON array (fields in the README)
      --ndjson        one JSON object per line

Examples:
  zot-sessions ls
  zot-sessions ls --all --since 7d --sort cost
  zot-sessions ls --json | jq '.[0].path'`,
  run,
};
