/**
 * `npm test`: every check and every test, in about the time the longest
 * takes. Writes the build's sources first (`build:sources`: the JSON
 * kernel's module and examples/home, which the checks and tests read), then
 * runs at once, each as its package.json script, the jobs below, the
 * binary's compilation (`build:binary`) beside them: the jobs that run the
 * binary (`test:deno`, `test:e2e`) start when it is built, the others at
 * once (the build's seconds of a single core were the whole machine's):
 *
 * - `check`: formatting, lint and the type check of everything, the code
 *   blocks of doc comments included, in one `deno check --doc` (lib/ was
 *   checked twice, once more for its doc blocks: 21 CPU-s against 13);
 * - `test:deno`: the unit tests (in one module, tests/unit_suite.ts), the
 *   doc examples (tests/doc_run_test.ts) and the end-to-end tests under
 *   Deno, modules in parallel (`--no-check`: `check` type-checks them),
 *   two at a time in the order given, the costliest first so that the run
 *   does not end on one long module with the other core idle: the two
 *   suites of the lighter end-to-end files (tests/e2e/rest.ts: a module
 *   costs ~0.45 CPU-s to load), the unit suite, then the end-to-end files of
 *   10 to 35 CPU-s each;
 * - `test:bun`: the unit tests and the doc examples under Bun (the
 *   end-to-end tests run the same binary whichever runtime runs them: once,
 *   under Deno, is enough).
 *
 * Each job's output is printed whole when it ends, under a header; the run
 * fails when any job fails, and ends with one line per job, then every
 * test skipped and why (tests/helpers/skips.ts writes them to the file
 * named by `ZOT_TEST_SKIP_LOG`).
 *
 * Usage: `npm test [-- --jobs A,B]` (or `bun scripts/test.ts`: Bun, not
 * Deno, because under libfaketime Deno crashes now and then; see `jobEnv`).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/**
 * `--jobs A,B` runs those package.json scripts instead of the three. `.ci/run`
 * runs the suite two years ahead as `--jobs test:e2e,test:bun`: under
 * libfaketime, Deno itself runs without it (see `jobEnv`), so its unit tests
 * would only repeat the first run; the end-to-end tests' binary and the Bun
 * unit tests are what see the moved clock. Formatting, lint and types do not
 * depend on the date.
 */
const ASKED = process.argv.slice(2).flatMap((a, i, all) =>
  all[i - 1] === "--jobs" ? a.split(",").filter((j) => j !== "") : []
);
const JOBS = ASKED.length > 0 ? ASKED : ["check", "test:deno", "test:bun"];
const SKIPS_DIR = mkdtempSync(join(tmpdir(), "zot-test-skips-"));
const SKIP_LOG = join(SKIPS_DIR, "skips.txt");

/** How a job ended. */
interface Outcome {
  name: string;
  code: number | null;
  seconds: number;
}

/** The variables through which libfaketime reaches a process. */
const FAKETIME_VARS = /^(LD_PRELOAD|FAKETIME|FAKETIME_.*|DONT_FAKE_MONOTONIC)$/;

/**
 * A job's environment. Under libfaketime (`faketime … npm test`), a job that
 * runs Deno runs without it: Deno crashes now and then under it (a
 * segmentation fault in about 1 run in 20, measured 2026-12-07, with or
 * without DONT_FAKE_MONOTONIC). Its variables are handed to the job as
 * `ZOT_TEST_FAKETIME` (JSON), and tests/helpers/spawn.ts gives them back to
 * every process the tests start but Deno: the binary and the CLI under Bun
 * still run with the clock moved, and the Bun job runs under it whole.
 */
function jobEnv(name: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ZOT_TEST_SKIP_LOG: SKIP_LOG };
  if (name === "test:bun") return env;
  const faked = Object.entries(env).filter(([k]) => FAKETIME_VARS.test(k));
  if (faked.length === 0) return env;
  for (const [k] of faked) delete env[k];
  env.ZOT_TEST_FAKETIME = JSON.stringify(Object.fromEntries(faked));
  return env;
}

/** Runs `npm run <name>`; its output is collected, or passed through with `live`. */
function npmRun(name: string, live = false): Promise<Outcome & { output: string }> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn("npm", ["run", "--silent", name], {
      cwd: ROOT,
      stdio: live ? "inherit" : ["ignore", "pipe", "pipe"],
      env: jobEnv(name),
    });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (d: Buffer) => chunks.push(d));
    child.stderr?.on("data", (d: Buffer) => chunks.push(d));
    const end = (code: number | null) =>
      done({
        name,
        code,
        seconds: (performance.now() - started) / 1000,
        output: Buffer.concat(chunks).toString("utf8"),
      });
    child.on("error", (err) => {
      chunks.push(Buffer.from(`Cannot run "npm run ${name}": ${err.message}\n`));
      end(null);
    });
    child.on("close", end);
  });
}

const verdict = (o: Outcome) => (o.code === 0 ? "ok" : `FAILED (exit ${o.code})`);

/** Writes to stdout, resolving once written (nothing is lost on exit). */
function print(text: string): Promise<void> {
  return new Promise((done) => process.stdout.write(text, () => done()));
}

/** The jobs that run the binary, and so wait for `build:binary`. */
const NEEDS_BINARY = new Set(["test:deno", "test:e2e"]);

const sources = await npmRun("build:sources", true);
if (sources.code !== 0) {
  console.error(`npm test: the build failed (exit ${sources.code}); no test ran`);
  process.exit(1);
}
await print(
  `npm test: sources built; running ${JOBS.join(", ")} at once, and the binary's build\n`,
);
const binary = npmRun("build:binary").then(async (o) => {
  await print(`\n──── build:binary: ${verdict(o)} in ${o.seconds.toFixed(0)} s ────\n${o.output}`);
  return o;
});
const outcomes = await Promise.all(JOBS.map(async (name) => {
  if (NEEDS_BINARY.has(name) && (await binary).code !== 0) {
    const o = { name, code: null, seconds: 0, output: "not run: the binary's build failed\n" };
    await print(`\n──── ${name}: ${verdict(o)} ────\n${o.output}`);
    return o;
  }
  const o = await npmRun(name);
  const body = o.output === "" || o.output.endsWith("\n") ? o.output : `${o.output}\n`;
  await print(`\n──── ${name}: ${verdict(o)} in ${o.seconds.toFixed(0)} s ────\n${body}`);
  return o;
}));
const build = await binary;
const summary = [sources, build, ...outcomes].map((o) =>
  `  ${o.name.padEnd(13)} ${verdict(o)} in ${o.seconds.toFixed(0)} s\n`
);
await print(`\nnpm test:\n${summary.join("")}`);
await print(skipSummary());
rmSync(SKIPS_DIR, { recursive: true, force: true });
process.exit([build, ...outcomes].every((o) => o.code === 0) ? 0 : 1);

/** Every skip the test files recorded, once each, with its reason. */
function skipSummary(): string {
  let text = "";
  try {
    text = readFileSync(SKIP_LOG, "utf8");
  } catch {
    // No test skipped anything.
  }
  const lines = [...new Set(text.split("\n").filter((l) => l !== ""))].sort();
  if (lines.length === 0) return "skipped: nothing\n";
  return `skipped (${lines.length}):\n${lines.map((l) => `  ${l}\n`).join("")}`;
}
