/**
 * Display width of text in terminal columns (CJK and emoji count two). The one
 * import of `string-width`, so switching implementations is one line.
 *
 * @module
 */
import stringWidth from "string-width";

/**
 * Columns `text` takes on a terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { displayWidth } from "./width.ts";
 *
 * assert.equal(displayWidth("日本語"), 6);
 * assert.equal(displayWidth("abc"), 3);
 * ```
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Cuts `text` to at most `columns` display columns, ending in `…` when cut.
 * Never splits a grapheme (an emoji with its modifiers, a letter with its
 * accents).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truncateToWidth } from "./width.ts";
 *
 * assert.equal(truncateToWidth("日本語のテキスト", 7), "日本語…");
 * ```
 */
export function truncateToWidth(text: string, columns: number): string {
  if (columns <= 0) return "";
  if (displayWidth(text) <= columns) return text;
  let out = "";
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > columns - 1) break;
    out += segment;
    used += w;
  }
  return out + "…";
}

/**
 * Cuts a path to at most `columns` display columns from its start, keeping
 * its end (which says most) and starting at a `/` when that drops less than
 * it keeps, so the first name shown is whole: `…/dev/web-shop`, not
 * `…me/dev/web-shop`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truncatePathToWidth } from "./width.ts";
 *
 * assert.equal(truncatePathToWidth("/home/dev/web-shop", 16), "…/dev/web-shop");
 * ```
 */
export function truncatePathToWidth(path: string, columns: number): string {
  if (columns <= 0) return "";
  if (displayWidth(path) <= columns) return path;
  const graphemes = [...segmenter.segment(path)].map((s) => s.segment);
  let out = "";
  let used = 0;
  for (let i = graphemes.length - 1; i >= 0; i--) {
    const w = displayWidth(graphemes[i]);
    if (used + w > columns - 1) break;
    out = graphemes[i] + out;
    used += w;
  }
  // Not when that would throw away more than it keeps: "…ジェクト/café"
  // says more than "…/café".
  const slash = out.indexOf("/");
  if (slash > 0 && displayWidth(out.slice(0, slash)) < displayWidth(out.slice(slash))) {
    out = out.slice(slash);
  }
  return "…" + out;
}

/**
 * Pads `text` with spaces to `columns` display columns, on the right (or the
 * left for numbers).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { padToWidth } from "./width.ts";
 *
 * assert.equal(padToWidth("é", 3), "é  ");
 * assert.equal(padToWidth("7", 3, true), "  7");
 * ```
 */
export function padToWidth(text: string, columns: number, alignRight = false): string {
  const pad = " ".repeat(Math.max(0, columns - displayWidth(text)));
  return alignRight ? pad + text : text + pad;
}
