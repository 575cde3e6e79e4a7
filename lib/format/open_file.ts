/**
 * The one way zot-sessions opens a file it reads: session files (plain and
 * `.gz`) and the config file.
 *
 * Why not a plain `open(path, "r")`: a session file can be replaced between
 * listing and reading. A FIFO put in its place makes `open` wait forever for
 * a writer, and a link to `/dev/zero` gives endless bytes; `ls`, `cost` and
 * `gc` hung on both. So the file is opened without blocking (`O_NONBLOCK`,
 * which changes nothing for a regular file) and, unless the caller follows
 * links, without following one (`O_NOFOLLOW`: a link is not a session, as
 * for zot's picker); then the open handle itself is checked, so what is
 * checked is what is read.
 *
 * @module
 */
import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { RuntimeError } from "../base/errors.ts";

/**
 * A test seam: called with each path before it is opened. The command
 * context sets it when `ZOT_SESSIONS_TEST_PAUSE` is given (index/pause.ts,
 * the point `open`), so a test can change a session file after the run
 * listed it and before it reads it, without racing the run. Unset, always,
 * outside tests.
 */
let beforeOpen: ((path: string) => void) | undefined;

/** Sets (or, with undefined, clears) the {@linkcode beforeOpen} seam. */
export function setBeforeOpen(hook: ((path: string) => void) | undefined): void {
  beforeOpen = hook;
}

/** How {@linkcode openRegularFile} opens. */
export interface OpenOptions {
  /**
   * Follow a symbolic link at the path (its target must still be a regular
   * file). Default false: a link is refused.
   */
  followLinks?: boolean;
}

/**
 * A file refused for what it is (a FIFO, a device, a link): `detail` is the
 * message without its `Cannot read "<path>": ` head, for callers that word
 * their own.
 */
export class NotRegularFileError extends RuntimeError {
  override name = "NotRegularFileError";
  constructor(readonly path: string, readonly detail: string) {
    super(`Cannot read "${path}": ${detail}`);
  }
}

/** A regular file open for reading, with its size when opened. */
export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

// Not every platform has every flag (Windows has neither): 0 leaves it out.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** What a file that is not a regular one is, in words. */
function kindOf(s: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (s.isDirectory()) return "a directory";
  if (s.isFIFO()) return "a FIFO";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * Opens `path` for reading if it is a regular file; anything else (a FIFO, a
 * device, a directory, a link unless `followLinks`) is a
 * {@linkcode NotRegularFileError} `Cannot read "<path>": not a regular file (a FIFO)`,
 * without ever blocking on it. System errors (ENOENT, EACCES) pass through.
 * The caller closes the handle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { openRegularFile } from "./open_file.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * await writeFile(path, '{"a":1}\n{"b":2}\n');
 * const { handle, size } = await openRegularFile(path);
 * await handle.close();
 * assert.equal(size, 16);
 * await assert.rejects(openRegularFile(dir), /not a regular file \(a directory\)/);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function openRegularFile(
  path: string,
  options: OpenOptions = {},
): Promise<OpenedFile> {
  beforeOpen?.(path);
  const flags = constants.O_RDONLY | NONBLOCK | (options.followLinks ? 0 : NOFOLLOW);
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (err) {
    // O_NOFOLLOW on a link fails with ELOOP, which would read "too many
    // symbolic links": say what it is.
    if (!options.followLinks && (err as { code?: string }).code === "ELOOP") {
      throw new NotRegularFileError(path, "a symbolic link (not followed)");
    }
    throw err;
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) {
      throw new NotRegularFileError(path, `not a regular file (${kindOf(s)})`);
    }
    return { handle, size: s.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
