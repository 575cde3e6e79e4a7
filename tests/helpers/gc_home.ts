/**
 * Temporary homes for gc's tests, and what is looked at after a run: the one
 * builder shared by the gc unit tests and the verb's in-process tests.
 *
 * The executor re-checks the grace period against the run's running clock,
 * which starts at its "now", so every session's mtime is set relative to
 * `NOW` (the file system's now when the test file loads, see
 * `tests/helpers/clock.ts`), and the in-process CLI is given that same "now".
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { fsNow } from "./clock.ts";
import { spawn } from "./spawn.ts";
import {
  type FixtureSession,
  messageLine,
  metaLine,
  renameLine,
  usageLine,
  withHomes,
} from "./fixtures.ts";
import { cliWith } from "./cli.ts";

/** The tests' "now": the file system's, read once. */
export const NOW = fsNow();
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A pid that cannot exist on Linux (pid_max is at most 2^22). */
export const DEAD_PID = 2 ** 22 + 12345;

/** A session id whose first 8 characters are `n` in hex. */
export function uuid(n: number): string {
  return `${n.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
}

/** The file name of session `n`. */
export function fileName(n: number): string {
  return `20260922-120509-${uuid(n).slice(0, 8)}.jsonl`;
}

/** `<key>/<name>` of session `n` in the project directory `key`, as {@linkcode left} lists it. */
export const fn = (key: string, n: number) => `${key}/${fileName(n)}`;

/** What a session holds besides its meta line. */
export interface SessOpts {
  /** No message line at all. */
  empty?: boolean;
  /** The session (by `n`) it is a fork of. */
  parent?: number;
  /** Extra bytes in the default prompt, to steer sizes. */
  pad?: number;
  cost?: number;
  /** The first prompt, instead of `prompt <n> <pad>`. */
  prompt?: string;
  /** A rename line at the end. */
  title?: string;
  /** No usage line (a prompt and a reply only). */
  noUsage?: boolean;
}

/** Session `n` in project `cwd`, last modified `ageMs` before NOW. */
export function sess(n: number, cwd: string, ageMs: number, o: SessOpts = {}): FixtureSession {
  const id = uuid(n);
  const meta = metaLine({ id, cwd, parent: o.parent === undefined ? undefined : uuid(o.parent) });
  const lines = o.empty ? [meta] : [
    meta,
    messageLine("user", o.prompt ?? `prompt ${n} ${"x".repeat(o.pad ?? 0)}`),
    ...(o.noUsage
      ? []
      : [usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: o.cost ?? 0.01 })]),
    messageLine("assistant", "ok"),
  ];
  if (o.title !== undefined) lines.push(renameLine(o.title));
  return { cwd, name: fileName(n), lines, mtimeMs: NOW - ageMs };
}

/** Runs `fn` on a temporary home holding `sessions`, removed after. */
export function withHome<T>(
  sessions: FixtureSession[],
  fn: (home: string, path: (s: FixtureSession) => string) => Promise<T>,
): Promise<T> {
  return withHomes([sessions], (h) => fn(h.home, h.path));
}

/** Runs the CLI in memory at the pinned time (userHome, processCwd, tty, columns as given). */
export const cli = cliWith({ now: NOW });

/**
 * Every entry under `root`: names, types, sizes, mtimes (also of
 * directories), contents' SHA-256, link targets; and a hash of it all.
 */
export async function treeSnapshot(root: string): Promise<{ listing: string; hash: string }> {
  const out: string[] = [];
  async function walk(dir: string, rel: string) {
    for (const name of (await readdir(dir)).sort()) {
      const p = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = await lstat(p);
      if (s.isSymbolicLink()) out.push(`L ${r} -> ${await readlink(p)} ${s.mtimeMs}`);
      else if (s.isDirectory()) {
        out.push(`D ${r} ${s.mtimeMs} ${s.mode.toString(8)}`);
        await walk(p, r);
      } else {
        const sum = createHash("sha256").update(await readFile(p)).digest("hex");
        out.push(`F ${r} ${s.size} ${s.mtimeMs} ${s.mode.toString(8)} ${sum}`);
      }
    }
  }
  await walk(root, "");
  const listing = out.join("\n");
  return { listing, hash: createHash("sha256").update(listing).digest("hex") };
}

/** Session file names left in a home, `<key>/<name>`, sorted. */
export async function left(home: string): Promise<string[]> {
  const dir = join(home, "sessions");
  if (!existsSync(dir)) return [];
  const names: string[] = [];
  for (const k of (await readdir(dir)).sort()) {
    const s = await lstat(join(dir, k));
    if (!s.isDirectory()) continue;
    for (const f of (await readdir(join(dir, k))).sort()) names.push(`${k}/${f}`);
  }
  return names;
}

/** Starts a process that stays alive (a live lock holder); `stop` waits for its end. */
export function liveProcess(): { pid: number; stop(): Promise<void> } {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  assert.ok(child.pid, "could not start sleep");
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  return {
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
