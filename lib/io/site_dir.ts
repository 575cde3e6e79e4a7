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
 * directory may be put on a web server as it is.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { describeSystemError, PathError, RuntimeError } from "../base/errors.ts";
import { openReplacement } from "./file_output.ts";

/** The manifest's file name in the directory. */
export const MANIFEST = ".zot-sessions-export.json";
/** The site's first page. */
export const INDEX_PAGE = "index.html";
/** The names of the pages of sessions (see {@linkcode pageName}). */
const PAGE_NAME = /^session-(?:[0-9a-z][0-9a-z-]{0,79}|_[0-9a-f]{32})\.html$/;

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

/** What the manifest says: each page's key, and the index page's. */
export interface Manifest {
  /** The key of `index.html`'s text, or null. */
  index: string | null;
  /** Page name → key of what it was made from. */
  pages: Map<string, string>;
}

/**
 * Opens (or creates) the directory to export into and reads its manifest.
 * Refuses a path that is no directory, and a directory that holds files
 * but no manifest of ours, or a manifest that cannot be read.
 */
export async function openSiteDir(dir: string): Promise<Manifest> {
  const empty: Manifest = { index: null, pages: new Map() };
  // DIR itself may be a link to a directory (as cp and rsync take one).
  const s = await stat(dir).catch((err) => {
    if ((err as { code?: string }).code === "ENOENT") return null;
    throw new PathError("export to", dir, describeSystemError(err));
  });
  if (s === null) {
    await mkdir(dir, { recursive: true }).catch((err) => {
      throw new PathError("create", dir, describeSystemError(err));
    });
    return empty;
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
    if (entries.length === 0) return empty;
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
  const text = await readFile(path, "utf8").catch((err) => {
    throw new PathError("read", path, describeSystemError(err));
  });
  return parseManifest(text, path);
}

/**
 * The manifest's text read back; only page names of the shape this tool
 * makes are kept (a name edited into it cannot point elsewhere).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseManifest } from "./site_dir.ts";
 * const m = parseManifest(
 *   '{"generator":"zot-sessions","index":"k0","pages":{"session-ab.html":"k1","../x":"k2"}}',
 *   "m.json",
 * );
 * assert.deepEqual([m.index, [...m.pages]], ["k0", [["session-ab.html", "k1"]]]);
 * assert.throws(() => parseManifest("[]", "m.json"), /Cannot read "m.json": not a manifest/);
 * ```
 */
export function parseManifest(text: string, path: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const v = value as { generator?: unknown; index?: unknown; pages?: unknown } | null;
  if (
    v === null || typeof v !== "object" || v.generator !== "zot-sessions" ||
    typeof v.pages !== "object" || v.pages === null || Array.isArray(v.pages)
  ) {
    throw new RuntimeError(
      `Cannot read "${path}": not a manifest of zot-sessions export; remove it, or give another directory`,
    );
  }
  const pages = new Map<string, string>();
  for (const [name, key] of Object.entries(v.pages as Record<string, unknown>)) {
    if (PAGE_NAME.test(name) && typeof key === "string") pages.set(name, key);
  }
  return { index: typeof v.index === "string" ? v.index : null, pages };
}

/** The manifest's text (pages in name order, so that it changes only with them). */
export function manifestText(m: Manifest): string {
  const pages = Object.fromEntries([...m.pages].sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify({ generator: "zot-sessions", version: 1, index: m.index, pages }, null, 1) +
    "\n";
}

/** Writes the manifest whole (a new file renamed over it: a link there is replaced, not followed). */
export async function writeManifest(dir: string, m: Manifest, pid: number): Promise<void> {
  const out = await openReplacement(join(dir, MANIFEST), pid);
  try {
    await out.write(manifestText(m));
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
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
