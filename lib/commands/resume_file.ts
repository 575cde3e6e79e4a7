/**
 * Resuming a session file once it is known: `zot --session PATH` run in the
 * session's project directory, with the terminal, or the command printed.
 * What `resume` does after resolving its reference, and what `pick` does on
 * Enter: one code for both. Not a verb.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import type { Context } from "./context.ts";
import { missingProgram } from "../io/pager.ts";
import { describeSystemError, RuntimeError } from "../base/errors.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import { cdCommand, shellPath, shellQuote } from "../render/shell.ts";

/**
 * The command that resumes a session: into its project directory, then zot
 * on the file, each word quoted for bash and zsh with no control character
 * left in the text (the directory comes from the transcript).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resumeCommand } from "./resume_file.ts";
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
 * Resumes `file` in zot (or, with `print`, prints the command that does):
 * exports and gc's archives are refused (zot would append to them); a
 * session that names no directory, a directory that is gone, or zot not on
 * PATH is said on stderr with the command to run by hand (exit 1). Resolves
 * to the exit code (zot's, when it ran).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryIO } from "../io/memory_io.ts";
 * import { parseFlags } from "./args.ts";
 * import { GLOBAL_OPTIONS, makeContext } from "./context.ts";
 * import { resumeFile } from "./resume_file.ts";
 *
 * const ctx = await makeContext(memoryIO(), parseFlags([], GLOBAL_OPTIONS, false));
 * const file = { path: "/h/s/x.zotsession", dir: "", bytes: 0, mtimeMs: 0 };
 * await assert.rejects(resumeFile(ctx, file, false), /an export \(zot would append to it\)/);
 * ```
 */
export async function resumeFile(ctx: Context, file: SessionFile, print: boolean): Promise<number> {
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
  if (print) {
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
