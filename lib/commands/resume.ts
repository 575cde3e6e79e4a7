/**
 * `zot-sessions resume REF`: runs `zot --session PATH` in the session's
 * project directory, so zot goes on appending to that session.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { checkHomes } from "../sessions/scope.ts";
import { missingProgram } from "../io/pager.ts";
import { describeSystemError, RuntimeError, UsageError } from "../base/errors.ts";
import { parseRef, refScope, resolveRef } from "../sessions/refs.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import { cdCommand, commandLine, shellPath, shellQuote } from "../render/shell.ts";

/**
 * The command that resumes a session: into its project directory, then zot
 * on the file, each word quoted for bash and zsh with no control character
 * left in the text (the directory comes from the transcript).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resumeCommand } from "./resume.ts";
 *
 * assert.equal(resumeCommand("/src/app", "/h/s/x.jsonl"), "cd -- /src/app && zot --session /h/s/x.jsonl");
 * assert.equal(resumeCommand("-P", "/h/s/x.jsonl"), "cd -- ./-P && zot --session /h/s/x.jsonl");
 * ```
 */
export function resumeCommand(dir: string, path: string): string {
  return `${cdCommand(dir)} && zot --session ${shellQuote(shellPath(path))}`;
}

/** Runs `program` with the terminal, in `cwd`; resolves to its exit code. */
function runProgram(
  program: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: "inherit" });
    child.on("error", reject);
    // Killed by a signal: 128 + its number, as a shell reports it.
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 129 : 1)));
  });
}

/**
 * `resume` without a session: a usage error whose hint is the command for
 * the newest one. On a terminal (standard input and standard error, where a
 * list could be shown and answered even inside `$(… --print)`), a list to
 * choose from will open here (issue 23); until it does, the same error
 * without the reason that holds only where there is no terminal.
 */
function noSessionGiven(ctx: Context, flags: ParsedFlags): UsageError {
  // The user's scope, paths absolute, so the commands paste anywhere.
  const scope = [...(flags.values.all === true ? ["--all"] : []), ...ctx.scopeArgs];
  const print = flags.values.print === true ? ["--print"] : [];
  const latest = commandLine(["resume", "latest", ...print, ...scope]);
  const ls = commandLine(["ls", ...scope]);
  const what = "Cannot resume: give a session (an id, a path, latest or latest~N)";
  if (ctx.stdinIsTTY && ctx.stderr.isTTY) {
    return new UsageError(what, `the newest: "${latest}"; to find another: "${ls}"`);
  }
  return new UsageError(
    `${what}; with no terminal there is no list to choose from`,
    `the newest: "${latest}"`,
  );
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const ref = flags.positionals[0];
  if (ref === undefined) throw noSessionGiven(ctx, flags);
  if (flags.positionals.length > 1) {
    throw new UsageError(`Cannot resume "${flags.positionals[1]}": give one session`);
  }
  parseRef(ref);
  await checkHomes(ctx.scope);
  const file = await resolveRef(ref, refScope(ctx.scope, flags.values.all === true, true));
  if (/\.zotsession$/i.test(file.path)) {
    throw new RuntimeError(
      `Cannot resume "${file.path}": an export (zot would append to it); copy it into a project's sessions directory as a .jsonl and resume that, or read it with "zot-sessions show"`,
    );
  }
  if (/\.gz$/i.test(file.path)) {
    throw new RuntimeError(
      `Cannot resume "${file.path}": an archive gc made (zot would append to it); decompress it back into its project's sessions directory (gunzip -k) and resume that`,
    );
  }
  const { summary } = await ctx.scope.source.scan(file);
  const dir = summary.meta?.cwd ?? "";
  const command = resumeCommand(dir || ".", file.path);
  if (flags.values.print === true) {
    await ctx.stdout.write(command + "\n");
    return 0;
  }
  const say = (why: string) =>
    ctx.stderr.write(
      `zot-sessions: ${sanitizeForTerminal(why, true)}; run it yourself:\n${command}\n`,
    );
  if (dir === "") {
    await say(`Cannot resume "${file.path}": it names no project directory`);
    return 1;
  }
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    await say(`Cannot resume in "${dir}": the project directory is gone`);
    return 1;
  }
  const missing = missingProgram("zot", ctx.env.PATH ?? "");
  if (missing !== null) {
    await say(`Cannot run "zot": ${missing}`);
    return 1;
  }
  try {
    return await runProgram("zot", ["--session", file.path], dir, ctx.env);
  } catch (err) {
    await say(`Cannot run "zot": ${describeSystemError(err)}`);
    return 1;
  }
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
