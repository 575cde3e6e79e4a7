/**
 * The home `export --html`'s in-process tests share (tests/commands/export*):
 * two projects, a parent and its fork, a session whose prompt is markup, and
 * one whose id is a path; a `cli` that runs in a work directory of its own
 * with the clock pinned; and readers of a site's files.
 *
 * @module
 */
import { mkdtemp, readdir, readFile, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { messageLine, metaLine, renameLine, tempHome, usageLine } from "./fixtures.ts";
import { runIn } from "./cli.ts";

export const USER_HOME = "/home/dev";
export const A = "/home/dev/alpha";
export const B = "/home/dev/<b>&co";
export const PARENT = "0e19291e-c841-4742-bbcc-90199e65f26e";
export const FORK = "8740d21c-1111-4222-8333-444455556666";
export const OTHER = "5a5a5a5a-1111-4222-8333-444455556666";
export const HOSTILE = "../../Evil<id>";
export const NOW = Date.parse("2026-11-25T12:00:00Z");
export const HOUR = 3_600_000;

const session = (id: string, cwd: string, prompt: string, cost: number, more: string[] = []) => [
  metaLine({ id, cwd, started: "2026-11-20T10:00:00Z" }),
  messageLine("user", prompt, "2026-11-20T10:00:01Z"),
  usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: cost }),
  messageLine("assistant", "done", "2026-11-20T10:00:02Z"),
  ...more,
];

/** The sessions: [0] the parent, [1] its fork (at 2), [2] OTHER, [3] HOSTILE. */
export const FILES = [
  {
    cwd: A,
    name: "20261120-100000-0e19291e.jsonl",
    lines: session(PARENT, A, "fix the build in /home/dev/alpha", 0.5, [renameLine("build fix")]),
    mtimeMs: NOW - 3 * HOUR,
  },
  {
    cwd: A,
    name: "20261120-110000-8740d21c.jsonl",
    lines: [
      metaLine({ id: FORK, cwd: A, parent: PARENT, fork_point: 2 }),
      ...session(PARENT, A, "fix the build in /home/dev/alpha", 0.5).slice(1),
      messageLine("user", "and the tests", "2026-11-20T11:00:01Z"),
      usageLine({ input_tokens: 200, output_tokens: 20, cost_usd: 0.75 }),
      messageLine("assistant", "green", "2026-11-20T11:00:02Z"),
    ],
    mtimeMs: NOW - 2 * HOUR,
  },
  {
    cwd: B,
    name: "20261120-120000-5a5a5a5a.jsonl",
    lines: session(OTHER, B, "<script>alert(1)</script> & more", 0.125),
    mtimeMs: NOW - 1 * HOUR,
  },
  {
    cwd: B,
    name: "20261120-090000-deadbeef.jsonl",
    lines: session(HOSTILE, B, `"><img src=x onerror=alert(1)>`, 0),
    mtimeMs: NOW - 4 * HOUR,
  },
];

/** A home of {@linkcode FILES}, a work directory, and the CLI run in it. */
export interface ExportHome {
  home: string;
  work: string;
  /** Where a session of {@linkcode FILES} is. */
  path(s: (typeof FILES)[number]): string;
  cli(args: string[]): ReturnType<typeof runIn>;
  cleanup(): Promise<void>;
}

/** Makes the home and the work directory (`--home` is added to each run). */
export async function exportHome(): Promise<ExportHome> {
  const h = await tempHome(FILES);
  const work = await mkdtemp(join(tmpdir(), "zot-export-"));
  return {
    home: h.home,
    work,
    path: h.path,
    cli: (args) =>
      runIn([...args, "--home", h.home], {
        now: NOW,
        processCwd: work,
        userHome: USER_HOME,
        env: { NO_COLOR: "1", TZ: "UTC" },
      }),
    async cleanup() {
      await h.cleanup();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Each page of `dir` (name → text), the manifest left out. */
export async function pages(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith(".html")) out.set(name, await readFile(join(dir, name), "utf8"));
  }
  return out;
}

/** The modification time of each file of `dir`. */
export async function mtimes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of await readdir(dir)) out.set(name, (await stat(join(dir, name))).mtimeMs);
  return out;
}

/** Sets every file of `dir` an hour back, so that a rewrite shows in its mtime. */
export async function age(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    await utimes(join(dir, name), (NOW - HOUR) / 1000, (NOW - HOUR) / 1000);
  }
}

/** The pages the index links to, in its order. */
export function indexLinks(index: string): string[] {
  return [...index.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
}
