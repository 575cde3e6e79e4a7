/**
 * The index's change rows (lib/index/changes_table.ts) as `changesTo`
 * answers from them: a file rewritten without its calls leaves none
 * behind, a grown file keeps its rows and adds the new one, and a row that
 * fails its checksum is warned about, its file read again and its rows
 * saved anew. (index_source_test.ts checks the answers against the files'
 * after every appended piece of generated files.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appendFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { IndexSource } from "../../lib/index/index_source.ts";
import { IndexStore } from "../../lib/index/store.ts";
import type { SessionFile } from "../../lib/sessions/catalog.ts";
import { withDir } from "../helpers/dirs.ts";
import { fsNow } from "../helpers/clock.ts";

async function fileOf(path: string): Promise<SessionFile> {
  const s = await stat(path);
  return { path, dir: "d", bytes: s.size, mtimeMs: Math.floor(s.mtime.getTime()) };
}

/** An index in `dir`, opened afresh (as each run opens it). */
function openIndex(dir: string): IndexSource {
  return new IndexSource(IndexStore.open(join(dir, "index.sqlite")), { bytesRead: 0 });
}

describe("IndexSource: change rows", () => {
  it("drops the change rows of a file rewritten without them, and keeps a grown file's", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      const meta =
        '{"type":"meta","meta":{"id":"a","cwd":"/p","model":"m","provider":"p","started":"2026-11-01T10:00:00Z"}}\n';
      const call = (id: string, p: string) =>
        JSON.stringify({
          type: "message",
          message: {
            role: "assistant",
            content: [{ id, name: "write", arguments: { path: p, content: "x" } }],
            time: "2026-11-01T10:00:00Z",
          },
        }) + "\n";
      const changed = async (target: string) => {
        const index = openIndex(dir);
        try {
          const found = await index.changesTo([await fileOf(path)], target);
          return { at: found.changes.map((c) => c.index), counts: { ...index.counts } };
        } finally {
          await index.close();
        }
      };
      await writeFile(path, meta + call("c1", "a.go") + call("c2", "b.go"));
      assert.deepEqual((await changed("/p/a.go")).at, [0]);
      // Rewritten without any call, then grown by one.
      const prompt =
        '{"type":"message","message":{"role":"user","content":[{"text":"hi"}],"time":"2026-11-01T10:00:00Z"}}\n';
      await writeFile(path, meta + prompt + prompt);
      const later = new Date(fsNow() + 5000);
      await utimes(path, later, later);
      assert.deepEqual(await changed("/p/a.go"), {
        at: [],
        counts: { unchanged: 0, resumed: 0, rescanned: 1 },
      });
      // From the rows now: none left of a.go or b.go.
      for (const target of ["/p/a.go", "/p/b.go"]) {
        assert.deepEqual(await changed(target), {
          at: [],
          counts: { unchanged: 1, resumed: 0, rescanned: 0 },
        });
      }
      await appendFile(path, call("c4", "b.go"));
      assert.deepEqual((await changed("/p/b.go")).at, [2]);
      assert.deepEqual(await changed("/p/b.go"), {
        at: [2],
        counts: { unchanged: 1, resumed: 0, rescanned: 0 },
      });
    });
  });

  it("a change row that fails its checksum is warned about; its file is read again, its rows saved anew", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      const meta =
        '{"type":"meta","meta":{"id":"a","cwd":"/p","model":"m","provider":"p","started":"2026-11-01T10:00:00Z"}}\n';
      const call = JSON.stringify({
        type: "message",
        message: {
          role: "assistant",
          content: [{ id: "c1", name: "edit", arguments: { path: "./a.go", edits: [] } }],
          time: "2026-11-01T10:00:00Z",
        },
      }) + "\n";
      await writeFile(path, meta + call);
      const run = async () => {
        const warnings: string[] = [];
        const db = IndexStore.open(join(dir, "index.sqlite"));
        const index = new IndexSource(db, { bytesRead: 0 }, undefined, undefined, (m) => {
          warnings.push(m);
          return Promise.resolve();
        });
        try {
          const found = await index.changesTo([await fileOf(path)], "/p/a.go");
          return { at: found.changes.map((c) => [c.index, c.path]), warnings, db, index };
        } finally {
          await index.close();
        }
      };
      assert.deepEqual((await run()).at, [[0, "./a.go"]]);
      const tamper = IndexStore.open(join(dir, "index.sqlite"));
      tamper.search.db.exec("UPDATE changes SET idx = 5");
      tamper.close();
      const damaged = await run();
      assert.deepEqual([damaged.at, damaged.index.counts], [[[0, "./a.go"]], {
        unchanged: 1,
        resumed: 0,
        rescanned: 1,
      }]);
      assert.deepEqual(damaged.warnings, [
        `Cannot use the index's row of "${path}": its checksum does not match; read the session file instead`,
      ]);
      const repaired = await run();
      assert.deepEqual([repaired.at, repaired.warnings], [[[0, "./a.go"]], []]);
      assert.deepEqual(repaired.index.counts, { unchanged: 1, resumed: 0, rescanned: 0 });
    });
  });

  it("a change row moved to another file or deleted is missed by no answer: the file is read again, with the warning", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      const meta =
        '{"type":"meta","meta":{"id":"a","cwd":"/p","model":"m","provider":"p","started":"2026-11-01T10:00:00Z"}}\n';
      const call = (id: string, p: string) =>
        JSON.stringify({
          type: "message",
          message: {
            role: "assistant",
            content: [{ id, name: "edit", arguments: { path: p, edits: [] } }],
            time: "2026-11-01T10:00:00Z",
          },
        }) + "\n";
      const run = async () => {
        const warnings: string[] = [];
        const index = new IndexSource(
          IndexStore.open(join(dir, "index.sqlite")),
          { bytesRead: 0 },
          undefined,
          undefined,
          (m) => {
            warnings.push(m);
            return Promise.resolve();
          },
        );
        try {
          const found = await index.changesTo([await fileOf(path)], "/p/a.go");
          return { at: found.changes.map((c) => c.index), warnings };
        } finally {
          await index.close();
        }
      };
      const warned = [
        `Cannot use the index's row of "${path}": its checksum does not match; read the session file instead`,
      ];
      for (
        const tamper of [
          "UPDATE changes SET absolute = '/p/b.go' WHERE idx = 0",
          "UPDATE changes SET absolute = '/p/b.go' WHERE idx = 1",
          "DELETE FROM changes WHERE idx = 0",
        ]
      ) {
        await writeFile(path, meta + call("c1", "a.go"));
        const later = new Date(fsNow() + 1000 * tamper.length);
        await utimes(path, later, later);
        assert.deepEqual((await run()).at, [0]);
        // Grown: its counts are brought up to date from the row's.
        await appendFile(path, call("c2", "./a.go") + call("c3", "b.go"));
        assert.deepEqual(await run(), { at: [0, 1], warnings: [] });
        const db = IndexStore.open(join(dir, "index.sqlite"));
        db.search.db.exec(tamper);
        db.close();
        assert.deepEqual(await run(), { at: [0, 1], warnings: warned }, tamper);
        assert.deepEqual(await run(), { at: [0, 1], warnings: [] }, tamper);
      }
    });
  });
});
