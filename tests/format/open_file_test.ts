/**
 * Tests of lib/open_file.ts: only regular files are opened, a link only when
 * asked, and nothing blocks (a FIFO with no writer, a device).
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { NotRegularFileError, openRegularFile } from "../../lib/format/open_file.ts";
import { readLines } from "../../lib/format/lines.ts";
import { scanFile } from "../../lib/scan/session_scan.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";

/** `promise`, or a failure after `ms` (a read that blocks must fail the test, not hang it). */
function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const WINDOWS = process.platform === "win32";
/** The skip of a test that makes FIFOs. */
const noFifo = skipBecause(WINDOWS, "no FIFOs on Windows") || needs("mkfifo", hasProgram("mkfifo"));

describe("openRegularFile", () => {
  it("opens a regular file and gives its size", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "a.jsonl");
      await writeFile(path, "hello");
      const { handle, size } = await openRegularFile(path);
      try {
        assert.equal(size, 5);
        const buf = new Uint8Array(5);
        assert.equal((await handle.read(buf, 0, 5, 0)).bytesRead, 5);
      } finally {
        await handle.close();
      }
    });
  });

  it("refuses a FIFO at once, with no writer (no blocking open)", { skip: noFifo }, async () => {
    await withDir(async (dir) => {
      const path = join(dir, "a.jsonl");
      assert.equal(spawnSync("mkfifo", [path]).status, 0);
      await assert.rejects(
        within(openRegularFile(path)),
        new NotRegularFileError(path, "not a regular file (a FIFO)"),
      );
      // The same through a link that is followed.
      const link = join(dir, "link.jsonl");
      await symlink(path, link);
      await assert.rejects(
        within(openRegularFile(link, { followLinks: true })),
        new NotRegularFileError(link, "not a regular file (a FIFO)"),
      );
    });
  });

  it("refuses a link unless asked to follow it; then what it leads to must be regular", {
    skip: skipBecause(WINDOWS, "no /dev/zero on Windows"),
  }, async () => {
    await withDir(async (dir) => {
      const zero = join(dir, "zero.jsonl");
      await symlink("/dev/zero", zero);
      await assert.rejects(
        within(openRegularFile(zero)),
        new NotRegularFileError(zero, "a symbolic link (not followed)"),
      );
      await assert.rejects(
        within(openRegularFile(zero, { followLinks: true })),
        new NotRegularFileError(zero, "not a regular file (a character device)"),
      );
      const real = join(dir, "real.jsonl");
      await writeFile(real, "x");
      const link = join(dir, "link.jsonl");
      await symlink(real, link);
      await assert.rejects(openRegularFile(link), /a symbolic link \(not followed\)/);
      const opened = await openRegularFile(link, { followLinks: true });
      await opened.handle.close();
      assert.equal(opened.size, 1);
    });
  });

  it("refuses a directory", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "d.jsonl");
      await mkdir(path);
      await assert.rejects(
        openRegularFile(path),
        new NotRegularFileError(path, "not a regular file (a directory)"),
      );
    });
  });

  it("lets a missing file's system error through", async () => {
    await withDir(async (dir) => {
      await assert.rejects(openRegularFile(join(dir, "none")), { code: "ENOENT" });
    });
  });
});

describe("the readers open through it", () => {
  it("readLines() and scanFile() refuse a FIFO instead of waiting on it", {
    skip: noFifo,
  }, async () => {
    await withDir(async (dir) => {
      for (const name of ["a.jsonl", "b.jsonl.gz"]) {
        const path = join(dir, name);
        assert.equal(spawnSync("mkfifo", [path]).status, 0);
        await assert.rejects(within(scanFile(path)), /not a regular file \(a FIFO\)/);
        await assert.rejects(
          within((async () => {
            for await (const _ of readLines(path)) { /* nothing */ }
          })()),
          /not a regular file \(a FIFO\)/,
        );
      }
    });
  });
});
