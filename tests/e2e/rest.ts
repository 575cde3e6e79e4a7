/**
 * The end-to-end test files that `npm run test:e2e` and `test:deno` do not
 * name one by one, imported as a few modules (tests/e2e/rest_*_suite.ts).
 *
 * Deno gives each test module an isolate of its own and loads its module
 * graph again: ~0.45 s of CPU a module (10 light files: 27.5 CPU-s as ten
 * modules, 23.5 as one; measured 2026-12-07). The costly files (15 to 35
 * CPU-s each) are named in those scripts and run as modules of their own,
 * first, two at a time (`--parallel`); the others run here, split in turns
 * between the suites so that both end at about the same time. A new file
 * lands in a suite by itself.
 *
 * The scripts are the one list: both must name the same files and every
 * suite, or loading a suite throws (and the run fails).
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const E2E = dirname(fileURLToPath(import.meta.url));
const ROOT = join(E2E, "..", "..");
/** The suites, each importing its turn of the files not named. */
export const SUITES = ["tests/e2e/rest_1_suite.ts", "tests/e2e/rest_2_suite.ts"];

/** The tests/e2e/ files a package.json script names. */
function named(script: string): string[] {
  return script.split(/\s+/).filter((w) => w.startsWith("tests/e2e/")).sort();
}

/** The end-to-end test files the scripts do not name, sorted. */
export function restFiles(): string[] {
  const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
  const e2e = named(scripts["test:e2e"]);
  const deno = named(scripts["test:deno"]);
  if (JSON.stringify(e2e) !== JSON.stringify(deno)) {
    throw new Error(
      `Cannot split the end-to-end tests "package.json": test:e2e names ${e2e.join(" ")}, ` +
        `test:deno ${deno.join(" ")}`,
    );
  }
  for (const s of SUITES) {
    if (!e2e.includes(s)) {
      throw new Error(
        `Cannot split the end-to-end tests "package.json": test:e2e does not run ${s}`,
      );
    }
  }
  return readdirSync(E2E)
    .filter((f) => f.endsWith("_test.ts") && !e2e.includes(`tests/e2e/${f}`))
    .sort();
}

/** Imports the files of suite `part` (0-based) of {@linkcode SUITES}. */
export async function importRest(part: number): Promise<void> {
  const files = restFiles().filter((_, i) => i % SUITES.length === part);
  for (const f of files) await import(pathToFileURL(join(E2E, f)).href);
}
