/**
 * `changes --patch`: a unified diff per file, as `diff -u` and `git apply`
 * read them (`--- a/PATH`, `+++ b/PATH`; a created file from `/dev/null`),
 * written by jsdiff (npm `diff`), which also quotes odd file names as GNU
 * diff does. A file whose hunks have no line numbers says why in a line
 * before its header (which patch tools skip), and its hunks start
 * `@@ ? @@`; so does one whose last line's end is a guess. To a pipe the text is byte-exact (so `git apply` takes it); on
 * a terminal control characters are made visible, and coloured when colour
 * is on.
 *
 * @module
 */
import { FILE_HEADERS_ONLY, formatPatch, type StructuredPatch } from "diff";
import type { FileDiff } from "../transcript/file_diffs.ts";
import type { Palette } from "./color.ts";
import { sanitizeForTerminal } from "./sanitize.ts";

/** How {@linkcode patchText} writes. */
export interface PatchOptions {
  /** Name files by their absolute paths (no `a/`, `b/`), where known. */
  absolute: boolean;
  /** The output is a terminal: control characters made visible. */
  terminal: boolean;
  palette: Palette;
}

/**
 * The name a file goes by in the headers, without its `a/` or `b/`: its
 * path inside the project, so that `git apply` run there finds it; else
 * (outside the project, or with `absolute`) its absolute path, unprefixed.
 */
function headerPath(f: FileDiff, absolute: boolean): { name: string; prefixed: boolean } {
  if (!absolute && f.projectPath !== null) return { name: f.projectPath, prefixed: true };
  return { name: f.absolutePath ?? f.path, prefixed: false };
}

/** The note before a file outside the session's project directory. */
export const OUTSIDE_NOTE =
  "# outside the project directory: named by its absolute path, git apply in the project " +
  "cannot take it\n";

/** The note before a file whose last line's end is a guess (`lastLineGuessed`). */
export const LAST_LINE_NOTE = "# the file's last line is taken to end in a newline: " +
  "the session's read does not show it (git apply refuses the patch if it does not)\n";

/** One file's diff as text, before any colour or escaping. */
function fileText(f: FileDiff, absolute: boolean): string {
  const { name, prefixed } = headerPath(f, absolute);
  const patch: StructuredPatch = {
    oldFileName: f.created ? "/dev/null" : prefixed ? `a/${name}` : name,
    newFileName: prefixed ? `b/${name}` : name,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: f.numbered ? f.hunks : [],
  };
  const text = formatPatch(patch, FILE_HEADERS_ONLY);
  const outside = !absolute && f.projectPath === null ? OUTSIDE_NOTE : "";
  if (f.numbered) return outside + (f.lastLineGuessed ? LAST_LINE_NOTE : "") + text;
  const hunks = f.hunks.map((h) => `@@ ? @@\n${h.lines.map((l) => l + "\n").join("")}`);
  return `# no line numbers: ${f.unnumbered}\n${outside}${text}${hunks.join("")}`;
}

/** A line coloured by what it is (header, hunk, added, removed). */
function colourLine(line: string, p: Palette): string {
  if (line.startsWith("--- ") || line.startsWith("+++ ")) return p.bold(line);
  if (line.startsWith("@@")) return p.cyan(line);
  if (line.startsWith("+")) return p.green(line);
  if (line.startsWith("-")) return p.red(line);
  if (line.startsWith("#") || line.startsWith("\\")) return p.dim(line);
  return line;
}

/**
 * The files that have a diff (a file whose calls all failed, or whose
 * changes undid each other, has none), in the order `git apply` can use:
 * those with line numbers in the project first, then those outside it,
 * then those without line numbers (which `git apply` skips without a word),
 * each group in the session's order.
 */
function inPatchOrder(files: FileDiff[], absolute: boolean): FileDiff[] {
  const rank = (f: FileDiff) => !f.numbered ? 2 : !absolute && f.projectPath === null ? 1 : 0;
  return files.filter((f) => f.hunks.length > 0).map((f, i) => ({ f, i, r: rank(f) }))
    .sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
}

/**
 * The diffs of the files that have one, one after another, in the order
 * of {@linkcode inPatchOrder}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { patchText } from "./patch.ts";
 *
 * const hunk = { oldStart: 1, oldLines: 0, newStart: 1, newLines: 1, lines: ["+hi"] };
 * const file = {
 *   path: "a.txt", absolutePath: "/src/a.txt", projectPath: "a.txt", created: true, added: 1, removed: 0, numbered: true,
 *   unnumbered: null, lastLineGuessed: false, hunks: [hunk], calls: [],
 * };
 * const o = { absolute: false, terminal: false, palette: palette(false) };
 * assert.equal(patchText([file], o), "--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1,1 @@\n+hi\n");
 * ```
 */
export function patchText(files: FileDiff[], o: PatchOptions): string {
  const text = inPatchOrder(files, o.absolute).map((f) => fileText(f, o.absolute)).join("");
  if (!o.terminal) return text;
  return text.split("\n").map((l) => colourLine(sanitizeForTerminal(l), o.palette)).join("\n");
}

/** `n` and a noun, singular or plural. */
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What stderr says of a patch that `git apply` run in the project will not
 * take whole (one line each, none when it will).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { patchWarnings } from "./patch.ts";
 *
 * const outside = {
 *   path: "../o.txt", absolutePath: "/src/o.txt", projectPath: null, created: false, added: 1,
 *   removed: 0, numbered: true, unnumbered: null, lastLineGuessed: false, calls: [],
 *   hunks: [{ oldStart: 1, oldLines: 0, newStart: 1, newLines: 1, lines: ["+o"] }],
 * };
 * assert.deepEqual(patchWarnings([outside], { absolute: false }), [
 *   "1 file is outside the session's project directory: named by its absolute path, " +
 *   "git apply in the project cannot take it",
 * ]);
 * ```
 */
export function patchWarnings(files: FileDiff[], o: { absolute: boolean }): string[] {
  const shown = files.filter((f) => f.hunks.length > 0);
  const out: string[] = [];
  const unnumbered = shown.filter((f) => !f.numbered).length;
  if (unnumbered > 0) {
    out.push(
      `${count(unnumbered, "file has", "files have")} no line numbers (@@ ? @@): git apply ` +
        `skips ${unnumbered === 1 ? "it" : "them"} without a word; ` +
        `${unnumbered === 1 ? "it is" : "they are"} listed last`,
    );
  }
  const outside = shown.filter((f) => f.projectPath === null).length;
  if (!o.absolute && outside > 0) {
    out.push(
      `${count(outside, "file is", "files are")} outside the session's project directory: ` +
        `named by ${outside === 1 ? "its absolute path" : "their absolute paths"}, ` +
        `git apply in the project cannot take ${outside === 1 ? "it" : "them"}`,
    );
  }
  return out;
}
