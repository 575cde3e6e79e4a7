/**
 * Drawing a full-screen view: given the lines of each new frame, the text
 * to send to the terminal so that it shows them, rewriting only the lines
 * that changed since the last frame (a keystroke redraws the query line
 * and the rows that moved, not the whole screen). Pure: the terminal is
 * lib/io/tty.ts.
 *
 * @module
 */

/** Control sequences (VT100/xterm, understood by every terminal in use). */
export const CSI = "\x1b[";
/** Hide and show the cursor. */
export const HIDE_CURSOR = `${CSI}?25l`;
export const SHOW_CURSOR = `${CSI}?25h`;
/** Switch to the alternate screen (saving the cursor) and back. */
export const ALT_SCREEN_ON = `${CSI}?1049h`;
export const ALT_SCREEN_OFF = `${CSI}?1049l`;
/** Clear the whole screen. */
export const CLEAR = `${CSI}H${CSI}2J`;

/**
 * Keeps the last frame drawn and turns the next one into the text that
 * updates the screen.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ScreenPainter } from "./screen.ts";
 *
 * const painter = new ScreenPainter();
 * const first = painter.paint(["a", "b"], { row: 0, col: 1 });
 * assert.equal(first, "\x1b[?25l\x1b[H\x1b[2J\x1b[1;1H\x1b[2Ka\x1b[2;1H\x1b[2Kb\x1b[1;2H\x1b[?25h");
 * // Only the second line changed: only it is written.
 * assert.equal(painter.paint(["a", "c"], { row: 0, col: 1 }), "\x1b[?25l\x1b[2;1H\x1b[2Kc\x1b[1;2H\x1b[?25h");
 * ```
 */
export class ScreenPainter {
  #previous: string[] | null = null;

  /**
   * The text that draws `lines` (one per terminal row, from the top, none
   * wider than the terminal) and leaves the cursor at `cursor` (0-based),
   * or hidden when null. The first frame after {@linkcode ScreenPainter.reset}
   * clears the screen and draws every line.
   */
  paint(lines: readonly string[], cursor: { row: number; col: number } | null): string {
    const previous = this.#previous;
    let out = HIDE_CURSOR + (previous === null ? CLEAR : "");
    for (let i = 0; i < lines.length; i++) {
      if (previous !== null && previous[i] === lines[i]) continue;
      // Cleared first, then written: a line exactly as wide as the terminal
      // leaves the cursor in the last column, where clearing to its end
      // would erase the last character.
      out += `${CSI}${i + 1};1H${CSI}2K${lines[i]}`;
    }
    if (previous !== null) {
      for (let i = lines.length; i < previous.length; i++) out += `${CSI}${i + 1};1H${CSI}2K`;
    }
    this.#previous = [...lines];
    if (cursor !== null) out += `${CSI}${cursor.row + 1};${cursor.col + 1}H${SHOW_CURSOR}`;
    return out;
  }

  /** Forgets the screen (it was resized, or something else wrote on it): the next frame is whole. */
  reset(): void {
    this.#previous = null;
  }
}
