/**
 * Aligned text tables that fit the terminal: one column may shrink (its cells
 * cut with `…`), widths measured in display columns.
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
  /** Styling of a cell, applied after padding (colour codes take no width). */
  style?: (padded: string, row: number) => string;
}

/** How wide the table may be, and how to style it. */
export interface TableOptions {
  /** Terminal width in columns; no limit when undefined. */
  width?: number;
  palette: Palette;
}

/** Columns between cells. */
const GAP = "  ";

/**
 * Renders a table: a header row, then one row per entry, each ending in `\n`.
 * Cells must already be single-line and sanitised.
 *
 * @example
 * renderTable([{ header: "ID" }, { header: "TITLE", flex: true }], [["0e19", "fix"]], { width: 80, palette })
 */
export function renderTable(
  columns: Column[],
  rows: string[][],
  options: TableOptions,
): string {
  const widths = columns.map((c, i) => {
    let w = displayWidth(c.header);
    for (const r of rows) w = Math.max(w, displayWidth(r[i] ?? ""));
    return c.maxWidth ? Math.min(w, c.maxWidth) : w;
  });
  if (options.width !== undefined) {
    const total = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
    const flex = columns.findIndex((c) => c.flex);
    if (total > options.width && flex !== -1) {
      const floor = Math.min(widths[flex], Math.max(displayWidth(columns[flex].header), 10));
      widths[flex] = Math.max(floor, widths[flex] - (total - options.width));
    }
  }
  const last = columns.length - 1;
  const line = (cells: string[], style: (text: string, i: number) => string) =>
    cells.map((cell, i) => {
      const cut = truncateToWidth(cell, widths[i]);
      // The last column is not padded: no trailing spaces.
      const padded = i === last && columns[i].align !== "right"
        ? cut
        : padToWidth(cut, widths[i], columns[i].align === "right");
      return style(padded, i);
    }).join(GAP).trimEnd() + "\n";
  let out = line(columns.map((c) => c.header), (t) => options.palette.bold(t));
  rows.forEach((r, row) => {
    out += line(r, (t, i) => columns[i].style ? columns[i].style!(t, row) : t);
  });
  return out;
}
