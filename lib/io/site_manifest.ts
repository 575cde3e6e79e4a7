/**
 * The manifest of a directory `export --html` writes
 * (`.zot-sessions-export.json`, io/site_dir.ts): the pages this tool wrote
 * there, each with the key of what it was made from, and the index page's
 * key. It is JSON Lines (version 2): a head line, then a line per page, so
 * that it is read and written a page at a time; version 1 (one JSON
 * object, written by earlier builds) is still read. Only page names of the
 * one shape the exporter makes are taken from it.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describeSystemError, PathError, RuntimeError } from "../base/errors.ts";
import { readLines } from "../format/lines.ts";
import { openReplacement } from "./file_output.ts";

/** The manifest's file name in the directory. */
export const MANIFEST = ".zot-sessions-export.json";
/** The names of the pages of sessions (site_dir.ts `pageName`). */
export const PAGE_NAME = /^session-(?:[0-9a-z][0-9a-z-]{0,79}|_[0-9a-f]{32})\.html$/;

/**
 * What the manifest says: the key of `index.html`'s text, and its pages,
 * each with the key of what it was made from, read from the file one at a
 * time (a site of many sessions is not held in memory).
 */
export interface Manifest {
  /** The key of `index.html`'s text, or null. */
  index: string | null;
  /** Its version: 1 is one JSON object (earlier builds), 2 JSON Lines. */
  version: 1 | 2;
  /** Page name → key, in name order; read anew at each call. */
  pages(): AsyncGenerator<[string, string]>;
}

/** The manifest of a directory without one: no page. */
export const EMPTY: Manifest = { index: null, version: 2, pages: async function* () {} };

/** Bytes of the manifest gathered before a write. */
const CHUNK = 64 * 1024;

/**
 * Reads the manifest at `path`: its first line (the version and the index's
 * key) now, its pages as they are asked for. A manifest of version 1 (one
 * JSON object, written by earlier builds) is read whole, once.
 */
export async function readManifest(path: string): Promise<Manifest> {
  let first: string | null = null;
  try {
    for await (const line of readLines(path)) {
      first = line.truncated ? "" : DECODER.decode(line.bytes);
      break;
    }
  } catch (err) {
    throw new PathError("read", path, describeSystemError(err));
  }
  const head = first === null ? null : manifestHead(first);
  if (head !== null) return { index: head.index, version: 2, pages: () => manifestPages(path) };
  const text = await readFile(path, "utf8").catch((err) => {
    throw new PathError("read", path, describeSystemError(err));
  });
  const v1 = parseManifest(text, path);
  return {
    index: v1.index,
    version: 1,
    pages: async function* () {
      yield* v1.pages;
    },
  };
}

const DECODER = new TextDecoder();

/**
 * A version 2 manifest's first line read: the index's key; null when the
 * line is not one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { manifestHead } from "./site_manifest.ts";
 * assert.deepEqual(manifestHead('{"generator":"zot-sessions","version":2,"index":"k0"}'), { index: "k0" });
 * assert.equal(manifestHead("{"), null);
 * ```
 */
export function manifestHead(line: string): { index: string | null } | null {
  let v: { generator?: unknown; version?: unknown; index?: unknown } | null;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (v === null || typeof v !== "object" || v.generator !== "zot-sessions" || v.version !== 2) {
    return null;
  }
  return { index: typeof v.index === "string" ? v.index : null };
}

/**
 * The pages of a version 2 manifest, each line after the first; a page of
 * another shape is passed over, a line that is no page at all (damaged) is
 * refused, as a damaged manifest of version 1 is: the pages it names are
 * not known, so none could be kept or removed as its own.
 */
async function* manifestPages(path: string): AsyncGenerator<[string, string]> {
  try {
    for await (const line of readLines(path)) {
      if (line.number === 1) continue;
      const text = line.truncated ? null : DECODER.decode(line.bytes);
      if (text !== null && text.trim() === "") continue;
      const page = text === null ? null : manifestPage(text);
      if (page !== null) yield page;
      else if (text === null || !isPageLine(text)) {
        throw new RuntimeError(
          `Cannot read line ${line.number} of "${path}": not a page of a manifest zot-sessions wrote; remove it, or give another directory`,
        );
      }
    }
  } catch (err) {
    if (err instanceof RuntimeError) throw err; // a PathError too
    throw new PathError("read", path, describeSystemError(err));
  }
}

/** Whether a line is a page's, whatever its name: `{"page": string, "key": string}`. */
function isPageLine(line: string): boolean {
  try {
    const v = JSON.parse(line);
    return v !== null && typeof v === "object" && typeof v.page === "string" &&
      typeof v.key === "string";
  } catch {
    return false;
  }
}

/**
 * A page's line of the manifest read: its name and key, or null when it is
 * not a page of the shape this tool writes (a name edited into it cannot
 * point elsewhere).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { manifestPage } from "./site_manifest.ts";
 * assert.deepEqual(manifestPage('{"page":"session-ab.html","key":"k1"}'), ["session-ab.html", "k1"]);
 * assert.equal(manifestPage('{"page":"../x","key":"k2"}'), null);
 * assert.equal(manifestPage("not json"), null);
 * ```
 */
export function manifestPage(line: string): [string, string] | null {
  let v: { page?: unknown; key?: unknown } | null;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (v === null || typeof v !== "object") return null;
  const { page, key } = v;
  return typeof page === "string" && PAGE_NAME.test(page) && typeof key === "string"
    ? [page, key]
    : null;
}

/**
 * A version 1 manifest's text read back (one JSON object, written by
 * earlier builds); only page names of the shape this tool makes are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseManifest } from "./site_manifest.ts";
 * const m = parseManifest(
 *   '{"generator":"zot-sessions","index":"k0","pages":{"session-ab.html":"k1","../x":"k2"}}',
 *   "m.json",
 * );
 * assert.deepEqual([m.index, [...m.pages]], ["k0", [["session-ab.html", "k1"]]]);
 * assert.throws(() => parseManifest("[]", "m.json"), /Cannot read "m.json": not a manifest/);
 * ```
 */
export function parseManifest(
  text: string,
  path: string,
): { index: string | null; pages: Map<string, string> } {
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

/**
 * The manifest's text, line by line: its head, then a line per page (given
 * in name order, so that it changes only with them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { manifestHead, manifestLines, manifestPage } from "./site_manifest.ts";
 * const [head, page] = [...manifestLines("k0", [["session-a.html", "k1"]])];
 * assert.deepEqual(manifestHead(head), { index: "k0" });
 * assert.deepEqual(manifestPage(page), ["session-a.html", "k1"]);
 * ```
 */
export function* manifestLines(
  index: string | null,
  pages: Iterable<[string, string]>,
): Generator<string> {
  yield JSON.stringify({ generator: "zot-sessions", version: 2, index }) + "\n";
  for (const [page, key] of pages) yield JSON.stringify({ page, key }) + "\n";
}

/**
 * Writes the manifest (a new file renamed over it: a link there is
 * replaced, not followed), streamed from `pages` (in name order).
 */
export async function writeManifest(
  dir: string,
  index: string | null,
  pages: Iterable<[string, string]>,
  pid: number,
): Promise<void> {
  const out = await openReplacement(join(dir, MANIFEST), pid);
  try {
    let held = "";
    for (const line of manifestLines(index, pages)) {
      held += line;
      if (held.length >= CHUNK) {
        await out.write(held);
        held = "";
      }
    }
    await out.write(held);
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}
