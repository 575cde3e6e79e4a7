/**
 * Search goes through the {@linkcode SessionSource} seam: the files
 * ({@linkcode FileSource}) and the index ({@linkcode IndexSource}, which
 * brings its text rows up to date itself) give the same hits; a failure of
 * the database is said once and the files answer.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withDir } from "../helpers/dirs.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { IndexSource } from "../../lib/index/index_source.ts";
import { IndexStore } from "../../lib/index/store.ts";
import { chooseSource } from "../../lib/index/open.ts";
import { FileSource, type SessionSource } from "../../lib/sessions/source.ts";
import type { SessionFile } from "../../lib/sessions/catalog.ts";
import type { SearchQuery } from "../../lib/sessions/search_query.ts";
import { searchTerms } from "../../lib/sessions/search_match.ts";

const query = (words: string[]): SearchQuery => ({
  terms: searchTerms(words),
  tools: false,
  role: null,
  sinceMs: null,
  untilMs: null,
});

async function sessionFile(dir: string, name: string, texts: string[]): Promise<SessionFile> {
  const path = join(dir, name);
  await writeFile(
    path,
    [metaLine({ id: name, cwd: "/p" }), ...texts.map((t) => messageLine("user", t))]
      .map((l) => l + "\n").join(""),
  );
  const s = await stat(path);
  return { path, dir, bytes: s.size, mtimeMs: Math.floor(s.mtimeMs) };
}

async function hitsOf(source: SessionSource, files: SessionFile[], words: string[]) {
  const r = await source.search(files, query(words));
  return { hits: r.hits.map((h) => `${h.path} ${h.index}`).sort(), problems: r.problems };
}

describe("SessionSource.search", () => {
  it("the index and the files give the same hits; the index keeps its rows up to date", async () => {
    await withDir(async (dir) => {
      const files = [
        await sessionFile(dir, "a.jsonl", ["the cart button", "no match", "Cart again"]),
        await sessionFile(dir, "b.jsonl", ["a cart elsewhere"]),
      ];
      const stats = { bytesRead: 0 };
      const index = new IndexSource(IndexStore.open(join(dir, "index.sqlite")), stats);
      try {
        const progress: number[] = [];
        const first = await index.search(files, query(["cart"]), {
          onProgress: (done) => progress.push(done),
        });
        assert.deepEqual(progress, [1, 2], "the text rows were brought up to date");
        const direct = await hitsOf(new FileSource(), files, ["cart"]);
        assert.deepEqual(direct.hits, [
          `${files[0].path} 0`,
          `${files[0].path} 2`,
          `${files[1].path} 0`,
        ]);
        assert.deepEqual(
          { hits: first.hits.map((h) => `${h.path} ${h.index}`).sort(), problems: first.problems },
          direct,
        );
        // Warm: only the candidates' lines are read back.
        const before = stats.bytesRead;
        assert.deepEqual(await hitsOf(index, files, ["cart"]), direct);
        assert.ok(stats.bytesRead - before < files[0].bytes + files[1].bytes);
      } finally {
        await index.close();
      }
    });
  });

  it("a failure of the database is said once, and the files answer", async () => {
    await withDir(async (dir) => {
      const files = [await sessionFile(dir, "a.jsonl", ["the cart button"])];
      const failures: string[] = [];
      const store = IndexStore.open(join(dir, "index.sqlite"));
      const index = new IndexSource(store, { bytesRead: 0 }, (m) => {
        failures.push(m);
        return Promise.resolve();
      });
      try {
        store.search.db.exec("DROP TABLE search_messages");
        const want = await hitsOf(new FileSource(), files, ["cart"]);
        assert.deepEqual(await hitsOf(index, files, ["cart"]), want);
        assert.deepEqual(await hitsOf(index, files, ["cart"]), want);
        assert.equal(failures.length, 1);
        assert.match(failures[0], /search_messages/);
        assert.equal(index.usable, false);
      } finally {
        await index.close();
      }
    });
  });

  it("the run's source (chosen, opened on first use) searches as well", async () => {
    await withDir(async (dir) => {
      const files = [await sessionFile(dir, "a.jsonl", ["the cart button"])];
      const source = chooseSource({
        dir: join(dir, "cache"),
        noIndex: false,
        stats: { bytesRead: 0 },
        now: 0,
        warn: () => Promise.reject(new Error("no warning expected")),
      });
      try {
        assert.deepEqual(await hitsOf(source, files, ["button"]), {
          hits: [`${files[0].path} 0`],
          problems: [],
        });
      } finally {
        await source.close();
      }
    });
  });
});

describe("SessionSource.search, hits not scored", () => {
  it("reads a line too long to parse only until its hit is known; the hit is the same", async () => {
    await withDir(async (dir) => {
      // Over the 8 MiB line cap: the line is found whole (its end, its
      // JSON), then its text streamed, or (without tools, and under 16 MiB)
      // held and parsed; the words are in its first bytes.
      const files = [
        await sessionFile(dir, "a.jsonl", [`the Cart button ${"x".repeat(9 << 20)}`, "cart"]),
      ];
      const stats = { bytesRead: 0 };
      const index = new IndexSource(IndexStore.open(join(dir, "index.sqlite")), stats);
      try {
        // The files with tools (streamed), the index's candidate without (read back).
        const cases = [
          { source: new FileSource(stats), q: { ...query(["cart", "button"]), tools: true } },
          { source: index, q: query(["cart", "button"]) },
        ];
        await index.search(files, cases[1].q); // the rows, built
        for (const { source, q } of cases) {
          const read = async (score: boolean) => {
            const before = stats.bytesRead;
            const r = await source.search(files, q, { score });
            return { hits: r.hits, bytes: stats.bytesRead - before };
          };
          const all = await read(true);
          const first = await read(false);
          assert.deepEqual(
            first.hits.map((h) => ({ ...h, score: 0 })),
            all.hits.map((h) => ({ ...h, score: 0 })),
          );
          assert.deepEqual(all.hits.map((h) => h.score), [2]);
          // Found whole, then read again: twice the line at least; not scored, once and a little.
          assert.ok(all.bytes > 2 * (9 << 20), `read ${all.bytes}`);
          assert.ok(first.bytes < 1.1 * (9 << 20), `read ${first.bytes}`);
        }
      } finally {
        await index.close();
      }
    });
  });
});
