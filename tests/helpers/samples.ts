/**
 * zot's own sample files (`../shared/samples/home` beside the repository),
 * for tests that compare against what zot really writes. Outside CI a
 * machine without them skips those tests, the reason recorded through
 * `skips.ts` (once per test file); under CI (`CI=true`) the samples must be
 * there, so those tests run and fail, naming the path, instead of skipping.
 * Their times are fixed: a run on them pins `SAMPLES_NOW`
 * (`tests/helpers/clock.ts`).
 *
 * A test that needs them: `it(name, { skip: samplesSkip }, () => { const
 * home = samplesHome(); … })`.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { isCi, needs } from "./skips.ts";

export { isCi };

/** Where zot's sample home is expected. */
export const SAMPLES = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../shared/samples/home",
);

/** Whether the samples are there. */
export const samplesPresent = existsSync(join(SAMPLES, "sessions"));

const MISSING = `zot's samples are not at ${SAMPLES}`;

/**
 * What a test that needs the samples lacks when they are missing outside
 * CI, else false (under CI a missing sample fails the test through
 * `samplesHome()`).
 */
export function samplesSkipReason(
  present: boolean,
  env: Record<string, string | undefined>,
): string | false {
  return present || isCi(env)
    ? false
    : `zot's samples at ${SAMPLES} (under CI=true this test fails instead)`;
}

const lacking = samplesSkipReason(samplesPresent, process.env);

/**
 * The `skip` option of a test that needs the samples: recorded through
 * `needs()` (one line per test file, not one per skipped test).
 */
export const samplesSkip: string | false = lacking && needs(lacking, false);

/** The samples' home; fails the calling test, naming the path, when they are missing. */
export function samplesHome(): string {
  assert.ok(
    samplesPresent,
    `${MISSING}${isCi() ? ": CI must have ../shared/samples beside the repository" : ""}`,
  );
  return SAMPLES;
}
