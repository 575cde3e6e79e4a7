/**
 * The `ls --damaged` table: the sessions with lines that could not be read,
 * how many, and the first one with its reason.
 *
 * @module
 */
import type { SessionInfo } from "../sessions/info.ts";
import type { DamagedLine } from "../scan/summary.ts";
import { type Column, renderTable } from "./table.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { formatProject, relativeTime } from "./format.ts";
import { projectColumn } from "./sessions.ts";
import type { ListView } from "./projects.ts";

/** A session with damaged lines: the session, and the first few of them. */
export interface DamagedSession {
  session: SessionInfo;
  first: DamagedLine[];
}

/**
 * The `ls --damaged` table (`all`: with a PROJECT column). Cells are
 * sanitised: titles and reasons quote files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "../sessions/info.ts";
 * import { palette } from "./color.ts";
 * import { renderDamaged } from "./damaged.ts";
 *
 * const session = {
 *   shortId: "0e19291e", updated: "2026-11-25T09:00:00Z", damagedLines: 2,
 *   title: "fix the parser", firstPrompt: null, cwd: "/src/app",
 * } as SessionInfo;
 * const first = [{ line: 4, reason: "not valid JSON" }];
 * const ctx = { now: Date.parse("2026-11-25T12:00:00Z"), palette: palette(false), userHome: "" };
 * assert.equal(
 *   renderDamaged([{ session, first }], false, ctx),
 *   "ID        UPDATED  LINES  FIRST                   TITLE\n" +
 *     "0e19291e  3h ago       2  line 4: not valid JSON  fix the parser\n",
 * );
 * ```
 */
export function renderDamaged(rows: DamagedSession[], all: boolean, ctx: ListView): string {
  const p = ctx.palette;
  const clean = (t: string) => sanitizeForTerminal(t, true);
  const columns: Column[] = [
    { header: "ID", style: (t) => p.cyan(t) },
    { header: "UPDATED", style: (t) => p.dim(t), dropOrder: 2 },
    { header: "LINES", align: "right" },
    { header: "FIRST", maxWidth: 48, minWidth: 16 },
  ];
  if (all) {
    columns.push(projectColumn(1));
  }
  columns.push({ header: "TITLE", flex: true });
  const cells = rows.map(({ session: s, first }) => {
    const row = [
      clean(s.shortId),
      relativeTime(Date.parse(s.updated), ctx.now),
      String(s.damagedLines),
      first[0] ? clean(`line ${first[0].line}: ${first[0].reason}`) : "",
    ];
    if (all) row.push(formatProject(s.cwd, ctx.userHome));
    row.push(clean(s.title ?? s.firstPrompt ?? ""));
    return row;
  });
  return renderTable(columns, cells, { width: ctx.width, palette: p });
}
