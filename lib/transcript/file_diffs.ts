/**
 * The files a session changed, each as a diff: its own `edit` and `write`
 * calls (lib/transcript/file_changes.ts) replayed on the text it had of the
 * file, so the patch carries true line numbers and applies (`git apply`) to
 * the file as the session read it.
 *
 * The text a replay starts from, for a file's first own successful change:
 * - the latest whole-file read of it, then what the calls before (a fork's
 *   inherited ones too) made of it, a read newer than a change winning; a
 *   read zot cut short (2000 lines or 50 KiB) gives no text;
 * - for a write to a file the session had neither read nor changed: empty,
 *   and the file is `created` (a patch from `/dev/null`);
 * - else nothing is known: the diff has no line numbers (`numbered` false),
 *   one hunk per replacement (an edit's `oldText` → `newText`) or write
 *   (its content, all added). So it is too when an edit's `oldText` is not
 *   found exactly once in the text replayed (the read was not what the edit
 *   changed), and after a call with no result (whether it changed the file
 *   is unknown): what the calls made of the text while it was known is then
 *   one diff, and each later call hunks of its own, until a write.
 *
 * Calls are replayed by zot's own rules (lib/transcript/zot_edit.ts: an
 * edit's replacements found once each in the text before the call, CRLF
 * files matched as LF, a BOM kept aside). A read does not show whether the
 * file's last line ends in a newline (zot's read adds one): when the diff
 * reaches that line, `lastLineGuessed` says so. Failed calls change
 * nothing. `added` and `removed` count the diff's lines. The diff itself is
 * jsdiff's (npm `diff`).
 *
 * @module
 */
import { structuredPatch, type StructuredPatchHunk } from "diff";
import type { FileChange, FileChangesState } from "./file_changes.ts";
import { absoluteToolPath, projectPath, toolPathKey } from "./tool_paths.ts";
import { fileOfRead, replay } from "./zot_edit.ts";

/** One of a file's own calls, as a listing shows it. */
export interface FileDiffCall {
  index: number;
  tool: "edit" | "write";
  ok: boolean;
  /** No result: an aborted turn. */
  aborted: boolean;
}

/** What a session did to one file. */
export interface FileDiff {
  /** As the session's first own call on it gave it. */
  path: string;
  /** Joined with the session's cwd, or null when that is not known. */
  absolutePath: string | null;
  /**
   * Inside the session's project directory (its cwd), normalised, with `/`
   * separators: what a patch names it by; null when outside it.
   */
  projectPath: string | null;
  /** Written by the session before it was read or changed. */
  created: boolean;
  added: number;
  removed: number;
  /** The session's own calls on the file, in order, failed ones included. */
  calls: FileDiffCall[];
  /** Whether the hunks carry true line numbers (else they say `@@ ? @@`). */
  numbered: boolean;
  /** Why the hunks have no line numbers, or null. */
  unnumbered: string | null;
  /**
   * The numbered hunks reach the last line of a text read, whose end the
   * read does not show (zot's read adds a "\n" to a last line without
   * one): the patch takes it to end in "\n", and may not apply.
   */
  lastLineGuessed: boolean;
  /** jsdiff's hunks (their numbers mean nothing when not `numbered`). */
  hunks: StructuredPatchHunk[];
}

/** Why a diff has no line numbers. */
export const UNNUMBERED = {
  notRead: "the session did not read the file before changing it",
  cut: "the session's read of the file was cut",
  noMatch: "an edit's old text is not found once in the text the session read",
  noResult: "a call on it has no result (an aborted turn)",
} as const;

/** The text after an ok call, from `text` (null: unknown). */
function applied(text: string | null, c: FileChange): string | null {
  if (c.tool === "write") return c.content;
  return text === null ? null : replay(text, c.edits);
}

/** The whole of `text` as lines, each ending in "\n" (a snippet cut from within a file). */
const asLines = (text: string) => text === "" || text.endsWith("\n") ? text : text + "\n";

/** The hunks of one call when no line numbers are known. */
function callHunks(c: FileChange): StructuredPatchHunk[] {
  const pairs = c.tool === "write"
    ? [{ oldText: "", newText: c.content ?? "" }]
    : c.edits.map((e) => ({ oldText: asLines(e.oldText), newText: asLines(e.newText) }));
  const context = Number.MAX_SAFE_INTEGER;
  return pairs.flatMap((p) =>
    structuredPatch("", "", p.oldText, p.newText, undefined, undefined, { context }).hunks
  );
}

/** How many lines `text` has (a last one without "\n" counted). */
const lineCount = (text: string) =>
  text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

/** One file's diff from all its calls (inherited ones first), `own` its own. */
function fileDiff(cwd: string, all: FileChange[], own: FileChange[]): FileDiff {
  let text: string | null = null;
  let endKnown = true; // whether the end of text's last line is known
  let known = false; // read, or changed, before
  let lost: string | null = null; // why a text known was lost
  let last = -1;
  let first = all.length;
  for (let i = 0; i < all.length; i++) {
    const c = all[i];
    // A read newer than the previous change is the file as it then was.
    if (c.before && c.before.index > last) {
      const read = c.before.text === null ? null : fileOfRead(c.before.text);
      [text, endKnown, known] = [read?.text ?? null, read?.endKnown ?? true, true];
      lost = text === null ? UNNUMBERED.cut : null;
    }
    last = c.index;
    if (!c.inherited && c.ok) {
      first = i;
      break;
    }
    if (c.ok) {
      const after = applied(text, c);
      if (after === null && text !== null) lost = UNNUMBERED.noMatch;
      if (c.tool === "write") endKnown = true;
      [text, known] = [after, true];
    } else if (c.aborted) {
      if (text !== null) lost = UNNUMBERED.noResult;
      text = null;
    }
  }
  const start = all[first];
  const created = start?.tool === "write" && !known; // nothing known: no text either
  const base: string | null = created ? "" : text;
  const mine = start === undefined ? { hunks: [], lost: null } : ownHunks(base, all.slice(first));
  const unnumbered = base === null ? lost ?? UNNUMBERED.notRead : mine.lost;
  const numbered = start === undefined || unnumbered === null;
  const hunks = mine.hunks;
  const lines = hunks.flatMap((h) => h.lines);
  const end = hunks.at(-1);
  const reachesEnd = numbered && base !== null && end !== undefined &&
    end.oldStart + Math.max(end.oldLines, 1) - 1 >= lineCount(base);
  return {
    path: own[0].path,
    absolutePath: absoluteToolPath(cwd, own[0].path),
    projectPath: projectPath(cwd, own[0].path),
    created,
    added: lines.filter((l) => l.startsWith("+")).length,
    removed: lines.filter((l) => l.startsWith("-")).length,
    calls: own.map((c) => ({ index: c.index, tool: c.tool, ok: c.ok, aborted: c.aborted })),
    numbered,
    unnumbered: numbered ? null : unnumbered,
    lastLineGuessed: !created && !endKnown && reachesEnd,
    hunks,
  };
}

/**
 * The hunks of a file's own calls, from `base` (null: not known). While
 * the text is known, what the calls made of it is one diff; where it is
 * lost (an edit that does not fit it, a call with no result) that diff
 * ends, and each later call is hunks of its own, until a write makes the
 * text known again. `lost`: why it was first lost, or null.
 */
function ownHunks(
  base: string | null,
  calls: FileChange[],
): { hunks: StructuredPatchHunk[]; lost: string | null } {
  const hunks: StructuredPatchHunk[] = [];
  let lost: string | null = null;
  let [from, now] = [base, base];
  const close = () => {
    if (from !== null && now !== null) {
      hunks.push(...structuredPatch("", "", from, now, undefined, undefined, { context: 3 }).hunks);
    }
    from = now = null;
  };
  for (const c of calls) {
    if (c.aborted && now !== null) {
      lost ??= UNNUMBERED.noResult;
      close();
    }
    if (!c.ok) continue;
    const after = applied(now, c);
    if (now !== null && after === null) {
      lost ??= UNNUMBERED.noMatch;
      close();
    }
    if (now === null) {
      hunks.push(...callHunks(c));
      [from, now] = [after, after]; // a write's content, else still nothing
    } else now = after;
  }
  close();
  return { hunks, lost };
}

/**
 * The files a session changed itself (a fork's inherited calls only give
 * the text its own start from), in the order it first changed them. Needs
 * the state of a fold run with texts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyFileChanges } from "./file_changes.ts";
 * import { fileDiffs } from "./file_diffs.ts";
 *
 * const st = emptyFileChanges();
 * st.changes.push({
 *   path: "a.txt", index: 1, tool: "edit", ok: true, aborted: false, time: "", inherited: false,
 *   edits: [{ oldText: "two", newText: "2" }], content: null,
 *   before: { index: 0, text: "one\ntwo\nthree\n" },
 * });
 * const [d] = fileDiffs(st);
 * assert.deepEqual([d.added, d.removed, d.numbered], [1, 1, true]);
 * assert.deepEqual(d.hunks[0].lines, [" one", "-two", "+2", " three"]);
 * ```
 */
export function fileDiffs(st: FileChangesState): FileDiff[] {
  const byFile = new Map<string, FileChange[]>();
  for (const c of st.changes) {
    const key = toolPathKey(st.cwd, c.path);
    const list = byFile.get(key);
    if (list) list.push(c);
    else byFile.set(key, [c]);
  }
  const files: { at: number; diff: FileDiff }[] = [];
  for (const all of byFile.values()) {
    const own = all.filter((c) => !c.inherited);
    if (own.length > 0) files.push({ at: own[0].index, diff: fileDiff(st.cwd, all, own) });
  }
  return files.sort((a, b) => a.at - b.at).map((f) => f.diff);
}
