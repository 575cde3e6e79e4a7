/**
 * The directory `export --html` writes: its pages' names, and the manifest
 * (`.zot-sessions-export.json`) that lists the pages this tool wrote there,
 * each with the key of what it was made from. A re-export compares keys to
 * write only what changed, and removes only pages the manifest lists, by
 * names of the one shape it makes: never another file of the directory.
 * A directory that holds files but no manifest is not ours: it is refused.
 * Nothing in the directory is written through: every file is a new one
 * renamed over its name, and the manifest is read only when it is a
 * regular file, not a link.
 *
 * The manifest holds page names and hashes, no path of this machine: the
 * directory may be put on a web server as it is. It is JSON Lines (version
 * 2): a head line, then a line per page, so that it is read and written a
 * page at a time; version 1 (one JSON object) is still read.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { describeSystemError, PathError, RuntimeError } from "../base/errors.ts";
import { EMPTY, MANIFEST, type Manifest, PAGE_NAME, readManifest } from "./site_manifest.ts";

/** The site's first page. */
export const INDEX_PAGE = "index.html";

/**
 * The file name of a session's page, from its id only: the id itself when
 * it is lowercase letters, digits and dashes (a zot uuid), else a hash of it.
 * Two ids never share a name, also on a file system that ignores case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageName } from "./site_dir.ts";
 * assert.equal(pageName("0e19291e-1111-4222-8333-444455556666"), "session-0e19291e-1111-4222-8333-444455556666.html");
 * assert.match(pageName("../../etc/passwd"), /^session-_[0-9a-f]{32}\.html$/);
 * assert.notEqual(pageName("ABC"), pageName("abc"));
 * ```
 */
export function pageName(id: string): string {
  const plain = /^[0-9a-z][0-9a-z-]{0,79}$/.test(id);
  return `session-${
    plain ? id : "_" + createHash("sha256").update(id).digest("hex").slice(0, 32)
  }.html`;
}

/**
 * Opens (or creates) the directory to export into and reads its manifest.
 * Refuses a path that is no directory, and a directory that holds files
 * but no manifest of ours, or a manifest that cannot be read.
 */
export async function openSiteDir(dir: string): Promise<Manifest> {
  // DIR itself may be a link to a directory (as cp and rsync take one).
  const s = await stat(dir).catch((err) => {
    if ((err as { code?: string }).code === "ENOENT") return null;
    throw new PathError("export to", dir, describeSystemError(err));
  });
  if (s === null) {
    await mkdir(dir, { recursive: true }).catch((err) => {
      throw new PathError("create", dir, describeSystemError(err));
    });
    return EMPTY;
  }
  if (!s.isDirectory()) throw new PathError("export to", dir, "not a directory");
  const path = join(dir, MANIFEST);
  const m = await lstat(path).catch((err) => {
    if ((err as { code?: string }).code === "ENOENT") return null;
    throw new PathError("read", path, describeSystemError(err));
  });
  if (m === null) {
    const entries = await readdir(dir).catch((e) => {
      throw new PathError("list", dir, describeSystemError(e));
    });
    if (entries.length === 0) return EMPTY;
    throw new RuntimeError(
      `Cannot export to "${dir}": it holds files zot-sessions did not write (no ${MANIFEST}); give an empty or new directory`,
    );
  }
  // Never followed: a link there (to a FIFO, a device, another site) is not ours.
  if (!m.isFile()) {
    throw new RuntimeError(
      `Cannot read "${path}": ${
        m.isSymbolicLink() ? "a symbolic link" : "not a regular file"
      }, not a manifest zot-sessions wrote; remove it, or give another directory`,
    );
  }
  return await readManifest(path);
}

/** Whether `name` in `dir` is a regular file (a page still there). */
export async function isFileIn(dir: string, name: string): Promise<boolean> {
  const s = await lstat(join(dir, name)).catch(() => null);
  return s !== null && s.isFile();
}

/**
 * Removes the page `name` from `dir`, if it has the shape of a page this
 * tool writes (else nothing is removed); a page already gone is no error.
 * Resolves to whether a file was removed.
 */
export async function removePage(dir: string, name: string): Promise<boolean> {
  if (!PAGE_NAME.test(name)) return false;
  const path = join(dir, name);
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return false;
    throw new PathError("remove", path, describeSystemError(err));
  }
}
