/**
 * `-o FILE`: output written to a file that appears whole or not at all. The
 * text goes to a hidden file beside it, renamed over FILE once all of it is
 * on disk; a run that fails (a damaged gzip, a full disk, Ctrl-C) leaves an
 * earlier FILE as it was. A FILE that exists and is no regular file (a
 * device, a FIFO) is written to directly: it cannot be replaced.
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
  const fail = (err: unknown) => new PathError("write", path, describeSystemError(err));
  const existing = await stat(path).catch(() => null);
  const direct = existing !== null && !existing.isFile();
  const tmp = direct ? path : join(dirname(path), `.${basename(path)}.${pid}.tmp`);
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
