/**
 * `term  description` rows as help screens show them: the descriptions at
 * one column, wrapped to the width.
 *
 * @module
 */

/** The width help text is wrapped to. */
export const HELP_WIDTH = 80;

/**
 * `term  description` rows, the descriptions aligned at one column and
 * wrapped to 80 columns (a term too long for the column puts its
 * description on the next line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { termRows } from "./term_rows.ts";
 * assert.equal(termRows([["id", "the id"], ["shortId", "its start"]]), "  id       the id\n  shortId  its start");
 * ```
 */
export function termRows(rows: [string, string][], column?: number): string {
  const at = column ?? 2 + Math.max(...rows.map(([t]) => t.length)) + 2;
  const pad = " ".repeat(at);
  const out: string[] = [];
  for (const [term, text] of rows) {
    const head = `  ${term}`;
    let line = head.length + 2 > at ? (out.push(head), pad) : head.padEnd(at);
    let empty = true;
    for (const word of text.split(" ")) {
      if (!empty && line.length + 1 + word.length > HELP_WIDTH) {
        out.push(line);
        line = pad + word;
      } else line += (empty ? "" : " ") + word;
      empty = false;
    }
    out.push(line);
  }
  return out.join("\n");
}
