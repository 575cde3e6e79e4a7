/**
 * What `blame` answers: the own `edit` and `write` calls of the project's
 * sessions (or every project's) whose file, joined with the session's cwd,
 * is a given absolute path; each with its session's id, project and title;
 * newest first. The calls come from the {@linkcode SessionSource} (the
 * index's rows, or the files read), the sessions' facts from their
 * summaries.
 *
 * @module
 */
import { describeSystemError, isFileProblem } from "../base/errors.ts";
import { parseRfc3339 } from "../base/time.ts";
import type { SessionFile } from "./catalog.ts";
import type { ChangesProgress, SessionChange } from "./changes.ts";
import { sessionId } from "./info.ts";
import {
  listCatalogs,
  listingProblems,
  newestFiles,
  type SessionScope,
  sessionsElsewhere,
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
  const catalogs = await listCatalogs(scope, all);
  const problems = listingProblems(catalogs);
  const files = newestFiles(catalogs);
  const found = await scope.source.changesTo(files, absolute, onProgress);
  problems.push(...found.problems);
  const order = new Map(files.map((f, i) => [f.path, { file: f, at: i }]));
  const facts = new Map<string, Omit<BlameChange, keyof SessionChange> | null>();
  for (const path of new Set(found.changes.map((c) => c.session))) {
    facts.set(path, await factsOf(scope, order.get(path)!.file, problems));
  }
  const changes: BlameChange[] = [];
  for (const c of found.changes) {
    const f = facts.get(c.session);
    if (f) changes.push({ ...c, ...f });
  }
  const time = (c: BlameChange) => parseRfc3339(c.time) ?? -Infinity;
  changes.sort((a, b) =>
    time(b) - time(a) || order.get(a.session)!.at - order.get(b.session)!.at ||
    b.ordinal - a.ordinal
  );
  const elsewhere = !all && changes.length === 0 ? await sessionsElsewhere(scope) : 0;
  return { changes, problems, elsewhere };
}

/** A session's id, project and title; null (and a problem) when it cannot be read any more. */
async function factsOf(scope: SessionScope, file: SessionFile, problems: string[]) {
  try {
    const s = (await scope.source.scan(file)).summary;
    return {
      id: sessionId(file.path, s.firstMeta),
      cwd: s.meta?.cwd ?? "",
      title: s.title ?? s.firstPrompt,
    };
  } catch (err) {
    // Gone since its changes were found (gc, mv): as ls and cost skip it.
    if (!isFileProblem(err)) throw err;
    problems.push(`Cannot read "${file.path}": ${describeSystemError(err)}; skipped it`);
    return null;
  }
}
