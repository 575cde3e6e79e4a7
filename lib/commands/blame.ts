/**
 * `zot-sessions blame PATH`: the sessions, and their messages, that edited
 * or wrote a file with zot's own tools, newest first: from the index's rows
 * (no transcript read unless it changed), or with `--no-index` from the
 * files, with the same answer.
 *
 * @module
 */
import { posix } from "node:path";
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { UsageError } from "../base/errors.ts";
import { checkHomes } from "../sessions/scope.ts";
import { type BlameChange, blameChanges } from "../sessions/blame.ts";
import { blameJson, blameText } from "../render/blame.ts";
import { commandLine, elsewhereHint } from "../render/shell.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import { timeZoneFlag, ZONE_OPTIONS, ZONE_VALUES } from "./zone_flag.ts";

/**
 * The file asked about, absolute and normalised: a relative one is taken
 * from the project's directory (the current one as zot names it, or
 * `--cwd`), the directory zot's relative paths are from. Links are not
 * followed: a transcript names files as zot was given them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blamedPath } from "./blame.ts";
 *
 * assert.equal(blamedPath("./src/../a.go", () => "/p"), "/p/a.go");
 * assert.equal(blamedPath("/etc//hosts/", () => assert.fail("no project needed")), "/etc/hosts");
 * ```
 */
export function blamedPath(path: string, project: () => string): string {
  return posix.isAbsolute(path) ? posix.resolve(path) : posix.resolve(project(), path);
}

/** The command that shows a change in context, with this run's scope flags. */
function showCommand(c: BlameChange, scopeArgs: readonly string[]): string {
  const short = c.id.slice(0, 8);
  // An id from the file is untrusted: one no reference can name is shown by its path.
  const ref = /^[0-9a-f]{8}$/i.test(short) ? short : c.session;
  return commandLine(["show", ref, "--around", String(c.index), ...scopeArgs]);
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const [path, more] = flags.positionals;
  if (path === undefined || path === "") throw new UsageError("Cannot blame nothing: give a file");
  if (more !== undefined) throw new UsageError(`Cannot blame "${more}" too: give one file`);
  const all = flags.values.all === true;
  const tz = timeZoneFlag(flags, ctx.env);
  await checkHomes(ctx.scope);
  const target = blamedPath(path, () => ctx.scope.cwd);
  const progress = ctx.progress;
  let found;
  try {
    found = await blameChanges(ctx.scope, target, all, progress.update);
  } finally {
    await progress.clear();
  }
  for (const p of found.problems) await ctx.warn(p);
  const { changes } = found;
  if (ctx.json) {
    await ctx.stdout.write(changes.map((c) => blameJson(c, ctx.stdout.isTTY)).join(""));
  } else if (changes.length > 0) {
    await ctx.stdout.write(blameText(changes, {
      palette: ctx.palette,
      tz,
      all,
      width: ctx.width,
      userHome: ctx.userHome,
      showNewest: showCommand(changes[0], ctx.scopeArgs),
    }));
  } else if (!ctx.quiet) {
    const where = all ? "" : ` of "${ctx.scope.cwd}"`;
    await ctx.stderr.write(
      sanitizeForTerminal(`No session${where} changed "${target}" with edit or write.`, true) +
        "\n",
    );
    if (found.elsewhere > 0) {
      const words = ["blame", target, "--all", ...ctx.scopeArgs];
      await ctx.stderr.write(elsewhereHint(found.elsewhere, words));
    }
  }
  return changes.length > 0 ? 0 : 1;
}

/** The `blame` verb. */
export const blame: Command = {
  name: "blame",
  summary: "list the sessions that changed a file, newest first",
  env: ["COLUMNS", "TZ"],
  exitCodes: { 0: "changes found", 1: "none (or a failure)" },
  allowPositionals: true,
  positionals: { kind: "file" },
  options: {
    all: { type: "boolean", short: "a" },
    ...ZONE_OPTIONS,
  },
  values: { ...ZONE_VALUES },
  help: `Usage: zot-sessions blame PATH [options]

List the sessions that changed PATH with zot's edit and write tools, newest
first: one line per call, with its time, the session, the message holding
it (#N, as show numbers them), the tool, whether it succeeded ("failed": its
result is an error; "no result": an aborted turn) and the session's title;
then the command that shows the newest in context. A relative PATH is taken
from the project's directory (the current one, or --cwd), and matches what a
session named relative to its own directory or absolutely. The sessions of
the directories above that hold PATH are looked at too (a subdirectory of
a project finds the project's). A fork's copied
calls (before its fork point) are its parent's, listed once (as the fork's
when the parent's file is gone). Shell commands
may have changed the file too: they are not listed (changes REF counts them).
Exit status: 0 with changes, 1 with none.

It answers from the index, which keeps each session's edit and write calls
(zot-sessions index --help): only sessions that changed since are read.
With --no-index every session is read, with the same answer.

Options:
  -a, --all        every project's sessions (adds the project to each line)
      --tz ZONE    the zone of the times shown (default: $TZ, else the system's)
      --utc        the same as --tz UTC
      --json       one JSON object per change and line: {id, shortId, path,
                   cwd, index, tool, file, time, ok} (path: the session file;
                   file: as the call named it)

Examples:
  zot-sessions blame src/api/cart.ts
  zot-sessions blame /home/dev/web-shop/src/api/cart.ts --all
  zot-sessions blame store/transfers.go --json | jq -r '"\\(.shortId) #\\(.index)"'`,
  run,
};
