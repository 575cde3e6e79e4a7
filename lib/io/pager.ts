/**
 * Long output on a terminal goes through the user's pager, as `git log` does:
 * `$PAGER`, else `less -R`; `LESS=FRX` unless set, so a short text is just
 * printed and colours pass through. A pager that cannot start never costs
 * the output: it is printed directly, after one warning.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describeSystemError } from "../base/errors.ts";
import type { Output } from "./io.ts";

/** An output that is a pager's standard input. */
export interface Pager extends Output {
  /** Ends the input and waits for the user to quit the pager. */
  close(): Promise<void>;
}

/**
 * What is kept of the output until the pager is known to run, to print it
 * directly if the pager turns out not to start. A pager that cannot start
 * fails within milliseconds, long before this much is written (a pipe
 * holds 64 KiB); past it, the pager is taken to be running.
 */
const REPLAY_MAX = 4 << 20;

/**
 * Exit statuses with which a shell says it could not run the command: 127
 * not found, 126 found but not executable (POSIX). A pager the user quits
 * exits 0.
 */
const CANNOT_RUN = new Set([126, 127]);

/**
 * Starts the pager; `null` when there is none to start (then print
 * directly). A `$PAGER` whose program is not on `PATH` is not started: one
 * warning, and `null`. One that fails once started (the shell cannot run
 * it) is noticed when it exits: one warning, then everything written so far
 * and after goes to `terminal`. Once the user quits a pager that ran,
 * further writes are dropped quietly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryIO } from "./memory_io.ts";
 * import { openPager } from "./pager.ts";
 *
 * // No pager is started for a $PAGER that is not there: output goes to the terminal.
 * const warnings: string[] = [];
 * const warn = async (message: string) => void warnings.push(message);
 * const pager = await openPager({ PAGER: "nosuchpager -R", PATH: "" }, memoryIO().stdout, warn);
 * assert.equal(pager, null);
 * assert.deepEqual(warnings, [
 *   'Cannot start pager "nosuchpager -R": "nosuchpager" not found on PATH; printing directly',
 * ]);
 * ```
 */
export async function openPager(
  env: Record<string, string | undefined>,
  terminal: Output,
  warn: (message: string) => Promise<void> = () => Promise.resolve(),
): Promise<Pager | null> {
  // No $PAGER and no less installed: print directly rather than into a
  // shell that cannot find it.
  if (env.PAGER === undefined && !onPath("less", env.PATH ?? "")) return null;
  const command = env.PAGER === undefined ? "less -R" : env.PAGER;
  if (command.trim() === "" || command === "cat") return null;
  const missing = missingProgram(command, env.PATH ?? "");
  if (missing !== null) {
    await warn(`Cannot start pager "${command}": ${missing}; printing directly`);
    return null;
  }
  let child;
  try {
    child = spawn(command, {
      shell: true,
      stdio: ["pipe", "inherit", "inherit"],
      env: { ...env, LESS: env.LESS ?? "FRX" },
    });
  } catch (err) {
    await warn(`Cannot start pager "${command}": ${describeSystemError(err)}; printing directly`);
    return null;
  }
  const stdin = child.stdin!;
  let closed = false; // the pager is gone: drop further writes
  let direct = false; // the pager never ran: write to the terminal
  let replay: string[] | null = [];
  let replayBytes = 0;
  let replayed = Promise.resolve();
  const fallBack = (why: string): Promise<void> => {
    if (direct) return replayed;
    direct = true;
    const kept = replay ?? [];
    replay = null;
    replayed = (async () => {
      await warn(`Cannot start pager "${command}": ${why}; printing directly`);
      for (const text of kept) await terminal.write(text);
    })();
    return replayed;
  };
  // Settles once the pager is gone and, if it never ran, the kept output is
  // printed: writes and close() wait on it, so order is kept.
  const exited = new Promise<void>((done) => {
    child.on("exit", (code) => {
      const failed = code !== null && CANNOT_RUN.has(code) && replay !== null;
      (failed ? fallBack(`exit status ${code}`) : Promise.resolve()).then(() => {
        closed = true;
        done();
      });
    });
    child.on("error", (err) => {
      fallBack(describeSystemError(err)).then(() => {
        closed = true;
        done();
      });
    });
  });
  stdin.on("error", () => {
    // The pager closed its input: the user quit before the end (stop
    // quietly), or it never ran (the exit handler prints what it missed).
  });
  const write = async (text: string): Promise<void> => {
    if (direct) {
      await replayed; // what the pager missed comes first
      return terminal.write(text);
    }
    if (closed) return;
    if (replay !== null) {
      replay.push(text);
      replayBytes += text.length;
      if (replayBytes > REPLAY_MAX) replay = null;
    }
    if (stdin.write(text)) return;
    await new Promise<void>((resolve) => {
      const ready = () => resolve();
      stdin.once("drain", ready);
      exited.then(ready);
    });
  };
  return {
    isTTY: true,
    columns: terminal.columns,
    write,
    writeBytes(bytes: Uint8Array): Promise<void> {
      return write(new TextDecoder().decode(bytes));
    },
    async close(): Promise<void> {
      if (!closed && !stdin.writableEnded) stdin.end();
      await exited;
    },
  };
}

/**
 * Why the program of a shell command cannot be run, or null if it can (or
 * the command is more than a program and its arguments, and only the shell
 * can tell). The first word is looked up as the shell would: a path as it
 * is (from this process's directory, the shell's), a name on `PATH`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { missingProgram } from "./pager.ts";
 *
 * const PATH = "/usr/bin:/bin";
 * assert.equal(missingProgram("nosuchpager -R", PATH), '"nosuchpager" not found on PATH');
 * assert.equal(missingProgram("less -R | cat", PATH), null); // the shell's business
 * ```
 */
export function missingProgram(command: string, path: string): string | null {
  const first = /^\s*(\S+)/.exec(command)?.[1] ?? "";
  // Quotes, variables, assignments, redirections: the shell's business.
  if (first === "" || /["'`$\\=<>|;&(){}*?[\]~]/.test(first)) return null;
  if (SHELL_WORDS.has(first)) return null;
  const what = first === command.trim() ? "" : `"${first}" `;
  if (first.includes("/")) return existsSync(first) ? null : `${what}not found`;
  return onPath(first, path) ? null : `${what}not found on PATH`;
}

/** Words a shell runs itself, never found on PATH. */
const SHELL_WORDS = new Set(["exec", "command", "eval", "builtin", ".", "source"]);

/** Windows finds `less` as `less.exe`; elsewhere these never match more. */
const EXTENSIONS = ["", ".exe", ".cmd", ".bat", ".com"];

function onPath(program: string, path: string): boolean {
  return path.split(delimiter).some((dir) =>
    dir !== "" && EXTENSIONS.some((ext) => existsSync(join(dir, program + ext)))
  );
}
