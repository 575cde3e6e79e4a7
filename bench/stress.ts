/**
 * The index's seeded stress run (tests/helpers/stress.ts) at the
 * benchmark's size: 5 rounds of 20 processes on a home of 60 sessions, 20
 * turns appended per round. The test runs it small; here it takes a few
 * minutes. It fails (throws) if any answer through the index differs from
 * `--no-index`.
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { DAY_MS, fsNow } from "../tests/helpers/clock.ts";
import { runStress } from "../tests/helpers/stress.ts";

/** Runs the stress with `binary` in a directory under `dir`; logs the seed and what it did. */
export async function benchStress(
  binary: string,
  dir: string,
  seed: number,
  log: (message: string) => void,
): Promise<void> {
  const work = await mkdtemp(join(dir, "stress-"));
  try {
    const fs = fsNow();
    const start = performance.now();
    const report = await runStress(binary, work, new Date(fs + DAY_MS).toISOString(), fs, {
      seed,
      rounds: 5,
      processes: 20,
      sessions: 60,
      turns: 20,
      appends: 20,
    }, log);
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    log(`Stress: ${JSON.stringify(report)}, every answer as --no-index, in ${seconds} s`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
