/**
 * `changes --patch`: a unified diff per file, as `diff -u` and `git apply`
 * read them (`--- a/PATH`, `+++ b/PATH`; a created file from `/dev/null`),
 * written by jsdiff (npm `diff`), which also quotes odd file names as GNU
 * diff does. Notes before a file's header (`# …` lines, which patch tools
 * skip) say what `git apply` should know: why its hunks have no line
 * numbers (they start `@@ ? @@`), that it is outside the project, that the
 * end of its last line is a guess.
 *
 * The file texts come from the transcript, so they are untrusted: on
 * standard output, a pipe too (`| less -R` passes escapes on), control
 * characters but tab, newline and a carriage return ending a line (C0,
 * DEL, C1, bidi overrides) are made visible, and the text is coloured on a
 * terminal. Only `exact` (`-o FILE`) writes the bytes as they are.
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
  /** The bytes as they are (to a file); else control characters made visible. */
  exact: boolean;
  /** Colours lines (a palette without colour for none); not with `exact`. */
  palette: Palette;
}

/**
 * A patch line (without its "\n") with its control characters made
 * visible; a "\r" ending it (a CRLF file's line) is kept.
 */
function visible(line: string): string {
  const cr = line.endsWith("\r") ? "\r" : "";
  return sanitizeForTerminal(cr ? line.slice(0, -1) : line) + cr;
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
export const LAST_LINE_NOTE =
  "# assumes the last line ends in a newline: the session's read does not show it\n";

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
 * const o = { absolute: false, exact: false, palette: palette(false) };
 * assert.equal(patchText([file], o), "--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1,1 @@\n+hi\n");
 * ```
 */
export function patchText(files: FileDiff[], o: PatchOptions): string {
  const text = inPatchOrder(files, o.absolute).map((f) => fileText(f, o.absolute)).join("");
  if (o.exact) return text;
  return text.split("\n").map((l) => colourLine(visible(l), o.palette)).join("\n");
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
 * assert.deepEqual(patchWarnings([outside], { absolute: false, exact: false }), [
 *   "1 file is outside the session's project directory: named by its absolute path, " +
 *   "git apply in the project cannot take it",
 * ]);
 * ```
 */
export function patchWarnings(
  files: FileDiff[],
  o: { absolute: boolean; exact: boolean },
): string[] {
  const shown = files.filter((f) => f.hunks.length > 0);
  const out: string[] = [];
  for (const f of o.exact ? [] : shown) {
    const text = fileText(f, o.absolute);
    if (text.split("\n").every((l) => visible(l) === l)) continue;
    out.push(
      `the patch of ${f.path} is not byte-exact: its control characters are shown as ` +
        "symbols (such as ␛); -o FILE writes them as they are",
    );
  }
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
