/**
 * The edges of the process: where output goes and what the environment says.
 * Commands get these values and never reach for `process` themselves, so the
 * CLI runs in-process in tests with captured output.
 *
 * @module
 */
import { homedir } from "node:os";
import process from "node:process";
import { describeSystemError, RuntimeError } from "./errors.ts";

/** Somewhere to write text. */
export interface Output {
  write(text: string): Promise<void>;
  /** Writes bytes as they are (`--raw` to a pipe). */
  writeBytes(bytes: Uint8Array): Promise<void>;
  isTTY: boolean;
  /** Terminal width, when it is a terminal. */
  columns?: number;
}

/** Everything a command may know of the world it runs in. */
export interface IO {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  platform: string;
  userHome: string;
  /** The process's working directory; reading it throws when it was deleted. */
  processCwd: string;
  /** Milliseconds since the epoch, fixed for one run. */
  now: number;
  /** Rethrow errors instead of printing them (tests). */
  throwErrors?: boolean;
  /**
   * A signal that aborts on Ctrl-C or SIGTERM. Asking for it is what makes
   * the process catch those signals (only `tail -f` does, to end cleanly).
   */
  stopSignal(): AbortSignal;
}

function streamOutput(stream: NodeJS.WriteStream): Output {
  return {
    isTTY: Boolean(stream.isTTY),
    get columns() {
      return stream.isTTY ? stream.columns : undefined;
    },
    write(text: string): Promise<void> {
      if (stream.write(text)) return Promise.resolve();
      return new Promise((resolve) => stream.once("drain", () => resolve()));
    },
    writeBytes(bytes: Uint8Array): Promise<void> {
      // A copy: the caller's buffer is reused while the stream may still hold it.
      if (stream.write(bytes.slice())) return Promise.resolve();
      return new Promise((resolve) => stream.once("drain", () => resolve()));
    },
  };
}

/**
 * The real process's IO. A closed pipe (`zot-sessions ls | head -1`) ends the
 * process quietly with status 0, as `cat` or `git log` do.
 *
 * @example
 * const code = await runCli(process.argv.slice(2), processIO());
 */
export function processIO(): IO {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(0);
      throw err;
    });
  }
  let userHome = "";
  try {
    userHome = homedir();
  } catch {
    // No home directory known: FORMAT.md's last resort applies.
  }
  let stop: AbortController | undefined;
  return {
    stopSignal() {
      if (!stop) {
        const controller = stop = new AbortController();
        for (const sig of ["SIGINT", "SIGTERM"] as const) {
          process.once(sig, () => controller.abort());
        }
      }
      return stop.signal;
    },
    stdout: streamOutput(process.stdout),
    stderr: streamOutput(process.stderr),
    env: process.env,
    platform: process.platform,
    userHome,
    // Read when first needed: a deleted current directory must not stop
    // --version, --help or a verb given only absolute paths.
    get processCwd() {
      return currentDirectory();
    },
    now: fixedNow(process.env.ZOT_SESSIONS_NOW) ?? Date.now(),
  };
}

let cwdCache: string | undefined;

/**
 * The process's working directory, or a {@linkcode RuntimeError} saying it
 * is gone (a shell still in a removed directory) that points to `--cwd`.
 */
function currentDirectory(): string {
  if (cwdCache !== undefined) return cwdCache;
  try {
    return cwdCache = process.cwd();
  } catch (err) {
    const why = (err as { code?: string }).code === "ENOENT"
      ? "it was deleted"
      : describeSystemError(err);
    throw new RuntimeError(`Cannot find the current directory: ${why} (use --cwd)`);
  }
}

/**
 * The clock pinned by `ZOT_SESSIONS_NOW` (an ISO 8601 instant), so that the
 * README's examples, with their relative times, are reproduced exactly by a
 * test; undefined when unset or not a date.
 *
 * @example
 * fixedNow("2026-11-25T12:00:00Z") // 1795608000000
 */
export function fixedNow(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * An IO that captures output in strings (tests, and in-process use).
 *
 * @example
 * const io = memoryIO({ env: { ZOT_HOME: "/tmp/h" } }); await runCli(["ls"], io); io.out()
 */
export function memoryIO(overrides: Partial<IO> & { columns?: number; tty?: boolean } = {}): IO & {
  out(): string;
  err(): string;
} {
  const tty = overrides.tty ?? false;
  const stdout = capture(tty, tty ? overrides.columns ?? 100 : undefined);
  const stderr = capture(tty, undefined);
  return {
    stdout,
    stderr,
    env: {},
    platform: "linux",
    userHome: "/nonexistent-home",
    processCwd: "/",
    now: Date.parse("2026-11-25T12:00:00Z"),
    stopSignal: () => new AbortController().signal,
    ...overrides,
    out: () => stdout.text,
    err: () => stderr.text,
  };
}

/** An output that keeps what is written to it in `text`. */
function capture(isTTY: boolean, columns: number | undefined): Output & { text: string } {
  return {
    isTTY,
    columns,
    text: "",
    write(text) {
      this.text += text;
      return Promise.resolve();
    },
    writeBytes(bytes) {
      this.text += new TextDecoder().decode(bytes);
      return Promise.resolve();
    },
  };
}
