/**
 * The rules that keep the suite green on any date and honest about what it
 * skipped, read off the test sources:
 *
 * - processes are started only through `tests/helpers/spawn.ts` (which pins
 *   the clock of every run, or takes a named reason for the real one);
 * - no test reads the process clock or an unseeded random number
 *   (`tests/helpers/clock.ts` gives the file system's now);
 * - a skip says why, through `tests/helpers/skips.ts`, so `npm test` can
 *   print it.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

const TESTS = dirname(fileURLToPath(import.meta.url));

/** Every `.ts` file under tests/, relative to it, but the recorded fixtures. */
function sources(dir = TESTS): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory() && e.name !== "fixtures") out.push(...sources(path));
    else if (e.name.endsWith(".ts")) out.push(relative(TESTS, path));
  }
  return out.sort();
}

const FILES = sources().map((f) => ({ f, text: readFileSync(join(TESTS, f), "utf8") }));
const SELF = "harness_rules_test.ts";

/** The files whose text matches `re`, with the first match of each. */
function offenders(re: RegExp, allowed: string[]): string[] {
  return FILES.filter(({ f }) => f !== SELF && !allowed.includes(f))
    .flatMap(({ f, text }) => {
      const m = re.exec(text);
      return m ? [`${f}: ${m[0]}`] : [];
    });
}

describe("test harness rules", () => {
  it("only tests/helpers/spawn.ts imports node:child_process", () => {
    assert.deepEqual(offenders(/["']node:child_process["']/, ["helpers/spawn.ts"]), []);
  });

  it("no test reads the process clock or Math.random", () => {
    const clock = new RegExp(
      [
        "Date" + "\\.now\\(",
        "new Date" + "\\(\\)",
        "performance" + "\\.now\\(",
        "Math" + "\\.random\\(",
      ]
        .join("|"),
    );
    assert.deepEqual(offenders(clock, ["helpers/clock.ts"]), []);
  });

  it("a skip goes through skips.ts (needs, skipBecause, skipNow), so its reason is printed", () => {
    // `skip: <a bare condition>` and `t.skip(` bypass the record.
    const bare = /\bskip:\s*(?:!|["'`]|[\w.?()]+\s*&&)|\bt\.skip\(/;
    assert.deepEqual(offenders(bare, ["helpers/skips.ts"]), []);
  });
});
