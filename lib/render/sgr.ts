/**
 * Terminal colour codes (SGR: `ESC [ … m`) taken out of transcript text for
 * a page, where they would only show as `␛[31m`. Nothing else is taken out:
 * any other escape sequence stays, to be shown visibly by the escaping.
 *
 * @module
 */

/** Parameter characters an SGR sequence may have: more is not taken as one. */
const MAX_PARAMS = 64;

/** A whole SGR sequence: ESC, `[`, digits, `;` or `:`, `m`. */
const SGR = new RegExp(`\\x1b\\[[0-9;:]{0,${MAX_PARAMS}}m`, "g");

/** The start of an SGR sequence at the end of a piece: it may end in the next. */
const OPEN_AT_END = new RegExp(`\\x1b(?:\\[[0-9;:]{0,${MAX_PARAMS}})?$`);

/**
 * `text` without its SGR sequences (colours, bold, underline, reset).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stripSgr } from "./sgr.ts";
 * assert.equal(stripSgr("\x1b[1;31mfailed\x1b[0m: 2 tests"), "failed: 2 tests");
 * assert.equal(stripSgr("\x1b[2J clear"), "\x1b[2J clear"); // not a colour: kept
 * ```
 */
export function stripSgr(text: string): string {
  // One pass: what taking a sequence out joins is left (visible), so that
  // where a text was cut into pieces cannot matter.
  return text.includes("\x1b") ? text.replace(SGR, "") : text;
}

/**
 * {@linkcode stripSgr} for a text that comes in pieces: a sequence cut
 * between two pieces is held (a few characters at most) until the next one
 * says whether it is whole. The result depends on the text only, never on
 * where it was cut.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SgrStripper } from "./sgr.ts";
 * const s = new SgrStripper();
 * assert.equal(s.push("red: \x1b[3"), "red: ");
 * assert.equal(s.push("1mX\x1b"), "X");
 * assert.equal(s.end(), "\x1b");
 * ```
 */
export class SgrStripper {
  #held = "";

  /** Takes a piece; returns what is decided of the text so far. */
  push(piece: string): string {
    const text = this.#held + piece;
    this.#held = "";
    if (!text.includes("\x1b")) return text;
    // A sequence that began before the held start ended before it (an ESC
    // is no parameter), so the text before it is stripped on its own.
    const open = OPEN_AT_END.exec(text);
    if (open === null) return stripSgr(text);
    this.#held = open[0];
    return stripSgr(text.slice(0, open.index));
  }

  /** The end of the text: a held start of a sequence was not one. */
  end(): string {
    const held = this.#held;
    this.#held = "";
    return held;
  }
}
