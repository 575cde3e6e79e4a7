/**
 * Tests of lib/commands/file_output.ts: `-o FILE` appears whole or not at
 * all, and a FILE that is no regular file is written to directly.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFileOutput } from "../../lib/commands/file_output.ts";

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

  it("writes to a FILE that is no regular file directly", async () => {
    const out = await openFileOutput("/dev/null", 77);
    await out.write("gone");
    await out.commit();
  });

  it("fails with one line naming FILE", () =>
    inTemp(async (dir) => {
      await assert.rejects(
        openFileOutput(join(dir, "no", "page.html"), 77),
        { message: `Cannot write "${join(dir, "no", "page.html")}": no such file or directory` },
      );
    }));
});
