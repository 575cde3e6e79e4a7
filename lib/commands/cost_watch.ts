/**
 * `cost --watch [SECONDS]`: the report again every SECONDS (5 unless
 * given), drawn only when it changed, with the burn rate of its scope (its
 * spend in the last 60 minutes). On a terminal the screen is redrawn in
 * place; into a pipe or a file each new report follows the last after a
 * blank line. Ctrl-C or SIGTERM ends it, with exit 0.
 *
 * @module
 */
import type { OptionSpec, ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import { UsageError } from "../base/errors.ts";
import { computeCost } from "../cost/compute.ts";
import type { CostOptions } from "../cost/run_types.ts";
import { costOutput } from "../render/cost.ts";
import { usd } from "../render/budget.ts";

/** `--watch` takes its value only when one follows: bare, it means this many seconds. */
export const WATCH_DEFAULT = "5";

/** The `--watch` flag. */
export const WATCH_OPTIONS: OptionSpec = { watch: { type: "string" } };

/** Its help lines. */
export const WATCH_HELP = `      --watch [SECONDS]  on a terminal, redraw the report every SECONDS
                         (default 5) when it changed, with the burn rate;
                         Ctrl-C ends it`;

/** Clears a terminal and puts the cursor top left. */
const CLEAR = "\x1b[H\x1b[2J";

/**
 * The seconds of `--watch` (at least 0.1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { watchSeconds } from "./cost_watch.ts";
 *
 * assert.deepEqual([watchSeconds("5"), watchSeconds("0.5")], [5, 0.5]);
 * assert.throws(() => watchSeconds("0"), /at least 0.1/);
 * ```
 */
export function watchSeconds(text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) < 0.1) {
    throw new UsageError(`Cannot parse --watch "${text}": expected seconds, at least 0.1`);
  }
  return Number(text);
}

/**
 * Runs `--watch` when given (the exit code), else returns null. The
 * options are made again at each look (`optionsAt`, from the run's clock):
 * `--since today` moves on at midnight.
 */
export async function runWatch(
  ctx: Context,
  flags: ParsedFlags,
  optionsAt: (nowMs: number) => CostOptions,
): Promise<number | null> {
  const text = flags.values.watch as string | undefined;
  if (text === undefined) return null;
  const seconds = watchSeconds(text);
  for (const flag of ["json", "csv", "events", "budget", "check-budgets"]) {
    const v = flags.values[flag];
    if (v !== undefined && v !== false) {
      throw new UsageError(`Cannot use --watch with --${flag}: it redraws the report`);
    }
  }
  const signal = ctx.stopSignal();
  const view = {
    palette: ctx.palette,
    width: ctx.width,
    userHome: ctx.userHome,
    stdout: ctx.stdout,
  };
  let shown: string | null = null;
  while (!signal.aborted) {
    ctx.pause("watch");
    const nowMs = ctx.clock();
    const o = optionsAt(nowMs);
    const result = await computeCost(ctx.scope, o);
    // Each warning once a run (ctx.warn): not again at every redraw.
    for (const p of result.problems) await ctx.warn(p.message);
    const hour = await computeCost(ctx.scope, {
      ...o,
      sinceMs: nowMs - 3_600_000,
      untilMs: null,
      by: ["model"],
      events: false,
      limit: null,
    });
    const burn = hour.report.total.spend.costNanos / 1e9;
    const text = [...costOutput(result, o, view, false)].join("") +
      `\nBurn rate ${usd(burn)}/h (the last 60 minutes)\n`;
    if (text !== shown) {
      const before = ctx.stdout.isTTY ? CLEAR : shown === null ? "" : "\n";
      await ctx.stdout.write(before + text);
      await ctx.stdout.flush?.();
      shown = text;
    }
    await waitFor(seconds * 1000, signal);
  }
  return 0;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
