/**
 * The files gc may consider: regular `*.jsonl` files directly inside
 * `sessions/<16 hex>/`, found without following any symbolic link (the
 * catalogue's strict walk). Links, and anything else unexpected, are
 * reported, never touched.
 *
 * @module
 */
import { lstat, realpath } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { listStrict, PROJECT_DIR, SESSION_FILE } from "../sessions/catalog.ts";
import { describeSystemError, RuntimeError } from "../base/errors.ts";
import type { GcCandidate } from "./plan.ts";
import { mapConcurrent } from "../base/pool.ts";
import type { SessionSource } from "../sessions/source.ts";
import { sessionId } from "../sessions/info.ts";

/**
 * Whether the sessions directory exists as a real directory: false if it
 * does not exist; an error if it is a link or not a directory (gc never
 * follows one, not even to take its lock).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { checkSessionsDir } from "./candidates.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * assert.equal(await checkSessionsDir(join(home, "sessions")), false); // nothing to clean
 * await mkdir(join(home, "sessions"));
 * assert.equal(await checkSessionsDir(join(home, "sessions")), true);
 * await rm(home, { recursive: true });
 * ```
 */
export async function checkSessionsDir(sessionsDir: string): Promise<boolean> {
  let s;
  try {
    s = await lstat(sessionsDir);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return false;
    throw new RuntimeError(`Cannot clean "${sessionsDir}": ${describeSystemError(err)}`);
  }
  if (s.isSymbolicLink() || !s.isDirectory()) {
    throw new RuntimeError(
      `Cannot clean "${sessionsDir}": not a directory (a symbolic link is not followed)`,
    );
  }
  return true;
}

/** Candidates, and what was passed over and why. */
export interface GcCandidates {
  candidates: GcCandidate[];
  skipped: { path: string; reason: string }[];
}

/**
 * Lists gc's candidates under `sessionsDir` (only `onlyDir` if given).
 * `needEmpty` reads each file to know whether it has a message line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { listGcCandidates } from "./candidates.ts";
 * import { FileSource } from "../sessions/source.ts";
 *
 * // A sessions directory with one session, last written 100 days ago.
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions");
 * const path = join(dir, "98bce8e9987b1030", "20260922-120509-0e19291e.jsonl");
 * await mkdir(join(dir, "98bce8e9987b1030"), { recursive: true });
 * await writeFile(path, "");
 * const old = new Date(Date.now() - 100 * 86_400_000);
 * await utimes(path, old, old);
 * const { candidates, skipped } = await listGcCandidates(dir, null, true, new FileSource());
 * assert.deepEqual(candidates.map((c) => [c.id, c.empty]), [["0e19291e", true]]);
 * assert.deepEqual(skipped, []);
 * await rm(home, { recursive: true });
 * ```
 */
export async function listGcCandidates(
  sessionsDir: string,
  onlyDir: string | null,
  needEmpty: boolean,
  source: SessionSource,
): Promise<GcCandidates> {
  if (!(await checkSessionsDir(sessionsDir))) return { candidates: [], skipped: [] };
  // The catalogue's strict walk: links and unreadable entries are reported.
  const { files, problems } = await listStrict(sessionsDir, onlyDir);
  const skipped = problems.map((p) => ({ path: p.path, reason: p.message }));
  const candidates = await mapConcurrent(files, 4, async (f): Promise<GcCandidate> => {
    const meta = await source.firstMeta(f.path);
    let empty = false;
    if (needEmpty) {
      try {
        // Empty means no message line and no damaged one: a message line
        // that could not be read may still be a message.
        const { summary: s } = await source.scan(f);
        empty = s.messages === 0 && s.damagedCount === 0;
      } catch {
        empty = false; // unreadable: not known to be empty, so not selected as such
      }
    }
    return {
      ...f,
      id: sessionId(f.path, meta),
      parent: meta?.parent || null,
      cwd: meta?.cwd ?? "",
      empty,
    };
  });
  return { candidates, skipped };
}

/**
 * The path gc knows `path` by when it names a session file it may touch: a
 * regular `*.jsonl` file (not a link) directly in a real project directory
 * of `sessionsDir`, whatever way the path reaches it. Null for anything
 * else: an export, an archive, a link, a file elsewhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { sessionPathInTree } from "./candidates.ts";
 *
 * // A sessions directory with one session, last written 100 days ago.
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions");
 * const path = join(dir, "98bce8e9987b1030", "20260922-120509-0e19291e.jsonl");
 * await mkdir(join(dir, "98bce8e9987b1030"), { recursive: true });
 * await writeFile(path, "");
 * const old = new Date(Date.now() - 100 * 86_400_000);
 * await utimes(path, old, old);
 * assert.equal(await sessionPathInTree(dir, path), path);
 * assert.equal(await sessionPathInTree(dir, "/tmp/export.jsonl"), null);
 * await rm(home, { recursive: true });
 * ```
 */
export async function sessionPathInTree(
  sessionsDir: string,
  path: string,
): Promise<string | null> {
  const name = basename(path);
  if (!SESSION_FILE.test(name)) return null;
  try {
    // The directory the path lands in, links resolved, must be a project
    // directory of this sessions directory itself.
    const [parentReal, sessionsReal] = await Promise.all([
      realpath(dirname(path)),
      realpath(sessionsDir),
    ]);
    const key = basename(parentReal);
    if (dirname(parentReal) !== sessionsReal || !PROJECT_DIR.test(key)) return null;
    const projectDir = join(sessionsDir, key);
    const d = await lstat(projectDir);
    if (d.isSymbolicLink() || !d.isDirectory()) return null;
    const canonical = join(projectDir, name);
    return (await lstat(canonical)).isFile() ? canonical : null;
  } catch {
    return null; // gone, or not readable: not something gc may touch
  }
}
