// deno-lint-ignore-file no-control-regex -- these tests look for control characters on purpose
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../lib/cli/run.ts";
import { COUNT_AT_MOST } from "../../lib/commands/search.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const A = "/home/dev/alpha";
const B = "/home/dev/beta";
const ID_A = "aaaa1111-1111-4111-8111-111111111111";
const ID_B = "bbbb2222-2222-4222-8222-222222222222";

async function homeWith() {
  return await tempHome([
    {
      cwd: A,
      name: "20261101-090000-aaaa1111.jsonl",
      mtimeMs: NOW - 7_200_000,
      lines: [
        metaLine({ id: ID_A, cwd: A, title: "old \x1b[31mtitle" }),
        messageLine("user", "the cart button overlaps", "2026-11-01T09:00:00Z"),
        messageLine("assistant", "cart cart cart \x1b]0;pwned\x07 fixed", "2026-11-01T09:01:00Z"),
      ],
    },
    {
      cwd: B,
      name: "20261102-090000-bbbb2222.jsonl",
      mtimeMs: NOW - 3_600_000,
      lines: [
        metaLine({ id: ID_B, cwd: B, model: "gpt-5", provider: "openai" }),
        messageLine("user", "a cart elsewhere", "2026-11-02T09:00:00Z"),
      ],
    },
  ]);
}

async function cli(
  args: string[],
  home: string,
  o: { tty?: boolean; env?: Record<string, string> } = {},
) {
  const io = memoryIO({ now: NOW, processCwd: A, tty: o.tty, env: { TZ: "UTC", ...o.env } });
  const code = await runCli([...args, "--home", home], io);
  return { code, out: io.out(), err: io.err() };
}

describe("search (in process)", () => {
  it("with -n, counts up to COUNT_AT_MOST hits left out, then says it stopped", async () => {
    // One session with more hits than -n counts, one minute apart.
    const n = COUNT_AT_MOST + 50;
    const lines = [metaLine({ id: ID_A, cwd: A })];
    for (let i = 0; i < n; i++) {
      const t = new Date(Date.parse("2026-11-01T09:00:00Z") + i * 60_000).toISOString();
      lines.push(messageLine("user", `cart ${i}`, t));
    }
    const name = "20261101-090000-aaaa1111.jsonl";
    const h = await tempHome([{ cwd: A, name, mtimeMs: NOW - 3_600_000, lines }]);
    try {
      const cache = join(h.home, "cache");
      const envs: Record<string, string>[] = [
        { ZOT_SESSIONS_NO_INDEX: "1" },
        { ZOT_SESSIONS_CACHE: cache },
      ];
      for (const env of envs) {
        const some = await cli(["search", "cart", "-n", "5"], h.home, { env });
        assert.equal(some.code, 0, some.err);
        assert.equal(some.out.match(/^aaaa1111 /gm)?.length, 5);
        assert.match(
          some.err,
          new RegExp(
            `^zot-sessions: 5 of at least ${5 + COUNT_AT_MOST + 1} hits shown ` +
              `\\(the rest not counted\\); all of them: zot-sessions search cart --home \\S+ -n 0\n$`,
          ),
        );
        // Counted whole: --count, and -n with fewer than COUNT_AT_MOST left out.
        const count = await cli(["search", "cart", "--count"], h.home, { env });
        assert.equal(count.out, `${n}\n`);
        const most = await cli(["search", "cart", "-n", String(n - 1)], h.home, { env });
        assert.match(most.err, new RegExp(`: ${n - 1} of ${n} hits shown \\(1 more\\)`));
      }
    } finally {
      await h.cleanup();
    }
  });

  it("prints one block per hit with the command that shows it in context", async () => {
    const h = await homeWith();
    try {
      const r = await cli(["search", "cart", "button"], h.home);
      assert.equal(r.code, 0, r.err);
      assert.equal(
        r.out,
        "aaaa1111  2026-11-01 09:00  user  old ␛[31mtitle\n" +
          `  the cart button overlaps\n  zot-sessions show aaaa1111 --around 0 --home ${h.home}\n\n`,
      );
    } finally {
      await h.cleanup();
    }
  });

  it("ranks by occurrences, sanitises snippets and highlights only on a terminal", async () => {
    const h = await homeWith();
    try {
      const r = await cli(["search", "CART", "--color", "always"], h.home, { tty: true });
      assert.equal(r.code, 0, r.err);
      const blocks = r.out.split("\n\n").filter(Boolean);
      assert.equal(blocks.length, 2); // this project only
      assert.match(blocks[0], /--around 1/); // three occurrences first
      assert.match(blocks[0], /\x1b\[33mcart\x1b\[39m/);
      assert.doesNotMatch(r.out, /\x1b\]0;|\x07/);
      const plain = await cli(["search", "cart"], h.home);
      assert.doesNotMatch(plain.out, /\x1b\[33m/);
    } finally {
      await h.cleanup();
    }
  });

  it("--all, --model, --sort recent, --limit and --json", async () => {
    const h = await homeWith();
    try {
      const r = await cli(["search", "cart", "--all", "--sort", "recent", "--json"], h.home);
      const hits = r.out.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(hits.map((x) => [x.shortId, x.index]), [["bbbb2222", 0], ["aaaa1111", 1], [
        "aaaa1111",
        0,
      ]]);
      assert.deepEqual(Object.keys(hits[0]), [
        "id",
        "shortId",
        "path",
        "cwd",
        "title",
        "index",
        "role",
        "time",
        "snippet",
        "matches",
      ]);
      assert.deepEqual([hits[0].snippet, hits[0].matches], ["a cart elsewhere", [[2, 6]]]);
      const model = await cli(["search", "cart", "--all", "--model", "OPENAI", "--json"], h.home);
      assert.equal(model.out.trim().split("\n").length, 1);
      const limited = await cli(["search", "cart", "--all", "-n", "1", "--json"], h.home);
      assert.equal(limited.out.trim().split("\n").length, 1);
    } finally {
      await h.cleanup();
    }
  });

  it("newest first by default; with -n, says how many more and how to see them all", async () => {
    const h = await homeWith();
    const cache = await mkdtemp(join(tmpdir(), "zot-cache-"));
    try {
      const envs: Record<string, string>[] = [{}, {
        ZOT_SESSIONS_NO_INDEX: "",
        ZOT_SESSIONS_CACHE: cache,
      }];
      for (const env of envs) {
        const all = await cli(["search", "cart", "--all", "--json"], h.home, { env });
        assert.deepEqual(
          all.out.trim().split("\n").map((l) => JSON.parse(l)).map((x) => [x.shortId, x.index]),
          [["bbbb2222", 0], ["aaaa1111", 1], ["aaaa1111", 0]],
        );
        assert.equal(all.err, "");
        const one = await cli(["search", "cart", "--all", "-n", "1"], h.home, { env });
        assert.equal(one.code, 0, one.err);
        assert.match(one.out, /^bbbb2222 .*--around 0 --home \S+\n\n$/s);
        assert.equal(
          one.err,
          `zot-sessions: 1 of 3 hits shown (2 more); all of them: zot-sessions search cart --home ${h.home} --all -n 0\n`,
        );
        // --json: the line is not on stdout; -q: not at all.
        const json = await cli(["search", "cart", "--all", "-n", "2", "--json"], h.home, { env });
        assert.equal(json.out.trim().split("\n").length, 2);
        assert.match(json.err, /^zot-sessions: 2 of 3 hits shown \(1 more\); /);
        const quiet = await cli(["search", "cart", "--all", "-n", "1", "-q"], h.home, { env });
        assert.equal(quiet.err, "");
        // By relevance too; the scope is kept.
        const rel = await cli(
          ["search", "cart", "--all", "--sort", "relevance", "-n", "1", "--since", "30d"],
          h.home,
          { env },
        );
        assert.match(rel.out, /^aaaa1111 .*--around 1 --home \S+\n\n$/s);
        assert.equal(
          rel.err,
          `zot-sessions: 1 of 3 hits shown (2 more); all of them: zot-sessions search cart --home ${h.home} --all --since 30d --sort relevance -n 0\n`,
        );
        // -n 0: every hit; as many as asked: nothing said.
        const every = await cli(["search", "cart", "--all", "-n", "0", "--json"], h.home, { env });
        assert.equal(every.out, all.out);
        assert.equal((await cli(["search", "cart", "--all", "-n", "3"], h.home, { env })).err, "");
      }
    } finally {
      await h.cleanup();
      await rm(cache, { recursive: true, force: true });
    }
  });

  it("exits 1 with no hits and 2 for a usage error", async () => {
    const h = await homeWith();
    try {
      const none = await cli(["search", "nowhere"], h.home);
      assert.equal(none.code, 1);
      assert.equal(none.out, "");
      assert.match(none.err, /No message for "\/home\/dev\/alpha" holds "nowhere"/);
      assert.equal((await cli(["search", "x", "--role", "robot"], h.home)).code, 2);
      assert.equal((await cli(["search", "x", "--sort", "size"], h.home)).code, 2);
    } finally {
      await h.cleanup();
    }
  });

  it("gives the same hits through the index as from the files", async () => {
    const h = await homeWith();
    const cache = await mkdtemp(join(tmpdir(), "zot-cache-"));
    try {
      const env = { ZOT_SESSIONS_NO_INDEX: "", ZOT_SESSIONS_CACHE: cache };
      const viaIndex = await cli(["search", "cart", "--all", "--json"], h.home, { env });
      const direct = await cli(["search", "cart", "--all", "--json"], h.home);
      assert.equal(viaIndex.err, "");
      assert.equal(viaIndex.out, direct.out);
    } finally {
      await h.cleanup();
      await rm(cache, { recursive: true, force: true });
    }
  });
});

describe("show --around", () => {
  it("shows message N with two before and after; refuses it with --range", async () => {
    const lines = [metaLine({ id: ID_A, cwd: A })];
    for (let i = 0; i < 8; i++) lines.push(messageLine("user", `message ${i}`));
    const h = await tempHome([{
      cwd: A,
      name: "20261101-090000-aaaa1111.jsonl",
      mtimeMs: NOW,
      lines,
    }]);
    try {
      const r = await cli(["show", "aaaa1111", "--around", "5", "--json"], h.home);
      assert.equal(r.code, 0, r.err);
      const indices = r.out.trim().split("\n").map((l) => JSON.parse(l))
        .filter((e) => e.type === "message").map((e) => e.index);
      assert.deepEqual(indices, [3, 4, 5, 6, 7]);
      const both = await cli(["show", "aaaa1111", "--around", "5", "--range", "1..2"], h.home);
      assert.equal(both.code, 2);
    } finally {
      await h.cleanup();
    }
  });
});
