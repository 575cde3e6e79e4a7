/**
 * The index's `changes` table (lib/index/changes_table.ts) through the store:
 * a file's change rows are found by the changed file's absolute path with
 * their file's row, replaced from a place on, dropped with the file, and a
 * row changed behind its checksum is met as damage.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { join } from "node:path";
import { IndexStore } from "../../lib/index/store.ts";
import { RowDamagedError } from "../../lib/index/checksum.ts";
import type { FileRow } from "../../lib/index/file_row.ts";
import { emptyScan } from "../../lib/scan/session_scan.ts";
import { emptyChangeScan } from "../../lib/transcript/change_scan.ts";
import { withDir } from "../helpers/dirs.ts";

/** A row for `path` of `size` bytes. */
function fileRow(path: string, size = 100): FileRow {
  return {
    path,
    dev: 7,
    ino: 42,
    size,
    mtimeMs: 1_700_000_000_000,
    ctimeMs: 1_700_000_000_000.25,
    headHash: "head",
    tailHash: "tail",
    state: { ...emptyScan(), offset: size, lines: 3 },
    changes: emptyChangeScan(),
    ownPaths: { final: {}, tail: {} },
  };
}

const EVENTS = [{
  timeMs: 1_700_000_000_000,
  ordinal: 1,
  model: "m1",
  provider: "p",
  spend: { inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costNanos: 5 },
}];

/** A store in a new directory, closed after `fn`. */
function withStore(fn: (store: IndexStore) => void) {
  return withDir((dir) => {
    const store = IndexStore.open(join(dir, "index.sqlite"));
    try {
      fn(store);
    } finally {
      store.close();
    }
    return Promise.resolve();
  });
}

describe("IndexStore: change rows", () => {
  const change = (ordinal: number, absolute: string) => ({
    ordinal,
    index: ordinal + 2,
    tool: "edit" as const,
    ok: ordinal % 2 === 0,
    aborted: false,
    time: "2026-11-01T10:00:00Z",
    path: absolute.slice(3),
    absolute,
    inherited: false,
  });
  const ROWS = [change(0, "/p/a.go"), change(1, "/p/b.go"), change(2, "/p/a.go")];

  it("are found by the edited file, with their file's row; replaced from a place on; gone with it", async () => {
    await withStore((store) => {
      store.write(() => store.put(fileRow("/s/a.jsonl"), EVENTS, { from: 0, rows: ROWS }));
      store.write(() => store.put(fileRow("/s/b.jsonl"), EVENTS, { from: 0, rows: ROWS }));
      const found = (files = ["/s/a.jsonl"]) =>
        store.changes.find("/p/a.go", files).found.map((f) => [f.file, f.change]);
      assert.deepEqual(found(), [["/s/a.jsonl", ROWS[0]], ["/s/a.jsonl", ROWS[2]]]);
      const identity = store.changes.find("/p/a.go", ["/s/a.jsonl"]).found[0].identity;
      assert.deepEqual(identity.size, 100);
      assert.deepEqual(store.changes.of("/s/a.jsonl", 2), ROWS.slice(0, 2));
      // From place 1 on: b.go's row is gone, a new one is at 1.
      store.write(() =>
        store.put(fileRow("/s/a.jsonl", 120), EVENTS, { from: 1, rows: [change(1, "/p/a.go")] })
      );
      assert.deepEqual(found(), [["/s/a.jsonl", ROWS[0]], ["/s/a.jsonl", change(1, "/p/a.go")]]);
      assert.equal(store.changes.find("/p/a.go", ["/s/a.jsonl"]).found[0].identity.size, 120);
      store.write(() => store.delete("/s/a.jsonl"));
      assert.deepEqual(found(["/s/a.jsonl", "/s/b.jsonl"]).map(([f]) => f), [
        "/s/b.jsonl",
        "/s/b.jsonl",
      ]);
      store.clear();
      assert.deepEqual(found(["/s/b.jsonl"]), []);
    });
  });

  it("a row changed behind its checksum: its file is named damaged, of() throws", async () => {
    await withStore((store) => {
      store.write(() => store.put(fileRow("/s/a.jsonl"), EVENTS, { from: 0, rows: ROWS }));
      store.search.db.exec("UPDATE changes SET idx = idx + 1 WHERE ordinal = 2");
      assert.deepEqual(store.changes.find("/p/a.go", ["/s/a.jsonl"]), {
        found: [],
        damaged: ["/s/a.jsonl"],
      });
      assert.deepEqual(store.changes.of("/s/a.jsonl", 2), ROWS.slice(0, 2));
      assert.throws(() => store.changes.of("/s/a.jsonl", 3), RowDamagedError);
    });
  });
});
