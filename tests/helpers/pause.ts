/**
 * The test's side of the index's pause seam (`lib/index/pause.ts`): a named
 * pipe per pause point, and the handshake on it. A child started with
 * {@linkcode PausePoint.env} stops at the point; {@linkcode PausePoint.reached}
 * resolves once it is standing there (or null if it ended first), and
 * {@linkcode PausePoint.resume} lets it go on. No sleeps: each step waits for
 * the other side.
 *
 * @module
 */
import { open } from "node:fs/promises";
import { join } from "node:path";
import { type spawn, spawnSync } from "./spawn.ts";

type ChildProcess = ReturnType<typeof spawn>;

/** One pause point of one child. */
export interface PausePoint {
  /** `POINT[@N]=FIFO`, for `ZOT_SESSIONS_TEST_PAUSE`. */
  spec: string;
  /**
   * Resolves with the point's name once the child stands there, or with null
   * when it ended (or `child` closed) without reaching it.
   */
  reached(child: ChildProcess): Promise<string | null>;
  /** Lets the child go on from the point. */
  resume(): Promise<void>;
}

/** A named pipe in `dir` for the point `point` (`write@3`, `clear`). */
export function pausePoint(
  dir: string,
  point: string,
  name = point.replace(/\W/g, "-"),
): PausePoint {
  const fifo = join(dir, `pause-${name}`);
  const made = spawnSync("mkfifo", [fifo], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`Cannot make the pipe "${fifo}": ${made.stderr}`);
  return {
    spec: `${point}=${fifo}`,
    async reached(child) {
      const ended = new Promise<null>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) res(null);
        child.once("exit", () => res(null));
      });
      const read = (async () => {
        const f = await open(fifo, "r");
        try {
          return (await f.readFile("utf8")).trim();
        } finally {
          await f.close();
        }
      })();
      const got = await Promise.race([read, ended]);
      if (got === null) {
        // Unblock the open still waiting for a writer: it then reads nothing.
        const w = await open(fifo, "w");
        await w.close();
        await read;
      }
      return got === "" ? null : got;
    },
    async resume() {
      const w = await open(fifo, "w");
      await w.close();
    },
  };
}
