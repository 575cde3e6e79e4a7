/**
 * Transcript text as HTML: escaped so that nothing in it becomes markup, and
 * streamed, so a text of any length passes through in bounded memory.
 *
 * @module
 */
import { sanitizeForTerminal } from "./sanitize.ts";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text from a transcript as HTML text or attribute value: `& < > " '`
 * escaped, and control characters (and bidi overrides, which can make a line
 * read as something it is not) made visible as the terminal forms show them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./html_text.ts";
 * assert.equal(escapeHtml(`<a href="x">\x1b`), "&lt;a href=&quot;x&quot;&gt;␛");
 * ```
 */
export function escapeHtml(text: string): string {
  return sanitizeForTerminal(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * A line up to this long is held whole, to find code fences, code spans and
 * bold in it; a longer one streams as plain text, so a line of any length
 * passes in bounded memory (and the output depends on the text only, never
 * on how it was cut into pieces).
 */
const LINE_HOLD = 4000;

/**
 * Inline Markdown of one line: code spans (`` `x` ``) and bold (`**x**`),
 * the rest escaped.
 */
function inline(line: string): string {
  let out = "";
  let from = 0;
  // A run of N backticks up to the next run of exactly N (CommonMark).
  const span = /(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;
  for (const m of line.matchAll(span)) {
    out += bold(line.slice(from, m.index)) + `<code>${escapeHtml(m[2])}</code>`;
    from = m.index + m[0].length;
  }
  return out + bold(line.slice(from));
}

function bold(text: string): string {
  let out = "";
  let from = 0;
  for (const m of text.matchAll(/\*\*(?=\S)([\s\S]*?\S)\*\*/g)) {
    out += escapeHtml(text.slice(from, m.index)) + `<strong>${escapeHtml(m[1])}</strong>`;
    from = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(from));
}

/**
 * Prose as HTML with the little Markdown a transcript's text needs to read
 * well: fenced code blocks (three backticks and `~~~`) as `<pre><code>`, code
 * spans and bold; everything else is escaped text, for an element with
 * `white-space: pre-wrap`. No way for the text to write HTML. Text is fed
 * in pieces of any size; at most {@linkcode LINE_HOLD} characters are held.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProseText } from "./html_text.ts";
 * const t = new ProseText();
 * const fence = "`".repeat(3); // written out, it would end this example's own fence
 * const html = t.push(`See \`a<b\`:\n${fence}ts\nlet a = 1 < 2;\n${fence}\nok`) + t.end();
 * assert.equal(html, 'See <code>a&lt;b</code>:<pre class="code"><code>let a = 1 &lt; 2;</code></pre>ok');
 * ```
 */
export class ProseText {
  /** The current line while it is short enough to hold. */
  #held = "";
  /** The current line is too long to hold: its text streams as it is. */
  #streaming = false;
  /** The open fence (its character repeated), or "" outside code. */
  #fence = "";
  /** A newline to write before what comes next, unless a fence line comes. */
  #owed = false;

  /** Takes a piece of the text; returns the HTML for what is decided. */
  push(text: string): string {
    let out = "";
    let from = 0;
    while (true) {
      const nl = text.indexOf("\n", from);
      const end = nl === -1 ? text.length : nl;
      if (end > from) out += this.#add(text.slice(from, end));
      if (nl === -1) return out;
      out += this.#lineEnd();
      from = nl + 1;
    }
  }

  /** The end of the text: a held line goes out and an open code block closes. */
  end(): string {
    let out = this.#held !== "" ? this.#lineEnd() : "";
    if (this.#fence !== "") out += "</code></pre>";
    this.#fence = "";
    this.#owed = false; // a final newline shows nothing
    return out;
  }

  /** Text within one line. */
  #add(piece: string): string {
    if (this.#streaming) return escapeHtml(piece);
    this.#held += piece;
    if (this.#held.length <= LINE_HOLD) return "";
    this.#streaming = true;
    const held = this.#held;
    this.#held = "";
    return this.#newline() + escapeHtml(held);
  }

  /** The end of a line: a held one is a fence line or text. */
  #lineEnd(): string {
    const line = this.#held;
    const streamed = this.#streaming;
    this.#held = "";
    this.#streaming = false;
    const tag = streamed ? null : this.#fenceTag(line);
    if (tag !== null) {
      // The newlines around a block are its edges.
      this.#owed = false;
      return tag;
    }
    const out = streamed
      ? ""
      : this.#newline() + (this.#fence === "" ? inline(line) : escapeHtml(line));
    this.#owed = true;
    return out;
  }

  #newline(): string {
    const nl = this.#owed ? "\n" : "";
    this.#owed = false;
    return nl;
  }

  /** The tag a fence line writes, or null for a line of text. */
  #fenceTag(line: string): string | null {
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence === null) return null;
    const [, mark, rest] = fence;
    if (this.#fence === "") {
      // A backtick fence's info string holds no backtick (CommonMark).
      if (mark[0] === "`" && rest.includes("`")) return null;
      this.#fence = mark;
      return '<pre class="code"><code>';
    }
    if (mark[0] !== this.#fence[0] || mark.length < this.#fence.length || rest.trim() !== "") {
      return null;
    }
    this.#fence = "";
    return "</code></pre>";
  }
}
