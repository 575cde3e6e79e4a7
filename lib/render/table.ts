/**
 * Aligned text tables that fit the terminal: columns shrink (their cells cut
 * with `…`), then the least needed ones are left out, so no row wraps; widths
 * measured in display columns.
 *
 * @module
 */
import type { Palette } from "./color.ts";
import { displayWidth, padToWidth, truncateToWidth } from "./width.ts";

/** A column of a table. */
export interface Column {
  header: string;
  align?: "left" | "right";
  /** Shrinks (cutting its cells) when the table is wider than the terminal. */
  flex?: boolean;
  /** Never wider than this; cells are cut with `…`. */
  maxWidth?: number;
  /**
   * May shrink down to this many columns when the table is too wide (its
   * header is cut too if wider; the flexible column keeps its header).
   */
  minWidth?: number;
  /**
   * Order of shrinking among the columns that may shrink (the flexible one
   * and those with a `minWidth`): a lower rank goes down to its floor before
   * a higher one starts; equal ranks (the default, 0) shrink together.
   */
  shrinkRank?: number;
  /** How a cell is cut to a width (default: its end is cut, `truncateToWidth`). */
  cut?: (text: string, width: number) => string;
  /**
   * Left out when shrinking is not enough: the lowest number goes first.
   * Columns without one are always shown.
   */
  dropOrder?: number;
  /** Styling of a cell, applied after padding (colour codes take no width). */
  style?: (padded: string, row: number) => string;
}

/** How wide the table may be, and how to style it. */
export interface TableOptions {
  /** Terminal width in columns; no limit when undefined. */
  width?: number;
  palette: Palette;
  /** Whether the header row is printed (and counted in the widths); default true. */
  header?: boolean;
  /** Put before every line (and taken from the width): rows listed under a sentence. */
  indent?: string;
}

/** Columns between cells. */
const GAP = "  ";

/**
 * Renders a table: a header row, then one row per entry, each ending in `\n`.
 * Cells must already be single-line and sanitised.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { renderTable } from "./table.ts";
 *
 * const columns = [{ header: "ID" }, { header: "TITLE", flex: true }];
 * const text = renderTable(columns, [["0e19", "fix the parser"]], { width: 80, palette: palette(false) });
 * assert.equal(text, "ID    TITLE\n0e19  fix the parser\n");
 * const rows = renderTable(columns, [["0e19", "fix"]], { palette: palette(false), header: false, indent: "  " });
 * assert.equal(rows, "  0e19  fix\n");
 * ```
 */
export function renderTable(
  columns: Column[],
  rows: string[][],
  options: TableOptions,
): string {
  const header = options.header ?? true;
  const indent = options.indent ?? "";
  if (!header) columns = columns.map((c) => ({ ...c, header: "" }));
  const natural = columns.map((c, i) => {
    let w = displayWidth(c.header);
    for (const r of rows) w = Math.max(w, displayWidth(r[i] ?? ""));
    return c.maxWidth ? Math.min(w, c.maxWidth) : w;
  });
  const { widths, shown } = options.width === undefined
    ? { widths: natural, shown: columns.map((_, i) => i) }
    : fitTable(columns, natural, options.width - displayWidth(indent));
  const last = shown[shown.length - 1];
  const line = (cells: string[], style: (text: string, i: number) => string) =>
    indent + shown.map((i) => {
      const cell = cells[i] ?? "";
      const cut = (columns[i].cut ?? truncateToWidth)(cell, widths[i]);
      // The last column is not padded: no trailing spaces.
      const padded = i === last && columns[i].align !== "right"
        ? cut
        : padToWidth(cut, widths[i], columns[i].align === "right");
      return style(padded, i);
    }).join(GAP).trimEnd() + "\n";
  let out = header ? line(columns.map((c) => c.header), (t) => options.palette.bold(t)) : "";
  rows.forEach((r, row) => {
    out += line(r, (t, i) => columns[i].style ? columns[i].style!(t, row) : t);
  });
  return out;
}

/** Below this the flexible column shrinks only with the others. */
const FLEX_COMFORT = 20;
/** The flexible column's floor without a `minWidth` (or its header, if wider). */
const FLEX_FLOOR = 10;

/**
 * Widths, and the columns shown, for a table `width` columns wide:
 * 1. the flexible column shrinks to a comfortable width;
 * 2. it and every column with a `minWidth` shrink down to their floors, by
 *    `shrinkRank` (lowest first), those of equal rank together, widest first;
 * 3. if that is not enough, columns are left out by `dropOrder` and the
 *    widths worked out again;
 * 4. with nothing left to drop, the flexible column goes down to its header.
 * A table that fits keeps its natural widths. Pure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitTable } from "./table.ts";
 *
 * const columns = [{ header: "ID" }, { header: "TITLE", flex: true }];
 * assert.deepEqual(fitTable(columns, [2, 40], 20).widths, [2, 16]);
 * ```
 */
export function fitTable(
  columns: Column[],
  natural: number[],
  width: number,
): { widths: number[]; shown: number[] } {
  const dropping = columns.map((c, i) => ({ i, order: c.dropOrder }))
    .filter((d): d is { i: number; order: number } => d.order !== undefined)
    .sort((a, b) => a.order - b.order);
  const shown = columns.map((_, i) => i);
  for (let dropped = 0;; dropped++) {
    const last = dropped === dropping.length;
    const widths = shrink(columns, natural, shown, width, last);
    if (widths !== null) return { widths, shown };
    const gone = dropping[dropped].i;
    shown.splice(shown.indexOf(gone), 1);
  }
}

/** Widths for the `shown` columns, or null when they cannot fit (unless `anyway`). */
function shrink(
  columns: Column[],
  natural: number[],
  shown: number[],
  width: number,
  anyway: boolean,
): number[] | null {
  const w = natural.slice();
  let excess = shown.reduce((n, i) => n + w[i], 0) + GAP.length * (shown.length - 1) - width;
  if (excess <= 0) return w;
  const flex = shown.find((i) => columns[i].flex);
  const floor = new Map<number, number>();
  if (flex !== undefined) {
    const header = displayWidth(columns[flex].header);
    const comfort = Math.min(w[flex], Math.max(header, FLEX_COMFORT));
    const cut = Math.min(excess, w[flex] - comfort);
    w[flex] -= cut;
    excess -= cut;
    const min = columns[flex].minWidth ?? FLEX_FLOOR;
    floor.set(flex, Math.min(w[flex], Math.max(header, min)));
  }
  for (const i of shown) {
    const min = columns[i].minWidth;
    if (min !== undefined && i !== flex) {
      // Not raised to the header: a two-key header (`MODEL / PROJECT`) is
      // cut rather than a column of numbers left out.
      floor.set(i, Math.min(w[i], min));
    }
  }
  const rank = (i: number) => columns[i].shrinkRank ?? 0;
  const ranks = [...new Set([...floor.keys()].map(rank))].sort((a, b) => a - b);
  for (const r of ranks) {
    while (excess > 0) {
      let widest = -1;
      for (const [i, f] of floor) {
        if (rank(i) === r && w[i] > f && (widest === -1 || w[i] >= w[widest])) widest = i;
      }
      if (widest === -1) break;
      w[widest]--;
      excess--;
    }
  }
  if (excess <= 0) return w;
  if (!anyway) return null;
  if (flex !== undefined) {
    w[flex] = Math.max(displayWidth(columns[flex].header), w[flex] - excess);
  }
  return w;
}
