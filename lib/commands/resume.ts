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
import { resumeFile } from "./resume_file.ts";

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const ref = flags.positionals[0];
  if (ref === undefined) {
    throw new UsageError("Cannot resume: give a session (an id, a path, latest)");
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
latest~N, as for show.

Options:
      --print     print the command (shell-quoted) instead of running it
  -a, --all       latest~N among all projects

Examples:
  zot-sessions resume 89166dff
  eval "$(zot-sessions resume latest --print)"`,
  run,
};
