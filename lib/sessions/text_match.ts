/**
 * The exact check of a search, on text that arrives in pieces: what
 * {@linkcode matchRanges} and {@linkcode snippet} give for the whole text
 * (whether every term occurs, how many separate places match, the snippet
 * around the first), found while the text streams past, in memory that
 * depends on the terms and the snippet's width, never on the text. A tool
 * output of 60 MB is checked in its 64 KiB pieces as they are read.
 *
 * How: each piece is case-folded ({@linkcode foldCase} folds one code point
 * at a time, so pieces fold as the whole would) and searched with `indexOf`
 * together with the last `longest term − 1` units of the text before it;
 * each term's occurrences are taken left to right without overlap, as
 * `matchRanges` takes them. Occurrences are merged into ranges once no later
 * one can touch them, and counted; the text around the first one is kept
 * for the snippet.
 *
 * @module
 */
import { foldCase, type Snippet, snippetAt, snippetReach } from "./search_match.ts";

/** What the whole text gave: the number of separate matching ranges, and the snippet. */
export interface TextMatch {
  score: number;
  snippet: Snippet;
}

/**
 * Checks one text against folded terms, fed in pieces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TextMatcher } from "./text_match.ts";
 *
 * const m = new TextMatcher(["needle", "hay"]);
 * for (const piece of ["hay hay nee", "DLE hay"]) m.feed(piece);
 * assert.deepEqual(m.end(), {
 *   score: 4,
 *   snippet: { text: "hay hay neeDLE hay", matches: [[0, 3], [4, 7], [8, 14], [15, 18]] },
 * });
 * ```
 */
export class TextMatcher {
  readonly #terms: string[];
  readonly #longest: number;
  readonly #width: number;
  readonly #reach: { before: number; after: number };
  /** Units of text fed so far. */
  #pos = 0;
  /** The folded text's last `longest − 1` units. */
  #carry = "";
  /** A high surrogate that ended a piece: it is folded with its pair. */
  #held = "";
  readonly #next: number[];
  readonly #found: boolean[];
  /** Occurrences not merged for good yet. */
  #pending: [number, number][] = [];
  /** Merged ranges counted so far. */
  #score = 0;
  #first: number | null = null;
  /** Merged ranges that reach into the snippet's window. */
  readonly #near: [number, number][] = [];
  /** The original text from `#histStart`, for the snippet. */
  #hist = "";
  #histStart = 0;

  constructor(terms: string[], width = 160) {
    this.#terms = terms;
    this.#longest = Math.max(0, ...terms.map((t) => t.length));
    this.#width = width;
    this.#reach = snippetReach(width);
    this.#next = terms.map(() => 0);
    this.#found = terms.map(() => false);
  }

  /** The next piece of the text. */
  feed(piece: string): void {
    let text = this.#held + piece;
    this.#held = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.#held = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text !== "") this.#take(text);
  }

  /**
   * Whether the rest of the text cannot change the result but for its
   * score: every term occurs, and the text after the first match was fed as
   * far as the snippet reaches, its matches there merged for good. Then
   * {@linkcode end} gives the whole text's snippet, and a score that counts
   * only the places fed so far.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TextMatcher } from "./text_match.ts";
   *
   * const m = new TextMatcher(["needle"], 10);
   * m.feed("a needle and ");
   * assert.equal(m.decided(), false); // the snippet may reach further
   * m.feed("more text after it");
   * assert.equal(m.decided(), true);
   * assert.deepEqual(m.end()?.snippet, { text: "a needle a…", matches: [[2, 8]] });
   * ```
   */
  decided(): boolean {
    if (this.#first === null || this.#terms.length === 0 || this.#found.some((f) => !f)) {
      return false;
    }
    // An occurrence not found yet starts at `safe` or later, past the
    // snippet's window: it can only lengthen a range that already reaches
    // past the window's end, where the snippet cuts it.
    const safe = this.#pos - this.#longest + 1;
    return safe >= this.#first + this.#reach.after;
  }

  /** The result for the whole text: null when a term does not occur. */
  end(): TextMatch | null {
    if (this.#held !== "") {
      const held = this.#held;
      this.#held = "";
      this.#take(held);
    }
    this.#settle(Infinity);
    if (this.#terms.length === 0 || this.#found.some((f) => !f)) return null;
    return {
      score: this.#score,
      snippet: snippetAt(this.#hist, this.#histStart, this.#pos, this.#near, this.#width),
    };
  }

  #take(text: string): void {
    const start = this.#pos - this.#carry.length;
    const buffer = this.#carry + foldCase(text);
    for (const [i, term] of this.#terms.entries()) {
      let at = buffer.indexOf(term, Math.max(this.#next[i], start) - start);
      while (at !== -1) {
        const s = start + at;
        this.#pending.push([s, s + term.length]);
        this.#found[i] = true;
        this.#next[i] = s + term.length;
        at = buffer.indexOf(term, at + term.length);
      }
    }
    // Once cut after the first match, the text is complete: nothing is added.
    if (this.#histStart + this.#hist.length === this.#pos) this.#hist += text;
    this.#pos += text.length;
    const tail = this.#longest - 1;
    this.#carry = tail > 0 ? buffer.slice(Math.max(0, buffer.length - tail)) : "";
    // An occurrence not found yet ends past here: it starts at `safe` or later.
    this.#settle(this.#pos - this.#longest + 1);
    this.#trim();
  }

  /** Drops the original text the snippet cannot need. */
  #trim(): void {
    const { before, after } = this.#reach;
    const end = this.#histStart + this.#hist.length;
    const [from, to] = this.#first === null
      ? [this.#pos - this.#longest - before, end]
      : [this.#first - before, this.#first + after];
    if (to < end) this.#hist = this.#hist.slice(0, Math.max(0, to - this.#histStart));
    if (from > this.#histStart) {
      this.#hist = this.#hist.slice(from - this.#histStart);
      this.#histStart = from;
    }
  }

  /** Merges the pending occurrences; ranges ending before `safe` are final. */
  #settle(safe: number): void {
    if (this.#pending.length === 0) return;
    this.#pending.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged: [number, number][] = [];
    for (const r of this.#pending) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    if (this.#first === null && merged[0][0] < safe) this.#first = merged[0][0];
    let kept = 0;
    for (const r of merged) {
      if (r[1] >= safe) break;
      kept++;
      this.#score++;
      this.#nearby(r);
    }
    this.#pending = merged.slice(kept);
  }

  #nearby(r: [number, number]): void {
    const { before, after } = this.#reach;
    const first = this.#first!;
    if (r[1] > first - before && r[0] < first + after) this.#near.push(r);
  }
}
