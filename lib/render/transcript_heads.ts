/**
 * The headings of a text (or Markdown) transcript: a message's, with its
 * role and time, and a tool result's, under its call. `show` numbers them
 * (`#N`, as `--range` and `--around` count) and marks the one `--around`
 * asked for with `▶` (and in reverse on a terminal).
 *
 * @module
 */
import type { Palette } from "./color.ts";

/** How a heading looks (a part of the text transcript's options). */
export interface HeadingOptions {
  palette: Palette;
  markdown: boolean;
  /** Each header shows its message's number, `#N`, as `--range` and `--around` count (show). */
  numbered?: boolean;
  /** The message `--around` asked for: its header is marked with `▶` (and in reverse on a terminal). */
  marked?: number | null;
}

/** Whether message `index` is the one `--around` asked for. */
function isMarked(o: HeadingOptions, index: number): boolean {
  return o.marked !== undefined && o.marked !== null && index === o.marked;
}

/**
 * The heading of message `index` (not a tool's: its result has it), with
 * the line around it. `label` is the role and time, already sanitised.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { messageHeading } from "./transcript_heads.ts";
 *
 * const o = { palette: palette(false), markdown: true, numbered: true, marked: 3 };
 * assert.equal(messageHeading(o, "user", 3, "user · 10:00"), "\n### ▶ `#3` user · 10:00\n\n");
 * const text = messageHeading({ ...o, markdown: false }, "user", 2, "user · 10:00");
 * assert.equal(text, `\n── #2 user · 10:00 ${"─".repeat(21)}\n`);
 * ```
 */
export function messageHeading(
  o: HeadingOptions,
  role: string,
  index: number,
  label: string,
): string {
  const p = o.palette;
  const marked = isMarked(o, index);
  if (o.markdown) {
    // The number as code: GitHub would link a bare #N to issue N.
    const number = o.numbered ? `\`#${index}\` ` : "";
    return `\n### ${marked ? "▶ " : ""}${number}${label}\n\n`;
  }
  const number = o.numbered ? `#${index} ` : "";
  const head = `${marked ? "▶" : "──"} ${number}${label} `;
  const color = role === "user" ? p.green : role === "assistant" ? p.cyan : p.yellow;
  const line = p.bold(head + "─".repeat(Math.max(3, 40 - head.length)));
  return `\n${color(marked ? p.inverse(line) : line)}\n`;
}

/**
 * The heading of a tool result: `← name` (already sanitised), ` ✗ error`
 * when it is one. `index`: the tool message's own number when the result
 * is its message's (a tool message has no header of its own), else null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { resultHeading } from "./transcript_heads.ts";
 *
 * const o = { palette: palette(false), markdown: false, numbered: true };
 * assert.equal(resultHeading(o, "bash", 4, true), "  ← bash #4 ✗ error\n");
 * assert.equal(resultHeading({ ...o, markdown: true }, "bash", null, false), "\n← bash\n\n");
 * ```
 */
export function resultHeading(
  o: HeadingOptions,
  name: string,
  index: number | null,
  isError: boolean | null,
): string {
  const p = o.palette;
  const mark = isError ? " ✗ error" : "";
  const marked = index !== null && isMarked(o, index);
  const numbered = index !== null && o.numbered === true;
  if (o.markdown) {
    const number = numbered ? ` \`#${index}\`` : "";
    return `\n${marked ? "▶ " : ""}← ${name}${number}${mark}\n\n`;
  }
  const text = `← ${name}${numbered ? ` #${index}` : ""}`;
  if (marked) return `${p.inverse(p.bold(`▶ ${text}${mark}`))}\n`;
  return `  ${isError ? p.red(`${text}${mark}`) : p.dim(text)}\n`;
}
