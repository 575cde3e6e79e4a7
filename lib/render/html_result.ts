/**
 * A tool result of `show --html`, in its fold: `<details>` whose summary
 * names the tool and says how many lines came back, open when short. To say
 * that, the result's HTML is held until its end, up to
 * {@linkcode RESULT_HOLD}; a longer one streams, folded, its length unsaid.
 *
 * @module
 */
import { escapeHtml } from "./html_text.ts";
import { looksLikeDiff, markedDiff } from "./html_diff.ts";

/** Results of more lines than this are folded. */
const RESULT_LINES = 20;
/** Characters of a result's HTML held to count its lines; past this it streams, folded. */
export const RESULT_HOLD = 1 << 20;
/** A result's text up to this long is kept to be shown as a diff if it is one. */
const DIFF_CHARS = 64 << 10;

/**
 * One result being written: the sink passes it the result's HTML and text
 * and writes out what each call returns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ResultFold } from "./html_result.ts";
 * const r = new ResultFold("bash", 3, false, false);
 * assert.equal(r.add("<pre>"), ""); // held
 * r.text("ok\n");
 * r.add("ok\n</pre>");
 * assert.ok(r.end(false).startsWith('<details class="result" open>'));
 * ```
 */
export class ResultFold {
  #body = "";
  /** Past the hold: the head is written and the body streams. */
  #streaming = false;
  #lines = 0;
  #lineOpen = false;
  #images = 0;
  /** Its one text, while short (null: too long). */
  #raw: string | null = "";
  #texts = 0;

  /**
   * `callAt`: the index of the message of its call (-1: unknown);
   * `isError`: null until known.
   */
  constructor(
    readonly name: string,
    readonly callAt: number,
    public isError: boolean | null,
    readonly full: boolean,
  ) {}

  /** Takes the result's HTML; returns what goes out now. */
  add(html: string): string {
    if (this.#streaming) return html;
    this.#body += html;
    if (this.#body.length <= RESULT_HOLD) return "";
    this.#streaming = true;
    const out = this.#head(false) + this.#body;
    this.#body = "";
    return out;
  }

  /** A text block of the result begins. */
  textStart(): void {
    this.#texts++;
  }

  /** Counts the lines of the result's text (and keeps a short one). */
  text(chunk: string): void {
    for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) this.#lines++;
    this.#lineOpen = !chunk.endsWith("\n");
    const raw = this.#raw;
    this.#raw = raw !== null && raw.length + chunk.length <= DIFF_CHARS ? raw + chunk : null;
  }

  /** A text block of the result ends. */
  textEnd(): void {
    if (this.#lineOpen) this.#lines++;
    this.#lineOpen = false;
  }

  /** An image of the result. */
  image(): void {
    this.#images++;
  }

  /** The rest of the result. */
  end(isError: boolean): string {
    if (this.#streaming) {
      const mark = isError && this.isError !== true ? `<div class="mark">✗ error</div>` : "";
      return `</details>${mark}\n`;
    }
    this.isError = isError;
    if (this.#body === "") {
      const error = isError ? " error" : "";
      return `<div class="result empty${error}">← ${escapeHtml(this.name)} · no output${
        isError ? " · error" : ""
      }</div>\n`;
    }
    // Output that is a diff (an edit tool's) is shown as one.
    const raw = this.#raw;
    const diff = raw !== null && this.#texts === 1 && this.#images === 0 && looksLikeDiff(raw);
    return this.#head(true) + (diff ? markedDiff(raw) : this.#body) + "</details>\n";
  }

  /** The opening of the fold and its summary; `known`: the whole result was seen. */
  #head(known: boolean): string {
    const error = this.isError === true;
    const n = this.#lines;
    const lines = known && n > 0 ? ` · ${n} line${n === 1 ? "" : "s"}` : "";
    const i = this.#images;
    const images = known && i > 0 ? ` · ${i} image${i === 1 ? "" : "s"}` : "";
    const open = known && (this.full || n <= RESULT_LINES) ? " open" : "";
    const name = this.callAt >= 0
      ? `<a class="tool" href="#m-${this.callAt}">${escapeHtml(this.name)}</a>`
      : `<span class="tool">${escapeHtml(this.name)}</span>`;
    return `<details class="result${error ? " error" : ""}"${open}><summary>${name}` +
      `<span class="n">${lines}${images}${error ? " · error" : ""}</span></summary>`;
  }
}
