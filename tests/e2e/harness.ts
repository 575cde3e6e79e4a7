/**
 * What the end-to-end tests share: the built binary (`npm run build` →
 * dist/zot-sessions) and the same CLI under Deno and Bun, run as a user
 * would (through `tests/helpers/spawn.ts`: a fixed environment and a pinned
 * clock), and a fresh copy of the example home.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeExampleHome } from "../../scripts/make-example-home.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { type ClockOptions, registerFixture, spawnSync } from "../helpers/spawn.ts";

/** The repository. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The built binary. */
export const BIN = join(ROOT, "dist", "zot-sessions");
const DENO = join(ROOT, "node_modules", ".bin", "deno");
const BUN = join(ROOT, "node_modules", ".bin", "bun");

/** How a command ended. */
export interface Run {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs a command with the tests' environment (no HOME, no TTY; TZ=UTC, so
 * times shown in the local zone do not depend on the machine; the clock
 * pinned, see spawn.ts) plus `env`.
 */
export function run(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  o: Omit<ClockOptions, "env"> = {},
): Run {
  const r = spawnSync(cmd, args, { encoding: "utf8", env, maxBuffer: 64 << 20, ...o });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The three ways the CLI ships: binary, Deno, Bun. */
export const RUNNERS: [
  string,
  (args: string[], env?: Record<string, string | undefined>) => Run,
][] = [
  ["binary", (a, e) => run(BIN, a, e)],
  ["deno", (a, e) => run(DENO, ["run", "-A", join(ROOT, "main.ts"), ...a], e)],
  ["bun", (a, e) => run(BUN, [join(ROOT, "main.ts"), ...a], e)],
];

/**
 * A temporary directory holding a fresh example home (`<dir>/example`), with
 * its files' mtimes set by the script; `env` points a run at it, read at
 * {@linkcode EXAMPLE_NOW} (its times are fixed, so its clock is too);
 * `cleanup` removes it.
 */
export async function exampleWorkdir(): Promise<
  {
    work: string;
    example: string;
    env: { ZOT_HOME: string; ZOT_SESSIONS_NOW: string };
    cleanup(): Promise<void>;
  }
> {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" first`);
  const work = await mkdtemp(join(tmpdir(), "zot-e2e-"));
  const example = join(work, "example");
  await makeExampleHome(example);
  registerFixture(example);
  return {
    work,
    example,
    env: { ZOT_HOME: example, ZOT_SESSIONS_NOW: EXAMPLE_NOW },
    cleanup: () => rm(work, { recursive: true, force: true }),
  };
}
