/**
 * `pick`'s screen as lines of text, one per terminal row: the query line,
 * a line saying where the sessions come from and how many match, the list,
 * the preview (when on) under a rule, and a last line for questions,
 * messages or the keys. Pure: lib/render/screen.ts draws the lines, and
 * lib/commands/picker.ts decides what they hold.
 *
 * @module
 */
import type { Palette } from "./color.ts";
import { type PickRow, type RowLayout, rowText } from "./pick_rows.ts";
import { displayWidth, padToWidth, truncateToWidth } from "./width.ts";

/** Rows for the list and the preview, out of the terminal's height. */
export interface FrameHeights {
  list: number;
  /** Lines of preview text (the rule above it not counted); 0 when off. */
  preview: number;
}

/** Lines besides the list and the preview: query, info line, status line. */
const CHROME = 3;

/**
 * How a terminal `height` rows high is shared: the preview, when on and
 * when there is room (8 rows or more), takes the lower half.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { frameHeights } from "./pick_frame.ts";
 *
 * assert.deepEqual(frameHeights(24, true), { list: 10, preview: 10 });
 * assert.deepEqual(frameHeights(24, false), { list: 21, preview: 0 });
 * assert.deepEqual(frameHeights(6, true), { list: 3, preview: 0 });
 * ```
 */
export function frameHeights(height: number, preview: boolean): FrameHeights {
  const room = Math.max(1, height - CHROME);
  if (!preview || height < 8) return { list: room, preview: 0 };
  const list = Math.ceil((room - 1) / 2);
  return { list, preview: room - 1 - list };
}

/** What the frame shows. */
export interface FrameContent {
  width: number;
  height: number;
  /** Before the query: `> `, or `search> ` in full-text mode. */
  prompt: string;
  query: string;
  /** Where the sessions come from (a project, "all projects"), left on the info line. */
  scope: string;
  /** Right on the info line: `12/345`, or what is going on (`searching…`). */
  counter: string;
  /** The rows shown (the visible slice of the list). */
  rows: readonly PickRow[];
  layout: RowLayout;
  /** Index in `rows` of the selected row, or -1. */
  selected: number;
  /** Said in the list's place when it is empty. */
  empty: string;
  /** The preview's title (on its rule) and its lines, or null when it is off. */
  preview: { title: string; lines: readonly string[] } | null;
  /** The last line: a question, a message, or (when "") the keys. */
  status: string;
  palette: Palette;
}

/** The keys, most needed first, cut to the width. */
const KEYS =
  "enter resume · esc quit · tab preview · ^s text · ^o page · ^y id · ^d remove · ↑↓ ^p^n move";

/**
 * The screen's lines (exactly `height`, none wider than `width`) and where
 * the cursor goes (after the query).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { pickFrame } from "./pick_frame.ts";
 *
 * const row = { title: "fix the parser", project: "", age: "3h ago", model: "gpt-5", spend: "$0.41", dim: false };
 * const frame = pickFrame({
 *   width: 40, height: 5, prompt: "> ", query: "pars", scope: "~/src/app", counter: "1/3",
 *   rows: [row], layout: { width: 40, title: 16, project: 0, age: 6, model: 5, spend: 5 },
 *   selected: 0, empty: "", preview: null, status: "", palette: palette(false),
 * });
 * assert.deepEqual(frame.lines, [
 *   "> pars",
 *   "  ~/src/app                          1/3",
 *   "> fix the parser    3h ago  gpt-5  $0.41",
 *   "",
 *   "enter resume · esc quit · tab preview ·…",
 * ]);
 * assert.deepEqual(frame.cursor, { row: 0, col: 6 });
 * ```
 */
export function pickFrame(
  c: FrameContent,
): { lines: string[]; cursor: { row: number; col: number } } {
  const p = c.palette;
  const w = c.width;
  const heights = frameHeights(c.height, c.preview !== null);
  const lines: string[] = [];
  // The query line: a long query shows its end, where one types.
  const promptWidth = displayWidth(c.prompt);
  let query = c.query;
  while (query !== "" && promptWidth + displayWidth(query) > w - 1) query = query.slice(1);
  lines.push(p.bold(truncateToWidth(c.prompt, w)) + query);
  const counter = truncateToWidth(c.counter, Math.max(0, w - 4));
  const scope = truncateToWidth(c.scope, Math.max(0, w - 2 - displayWidth(counter) - 2));
  lines.push(
    p.dim("  " + padToWidth(scope, Math.max(0, w - 2 - displayWidth(counter))) + counter),
  );
  for (let i = 0; i < heights.list; i++) {
    const row = c.rows[i];
    if (row === undefined) {
      lines.push(i === 0 && c.empty ? p.dim(truncateToWidth("  " + c.empty, w)) : "");
      continue;
    }
    const text = rowText(row, c.layout, i === c.selected);
    lines.push(i === c.selected ? p.bold(text) : row.dim ? p.dim(text) : text);
  }
  if (c.preview !== null && heights.preview > 0) {
    const title = truncateToWidth(c.preview.title, Math.max(0, w - 6));
    const rule = "── " + title + " ";
    lines.push(p.dim(rule + "─".repeat(Math.max(0, w - displayWidth(rule)))));
    for (let i = 0; i < heights.preview; i++) lines.push(c.preview.lines[i] ?? "");
  }
  while (lines.length < c.height - 1) lines.push("");
  lines.length = Math.max(0, c.height - 1);
  lines.push(c.status ? truncateToWidth(c.status, w) : p.dim(truncateToWidth(KEYS, w)));
  return { lines, cursor: { row: 0, col: Math.min(w - 1, promptWidth + displayWidth(query)) } };
}

/** Columns a tab takes in the preview (terminals' tab stops would break the layout). */
const TAB = "    ";

let graphemes: Intl.Segmenter | undefined;

/**
 * Cuts a text (sanitised, possibly several lines) into lines at most
 * `width` columns wide, between graphemes; tabs become four spaces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wrapLines } from "./pick_frame.ts";
 *
 * assert.deepEqual(wrapLines("abcdef\n日本語", 4), ["abcd", "ef", "日本", "語"]);
 * assert.deepEqual(wrapLines("", 4), [""]);
 * ```
 */
export function wrapLines(text: string, width: number): string[] {
  const out: string[] = [];
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const line of text.replaceAll("\t", TAB).split("\n")) {
    if (displayWidth(line) <= width) {
      out.push(line);
      continue;
    }
    let current = "";
    let used = 0;
    for (const { segment } of graphemes.segment(line)) {
      const sw = displayWidth(segment);
      if (used + sw > width && current !== "") {
        out.push(current);
        current = "";
        used = 0;
      }
      current += segment;
      used += sw;
    }
    out.push(current);
  }
  return out;
}
