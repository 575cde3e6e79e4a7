/**
 * The progress line a long scan shows on a terminal (`cost`, `ls`, `index`).
 *
 * @module
 */
import type { Context } from "./context.ts";

/**
 * A progress line on stderr when a scan takes longer than a second, only on
 * a terminal; cleared at the end.
 */
export function progressLine(ctx: Pick<Context, "clock" | "stderr">) {
  const start = ctx.clock();
  let shown = false;
  let last = 0;
  return {
    update: (done: number, total: number, bytes: number) => {
      if (!ctx.stderr.isTTY) return;
      const now = ctx.clock();
      if (now - start < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      // Not awaited (the scan goes on); a failure shows on the next write.
      ctx.stderr.write(
        `\r\x1b[KScanning ${done}/${total} files, ${(bytes / 1e6).toFixed(0)} MB…`,
      ).catch(() => {});
    },
    /** Clears the line, if shown (again: a no-op). */
    clear: async () => {
      if (shown) await ctx.stderr.write("\r\x1b[K");
      shown = false;
    },
  };
}
