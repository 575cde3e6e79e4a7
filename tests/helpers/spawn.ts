/**
 * Every process a test starts is started here: the binary, the CLI under
 * Deno or Bun, and the tools around them (`mkfifo`, `script`, `mount`…).
 * `tests/harness_rules_test.ts` fails any other test module that imports
 * `node:child_process`.
 *
 * What this adds to `node:child_process`:
 *
 * - **A small, fixed environment.** No HOME, TZ=UTC, the test process's
 *   index cache; `env` adds to it (a key set to `undefined` removes one).
 * - **A pinned clock.** `ZOT_SESSIONS_NOW` is set to {@linkcode fsNow} (the
 *   file system's now) unless the test pins another instant. A run that
 *   needs the real clock says so by name, with a reason (`realClock: "…"`);
 *   a run with neither a valid instant nor a reason throws before it starts.
 *   A run pointed at a fixture whose times are fixed (the example home,
 *   zot's samples) must pin its own instant: the file system's now would
 *   make its answers depend on the date.
 * - **libfaketime passed on.** Under `faketime` the children inherit the
 *   moved clock (`LD_PRELOAD`, `FAKETIME`, `DONT_FAKE_MONOTONIC`), so code
 *   that reads the process clock behind the context's back shows up in the
 *   shifted run; `withoutFaketime` leaves it out (Chromium times out there).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as child from "node:child_process";
import { appendFileSync } from "node:fs";
import type { SpawnOptions as NodeSpawnOptions, SpawnSyncOptions } from "node:child_process";
import { dirname, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { TEST_CACHE } from "./cache.ts";
import { fsNowIso } from "./clock.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** What a test says about the clock and the environment of a run. */
export interface ClockOptions {
  /** Added to the base environment; `undefined` removes a key. */
  env?: Record<string, string | undefined>;
  /** Why this run must see the real clock (its clock is then not pinned). */
  realClock?: string;
  /** Leave libfaketime out of this program's environment. */
  withoutFaketime?: boolean;
}

/** The variables through which libfaketime reaches a child. */
const FAKETIME_VARS = /^(LD_PRELOAD|FAKETIME|FAKETIME_.*|DONT_FAKE_MONOTONIC)$/;

/**
 * Where `npm test` hands libfaketime's variables to a test process that it
 * started without them (`ZOT_TEST_FAKETIME`, JSON): Deno crashes now and
 * then under libfaketime (a segmentation fault in about 1 run in 20, with
 * or without DONT_FAKE_MONOTONIC, measured 2026-12-07), so the Deno test
 * runner runs without it, and the processes it starts get it from here.
 */
export const FAKETIME_HANDOFF = "ZOT_TEST_FAKETIME";

/**
 * libfaketime's variables for a child: this process's, or those handed to
 * it; never `FAKETIME_SHARED`. That names the `faketime` wrapper's
 * semaphore and shared memory, which only its "start at" times need (an
 * offset such as '+731d' does not): a child running as another user cannot
 * open them (libfaketime then fails every call), and a child killed while
 * holding the semaphore would block every later one.
 */
export function faketimeVars(
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const own = Object.entries(env).filter(([k, v]) => FAKETIME_VARS.test(k) && v !== undefined);
  const handed = env[FAKETIME_HANDOFF];
  const vars: Record<string, string> = own.length > 0
    ? Object.fromEntries(own) as Record<string, string>
    : handed
    ? JSON.parse(handed)
    : {};
  delete vars.FAKETIME_SHARED;
  return vars;
}

/**
 * Where each process a test starts is noted, one line each (the command
 * and its arguments, each cut to 60 characters), when `ZOT_TEST_SPAWN_LOG` names a file: to count a
 * test file's spawns when its cost is measured, e.g.
 * `ZOT_TEST_SPAWN_LOG=/tmp/s deno test -A --no-check tests/e2e/x_test.ts`,
 * then `sort /tmp/s | uniq -c | sort -n`.
 */
const SPAWN_LOG = process.env.ZOT_TEST_SPAWN_LOG;

/** Notes a process about to start in the spawn log, if there is one. */
function logSpawn(cmd: string, args: readonly string[]): void {
  if (!SPAWN_LOG) return;
  const words = [cmd, ...args].map((w) => w.length > 60 ? `${w.slice(0, 57)}...` : w);
  appendFileSync(SPAWN_LOG, `${words.join(" ").replaceAll("\n", " ")}\n`);
}

/** Whether `cmd` is Deno, which runs without libfaketime (see FAKETIME_HANDOFF). */
function isDeno(cmd: string): boolean {
  return /(^|\/)deno$/.test(cmd);
}

/** Directories whose sessions have fixed times: a run there pins its clock. */
const fixtureRoots = new Set<string>([
  resolve(ROOT, "examples"),
  resolve(ROOT, "tests", "fixtures"),
  resolve(ROOT, "..", "shared"),
]);

/** Marks `dir` as holding sessions with fixed times (see the module doc). */
export function registerFixture(dir: string): void {
  fixtureRoots.add(resolve(dir));
}

/**
 * The environment of a child: the base, libfaketime's variables, the pinned
 * clock, then `o.env`. Throws when the clock is neither pinned to a valid
 * instant nor released with a reason, or when a fixture is read at the
 * file system's now.
 */
export function childEnv(o: ClockOptions = {}, args: readonly string[] = []): Record<
  string,
  string
> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: "/nonexistent",
    TZ: "UTC",
    ZOT_SESSIONS_CACHE: TEST_CACHE,
  };
  if (!o.withoutFaketime) Object.assign(env, faketimeVars());
  const pinnedByTest = o.env !== undefined && "ZOT_SESSIONS_NOW" in o.env;
  if (!o.realClock) env.ZOT_SESSIONS_NOW = fsNowIso();
  Object.assign(env, o.env);
  if (o.realClock) {
    if (pinnedByTest) throw new Error("a run cannot both pin ZOT_SESSIONS_NOW and use realClock");
    delete env.ZOT_SESSIONS_NOW;
  } else {
    const now = env.ZOT_SESSIONS_NOW;
    if (!now || Number.isNaN(Date.parse(now))) {
      throw new Error(
        `ZOT_SESSIONS_NOW is ${JSON.stringify(now)}: pin the clock to an instant, ` +
          `or say why this run needs the real one (realClock: "…")`,
      );
    }
    if (!pinnedByTest) {
      const fixture = fixtureIn([...args, ...Object.values(env).filter((v) => v !== undefined)]);
      if (fixture) {
        throw new Error(
          `"${fixture}" holds sessions with fixed times: pin ZOT_SESSIONS_NOW ` +
            `(EXAMPLE_NOW, SAMPLES_NOW) instead of reading it at today's date`,
        );
      }
    }
  }
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as Record<string, string>;
}

/** The first fixture directory that a word names or lies in, if any. */
function fixtureIn(words: readonly (string | undefined)[]): string | undefined {
  for (const w of words) {
    if (!w || !w.includes("/")) continue;
    for (const part of w.split(/[=:]/)) {
      if (!part.startsWith("/")) continue;
      const p = resolve(part);
      for (const root of fixtureRoots) {
        if (p === root || p.startsWith(root + "/")) return root;
      }
    }
  }
  return undefined;
}

/**
 * `node:child_process.spawnSync`, with the environment and clock above.
 *
 * The child is started through `env -i NAME=VALUE… CMD ARGS…` (which
 * execs CMD: same pid, same signals): Deno's `spawnSync` (2.9) adds the
 * test process's whole environment to the `env` it is given (its `spawn`
 * no longer does: denoland/deno#27343), so a developer's NO_COLOR, ZOT_HOME
 * or a released clock's ZOT_SESSIONS_NOW, and libfaketime where it was to
 * be left out, reached the child. A CMD that is not found exits 127
 * (env's) instead of failing with ENOENT.
 */
export function spawnSync(
  cmd: string,
  args: readonly string[],
  o: Omit<SpawnSyncOptions, "env"> & ClockOptions & { encoding: BufferEncoding },
): child.SpawnSyncReturns<string>;
export function spawnSync(
  cmd: string,
  args: readonly string[],
  o?: Omit<SpawnSyncOptions, "env"> & ClockOptions,
): child.SpawnSyncReturns<Buffer>;
export function spawnSync(
  cmd: string,
  args: readonly string[],
  o: Omit<SpawnSyncOptions, "env"> & ClockOptions = {},
): child.SpawnSyncReturns<string | Buffer> {
  const { env, realClock, withoutFaketime, ...rest } = o;
  const vars = childEnv({ env, realClock, withoutFaketime: withoutFaketime || isDeno(cmd) }, args);
  // env(1) would take a word with "=" for one more variable.
  if (cmd.includes("=")) throw new Error(`spawnSync: cannot run "${cmd}" through env(1)`);
  logSpawn(cmd, args);
  const assignments = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  // By its path: the PATH of `vars` may not hold it (a test of "zot not on PATH").
  return child.spawnSync("/usr/bin/env", ["-i", ...assignments, cmd, ...args], {
    cwd: ROOT,
    ...rest,
    env: vars,
  });
}

/** `node:child_process.spawn`, with the environment and clock above. */
export function spawn(
  cmd: string,
  args: readonly string[],
  o: Omit<NodeSpawnOptions, "env"> & ClockOptions = {},
): child.ChildProcess {
  const { env, realClock, withoutFaketime, ...rest } = o;
  logSpawn(cmd, args);
  return child.spawn(cmd, args, {
    cwd: ROOT,
    ...rest,
    env: childEnv({ env, realClock, withoutFaketime: withoutFaketime || isDeno(cmd) }, args),
  });
}

/** Whether a program is on the PATH. */
export function hasProgram(name: string): boolean {
  logSpawn("sh", ["-c", `command -v "$0"`, name]);
  return child.spawnSync("sh", ["-c", `command -v "$0"`, name]).status === 0;
}
export type { ChildProcess } from "node:child_process";
