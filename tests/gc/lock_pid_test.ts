/**
 * gc's lock and the pid it writes: a stale lock holding this process's own
 * pid, and a link planted where the pid is written. (Beside tests/gc/lock_test.ts
 * of the gc split; fold it in when both are merged.)
 */
import { withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { acquireLock, LOCK_NAME } from "../../lib/gc/lock.ts";

describe("gc lock", () => {
  it("takes over a stale lock that holds its own pid (a reused pid)", async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, LOCK_NAME), `${process.pid}\n`);
      const lock = await acquireLock(dir, process.pid, Date.now);
      assert.equal(lock.acquired, true);
      if (lock.acquired) await lock.release();
    });
  });

  it("does not write through a link planted where it writes its pid", async () => {
    await withDir(async (dir) => {
      const outside = join(dir, "outside.txt");
      await writeFile(outside, "keep me\n");
      await symlink(outside, join(dir, `${LOCK_NAME}.${process.pid}`));
      const lock = await acquireLock(dir, process.pid, Date.now);
      assert.equal(lock.acquired, true);
      if (lock.acquired) await lock.release();
      assert.equal(await readFile(outside, "utf8"), "keep me\n");
    });
  });
});
