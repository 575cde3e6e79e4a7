/**
 * Fitting a table to a narrow terminal before it is drawn: named columns
 * shrink first (their cells cut with `…`), then, if that is not enough,
 * columns are dropped in a given order. No row then wraps.
 *
 * @module
 */
import type { Column } from "./table.ts";
import { displayWidth } from "./width.ts";

/** A column that may give up width or go. */
export interface FitColumn extends Column {
  /** Narrowest it may be cut to; it does not shrink when undefined. */
  minWidth?: number;
  /** Order of shrinking (lowest first). */
  shrinkRank?: number;
  /** Order of dropping (lowest first); never dropped when undefined. */
  dropRank?: number;
}

const GAP = 2;

/**
 * Shrinks, then drops, columns until the table is at most `width` wide (or
 * nothing more can go). Returns the columns and cells to draw, with each
 * shrunk column's `maxWidth` set; unchanged when it fits or `width` is
 * undefined (not a terminal).
 *
 * @example
 * fitTable([{ header: "MODEL", minWidth: 12, shrinkRank: 1 }, { header: "N", dropRank: 1 }], rows, 60)
 */
export function fitTable(
  columns: FitColumn[],
  rows: string[][],
  width: number | undefined,
): { columns: Column[]; rows: string[][] } {
  const widths = columns.map((c, i) => {
    let w = displayWidth(c.header);
    for (const r of rows) w = Math.max(w, displayWidth(r[i] ?? ""));
    return c.maxWidth ? Math.min(w, c.maxWidth) : w;
  });
  const kept = columns.map(() => true);
  const total = () => widths.reduce((sum, w, i) => sum + (kept[i] ? w + GAP : 0), 0) - GAP;
  if (width !== undefined) {
    const order = (rank: (c: FitColumn) => number | undefined) =>
      columns.map((c, i) => ({ r: rank(c), i }))
        .filter((x) => x.r !== undefined)
        .sort((a, b) => a.r! - b.r!)
        .map((x) => x.i);
    const natural = [...widths];
    const shrinkable = order((c) => c.minWidth === undefined ? undefined : c.shrinkRank ?? 0);
    for (const i of shrinkable) {
      const over = total() - width;
      if (over <= 0) break;
      widths[i] -= Math.max(0, Math.min(over, widths[i] - columns[i].minWidth!));
    }
    for (const i of order((c) => c.dropRank)) {
      if (total() <= width) break;
      kept[i] = false;
    }
    // A dropped column may leave room: the last to shrink get it back first.
    for (const i of shrinkable.reverse()) {
      widths[i] += Math.max(0, Math.min(width - total(), natural[i] - widths[i]));
    }
  }
  const keep = <T>(xs: T[]) => xs.filter((_, i) => kept[i]);
  return {
    columns: keep(columns.map((c, i) => {
      const { minWidth: _m, shrinkRank: _s, dropRank: _d, ...column } = c;
      return widths[i] < (c.maxWidth ?? Infinity) ? { ...column, maxWidth: widths[i] } : column;
    })),
    rows: rows.map(keep),
  };
}
