/**
 * A session's file changes as rows (what the index keeps and `blame`
 * lists): each `edit` or `write` call, a fork's copies flagged (they are its
 * parent's while the parent's file is there), with its path as given and
 * joined with the session's cwd.
 *
 * @module
 */
import type { NumberedChange } from "./change_scan.ts";
import { absoluteToolPath } from "./tool_paths.ts";

/** One `edit` or `write` call of a session. */
export interface ChangeRow {
  /** Its place among all of the session's changes, a fork's copies counted. */
  ordinal: number;
  /** The message holding the call (`show`'s `#N`). */
  index: number;
  tool: "edit" | "write";
  /** Its result came and is no error. */
  ok: boolean;
  /** No result (yet): an aborted turn. */
  aborted: boolean;
  /** The message's time, as written. */
  time: string;
  /** The path as the call gave it. */
  path: string;
  /** It joined with the session's cwd, normalised; "" when that cannot be known. */
  absolute: string;
  /** A fork's copy of its parent's call (before the fork point). */
  inherited: boolean;
}

/**
 * The changes as rows (a fork's copies flagged), their paths joined with `cwd`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { callRows } from "./change_rows.ts";
 *
 * const change = {
 *   path: "./a.go", index: 3, tool: "edit" as const, ok: true, aborted: false,
 *   time: "2026-11-01T10:00:00Z", inherited: false, edits: [], content: null,
 * };
 * const copied = { ...change, index: 1, inherited: true };
 * const rows = callRows("/src/app", [{ ordinal: 0, change: copied }, { ordinal: 1, change }]);
 * assert.deepEqual(rows.map((r) => [r.ordinal, r.absolute, r.inherited]), [
 *   [0, "/src/app/a.go", true],
 *   [1, "/src/app/a.go", false],
 * ]);
 * ```
 */
export function callRows(cwd: string, changes: readonly NumberedChange[]): ChangeRow[] {
  return changes.map(({ ordinal, change: c }) => ({
    ordinal,
    index: c.index,
    tool: c.tool,
    ok: c.ok,
    aborted: c.aborted,
    time: c.time,
    path: c.path,
    absolute: absoluteToolPath(cwd, c.path) ?? "",
    inherited: c.inherited,
  }));
}
