/**
 * The cache directory and the database files in it, made private before the
 * index is opened: the directory `0700`, the database and its write-ahead
 * log and shared memory `0600`. One that is looser is tightened when this
 * user owns it, else refused (the index is then not used); a database file
 * that is a symbolic link, a directory or anything but a regular file is
 * refused. Copies of a damaged database moved aside are kept at most
 * {@linkcode DAMAGED_KEEP_MS}, by the run's clock.
 *
 * @module
 */
import { constants, type Stats } from "node:fs";
import { access, chmod, lstat, mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { describeSystemError, PathError } from "../base/errors.ts";

/** How long a damaged database moved aside is kept. */
export const DAMAGED_KEEP_MS = 7 * 86_400_000;

/** The file names SQLite keeps beside the database. */
export const DATABASE_FILES = ["", "-wal", "-shm"];

/**
 * Makes the cache directory and the database file private, creating them as
 * needed; throws a {@linkcode PathError} naming the file or directory that
 * cannot be used, and why. `uid`: this process's user (null where the system
 * has none: modes are then left as they are).
 */
export async function prepareCache(dir: string, file: string, uid: number | null): Promise<void> {
  const refuse = (path: string, detail: string) => new PathError("use the index", path, detail);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await keepPrivate(dir, await stat(dir), uid, 0o700, refuse);
  } catch (err) {
    throw err instanceof PathError ? err : refuse(file, describeSystemError(err));
  }
  for (const suffix of DATABASE_FILES) {
    const path = file + suffix;
    try {
      let s = await lstat(path).catch((e) => e?.code === "ENOENT" ? null : Promise.reject(e));
      if (s === null && suffix !== "") continue;
      if (s === null) {
        // Created here, private from the start, never through a link.
        const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL |
          constants.O_NOFOLLOW;
        await (await open(path, flags, 0o600).catch((e) =>
          e?.code === "EEXIST" ? null : Promise.reject(e)
        ))?.close();
        s = await lstat(path);
      }
      if (s.isSymbolicLink()) throw refuse(path, "it is a symbolic link");
      if (s.isDirectory()) throw refuse(path, "is a directory");
      if (!s.isFile()) throw refuse(path, "it is not a regular file");
      await keepPrivate(path, s, uid, 0o600, refuse);
    } catch (err) {
      throw err instanceof PathError ? err : refuse(path, describeSystemError(err));
    }
  }
  try {
    await access(file, constants.W_OK);
  } catch (err) {
    throw refuse(file, describeSystemError(err));
  }
}

/** Tightens a looser mode of this user's file; refuses another user's. */
async function keepPrivate(
  path: string,
  s: Stats,
  uid: number | null,
  mode: number,
  refuse: (path: string, detail: string) => PathError,
): Promise<void> {
  if ((s.mode & 0o777 & ~mode) === 0 || uid === null) return;
  if (s.uid !== uid) {
    const octal = (s.mode & 0o777).toString(8).padStart(4, "0");
    throw refuse(path, `others may read it (mode ${octal}) and it is not yours to change`);
  }
  await chmod(path, mode);
}

/** The name a damaged database is moved aside to, stamped with the run's time. */
export function damagedName(file: string, now: number): string {
  return `${file}.damaged-${new Date(now).toISOString().replace(/[:.]/g, "")}`;
}

/**
 * The time a damaged copy was moved aside, from its name, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { damagedName, damagedTime } from "./cache_dir.ts";
 *
 * const name = damagedName("/c/index.sqlite", Date.parse("2026-11-25T12:00:00.5Z"));
 * assert.equal(damagedTime("index.sqlite", name.slice(3)), Date.parse("2026-11-25T12:00:00.5Z"));
 * assert.equal(damagedTime("index.sqlite", "index.sqlite.damaged-x"), null);
 * ```
 */
export function damagedTime(fileName: string, name: string): number | null {
  if (!name.startsWith(`${fileName}.damaged-`)) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(
    name.slice(fileName.length + ".damaged-".length),
  );
  if (!m) return null;
  const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(t) ? null : t;
}

/**
 * Removes the damaged copies of the database in `dir` moved aside more than
 * {@linkcode DAMAGED_KEEP_MS} before `now` (all of them with `all`). Best
 * effort: one that cannot be removed stays.
 */
export async function removeDamagedCopies(
  dir: string,
  fileName: string,
  now: number,
  all = false,
): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const t = damagedTime(fileName, name);
    if (t === null && !(all && name.startsWith(`${fileName}.damaged-`))) continue;
    if (all || now - t! > DAMAGED_KEEP_MS) {
      await rm(join(dir, name), { force: true }).catch(() => {});
    }
  }
}
