/**
 * Carrying out a gc plan: the only code in zot-sessions that changes the
 * disk. Each file is checked again right before it is touched (still a
 * regular file, the size and mtime planned, outside the grace period,
 * inside the sessions tree), then removed or moved to the archive (see
 * gc_archive.ts: a copy is verified before the original goes, nothing is
 * ever overwritten, and an interrupted run is finished by the next).
 *
 * @module
 */
import { lstat, realpath, rmdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { mtimeMsOf, PROJECT_DIR, SESSION_FILE } from "../sessions/catalog.ts";
import { describeSystemError, RuntimeError } from "../base/errors.ts";
import { moveToArchive } from "./archive.ts";
import { sweepTemporaries } from "./archive_recovery.ts";
import type { GcPause } from "./pause.ts";
import type { GcCandidate } from "./plan.ts";

/** Where removed sessions go instead of being deleted. */
export interface ArchiveTarget {
  /** The archive root: files land in `<dir>/sessions/<key>/<file>`. */
  dir: string;
  /** Store `<file>.gz`, gzip-compressed. */
  compress: boolean;
}

/** What happened to one file. */
export interface GcOutcome {
  file: GcCandidate;
  result: "removed" | "archived" | "skipped" | "failed";
  /** Why skipped or failed; for "archived", that an earlier run had copied it. */
  detail?: string;
  /** Where it was archived. */
  archivedTo?: string;
}

/** Refuses a file that is not what was planned, or not where it may be. */
async function recheck(
  file: GcCandidate,
  sessionsReal: string,
  graceMs: number,
  nowMs: number,
): Promise<string | null> {
  const key = basename(dirname(file.path));
  if (!PROJECT_DIR.test(key) || !SESSION_FILE.test(basename(file.path))) {
    return "not a session file in a project directory";
  }
  // The directory it is in must be sessions/<key> itself, not a link to
  // elsewhere, whatever the path says.
  let parentReal: string;
  try {
    const dirStat = await lstat(dirname(file.path));
    if (dirStat.isSymbolicLink() || !dirStat.isDirectory()) return "its directory is a link";
    parentReal = await realpath(dirname(file.path));
  } catch (err) {
    return describeSystemError(err);
  }
  if (parentReal !== join(sessionsReal, key)) return "outside the sessions directory";
  let s;
  try {
    s = await lstat(file.path);
  } catch (err) {
    return describeSystemError(err);
  }
  if (s.isSymbolicLink() || !s.isFile()) return "no longer a regular file";
  const mtimeMs = mtimeMsOf(s);
  if (s.size !== file.bytes || mtimeMs !== file.mtimeMs) return "changed since it was planned";
  if (mtimeMs > nowMs - graceMs) return "modified within the grace period";
  return null;
}

/**
 * Carries out the removals (or moves) of `files`, in order, reporting each.
 * One file's failure does not stop the others. Per-project directories left
 * empty are removed. Temporaries that interrupted runs left in the archive
 * are removed first. When `signal` aborts (SIGINT, SIGTERM), the file being
 * copied is left in place, its partial copy removed, and a RuntimeError
 * says how far the run got. `pause` is the test seam of pause.ts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { listGcCandidates } from "./candidates.ts";
 * import { FileSource } from "../sessions/source.ts";
 * import { executeGc } from "./exec.ts";
 *
 * // A sessions directory with one session, last written 100 days ago.
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions");
 * const path = join(dir, "98bce8e9987b1030", "20260922-120509-0e19291e.jsonl");
 * await mkdir(join(dir, "98bce8e9987b1030"), { recursive: true });
 * await writeFile(path, "");
 * const old = new Date(Date.now() - 100 * 86_400_000);
 * await utimes(path, old, old);
 * const { candidates } = await listGcCandidates(dir, null, false, new FileSource());
 * const outcomes = await executeGc(candidates, dir, null, 0, Date.now, () => {});
 * assert.deepEqual(outcomes.map((o) => o.result), ["removed"]);
 * await rm(home, { recursive: true });
 * ```
 */
export async function executeGc(
  files: GcCandidate[],
  sessionsDir: string,
  archive: ArchiveTarget | null,
  graceMs: number,
  now: () => number,
  report: (o: GcOutcome) => Promise<void> | void,
  signal?: AbortSignal,
  pause?: GcPause,
): Promise<GcOutcome[]> {
  const outcomes: GcOutcome[] = [];
  const moved = () =>
    outcomes.filter((o) => o.result === "removed" || o.result === "archived").length;
  const interrupted = () =>
    new RuntimeError(
      `Cannot complete the clean-up: interrupted by ${
        signal?.reason ?? "a signal"
      } after ${moved()} of ${files.length} sessions; the others are left as they were`,
    );
  if (signal?.aborted) throw interrupted();
  if (files.length === 0) return outcomes;
  const sessionsReal = await realpath(sessionsDir);
  if (archive) await sweepTemporaries(archive.dir);
  const touchedDirs = new Set<string>();
  try {
    for (const file of files) {
      await pause?.("move", moved());
      if (signal?.aborted) throw interrupted();
      let outcome: GcOutcome;
      const problem = await recheck(file, sessionsReal, graceMs, now());
      if (problem) {
        outcome = { file, result: "skipped", detail: problem };
      } else {
        try {
          if (archive) {
            const dest = join(
              archive.dir,
              "sessions",
              basename(dirname(file.path)),
              basename(file.path) + (archive.compress ? ".gz" : ""),
            );
            const n = moved();
            const how = await moveToArchive(
              file,
              dest,
              archive.compress,
              signal,
              pause && ((phase) => pause(phase, n)),
            );
            outcome = { file, result: "archived", archivedTo: dest };
            if (how === "already-archived") {
              outcome.detail = "already in the archive (an earlier run was interrupted)";
            }
          } else {
            await unlink(file.path);
            outcome = { file, result: "removed" };
          }
          touchedDirs.add(dirname(file.path));
        } catch (err) {
          if (signal?.aborted) throw interrupted();
          outcome = { file, result: "failed", detail: describeSystemError(err) };
        }
      }
      outcomes.push(outcome);
      await report(outcome);
    }
  } finally {
    for (const dir of touchedDirs) {
      // rmdir removes only an empty directory: exactly "when it is empty afterwards".
      await rmdir(dir).catch(() => {});
    }
  }
  return outcomes;
}
