/**
 * Runs at once on one index: a run reads a file's row, another run then saves
 * a newer row for the same file (zot appended meanwhile), and only then does
 * the first run ask for the row's spend events. It must not take the newer
 * row's events for those of the row it read (they would be counted twice,
 * and saved so).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appendFile, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IndexSource } from "../../lib/index/index_source.ts";
import { IndexStore } from "../../lib/index/store.ts";
import type { SpendEvent } from "../../lib/scan/ledger.ts";
import type { SessionFile } from "../../lib/sessions/catalog.ts";
import { FileSource, type SessionSource } from "../../lib/sessions/source.ts";
import { messageLine, metaLine, usageLine } from "../helpers/fixtures.ts";

async function fileOf(path: string): Promise<SessionFile> {
  const s = await stat(path);
  return { path, dir: "d", bytes: s.size, mtimeMs: Math.floor(s.mtime.getTime()) };
}

async function answer(source: SessionSource, path: string) {
  const events: SpendEvent[] = [];
  const r = await source.scan(await fileOf(path), (e) => events.push(structuredClone(e)));
  return { summary: structuredClone(r.summary), ledger: structuredClone(r.ledger), events };
}

/** `store`, but whose `get` answers `row` (what it read before another run wrote). */
function readEarlier(store: IndexStore, row: ReturnType<IndexStore["get"]>): IndexStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === "get") return () => row;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("IndexSource, two runs at once", () => {
  it("a row replaced between reading it and reading its events: nothing counted twice", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zot-index-race-"));
    try {
      const db = join(dir, "index.sqlite");
      const path = join(dir, "s.jsonl");
      const id = "0e19291e-c841-4742-bbcc-90199e65f26e";
      await writeFile(
        path,
        [
          metaLine({ id, cwd: "/p" }),
          messageLine("user", "hi"),
          usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: 0.01 }),
          messageLine("assistant", "ok"),
        ].join("\n") + "\n",
      );
      const first = new IndexSource(IndexStore.open(db), { bytesRead: 0 });
      await first.scan(await fileOf(path));
      await first.close();
      // zot appends; a run reads the file's row, then another run saves a newer one.
      await appendFile(
        path,
        usageLine({ input_tokens: 30, output_tokens: 9, cost_usd: 0.05 }) + "\n" +
          messageLine("assistant", "more") + "\n",
      );
      const slow = IndexStore.open(db);
      const row = slow.get(path);
      const other = new IndexSource(IndexStore.open(db), { bytesRead: 0 });
      await other.scan(await fileOf(path));
      await other.close();
      const racing = new IndexSource(readEarlier(slow, row), { bytesRead: 0 });
      const got = await answer(racing, path);
      await racing.close();
      const want = await answer(new FileSource(), path);
      assert.deepEqual(got, want);
      // And what it saved is right too.
      const after = new IndexSource(IndexStore.open(db), { bytesRead: 0 });
      assert.deepEqual(await answer(after, path), want);
      await after.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
