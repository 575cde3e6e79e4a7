/**
 * The terminal itself, for a full-screen view (`pick`): `/dev/tty`, not
 * standard input or output, so that it works inside `$(…)` and with output
 * redirected, as fzf does. Opening it switches to the alternate screen and
 * raw mode (keys come one by one, Ctrl-C as a key); closing it puts both
 * back. It is put back on every way out: a return, an error (the caller's
 * `finally`), SIGTERM, SIGHUP, SIGINT and SIGQUIT (reported as events, so
 * that the caller ends as on a key), and the process's exit.
 *
 * @module
 */
import { closeSync, constants, openSync, readSync, writeSync } from "node:fs";
import process from "node:process";
import tty from "node:tty";
import { describeSystemError } from "../base/errors.ts";
import { decodeKeys, type Key } from "./keys.ts";

/** Something that happened on the terminal. */
export type TerminalEvent =
  | { kind: "keys"; keys: Key[] }
  | { kind: "resize" }
  | { kind: "signal"; signal: TerminalSignal };

/** Signals that end a full-screen view (the terminal is put back first). */
export const TERMINAL_SIGNALS = ["SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT"] as const;
/** One of {@linkcode TERMINAL_SIGNALS}. */
export type TerminalSignal = typeof TERMINAL_SIGNALS[number];
/** Their numbers, for the exit status a shell gives a killed program (128 + N). */
export const SIGNAL_NUMBERS: Record<TerminalSignal, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGTERM: 15,
};

/** An open terminal in raw mode, on the alternate screen. */
export interface Terminal {
  readonly columns: number;
  readonly rows: number;
  /** Writes text as it is (synchronously: nothing is left queued when the terminal is closed). */
  write(text: string): void;
  /**
   * Puts the terminal back (raw mode off, cursor shown, the main screen
   * back) and lets go of it, so that another program (zot) can read it.
   * Idempotent.
   */
  close(): void;
}

/** The terminal could not be opened: there is none (a cron job, a pipe, CI). */
export class NoTerminalError extends Error {
  override name = "NoTerminalError";
}

/** How often keys are looked for (ms): well under a frame. */
const POLL_MS = 10;

const ENTER = "\x1b[?1049h\x1b[H\x1b[2J";
const LEAVE = "\x1b[?25h\x1b[?1049l";

/** Writes all of `text` to `fd`, waiting out EAGAIN (a descriptor left non-blocking). */
function writeAll(fd: number, text: string): void {
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) {
    try {
      const n = writeSync(fd, bytes);
      bytes = bytes.subarray(n);
    } catch (err) {
      if ((err as { code?: string }).code !== "EAGAIN") throw err;
    }
  }
}

/**
 * Opens the controlling terminal and takes it over; `onEvent` is told of
 * keys, resizes (SIGWINCH) and ending signals. Throws
 * {@linkcode NoTerminalError} when the process has no terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openTerminal, SIGNAL_NUMBERS } from "./tty.ts";
 *
 * // The caller ends with 128 + the signal's number, as a shell reports it.
 * assert.equal(128 + SIGNAL_NUMBERS.SIGTERM, 143);
 * assert.equal(typeof openTerminal, "function"); // not opened here: it takes over the terminal
 * ```
 */
export function openTerminal(onEvent: (e: TerminalEvent) => void): Terminal {
  const fds: number[] = [];
  const open = (flags: number | string) => {
    try {
      const fd = openSync("/dev/tty", flags);
      fds.push(fd);
      return fd;
    } catch (err) {
      for (const fd of fds) closeSync(fd);
      throw new NoTerminalError(`cannot open /dev/tty: ${describeSystemError(err)}`);
    }
  };
  // Three descriptors, each its own open file: one for raw mode, one read
  // without blocking, one to write (see poll below).
  const modeFd = open("r");
  if (!tty.isatty(modeFd)) {
    closeSync(modeFd);
    throw new NoTerminalError("/dev/tty is not a terminal");
  }
  const readFd = open(constants.O_RDONLY | constants.O_NONBLOCK);
  const outFd = open("w");
  // Streams for raw mode and the size only: neither reads nor writes.
  const input = new tty.ReadStream(modeFd);
  const output = new tty.WriteStream(outFd);
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(4096);
  let rest = "";
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Keys are polled from a non-blocking descriptor: a stream's read stays
  // pending after the stream is destroyed in Bun (1.4.5, 2026-12-07: the
  // process never exited, and would have taken zot's first key), and
  // there is no way to cancel a blocking read.
  const poll = () => {
    timer = undefined;
    if (closed) return;
    let text = "";
    for (;;) {
      let n: number;
      try {
        n = readSync(readFd, buffer, 0, buffer.length, null);
      } catch (err) {
        if ((err as { code?: string }).code === "EAGAIN") break;
        onEvent({ kind: "signal", signal: "SIGHUP" }); // the terminal is gone
        return;
      }
      if (n <= 0) break;
      text += decoder.decode(buffer.subarray(0, n), { stream: true });
    }
    if (text !== "") {
      const decoded = decodeKeys(rest + text);
      rest = decoded.rest;
      if (decoded.keys.length > 0) onEvent({ kind: "keys", keys: decoded.keys });
    }
    if (!closed) timer = setTimeout(poll, POLL_MS);
  };
  // Bun refreshes the size of a stream on a descriptor of its own only when
  // asked (2026-12-07: no "resize" event, `columns` stale): on SIGWINCH it
  // is asked, and a resize is told once per new size.
  let size = `${output.columns}x${output.rows}`;
  const onResize = () => {
    (output as { _refreshSize?: () => void })._refreshSize?.();
    const now = `${output.columns}x${output.rows}`;
    if (now === size) return;
    size = now;
    onEvent({ kind: "resize" });
  };
  const handlers = TERMINAL_SIGNALS.map((signal) => {
    const handler = () => onEvent({ kind: "signal", signal });
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    process.off("exit", close);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    output.off("resize", onResize);
    process.off("SIGWINCH", onResize);
    try {
      input.setRawMode(false);
    } catch {
      // The terminal is gone (SIGHUP): nothing to put back.
    }
    try {
      writeAll(outFd, LEAVE);
    } catch {
      // Likewise.
    }
    input.destroy();
    output.destroy();
    closeSync(readFd);
  };
  // The last resort: a process that exits some other way still leaves the
  // terminal as it found it.
  process.on("exit", close);
  try {
    input.setRawMode(true);
    writeAll(outFd, ENTER);
  } catch (err) {
    close();
    throw new NoTerminalError(`cannot use /dev/tty: ${describeSystemError(err)}`);
  }
  output.on("resize", onResize);
  process.on("SIGWINCH", onResize);
  poll();
  return {
    get columns() {
      return output.columns || 80;
    },
    get rows() {
      return output.rows || 24;
    },
    write(text: string) {
      if (!closed) writeAll(outFd, text);
    },
    close,
  };
}
