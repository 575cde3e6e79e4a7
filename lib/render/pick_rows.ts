/**
 * `pick`'s rows: a session (or a search hit) as one line of the list, its
 * columns fitted to the terminal's width: title or first prompt, project
 * (with `--all`), age, model and spend. The title takes what is left; on a
 * narrow terminal the model goes first, then the project, the spend and
 * the age, so that a row at 40 columns still reads.
 *
 * @module
 */
import type { SessionInfo } from "../sessions/info.ts";
import { formatCost, formatProject, relativeTime } from "./format.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { displayWidth, padToWidth, truncatePathToWidth, truncateToWidth } from "./width.ts";

/** A row's cells, as text to show (sanitised, not yet cut). */
export interface PickRow {
  title: string;
  project: string;
  age: string;
  model: string;
  spend: string;
  /** Shown dimmed: an empty session, or a first prompt standing in for a title. */
  dim: boolean;
}

/** Columns of each cell (0: left out). The marker's two columns come first. */
export interface RowLayout {
  width: number;
  title: number;
  project: number;
  age: number;
  model: number;
  spend: number;
}

/** Columns between cells. */
const GAP = 2;
/** The marker in front of each row: `> ` on the selected one. */
export const MARKER_WIDTH = 2;
/** The title keeps at least this much before other columns are left out. */
const TITLE_MIN = 16;
/** The widest a model or a project may be. */
const MODEL_MAX = 18;
const PROJECT_MAX = 24;

/**
 * A session as a row: the title, or the first prompt when there is none
 * (dimmed, as `ls` shows it), or "(empty session)"; everything sanitised
 * to one line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "../sessions/info.ts";
 * import { sessionRow } from "./pick_rows.ts";
 *
 * const s = {
 *   title: null, firstPrompt: "the parser\nfails", cwd: "/home/me/src/app", model: "gpt-5",
 *   updated: "2026-11-25T09:00:00Z", spend: { costUsd: 0.41, unpricedTokens: 0 }, empty: false,
 * } as SessionInfo;
 * const row = sessionRow(s, Date.parse("2026-11-25T12:00:00Z"), "/home/me");
 * assert.deepEqual(row, {
 *   title: "the parser fails", project: "~/src/app", age: "3h ago", model: "gpt-5",
 *   spend: "$0.41", dim: true,
 * });
 * ```
 */
export function sessionRow(s: SessionInfo, nowMs: number, userHome: string): PickRow {
  const clean = (t: string) => sanitizeForTerminal(t, true);
  return {
    title: s.empty ? "(empty session)" : clean(s.title ?? s.firstPrompt ?? ""),
    project: clean(formatProject(s.cwd, userHome)),
    age: relativeTime(Date.parse(s.updated), nowMs),
    model: clean(s.model),
    spend: formatCost(s.spend.costUsd, s.spend.unpricedTokens),
    dim: s.empty || s.title === null,
  };
}

/**
 * The columns of rows `width` wide: each cell as wide as its widest value
 * in `rows` (model and project capped), the title the rest; when the title
 * would get less than 16 columns, the model, then the project, the spend
 * and the age are left out, in that order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowLayout } from "./pick_rows.ts";
 *
 * const rows = [{ title: "t", project: "~/src/app", age: "3h ago", model: "gpt-5", spend: "$0.41", dim: false }];
 * assert.deepEqual(rowLayout(rows, 80, true), {
 *   width: 80, title: 45, project: 9, age: 6, model: 5, spend: 5,
 * });
 * // At 40 columns the model and the project make room for the title.
 * assert.deepEqual(rowLayout(rows, 40, true), {
 *   width: 40, title: 23, project: 0, age: 6, model: 0, spend: 5,
 * });
 * ```
 */
export function rowLayout(
  rows: readonly PickRow[],
  width: number,
  withProject: boolean,
): RowLayout {
  const widest = (cell: (r: PickRow) => string, max = Infinity) => {
    let w = 0;
    for (const r of rows) w = Math.max(w, displayWidth(cell(r)));
    return Math.min(w, max);
  };
  const layout: RowLayout = {
    width,
    title: 0,
    project: withProject ? widest((r) => r.project, PROJECT_MAX) : 0,
    age: widest((r) => r.age),
    model: widest((r) => r.model, MODEL_MAX),
    spend: widest((r) => r.spend),
  };
  const others = () =>
    (["project", "age", "model", "spend"] as const)
      .reduce((n, k) => n + (layout[k] > 0 ? layout[k] + GAP : 0), 0);
  for (const drop of ["model", "project", "spend", "age"] as const) {
    if (width - MARKER_WIDTH - others() >= TITLE_MIN) break;
    layout[drop] = 0;
  }
  layout.title = Math.max(0, width - MARKER_WIDTH - others());
  return layout;
}

/**
 * One row as plain text, exactly `layout.width` columns (or less when the
 * terminal is narrower than the marker): marker, title, then the other
 * cells, each cut or padded to its column; spend right-aligned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowText } from "./pick_rows.ts";
 *
 * const row = { title: "fix the parser", project: "", age: "3h ago", model: "gpt-5", spend: "$0.41", dim: false };
 * const layout = { width: 40, title: 16, project: 0, age: 6, model: 5, spend: 5 };
 * assert.equal(rowText(row, layout, true), "> fix the parser    3h ago  gpt-5  $0.41");
 * ```
 */
export function rowText(row: PickRow, layout: RowLayout, selected: boolean): string {
  let out = (selected ? "> " : "  ") +
    padToWidth(truncateToWidth(row.title, layout.title), layout.title);
  if (layout.project > 0) {
    out += " ".repeat(GAP) +
      padToWidth(truncatePathToWidth(row.project, layout.project), layout.project);
  }
  if (layout.age > 0) out += " ".repeat(GAP) + padToWidth(row.age, layout.age);
  if (layout.model > 0) {
    out += " ".repeat(GAP) + padToWidth(truncateToWidth(row.model, layout.model), layout.model);
  }
  if (layout.spend > 0) out += " ".repeat(GAP) + padToWidth(row.spend, layout.spend, true);
  return truncateToWidth(out, layout.width);
}
