/**
 * The progress line a long scan shows on a terminal (`cost`, `ls`, `index`,
 * `search`): the context makes one ({@linkcode progressLine}), and the
 * reader that scans tells it ({@linkcode Progress}).
 *
 * @module
 */
import type { IO } from "../io/io.ts";
import type { Progress } from "../base/progress.ts";

/**
 * A progress line on stderr when a scan takes longer than a second, only on
 * a terminal; cleared at the end of the scan. The second is counted from
 * when the line is made, and again from each `clear`: one line serves the
 * scans of a run one after the other.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryIO } from "../io/memory_io.ts";
 * import { progressLine } from "./progress.ts";
 *
 * const io = memoryIO(); // not a terminal: nothing is drawn
 * const progress = progressLine(io);
 * progress.update(1, 2, 1_000_000);
 * await progress.clear();
 * assert.equal(io.err(), "");
 * ```
 */
export function progressLine(io: Pick<IO, "clock" | "stderr">): Progress {
  let start = io.clock();
  let shown = false;
  let last = 0;
  return {
    update: (done: number, total: number, bytes: number) => {
      if (!io.stderr.isTTY) return;
      const now = io.clock();
      if (now - start < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      // Not awaited (the scan goes on); a failure shows on the next write.
      io.stderr.write(
        `\r\x1b[KScanning ${done}/${total} files, ${(bytes / 1e6).toFixed(0)} MB…`,
      ).catch(() => {});
    },
    clear: async () => {
      if (shown) await io.stderr.write("\r\x1b[K");
      shown = false;
      start = io.clock();
    },
  };
}
