/**
 * What `blame` answers: the own `edit` and `write` calls of the project's
 * sessions and those of the projects above it that hold the file (or every
 * project's; a fork's copies count as its own when its
 * parent's file is gone) whose file, joined with the session's cwd,
 * is a given absolute path; each with its session's id, project and title;
 * newest first. The calls come from the {@linkcode SessionSource} (the
 * index's rows, or the files read), the sessions' facts from their
 * summaries.
 *
 * @module
 */
import { posix } from "node:path";
import { describeSystemError, isFileProblem } from "../base/errors.ts";
import { parseRfc3339 } from "../base/time.ts";
import type { SessionFile } from "./catalog.ts";
import type { ChangesProgress, SessionChange } from "./changes.ts";
import { projectKey } from "./home.ts";
import { idFromFileName, sessionId } from "./info.ts";
import {
  listCatalogs,
  listingProblems,
  listScope,
  newestFiles,
  type SessionScope,
} from "./scope.ts";

/** A change as `blame` lists it. */
export interface BlameChange extends SessionChange {
  /** The session's id. */
  id: string;
  /** Its project (the latest meta line's cwd). */
  cwd: string;
  /** Its title, else its first prompt, else null. */
  title: string | null;
}

/** What `blame` found. */
export interface BlameResult {
  /** Newest first: by the message's time, then the newer session, then the later message. */
  changes: BlameChange[];
  /** Directories and files that could not be read (skipped). */
  problems: string[];
  /** With nothing found in the project: how many sessions the other projects hold. */
  elsewhere: number;
}

/**
 * The changes to `absolute` (normalised) in the project's sessions, or
 * every project's (`all`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileSource } from "./source.ts";
 * import { blameChanges } from "./blame.ts";
 *
 * const scope = { source: new FileSource(), homes: ["/nonexistent-home"], named: false, cwd: "/src", base: "/" };
 * const found = await blameChanges(scope, "/src/a.go", false);
 * assert.deepEqual([found.changes, found.elsewhere], [[], 0]);
 * ```
 */
export async function blameChanges(
  scope: SessionScope,
  absolute: string,
  all: boolean,
  onProgress?: ChangesProgress,
): Promise<BlameResult> {
  const dirs = all ? [] : projectsAbove(scope.cwd, absolute);
  const catalogs = all
    ? await listCatalogs(scope, true)
    : (await Promise.all(dirs.map((cwd) => listCatalogs({ ...scope, cwd }, false)))).flat();
  const problems = listingProblems(catalogs);
  const files = newestFiles(catalogs);
  const found = await scope.source.changesTo(files, absolute, onProgress);
  problems.push(...found.problems);
  const order = new Map(files.map((f, i) => [f.path, { file: f, at: i }]));
  const facts = new Map<string, SessionFacts | null>();
  for (const path of new Set(found.changes.map((c) => c.session))) {
    facts.set(path, await factsOf(scope, order.get(path)!.file, problems));
  }
  const orphans = await orphanForks(scope, found.changes, facts);
  const changes: BlameChange[] = [];
  for (const c of found.changes) {
    const f = facts.get(c.session);
    // A fork's copies are its parent's, unless its parent's file is gone.
    if (f && (!c.inherited || orphans.has(c.session))) {
      changes.push({ ...c, id: f.id, cwd: f.cwd, title: f.title });
    }
  }
  const time = (c: BlameChange) => parseRfc3339(c.time) ?? -Infinity;
  changes.sort((a, b) =>
    time(b) - time(a) || order.get(a.session)!.at - order.get(b.session)!.at ||
    b.ordinal - a.ordinal
  );
  const elsewhere = !all && changes.length === 0 ? await othersThan(scope, dirs) : 0;
  return { changes, problems, elsewhere };
}

/**
 * The projects whose sessions `blame` looks at without `--all`: the
 * current directory's, and each directory above it whose tree holds the
 * file (`git blame` answers from a project's subdirectory too; zot keys a
 * project by the directory it ran in).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectsAbove } from "./blame.ts";
 *
 * assert.deepEqual(projectsAbove("/src/app/lib", "/src/app/lib/a.go"), ["/src/app/lib", "/src/app", "/src", "/"]);
 * assert.deepEqual(projectsAbove("/src/app/lib", "/src/b.go"), ["/src/app/lib", "/src", "/"]);
 * ```
 */
export function projectsAbove(cwd: string, absolute: string): string[] {
  const out = [cwd];
  for (let dir = posix.dirname(cwd);; dir = posix.dirname(dir)) {
    if (absolute === dir || absolute.startsWith(dir === "/" ? "/" : dir + "/")) out.push(dir);
    if (dir === posix.dirname(dir)) return out;
  }
}

/** How many sessions the projects but `dirs` hold. */
async function othersThan(scope: SessionScope, dirs: readonly string[]): Promise<number> {
  const keys = new Set(dirs.map(projectKey));
  return (await listScope(scope, true)).filter((f) => !keys.has(f.dir)).length;
}

/** What `blame` takes of a session: its id, project, title and parent. */
interface SessionFacts extends Omit<BlameChange, keyof SessionChange> {
  /** The id of the session it was forked from, else null. */
  parent: string | null;
}

/**
 * The sessions with copies among `changes` whose parent no session file
 * of any project has (gone: the fork is a root, as `ls --tree` and `cost`
 * show it, and its copies are the only record of those calls). A parent is
 * looked for among the files named with its short id (zot's names), by its
 * first meta line's id.
 */
async function orphanForks(
  scope: SessionScope,
  changes: readonly SessionChange[],
  facts: ReadonlyMap<string, SessionFacts | null>,
): Promise<Set<string>> {
  const forks = new Map<string, string>();
  for (const c of changes) {
    const parent = c.inherited ? facts.get(c.session)?.parent : null;
    if (parent) forks.set(c.session, parent);
  }
  const orphans = new Set<string>();
  if (forks.size === 0) return orphans;
  const every = newestFiles(await listCatalogs(scope, true));
  const present = new Map<string, boolean>();
  for (const [fork, parent] of forks) {
    if (!present.has(parent)) {
      let found = false;
      for (const f of every) {
        if (found || f.path === fork || !parent.startsWith(idFromFileName(f.path))) continue;
        const s = await scope.source.scan(f).catch((err) => {
          if (!isFileProblem(err)) throw err;
          return null; // gone or unreadable: not there
        });
        found = s !== null && sessionId(f.path, s.summary.firstMeta) === parent;
      }
      present.set(parent, found);
    }
    if (!present.get(parent)) orphans.add(fork);
  }
  return orphans;
}

/** A session's facts; null (and a problem) when it cannot be read any more. */
async function factsOf(
  scope: SessionScope,
  file: SessionFile,
  problems: string[],
): Promise<SessionFacts | null> {
  try {
    const s = (await scope.source.scan(file)).summary;
    return {
      id: sessionId(file.path, s.firstMeta),
      cwd: s.meta?.cwd ?? "",
      title: s.title ?? s.firstPrompt,
      parent: s.firstMeta?.parent || null,
    };
  } catch (err) {
    // Gone since its changes were found (gc, mv): as ls and cost skip it.
    if (!isFileProblem(err)) throw err;
    problems.push(`Cannot read "${file.path}": ${describeSystemError(err)}; skipped it`);
    return null;
  }
}
