/**
 * The index never changes an answer: for generated zot files split into any
 * pieces appended one after another, updating the index after each piece
 * gives the same summary, ledger, spend events and changes to a file (its
 * change rows) as one full scan of the file as it is then. And the index
 * reads only what it must.
 */
import { withDir } from "../helpers/dirs.ts";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appendFile, mkdir, rm, stat, truncate, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { generated, generatedWith } from "../helpers/generated_sessions.ts";
import { IndexSource } from "../../lib/index/index_source.ts";
import { IndexStore } from "../../lib/index/store.ts";
import { FileSource, type SessionSource } from "../../lib/sessions/source.ts";
import type { SpendEvent } from "../../lib/scan/ledger.ts";
import type { SessionFile } from "../../lib/sessions/catalog.ts";
import { fsNow } from "../helpers/clock.ts";
import { CALL_PATHS } from "../helpers/generated_sessions.ts";
import { posix } from "node:path";

async function fileOf(path: string): Promise<SessionFile> {
  const s = await stat(path);
  return { path, dir: "d", bytes: s.size, mtimeMs: Math.floor(s.mtime.getTime()) };
}

async function answer(source: SessionSource, path: string) {
  const events: SpendEvent[] = [];
  const r = await source.scan(await fileOf(path), (e) => events.push(structuredClone(e)));
  return {
    summary: structuredClone(r.summary),
    ledger: structuredClone(r.ledger),
    events,
    firstMeta: await source.firstMeta(path),
  };
}

/** The files generated calls change, joined with the generated sessions' cwd. */
const TARGETS = [...new Set(CALL_PATHS.map((p) => posix.resolve("/p", p)))];

/** A source's answer and the file's changes to each of {@linkcode TARGETS}. */
async function answerWithChanges(source: SessionSource, path: string) {
  const changes = [];
  for (const target of TARGETS) {
    const found = await source.changesTo([await fileOf(path)], target);
    changes.push(found.changes.sort((a, b) => a.ordinal - b.ordinal), found.problems);
  }
  return { ...await answer(source, path), changes };
}

/** An index in `dir`, opened afresh (as each run opens it). */
function openIndex(dir: string, stats = { bytesRead: 0 }): IndexSource {
  return new IndexSource(IndexStore.open(join(dir, "index.sqlite")), stats);
}

describe("IndexSource", () => {
  it("gives a full scan's answers and changes after each appended piece of a generated file", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          // Now and then tool calls, or many of them (changes before a cut).
          fc.oneof(generated, generatedWith(8)),
          fc.array(fc.nat(), { maxLength: 6 }),
          async ({ bytes }, cuts) => {
            // A fresh database per case: rows of one case must not serve the next.
            const db = join(dir, `db-${round++}`);
            await rm(db, { recursive: true, force: true });
            await mkdir(db);
            // Half the cuts fall right before a newline: a complete record
            // whose newline zot has not written yet.
            const newlines = [...bytes.keys()].filter((i) => bytes[i] === 0x0a);
            const points = [
              ...new Set(
                cuts.map((c) =>
                  c % 2 === 1 && newlines.length > 0
                    ? newlines[(c >> 1) % newlines.length]
                    : c % (bytes.length + 1)
                ),
              ),
            ].sort((a, b) => a - b);
            await writeFile(path, new Uint8Array());
            let at = 0;
            for (const point of [...points, bytes.length]) {
              await appendFile(path, bytes.subarray(at, point));
              at = point;
              const expected = await answerWithChanges(new FileSource(), path);
              // Twice: the run after the append, and one with nothing new.
              for (const run of ["updated", "unchanged"]) {
                const index = openIndex(db);
                try {
                  assert.deepEqual(
                    await answerWithChanges(index, path),
                    expected,
                    `${run}, after appending up to byte ${point} of ${bytes.length}`,
                  );
                } finally {
                  await index.close();
                }
              }
            }
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  it("reads nothing of an unchanged file, only the new bytes of a grown one", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      const meta =
        '{"type":"meta","meta":{"id":"a","cwd":"/p","model":"m","provider":"p","started":"2026-11-01T10:00:00Z"}}\n';
      const message = (i: number) =>
        `{"type":"message","message":{"role":"user","content":[{"text":"${
          "x".repeat(5000)
        }${i}"}],"time":"2026-11-01T10:00:00Z"}}\n`;
      await writeFile(path, meta + message(1) + message(2));
      const size = (await stat(path)).size;
      const stats = { bytesRead: 0 };
      let index = openIndex(dir, stats);
      await index.scan(await fileOf(path));
      await index.close();
      assert.ok(stats.bytesRead >= size, "the first run reads the file");

      stats.bytesRead = 0;
      index = openIndex(dir, stats);
      await index.scan(await fileOf(path));
      await index.close();
      assert.equal(stats.bytesRead, 0, "an unchanged file is not read");
      assert.deepEqual(index.counts, { unchanged: 1, resumed: 0, rescanned: 0 });

      await appendFile(path, message(3));
      const added = (await stat(path)).size - size;
      stats.bytesRead = 0;
      index = openIndex(dir, stats);
      const r = await index.scan(await fileOf(path));
      await index.close();
      assert.equal(r.summary.messages, 3);
      assert.deepEqual(index.counts, { unchanged: 0, resumed: 1, rescanned: 0 });
      // The new bytes, the two 4 KiB windows checked before resuming, and
      // the windows hashed for the new state.
      assert.ok(stats.bytesRead <= added + 4 * 4096, `read ${stats.bytesRead} for ${added} new`);
    });
  });

  it("reads a file whole again when it was rewritten with the same size, or shrank", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      const title = (t: string) => `{"title":"${t}","type":"rename"}\n`;
      await writeFile(path, title("aaaa") + title("bbbb"));
      let index = openIndex(dir);
      await index.scan(await fileOf(path));
      await index.close();

      // Same size, another title in the middle, a later mtime.
      await writeFile(path, title("aaaa").replace("aaaa", "cccc") + title("bbbb"));
      const later = new Date(fsNow() + 5000);
      await utimes(path, later, later);
      index = openIndex(dir);
      assert.equal((await index.scan(await fileOf(path))).summary.title, "bbbb");
      assert.deepEqual(index.counts, { unchanged: 0, resumed: 0, rescanned: 1 });
      await index.close();

      await truncate(path, title("cccc").length);
      index = openIndex(dir);
      assert.equal((await index.scan(await fileOf(path))).summary.title, "cccc");
      assert.deepEqual(index.counts, { unchanged: 0, resumed: 0, rescanned: 1 });
      await index.close();
    });
  });

  it("answers from rows read ahead as from rows read one by one, though files and rows change in between", async () => {
    await withDir(async (dir) => {
      const meta = (id: string) =>
        `{"type":"meta","meta":{"id":"${id}","cwd":"/p","model":"m","provider":"p","started":"2026-11-01T10:00:00Z"}}\n`;
      const reply = (i: number) =>
        `{"type":"message","message":{"role":"assistant","content":[{"type":"text","text":"r${i}"}],"time":"2026-11-01T10:0${i}:00Z","usage":{"input":${i},"output":1,"cost":{"total":0.${i}}}}}\n`;
      const paths = ["a", "b", "c"].map((n) => join(dir, `${n}.jsonl`));
      for (const [i, p] of paths.entries()) await writeFile(p, meta(`s${i}`) + reply(1));
      let index = openIndex(dir);
      for (const p of paths) await index.scan(await fileOf(p));
      await index.close();

      index = openIndex(dir);
      await index.prefetch(await Promise.all(paths.map(fileOf)), true);
      try {
        // a's scan reads the rows of all three; then b and c grow, and
        // another run saves b's new row, and b grows again.
        assert.deepEqual(await answer(index, paths[0]), await answer(new FileSource(), paths[0]));
        await appendFile(paths[1], reply(3));
        const other = openIndex(dir);
        await other.scan(await fileOf(paths[1]));
        await other.close();
        await appendFile(paths[1], reply(4));
        await appendFile(paths[2], reply(2));
        for (const p of paths.slice(1)) {
          assert.deepEqual(await answer(index, p), await answer(new FileSource(), p), p);
        }
        assert.deepEqual(index.counts, { unchanged: 1, resumed: 2, rescanned: 0 });
        // A row read ahead is taken once: asked again, c's is read anew, and
        // is the one another run saved after c grew (unchanged since).
        await appendFile(paths[2], reply(5));
        const third = openIndex(dir);
        await third.scan(await fileOf(paths[2]));
        await third.close();
        assert.deepEqual(await answer(index, paths[2]), await answer(new FileSource(), paths[2]));
        assert.deepEqual(index.counts, { unchanged: 2, resumed: 2, rescanned: 0 });
      } finally {
        await index.close();
      }
    });
  });
});
