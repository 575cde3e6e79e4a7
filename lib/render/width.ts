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
 * displayWidth("日本語") // 6
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
 * truncateToWidth("日本語のテキスト", 7) // "日本語…"
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
 * Pads `text` with spaces to `columns` display columns, on the right (or the
 * left for numbers).
 *
 * @example
 * padToWidth("é", 3) // "é  "
 */
export function padToWidth(text: string, columns: number, alignRight = false): string {
  const pad = " ".repeat(Math.max(0, columns - displayWidth(text)));
  return alignRight ? pad + text : text + pad;
}
