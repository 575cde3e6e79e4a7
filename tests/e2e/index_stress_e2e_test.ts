/**
 * The index's seeded stress run, small (tests/helpers/stress.ts; the
 * benchmark runs a larger one): ~20 processes of ls, cost, search and index
 * at once, appends, gc, index writers killed inside their transactions;
 * every answer afterwards as with `--no-index`. The seed is printed; set
 * `ZOT_STRESS_SEED` to run one again.
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { describe, it } from "node:test";
import { skipBecause } from "../helpers/skips.ts";
import { DAY_MS, fsNow } from "../helpers/clock.ts";
import { runStress } from "../helpers/stress.ts";
import { BIN } from "./harness.ts";

const UNDER_BUN = process.versions.bun !== undefined;

describe(
  "e2e: the index under stress",
  { skip: skipBecause(UNDER_BUN, "run once, under Deno") },
  () => {
    it("every answer after rounds of runs, appends, gc and kills is the files' answer", async () => {
      // A new seed each run (from the file system's clock), printed; or the one given.
      const seed = Number(process.env.ZOT_STRESS_SEED ?? fsNow() % 1_000_000);
      const dir = await mkdtemp(join(tmpdir(), "zot-stress-"));
      try {
        // The sessions are dated before the file system's now; the clock is a day
        // ahead, so that what is appended meanwhile is not "in the future" to gc.
        const fs = fsNow();
        const report = await runStress(BIN, dir, new Date(fs + DAY_MS).toISOString(), fs, {
          seed,
          rounds: 2,
          processes: 20,
          sessions: 12,
          turns: 6,
          appends: 6,
        }, (m) => console.log(m));
        console.log(`stress: ${JSON.stringify(report)}`);
        assert.ok(report.questions > 0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
