/**
 * `blame`'s output: one row per change (its time, session, message number,
 * tool, result and the session's title; with `--all` its project), then the
 * command that shows the newest in context; or one JSON object per change
 * and line. Titles and paths come from transcripts: sanitised for the
 * terminal in text, escaped as JSON.
 *
 * @module
 */
import type { FieldDocs } from "../base/field_docs.ts";
import { clockIn } from "../base/calendar.ts";
import { parseRfc3339 } from "../base/time.ts";
import type { BlameChange } from "../sessions/blame.ts";
import type { Palette } from "./color.ts";
import { formatProject } from "./format.ts";
import { jsonForTerminal, sanitizeForTerminal } from "./sanitize.ts";
import { renderTable } from "./table.ts";
import { truncatePathToWidth } from "./width.ts";

/** One line of `blame --json` (field order is the contract). */
export interface BlameJson {
  id: string;
  shortId: string;
  path: string;
  cwd: string;
  index: number;
  tool: "edit" | "write";
  file: string;
  time: string;
  ok: boolean;
}

/** What each field of `blame --json` means (`zot-sessions help json`). */
export const BLAME_FIELDS: FieldDocs<BlameJson> = {
  id: "the session id",
  shortId: "its first 8 characters",
  path: "the session file's absolute path",
  cwd: "the session's project",
  index: "the message holding the call, as show --json and show --around count them",
  tool: "edit or write",
  file: "the changed file as the call named it (relative to cwd, or absolute)",
  time: "the message's time, as zot wrote it (RFC 3339, with its offset)",
  ok: "the call's result came and is no error (false: failed, or no result)",
};

/**
 * A change's line of `blame --json`; `terminal`: stdout is one (see `jsonForTerminal`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blameJson } from "./blame.ts";
 *
 * const c = {
 *   session: "/h/s.jsonl", id: "89166dff-3239", cwd: "/src", title: null, ordinal: 0, index: 19,
 *   tool: "edit" as const, ok: true, aborted: false, time: "2026-10-06T10:00:00+02:00",
 *   path: "a.go", absolute: "/src/a.go", inherited: false,
 * };
 * assert.equal(
 *   blameJson(c, false),
 *   '{"id":"89166dff-3239","shortId":"89166dff","path":"/h/s.jsonl","cwd":"/src","index":19,' +
 *     '"tool":"edit","file":"a.go","time":"2026-10-06T10:00:00+02:00","ok":true}\n',
 * );
 * ```
 */
export function blameJson(c: BlameChange, terminal: boolean): string {
  const json: BlameJson = {
    id: c.id,
    shortId: c.id.slice(0, 8),
    path: c.session,
    cwd: c.cwd,
    index: c.index,
    tool: c.tool,
    file: c.path,
    time: c.time,
    ok: c.ok,
  };
  return jsonForTerminal(JSON.stringify(json), terminal) + "\n";
}

/** How a change's result reads. */
function resultText(c: BlameChange): string {
  return c.ok ? "ok" : c.aborted ? "no result" : "failed";
}

/**
 * `blame`'s table, then the command that shows the newest change in
 * context (`showNewest`, already quoted for a shell).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { blameText } from "./blame.ts";
 *
 * const c = {
 *   session: "/h/s.jsonl", id: "89166dff-3239", cwd: "/src", title: "fix\x1b[2J it", ordinal: 0,
 *   index: 19, tool: "edit" as const, ok: false, aborted: false, time: "2026-10-06T10:00:00+02:00",
 *   path: "a.go", absolute: "/src/a.go", inherited: false,
 * };
 * const o = { palette: palette(false), tz: "UTC", all: false, showNewest: "zot-sessions show 89166dff --around 19" };
 * assert.equal(
 *   blameText([c], o),
 *   "TIME                 SESSION   MESSAGE  TOOL  RESULT  TITLE\n" +
 *     "2026-10-06 08:00:00  89166dff  #19      edit  failed  fix\u241b[2J it\n" +
 *     "\nThe newest in context: zot-sessions show 89166dff --around 19\n",
 * );
 * ```
 */
export function blameText(
  changes: BlameChange[],
  o: {
    palette: Palette;
    tz: string;
    /** `--all`: each row names its project. */
    all: boolean;
    width?: number;
    userHome?: string;
    showNewest: string;
  },
): string {
  const p = o.palette;
  const rows = changes.map((c) => {
    const t = parseRfc3339(c.time);
    return [
      // Seconds always, :00 too: one width for every time of the table.
      t === null ? sanitizeForTerminal(c.time, true) : wallTimeText(t, o.tz),
      sanitizeForTerminal(c.id.slice(0, 8), true),
      `#${c.index}`,
      c.tool,
      resultText(c),
      ...(o.all ? [formatProject(c.cwd, o.userHome)] : []),
      sanitizeForTerminal(c.title ?? "", true),
    ];
  });
  const result = (t: string) =>
    t.startsWith("ok") ? p.green(t) : t.startsWith("failed") ? p.red(t) : p.yellow(t);
  const table = renderTable(
    [
      { header: "TIME" },
      { header: "SESSION" },
      { header: "MESSAGE", align: "left" },
      { header: "TOOL" },
      { header: "RESULT", style: result },
      ...(o.all
        ? [{ header: "PROJECT", minWidth: 12, cut: truncatePathToWidth, dropOrder: 2 }]
        : []),
      { header: "TITLE", flex: true, dropOrder: 1 },
    ],
    rows,
    { palette: p, width: o.width },
  );
  return `${table}\nThe newest in context: ${o.showNewest}\n`;
}

/** `YYYY-MM-DD HH:MM:SS` of an instant in a zone. */
function wallTimeText(ms: number, tz: string): string {
  const c = clockIn(ms, tz);
  return `${c.date} ${c.time}`;
}
