/**
 * `changes`' listing: one row per file a session changed (its path, lines
 * added and removed, the messages that changed it), or one JSON object per
 * line; then the note on shell commands. Paths come from the transcript:
 * sanitised for the terminal in text, escaped as JSON.
 *
 * @module
 */
import type { FieldDocs } from "../base/field_docs.ts";
import type { FileDiff, FileDiffCall } from "../transcript/file_diffs.ts";
import type { Palette } from "./color.ts";
import { jsonForTerminal, sanitizeForTerminal } from "./sanitize.ts";
import { renderTable } from "./table.ts";
import { truncatePathToWidth } from "./width.ts";

/** One line of `changes --json`. */
export interface ChangedFileJson {
  path: string;
  absolutePath: string | null;
  created: boolean;
  added: number;
  removed: number;
  numbered: boolean;
  changes: { index: number; tool: "edit" | "write"; ok: boolean }[];
}

/** What each field of `changes --json` means (`zot-sessions help json`). */
export const CHANGED_FILE_FIELDS: FieldDocs<ChangedFileJson> = {
  path: "the file as the session's tool calls named it (relative to its cwd, or absolute)",
  absolutePath: "path joined with the session's cwd, or null when the session has none",
  created: "the session wrote the file before it read or changed it",
  added: "lines added, as changes --patch shows them (failed calls not counted)",
  removed: "lines removed, likewise",
  numbered: "whether added and removed are exact: the patch has line numbers; when false, " +
    "the text was not known throughout, and each change made where it was not counts its own lines",
  changes: "the session's edit and write calls on it, in order: {index, tool, ok}; " +
    "index as show numbers messages, ok false for an error or no result",
};

/**
 * A file's line of `changes --json`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { changedFileJson } from "./changes.ts";
 *
 * const file = {
 *   path: "a.go", absolutePath: "/src/a.go", projectPath: "a.go", created: true, added: 2, removed: 0, numbered: true,
 *   unnumbered: null, lastLineGuessed: false, hunks: [], calls: [{ index: 3, tool: "write" as const, ok: true, aborted: false }],
 * };
 * assert.deepEqual(changedFileJson(file).changes, [{ index: 3, tool: "write", ok: true }]);
 * ```
 */
export function changedFileJson(f: FileDiff): ChangedFileJson {
  return {
    path: f.path,
    absolutePath: f.absolutePath,
    created: f.created,
    added: f.added,
    removed: f.removed,
    numbered: f.numbered,
    changes: f.calls.map((c) => ({ index: c.index, tool: c.tool, ok: c.ok })),
  };
}

/** `changes --json`: one object per line; `terminal`: stdout is one (see `jsonForTerminal`). */
export function changesJson(files: FileDiff[], terminal: boolean): string {
  return files.map((f) => jsonForTerminal(JSON.stringify(changedFileJson(f)), terminal) + "\n")
    .join("");
}

/** A call as the listing names it: `#N`, marked when it failed or had no result. */
function callText(c: FileDiffCall): string {
  return c.ok ? `#${c.index}` : `#${c.index} (${c.aborted ? "no result" : "failed"})`;
}

/** The note after the listing, or "" when the session ran no shell command. */
export function shellNote(count: number, command: string): string {
  if (count === 0) return "";
  const what = count === 1 ? "shell command" : "shell commands";
  return `${count} ${what} may have changed files: ${command}\n`;
}

/**
 * `changes`' text: the table of files, then the note on shell commands.
 * `absolute`: paths joined with the session's cwd (where known).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { changesText } from "./changes.ts";
 *
 * const file = {
 *   path: "a\x1b.go", absolutePath: null, projectPath: "a\x1b.go", created: false, added: 1, removed: 1, numbered: true,
 *   unnumbered: null, lastLineGuessed: false, hunks: [], calls: [
 *     { index: 3, tool: "edit" as const, ok: true, aborted: false },
 *     { index: 5, tool: "edit" as const, ok: false, aborted: false },
 *   ],
 * };
 * const text = changesText([file], { palette: palette(false), absolute: false, shellCommands: 0, showTools: "" });
 * assert.equal(text, "FILE   ADDED  REMOVED  MESSAGES\na␛.go     +1       -1  #3, #5 (failed)\n");
 * ```
 */
export function changesText(
  files: FileDiff[],
  o: {
    palette: Palette;
    absolute: boolean;
    width?: number;
    shellCommands: number;
    /** The command that shows the session's shell commands. */
    showTools: string;
  },
): string {
  const p = o.palette;
  const note = shellNote(o.shellCommands, o.showTools);
  if (files.length === 0) return `The session changed no file with edit or write.\n${note}`;
  const rows = files.map((f) => [
    sanitizeForTerminal(o.absolute ? f.absolutePath ?? f.path : f.path, true),
    `+${f.added}`,
    `-${f.removed}`,
    f.calls.map(callText).join(", ") + (f.created ? " (created)" : ""),
  ]);
  const table = renderTable(
    [
      { header: "FILE", flex: true, cut: truncatePathToWidth },
      { header: "ADDED", align: "right", style: (t) => p.green(t) },
      { header: "REMOVED", align: "right", style: (t) => p.red(t) },
      { header: "MESSAGES" },
    ],
    rows,
    { palette: p, width: o.width },
  );
  return table + (note ? "\n" + note : "");
}
