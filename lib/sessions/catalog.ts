/**
 * Where the sessions are: the per-project directories under a home and the
 * session files in them, in zot's "newest first" order. The one walker of
 * the sessions tree, with a strict mode for gc ({@linkcode listStrict}).
 *
 * @module
 */
import { constants, type Dirent, lstatSync } from "node:fs";
import { access, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { describeSystemError, PathError } from "../base/errors.ts";
import { projectKey, sessionsDir } from "./home.ts";

/** A per-project directory name zot writes: 16 lowercase hex characters. */
export const PROJECT_DIR = /^[0-9a-f]{16}$/;
/** A session file gc may remove: a plain name ending in `.jsonl`. */
export const SESSION_FILE = /^[^/\\]+\.jsonl$/;

/** A session file found on disk, before it is read. */
export interface SessionFile {
  /** Absolute path (as joined from the home). */
  path: string;
  /** The per-cwd directory name (16 hex characters for zot's own). */
  dir: string;
  /** Size in bytes. */
  bytes: number;
  /**
   * Modification time in whole milliseconds. zot compares nanoseconds, but
   * Deno's `stat` gives milliseconds only; one precision for every runtime
   * keeps the order (and `--json`) identical across them.
   */
  mtimeMs: number;
  /** Device, inode and status-change time, when the listing knows them (the index's fingerprint). */
  dev?: number;
  ino?: number;
  ctimeMs?: number;
}

/**
 * A file's modification time in whole milliseconds: the one precision every
 * runtime gives (Deno's `stat` has no nanoseconds), so order, plans and
 * re-checks agree everywhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mtimeMsOf } from "./catalog.ts";
 *
 * const mtime = new Date("2026-09-22T12:05:09.382Z");
 * assert.equal(mtimeMsOf({ mtime }), Date.parse("2026-09-22T12:05:09.382Z"));
 * ```
 */
export function mtimeMsOf(s: { mtime: Date }): number {
  return Math.floor(s.mtime.getTime());
}

/** A problem met while listing, reported and skipped. */
export interface CatalogProblem {
  path: string;
  message: string;
}

/** Files found, and what could not be listed. */
export interface Catalog {
  /** The directory that was listed. */
  root: string;
  files: SessionFile[];
  problems: CatalogProblem[];
}

/**
 * What a session file's name looks like: `.jsonl`, or `.jsonl.gz` as
 * `gc --archive --compress` stores them (read transparently).
 */
export function isSessionFileName(name: string): boolean {
  return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
}

/**
 * zot's "newest first": modification time descending, ties broken by full
 * path descending.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newestFirst } from "./catalog.ts";
 *
 * const file = (path: string, mtimeMs: number) => ({ path, dir: "k", bytes: 0, mtimeMs });
 * const files = [file("/k/a.jsonl", 1), file("/k/b.jsonl", 2), file("/k/c.jsonl", 1)];
 * assert.deepEqual(files.sort(newestFirst).map((f) => f.path), ["/k/b.jsonl", "/k/c.jsonl", "/k/a.jsonl"]);
 * ```
 */
export function newestFirst(a: SessionFile, b: SessionFile): number {
  if (a.mtimeMs !== b.mtimeMs) return b.mtimeMs - a.mtimeMs;
  return a.path < b.path ? 1 : a.path > b.path ? -1 : 0;
}

/**
 * The sessions of one project (by cwd), newest first. A missing directory is
 * an empty list, not an error; one that cannot be read is a
 * {@linkcode PathError} (an empty list would read as "no sessions").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { projectKey } from "./home.ts";
 * import { listProject } from "./catalog.ts";
 *
 * // A tiny zot home with one session of the project /src/app.
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions", projectKey("/src/app"));
 * await mkdir(dir, { recursive: true });
 * await writeFile(join(dir, "20260922-120509-0e19291e.jsonl"), "");
 * const catalog = await listProject(home, "/src/app");
 * assert.deepEqual(catalog.files.map((f) => f.dir), [projectKey("/src/app")]);
 * assert.equal((await listProject(home, "/src/other")).files.length, 0);
 * await rm(home, { recursive: true });
 * ```
 */
export async function listProject(home: string, cwd: string): Promise<Catalog> {
  const key = projectKey(cwd);
  const out: Catalog = { root: join(sessionsDir(home), key), files: [], problems: [] };
  await listDir(out.root, key, out, { home });
  out.files.sort(newestFirst);
  return out;
}

/**
 * The sessions of every project under a home, newest first. A missing
 * `sessions` directory is an empty list; one that cannot be read is a
 * {@linkcode PathError}; a project directory that cannot be read is a
 * problem, reported with the others listed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { projectKey } from "./home.ts";
 * import { listAll } from "./catalog.ts";
 *
 * // A tiny zot home with one session of the project /src/app.
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions", projectKey("/src/app"));
 * await mkdir(dir, { recursive: true });
 * await writeFile(join(dir, "20260922-120509-0e19291e.jsonl"), "");
 * const catalog = await listAll(home);
 * assert.equal(catalog.files.length, 1);
 * assert.deepEqual(catalog.problems, []);
 * await rm(home, { recursive: true });
 * ```
 */
export async function listAll(home: string): Promise<Catalog> {
  const out: Catalog = { root: sessionsDir(home), files: [], problems: [] };
  for await (const c of listByProject(home)) {
    for (const f of c.files) out.files.push(f);
    for (const p of c.problems) out.problems.push(p);
  }
  out.files.sort(newestFirst);
  return out;
}

/**
 * {@linkcode listAll} one project directory at a time (directories by name,
 * each catalogue's files newest first, its `root` the sessions directory):
 * for a reader that keeps nothing per session, so that not every file of
 * the home is listed at once. The same failures as listAll's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { projectKey } from "./home.ts";
 * import { listByProject } from "./catalog.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * for (const cwd of ["/src/a", "/src/b"]) {
 *   const dir = join(home, "sessions", projectKey(cwd));
 *   await mkdir(dir, { recursive: true });
 *   await writeFile(join(dir, "20260922-120509-0e19291e.jsonl"), "");
 * }
 * const sizes: number[] = [];
 * for await (const c of listByProject(home)) sizes.push(c.files.length);
 * assert.deepEqual(sizes, [1, 1]);
 * await rm(home, { recursive: true });
 * ```
 */
export async function* listByProject(home: string): AsyncGenerator<Catalog> {
  const root = sessionsDir(home);
  const top: Catalog = { root, files: [], problems: [] };
  const entries = await readDirOrReport(root, top, home);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const name of dirs) {
    const out: Catalog = { root, files: [], problems: [] };
    await listDir(join(root, name), name, out, {});
    out.files.sort(newestFirst);
    yield out;
  }
}

/**
 * A directory's entries; a missing one is empty, another failure reported,
 * or thrown when it is the directory the verb was asked to list (`home` is
 * given then).
 */
async function readDirOrReport(path: string, out: Catalog, home?: string) {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") return [];
    if (home === undefined) {
      out.problems.push({ path, message: describeSystemError(err) });
      return [];
    }
    // Failing to list sessions/<key> may be about "sessions" itself (a file,
    // or a directory that cannot be searched): name the one at fault.
    const sessions = sessionsDir(home);
    if (path !== sessions && code === "ENOTDIR") {
      const s = await stat(sessions).catch(() => null);
      if (s && !s.isDirectory()) throw new PathError("read", sessions, "not a directory");
    }
    if (path !== sessions && (code === "EACCES" || code === "EPERM")) {
      const denied = await access(sessions, constants.X_OK).then(() => null, (e) => e);
      if (denied) throw new PathError("read", sessions, describeSystemError(denied));
    }
    throw new PathError("read", path, describeSystemError(err));
  }
}

/**
 * gc's walk of a sessions directory (strict mode): only regular `*.jsonl`
 * files directly in `<16 hex>/` directories (only `onlyDir` if given),
 * found without following any symbolic link. A link (to a project directory
 * or a session file) is a problem, reported and not followed; so is a
 * project directory or a file that cannot be read. Anything else (other
 * names, FIFOs, subdirectories) is not a session and is passed over. The
 * files come in walk order (project directories by name), not sorted.
 * Failing to list `sessions` itself is a {@linkcode PathError}; whether
 * it is a real directory is for the caller to check first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const sessions = await mkdtemp(join(tmpdir(), "zot-sessions-"));
 * assert.deepEqual(await listStrict(sessions, null), { root: sessions, files: [], problems: [] });
 * await rm(sessions, { recursive: true });
 * ```
 */
export async function listStrict(sessions: string, onlyDir: string | null): Promise<Catalog> {
  const out: Catalog = { root: sessions, files: [], problems: [] };
  let entries;
  try {
    entries = await readdir(sessions, { withFileTypes: true });
  } catch (err) {
    throw new PathError("list", sessions, describeSystemError(err));
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!PROJECT_DIR.test(entry.name) || (onlyDir !== null && entry.name !== onlyDir)) continue;
    const dirPath = join(sessions, entry.name);
    if (entry.isSymbolicLink()) {
      out.problems.push({ path: dirPath, message: NOT_FOLLOWED });
    } else if (entry.isDirectory()) {
      await listDir(dirPath, entry.name, out, STRICT);
    }
  }
  return out;
}

/** What a strict walk says of a symbolic link. */
const NOT_FOLLOWED = "a symbolic link (not followed)";

/** How a walk treats what it finds in a project directory. */
interface Mode {
  /** The home, when the directory is the one a verb was asked to list (its failure is thrown). */
  home?: string;
  /** gc's mode: see {@linkcode listStrict}. */
  strict?: boolean;
}

const STRICT: Mode = { strict: true };

/** The entries of a project directory, or none, its failure reported as a problem (strict). */
async function readProjectDir(dirPath: string, out: Catalog, mode: Mode): Promise<Dirent[]> {
  if (!mode.strict) return await readDirOrReport(dirPath, out, mode.home);
  try {
    return await readdir(dirPath, { withFileTypes: true });
  } catch (err) {
    out.problems.push({ path: dirPath, message: describeSystemError(err) });
    return [];
  }
}

async function listDir(dirPath: string, dir: string, out: Catalog, mode: Mode): Promise<void> {
  const entries = await readProjectDir(dirPath, out, mode);
  // Regular files only: a symbolic link is not a session (as for zot's
  // picker); gc reports it, and takes only plain `.jsonl` names.
  const names = entries.filter((e) =>
    mode.strict
      ? SESSION_FILE.test(e.name) && (e.isFile() || e.isSymbolicLink())
      : e.isFile() && isSessionFileName(e.name)
  );
  // lstatSync: ~10x faster than the promise form (a warm ls of 244 files:
  // 1.2 against 9-13 ms), and a stat does not wait on the disk for long.
  const found = names.map((e): SessionFile | CatalogProblem | null => {
    const path = join(dirPath, e.name);
    if (e.isSymbolicLink()) return { path, message: NOT_FOLLOWED };
    try {
      const s = lstatSync(path);
      // Replaced since it was listed: gc takes only what is a file now.
      if (mode.strict && !s.isFile()) return null;
      return {
        path,
        dir,
        bytes: s.size,
        mtimeMs: mtimeMsOf(s),
        dev: s.dev,
        ino: s.ino,
        ctimeMs: s.ctimeMs,
      };
    } catch (err) {
      return { path, message: describeSystemError(err) };
    }
  });
  // In the directory's order.
  for (const f of found) {
    if (f === null) continue;
    if ("message" in f) out.problems.push(f);
    else out.files.push(f);
  }
}
