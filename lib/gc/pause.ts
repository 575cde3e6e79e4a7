/**
 * A test seam of gc's executor, and nothing else: `ZOT_SESSIONS_TEST_GC_PAUSE`
 * makes a `gc --yes` stop at one chosen point of its work, say so through a
 * FIFO, and wait there for a signal. A test can then interrupt (SIGTERM,
 * SIGINT) or kill (SIGKILL) the run at exactly that point, instead of
 * sleeping and hoping that it got there.
 *
 * The value is `PHASE:N:PATH`:
 * - `PHASE`, where to stop:
 *   - `move`: before the session after the first N is touched (N = 0:
 *     with the lock held, before any session);
 *   - `copy`: while the copy of the session after the first N is under way
 *     (its temporary holds its first chunk);
 *   - `linked`: that session hard-linked into the archive, its original
 *     still there;
 *   - `placed`: its verified copy in place in the archive, its original
 *     still there;
 * - `N`: how many sessions were moved or removed before;
 * - `PATH`: a FIFO the test reads; gc writes `paused PHASE N` and a newline
 *   to it, then waits until a signal stops it.
 *
 * Unset (always, outside tests), it costs one comparison per point.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import { UsageError } from "../base/errors.ts";

/** Where a paused gc can stop. */
export type PausePhase = "move" | "copy" | "linked" | "placed";

const PHASES: readonly PausePhase[] = ["move", "copy", "linked", "placed"];

/** Stops the run at `phase` when it is the chosen point; else returns at once. */
export type GcPause = (phase: PausePhase, moved: number) => Promise<void>;

/** The environment variable that names the point (see the module doc). */
export const GC_PAUSE_VARIABLE = "ZOT_SESSIONS_TEST_GC_PAUSE";

/**
 * The pause `value` asks for, or undefined when it is unset. The pause
 * writes its note, then waits until `signal` aborts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gcPause } from "./pause.ts";
 *
 * assert.equal(gcPause(undefined, new AbortController().signal), undefined);
 * assert.equal(typeof gcPause("copy:2:/tmp/fifo", new AbortController().signal), "function");
 * assert.throws(() => gcPause("soon", new AbortController().signal), /PHASE:N:PATH/);
 * ```
 */
export function gcPause(value: string | undefined, signal: AbortSignal): GcPause | undefined {
  if (!value) return undefined;
  const m = /^(\w+):(\d+):(.+)$/.exec(value);
  const phase = m?.[1] as PausePhase | undefined;
  if (!m || !phase || !PHASES.includes(phase)) {
    throw new UsageError(
      `Cannot parse ${GC_PAUSE_VARIABLE} "${value}": expected PHASE:N:PATH, PHASE one of ${
        PHASES.join(", ")
      }`,
    );
  }
  const at = Number(m[2]);
  const path = m[3];
  let done = false;
  return async (where, moved) => {
    if (done || where !== phase || moved !== at) return;
    done = true;
    await writeFile(path, `paused ${where} ${moved}\n`);
    await untilAborted(signal);
  };
}

/** Resolves when `signal` aborts; the timer keeps the process alive until then. */
function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const alive = setInterval(() => {}, 60_000);
    signal.addEventListener("abort", () => {
      clearInterval(alive);
      resolve();
    }, { once: true });
  });
}
