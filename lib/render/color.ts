/**
 * Colours: on a terminal unless someone said no, and wherever someone said
 * yes. The order in which the signals win is {@linkcode useColor}'s.
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
  /** Reverse video: what stands out among lines that are bold and coloured already. */
  inverse(text: string): string;
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
  inverse: wrap(7, 27),
};

const id = (text: string) => text;
const PLAIN: Palette = {
  dim: id,
  bold: id,
  red: id,
  yellow: id,
  green: id,
  cyan: id,
  inverse: id,
};

/** What `--color` accepts. */
export const COLOR_MODES = ["auto", "always", "never"] as const;
/** A `--color` value. */
export type ColorMode = typeof COLOR_MODES[number];

/**
 * Whether to colour. The first signal that speaks wins:
 * 1. `--color always|never` (`--no-color` is `--color never`): what the user
 *    typed for this run beats any setting of the environment;
 * 2. `NO_COLOR` set and not empty: never (no-color.org);
 * 3. `FORCE_COLOR` set, not empty, not `0` or `false`: always, even into a
 *    pipe (force-color.org; `0`/`false` as chalk and Node read them);
 * 4. `TERM=dumb`: never (a terminal that cannot show escapes);
 * 5. otherwise colour exactly when the output is a terminal.
 *
 * NO_COLOR beats FORCE_COLOR: when both are set, the safe reading of the
 * two is plain text (a preference for no colour is often an accessibility
 * need).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useColor } from "./color.ts";
 *
 * assert.equal(useColor({ isTTY: true, env: {}, mode: "auto" }), true);
 * assert.equal(useColor({ isTTY: false, env: { FORCE_COLOR: "1" }, mode: "auto" }), true);
 * assert.equal(useColor({ isTTY: true, env: { NO_COLOR: "1", FORCE_COLOR: "1" }, mode: "auto" }), false);
 * ```
 */
export function useColor(o: {
  isTTY: boolean;
  env: Record<string, string | undefined>;
  mode: ColorMode;
}): boolean {
  if (o.mode !== "auto") return o.mode === "always";
  if (o.env.NO_COLOR) return false;
  const force = o.env.FORCE_COLOR;
  if (force && force !== "0" && force.toLowerCase() !== "false") return true;
  if (o.env.TERM === "dumb") return false;
  return o.isTTY;
}

/** The palette for a decision from {@linkcode useColor}. */
export function palette(color: boolean): Palette {
  return color ? COLORED : PLAIN;
}
