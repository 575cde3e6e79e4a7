/**
 * Tests of lib/io/file_output.ts: `-o FILE` appears whole or not at
 * all, and a FILE that is no regular file is written to directly.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFileOutput } from "../../lib/io/file_output.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";

async function inTemp(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "zot-out-"));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("openFileOutput", () => {
  it("writes beside FILE and puts it in place only on commit", () =>
    inTemp(async (dir) => {
      const path = join(dir, "page.html");
      await writeFile(path, "old");
      const out = await openFileOutput(path, 77);
      await out.write("new ");
      await out.writeBytes(new TextEncoder().encode("page"));
      assert.equal(await readFile(path, "utf8"), "old");
      assert.deepEqual((await readdir(dir)).sort(), [".page.html.77.tmp", "page.html"]);
      await out.commit();
      assert.equal(await readFile(path, "utf8"), "new page");
      assert.deepEqual(await readdir(dir), ["page.html"]);
    }));

  it("abort leaves an earlier FILE as it was and removes what was written", () =>
    inTemp(async (dir) => {
      const path = join(dir, "page.html");
      await writeFile(path, "old");
      const out = await openFileOutput(path, 77);
      await out.write("half a pa");
      await out.abort();
      assert.equal(await readFile(path, "utf8"), "old");
      assert.deepEqual(await readdir(dir), ["page.html"]);
    }));

  // Not /dev/null: were the direct path broken, the test (as root) would
  // rename a file over the machine's /dev/null. A FIFO of the test's own is
  // no regular file either, and its reader shows what was written.
  it("writes to a FIFO directly: its reader gets every byte, the FIFO stays", {
    skip: needs("mkfifo", hasProgram("mkfifo")),
  }, () =>
    inTemp(async (dir) => {
      const fifo = join(dir, "page.html");
      assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
      // The reader first: opening a FIFO for writing waits for one.
      const read = readFile(fifo, "utf8");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("the FIFO was never written and closed")),
          10_000,
        );
      });
      try {
        const written = (async () => {
          const out = await openFileOutput(fifo, 77);
          await out.write("new ");
          await out.writeBytes(new TextEncoder().encode("page"));
          await out.commit();
        })();
        await Promise.race([written, hung]);
        assert.equal(await Promise.race([read, hung]), "new page");
      } finally {
        clearTimeout(timer);
      }
      assert.ok((await stat(fifo)).isFIFO(), "still a FIFO, not replaced by a file");
      assert.deepEqual(await readdir(dir), ["page.html"], "no hidden file beside it");
    }));

  it("fails with one line naming FILE", () =>
    inTemp(async (dir) => {
      await assert.rejects(
        openFileOutput(join(dir, "no", "page.html"), 77),
        { message: `Cannot write "${join(dir, "no", "page.html")}": no such file or directory` },
      );
    }));
});
