/**
 * The index never changes an answer under faults (issue 19, §2 and §4): a
 * rebuild killed half-way, a full cache disk, searches at once, a session
 * gone in the middle of a search. Each run through the index is compared
 * with the same run with `--no-index`. Runs are stopped at exact places
 * through the index's pause seam (`lib/index/pause.ts`), never by timing.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  appendFile,
  copyFile,
  mkdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import process from "node:process";
import { join } from "node:path";
import { messageLine } from "../helpers/fixtures.ts";
import { after, before, describe, it } from "node:test";
import { skipBecause } from "../helpers/skips.ts";
import { pausePoint } from "../helpers/pause.ts";
import { spawnSync } from "../helpers/spawn.ts";
import { exampleWorkdir } from "./harness.ts";
import { DatabaseSync } from "node:sqlite";
import { DB, NOW, sameAsFiles, sessionPaths, startZs, zs } from "./index_runs.ts";

// The runs are of the binary: once (under Deno) is enough.
const UNDER_BUN = process.versions.bun !== undefined;

describe(
  "e2e: the index under faults",
  { skip: skipBecause(UNDER_BUN, "run once, under Deno") },
  () => {
    let work: Awaited<ReturnType<typeof exampleWorkdir>>;
    let home: string[] = [];
    before(async () => {
      work = await exampleWorkdir();
      home = ["--home", work.example];
    });
    after(() => work?.cleanup());
    const searches = () => [
      ["search", "--all", "pagination", ...home],
      ["search", "--all", "--tools", "test", ...home],
      ["search", "--all", "--tools", "--json", "the", ...home],
    ];

    for (const signal of ["SIGKILL", "SIGTERM", "SIGINT"] as const) {
      it(`index --rebuild killed (${signal}) while it clears: search answers as the files do`, async () => {
        const cache = join(work.work, `cache-rebuild-${signal}`);
        for (const q of searches()) sameAsFiles(q, cache);
        const pause = pausePoint(work.work, "clear", `clear-${signal}`);
        const run = startZs(["index", "--rebuild", ...home], cache, {
          ZOT_SESSIONS_TEST_PAUSE: pause.spec,
        });
        assert.equal(await pause.reached(run.child), "clear");
        run.child.kill(signal);
        const killed = await run.done;
        assert.equal(killed.signal, signal, killed.err);
        for (const q of searches()) sameAsFiles(q, cache);
        const repaired = zs(["index", ...home], cache);
        assert.equal(repaired.code, 0, repaired.err);
        for (const q of searches()) sameAsFiles(q, cache);
      });
    }

    it("a run that opens a new index while another holds its write lock waits, then uses it", async () => {
      const cache = join(work.work, "cache-wal-race");
      const q = ["ls", "--all", "--json", ...home];
      const want = zs([...q, "--no-index"], cache);
      // Another run has just made the file and holds its write lock (the
      // file still in rollback mode): putting it in WAL mode is then "busy"
      // at once, without SQLite's busy wait.
      await mkdir(cache, { recursive: true, mode: 0o700 });
      const other = new DatabaseSync(join(cache, DB));
      other.exec("BEGIN IMMEDIATE");
      other.exec("CREATE TABLE other_run (x)");
      const pause = pausePoint(work.work, "open-busy", "open-busy");
      const run = startZs(q, cache, { ZOT_SESSIONS_TEST_PAUSE: pause.spec });
      const at = await pause.reached(run.child);
      other.exec("ROLLBACK");
      other.close();
      assert.equal(at, "open-busy", "it waits for the lock rather than giving up");
      await pause.resume();
      const got = await run.done;
      assert.deepEqual({ code: got.code, out: got.out, err: got.err }, want);
      sameAsFiles(q, cache);
    });

    it("two searches that read the same appended message at once store it once", async () => {
      const cache = join(work.work, "cache-twice");
      const word = "zebracorn";
      const q = ["search", "--all", word, ...home];
      sameAsFiles(q, cache);
      const path = sessionPaths(work.example)[0];
      await appendFile(
        path,
        messageLine("user", `a ${word} appended`, "2026-11-20T10:00:00Z") + "\n",
      );
      // Both have read where the file's rows stop, and the message, before either writes.
      const runs = ["a", "b"].map((name) => {
        const pause = pausePoint(work.work, "search-file", `twice-${name}`);
        return { pause, run: startZs(q, cache, { ZOT_SESSIONS_TEST_PAUSE: pause.spec }) };
      });
      for (const r of runs) assert.equal(await r.pause.reached(r.run.child), "search-file");
      const want = zs([...q, "--no-index"], cache);
      for (const r of runs) {
        await r.pause.resume();
        const got = await r.run.done;
        assert.deepEqual([got.code, got.out, got.err], [want.code, want.out, want.err]);
      }
      assert.equal(sameAsFiles(q, cache).out.split("zot-sessions show").length - 1, 1, "one hit");
    });

    const removals = [
      { mode: "no-index", point: "search-hits", warm: false },
      { mode: "index", point: "search-hits", warm: false },
      { mode: "index", point: "search-read", warm: true },
    ];
    for (const { mode, point, warm } of removals) {
      it(`a session removed mid-search (${mode}, at ${point}): skipped with a warning`, async () => {
        const cache = join(work.work, `cache-gone-${mode}-${point}`);
        const flags = mode === "index" ? [] : ["--no-index"];
        const q = ["search", "--all", "--tools", "test", ...home, ...flags];
        if (warm) zs(q, cache);
        const listed = zs([...q, "--json", "--no-index"], cache).out;
        const gone = sessionPaths(work.example).find((p) => listed.includes(p))!;
        const pause = pausePoint(work.work, point, `gone-${mode}-${point}`);
        const run = startZs(q, cache, { ZOT_SESSIONS_TEST_PAUSE: pause.spec });
        assert.equal(await pause.reached(run.child), point);
        const kept = join(work.work, "kept.jsonl");
        await copyFile(gone, kept);
        await rm(gone);
        try {
          await pause.resume();
          const got = await run.done;
          const want = zs([...q, "--no-index"], cache);
          assert.equal(got.code, 0, got.err);
          assert.equal(got.out, want.out);
          assert.match(got.err, /^zot-sessions: warning: Cannot read ".*": .*; skipped it\n/);
        } finally {
          await copyFile(kept, gone);
        }
      });
    }

    it("a same-size edit with its mtime put back (touch -r) is seen", async () => {
      const cache = join(work.work, "cache-touch");
      const questions = [
        ["ls", "--all", "--json", ...home],
        ["cost", "--all", "--json", "--by", "model", ...home],
        ["cost", "--events", "--all", ...home],
      ];
      for (const q of questions) sameAsFiles(q, cache);
      const path = sessionPaths(work.example)[0];
      const before = await stat(path);
      const ctime = () =>
        spawnSync("stat", ["-c", "%z", path], { encoding: "utf8", env: { ZOT_SESSIONS_NOW: NOW } })
          .stdout;
      const was = ctime();
      const text = await readFile(path, "utf8");
      assert.match(text, /"model":"claude-sonnet-4-5"/);
      await writeFile(
        path,
        text.replace('"model":"claude-sonnet-4-5"', '"model":"claude-sonnet-9-9"'),
      );
      await utimes(path, before.atime, before.mtime);
      const after = await stat(path);
      assert.deepEqual([after.size, after.mtimeMs, after.ino], [
        before.size,
        before.mtimeMs,
        before.ino,
      ]);
      assert.notEqual(ctime(), was, "the edit changed the ctime");
      for (const q of questions) {
        const r = sameAsFiles(q, cache);
        if (q[0] === "ls") assert.match(r.out, /claude-sonnet-9-9/);
      }
    });

    it("a digit flipped in a stored event: that file is read again, with a warning", async () => {
      const cache = join(work.work, "cache-flip");
      const q = ["cost", "--all", "--json", "--by", "session", ...home];
      sameAsFiles(q, cache);
      const db = join(cache, DB);
      const bytes = await readFile(db);
      // The first event's input tokens in every copy of one file's row (older
      // copies may linger in free pages): a row holds its path, then its events.
      const path = sessionPaths(work.example)[2];
      let flipped = 0;
      for (let at = bytes.indexOf('"c":['); at !== -1; at = bytes.indexOf('"c":[', at + 1)) {
        if (bytes.lastIndexOf(".jsonl", at) !== bytes.lastIndexOf(path, at) + path.length - 6) {
          continue;
        }
        const digit = at + '"c":['.length;
        if (bytes[digit] < 0x30 || bytes[digit] > 0x39) continue;
        bytes[digit] = bytes[digit] === 0x39 ? 0x38 : bytes[digit] + 1;
        flipped++;
      }
      assert.ok(flipped > 0, "the file's stored events found in the database file");
      await writeFile(db, bytes);
      const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const warning = new RegExp(
        `^zot-sessions: warning: Cannot use the index's row of "${escaped}": ` +
          "its checksum does not match; read the session file instead$",
      );
      sameAsFiles(q, cache, { warning });
      sameAsFiles(q, cache); // the row was saved again
    });
  },
);
