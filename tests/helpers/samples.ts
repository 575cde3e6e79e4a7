/**
 * zot's own sample files (`../shared/samples/home` beside the repository),
 * for tests that compare against what zot really writes. Outside CI a
 * machine without them skips those tests with one message; under CI
 * (`CI=true`) the samples must be there, so those tests run and fail,
 * naming the path, instead of skipping.
 *
 * A test that needs them: `it(name, { skip: samplesSkip }, () => { const
 * home = samplesHome(); … })`.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** Where zot's sample home is expected. */
export const SAMPLES = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../shared/samples/home",
);

/** Whether this run is CI's: `CI` set to anything but "", "0" or "false". */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  const ci = (env.CI ?? "").trim().toLowerCase();
  return ci !== "" && ci !== "0" && ci !== "false";
}

/** Whether the samples are there. */
export const samplesPresent = existsSync(join(SAMPLES, "sessions"));

const MISSING = `zot's samples are not at ${SAMPLES}`;

/**
 * Why a test that needs the samples is skipped: a reason when they are
 * missing outside CI, else false (under CI a missing sample fails the test
 * through `samplesHome()`).
 */
export function samplesSkipReason(
  present: boolean,
  env: Record<string, string | undefined>,
): string | false {
  return present || isCi(env) ? false : `${MISSING} (under CI=true this test fails instead)`;
}

/** The `skip` option of a test that needs the samples. */
export const samplesSkip: string | false = samplesSkipReason(samplesPresent, process.env);

// One line per test file, not one per skipped test: the runners do not print a skip's reason.
if (samplesSkip) {
  console.warn(
    `warning: ${MISSING}: the tests that need them are skipped (under CI=true they fail)`,
  );
}

/** The samples' home; fails the calling test, naming the path, when they are missing. */
export function samplesHome(): string {
  assert.ok(
    samplesPresent,
    `${MISSING}${isCi() ? ": CI must have ../shared/samples beside the repository" : ""}`,
  );
  return SAMPLES;
}
