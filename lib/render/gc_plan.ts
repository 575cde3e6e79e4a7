/**
 * gc's plan as a person reads it (a dry run's list, a run's report) and as
 * `--json` gives it.
 *
 * @module
 */
import type { GcPlan } from "../gc/plan.ts";
import type { GcOutcome } from "../gc/exec.ts";
import type { FieldDocs } from "../base/field_docs.ts";
import { formatBytes, relativeTime } from "./format.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { truncateMiddleToWidth, truncatePathToWidth } from "./width.ts";
import { type Column, renderTable } from "./table.ts";
import type { Palette } from "./color.ts";

/** What gc does with what it selects: remove it, or move it to an archive. */
export interface PlanAction {
  archive: { dir: string; compress: boolean } | null;
}

/** What the text plan needs of the run. */
export interface PlanView {
  palette: Palette;
  /** The run's time, for "3d ago". */
  now: number;
  /** The terminal's width, if any. */
  width?: number;
}

/** Why a session was selected, in words. */
const REASON_TEXT: Record<string, string> = {
  empty: "empty",
  "older-than": "older than the limit",
  "keep-last": "beyond the newest kept",
  "max-size": "over the size limit",
  named: "named",
  "all-sessions": "every session",
  orphaned: "directory gone",
};

/**
 * Under a dry run that selects sessions by `--orphaned`: gc cannot tell a
 * removed directory from one on a disk or a share that is not mounted.
 */
export const ORPHANED_CHECK =
  "Check before --yes: a directory on a disk or share that is not mounted looks gone too.";

/** Why a session was selected, in words (`--orphaned`'s with the directory). */
function reasonText(s: GcPlan["remove"][number], clean: (t: string) => string): string {
  return s.reasons.map((r) =>
    r === "orphaned" && s.file.projectGone
      ? `directory gone: ${clean(s.file.projectGone)}`
      : REASON_TEXT[r]
  ).join(", ");
}

/** What a run works on: one project or every project of a home, or named sessions. */
export interface GcScope {
  home: string;
  /** The project's cwd, or null for every project under the home. */
  project: string | null;
  /** How many sessions were named, or null when policies select. */
  named: number | null;
}

/** What the plan shows of a session beside its path: its title or first prompt. */
export interface Described {
  title: string | null;
  firstPrompt: string | null;
  messages: number;
  /** The latest meta line's cwd (the first line's is all the candidate knows). */
  cwd: string | null;
}

/** Off a terminal (a log, a mail from cron), a first prompt can be pages long. */
const UNKNOWN_WIDTH_TITLE_COLUMNS = 60;

/**
 * The plan's rows as a table without a header: path (cut in its middle,
 * keeping the file name), project, size, age, reasons, title. On a narrow
 * terminal the path shrinks first (to its file name), then the title, the
 * project and the reasons together; the title, then the project, are left
 * out when that is not enough.
 */
function planColumns(width: number | undefined, p: Palette, empty: boolean[]): Column[] {
  return [
    { header: "", cut: truncateMiddleToWidth, minWidth: 31 },
    {
      header: "",
      cut: truncatePathToWidth,
      minWidth: 10,
      shrinkRank: 1,
      dropOrder: 2,
      style: (t) => p.dim(t),
    },
    { header: "", align: "right" },
    { header: "" },
    { header: "", minWidth: 8, shrinkRank: 1 },
    {
      header: "",
      flex: true,
      minWidth: 10,
      shrinkRank: 1,
      dropOrder: 1,
      maxWidth: width === undefined ? UNKNOWN_WIDTH_TITLE_COLUMNS : undefined,
      style: (t, row) => empty[row] ? p.dim(t) : t,
    },
  ];
}

function firstLine(plan: GcPlan, o: PlanAction, scope: GcScope, clean: (t: string) => string) {
  const act = o.archive ? "archive" : "remove";
  const where = scope.named !== null
    ? ""
    : scope.project !== null
    ? ` from project ${clean(scope.project)}`
    : ` from every project under ${clean(scope.home)}`;
  const sessions = (k: number) =>
    `${k} ${scope.named !== null ? "named " : ""}session${k === 1 ? "" : "s"}`;
  if (plan.remove.length === 0) {
    return scope.named !== null
      ? `Nothing to ${act} of the ${sessions(scope.named)}.`
      : `Nothing to ${act}${where}.`;
  }
  const to = o.archive ? ` to ${clean(o.archive.dir)}` : "";
  return `Would ${act} ${sessions(plan.remove.length)}${where}${to}, freeing ${
    formatBytes(plan.bytes)
  } (dry run: add --yes to do it):`;
}

/**
 * The plan for a person: what would go (or went) and why, each session's
 * title, what was kept for a fork, left in its grace period, or skipped.
 */
export function planText(
  plan: GcPlan,
  o: PlanAction,
  ctx: PlanView,
  scope: GcScope,
  described: Map<string, Described>,
  skipped: { path: string; reason: string }[],
): string {
  const p = ctx.palette;
  const clean = (t: string) => sanitizeForTerminal(t, true);
  let out = firstLine(plan, o, scope, clean) + "\n";
  const empty: boolean[] = [];
  const rows = plan.remove.map((s) => {
    const d = described.get(s.file.path);
    const title = d ? clean(d.title ?? d.firstPrompt ?? "") : "";
    empty.push(!title && d?.messages === 0);
    return [
      clean(s.file.path),
      clean(d?.cwd || s.file.cwd || "?"),
      formatBytes(s.file.bytes),
      relativeTime(s.file.mtimeMs, ctx.now),
      reasonText(s, clean),
      title || (d?.messages === 0 ? "(empty session)" : ""),
    ];
  });
  if (rows.length > 0) {
    out += renderTable(planColumns(ctx.width, p, empty), rows, {
      width: ctx.width,
      palette: p,
      header: false,
      indent: "  ",
    });
  }
  for (const k of plan.keptForChildren) {
    out += p.yellow(
      `Kept ${clean(k.file.path)}: parent of kept fork${k.children.length === 1 ? "" : "s"} ${
        clean(k.children.map((c) => c.slice(0, 8)).join(", "))
      } (--allow-orphans removes it)`,
    ) + "\n";
  }
  for (const g of plan.inGrace) {
    out += p.dim(
      `Left ${clean(g.file.path)}: modified ${
        relativeTime(g.file.mtimeMs, ctx.now)
      }, within the grace period`,
    ) + "\n";
  }
  for (const s of skipped) out += p.dim(`Skipped ${clean(s.path)}: ${s.reason}`) + "\n";
  if (plan.remove.some((s) => s.reasons.includes("orphaned"))) {
    out += p.yellow(ORPHANED_CHECK) + "\n";
  }
  return out;
}

/** The plan for `--json`, with each session's outcome once executed. */
export function planJson(
  plan: GcPlan,
  o: PlanAction,
  scope: GcScope,
  described: Map<string, Described>,
  skipped: { path: string; reason: string }[],
  outcomes: GcOutcome[] | null,
) {
  const byPath = new Map(outcomes?.map((x) => [x.file.path, x]) ?? []);
  return {
    dryRun: outcomes === null,
    action: o.archive ? "archive" : "remove",
    home: scope.home,
    project: scope.project,
    archive: o.archive?.dir ?? null,
    compress: o.archive?.compress ?? false,
    bytes: plan.bytes,
    sessions: plan.remove.map((s) => {
      const x = byPath.get(s.file.path);
      const d = described.get(s.file.path);
      return {
        path: s.file.path,
        id: s.file.id,
        cwd: d?.cwd ?? s.file.cwd,
        title: d?.title ?? null,
        firstPrompt: d?.firstPrompt ?? null,
        bytes: s.file.bytes,
        updated: new Date(s.file.mtimeMs).toISOString(),
        reasons: s.reasons,
        ...(x
          ? { result: x.result, detail: x.detail ?? null, archivedTo: x.archivedTo ?? null }
          : {}),
      };
    }),
    keptForChildren: plan.keptForChildren.map((k) => ({
      path: k.file.path,
      id: k.file.id,
      children: k.children,
    })),
    inGrace: plan.inGrace.map((g) => ({
      path: g.file.path,
      updated: new Date(g.file.mtimeMs).toISOString(),
    })),
    skipped,
  };
}

type PlanJson = ReturnType<typeof planJson>;

/** What each field of `gc --json` means (`zot-sessions help json`). */
export const GC_FIELDS: FieldDocs<PlanJson> = {
  dryRun: "true without --yes",
  action: '"remove" or "archive"',
  home: "the home cleaned (absolute path)",
  project: "the project cwd gc was limited to, or null for every project",
  archive: "the archive root (absolute), or null",
  compress: "true with --archive --compress",
  bytes: "the size of the sessions selected: what the plan frees",
  sessions: "the sessions selected, oldest first (below)",
  keptForChildren: "selected but kept as the parent of a kept fork: path, id, children " +
    "(the kept forks' ids)",
  inGrace: "selected but modified within the grace period: path, updated",
  skipped: "not considered: path, reason (a symbolic link, an unreadable entry, a named " +
    "file gone since)",
};

/** What each field of a session of `gc --json` means (`zot-sessions help json`). */
export const GC_SESSION_FIELDS: FieldDocs<PlanJson["sessions"][number]> = {
  path: "the file's absolute path",
  id: "the session id",
  cwd: 'its project (first meta line; "" if none)',
  title: "its title, or null",
  firstPrompt: "its first prompt, or null",
  bytes: "the file's size",
  updated: "last activity, ISO 8601 UTC",
  reasons: "why it was selected: any of empty, older-than, keep-last, max-size, named",
  result: "with --yes: removed, archived, skipped or failed",
  detail: "with --yes: why it was skipped or failed, else null",
  archivedTo: "with --yes --archive: where it went, else null",
};
