/**
 * Colours, only when the output is a terminal and nobody said no (`NO_COLOR`,
 * `--no-color`).
 *
 * @module
 */

/** A set of styling functions; the plain one returns text unchanged. */
export interface Palette {
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) =>
  text === "" ? text : `\x1b[${open}m${text}\x1b[${close}m`;

const COLORED: Palette = {
  dim: wrap(2, 22),
  bold: wrap(1, 22),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  cyan: wrap(36, 39),
};

const id = (text: string) => text;
const PLAIN: Palette = { dim: id, bold: id, red: id, yellow: id, green: id, cyan: id };

/**
 * Whether to colour: a TTY, no `NO_COLOR` (any non-empty value), no `--no-color`.
 *
 * @example
 * useColor({ isTTY: true, env: {}, noColorFlag: false }) // true
 */
export function useColor(o: {
  isTTY: boolean;
  env: Record<string, string | undefined>;
  noColorFlag: boolean;
}): boolean {
  return o.isTTY && !o.noColorFlag && !o.env.NO_COLOR;
}

/** The palette for a decision from {@linkcode useColor}. */
export function palette(color: boolean): Palette {
  return color ? COLORED : PLAIN;
}
