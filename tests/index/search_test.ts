import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IndexStore } from "../../lib/index/store.ts";
import { indexSearch } from "../../lib/index/search.ts";
import { scanSearch } from "../../lib/sessions/search.ts";
import type { SearchQuery } from "../../lib/sessions/search_query.ts";
import { updateSearch } from "../../lib/index/search_update.ts";
import { PIECE_UNITS } from "../../lib/index/search_store.ts";
import { foldCase, searchTerms } from "../../lib/sessions/search_match.ts";
import type { SessionFile } from "../../lib/sessions/catalog.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { fsNow } from "../helpers/clock.ts";

const query = (words: string[], more: Partial<SearchQuery> = {}): SearchQuery => ({
  terms: searchTerms(words),
  tools: false,
  role: null,
  sinceMs: null,
  untilMs: null,
  ...more,
});

async function fileOf(path: string): Promise<SessionFile> {
  const s = await stat(path);
  return { path, dir: "d", bytes: s.size, mtimeMs: Math.floor(s.mtimeMs), dev: s.dev, ino: s.ino };
}

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "zot-search-"));
  const store = IndexStore.open(join(dir, "index.sqlite"));
  const path = join(dir, "s.jsonl");
  await writeFile(
    path,
    [
      metaLine({ id: "a", cwd: "/p" }),
      messageLine("user", "Fix the Idempotency-Key header"),
      "not json",
      messageLine("assistant", [{ text: "ΟΔΟΣ done" }, { summary: "thinking about go" }]),
      messageLine("tool", [{ call_id: "c", content: [{ text: "pytest: 2 passed" }] }]),
    ].map((l) => l + "\n").join(""),
  );
  const stats = { bytesRead: 0 };
  const cleanup = async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, store, path, stats, cleanup };
}

/** Both ways of searching agree; returns the hits as "index role". */
async function both(store: IndexStore, path: string, q: SearchQuery): Promise<string[]> {
  const file = await fileOf(path);
  const viaIndex = (await indexSearch(store, [file], q, { bytesRead: 0 })).hits
    .map((h) => `${h.index} ${h.role}`).sort();
  const direct = (await scanSearch([file], q, { bytesRead: 0 })).hits
    .map((h) => `${h.index} ${h.role}`).sort();
  assert.deepEqual(viaIndex, direct, `index and files disagree on ${q.terms}`);
  return viaIndex;
}

describe("search through the index", () => {
  for (const tools of [false, true]) {
    it(`numbers messages as show does and matches every term as a substring, any case (tool text indexed: ${tools})`, async () => {
      const t = await setup();
      try {
        await updateSearch(t.store, [await fileOf(t.path)], t.stats, undefined, { tools });
        assert.equal(t.store.search.withTools(), tools);
        assert.deepEqual(await both(t.store, t.path, query(["idempotency-key"])), ["0 user"]);
        assert.deepEqual(await both(t.store, t.path, query(["fix", "HEADER"])), ["0 user"]);
        assert.deepEqual(await both(t.store, t.path, query(["fix", "done"])), []);
        // Final sigma folds as sigma, both in the text and in the term.
        assert.deepEqual(await both(t.store, t.path, query(["οδοσ"])), ["1 assistant"]);
        assert.deepEqual(await both(t.store, t.path, query(["ΟΔΟΣ"])), ["1 assistant"]);
        // Two characters: no trigram, every message is checked.
        assert.deepEqual(await both(t.store, t.path, query(["go"])), ["1 assistant"]);
        // Tool results only with tools.
        assert.deepEqual(await both(t.store, t.path, query(["pytest"])), []);
        assert.deepEqual(await both(t.store, t.path, query(["pytest"], { tools: true })), [
          "2 tool",
        ]);
        assert.deepEqual(
          await both(t.store, t.path, query(["fix"], { tools: true, role: "tool" })),
          [],
        );
        assert.deepEqual(await both(t.store, t.path, query(["fix", "ΟΔΟΣ"], { tools: true })), []);
      } finally {
        await t.cleanup();
      }
    });
  }

  it("reads only what was appended, and reads a rewritten file whole", async () => {
    const t = await setup();
    try {
      const first = await updateSearch(t.store, [await fileOf(t.path)], t.stats);
      assert.deepEqual([first.rescanned, first.resumed], [1, 0]);
      const again = await updateSearch(t.store, [await fileOf(t.path)], t.stats);
      assert.equal(again.unchanged, 1);
      // A line still being written is left for later, then found once whole.
      const line = messageLine("user", "late needle") + "\n";
      await appendFile(t.path, line.slice(0, 30));
      await updateSearch(t.store, [await fileOf(t.path)], t.stats);
      assert.deepEqual(await both(t.store, t.path, query(["needle"])), []);
      await appendFile(t.path, line.slice(30));
      const before = t.stats.bytesRead;
      const grown = await updateSearch(t.store, [await fileOf(t.path)], t.stats);
      assert.equal(grown.resumed, 1);
      assert.ok(t.stats.bytesRead - before < line.length + 16 * 1024);
      assert.deepEqual(await both(t.store, t.path, query(["needle"])), ["3 user"]);
      // Rewritten shorter: the old rows go.
      await writeFile(t.path, messageLine("user", "only this") + "\n");
      const rewritten = await updateSearch(t.store, [await fileOf(t.path)], t.stats);
      assert.equal(rewritten.rescanned, 1);
      assert.deepEqual(await both(t.store, t.path, query(["needle"])), []);
      assert.deepEqual(await both(t.store, t.path, query(["only this"])), ["0 user"]);
    } finally {
      await t.cleanup();
    }
  });

  it("reads a file rewritten in place with the same size whole, though its ends are unchanged", async () => {
    const t = await setup();
    try {
      // Over 8 KiB: the hashed windows (its first 4 KiB, the 4 KiB before
      // where reading stopped) do not cover the middle message.
      const body = (word: string) =>
        [
          metaLine({ id: "a", cwd: "/p" }),
          messageLine("user", "x".repeat(5000)),
          messageLine("user", `middle ${word}`),
          messageLine("assistant", "y".repeat(5000)),
        ].map((l) => l + "\n").join("");
      await writeFile(t.path, body("apple"));
      await updateSearch(t.store, [await fileOf(t.path)], t.stats);
      await writeFile(t.path, body("mango"));
      const later = new Date(fsNow() + 5000);
      await utimes(t.path, later, later);
      const again = await updateSearch(t.store, [await fileOf(t.path)], t.stats);
      assert.deepEqual([again.rescanned, again.resumed], [1, 0]);
      assert.deepEqual(await both(t.store, t.path, query(["mango"])), ["1 user"]);
      assert.deepEqual(await both(t.store, t.path, query(["apple"])), []);
    } finally {
      await t.cleanup();
    }
  });

  it("drops the rows of a file gone, or forgotten by the index (gc)", async () => {
    const t = await setup();
    try {
      const file = await fileOf(t.path);
      await updateSearch(t.store, [file], t.stats);
      t.store.write(() => t.store.delete(t.path));
      assert.equal(t.store.search.file(t.path), null);
      assert.deepEqual(t.store.search.snapshot(new Set([t.path]), ['"fix"']).candidates.size, 0);
      await updateSearch(t.store, [file], t.stats);
      await rm(t.path);
      const gone = await updateSearch(t.store, [], t.stats);
      assert.equal(gone.dropped, 1);
      assert.deepEqual(t.store.search.paths(), []);
    } finally {
      await t.cleanup();
    }
  });

  it("keeps no message text until search is used, and none after a clear", async () => {
    const t = await setup();
    try {
      assert.equal(t.store.search.enabled(), false);
      await updateSearch(t.store, [await fileOf(t.path)], t.stats);
      assert.equal(t.store.search.enabled(), true);
      t.store.clear();
      assert.equal(t.store.search.enabled(), false);
      assert.deepEqual(t.store.search.paths(), []);
    } finally {
      await t.cleanup();
    }
  });

  it("folds case one unit for one, so match positions are the text's", () => {
    for (const s of ["İstanbul", "ΣΟΦΟΣ", "Straße", "ǅ", "😀A"]) {
      assert.equal(foldCase(s).length, s.length, s);
    }
  });
});

describe("search through the index: rows committed part-way", () => {
  it("a file's rows saved after each message are the same rows, and are gone on from", async () => {
    const t = await setup();
    try {
      const more = (from: number) =>
        Array.from(
          { length: 4 },
          (_, i) =>
            messageLine("user", `turn ${from + i} needle${from + i}`, "2026-11-01T10:00:00Z") +
            "\n",
        )
          .join("");
      await appendFile(t.path, more(0));
      // Committed after every message: the file's row says "grown" between commits.
      const first = await updateSearch(t.store, [await fileOf(t.path)], t.stats, undefined, {
        commitUnits: 1,
      });
      assert.equal(first.rescanned, 1);
      assert.deepEqual(await both(t.store, t.path, query(["needle2"])), ["5 user"]);
      await appendFile(t.path, more(4));
      const again = await updateSearch(t.store, [await fileOf(t.path)], t.stats, undefined, {
        commitUnits: 1,
      });
      assert.equal(again.resumed, 1);
      assert.deepEqual(
        await both(t.store, t.path, query(["turn"])),
        [
          "3 user",
          "4 user",
          "5 user",
          "6 user",
          "7 user",
          "8 user",
          "9 user",
          "10 user",
        ].sort(),
      );
    } finally {
      await t.cleanup();
    }
  });
});

describe("search through the index: damaged rows", () => {
  for (const table of ["search_messages", "search_files"]) {
    it(`a number changed in ${table} fails its checksum: that file is read directly`, async () => {
      const t = await setup();
      try {
        const file = await fileOf(t.path);
        await updateSearch(t.store, [file], t.stats);
        const column = table === "search_files" ? "next_index" : "offset";
        t.store.search.db.exec(`UPDATE ${table} SET ${column} = ${column} + 1`);
        const q = query(["idempotency-key"]);
        const viaIndex = await indexSearch(t.store, [file], q, t.stats);
        const direct = await scanSearch([file], q, t.stats);
        assert.deepEqual(viaIndex.hits, direct.hits);
        assert.deepEqual(viaIndex.problems, [
          `Cannot use the index's row of "${t.path}": its checksum does not match; read the session file instead`,
        ]);
        // Brought up to date again, the file's rows are written anew.
        const again = await updateSearch(t.store, [file], t.stats);
        assert.equal(again.rescanned, 1);
        assert.deepEqual((await indexSearch(t.store, [file], q, t.stats)).problems, []);
      } finally {
        await t.cleanup();
      }
    });
  }
});

describe("search through the index: long messages", () => {
  for (const tools of [false, true]) {
    it(`finds a term across the pieces of a message longer than a piece, as the files do (tool text indexed: ${tools})`, async () => {
      const t = await setup();
      try {
        // Body and tool output each over one piece; terms cut by the pieces' bounds.
        const body = "a".repeat(PIECE_UNITS - 3) + "KEYWORD" + "b".repeat(PIECE_UNITS) + " tail";
        const tool = "c".repeat(PIECE_UNITS + 5) + "ToolWord" + "d".repeat(10);
        await appendFile(
          t.path,
          [
            messageLine("assistant", [{ text: body }], "2026-11-01T10:00:00Z"),
            messageLine(
              "tool",
              [{ call_id: "c", content: [{ text: tool }] }],
              "2026-11-01T10:01:00Z",
            ),
            messageLine("user", "aKEYWORDb toolword", "2026-11-01T10:02:00Z"),
          ].map((l) => l + "\n").join(""),
        );
        await updateSearch(t.store, [await fileOf(t.path)], t.stats, undefined, { tools });
        assert.deepEqual(await both(t.store, t.path, query(["akeywordb"])), [
          "3 assistant",
          "5 user",
        ]);
        assert.deepEqual(await both(t.store, t.path, query(["keyword", "tail"])), ["3 assistant"]);
        assert.deepEqual(await both(t.store, t.path, query(["ctoolwordd"], { tools: true })), [
          "4 tool",
        ]);
        assert.deepEqual(await both(t.store, t.path, query(["toolword"], { tools: true })), [
          "4 tool",
          "5 user",
        ]);
        assert.deepEqual(await both(t.store, t.path, query(["bbbb", "ccc"], { tools: true })), []);
        assert.deepEqual(await both(t.store, t.path, query(["bbbb", "tail"], { tools: true })), [
          "3 assistant",
        ]);
      } finally {
        await t.cleanup();
      }
    });

    // Streamed once, with tool text indexed: the line is read the same way
    // at either level, and 9 MB streamed seven times costs seconds.
    if (!tools) continue;
    it(`finds text in a line too long to parse (streamed), body before tools (tool text indexed: ${tools})`, async () => {
      const t = await setup();
      try {
        // Over the 8 MiB line cap: streamed, tool output first in the line.
        // 100-byte lines: the tokenizer takes an escape at a time.
        const out = `log line ${"x".repeat(90)}\n`.repeat(90_000) + "the DEEPWORD end";
        await appendFile(
          t.path,
          messageLine("tool", [
            { call_id: "c", content: [{ text: out }] },
            { text: "after the tool output" },
          ], "2026-11-01T10:00:00Z") + "\n",
        );
        await updateSearch(t.store, [await fileOf(t.path)], t.stats, undefined, { tools });
        assert.deepEqual(await both(t.store, t.path, query(["deepword"], { tools: true })), [
          "3 tool",
        ]);
        assert.deepEqual(await both(t.store, t.path, query(["deepword"])), []);
        // The body (the text block) comes first, then "\n", then the tool output.
        assert.deepEqual(
          await both(t.store, t.path, query(["after the tool output\nlog line"], { tools: true })),
          ["3 tool"],
        );
      } finally {
        await t.cleanup();
      }
    });
  }
});

describe("search through the index: tool text on demand", () => {
  it("indexes tool text once a search asks for it, then keeps it on, and serves --tools searches", async () => {
    const t = await setup();
    try {
      const file = await fileOf(t.path);
      const paths = new Set([t.path]);
      await updateSearch(t.store, [file], t.stats);
      assert.equal(t.store.search.withTools(), false);
      // The body's rows serve a search of the body, not one with tools (it reads the file).
      assert.equal(t.store.search.snapshot(paths, ['"pyt"']).files.size, 1);
      assert.equal(t.store.search.snapshot(paths, ['"pyt"'], true).files.size, 0);
      // Asked for: every file is read again, with its tool text.
      const up = await updateSearch(t.store, [file], t.stats, undefined, { tools: true });
      assert.deepEqual([up.rescanned, up.unchanged], [1, 0]);
      assert.equal(t.store.search.withTools(), true);
      const snap = t.store.search.snapshot(paths, ['"pyt"', '"est"'], true);
      assert.deepEqual(snap.candidates.get(t.path)?.map((m) => m.index), [2]);
      assert.equal(t.store.search.snapshot(paths, ['"pyt"']).candidates.size, 0);
      // A later run without --tools keeps it on.
      const later = await updateSearch(t.store, [file], t.stats);
      assert.equal(later.unchanged, 1);
      assert.equal(t.store.search.withTools(), true);
      assert.deepEqual(await both(t.store, t.path, query(["pytest"], { tools: true })), ["2 tool"]);
      t.store.clear(true);
      assert.equal(t.store.search.withTools(), true);
      t.store.clear();
      assert.equal(t.store.search.enabled(), false);
    } finally {
      await t.cleanup();
    }
  });

  it("stops when another run changes what is indexed, and leaves no rows of the old kind", async () => {
    const t = await setup();
    const other = IndexStore.open(join(t.dir, "index.sqlite"));
    try {
      const second = join(t.dir, "s2.jsonl");
      await writeFile(second, messageLine("user", "second file pytest") + "\n");
      const files = [await fileOf(t.path), await fileOf(second)];
      // After the first file, another run asks for tool text.
      const r = await updateSearch(t.store, files, t.stats, (done) => {
        if (done === 1) other.write(() => [other.search.clear(false), other.search.enable(true)]);
      });
      assert.equal(r.busy, true);
      assert.equal(t.store.search.withTools(), true);
      assert.deepEqual(t.store.search.paths(), []);
      for (const path of [t.path, second]) {
        assert.deepEqual(
          await both(t.store, path, query(["pytest"], { tools: true })).then((h) => h.length),
          1,
        );
      }
    } finally {
      other.close();
      await t.cleanup();
    }
  });
});
