/**
 * How many change rows a session file has for each edited file, kept in
 * its checksummed `files` row: `blame` finds change rows by the edited
 * file's path, so a row altered or deleted would otherwise go unseen (its
 * own checksum is never read). The counts are kept in two parts, those of
 * the rows before the change scan's base (final: kept as they are when the
 * file grows) and those from it on (replaced when it grows), so that they
 * are brought up to date from the row's own counts, not from the rows.
 *
 * @module
 */
import type { ChangeRow } from "../transcript/change_rows.ts";

/** Rows per edited file (absolute path), before the change scan's base and from it on. */
export interface OwnPaths {
  final: Record<string, number>;
  tail: Record<string, number>;
}

/**
 * The counts after rows from place `from` on were replaced by `rows`, the
 * change scan's base being `base` now; `prior`: the row's counts before
 * (null when the file was read whole).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedRows, nextOwnPaths } from "./own_paths.ts";
 *
 * const row = (ordinal: number, absolute: string) => ({ ordinal, absolute }) as never;
 * const first = nextOwnPaths(null, [row(0, "/a"), row(2, "/b")], 1);
 * assert.deepEqual(first, { final: { "/a": 1 }, tail: { "/b": 1 } });
 * const next = nextOwnPaths(first, [row(2, "/b"), row(3, "/a")], 4);
 * assert.equal(expectedRows(next, "/a"), 2);
 * assert.equal(expectedRows(next, "/b"), 1);
 * ```
 */
export function nextOwnPaths(
  prior: OwnPaths | null,
  rows: readonly ChangeRow[],
  base: number,
): OwnPaths {
  const final = { ...prior?.final };
  const tail: Record<string, number> = {};
  for (const r of rows) {
    const into = r.ordinal < base ? final : tail;
    into[r.absolute] = (into[r.absolute] ?? 0) + 1;
  }
  return { final, tail };
}

/**
 * How many change rows of the file are for `absolute`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedRows } from "./own_paths.ts";
 *
 * assert.equal(expectedRows({ final: { "/a": 2 }, tail: { "/a": 1 } }, "/a"), 3);
 * assert.equal(expectedRows({ final: {}, tail: {} }, "/a"), 0);
 * ```
 */
export function expectedRows(paths: OwnPaths, absolute: string): number {
  return (Object.hasOwn(paths.final, absolute) ? paths.final[absolute] : 0) +
    (Object.hasOwn(paths.tail, absolute) ? paths.tail[absolute] : 0);
}
