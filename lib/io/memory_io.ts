/**
 * The IO of a run in memory: output captured in strings, a made-up home and
 * environment, a pinned clock. For tests, and for running the CLI in-process.
 *
 * @module
 */
import { type IO, type Output, runningClock } from "./io.ts";

/**
 * An IO that captures output in strings (tests, and in-process use). Its
 * clock is pinned: `now` (2026-11-25T12:00:00Z unless given), and a running
 * clock that starts there and moves with the monotonic clock, so waits and
 * grace periods agree with `now` whatever the date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryIO } from "./memory_io.ts";
 *
 * const io = memoryIO({ env: { ZOT_HOME: "/tmp/h" } });
 * await io.stdout.write("hello\n");
 * assert.equal(io.out(), "hello\n");
 * assert.equal(io.env.ZOT_HOME, "/tmp/h");
 * assert.ok(io.clock() >= io.now && io.clock() - io.now < 60_000);
 * ```
 */
export function memoryIO(overrides: Partial<IO> & { columns?: number; tty?: boolean } = {}): IO & {
  out(): string;
  err(): string;
} {
  const tty = overrides.tty ?? false;
  const stdout = capture(tty, tty ? overrides.columns ?? 100 : undefined);
  const stderr = capture(tty, undefined);
  const now = overrides.now ?? Date.parse("2026-11-25T12:00:00Z");
  return {
    stdout,
    stderr,
    stdinIsTTY: tty,
    platform: "linux",
    userHome: "/nonexistent-home",
    processCwd: "/",
    pid: 4242,
    uid: null,
    hostname: "test-host",
    now,
    clock: runningClock(now),
    stopSignal: () => new AbortController().signal,
    ...overrides,
    // In memory, the files are read directly unless a test asks for the
    // index (`ZOT_SESSIONS_NO_INDEX: ""` and a `ZOT_SESSIONS_CACHE`): an
    // index under the made-up home would be shared by every test.
    env: { ZOT_SESSIONS_NO_INDEX: "1", ...overrides.env },
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
