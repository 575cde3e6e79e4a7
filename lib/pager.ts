/**
 * Long output on a terminal goes through the user's pager, as `git log` does:
 * `$PAGER`, else `less -R`; `LESS=FRX` unless set, so a short text is just
 * printed and colours pass through.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { Output } from "./io.ts";

/** An output that is a pager's standard input. */
export interface Pager extends Output {
  /** Ends the input and waits for the user to quit the pager. */
  close(): Promise<void>;
}

/**
 * Starts the pager; `null` if it cannot be started (then print directly).
 * Once the user quits it, further writes are dropped quietly.
 *
 * @example
 * const pager = openPager(ctx.env, ctx.stdout);
 */
export function openPager(
  env: Record<string, string | undefined>,
  terminal: Output,
): Pager | null {
  // No $PAGER and no less installed: print directly rather than into a
  // shell that cannot find it.
  if (env.PAGER === undefined && !onPath("less", env.PATH ?? "")) return null;
  const command = env.PAGER === undefined ? "less -R" : env.PAGER;
  if (command === "" || command === "cat") return null;
  let child;
  try {
    child = spawn(command, {
      shell: true,
      stdio: ["pipe", "inherit", "inherit"],
      env: { ...env, LESS: env.LESS ?? "FRX" },
    });
  } catch {
    return null;
  }
  let closed = false;
  const exited = new Promise<void>((resolve) => {
    child.on("exit", () => {
      closed = true;
      resolve();
    });
    child.on("error", () => {
      closed = true;
      resolve();
    });
  });
  child.stdin!.on("error", () => {
    closed = true; // the user quit before the end: stop quietly
  });
  return {
    isTTY: true,
    columns: terminal.columns,
    write(text: string): Promise<void> {
      if (closed) return Promise.resolve();
      if (child.stdin!.write(text)) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => resolve();
        child.stdin!.once("drain", done);
        exited.then(done);
      });
    },
    writeBytes(bytes: Uint8Array): Promise<void> {
      return this.write(new TextDecoder().decode(bytes));
    },
    async close(): Promise<void> {
      if (!closed) child.stdin!.end();
      await exited;
    },
  };
}

function onPath(program: string, path: string): boolean {
  return path.split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, program)));
}
