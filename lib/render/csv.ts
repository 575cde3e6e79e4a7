/**
 * CSV text cells (`cost --csv`, `cost --events --csv`). Text in them comes
 * from transcripts (a project directory, a model, a session id) or from the
 * command line (`--host`), and a spreadsheet runs a cell that starts with
 * `=`, `+`, `-`, `@`, TAB or CR as a formula (`=HYPERLINK(…)` sends data
 * away when clicked; older Excel ran DDE commands). Numbers are not text
 * and are written by their own renderers, as they are.
 *
 * @module
 */
import { sanitizeForTerminal } from "./sanitize.ts";

/**
 * One text cell: on a terminal, controls made visible on one line (as in
 * every table); then, if it starts with `=`, `+`, `-`, `@`, TAB or CR, a
 * leading `'` (OWASP's advice against CSV injection: a spreadsheet shows
 * the text, not a formula's result); then RFC 4180 quoting when it holds
 * `"`, `,`, CR or LF. Off a terminal the cell is otherwise exact.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { csvText } from "./csv.ts";
 *
 * assert.equal(csvText("/src/app", false), "/src/app");
 * assert.equal(csvText("+cmd", false), "'+cmd");
 * assert.equal(csvText('=HYPERLINK("x")', false), `"'=HYPERLINK(""x"")"`);
 * assert.equal(csvText("\x1b[2J", true), "␛[2J");
 * ```
 */
export function csvText(text: string, terminal: boolean): string {
  let cell = terminal ? sanitizeForTerminal(text, true) : text;
  if (/^[=+\-@\t\r]/.test(cell)) cell = "'" + cell;
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * A dollar amount as a CSV cell: a plain decimal, up to nanodollars (money
 * is counted in them). `String` would write `5e-7`, which is no way to
 * write a sum of money.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { csvUsd } from "./csv.ts";
 *
 * assert.equal(csvUsd(5e-7), "0.0000005");
 * assert.equal(csvUsd(0.41), "0.41");
 * assert.equal(csvUsd(-2.5e-8), "-0.000000025");
 * assert.equal(csvUsd(12), "12");
 * ```
 */
export function csvUsd(usd: number): string {
  const nanos = Math.round(usd * 1e9);
  const sign = nanos < 0 ? "-" : "";
  const abs = Math.abs(nanos);
  const whole = Math.floor(abs / 1e9);
  const frac = String(abs % 1e9).padStart(9, "0").replace(/0+$/, "");
  return sign + String(whole) + (frac ? "." + frac : "");
}
