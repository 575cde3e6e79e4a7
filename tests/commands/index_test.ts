/**
 * The `index` verb in process: it opens its own handle on the index (not the
 * run's source), so a reason the index cannot be used is its one error, and
 * the handle is closed once.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { join } from "node:path";
import { runCli } from "../../lib/cli/run.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { openForUpdate } from "../../lib/index/open.ts";
import { withDir } from "../helpers/dirs.ts";
import { messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");

/** A home with one session of one prompt, in the project /p. */
function oneSessionHome() {
  return tempHome([{
    cwd: "/p",
    name: "20261101-090000-aaaa1111.jsonl",
    mtimeMs: NOW - 60_000,
    lines: [metaLine({ id: "aaaa1111", cwd: "/p" }), messageLine("user", "hi")],
  }]);
}

describe("index (in process)", () => {
  it("refuses --no-index and ZOT_SESSIONS_NO_INDEX=1 alike (the context's one rule)", async () => {
    const runs: [string[], Record<string, string>][] = [
      [["index", "--no-index"], { ZOT_SESSIONS_NO_INDEX: "" }],
      [["index"], { ZOT_SESSIONS_NO_INDEX: "1" }],
    ];
    for (const [args, env] of runs) {
      const io = memoryIO({ now: NOW, userHome: "", env });
      assert.equal(await runCli(args, io), 2);
      assert.equal(
        io.err(),
        'zot-sessions: Cannot update the index with --no-index (or ZOT_SESSIONS_NO_INDEX=1) (see "zot-sessions index --help")\n',
      );
    }
  });

  it("with no cache directory, says so and exits 1", async () => {
    const h = await oneSessionHome();
    try {
      const io = memoryIO({ now: NOW, userHome: "", env: { ZOT_SESSIONS_NO_INDEX: "" } });
      const code = await runCli(["index", "--home", h.home], io);
      assert.equal(code, 1);
      assert.equal(io.out(), "");
      assert.equal(
        io.err(),
        "zot-sessions: Cannot use the index: no cache directory (set XDG_CACHE_HOME, ZOT_SESSIONS_CACHE or --cache-dir)\n",
      );
    } finally {
      await h.cleanup();
    }
  });

  it("reports what the index holds, from its own handle", async () => {
    const h = await oneSessionHome();
    try {
      await withDir(async (cache) => {
        const env = { ZOT_SESSIONS_NO_INDEX: "", ZOT_SESSIONS_CACHE: cache };
        const io = memoryIO({ now: NOW, env });
        assert.equal(
          await runCli(["index", "--home", h.home, "--json", "--search"], io),
          0,
          io.err(),
        );
        const report = JSON.parse(io.out());
        assert.deepEqual([report.path, report.files, report.rescanned, report.dropped], [
          join(cache, "index.sqlite"),
          1,
          1,
          0,
        ]);
        assert.equal(io.err(), "");
      });
    } finally {
      await h.cleanup();
    }
  });

  it("the handle closes once: closing again is nothing", async () => {
    await withDir(async (dir) => {
      const index = await openForUpdate({
        dir,
        stats: { bytesRead: 0 },
        now: 0,
        warn: () => Promise.resolve(),
      });
      const summary = await index.finish();
      assert.deepEqual([summary.files, summary.bytes], [0, 0]);
      await index.close();
      await index.close();
    });
  });
});
