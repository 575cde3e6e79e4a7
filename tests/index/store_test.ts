/**
 * The index's database (lib/index/store.ts) tested directly, without a
 * session file: opening and reopening, the rows it writes and reads back
 * (with their events, one by one or many at once), writes that land whole
 * or not at all, its typed errors (a file that is no database, a row or its
 * events changed behind its checksum, another run's write lock), and what a
 * second handle on the same file sees. Two handles in one process take the
 * place of two runs: no sleeps, the lock is held or not when asked.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { IndexStore } from "../../lib/index/store.ts";
import { IndexBusyError, IndexDamagedError } from "../../lib/index/store_errors.ts";
import { RowDamagedError } from "../../lib/index/checksum.ts";
import type { FileRow } from "../../lib/index/file_row.ts";
import type { SpendEvent } from "../../lib/scan/ledger.ts";
import { emptyScan } from "../../lib/scan/session_scan.ts";
import { emptyChangeScan } from "../../lib/transcript/change_scan.ts";
import { withDir } from "../helpers/dirs.ts";

/** A row for `path` of `size` bytes, its scan state read up to there. */
function fileRow(path: string, size = 100): FileRow {
  const state = { ...emptyScan(), offset: size, lines: 3 };
  return {
    path,
    dev: 7,
    ino: 42,
    size,
    mtimeMs: 1_700_000_000_000,
    ctimeMs: 1_700_000_000_000.25,
    headHash: "head",
    tailHash: "tail",
    state,
    changes: emptyChangeScan(),
    ownPaths: { final: {}, tail: {} },
  };
}

/** No change rows. */
const NO_CHANGES = { from: 0, rows: [] };

const spend = (costNanos: number) => ({
  inputTokens: 10,
  outputTokens: 2,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costNanos,
});
const EVENTS: SpendEvent[] = [
  { timeMs: 1_700_000_000_000, ordinal: 1, model: "m1", provider: "p", spend: spend(5) },
  { timeMs: 1_700_000_060_000, ordinal: 3, model: "m2", provider: "", spend: spend(0) },
];

/** A store in a new directory, closed after `fn`. */
function withStore(fn: (store: IndexStore, db: string) => void | Promise<void>) {
  return withDir(async (dir) => {
    const db = join(dir, "index.sqlite");
    const store = IndexStore.open(db);
    try {
      await fn(store, db);
    } finally {
      store.close();
    }
  });
}

/** Runs `fn` in a new directory, removed after. */
function inDir(fn: (dir: string) => void): Promise<void> {
  return withDir((dir) => Promise.resolve().then(() => fn(dir)));
}

/** A row as read back, without what only reading adds. */
const plain = (row: FileRow | null) => {
  if (!row) return row;
  const { readEvents: _, ...rest } = row;
  return rest;
};

describe("IndexStore: rows", () => {
  it("opens empty, and gives back a row and its events after closing and opening again", async () => {
    await inDir((dir) => {
      const db = join(dir, "index.sqlite");
      const first = IndexStore.open(db);
      assert.deepEqual(first.paths(), []);
      assert.equal(first.get("/s/a.jsonl"), null);
      first.write(() => first.put(fileRow("/s/a.jsonl"), EVENTS, NO_CHANGES));
      first.close();
      const again = IndexStore.open(db);
      try {
        const row = again.get("/s/a.jsonl");
        assert.deepEqual(row, fileRow("/s/a.jsonl"));
        assert.deepEqual(again.events(row!), EVENTS);
        assert.deepEqual(again.paths(), [{ path: "/s/a.jsonl", size: 100 }]);
      } finally {
        again.close();
      }
    });
  });

  it("reads many rows in one statement, their events with them when asked", async () => {
    await withStore((store) => {
      store.write(() => {
        store.put(fileRow("/s/a.jsonl", 10), EVENTS, NO_CHANGES);
        store.put(fileRow("/s/b.jsonl", 20), [], NO_CHANGES);
      });
      const paths = ["/s/b.jsonl", "/s/a.jsonl", "/s/none.jsonl"];
      const cases: [boolean, string[], boolean][] = [
        // with events, the paths it has, whether the rows carry their events
        [false, ["/s/a.jsonl", "/s/b.jsonl"], false],
        [true, ["/s/a.jsonl", "/s/b.jsonl"], true],
      ];
      for (const [withEvents, has, carried] of cases) {
        const rows = store.getMany(paths, withEvents);
        assert.deepEqual([...rows.keys()].sort(), has);
        const a = store.decode(rows.get("/s/a.jsonl")!);
        assert.deepEqual(plain(a), fileRow("/s/a.jsonl", 10));
        assert.equal(a.readEvents !== undefined, carried);
        assert.deepEqual(store.events(a), EVENTS);
        assert.deepEqual(store.events(store.decode(rows.get("/s/b.jsonl")!)), []);
      }
    });
  });

  it("a row replaced since it was read has no events (null), unless they were read with it", async () => {
    await withStore((store) => {
      store.write(() => store.put(fileRow("/s/a.jsonl", 10), EVENTS, NO_CHANGES));
      const before = store.get("/s/a.jsonl")!;
      const readAhead = store.decode(store.getMany(["/s/a.jsonl"], true).get("/s/a.jsonl")!);
      store.write(() => store.put(fileRow("/s/a.jsonl", 30), EVENTS.slice(0, 1), NO_CHANGES));
      assert.equal(store.events(before), null);
      assert.deepEqual(store.events(readAhead), EVENTS);
      assert.deepEqual(store.events(store.get("/s/a.jsonl")!), EVENTS.slice(0, 1));
    });
  });

  it("a write lands whole or not at all; delete and clear drop rows", async () => {
    await withStore((store) => {
      store.write(() => store.put(fileRow("/s/a.jsonl"), EVENTS, NO_CHANGES));
      assert.throws(
        () =>
          store.write(() => {
            store.put(fileRow("/s/b.jsonl"), EVENTS, NO_CHANGES);
            store.delete("/s/a.jsonl");
            throw new Error("stopped half-way");
          }),
        /stopped half-way/,
      );
      assert.deepEqual(store.paths().map((p) => p.path), ["/s/a.jsonl"]);
      store.write(() => store.put(fileRow("/s/b.jsonl"), [], NO_CHANGES));
      store.write(() => store.delete("/s/a.jsonl"));
      assert.deepEqual(store.paths().map((p) => p.path), ["/s/b.jsonl"]);
      store.clear();
      assert.deepEqual(store.paths(), []);
    });
  });

  it("a database of another version has its tables made anew", async () => {
    await withStore((store, db) => {
      store.write(() => store.put(fileRow("/s/a.jsonl"), EVENTS, NO_CHANGES));
      store.search.db.exec("UPDATE info SET value = '0.old' WHERE key = 'version'");
      const again = IndexStore.open(db);
      try {
        assert.deepEqual(again.paths(), []);
        again.write(() => again.put(fileRow("/s/a.jsonl"), EVENTS, NO_CHANGES));
        assert.deepEqual(again.events(again.get("/s/a.jsonl")!), EVENTS);
      } finally {
        again.close();
      }
    });
  });
});

describe("IndexStore: typed errors", () => {
  it("a file that is no database: IndexDamagedError", async () => {
    await withDir(async (dir) => {
      const db = join(dir, "index.sqlite");
      await writeFile(db, "this is not a database, and it is longer than a header ".repeat(20));
      assert.throws(() => IndexStore.open(db), IndexDamagedError);
    });
  });

  it("a directory that is not there: the system's error, not a typed one", () => {
    assert.throws(
      () => IndexStore.open("/nonexistent/zot-index/index.sqlite"),
      (err) => !(err instanceof IndexDamagedError) && !(err instanceof IndexBusyError),
    );
  });

  const tampered: [string, string, "get" | "events"][] = [
    // what changed behind the checksum, the SQL, what meets it
    ["a fingerprint value", "UPDATE files SET size = size + 1", "get"],
    ["the scan state", `UPDATE files SET state = replace(state, '"lines":3', '"lines":4')`, "get"],
    ["the path", "UPDATE files SET path = '/s/b.jsonl'", "get"],
    ["the events", "UPDATE files SET events = events || ' '", "events"],
    [
      "the change scan state",
      `UPDATE files SET changes_state = replace(changes_state, '"base":0', '"base":1')`,
      "get",
    ],
  ];
  for (const [what, sql, where] of tampered) {
    it(`${what} changed: RowDamagedError from ${where}()`, async () => {
      await withStore((store) => {
        store.write(() => store.put(fileRow("/s/a.jsonl"), EVENTS, NO_CHANGES));
        store.search.db.exec(sql);
        const path = what === "the path" ? "/s/b.jsonl" : "/s/a.jsonl";
        const read = () => {
          const row = store.get(path)!;
          return store.events(row);
        };
        assert.throws(read, (err) => {
          assert.ok(err instanceof RowDamagedError, String(err));
          assert.equal(
            err.message,
            `Cannot use the index's row of "${path}": its checksum does not match; read the session file instead`,
          );
          return true;
        });
        if (where === "events") assert.ok(store.get(path), "the row itself still reads");
      });
    });
  }
});

describe("IndexStore: two handles on one file (two runs)", () => {
  it("a write waits at most the lock wait, then is refused: IndexBusyError, nothing written", async () => {
    await withStore((a, db) => {
      const b = IndexStore.open(db, { lockWaitMs: 0 });
      try {
        assert.equal(a.begin(), true);
        a.put(fileRow("/s/a.jsonl"), EVENTS, NO_CHANGES);
        assert.equal(b.begin(), false, "another run holds the write lock");
        assert.throws(
          () => b.write(() => b.put(fileRow("/s/b.jsonl"), [], NO_CHANGES)),
          (err) =>
            err instanceof IndexBusyError &&
            err.message ===
              `Cannot update the index "${db}": another run is writing to it (database is locked)`,
        );
        b.setLockWait(10); // a wait that ends while the lock is still held
        assert.equal(b.begin(), false);
        a.commit();
        assert.deepEqual(
          b.paths().map((p) => p.path),
          ["/s/a.jsonl"],
          "b's refused write left nothing",
        );
        assert.equal(b.begin(), true, "free once the other run committed");
        b.put(fileRow("/s/b.jsonl"), [], NO_CHANGES);
        b.commit();
        assert.deepEqual(a.paths().map((p) => p.path).sort(), ["/s/a.jsonl", "/s/b.jsonl"]);
      } finally {
        b.rollback();
        b.close();
      }
    });
  });

  it("a reader sees the last committed rows, never a write in progress (the pause seam)", async () => {
    await inDir((dir) => {
      const db = join(dir, "index.sqlite");
      const seen: [string, string[]][] = [];
      let watch = true;
      const b = IndexStore.open(db);
      // At the `write` pause, a's transaction is written but not committed.
      const a = IndexStore.open(db, {
        pause: (point) => {
          if (!watch) return;
          seen.push([point, b.paths().map((p) => p.path)]);
          assert.equal(b.begin(), false, "b cannot write meanwhile");
        },
      });
      b.setLockWait(0);
      try {
        a.write(() => a.put(fileRow("/s/a.jsonl"), EVENTS, NO_CHANGES));
        a.write(() => a.put(fileRow("/s/b.jsonl"), EVENTS, NO_CHANGES));
        assert.deepEqual(seen, [["write", []], ["write", ["/s/a.jsonl"]]]);
        assert.deepEqual(b.paths().map((p) => p.path).sort(), ["/s/a.jsonl", "/s/b.jsonl"]);
        // read(): one moment's rows, though another run commits meanwhile.
        watch = false;
        const during = b.read(() => {
          const before = b.paths().length;
          a.setLockWait(0);
          a.write(() => a.delete("/s/a.jsonl"));
          return [before, b.paths().length];
        });
        assert.deepEqual(during, [2, 2]);
        assert.equal(b.paths().length, 1);
      } finally {
        a.close();
        b.close();
      }
    });
  });
});
