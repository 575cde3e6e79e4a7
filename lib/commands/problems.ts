/**
 * How `ls` and `cost` report what they met: one warning per problem, except
 * damage already warned about. The first run that meets a file's damaged
 * lines warns about them as always; a later run meeting the same file at
 * the same size and mtime (the index remembers, see
 * lib/index/damage_store.ts) says it in one line for all such files,
 * pointing to `ls --damaged`. Without the index (`--no-index`, a cache that
 * cannot be used) nothing is remembered: every run warns line by line.
 *
 * @module
 */
import type { Context } from "./context.ts";
import { commandLine } from "../render/shell.ts";
import type { Problem } from "../sessions/load.ts";

/**
 * The one line for damage warned about before: how many sessions, and the
 * command that lists them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { damagedSummary } from "./problems.ts";
 *
 * assert.equal(
 *   damagedSummary(2, false, ["--all", "--home", "/my zot"]),
 *   "2 sessions have damaged lines (zot-sessions ls --damaged --all --home '/my zot')",
 * );
 * assert.equal(damagedSummary(1, true, []), "1 more session has damaged lines (zot-sessions ls --damaged)");
 * ```
 */
export function damagedSummary(count: number, more: boolean, scope: readonly string[]): string {
  const sessions = `${count} ${more ? "more " : ""}session${count === 1 ? " has" : "s have"}`;
  return `${sessions} damaged lines (${commandLine(["ls", "--damaged", ...scope])})`;
}

/**
 * Warns about `problems` (nothing with `--quiet`): each one in a line,
 * damage already warned about in one line for all of it (with the scope
 * flags given, `all` for `--all`). The damage warned about line by line is
 * remembered as warned.
 */
export async function reportProblems(
  ctx: Context,
  all: boolean,
  problems: Problem[],
): Promise<void> {
  if (ctx.quiet) return; // not shown, so not remembered as warned
  const damaged = problems.flatMap((p) => p.damage ? [p.damage.file] : []);
  const warned = damaged.length > 0
    ? await ctx.scope.source.warnedDamage(damaged, true)
    : new Set<string>();
  let said = 0;
  let quiet = 0;
  for (const p of problems) {
    if (p.damage && warned.has(p.damage.file.path)) {
      quiet++;
      continue;
    }
    if (p.damage) said++;
    await ctx.warn(p.message);
  }
  if (quiet === 0) return;
  // Written as it is, not through warn(), which would fold a path's spaces:
  // the hint is shell-quoted, with no control character left in it.
  await ctx.stderr.write(
    `zot-sessions: warning: ${
      damagedSummary(quiet, said > 0, [...(all ? ["--all"] : []), ...ctx.scopeArgs])
    }\n`,
  );
}
