/**
 * Display width of text in terminal columns (CJK and emoji count two). The one
 * import of `string-width` (and of its `get-east-asian-width`), so switching
 * implementations is one line.
 *
 * @module
 */
import { eastAsianWidth } from "get-east-asian-width";
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
  if (NARROW_TEXT.test(text)) return text.length;
  if (!SINGLE_TEXT.test(text)) return graphemesWidth(text);
  let width = 0;
  for (let i = 0; i < text.length; i++) width += eastAsianWidth(text.charCodeAt(i));
  return width;
}

/**
 * The width of text SINGLE_TEXT does not cover, grapheme by grapheme: one of
 * a single code point from its properties, any other (a ZWJ sequence, a
 * flag, a skin tone, a letter with accents) from string-width. Text with an
 * escape sequence goes to string-width whole (it strips them first).
 *
 * Why: string-width tests every grapheme against an RGI emoji expression
 * that costs 23-30 ms to compile (Deno, Bun; 2026-12-07), paid by every
 * `ls` of a home with one emoji title. A single code point is an RGI emoji
 * exactly when it has Emoji_Presentation and is not a regional indicator
 * (a lone half of a flag); tests/render/width_test.ts checks every code
 * point against string-width.
 */
function graphemesWidth(text: string): number {
  if (text.includes("\u001B") || text.includes("\u009B")) return stringWidth(text);
  let width = 0;
  for (const { segment } of segmenter().segment(text)) {
    const cp = segment.codePointAt(0)!;
    width += segment.length === (cp > 0xFFFF ? 2 : 1)
      ? codePointWidth(segment, cp)
      : stringWidth(segment);
  }
  return width;
}

/** Columns of `char`, one code point `cp`, as string-width counts it. */
export function codePointWidth(char: string, cp: number): number {
  if (INVISIBLE_CHAR.test(char)) return 0;
  if (EMOJI_PRESENTATION.test(char) && !(cp >= 0x1F1E6 && cp <= 0x1F1FF)) return 2;
  return eastAsianWidth(cp);
}

/** A character that takes no column (string-width's rule). */
const INVISIBLE_CHAR =
  /^[\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]$/v;
/** A character shown as an emoji by default. */
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u;

/**
 * Text made only of characters one column wide that never join another in
 * a grapheme: printable ASCII, Latin-1 and Latin Extended letters, spacing
 * modifiers, general punctuation (`…`, `·` is Latin-1), arrows (`⇄`) and
 * box drawing (`─`). Its width is its length.
 */
export const NARROW_TEXT =
  /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u257F]*$/;

/**
 * Text of characters each a grapheme of its own and no emoji: BMP
 * characters but controls, format and default-ignorable characters, marks,
 * pictographs, Hangul jamo (they join into syllables), halfwidth and
 * fullwidth forms, and the few letters that join their neighbour (the
 * Malayalam dot reph before, Thai and Lao "am" after). Its width is
 * the sum of its characters' East Asian widths (CJK: two), which is what
 * string-width gives it.
 *
 * Why not string-width for it: string-width tests every grapheme against
 * an RGI emoji expression that JavaScriptCore compiles on first use, 49 of
 * the 132 ms an `ls` of ten sessions took (a CPU profile of the binary,
 * 2026-12-07); text with no emoji in it does not need it.
 * tests/render/width_test.ts checks every such character, and random text,
 * against string-width.
 */
export const SINGLE_TEXT =
  /^[[\u0020-\uFFFF]--[\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Mark}\p{Surrogate}\p{Extended_Pictographic}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\uFF00-\uFFEF\u0D4E\u0E33\u0EB3]]*$/v;

let graphemeSegmenter: Intl.Segmenter | undefined;
/** The grapheme segmenter, made on first use (ICU's data costs ~6 ms to load). */
function segmenter(): Intl.Segmenter {
  return graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
}

/**
 * The graphemes of `text` (what a terminal shows as one character: an emoji
 * with its modifiers, a letter with its accents), in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphemes } from "./width.ts";
 *
 * assert.deepEqual(graphemes("e\u0301👍🏽x"), ["e\u0301", "👍🏽", "x"]);
 * ```
 */
export function graphemes(text: string): string[] {
  if (NARROW_TEXT.test(text)) return text.split("");
  return [...segmenter().segment(text)].map((s) => s.segment);
}

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
  for (const { segment } of segmenter().segment(text)) {
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
  const parts = [...segmenter().segment(path)].map((s) => s.segment);
  let out = "";
  let used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = displayWidth(parts[i]);
    if (used + w > columns - 1) break;
    out = parts[i] + out;
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
 * Cuts a model name to at most `columns` display columns, keeping its
 * version, in steps taken only while it is still too wide: the vendor
 * prefixes go (`anthropic/claude-sonnet-4-5` → `claude-sonnet-4-5`), then
 * `claude-` (`sonnet-4-5`: the family says it); then the end is cut if the
 * name and its first version (`sonnet-4-5`, `gpt-5.1`) still fit, else,
 * when the version ends the name, the middle before it (`son…-4-5`). Any
 * other name is cut at its end. Leading spaces (a child row's indent) are
 * kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truncateModelToWidth } from "./width.ts";
 *
 * assert.equal(truncateModelToWidth("anthropic/claude-sonnet-4-5", 17), "claude-sonnet-4-5");
 * assert.equal(truncateModelToWidth("claude-sonnet-4-5", 12), "sonnet-4-5");
 * assert.equal(truncateModelToWidth("claude-sonnet-4-5", 8), "son…-4-5");
 * assert.equal(truncateModelToWidth("claude-haiku-4-5-20251001", 12), "haiku-4-5-2…");
 * ```
 */
export function truncateModelToWidth(name: string, columns: number): string {
  if (displayWidth(name) <= columns) return name;
  const indent = /^ */.exec(name)![0];
  const room = columns - indent.length;
  let rest = name.slice(indent.length);
  if (room < 2) return truncateToWidth(name, columns);
  while (displayWidth(rest) > room && /^[^\s/]+\/\S/.test(rest)) {
    rest = rest.slice(rest.indexOf("/") + 1);
  }
  if (displayWidth(rest) > room && /^claude-./i.test(rest)) rest = rest.slice("claude-".length);
  if (displayWidth(rest) <= room) return indent + rest;
  // The name and its first version: numbers of one or two digits (a date
  // stamp such as -20250929 is not part of it).
  const core = /^(.*?)([-_.@:]v?\d{1,2}(?:[-.]\d{1,2})*)(?!\d)/i.exec(rest);
  if (core && displayWidth(core[0]) < room) return indent + truncateToWidth(rest, room);
  if (core && core[1] !== "" && core[0] === rest) {
    const head = truncateToWidth(core[1], room - displayWidth(core[2]));
    if (head.length >= 3) return indent + head + core[2];
  }
  return indent + truncateToWidth(rest, room);
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

/**
 * Cuts a path to at most `columns` display columns from its middle, keeping
 * its file name whole and as much of its start and of its end as fit around
 * one `…` (half each): `/home/…/0123/x.jsonl`. When even the file name
 * does not fit, its end is kept ({@linkcode truncatePathToWidth}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truncateMiddleToWidth } from "./width.ts";
 *
 * const path = "/home/me/zot/sessions/0123/20261020-b425d583.jsonl";
 * assert.equal(truncateMiddleToWidth(path, 36), "/home/…/0123/20261020-b425d583.jsonl");
 * assert.equal(truncateMiddleToWidth("/a/b.jsonl", 40), "/a/b.jsonl");
 * assert.equal(truncateMiddleToWidth("/a/20261020-b425d583.jsonl", 10), "…583.jsonl");
 * ```
 */
export function truncateMiddleToWidth(path: string, columns: number): string {
  if (columns <= 0) return "";
  if (displayWidth(path) <= columns) return path;
  const slash = path.lastIndexOf("/");
  const name = path.slice(slash + 1);
  const room = columns - displayWidth(name) - 2; // "…" and the "/" before the name
  if (slash < 0 || room < 0) return truncatePathToWidth(path, columns);
  const dir = [...segmenter().segment(path.slice(0, slash))].map((s) => s.segment);
  const headRoom = Math.ceil(room / 2);
  let head = "";
  let used = 0;
  let i = 0;
  for (; i < dir.length && used + displayWidth(dir[i]) <= headRoom; i++) {
    head += dir[i];
    used += displayWidth(dir[i]);
  }
  let tail = "";
  for (let j = dir.length - 1; j >= i && used + displayWidth(dir[j]) <= room; j--) {
    tail = dir[j] + tail;
    used += displayWidth(dir[j]);
  }
  return `${head}…${tail}/${name}`;
}
