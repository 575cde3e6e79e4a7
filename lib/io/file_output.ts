/**
 * `-o FILE`: output written to a file that appears whole or not at all. The
 * text goes to a hidden file beside it, renamed over FILE once all of it is
 * on disk; a run that fails (a damaged gzip, a full disk, Ctrl-C) leaves an
 * earlier FILE as it was. A FILE that exists and is no regular file (a
 * device, a FIFO, or a link to one) is written to directly: `-o /dev/stdout`
 * is what the user asked for. A writer that must never write through a name
 * it did not make (`export --html`'s site) uses
 * {@linkcode openReplacement}: always the hidden file, renamed over the name.
 *
 * @module
 */
import { open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PathError } from "../base/errors.ts";
import { describeSystemError } from "../base/errors.ts";
import type { Output } from "./io.ts";

/** A file being written: {@linkcode FileOutput.commit} makes it FILE. */
export interface FileOutput extends Output {
  /** Puts the written file in place (after flushing it to disk). */
  commit(): Promise<void>;
  /** Removes what was written (after a failure); never throws. */
  abort(): Promise<void>;
}

/**
 * Opens `path` for writing as described above; `pid` names the hidden file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, readFile, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { openFileOutput } from "./file_output.ts";
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * const out = await openFileOutput(join(dir, "session.html"), 4242);
 * await out.write("<!DOCTYPE html>");
 * await out.commit();
 * assert.equal(await readFile(join(dir, "session.html"), "utf8"), "<!DOCTYPE html>");
 * await rm(dir, { recursive: true });
 * ```
 */
export async function openFileOutput(path: string, pid: number): Promise<FileOutput> {
  const existing = await stat(path).catch(() => null);
  if (existing !== null && !existing.isFile()) return await fileOutput(path, path);
  return await openReplacement(path, pid);
}

/**
 * Opens `path` to be replaced whole: the text goes to a new hidden file
 * beside it (made with `O_EXCL`, so never a link followed or an old file
 * reused), renamed over the name on commit. Whatever the name was (a file,
 * a link to a FIFO, to a device, or to a file elsewhere) is never opened:
 * the rename replaces the name itself, and a link's target stays as it was.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { openReplacement } from "./file_output.ts";
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * await writeFile(join(dir, "elsewhere"), "mine");
 * await symlink(join(dir, "elsewhere"), join(dir, "index.html"));
 * const out = await openReplacement(join(dir, "index.html"), 4242);
 * await out.write("<!DOCTYPE html>");
 * await out.commit();
 * assert.equal(await readFile(join(dir, "index.html"), "utf8"), "<!DOCTYPE html>");
 * assert.equal(await readFile(join(dir, "elsewhere"), "utf8"), "mine");
 * await rm(dir, { recursive: true });
 * ```
 */
export function openReplacement(path: string, pid: number): Promise<FileOutput> {
  return fileOutput(path, join(dirname(path), `.${basename(path)}.${pid}.tmp`));
}

/** Writes `tmp`, renamed to `path` on commit; `tmp === path`: written in place. */
async function fileOutput(path: string, tmp: string): Promise<FileOutput> {
  const fail = (err: unknown) => new PathError("write", path, describeSystemError(err));
  const direct = tmp === path;
  // "wx": a stale hidden file of the same name is not followed or reused.
  const fh = await open(tmp, direct ? "w" : "wx").catch((err) => {
    throw fail(err);
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  const encoder = new TextEncoder();
  // A write may take part of what it is given.
  const writeAll = async (bytes: Uint8Array) => {
    try {
      for (let done = 0; done < bytes.length;) {
        done += (await fh.write(bytes, done, bytes.length - done)).bytesWritten;
      }
    } catch (err) {
      throw fail(err);
    }
  };
  return {
    isTTY: false,
    write: (text: string) => writeAll(encoder.encode(text)),
    writeBytes: writeAll,
    async commit() {
      try {
        if (!direct) await fh.sync();
        await close();
        if (!direct) await rename(tmp, path);
      } catch (err) {
        throw fail(err);
      }
    },
    async abort() {
      await close().catch(() => {});
      if (!direct) await unlink(tmp).catch(() => {});
    },
  };
}
