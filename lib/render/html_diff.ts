/**
 * An edit's old and new text as a line diff, the way a person reviews it:
 * unchanged lines plain, removed ones `-`, added ones `+`.
 *
 * @module
 */
import { escapeHtml } from "./html_text.ts";

/**
 * Past this many line pairs (old × new) the longest common subsequence is
 * not computed: the old text is shown removed and the new one added.
 */
const LCS_CELLS = 400_000;

/**
 * The lines of a diff: `" "` kept, `"-"` removed, `"+"` added; of a changed
 * run, the removed lines first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { diffLines } from "./html_diff.ts";
 * assert.deepEqual(diffLines("a\nb", "a\nc"), [[" ", "a"], ["-", "b"], ["+", "c"]]);
 * ```
 */
export function diffLines(before: string, after: string): [" " | "-" | "+", string][] {
  const a = before.split("\n");
  const b = after.split("\n");
  // Common ends first: most edits change a few lines in the middle.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: [" " | "-" | "+", string][] = a.slice(0, start).map((l) => [" ", l]);
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > LCS_CELLS) {
    out.push(...midA.map((l) => ["-", l] as ["-", string]));
    out.push(...midB.map((l) => ["+", l] as ["+", string]));
  } else {
    // lcs[i][j]: the longest common subsequence of midA[i..] and midB[j..].
    const n = midA.length;
    const m = midB.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = midA[i] === midB[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push([" ", midA[i++]]);
        j++;
      } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(["-", midA[i++]]);
      else out.push(["+", midB[j++]]);
    }
  }
  for (let k = endA; k < a.length; k++) out.push([" ", a[k]]);
  return out;
}

/**
 * The diff of two texts as a `<pre>`, each removed or added line marked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { diffHtml } from "./html_diff.ts";
 * assert.equal(
 *   diffHtml("a\nb", "a\nc"),
 *   '<pre class="diff"><span> a</span>\n<del>-b</del>\n<ins>+c</ins></pre>',
 * );
 * ```
 */
export function diffHtml(before: string, after: string): string {
  const lines = diffLines(before, after).map(([mark, line]) => {
    const tag = mark === "-" ? "del" : mark === "+" ? "ins" : "span";
    return `<${tag}>${mark}${escapeHtml(line)}</${tag}>`;
  });
  return `<pre class="diff">${lines.join("\n")}</pre>`;
}

/**
 * Whether a tool's output reads as a diff: every line kept (` `), removed
 * (`-`), added (`+`), a hunk head (`@@`) or empty, and some lines of both
 * kinds, so a list of `- items` is not taken for one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { looksLikeDiff } from "./html_diff.ts";
 * assert.equal(looksLikeDiff(" a {\n-  x: 1;\n+  x: 2;\n }"), true);
 * assert.equal(looksLikeDiff("- one\n- two"), false);
 * ```
 */
export function looksLikeDiff(text: string): boolean {
  const lines = text.replace(/\n$/, "").split("\n");
  return lines.every((l) => l === "" || /^[ +\-]|^@@/.test(l)) &&
    lines.some((l) => l.startsWith("+")) && lines.some((l) => l.startsWith("-"));
}

/**
 * A diff as tool output gives it, as a `<pre>` with its removed and added
 * lines marked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { markedDiff } from "./html_diff.ts";
 * assert.equal(markedDiff("-a\n+b\n"), '<pre class="out diff"><del>-a</del>\n<ins>+b</ins>\n</pre>');
 * ```
 */
export function markedDiff(text: string): string {
  const lines = text.split("\n").map((l) => {
    const tag = l.startsWith("-") ? "del" : l.startsWith("+") ? "ins" : "";
    return tag ? `<${tag}>${escapeHtml(l)}</${tag}>` : escapeHtml(l);
  });
  return `<pre class="out diff">${lines.join("\n")}</pre>`;
}
