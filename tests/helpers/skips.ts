/**
 * Skipped tests, said out loud. Neither runner prints why a test was
 * skipped, so a skip goes through here: its reason is appended to the file
 * named by `ZOT_TEST_SKIP_LOG` (set by `npm test`, which prints them all in
 * its summary) and, outside `npm test`, to stderr.
 *
 * Two kinds:
 * - {@linkcode skipBecause}: a skip by design (run once, under Deno; not
 *   Linux), in CI too;
 * - {@linkcode needs}: something the machine lacks (a program, root, a
 *   capability). Under CI (`CI=true`) `.ci/run` installs what the tests
 *   need, so a missing one fails the test file at once, naming it.
 *
 * @example
 * it("renders with groff", { skip: needs("groff", hasProgram("groff")) }, () => {});
 *
 * @module
 */
import { appendFileSync } from "node:fs";
import { basename } from "node:path";
import process from "node:process";

/** Whether this run is CI's: `CI` set to anything but "", "0" or "false". */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  const ci = (env.CI ?? "").trim().toLowerCase();
  return ci !== "" && ci !== "0" && ci !== "false";
}

/** The test file that asked, from the caller's stack (for the summary). */
function caller(): string {
  const stack = new Error().stack?.split("\n") ?? [];
  for (const line of stack) {
    const m = /(tests\/[^\s:)]+_test\.ts)/.exec(line);
    if (m) return m[1];
  }
  return basename(stack[3] ?? "a test");
}

/** Records a skip and its reason; returns the reason (for `{ skip }`). */
function record(reason: string): string {
  const runtime = "Bun" in globalThis ? "bun" : "deno";
  const line = `${caller()} (${runtime}): ${reason}\n`;
  const log = process.env.ZOT_TEST_SKIP_LOG;
  if (log) appendFileSync(log, line);
  else process.stderr.write(`skipped: ${line}`);
  return reason;
}

/**
 * A skip by design: `reason` when `when` holds, recorded; else false.
 *
 * @example
 * describe("search", { skip: skipBecause(UNDER_BUN, "run once, under Deno") }, () => {});
 */
export function skipBecause(when: boolean, reason: string): string | false {
  return when ? record(reason) : false;
}

/**
 * A skip for something missing here: false when `available`; else, under
 * CI, an error (CI must have it); elsewhere `what` as the reason, recorded.
 */
export function needs(what: string, available: boolean): string | false {
  if (available) return false;
  if (isCi()) {
    throw new Error(`CI=true and ${what} is missing here: .ci/run must provide it`);
  }
  return record(`needs ${what}`);
}

/**
 * Skips the running test from inside it (a condition found while it runs):
 * `t.skip(reason)`, recorded. Under CI a `needs` condition fails instead.
 */
export function skipNow(
  t: { skip(message?: string): void },
  reason: string,
  o: { needs?: boolean } = {},
): void {
  if (o.needs && isCi()) {
    throw new Error(`CI=true and this test ${reason}: .ci/run must provide it`);
  }
  t.skip(record(reason));
}
