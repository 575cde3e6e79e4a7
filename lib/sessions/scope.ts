/**
 * Where to look for sessions ({@linkcode SessionScope}): built once, when a
 * verb's context is made, and passed down to whatever lists, loads, counts or
 * resolves sessions. What is in it: the catalogues of its homes, for one
 * project or for every one (`--all`), and the one message for a directory
 * that could not be listed.
 *
 * @module
 */
import {
  type Catalog,
  type CatalogProblem,
  listAll,
  listByProject,
  listProject,
  newestFirst,
  type SessionFile,
} from "./catalog.ts";
import { checkHome, projectKey } from "./home.ts";
import type { SessionSource } from "./source.ts";

/**
 * Where to look: the homes, the project, what a relative path is relative
 * to, and the source that reads the files (or the index).
 */
export interface SessionScope {
  /** Reads summaries, spend events, first meta lines and search hits. */
  source: SessionSource;
  /** Absolute homes to read (the first one is the default). */
  homes: string[];
  /**
   * The project, as zot names it. Read only when asked: the current directory
   * may be gone, which only what needs the project should fail on (`--all`,
   * an absolute path, `--cwd` need none).
   */
  readonly cwd: string;
  /** What a relative path is relative to (the process cwd); read only for a relative path. */
  readonly base: string;
  /**
   * Whether the user named the homes (`--home`, `$ZOT_HOME`): each must then
   * exist ({@linkcode checkHomes}). zot's per-OS default may be missing.
   */
  named?: boolean;
}

/**
 * Refuses a home the user named (`--home` or `$ZOT_HOME`) that does not exist
 * or is not a directory, as one line naming it (exit 1). zot's per-OS
 * default may be missing: zot has not run yet, which reads as no sessions.
 * Each verb's reader calls it after the verb has checked its own flags
 * (usage errors first), before reading a home.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkHomes } from "./scope.ts";
 *
 * await checkHomes({ homes: ["/no/such/home"], named: false }); // zot's default: may be missing
 * await assert.rejects(
 *   checkHomes({ homes: ["/no/such/home"], named: true }),
 *   /Cannot read zot home "\/no\/such\/home"/,
 * );
 * ```
 */
export async function checkHomes(scope: Pick<SessionScope, "homes" | "named">): Promise<void> {
  if (!scope.named) return;
  for (const home of scope.homes) await checkHome(home);
}

/**
 * The catalogues of the scope's homes: the project's, or every project's
 * (`all`, which never reads the project).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listCatalogs } from "./scope.ts";
 *
 * const gone = (): string => {
 *   throw new Error("no current directory");
 * };
 * const scope = {
 *   homes: ["/nonexistent-home"],
 *   get cwd() {
 *     return gone();
 *   },
 * };
 * const [catalog] = await listCatalogs(scope, true);
 * assert.deepEqual(catalog.files, []);
 * await assert.rejects(listCatalogs(scope, false), /no current directory/);
 * ```
 */
export async function listCatalogs(
  scope: Pick<SessionScope, "homes" | "cwd">,
  all: boolean,
): Promise<Catalog[]> {
  return await Promise.all(
    scope.homes.map((home) => all ? listAll(home) : listProject(home, scope.cwd)),
  );
}

/**
 * The scope's catalogues one project directory at a time (every project's
 * when `all`, else the project's: a catalogue a home), as
 * {@linkcode listCatalogs} lists them at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eachCatalog } from "./scope.ts";
 * const scope = { homes: ["/nonexistent"], cwd: "/p" };
 * const roots: string[] = [];
 * for await (const c of eachCatalog(scope, false)) roots.push(c.root);
 * assert.equal(roots.length, 1);
 * ```
 */
export async function* eachCatalog(
  scope: Pick<SessionScope, "homes" | "cwd">,
  all: boolean,
): AsyncGenerator<Catalog> {
  for (const home of scope.homes) {
    if (all) yield* listByProject(home);
    else yield await listProject(home, scope.cwd);
  }
}

/**
 * The session files of the catalogues, newest first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newestFiles } from "./scope.ts";
 *
 * const file = (path: string, mtimeMs: number) => ({ path, dir: "k", bytes: 0, mtimeMs });
 * const a = { root: "/a", files: [file("/a/1.jsonl", 1)], problems: [] };
 * const b = { root: "/b", files: [file("/b/2.jsonl", 2)], problems: [] };
 * assert.deepEqual(newestFiles([a, b]).map((f) => f.path), ["/b/2.jsonl", "/a/1.jsonl"]);
 * ```
 */
export function newestFiles(catalogs: Catalog[]): SessionFile[] {
  return catalogs.flatMap((c) => c.files).sort(newestFirst);
}

/**
 * The one message for a directory that could not be listed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cannotList } from "./scope.ts";
 *
 * assert.equal(
 *   cannotList({ path: "/h/sessions/k", message: "permission denied" }),
 *   'Cannot list "/h/sessions/k": permission denied',
 * );
 * ```
 */
export function cannotList(problem: CatalogProblem): string {
  return `Cannot list "${problem.path}": ${problem.message}`;
}

/**
 * The messages for every directory the catalogues could not list, in their
 * order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listingProblems } from "./scope.ts";
 *
 * const catalog = { root: "/h", files: [], problems: [{ path: "/h/x", message: "gone" }] };
 * assert.deepEqual(listingProblems([catalog]), ['Cannot list "/h/x": gone']);
 * ```
 */
export function listingProblems(catalogs: Catalog[]): string[] {
  return catalogs.flatMap((c) => c.problems.map(cannotList));
}

/**
 * The session files of the project (or of every project, `all`) in every
 * home, newest first; what could not be listed is passed over.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { projectKey } from "./home.ts";
 * import { listScope } from "./scope.ts";
 * import { FileSource } from "./source.ts";
 *
 * // A tiny zot home with one session of the project /src/app.
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions", projectKey("/src/app"));
 * await mkdir(dir, { recursive: true });
 * await writeFile(join(dir, "20260922-120509-0e19291e.jsonl"), "");
 * const scope = { source: new FileSource(), homes: [home], cwd: "/src/app", base: "/" };
 * const [latest] = await listScope(scope, false);
 * assert.equal(latest.path, join(dir, "20260922-120509-0e19291e.jsonl"));
 * await rm(home, { recursive: true });
 * ```
 */
export async function listScope(
  scope: Pick<SessionScope, "homes" | "cwd">,
  all: boolean,
): Promise<SessionFile[]> {
  return newestFiles(await listCatalogs(scope, all));
}

/**
 * The session files of the catalogues, each session once: the same session
 * synced into two homes (the same place under `sessions/`) is its newest
 * copy (the bigger one at the same time); files last written before
 * `sinceMs` are left out unread (they cannot hold later spend). Newest first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { distinctFiles } from "./scope.ts";
 *
 * const file = (path: string, mtimeMs: number) => ({ path, dir: "k", bytes: 0, mtimeMs });
 * const a = { root: "/a", files: [file("/a/sessions/k/1.jsonl", 1)], problems: [] };
 * const b = { root: "/b", files: [file("/b/sessions/k/1.jsonl", 2)], problems: [] };
 * assert.deepEqual(distinctFiles([a, b], null).map((f) => f.path), ["/b/sessions/k/1.jsonl"]);
 * assert.deepEqual(distinctFiles([a, b], 3), []);
 * ```
 */
export function distinctFiles(catalogs: Catalog[], sinceMs: number | null): SessionFile[] {
  const byPlace = new Map<string, SessionFile>();
  for (const { files } of catalogs) {
    for (const f of files) {
      const place = `${f.dir}/${f.path.slice(f.path.lastIndexOf("/") + 1)}`;
      const seen = byPlace.get(place);
      if (
        !seen || f.mtimeMs > seen.mtimeMs || (f.mtimeMs === seen.mtimeMs && f.bytes > seen.bytes)
      ) {
        byPlace.set(place, f);
      }
    }
  }
  return [...byPlace.values()]
    .filter((f) => sinceMs === null || f.mtimeMs >= sinceMs)
    .sort(newestFirst);
}

/**
 * How many sessions the scope's homes hold in projects other than its own:
 * what "nothing here" messages point to (`--all`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionsElsewhere } from "./scope.ts";
 *
 * assert.equal(await sessionsElsewhere({ homes: ["/nonexistent-home"], cwd: "/src/app" }), 0);
 * ```
 */
export async function sessionsElsewhere(
  scope: Pick<SessionScope, "homes" | "cwd">,
): Promise<number> {
  const here = projectKey(scope.cwd);
  return (await listScope(scope, true)).filter((f) => f.dir !== here).length;
}
