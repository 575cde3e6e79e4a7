/**
 * Every unit test file (tests/**\/*_test.ts but the end-to-end tests and the
 * memory test, which runs alone) in one Deno test module, for `npm run
 * test:deno`.
 *
 * Deno gives each test file an isolate of its own and loads the module graph
 * again in each: 58 s of CPU for the 73 unit files, against 27 s as one
 * module (measured 2026-12-07 on the 2-core CI machine). Bun runs them all
 * in one process anyway, so they are known to keep to themselves. The name
 * has no `_test` suffix: neither runner finds it on its own.
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TESTS = dirname(fileURLToPath(import.meta.url));
const ALONE = new Set(["e2e", "fixtures", "format/lines_memory_test.ts"]);

/** The unit test files under `dir`, sorted. */
function unitFiles(dir = TESTS): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (ALONE.has(relative(TESTS, path))) continue;
    if (e.isDirectory()) out.push(...unitFiles(path));
    else if (e.name.endsWith("_test.ts")) out.push(path);
  }
  return out.sort();
}

for (const file of unitFiles()) await import(pathToFileURL(file).href);
