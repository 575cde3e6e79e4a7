/**
 * Fuzzy matching of sessions as `pick` filters them while one types,
 * through the npm `@leeoniya/ufuzzy` package (the one import of it): every
 * word typed must match, in any order, as part of a word with at most one
 * letter left out between two typed ones ("prser" finds "parser"); accents
 * are ignored (`cafe` finds `café`); `-word` leaves out what holds it;
 * `"a phrase"` is matched as written. Any script: CJK titles match too.
 *
 * Why not the `fzf` package (fzf's own algorithm): over 10,000 sessions a
 * keystroke took it 15-190 ms (Bun 1.4, 2026-12-07: it scores every item
 * with positions), the budget for the re-filter and the redraw
 * being 16 ms; uFuzzy filters with one regular expression (1-2 ms) and
 * ranks only when at most {@linkcode RANK_MAX} match (ranking 934 matches
 * took it 17-33 ms; past that many, newest first is as good a guide).
 *
 * @module
 */
import uFuzzy from "@leeoniya/ufuzzy";
import type { SessionInfo } from "./info.ts";

/** Matches are ranked when there are at most this many; more stay newest first. */
export const RANK_MAX = 250;

/** Words of a query tried in every order (uFuzzy permutes them: 4! = 24 tries). */
const OUT_OF_ORDER = 4;

/** uFuzzy's settings for any script (its "unicode" preset), one letter of slack. */
const OPTIONS = {
  unicode: true,
  interSplit: "[^\\p{L}\\d']+",
  intraSplit: "\\p{Ll}\\p{Lu}",
  intraBound: "\\p{L}\\d|\\d\\p{L}|\\p{Ll}\\p{Lu}",
  intraChars: "[\\p{L}\\d']",
  intraContr: "'\\p{L}{1,2}\\b",
  intraIns: 1,
  // Equal ranks keep the list's order (newest first): uFuzzy's own last
  // criterion is alphabetical, and its sort is stable.
  compare: () => 0,
};

/**
 * A list that can be filtered fuzzily, over the text `textOf` gives each
 * item. The texts are prepared once (accents taken off); each
 * {@linkcode FuzzyList.filter} runs over all of them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FuzzyList } from "./fuzzy.ts";
 *
 * const list = new FuzzyList(["fix the parser", "add a cart button", "parse dates"], (t) => t);
 * assert.deepEqual(list.filter("pars"), ["parse dates", "fix the parser"]);
 * assert.deepEqual(list.filter("button cart"), ["add a cart button"]);
 * assert.deepEqual(list.filter("par -dates"), ["fix the parser"]);
 * assert.equal(list.filter("").length, 3); // everything, in order
 * ```
 */
export class FuzzyList<T> {
  readonly #items: readonly T[];
  readonly #texts: string[];
  readonly #uf = new uFuzzy(OPTIONS);

  constructor(items: readonly T[], textOf: (item: T) => string) {
    this.#items = items;
    this.#texts = uFuzzy.latinize(items.map(textOf));
  }

  /** How many items the list holds. */
  get size(): number {
    return this.#items.length;
  }

  /**
   * The items matching `query`: the best first when at most
   * {@linkcode RANK_MAX} match (equal ranks in the list's order), else in
   * the list's order. A query with nothing to match (empty, spaces,
   * punctuation only) keeps every item, in order.
   */
  filter(query: string): T[] {
    const [idxs, info, order] = this.#uf.search(
      this.#texts,
      uFuzzy.latinize(query),
      OUT_OF_ORDER,
      RANK_MAX,
    );
    if (idxs === null) return [...this.#items];
    if (info !== null && order !== null) return order.map((i) => this.#items[info.idx[i]]);
    // Unranked: the matches of each order of the words, one after the other.
    return [...idxs].sort((a, b) => a - b).map((i) => this.#items[i]);
  }
}

/** How much of a long first prompt is matched: what a row can show, and more. */
const PROMPT_CHARS = 120;

/**
 * The text a session is matched on: its title, its first prompt (its start),
 * its project, its model and its short id, one space apart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "./info.ts";
 * import { sessionMatchText } from "./fuzzy.ts";
 *
 * const s = {
 *   title: "fix the parser", firstPrompt: "the parser fails", cwd: "/src/app",
 *   model: "gpt-5", shortId: "0e19291e",
 * } as SessionInfo;
 * assert.equal(sessionMatchText(s), "fix the parser the parser fails /src/app gpt-5 0e19291e");
 * ```
 */
export function sessionMatchText(
  s: Pick<SessionInfo, "title" | "firstPrompt" | "cwd" | "model" | "shortId">,
): string {
  const prompt = (s.firstPrompt ?? "").slice(0, PROMPT_CHARS).replace(/\s+/g, " ");
  return [s.title ?? "", prompt, s.cwd, s.model, s.shortId].filter((t) => t !== "").join(" ");
}
