/**
 * The index remembers which damaged files a run warned about, at their size
 * and mtime (issue 22, item 6): a later run sees them as warned while they
 * are unchanged, and as new once they change; gc's forget and a clear drop
 * the memory; the files alone remember nothing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { join } from "node:path";
import { withDir } from "../helpers/dirs.ts";
import { IndexSource } from "../../lib/index/index_source.ts";
import { IndexStore } from "../../lib/index/store.ts";
import { FileSource } from "../../lib/sessions/source.ts";
import type { SessionFile } from "../../lib/sessions/catalog.ts";

const file = (path: string, bytes: number, mtimeMs: number): SessionFile => ({
  path,
  dir: "0123456789abcdef",
  bytes,
  mtimeMs,
});

/** Runs `fn` on an index opened afresh in `dir` (as each run opens it), closing it after. */
async function withIndex<T>(dir: string, fn: (index: IndexSource) => Promise<T>): Promise<T> {
  const index = new IndexSource(IndexStore.open(join(dir, "index.sqlite")), { bytesRead: 0 });
  try {
    return await fn(index);
  } finally {
    await index.close();
  }
}

describe("IndexSource.warnedDamage", () => {
  it("says a file was warned about only while its size and mtime are those it was warned at", async () => {
    await withDir(async (dir) => {
      const a = file("/h/a.jsonl", 100, 1_000);
      const b = file("/h/b.jsonl", 200, 2_000);
      assert.deepEqual([...await withIndex(dir, (i) => i.warnedDamage([a, b], true))], []);
      assert.deepEqual(
        [...await withIndex(dir, (i) => i.warnedDamage([a, b], true))].sort(),
        [a.path, b.path],
      );
      // a grew, b was touched: both are new damage, remembered anew.
      const grown = file(a.path, 150, 1_000);
      const touched = file(b.path, 200, 2_001);
      assert.deepEqual(
        [...await withIndex(dir, (i) => i.warnedDamage([grown, touched], true))],
        [],
      );
      assert.deepEqual(
        [...await withIndex(dir, (i) => i.warnedDamage([grown, touched], false))].sort(),
        [a.path, b.path],
      );
    });
  });

  it("remembers nothing when not asked to", async () => {
    await withDir(async (dir) => {
      const a = file("/h/a.jsonl", 100, 1_000);
      await withIndex(dir, (i) => i.warnedDamage([a], false));
      assert.deepEqual([...await withIndex(dir, (i) => i.warnedDamage([a], false))], []);
    });
  });

  it("forgets a file gc removed, and every file when the index is cleared", async () => {
    await withDir(async (dir) => {
      const a = file("/h/a.jsonl", 100, 1_000);
      const b = file("/h/b.jsonl", 200, 2_000);
      await withIndex(dir, (i) => i.warnedDamage([a, b], true));
      await withIndex(dir, (i) => i.forget([a.path]));
      assert.deepEqual([...await withIndex(dir, (i) => i.warnedDamage([a, b], false))], [b.path]);
      await withIndex(dir, (i) => Promise.resolve(i.store.clear()));
      assert.deepEqual([...await withIndex(dir, (i) => i.warnedDamage([a, b], false))], []);
    });
  });

  it("the files alone remember nothing: every run warns line by line", async () => {
    const source = new FileSource();
    const a = file("/h/a.jsonl", 100, 1_000);
    await source.warnedDamage([a], true);
    assert.deepEqual([...await source.warnedDamage([a], true)], []);
  });
});
