/**
 * What `ls` writes ({@linkcode sessionsOutput}): the table, one row per
 * session, fitted to the terminal, fork children indented under their parent
 * with `--tree`; JSON; NDJSON; or, on stderr, why there is nothing.
 *
 * @module
 */
import type { TreeRow } from "../sessions/select.ts";
import { type Column, renderTable } from "./table.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { formatCost, formatProject, relativeTime, UNPRICED_NOTE } from "./format.ts";
import { truncateModelToWidth, truncatePathToWidth } from "./width.ts";
import type { Palette } from "./color.ts";
import { jsonForTerminal } from "./sanitize.ts";
import { commandLine } from "./shell.ts";
import type { Listing } from "../sessions/listing.ts";

/** What the table needs to know of the run. */
export interface SessionsView {
  /** The run's time, for "3h ago". */
  now: number;
  palette: Palette;
  /** The terminal's width, if any. */
  width?: number;
  /** Shown as `~` in project paths. */
  userHome: string;
}

/** How `ls` writes its answer, and about what. */
export interface SessionsForm {
  /** Every project: a PROJECT column, and "nothing found" says so. */
  all: boolean;
  /** `--ndjson`: one object per line. */
  ndjson?: boolean;
  /** `--json`: one array. */
  json?: boolean;
  /** The scope flags the user gave, repeated in the command a hint prints (`Context.scopeArgs`). */
  scopeArgs?: readonly string[];
}

/**
 * `ls`'s output: what goes to stdout (the JSON forms, or the table) and to
 * stderr (why nothing was listed, for a person). `isTTY` is stdout's, for
 * the JSON forms (see `jsonForTerminal`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { sessionsOutput } from "./sessions.ts";
 *
 * const loaded = { sessions: [], problems: [], looked: ["/h/sessions"] };
 * const empty = { rows: [], problems: [], loaded, found: 0, looked: loaded.looked, elsewhere: 2 };
 * const view = { now: 0, palette: palette(false), userHome: "" };
 * const out = sessionsOutput(empty, { all: false }, view, false, "/src/app");
 * assert.equal(out.stdout, "");
 * assert.match(out.stderr, /^No zot sessions for "\/src\/app".*\n2 sessions in other projects/s);
 * assert.equal(sessionsOutput(empty, { all: false, json: true }, view, false, "/a").stdout, "[]\n");
 * ```
 */
export function sessionsOutput(
  listing: Listing,
  form: SessionsForm,
  view: SessionsView,
  isTTY: boolean,
  cwd: string,
): { stdout: string; stderr: string } {
  const rows = listing.rows;
  if (form.ndjson) {
    const lines = rows.map((r) => jsonForTerminal(JSON.stringify(r.session), isTTY) + "\n");
    return { stdout: lines.join(""), stderr: "" };
  }
  if (form.json) {
    const json = JSON.stringify(rows.map((r) => r.session), null, 2);
    return { stdout: jsonForTerminal(json, isTTY) + "\n", stderr: "" };
  }
  if (rows.length === 0) {
    return { stdout: "", stderr: nothingFound(listing, form.all, cwd, form.scopeArgs ?? []) };
  }
  return { stdout: renderSessions(rows, form.all, view), stderr: "" };
}

/** Why nothing was listed, and where to look instead. */
function nothingFound(
  listing: Listing,
  all: boolean,
  cwd: string,
  scopeArgs: readonly string[],
): string {
  const found = listing.found;
  if (found > 0) return `No sessions match the filters (${found} without them).\n`;
  const where = listing.looked.map((l) => `"${l}"`).join(", ");
  if (all) return `No zot sessions under ${where}.\n`;
  let text = `No zot sessions for "${cwd}" (looked in ${where}).\n`;
  const others = listing.elsewhere;
  if (others > 0) {
    text += `${others} session${others === 1 ? "" : "s"} in other projects: ` +
      `try "${commandLine(["ls", "--all", ...scopeArgs])}".\n`;
  }
  return text;
}

/**
 * What goes before a row's id in a fork tree, as `tree` draws it: `├ ` for a
 * child that is not the last of its siblings, `└ ` for the last, and under
 * each ancestor `│ ` while that ancestor has siblings still to come.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { treeGuide } from "./sessions.ts";
 * assert.equal(treeGuide([]), "");
 * assert.equal(treeGuide([false]), "├ ");
 * assert.equal(treeGuide([false, true]), "│ └ ");
 * assert.equal(treeGuide([true, false]), "  ├ ");
 * ```
 */
export function treeGuide(last: boolean[]): string {
  return last.map((l, i) => i < last.length - 1 ? (l ? "  " : "│ ") : l ? "└ " : "├ ").join("");
}

/**
 * The PROJECT column of a session table (`ls --all`, `ls --damaged --all`):
 * a path cut from its start to fit, left out in `dropOrder` when even that
 * does not fit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectColumn } from "./sessions.ts";
 *
 * assert.deepEqual([projectColumn(4).header, projectColumn(4).dropOrder], ["PROJECT", 4]);
 * ```
 */
export function projectColumn(dropOrder: number): Column {
  return { header: "PROJECT", maxWidth: 32, minWidth: 12, cut: truncatePathToWidth, dropOrder };
}

/**
 * The `ls` table. Cells are sanitised: titles and prompts come from files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "../sessions/info.ts";
 * import { palette } from "./color.ts";
 * import { renderSessions } from "./sessions.ts";
 *
 * const session = {
 *   shortId: "0e19291e", updated: "2026-11-25T09:00:00Z", messages: 12, model: "m1",
 *   spend: { costUsd: 0.41, unpricedTokens: 0 }, title: "fix the parser", empty: false,
 * } as SessionInfo;
 * const ctx = { now: Date.parse("2026-11-25T12:00:00Z"), palette: palette(false), userHome: "" };
 * assert.equal(
 *   renderSessions([{ session, depth: 0, last: [] }], false, ctx),
 *   "ID        UPDATED  MSGS  SPEND  MODEL  TITLE\n" +
 *     "0e19291e  3h ago     12  $0.41  m1     fix the parser\n",
 * );
 * ```
 */
export function renderSessions(
  rows: TreeRow[],
  all: boolean,
  ctx: SessionsView,
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
    { header: "MODEL", maxWidth: 24, minWidth: 12, cut: truncateModelToWidth, dropOrder: 2 },
  ];
  if (all) {
    columns.push(projectColumn(4));
  }
  columns.push({
    header: "TITLE",
    flex: true,
    style: (t, row) => rows[row].session.title === null ? p.dim(t) : t,
  });
  const home = ctx.userHome;
  const cells = rows.map(({ session: s, last }) => {
    const row = [
      treeGuide(last) + clean(s.shortId),
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
