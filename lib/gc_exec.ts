/**
 * Carrying out a gc plan: the only code in zot-sessions that changes the
 * disk. Each file is checked again right before it is touched (still a
 * regular file, the size and mtime planned, outside the grace period,
 * inside the sessions tree), then removed or moved to the archive. A move
 * across file systems copies, flushes, verifies size and SHA-256, and only
 * then unlinks. Nothing is ever overwritten.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { link, lstat, mkdir, open, realpath, rmdir, stat, unlink, utimes } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { mtimeMsOf } from "./catalog.ts";
import { describeSystemError } from "./errors.ts";
import type { GcCandidate } from "./gc_plan.ts";
import { PROJECT_DIR, SESSION_FILE } from "./gc_candidates.ts";
import { readChunks } from "./lines.ts";

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
  /** Why skipped or failed. */
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
 * empty are removed.
 *
 * @example
 * await executeGc(plan.remove.map((s) => s.file), sessionsDir, null, policy.graceMs, Date.now(), report)
 */
export async function executeGc(
  files: GcCandidate[],
  sessionsDir: string,
  archive: ArchiveTarget | null,
  graceMs: number,
  now: () => number,
  report: (o: GcOutcome) => Promise<void> | void,
): Promise<GcOutcome[]> {
  const outcomes: GcOutcome[] = [];
  if (files.length === 0) return outcomes;
  const sessionsReal = await realpath(sessionsDir);
  const touchedDirs = new Set<string>();
  for (const file of files) {
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
          await moveToArchive(file, dest, archive.compress);
          outcome = { file, result: "archived", archivedTo: dest };
        } else {
          await unlink(file.path);
          outcome = { file, result: "removed" };
        }
        touchedDirs.add(dirname(file.path));
      } catch (err) {
        outcome = { file, result: "failed", detail: describeSystemError(err) };
      }
    }
    outcomes.push(outcome);
    await report(outcome);
  }
  for (const dir of touchedDirs) {
    // rmdir removes only an empty directory: exactly "when it is empty afterwards".
    await rmdir(dir).catch(() => {});
  }
  return outcomes;
}

/**
 * Moves a session into the archive without ever overwriting: a hard link
 * (same file system, atomic, refuses an existing destination) and unlink; or
 * else a copy (compressed if asked) that is flushed, verified by size and
 * SHA-256, then the original is checked unchanged and unlinked.
 */
async function moveToArchive(file: GcCandidate, dest: string, compress: boolean): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  if (!compress) {
    try {
      await link(file.path, dest);
      await unlink(file.path);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP") throw err;
      // Another file system (or no hard links there): copy below.
    }
  }
  const sourceHash = createHash("sha256");
  let sourceBytes = 0;
  const out = await open(dest, "wx", 0o600);
  try {
    const sink = compress ? gzipInto(out) : null;
    for await (const chunk of readChunks(file.path)) {
      sourceHash.update(chunk);
      sourceBytes += chunk.length;
      if (sink) await sink.write(chunk);
      else await out.write(chunk);
    }
    if (sink) await sink.close();
    await out.sync();
  } catch (err) {
    await out.close().catch(() => {});
    await unlink(dest).catch(() => {});
    throw err;
  }
  await out.close();
  // Verify what landed: the same bytes (decompressed when compressed).
  const check = createHash("sha256");
  let checkBytes = 0;
  for await (const chunk of readChunks(dest)) {
    check.update(chunk);
    checkBytes += chunk.length;
  }
  const want = sourceHash.digest("hex");
  if (checkBytes !== sourceBytes || check.digest("hex") !== want) {
    await unlink(dest).catch(() => {});
    throw new Error(`the copy in "${dest}" does not match the original; original kept`);
  }
  const now = await stat(file.path);
  if (now.size !== file.bytes || mtimeMsOf(now) !== file.mtimeMs) {
    await unlink(dest).catch(() => {});
    throw new Error("changed while it was copied; original kept");
  }
  // The archive keeps the session's last-activity time, so ls orders it.
  await utimes(dest, now.atime, now.mtime);
  await unlink(file.path);
}

/** Writes gzip-compressed data into an open file (web CompressionStream). */
function gzipInto(out: Awaited<ReturnType<typeof open>>) {
  const gzip = new CompressionStream("gzip");
  const writer = gzip.writable.getWriter();
  const drained = (async () => {
    const reader = gzip.readable.getReader();
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      await out.write(value);
    }
  })();
  drained.catch(() => {}); // surfaced by close()
  return {
    write: (chunk: Uint8Array) => writer.write(chunk.slice()),
    close: async () => {
      await writer.close();
      await drained;
    },
  };
}
