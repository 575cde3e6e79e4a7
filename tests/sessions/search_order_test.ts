/**
 * Newest first, a search stops early: for any set of sessions (each file
 * last written at or after its messages' times) and any limit, the files and
 * the index give the first `limit` hits that a full search gives in that
 * order, and say whether there are more (or how many there are, when not
 * more than the limit).
 * A file whose messages are newer than its last write makes the files read
 * in full. Hits handed on as they are found (`onHit`) come in that order.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mkdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { withDir } from "../helpers/dirs.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { IndexSource } from "../../lib/index/index_source.ts";
import { IndexStore } from "../../lib/index/store.ts";
import { FileSource, type SessionSource } from "../../lib/sessions/source.ts";
import { newestFirst, type SessionFile } from "../../lib/sessions/catalog.ts";
import { hitOrder, type SearchQuery } from "../../lib/sessions/search_query.ts";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const MIN = 60_000;
const Q: SearchQuery = { terms: ["cart"], tools: false, role: null, sinceMs: null, untilMs: null };

/** One session: its messages (minutes after T0, whether they hold the word), and its last write. */
const session = fc.record({
  messages: fc.array(fc.record({ at: fc.nat(200), hit: fc.boolean() }), { maxLength: 6 }),
  /** Minutes after its latest message that the file was last written. */
  after: fc.nat(30),
});

/** Writes the sessions; the catalogue's list of them, newest first. */
/** One generated session. */
interface Session {
  messages: { at: number; hit: boolean }[];
  after: number;
}

async function write(dir: string, sessions: Session[]) {
  const files: SessionFile[] = [];
  for (const [i, s] of sessions.entries()) {
    const path = join(dir, `s${i}.jsonl`);
    const lines = [metaLine({ id: `s${i}`, cwd: "/p" })];
    for (const m of s.messages) {
      // Some with an offset: times compare as instants.
      const time = new Date(T0 + m.at * MIN).toISOString().replace("Z", m.at % 2 ? "Z" : "+00:00");
      lines.push(messageLine("user", m.hit ? "the Cart button" : "nothing here", time));
    }
    await writeFile(path, lines.map((l) => l + "\n").join(""));
    const latest = Math.max(0, ...s.messages.map((m) => m.at));
    const mtime = new Date(T0 + (latest + s.after) * MIN);
    await utimes(path, mtime, mtime);
    const st = await stat(path);
    files.push({ path, dir, bytes: st.size, mtimeMs: Math.floor(st.mtimeMs) });
  }
  return files.sort(newestFirst);
}

const key = (h: { path: string; index: number }) => `${h.path} ${h.index}`;

async function check(source: SessionSource, files: SessionFile[], limit: number, all: string[]) {
  const r = await source.search(files, Q, { limit });
  const got = r.hits.sort(hitOrder(files)).map(key);
  assert.deepEqual(got.slice(0, limit), all.slice(0, limit));
  assert.deepEqual(r.problems, []);
  // More than the limit is said, not counted (the same whether or not all was read).
  assert.equal(r.count, all.length > limit ? null : all.length);
  if (all.length > limit) assert.equal(got.length, limit + 1);
}

/** Hits handed on as found: in order, the first `limit + 1` (or all); none left collected. */
async function checkStreamed(
  source: SessionSource,
  files: SessionFile[],
  limit: number | null,
  all: string[],
) {
  const handed: string[] = [];
  const r = await source.search(files, Q, {
    limit,
    onHit: (h) => Promise.resolve(void handed.push(key(h))),
  });
  assert.deepEqual(handed, limit === null ? all : all.slice(0, limit + 1));
  assert.deepEqual([r.hits, r.problems], [[], []]);
  assert.equal(r.count, limit !== null && all.length > limit ? null : all.length);
}

describe("search newest first, with a limit", () => {
  it("the files and the index give a full search's first hits, and stop early", async () => {
    await withDir(async (dir) => {
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(session, { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 8 }),
          async (sessions, limit) => {
            const home = join(dir, `r${round++}`);
            await mkdir(home);
            try {
              const files = await write(home, sessions);
              const full = await new FileSource().search(files, Q);
              const all = full.hits.sort(hitOrder(files)).map(key);
              assert.equal(full.count, all.length);
              await check(new FileSource(), files, limit, all);
              for (const n of [limit, null]) await checkStreamed(new FileSource(), files, n, all);
              const index = new IndexSource(IndexStore.open(join(home, "index.sqlite")), {
                bytesRead: 0,
              });
              try {
                await check(index, files, limit, all); // brings its rows up to date
                await check(index, files, limit, all); // warm
                for (const n of [limit, null]) await checkStreamed(index, files, n, all);
              } finally {
                await index.close();
              }
            } finally {
              await rm(home, { recursive: true, force: true });
            }
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  it("reads less than the whole home when the newest sessions hold enough hits", async () => {
    await withDir(async (dir) => {
      const sessions = Array.from({ length: 10 }, (_, i) => ({
        messages: [{ at: i * 10, hit: true }, { at: i * 10 + 1, hit: true }],
        after: 0,
      }));
      const files = await write(dir, sessions);
      const bytes = files.reduce((n, f) => n + f.bytes, 0);
      const stats = { bytesRead: 0 };
      const r = await new FileSource(stats).search(files, Q, { limit: 3 });
      assert.equal(r.count, null);
      assert.deepEqual(r.hits.sort(hitOrder(files)).map((h) => h.index), [1, 0, 1, 0]);
      assert.ok(stats.bytesRead < bytes / 2, `read ${stats.bytesRead} of ${bytes} bytes`);
      const index = new IndexSource(IndexStore.open(join(dir, "index.sqlite")), stats);
      try {
        await index.search(files, Q); // the rows, built
        const before = stats.bytesRead;
        const warm = await index.search(files, Q, { limit: 3 });
        assert.equal(warm.count, null);
        assert.equal(warm.hits.length, 4, "three and one more, no other read back");
        assert.ok(stats.bytesRead - before < bytes / 2);
      } finally {
        await index.close();
      }
    });
  });

  it("a message newer than its file's last write: the files are read in full", async () => {
    await withDir(async (dir) => {
      const files = await write(dir, [
        { messages: [{ at: 99, hit: true }, { at: 100, hit: true }], after: 0 },
        { messages: [{ at: 150, hit: false }], after: 0 },
        { messages: [{ at: 50, hit: true }], after: 0 },
        { messages: [{ at: 140, hit: true }], after: 0 },
      ]);
      // Files 1 and 3 last written (by hand) before their messages: 1 is
      // read with 0, and shows it; 3, read last, holds the newest hit.
      for (const [name, at] of [["s1", 99], ["s3", 40]] as const) {
        const f = files.find((f) => f.path.endsWith(`${name}.jsonl`))!;
        await utimes(f.path, new Date(T0 + at * MIN), new Date(T0 + at * MIN));
        f.mtimeMs = Math.floor((await stat(f.path)).mtimeMs);
      }
      files.sort(newestFirst);
      const full = await new FileSource().search(files, Q);
      const all = full.hits.sort(hitOrder(files)).map(key);
      assert.ok(all[0].endsWith("s3.jsonl 0"), all[0]);
      await check(new FileSource(), files, 1, all);
    });
  });
});
