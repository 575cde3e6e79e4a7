/**
 * A long message's text cut into the pieces the search tables hold: at most
 * {@linkcode PIECE_UNITS} UTF-16 units each, never cutting a surrogate pair,
 * each overlapping the next by two code points so that a phrase across a
 * cut is still found.
 *
 * @module
 */
import { PIECE_UNITS } from "./search_store.ts";

/**
 * One column's text of a long message, cut into pieces that overlap by two characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PIECE_UNITS } from "./search_store.ts";
 * import { Pieces } from "./text_pieces.ts";
 *
 * const p = new Pieces();
 * p.add("a".repeat(PIECE_UNITS) + "bc");
 * const [first, rest] = p.take(true);
 * assert.equal(first.length, PIECE_UNITS);
 * assert.equal(rest, "aabc"); // the last two of the first piece go on
 *
 * p.add("short");
 * assert.deepEqual(p.take(false), []);
 * assert.equal(p.whole(), "short");
 * ```
 */
export class Pieces {
  #text = "";
  /** Units at the start of `#text` already in the last piece (the overlap). */
  #carried = 0;

  add(piece: string): void {
    this.#text += piece;
  }

  get length(): number {
    return this.#text.length;
  }

  /** The full pieces, and with `all` the rest too. */
  take(all: boolean): string[] {
    const out: string[] = [];
    while (this.#text.length >= PIECE_UNITS) {
      let cut = PIECE_UNITS;
      if (isHigh(this.#text.charCodeAt(cut - 1))) cut--;
      const piece = this.#text.slice(0, cut);
      out.push(piece);
      // The last two code points go on into the next piece.
      let keep = cut;
      for (let n = 0; n < 2 && keep > 0; n++) {
        keep--;
        if (keep > 0 && isLow(piece.charCodeAt(keep)) && isHigh(piece.charCodeAt(keep - 1))) {
          keep--;
        }
      }
      this.#text = this.#text.slice(keep);
      this.#carried = cut - keep;
    }
    if (all && this.#text.length > this.#carried) out.push(this.#text);
    if (all) [this.#text, this.#carried] = ["", 0];
    return out;
  }

  /** The whole text, for a message that fits one row. */
  whole(): string {
    const text = this.#text;
    this.#text = "";
    return text;
  }
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
