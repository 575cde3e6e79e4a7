/**
 * What gc may touch: the project it is limited to, the sessions named on the
 * command line (only session files in the sessions tree), and an archive
 * directory outside it.
 *
 * @module
 */
import { lstat, realpath } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import { describeSystemError, RuntimeError, UsageError } from "../base/errors.ts";
import { projectKey } from "../sessions/home.ts";
import { type RefScope, resolveRef } from "../sessions/refs.ts";
import { sessionPathInTree } from "./candidates.ts";

/** A project named for gc must have sessions: anything else is a mistyped name. */
export async function requireProjectDir(dir: string, project: string): Promise<void> {
  const projectDir = join(dir, projectKey(project));
  try {
    await lstat(projectDir);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") {
      throw new UsageError(
        `Cannot clean up project "${project}": no zot sessions for it (looked in "${projectDir}")`,
      );
    }
    throw new RuntimeError(`Cannot clean up project "${project}": ${describeSystemError(err)}`);
  }
}

/**
 * The session files the references name, as gc knows them. A reference to
 * anything but a session file in the sessions tree (an export, an archive, a
 * link), or outside the project gc is limited to, is refused.
 */
export async function namedSessions(
  scope: RefScope,
  dir: string,
  project: string | null,
  refs: string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ref of refs) {
    const file = await resolveRef(ref, scope);
    const path = await sessionPathInTree(dir, file.path);
    if (path === null) {
      throw new UsageError(
        `Cannot clean up "${ref}": "${file.path}" is not a session file in "${dir}/<16 hex>/", and gc touches nothing else`,
      );
    }
    if (project !== null && basename(dirname(path)) !== projectKey(project)) {
      throw new UsageError(
        `Cannot clean up "${ref}": "${path}" is not a session of project "${project}"`,
      );
    }
    out.add(path);
  }
  return out;
}

/** The nearest existing ancestor's real path, and the rest of `path` below it. */
async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(await realPathOf(parent), basename(path));
  }
}

/** Whether `path` is `dir` or below it (both real, absolute). */
function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * The archive must be somewhere else than the sessions: the home itself
 * would put each archived file beside its original (compressed in place),
 * and the sessions tree would have gc archive its own archive.
 */
export async function checkArchiveDir(archive: string, home: string, dir: string): Promise<void> {
  const [archiveReal, archiveSessions, homeReal, sessionsReal] = await Promise.all([
    realPathOf(archive),
    realPathOf(join(archive, "sessions")),
    realPathOf(home),
    realPathOf(dir),
  ]);
  const hint = "give a directory outside the home's sessions directory, such as ~/zot-archive";
  if (within(archiveReal, sessionsReal)) {
    throw new UsageError(
      `Cannot archive to "${archive}": it is inside the sessions directory "${dir}"`,
      hint,
    );
  }
  if (archiveReal === homeReal || within(archiveSessions, sessionsReal)) {
    throw new UsageError(
      `Cannot archive to "${archive}": it is the home "${home}", whose sessions it would hold twice`,
      hint,
    );
  }
}
