/**
 * `zot-sessions resume REF`: runs `zot --session PATH` in the session's
 * project directory, so zot goes on appending to that session.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { checkHomes } from "../sessions/scope.ts";
import { UsageError } from "../base/errors.ts";
import { parseRef, refScope, resolveRef } from "../sessions/refs.ts";
import { commandLine } from "../render/shell.ts";
import { resumeFile } from "./resume_file.ts";
import { runPicker } from "./picker.ts";

/**
 * `resume` without a session and without a terminal: a usage error whose
 * hint is the command for the newest one. On a terminal
 * (standard input and standard error, where a list can be shown and
 * answered even inside `$(… --print)`) `resume` opens pick's list instead.
 */
function noSessionGiven(ctx: Context, flags: ParsedFlags): UsageError {
  // The user's scope, paths absolute, so the commands paste anywhere.
  const scope = [...(flags.values.all === true ? ["--all"] : []), ...ctx.scopeArgs];
  const print = flags.values.print === true ? ["--print"] : [];
  const latest = commandLine(["resume", "latest", ...print, ...scope]);
  const what = "Cannot resume: give a session (an id, a path, latest or latest~N)";
  return new UsageError(
    `${what}; with no terminal there is no list to choose from`,
    `the newest: "${latest}"`,
  );
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const ref = flags.positionals[0];
  if (ref === undefined) {
    // On a terminal, the list to choose from (pick's); else a usage error.
    if (ctx.stdinIsTTY && ctx.stderr.isTTY) {
      const o = { all: flags.values.all === true, query: "", print: flags.values.print === true };
      return await runPicker(ctx, o, flags);
    }
    throw noSessionGiven(ctx, flags);
  }
  if (flags.positionals.length > 1) {
    throw new UsageError(`Cannot resume "${flags.positionals[1]}": give one session`);
  }
  parseRef(ref);
  await checkHomes(ctx.scope);
  const file = await resolveRef(ref, refScope(ctx.scope, flags.values.all === true, true));
  // What is done with the file is pick's Enter too (resume_file.ts).
  return await resumeFile(ctx, file, flags.values.print === true);
}

/** The `resume` verb. */
export const resume: Command = {
  name: "resume",
  summary: "go back into a session with zot",
  allowPositionals: true,
  positionals: { kind: "session" },
  options: {
    print: { type: "boolean" },
    all: { type: "boolean", short: "a" },
  },
  help: `Usage: zot-sessions resume REF [--print]

Run "zot --session PATH" in the session's project directory (the one its
latest meta line names): zot opens the session and appends to it. If zot
is not on PATH or the directory is gone, says so and prints the command.
Exports (.zotsession) and gc's archives (.jsonl.gz) are refused: zot would
append to them.

REF: a session id, an id prefix (4+ hex characters), a path, latest or
latest~N, as for show. Without one: a usage error naming the command for
the newest session.

Options:
      --print     print the command (shell-quoted) instead of running it
  -a, --all       latest~N among all projects

Examples:
  zot-sessions resume 89166dff
  zot-sessions resume latest
  eval "$(zot-sessions resume latest --print)"`,
  run,
};
