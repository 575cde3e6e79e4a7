/**
 * The clocks of the tests. No test reads the process's clock: the suite
 * must give the same answers on any date, and `.ci/run` proves it by running
 * it again two years ahead under libfaketime (`bash scripts/faketime.sh '+731d' npm test`).
 *
 * - {@linkcode fsNow}: "now" as the file system sees it, the modification
 *   time of a file just written. libfaketime moves the process clock but
 *   not the times the kernel gives files, so a test that makes files "a
 *   month old" from this, and pins the binary's clock to it, agrees with
 *   itself whatever the date and whatever the process clock says.
 * - {@linkcode EXAMPLE_NOW}, {@linkcode SAMPLES_NOW}: the fixed instants the
 *   checked-in fixtures are read at (their times are fixed, so "now" is
 *   too).
 *
 * @module
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

const PROBE_DIR = mkdtempSync(join(tmpdir(), "zot-test-clock-"));
const PROBE = join(PROBE_DIR, "now");
const remove = () => rmSync(PROBE_DIR, { recursive: true, force: true });
process.on("exit", remove);
globalThis.addEventListener?.("unload", remove);

/**
 * Now, in whole milliseconds since the epoch, as the file system sees it:
 * the mtime of a file written this moment (never the process clock).
 */
export function fsNow(): number {
  writeFileSync(PROBE, "");
  return Math.floor(statSync(PROBE).mtimeMs);
}

/** {@linkcode fsNow} as an ISO 8601 instant, for `ZOT_SESSIONS_NOW`. */
export function fsNowIso(): string {
  return new Date(fsNow()).toISOString();
}

/**
 * The instant the example home (`scripts/make-example-home.ts`) is read at:
 * its newest session is from 2026-11-03, and its README output was recorded
 * at this moment.
 */
export const EXAMPLE_NOW = "2026-11-25T12:00:00Z";

/** The instant zot's samples (`../shared/samples`) are read at. */
export const SAMPLES_NOW = "2026-11-25T12:00:00Z";

/** A day in milliseconds. */
export const DAY_MS = 86_400_000;
