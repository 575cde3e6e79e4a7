/**
 * The edges of the process: where output goes and what the environment says.
 * Commands get these values and never reach for `process` themselves, so the
 * CLI runs in-process in tests with captured output.
 *
 * @module
 */
import { homedir, hostname } from "node:os";
import { isatty } from "node:tty";
import process from "node:process";
import { describeSystemError, RuntimeError } from "../base/errors.ts";

/** Somewhere to write text. */
export interface Output {
  /**
   * Resolves once the stream takes more; rejects with an
   * {@linkcode OutputError} once writing has failed (a full disk, a closed
   * pipe), and so does every later write.
   */
  write(text: string): Promise<void>;
  /** Writes bytes as they are (`--raw` to a pipe). */
  writeBytes(bytes: Uint8Array): Promise<void>;
  /**
   * Waits until everything written has reached the system; rejects if any
   * of it failed. A write can be accepted and fail afterwards (the last
   * one to a full disk): this is where that is noticed.
   */
  flush?(): Promise<void>;
  isTTY: boolean;
  /** Terminal width, when it is a terminal. */
  columns?: number;
}

/**
 * Writing to standard output or standard error failed. `code` is the
 * system's (`ENOSPC`, `EPIPE`, …); the CLI ends quietly with 0 on `EPIPE`
 * (`ls | head -1`), and otherwise with 1 and, if stderr still works, this
 * message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OutputError } from "./io.ts";
 *
 * const err = new OutputError("stdout", { code: "ENOSPC" });
 * assert.equal(err.message, "Cannot write to standard output: no space left on device");
 * assert.equal(err.code, "ENOSPC");
 * ```
 */
export class OutputError extends RuntimeError {
  override name = "OutputError";
  /** The system's error code, or "" when it gave none. */
  readonly code: string;
  /** Which stream failed. */
  readonly stream: "stdout" | "stderr";

  constructor(stream: "stdout" | "stderr", cause: unknown) {
    const what = stream === "stdout" ? "standard output" : "standard error";
    super(`Cannot write to ${what}: ${describeSystemError(cause)}`);
    this.stream = stream;
    const code = (cause as { code?: unknown })?.code;
    this.code = typeof code === "string" ? code : "";
  }
}

/** Everything a command may know of the world it runs in. */
export interface IO {
  stdout: Output;
  stderr: Output;
  /** Whether standard input is a terminal (someone could answer a question). */
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  platform: string;
  userHome: string;
  /** The process's working directory; reading it throws when it was deleted. */
  processCwd: string;
  /** This process's id (gc's lock names its holder). */
  pid: number;
  /** This process's user id (who owns the index's cache), or null where there is none. */
  uid: number | null;
  /** The machine's name (`cost --events`' host), or "" when the system gives none. */
  hostname: string;
  /** Milliseconds since the epoch, fixed for one run. */
  now: number;
  /**
   * A running clock (ms since the epoch) for waits and elapsed times: gc's
   * grace re-check and lock age, tail's polling, progress lines. It starts
   * at `now`, pinned or not.
   */
  clock(): number;
  /** Rethrow errors instead of printing them (tests). */
  throwErrors?: boolean;
  /**
   * A signal that aborts on Ctrl-C or SIGTERM, with the signal's name as
   * its reason. Asking for it is what makes the process catch those signals
   * (only `tail -f` does, to end cleanly, and `gc --yes`, to release its
   * lock and remove a partial copy).
   */
  stopSignal(): AbortSignal;
}

/**
 * An output over a Node-style stream that never waits forever: a write
 * resolves when the stream takes more, and rejects once the stream has
 * failed. The runtimes fail differently: Deno throws from `write()`; Bun
 * calls the write's callback with the error and emits "error" but never
 * "drain", on which the first version waited for ever (issue 9).
 */
function streamOutput(stream: NodeJS.WriteStream, name: "stdout" | "stderr"): Output {
  let failure: OutputError | null = null;
  /** Settles when the last write reached the system (or failed). */
  let last: Promise<void> = Promise.resolve();
  /** Wakes writes waiting for room. */
  const waiting = new Set<() => void>();
  const fail = (err: unknown) => {
    failure ??= err instanceof OutputError ? err : new OutputError(name, err);
    for (const wake of waiting) wake();
    waiting.clear();
  };
  // Without a listener, an "error" event is thrown from the event loop.
  stream.on("error", fail);
  const send = (data: string | Uint8Array): Promise<void> => {
    if (failure) return Promise.reject(failure);
    let done!: () => void;
    last = new Promise<void>((resolve) => done = resolve);
    let room: boolean;
    try {
      room = stream.write(data, (err) => {
        if (err) fail(err);
        done();
      });
    } catch (err) {
      fail(err);
      done();
    }
    if (failure) return Promise.reject(failure);
    if (room!) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        stream.off("drain", wake);
        waiting.delete(wake);
        if (failure) reject(failure);
        else resolve();
      };
      waiting.add(wake);
      stream.once("drain", wake);
      // The write's callback comes after "drain" when all is well, and in
      // place of it when the write failed.
      last.then(wake);
    });
  };
  return {
    isTTY: Boolean(stream.isTTY),
    get columns() {
      return stream.isTTY ? stream.columns : undefined;
    },
    write: (text: string) => send(text),
    // A copy: the caller's buffer is reused while the stream may still hold it.
    writeBytes: (bytes: Uint8Array) => send(bytes.slice()),
    async flush(): Promise<void> {
      await last;
      if (failure) throw failure;
    },
  };
}

/**
 * The real process's IO. A write that fails rejects (see
 * {@linkcode OutputError}); the CLI's one error handler decides what it
 * means, after the command's `finally` blocks (gc's lock) have run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { processIO } from "./io.ts";
 *
 * // main.ts runs the CLI with it: runCli(process.argv.slice(2), processIO()).
 * const io = processIO();
 * assert.equal(io.pid, process.pid);
 * ```
 */
export function processIO(): IO {
  let userHome = "";
  try {
    userHome = homedir();
  } catch {
    // No home directory known: FORMAT.md's last resort applies.
  }
  let stop: AbortController | undefined;
  const now = fixedNow(process.env.ZOT_SESSIONS_NOW) ?? Date.now();
  return {
    stopSignal() {
      if (!stop) {
        const controller = stop = new AbortController();
        for (const sig of ["SIGINT", "SIGTERM"] as const) {
          // The reason names the signal, for a message ("interrupted by SIGTERM").
          process.once(sig, () => controller.abort(sig));
        }
      }
      return stop.signal;
    },
    stdout: streamOutput(process.stdout, "stdout"),
    stderr: streamOutput(process.stderr, "stderr"),
    // isatty, not process.stdin: that would open a stream on it.
    stdinIsTTY: isatty(0),
    env: process.env,
    platform: process.platform,
    userHome,
    // Read when first needed: a deleted current directory must not stop
    // --version, --help or a verb given only absolute paths.
    get processCwd() {
      return currentDirectory();
    },
    pid: process.pid,
    uid: process.getuid?.() ?? null,
    hostname: machineName(),
    now,
    // One clock for the whole run: it starts at `now` (pinned or not) and
    // moves with the monotonic clock, so a pinned run ages files, locks and
    // grace periods by the same time it planned with.
    clock: runningClock(now),
  };
}

/** The machine's name; "" rather than a failure when it cannot be read. */
function machineName(): string {
  try {
    return hostname();
  } catch {
    return "";
  }
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
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixedNow } from "./io.ts";
 *
 * assert.equal(fixedNow("2026-11-25T12:00:00Z"), Date.parse("2026-11-25T12:00:00Z"));
 * assert.equal(fixedNow("soon"), undefined);
 * ```
 */
export function fixedNow(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A running clock that reads `start` now and then moves with the monotonic
 * clock (`performance.now()`): the wall clock's pace without its date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runningClock } from "./io.ts";
 *
 * const clock = runningClock(1_000);
 * const a = clock();
 * assert.ok(a >= 1_000 && clock() >= a);
 * ```
 */
export function runningClock(start: number): () => number {
  const origin = performance.now();
  return () => start + Math.floor(performance.now() - origin);
}
