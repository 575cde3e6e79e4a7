/**
 * A tool call as HTML: its name, and its arguments as a person reads them:
 * short values on the call's line (`path src/cart.ts`), long or multi-line
 * ones as blocks under it (a file's content), an edit's old and new text as
 * a diff, long blocks folded.
 *
 * @module
 */
import { escapeHtml } from "./html_text.ts";
import { diffHtml } from "./html_diff.ts";

/** A value up to this long (one line) goes on the call's line. */
const INLINE_CHARS = 120;
/** A block of more lines than this is folded (unless `--full`). */
const FOLD_LINES = 12;
/** Arguments with more values than this are shown as JSON. */
const MAX_LEAVES = 60;
/** Keys of an edit's old and new text (zot's, and other agents'). */
const OLD_KEY = /^old_?(text|string|str)$/i;
const NEW_KEY = /^new_?(text|string|str)$/i;

type Leaf =
  | { path: string; text: string }
  | { path: string; diff: [string, string] };

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The values of the arguments with their paths (`edits[0].newText`), an
 * old/new text pair as one diff; false when there are too many.
 */
function leaves(v: unknown, path: string, out: Leaf[]): boolean {
  if (out.length > MAX_LEAVES) return false;
  const at = (k: string) => (path === "" ? k : `${path}.${k}`);
  if (Array.isArray(v) && v.length > 0) {
    return v.every((x, i) => leaves(x, `${path}[${i}]`, out));
  }
  if (isObject(v) && Object.keys(v).length > 0) {
    const keys = Object.keys(v);
    const oldKey = keys.find((k) => OLD_KEY.test(k) && typeof v[k] === "string");
    const newKey = keys.find((k) => NEW_KEY.test(k) && typeof v[k] === "string");
    const pair = oldKey !== undefined && newKey !== undefined;
    if (pair) out.push({ path: path || "edit", diff: [v[oldKey] as string, v[newKey] as string] });
    return keys.every((k) => (pair && (k === oldKey || k === newKey)) || leaves(v[k], at(k), out));
  }
  out.push({ path, text: typeof v === "string" ? v : JSON.stringify(v) });
  return true;
}

/** A titled block, folded when long. */
function block(title: string, body: string, lines: number, full: boolean): string {
  const name = `<span class="k">${escapeHtml(title)}</span>`;
  if (lines > FOLD_LINES && !full) {
    return `<details class="arg"><summary>${name} <span class="n">${lines} lines</span></summary>${body}</details>`;
  }
  return `<div class="arg">${name}${body}</div>`;
}

const pre = (text: string) => `<pre>${escapeHtml(text)}</pre>`;

/**
 * The HTML of a tool call. `argumentsJson` is JSON text, or (when `cut`)
 * the start of it, shown as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toolCallHtml } from "./html_args.ts";
 * const html = toolCallHtml("read", '{"path":"<a>.ts"}', false, false);
 * assert.ok(html.includes('<span class="k">path</span> <code>&lt;a&gt;.ts</code>'));
 * ```
 */
export function toolCallHtml(
  name: string,
  argumentsJson: string,
  cut: boolean,
  full: boolean,
): string {
  let args: unknown = undefined;
  if (!cut) {
    try {
      args = JSON.parse(argumentsJson);
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  const inline: string[] = [];
  const blocks: string[] = [];
  const found: Leaf[] = [];
  if (args === undefined || !leaves(args, "", found)) {
    const text = args === undefined
      ? argumentsJson + (cut ? "…" : "")
      : JSON.stringify(args, null, 2);
    blocks.push(block("arguments", pre(text), lineCount(text), full));
  } else if (args !== null) {
    for (const leaf of found) {
      if ("diff" in leaf) {
        // Folded by its own length: a small change to a long text is short.
        const diff = diffHtml(...leaf.diff);
        blocks.push(block(leaf.path, diff, lineCount(diff), full));
        continue;
      }
      const short = leaf.text.length <= INLINE_CHARS && !leaf.text.includes("\n");
      const key = leaf.path ? `<span class="k">${escapeHtml(leaf.path)}</span> ` : "";
      const value = `<code>${escapeHtml(leaf.text)}</code>`;
      if (short && !leaf.path.includes(".") && !leaf.path.includes("[")) {
        inline.push(`<span class="arg-inline">${key}${value}</span>`);
      } else if (short) blocks.push(`<div class="arg">${key}${value}</div>`);
      else blocks.push(block(leaf.path || "arguments", pre(leaf.text), lineCount(leaf.text), full));
    }
  }
  const head = `<div class="call-head"><span class="tool">${escapeHtml(name)}</span>${
    inline.map((a) => ` ${a}`).join("")
  }</div>`;
  return `<div class="call">${head}${blocks.join("")}</div>\n`;
}
