/**
 * Word wrapping of one line of text whose parts may be marked (a search
 * snippet's matches), in display columns, a grapheme never split, marks
 * kept across the breaks. Pure.
 *
 * @module
 */
import { displayWidth, graphemes } from "./width.ts";

/** One grapheme as shown: its text (already safe for a terminal), width, and whether it is marked. */
export interface Cell {
  text: string;
  width: number;
  marked: boolean;
}

/**
 * The cells of `text`, each grapheme marked when one of its code points is
 * in a `[start, end)` range of `marks` (code points); `clean` makes each
 * grapheme safe to show (its width is measured after).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cellsOf } from "./wrap.ts";
 *
 * const cells = cellsOf("a 日x", [[2, 3]], (t) => t);
 * assert.deepEqual(cells.map((c) => [c.text, c.width, c.marked]), [
 *   ["a", 1, false], [" ", 1, false], ["日", 2, true], ["x", 1, false],
 * ]);
 * ```
 */
export function cellsOf(
  text: string,
  marks: [number, number][],
  clean: (grapheme: string) => string,
): Cell[] {
  const cells: Cell[] = [];
  let point = 0;
  let m = 0;
  for (const g of graphemes(text)) {
    const points = g.length === 1 ? 1 : [...g].length;
    while (m < marks.length && marks[m][1] <= point) m++;
    const marked = m < marks.length && marks[m][0] < point + points;
    const shown = clean(g);
    cells.push({ text: shown, width: displayWidth(shown), marked });
    point += points;
  }
  return cells;
}

/**
 * Breaks cells into lines of at most `first` columns (the first line) and
 * `rest` (the others), at spaces when it can (the space at a break is
 * dropped), inside a word only when the word alone is wider than a line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cellsOf, wrapCells } from "./wrap.ts";
 *
 * const lines = wrapCells(cellsOf("the cart button overlaps", [], (t) => t), 10, 10);
 * assert.deepEqual(lines.map((l) => l.map((c) => c.text).join("")), ["the cart", "button", "overlaps"]);
 * const long = wrapCells(cellsOf("abcdefgh", [], (t) => t), 3, 5);
 * assert.deepEqual(long.map((l) => l.map((c) => c.text).join("")), ["abc", "defgh"]);
 * ```
 */
export function wrapCells(cells: Cell[], first: number, rest: number): Cell[][] {
  const lines: Cell[][] = [];
  let line: Cell[] = [];
  let used = 0;
  const limit = () => Math.max(1, lines.length === 0 ? first : rest);
  const close = () => {
    while (line.length > 0 && line[line.length - 1].text === " ") line.pop();
    lines.push(line);
    line = [];
    used = 0;
  };
  for (const c of cells) {
    if (used + c.width <= limit()) {
      if (c.text !== " " || line.length > 0) {
        line.push(c);
        used += c.width;
      }
      continue;
    }
    if (c.text === " ") {
      close();
      continue;
    }
    // The word so far goes to the next line, if it began after a space.
    let space = -1;
    for (let i = line.length - 1; i >= 0; i--) {
      if (line[i].text === " ") {
        space = i;
        break;
      }
    }
    const word = space >= 0 ? line.splice(space + 1) : [];
    if (line.length > 0) close();
    line = word;
    used = word.reduce((n, x) => n + x.width, 0);
    if (used + c.width > limit() && line.length > 0) close();
    line.push(c);
    used += c.width;
  }
  if (line.length > 0 || lines.length === 0) close();
  return lines;
}

/**
 * A line of cells as text, the marked runs passed through `mark` (a colour).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cellsOf, joinCells } from "./wrap.ts";
 *
 * const cells = cellsOf("a cart", [[2, 6]], (t) => t);
 * assert.equal(joinCells(cells, (t) => `[${t}]`), "a [cart]");
 * ```
 */
export function joinCells(cells: Cell[], mark: (text: string) => string): string {
  let out = "";
  let run = "";
  let marked = false;
  for (const c of cells) {
    if (c.marked !== marked) {
      out += marked ? mark(run) : run;
      run = "";
      marked = c.marked;
    }
    run += c.text;
  }
  return out + (marked ? mark(run) : run);
}
