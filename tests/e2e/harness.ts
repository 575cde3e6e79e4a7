/**
 * What the end-to-end tests share: the built binary (`npm run build` →
 * dist/zot-sessions) and the same CLI under Deno and Bun, run as a user
 * would, and a fresh copy of the example home.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { makeExampleHome } from "../../scripts/make-example-home.ts";
import { TEST_CACHE } from "../helpers/cache.ts";

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
 * Runs a command with a minimal environment (no HOME, no TTY; TZ=UTC, so
 * times shown in the local zone do not depend on the machine).
 */
export function run(cmd: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      HOME: "/nonexistent",
      TZ: "UTC",
      ZOT_SESSIONS_CACHE: TEST_CACHE,
      ...env,
    },
    cwd: ROOT,
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The three ways the CLI ships: binary, Deno, Bun. */
export const RUNNERS: [string, (args: string[], env?: Record<string, string>) => Run][] = [
  ["binary", (a, e) => run(BIN, a, e)],
  ["deno", (a, e) => run(DENO, ["run", "-A", join(ROOT, "main.ts"), ...a], e)],
  ["bun", (a, e) => run(BUN, [join(ROOT, "main.ts"), ...a], e)],
];

/**
 * A temporary directory holding a fresh example home (`<dir>/example`), with
 * its files' mtimes set by the script; `cleanup` removes it.
 */
export async function exampleWorkdir(): Promise<
  { work: string; example: string; cleanup(): Promise<void> }
> {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" first`);
  const work = await mkdtemp(join(tmpdir(), "zot-e2e-"));
  const example = join(work, "example");
  await makeExampleHome(example);
  return { work, example, cleanup: () => rm(work, { recursive: true, force: true }) };
}
