/**
 * Opening a file in the user's browser (`pick`'s Ctrl-O): `$BROWSER` when
 * set (a list of commands separated by `:`, the first on PATH used; `%s`
 * stands for the file, else it is added at the end), else the system's
 * opener: `xdg-open`, `open` on macOS, `start` on Windows. The browser runs
 * on its own: it is not waited for, and its output is thrown away (it
 * would draw over the picker).
 *
 * Why not the npm `open` package: it does not read `$BROWSER`, which the
 * issue asks for, and its own `xdg-open` copy is a file beside its module,
 * which a compiled binary does not carry.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { missingProgram } from "./pager.ts";

/** A command that opens a file, as a program and its arguments. */
export interface Opener {
  program: string;
  args: string[];
}

/**
 * The command that opens `target`, or a reason why there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { browserCommand } from "./browser.ts";
 *
 * assert.deepEqual(browserCommand("/tmp/s.html", { BROWSER: "firefox --new-tab %s" }, "linux", () => true), {
 *   program: "firefox", args: ["--new-tab", "/tmp/s.html"],
 * });
 * assert.deepEqual(browserCommand("/tmp/s.html", {}, "darwin", () => true), {
 *   program: "open", args: ["/tmp/s.html"],
 * });
 * assert.equal(
 *   browserCommand("/tmp/s.html", {}, "linux", () => false),
 *   "no browser: set $BROWSER or install xdg-open",
 * );
 * ```
 */
export function browserCommand(
  target: string,
  env: Record<string, string | undefined>,
  platform: string,
  runnable: (program: string) => boolean = (p) => missingProgram(p, env.PATH ?? "") === null,
): Opener | string {
  for (const command of (env.BROWSER ?? "").split(":")) {
    const words = command.trim().split(/\s+/).filter((w) => w !== "");
    if (words.length === 0 || !runnable(words[0])) continue;
    const [program, ...rest] = words;
    const args = rest.some((w) => w.includes("%s"))
      ? rest.map((w) => w.replaceAll("%s", target))
      : [...rest, target];
    return { program, args };
  }
  if (platform === "darwin") return { program: "open", args: [target] };
  if (platform === "win32") return { program: "cmd", args: ["/c", "start", '""', target] };
  if (runnable("xdg-open")) return { program: "xdg-open", args: [target] };
  return "no browser: set $BROWSER or install xdg-open";
}

/**
 * Starts `opener` on its own (not waited for, no terminal). Resolves once
 * it started; rejects when it could not be.
 */
export function startBrowser(
  opener: Opener,
  env: Record<string, string | undefined>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(opener.program, opener.args, {
      env,
      detached: true,
      stdio: "ignore",
    });
    child.once("error", reject);
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
