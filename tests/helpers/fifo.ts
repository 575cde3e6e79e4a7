/**
 * A handshake through a FIFO: a test makes one, passes its path to a
 * process it starts, and awaits the first note that process writes there
 * (gc's pause seam writes "paused PHASE N"). No polling, no sleeps.
 *
 * @module
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { spawnSync } from "./spawn.ts";

/** A FIFO being read, and the note its writer leaves. */
export interface FifoNote {
  path: string;
  /** The text of the first write ("" if the FIFO was closed without one). */
  note: Promise<string>;
  /** Ends the wait when no writer will come (the reader sees end of file). */
  close(): Promise<void>;
}

/** Makes a FIFO named `name` in `dir` and starts reading it. */
export function fifoNote(dir: string, name: string): FifoNote {
  const path = join(dir, name);
  const made = spawnSync("mkfifo", [path], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`Cannot make the FIFO "${path}": ${made.stderr}`);
  const note = (async () => {
    const handle = await open(path, "r");
    try {
      const buffer = new Uint8Array(256);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      return new TextDecoder().decode(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  })();
  return {
    path,
    note,
    async close() {
      // A writer that opens without blocking (the reader is there) and
      // closes at once: the reader gets end of file and stops waiting.
      const w = await open(path, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
      await w?.close();
      await note.catch(() => "");
    },
  };
}
