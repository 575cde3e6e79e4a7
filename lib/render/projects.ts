/**
 * The `ls --projects` table: one row per project (working directory), its
 * sessions summed, and whether the directory is still there.
 *
 * @module
 */
import type { ProjectSummary } from "../sessions/projects.ts";
import { relativeTime } from "./format.ts";
import { type Column, renderTable } from "./table.ts";
import { formatBytes, formatCost, formatProject, UNPRICED_NOTE } from "./format.ts";
import { truncatePathToWidth } from "./width.ts";
import type { Palette } from "./color.ts";

/** What the table needs to know of the run. */
export interface ListView {
  /** The run's time, for "3h ago". */
  now: number;
  palette: Palette;
  /** The terminal's width, if any. */
  width?: number;
  /** Shown as `~` in project paths. */
  userHome: string;
}

/** How the DIR column says a directory's state. */
const DIRECTORY_TEXT = { exists: "exists", gone: "gone", unknown: "?" } as const;

/**
 * The note under a table with a gone directory: a disk that is not mounted
 * looks the same as a directory removed.
 */
export const GONE_NOTE =
  "gone: not found now (a directory on a disk or share that is not mounted looks gone too)";

/**
 * The `ls --projects` table. Project paths are sanitised (they come from
 * files), the user's home shown as `~`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { renderProjects } from "./projects.ts";
 *
 * const spend = {
 *   inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0,
 *   costUsd: 0.41, unpricedTokens: 0,
 * };
 * const row = {
 *   cwd: "/src/app", sessions: 3, bytes: 12_345, updated: "2026-11-25T09:00:00Z", spend,
 *   directory: "exists" as const,
 * };
 * const ctx = { now: Date.parse("2026-11-25T12:00:00Z"), palette: palette(false), userHome: "" };
 * assert.equal(
 *   renderProjects([row], ctx),
 *   "PROJECT   SESSIONS     SIZE  UPDATED  SPEND  DIR\n" +
 *     "/src/app         3  12.3 kB  3h ago   $0.41  exists\n",
 * );
 * ```
 */
export function renderProjects(rows: ProjectSummary[], ctx: ListView): string {
  const p = ctx.palette;
  // PROJECT shortens first (keeping the end of its path), then UPDATED and
  // SIZE are left out; whether the directory is there always stays.
  const columns: Column[] = [
    { header: "PROJECT", flex: true, cut: truncatePathToWidth },
    { header: "SESSIONS", align: "right" },
    { header: "SIZE", align: "right", dropOrder: 1 },
    { header: "UPDATED", style: (t) => p.dim(t), dropOrder: 2 },
    { header: "SPEND", align: "right" },
    {
      header: "DIR",
      style: (t, row) => rows[row].directory === "gone" ? p.yellow(t) : t,
    },
  ];
  const cells = rows.map((r) => [
    r.cwd === "" ? "?" : formatProject(r.cwd, ctx.userHome),
    String(r.sessions),
    formatBytes(r.bytes),
    relativeTime(Date.parse(r.updated), ctx.now),
    formatCost(r.spend.costUsd, r.spend.unpricedTokens),
    DIRECTORY_TEXT[r.directory],
  ]);
  let out = renderTable(columns, cells, { width: ctx.width, palette: p });
  if (rows.some((r) => r.spend.unpricedTokens > 0 && r.spend.costUsd > 0)) {
    out += p.dim(UNPRICED_NOTE) + "\n";
  }
  if (rows.some((r) => r.directory === "gone")) out += p.dim(GONE_NOTE) + "\n";
  return out;
}
