/**
 * What the index's fault tests share: the binary run with the index in a
 * given cache directory (the clock pinned to the example home's instant),
 * started without waiting when runs must overlap, and the check that an
 * answer through the index is the answer without it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "../helpers/spawn.ts";

type ChildProcess = ReturnType<typeof spawn>;
import { BIN, type Run, run } from "./harness.ts";

/** The instant the example home is read at. */
export const NOW = "2026-11-25T12:00:00Z";
/** The database's file name in the cache directory. */
export const DB = "index.sqlite";

/** Runs the binary with the index in `cache`. */
export function zs(args: string[], cache: string, env: Record<string, string> = {}): Run {
  return run(BIN, args, { ZOT_SESSIONS_NOW: NOW, ZOT_SESSIONS_CACHE: cache, ...env });
}

/** A run started without waiting for it. */
export interface Started {
  child: ChildProcess;
  /** How it ended (a signal's end has `code` null). */
  done: Promise<Run & { signal: NodeJS.Signals | null }>;
}

/** Starts the binary with the index in `cache`; `done` resolves when it ends. */
export function startZs(args: string[], cache: string, env: Record<string, string> = {}): Started {
  const child = spawn(BIN, args, {
    env: { ZOT_SESSIONS_NOW: NOW, ZOT_SESSIONS_CACHE: cache, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const done = new Promise<Run & { signal: NodeJS.Signals | null }>((res, rej) => {
    child.on("error", rej);
    child.on("close", (code, signal) => res({ code, out, err, signal }));
  });
  return { child, done };
}

/**
 * Every file under `dirs`, with its size, times, inode and mode: the same
 * string, the same bytes to read.
 */
export function fileStates(dirs: string[]): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      out.push(`${dir}: none`);
      return;
    }
    for (const e of entries.sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else {
        const s = lstatSync(path, { bigint: true });
        out.push(`${path} ${s.size} ${s.mtimeNs} ${s.ctimeNs} ${s.ino} ${s.mode}`);
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return out.join("\n");
}

/** The `--no-index` runs made, by question, with the state of the homes they read. */
const directRuns = new Map<string, { state: string; run: Run }>();

/**
 * `args` with `--no-index`: what the files say. It reads the homes named by
 * `--home` and nothing else, so it is run again only when one of their
 * files changed since the same question was last asked.
 */
function directRun(args: string[], cache: string, env: Record<string, string> = {}): Run {
  const run = () => zs([...args, "--no-index"], cache, env);
  const homes = args.flatMap((a, i) => (args[i - 1] === "--home" ? [a] : []));
  if (homes.length === 0 || "ZOT_HOME" in env) return run();
  const key = JSON.stringify([args, cache, env]);
  const state = fileStates(homes);
  const seen = directRuns.get(key);
  if (seen?.state === state) return seen.run;
  const r = run();
  if (fileStates(homes) === state) directRuns.set(key, { state, run: r });
  return r;
}

/**
 * Asserts that `args` through the index in `cache` exits and prints on
 * stdout what it does with `--no-index`; stderr too, unless `warning` is
 * given: then the index's run says it once, first, and nothing else
 * differs. Returns the run through the index. The run without the index is
 * not repeated while the homes' files stay as they were (see `directRun`).
 */
export function sameAsFiles(
  args: string[],
  cache: string,
  o: { warning?: RegExp; env?: Record<string, string> } = {},
): Run {
  const viaIndex = zs(args, cache, o.env);
  const direct = directRun(args, cache, o.env);
  const what = args.join(" ");
  assert.equal(viaIndex.out, direct.out, `${what}: stdout (stderr: ${viaIndex.err})`);
  assert.equal(viaIndex.code, direct.code, `${what}: exit code (${viaIndex.err})`);
  if (o.warning) {
    const [first, ...rest] = viaIndex.err.split("\n");
    assert.match(first, o.warning, `${what}: the warning`);
    assert.equal(rest.join("\n"), direct.err, `${what}: stderr after the one warning`);
  } else {
    assert.equal(viaIndex.err, direct.err, `${what}: stderr`);
  }
  return viaIndex;
}

/** The session files of `home`, as `ls --all` lists them (newest first). */
export function sessionPaths(home: string): string[] {
  const r = zs(["ls", "--all", "--json", "--home", home, "--no-index"], "/nonexistent");
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as { path: string }[]).map((s) => s.path);
}
