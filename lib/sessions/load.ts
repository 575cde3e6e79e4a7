/**
 * Catalogue + scan: the sessions of a project (or of every project) as
 * {@linkcode SessionInfo} values, with every problem met collected, not
 * printed — the verb decides how to report them.
 *
 * @module
 */
import type { SessionFile } from "./catalog.ts";
import { describeSystemError } from "../base/errors.ts";
import { mapConcurrent } from "../base/pool.ts";
import type { DamagedLine } from "../scan/summary.ts";
import { type SessionInfo, sessionInfo } from "./info.ts";
import {
  eachCatalog,
  listCatalogs,
  listingProblems,
  newestFiles,
  type SessionScope,
} from "./scope.ts";
import type { SessionSource } from "./source.ts";

/** Which of the scope's sessions to load. */
export interface LoadOptions {
  /** Every project's, not only the scope's project. */
  all: boolean;
  /** Keep only files whose mtime passes this test (checked before reading). */
  fileFilter?: (file: SessionFile) => boolean;
  /** Told after each file: files done, of how many, and their bytes so far. */
  onProgress?: (done: number, total: number, bytes: number) => void;
}

/**
 * A file read in spite of damaged lines: the file as listed (its size and
 * mtime say whether a later run meets the same damage), how many lines, and
 * the first few with their reasons.
 */
export interface FileDamage {
  file: SessionFile;
  count: number;
  first: DamagedLine[];
}

/** A problem a verb reports: its one-line message, and the damage when it is that. */
export interface Problem {
  message: string;
  damage?: FileDamage;
}

/**
 * A problem met while loading. `session` is set when the file was loaded
 * anyway (damaged lines): the verb warns only if its filters keep that
 * session, not about every file it had to read.
 */
export interface LoadProblem extends Problem {
  session?: SessionInfo;
}

/** Loaded sessions, newest first, and one message per problem, in file order. */
export interface Loaded {
  sessions: SessionInfo[];
  problems: LoadProblem[];
  /** Where the sessions were looked for (for "nothing found" messages). */
  looked: string[];
}

/** A file as loaded: its session, a problem, or both (damaged lines). */
export interface LoadedFile {
  session?: SessionInfo;
  problem?: LoadProblem;
}

/**
 * Files read at once. On the benchmark corpus (2 cores) 4 was as fast as 8
 * (0.185 s vs 0.169–0.179 s, within noise) with ~10 MiB less peak RSS.
 */
const CONCURRENCY = 4;

/**
 * Reads one listed file into its session. A file that cannot be read, or
 * holds no meta line (unless `named`: a file the user named, as `show`
 * takes one, its id from its name), is a problem (no session); one with
 * damaged lines is both: its session, and the problem with the damage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadFile } from "./load.ts";
 * import { FileSource } from "./source.ts";
 * const file = { path: "/nonexistent/s.jsonl", dir: "d", bytes: 0, mtimeMs: 0 };
 * const r = await loadFile(new FileSource(), file);
 * assert.equal(r.session, undefined);
 * assert.match(r.problem!.message, /^Cannot read "\/nonexistent\/s.jsonl": .*; skipped it$/);
 * ```
 */
export async function loadFile(
  source: SessionSource,
  file: SessionFile,
  named = false,
): Promise<LoadedFile> {
  try {
    const { summary: s, ledger } = await source.scan(file);
    if (!s.firstMeta && !named) {
      return {
        problem: {
          message: `Cannot read "${file.path}": no meta line, not a zot session; skipped it`,
        },
      };
    }
    const session = sessionInfo(file, s, ledger);
    const message = damageWarning(file.path, s.damagedCount, s.damaged[0]);
    if (message === null) return { session };
    const damage = { file, count: s.damagedCount, first: s.damaged };
    return { session, problem: { message, session, damage } };
  } catch (err) {
    return {
      problem: { message: `Cannot read "${file.path}": ${describeSystemError(err)}; skipped it` },
    };
  }
}

/** Receives each session read, with its file and its place in the listing. */
export type OnSession = (
  session: SessionInfo,
  file: SessionFile,
  index: number,
) => void | Promise<void>;

/** What a walk has read so far: files, of how many listed, their bytes; problems with their place. */
interface Walked {
  done: number;
  total: number;
  bytes: number;
  met: { index: number; problem: LoadProblem }[];
}

/** Reads `files`, listed from place `from` on, into `onSession`; the count and problems into `w`. */
async function readListed(
  source: SessionSource,
  files: SessionFile[],
  from: number,
  o: LoadOptions,
  onSession: OnSession,
  w: Walked,
): Promise<void> {
  await source.prefetch(files);
  await mapConcurrent(files, CONCURRENCY, async (file, i): Promise<void> => {
    const r = await loadFile(source, file);
    o.onProgress?.(++w.done, w.total, w.bytes += file.bytes);
    if (r.problem) w.met.push({ index: from + i, problem: r.problem });
    if (r.session) await onSession(r.session, file, from + i);
  });
}

/** The listing's problems, then the files', in place order. */
function inOrder(listing: string[], w: Walked): LoadProblem[] {
  w.met.sort((a, b) => a.index - b.index);
  return [...listing.map((message) => ({ message })), ...w.met.map((m) => m.problem)];
}

/**
 * Lists and reads sessions, handing each to `onSession` as it is read (in
 * no set order; `index` is its file's place in the listing, newest first),
 * keeping none: what a caller keeps of them is its own. Returns the
 * problems, in file order, and where it looked.
 */
export async function eachSession(
  scope: SessionScope,
  o: LoadOptions,
  onSession: OnSession,
): Promise<Omit<Loaded, "sessions">> {
  const catalogs = await listCatalogs(scope, o.all);
  let files = newestFiles(catalogs);
  if (o.fileFilter) files = files.filter(o.fileFilter);
  const w: Walked = { done: 0, total: files.length, bytes: 0, met: [] };
  await readListed(scope.source, files, 0, o, onSession, w);
  return { problems: inOrder(listingProblems(catalogs), w), looked: catalogs.map((c) => c.root) };
}

/**
 * {@linkcode eachSession} one project directory at a time: no listing of
 * every file is held (memory bounded by the largest project's directory,
 * not by the home). `index` counts places over the whole walk, directories
 * by name, each newest first: not one order of time across projects. The
 * progress's total is the files listed so far.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { eachSessionByProject } from "./load.ts";
 * import { FileSource } from "./source.ts";
 * const home = await mkdtemp(join(tmpdir(), "zs-"));
 * const scope = { source: new FileSource(), homes: [home], cwd: "/p", base: "/" };
 * const walked = await eachSessionByProject(scope, { all: true }, () => {});
 * assert.deepEqual(walked.problems, []);
 * await rm(home, { recursive: true });
 * ```
 */
export async function eachSessionByProject(
  scope: SessionScope,
  o: LoadOptions,
  onSession: OnSession,
): Promise<Omit<Loaded, "sessions">> {
  const listing: string[] = [];
  const looked: string[] = [];
  const w: Walked = { done: 0, total: 0, bytes: 0, met: [] };
  for await (const c of eachCatalog(scope, o.all)) {
    listing.push(...listingProblems([c]));
    if (!looked.includes(c.root)) looked.push(c.root);
    const files = o.fileFilter ? c.files.filter(o.fileFilter) : c.files;
    const from = w.total;
    w.total += files.length;
    await readListed(scope.source, files, from, o, onSession, w);
  }
  return { problems: inOrder(listing, w), looked };
}

/**
 * Lists and scans sessions. A file that cannot be read, or holds no meta line,
 * is reported in `problems` and skipped; one with damaged lines is kept and
 * reported.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { loadSessions } from "./load.ts";
 * import { FileSource } from "./source.ts";
 * const home = await mkdtemp(join(tmpdir(), "zs-"));
 * const scope = { source: new FileSource(), homes: [home], cwd: "/p", base: "/" };
 * const loaded = await loadSessions(scope, { all: true });
 * assert.deepEqual([loaded.sessions, loaded.problems], [[], []]);
 * await rm(home, { recursive: true });
 * ```
 */
export async function loadSessions(scope: SessionScope, o: LoadOptions): Promise<Loaded> {
  const read: (SessionInfo | undefined)[] = [];
  const rest = await eachSession(scope, o, (session, _file, index) => {
    read[index] = session;
  });
  const sessions = read.filter((s): s is SessionInfo => s !== undefined);
  return { sessions, ...rest };
}

/**
 * The one-line warning for a file with damaged lines, or null if it has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { damageWarning } from "./load.ts";
 * assert.equal(
 *   damageWarning("/x.jsonl", 1, { line: 5, reason: "not valid JSON" }),
 *   'Cannot read line 5 of "/x.jsonl": not valid JSON; skipped the line',
 * );
 * ```
 */
export function damageWarning(
  path: string,
  count: number,
  first: DamagedLine | undefined,
): string | null {
  if (count === 0 || !first) return null;
  if (count === 1) {
    return `Cannot read line ${first.line} of "${path}": ${first.reason}; skipped the line`;
  }
  return `Cannot read ${count} lines of "${path}" (first: line ${first.line}, ${first.reason}); skipped them`;
}
