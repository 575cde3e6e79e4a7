/**
 * The index's cache directory under strain (issue 19, §2 and §3): a full
 * disk is not damage. Every answer through the index is compared with the
 * same run with `--no-index`.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { needs, skipBecause } from "../helpers/skips.ts";
import { tmpfsUnavailable, withTmpfs } from "../helpers/tmpfs.ts";
import { appendTurn, seeded, type WordyHome, writeWordyHome } from "../helpers/wordy_home.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { DB, NOW, sameAsFiles, startZs, zs } from "./index_runs.ts";
import { pausePoint } from "../helpers/pause.ts";
import { spawnSync } from "../helpers/spawn.ts";

/** `text` as a regular expression that matches it literally. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const UNDER_BUN = process.versions.bun !== undefined;
const SECRET = "s3cr3t-T0KEN-7f3a9c";

describe("e2e: the index's cache directory", {
  skip: skipBecause(UNDER_BUN, "run once, under Deno"),
}, () => {
  let dir = "";
  let home: string[] = [];
  let wordy: WordyHome;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "zot-index-cache-"));
    const h = await writeWordyHome(join(dir, "home"), {
      seed: 19,
      sessions: 30,
      turns: 20,
      nowMs: Date.parse(NOW),
    });
    home = ["--home", h.home];
    wordy = h;
    // Sessions holding a secret in their first prompt (the index keeps
    // that) and in a later message (search indexes it).
    const cwd = "/home/dev/secret-project";
    await mkdir(join(h.home, "sessions", projectKey(cwd)), { recursive: true });
    for (let i = 1; i <= 5; i++) {
      const path = join(
        h.home,
        "sessions",
        projectKey(cwd),
        `20261101-00000${i}-5ec2e70${i}.jsonl`,
      );
      await writeFile(
        path,
        [
          metaLine({ id: `5ec2e70${i}-1111-4222-8333-444455556666`, cwd }),
          messageLine("user", `deploy ${i} with ${SECRET} please`, "2026-11-01T10:00:00Z"),
          messageLine("assistant", `using ${SECRET} now`, "2026-11-01T10:00:05Z"),
        ].map((l) => l + "\n").join(""),
      );
      const t = Date.parse("2026-11-01T10:00:05Z") / 1000;
      await utimes(path, t, t);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("a full cache disk: the same answers, at most one warning a run, the index kept", {
    skip: needs("a tmpfs (root)", tmpfsUnavailable() === null),
  }, async () => {
    await withTmpfs("1m", async (cache) => {
      const questions = [
        ["ls", "--all", "--json", ...home],
        ["search", "--all", "--tools", "index", ...home],
        ["cost", "--all", "--json", "--by", "day", ...home],
        ["search", "--all", "retry", "timeout", ...home],
      ];
      const full =
        /^zot-sessions: warning: Cannot update the index ".*\/index\.sqlite": database or disk is full; reading the files directly$/;
      let warned = 0;
      for (const round of [1, 2]) {
        for (const q of questions) {
          const r = zs(q, cache);
          const direct = zs([...q, "--no-index"], cache);
          const what = `round ${round}: ${q.join(" ")}`;
          assert.equal(r.out, direct.out, `${what}: stdout`);
          assert.equal(r.code, direct.code, `${what}: exit code (${r.err})`);
          if (r.err !== direct.err) {
            const [first, ...rest] = r.err.split("\n");
            assert.match(first, full, what);
            assert.equal(rest.join("\n"), direct.err, `${what}: one warning`);
            warned++;
          }
        }
      }
      assert.ok(warned > 0, "the disk filled up");
      assert.deepEqual(
        (await readdir(cache)).filter((f) => f.includes("damaged")),
        [],
        "nothing moved aside",
      );
      assert.ok((await readdir(cache)).includes(DB), "the index is kept");
    });
  });

  /** How many times the secret is in the cache directory's files. */
  async function copies(cache: string): Promise<number> {
    let n = 0;
    for (const f of await readdir(cache)) {
      const bytes = await readFile(join(cache, f));
      for (let at = bytes.indexOf(SECRET); at !== -1; at = bytes.indexOf(SECRET, at + 1)) n++;
    }
    return n;
  }

  it("index --clear leaves no copy of a message's text in the cache", async () => {
    const cache = join(dir, "cache-clear");
    for (const q of [["ls", "--all", "--json"], ["search", "--all", "deploy"]]) {
      assert.equal(zs([...q, ...home], cache).code, 0);
    }
    assert.ok(await copies(cache) > 0, "the index holds the first prompt");
    const r = zs(["index", "--clear", ...home], cache);
    assert.equal(r.code, 0, r.err);
    assert.equal(await copies(cache), 0);
  });

  it("gc removing a session leaves no copy of its text in the cache", async () => {
    const cache = join(dir, "cache-gc");
    for (const q of [["ls", "--all", "--json"], ["search", "--all", "deploy"]]) {
      assert.equal(zs([...q, ...home], cache).code, 0);
    }
    assert.ok(await copies(cache) > 0, "the index holds the first prompt");
    const gc = zs(
      [
        "gc",
        "--project",
        "/home/dev/secret-project",
        "--all-sessions",
        "--yes",
        "--grace",
        "0",
        ...home,
      ],
      cache,
    );
    assert.equal(gc.code, 0, gc.err);
    assert.equal(await copies(cache), 0);
  });

  it("damaged copies are kept 7 days (by the run's clock), and --clear removes them", async () => {
    const cache = join(dir, "cache-damaged");
    assert.equal(zs(["ls", "--all", ...home], cache).code, 0);
    const stamp = (daysAgo: number) =>
      new Date(Date.parse(NOW) - daysAgo * 86_400_000).toISOString().replace(/[:.]/g, "");
    const aside = (daysAgo: number) => `${DB}.damaged-${stamp(daysAgo)}`;
    for (const name of [aside(8), aside(6), aside(0)]) await writeFile(join(cache, name), "x");
    const damaged = async () =>
      (await readdir(cache)).filter((f) => f.includes(".damaged-")).sort();
    assert.equal(zs(["ls", "--all", ...home], cache).code, 0);
    assert.deepEqual(await damaged(), [aside(6), aside(0)].sort());
    const r = zs(["index", "--clear", ...home], cache);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await damaged(), []);
  });

  const warned = (file: string, detail: string) =>
    new RegExp(
      `^zot-sessions: warning: Cannot use the index "${
        escape(file)
      }": ${detail}; reading the files directly$`,
    );

  it("a looser cache of this user's is made private again; another user's is refused", async () => {
    const cache = join(dir, "cache-modes");
    const q = ["ls", "--all", "--json", ...home];
    sameAsFiles(q, cache);
    await chmod(cache, 0o755);
    await chmod(join(cache, DB), 0o644);
    sameAsFiles(q, cache);
    assert.equal((await stat(cache)).mode & 0o777, 0o700);
    assert.equal((await stat(join(cache, DB))).mode & 0o777, 0o600);
    if (process.getuid?.() !== 0) return; // giving it away needs root
    await chmod(join(cache, DB), 0o644);
    await chown(join(cache, DB), 4321, 4321);
    sameAsFiles(q, cache, {
      warning: warned(
        join(cache, DB),
        "others may read it \\(mode 0644\\) and it is not yours to change",
      ),
    });
    assert.equal((await stat(join(cache, DB))).mode & 0o777, 0o644, "left as it was");
  });

  it("a database file that is a symbolic link is refused, its target untouched", async () => {
    const cache = join(dir, "cache-link");
    await mkdir(cache, { mode: 0o700 });
    const target = join(dir, "link-target");
    await writeFile(target, "");
    await symlink(target, join(cache, DB));
    sameAsFiles(["ls", "--all", "--json", ...home], cache, {
      warning: warned(join(cache, DB), "it is a symbolic link"),
    });
    assert.equal((await readFile(target)).length, 0);
  });

  it("a directory in place of the database: ls warns naming the file, index fails (exit 1)", async () => {
    const cache = join(dir, "cache-dir-db");
    await mkdir(join(cache, DB), { recursive: true });
    sameAsFiles(["ls", "--all", "--json", ...home], cache, {
      warning: warned(join(cache, DB), "is a directory"),
    });
    for (const flags of [[], ["--quiet"]]) {
      const r = zs(["index", ...home, ...flags], cache);
      assert.equal(r.code, 1);
      assert.equal(
        r.err,
        `zot-sessions: Cannot use the index "${join(cache, DB)}": is a directory\n`,
      );
    }
  });

  it("a read-only cache file system: ls warns naming the file, index fails (exit 1)", {
    skip: needs("a tmpfs (root)", tmpfsUnavailable() === null),
  }, async () => {
    await withTmpfs("4m", (cache) => {
      assert.equal(zs(["ls", "--all", ...home], cache).code, 0);
      const ro = spawnSync("mount", ["-o", "remount,ro", cache], { encoding: "utf8" });
      assert.equal(ro.status, 0, ro.stderr);
      sameAsFiles(["ls", "--all", "--json", ...home], cache, {
        warning: warned(join(cache, DB), "read-only file system"),
      });
      const r = zs(["index", ...home], cache);
      assert.equal(r.code, 1);
      assert.equal(
        r.err,
        `zot-sessions: Cannot use the index "${join(cache, DB)}": read-only file system\n`,
      );
      return Promise.resolve();
    });
  });

  it("another run writing: ls and cost answer without saving; index says which database (exit 1)", async () => {
    const cache = join(dir, "cache-locked");
    const ls = ["ls", "--all", "--json", ...home];
    assert.equal(zs(ls, cache).code, 0);
    // Stopped inside its first write transaction: it holds the write lock.
    const pause = pausePoint(dir, "write", "locked");
    const writer = startZs(["index", "--rebuild", ...home], cache, {
      ZOT_SESSIONS_TEST_PAUSE: pause.spec,
    });
    assert.equal(await pause.reached(writer.child), "write");
    try {
      // Something to save: they read it, cannot take the lock, go on without.
      await appendTurn(wordy.paths[0], seeded(1), Date.parse(NOW) - 60_000);
      sameAsFiles(ls, cache);
      sameAsFiles(["cost", "--all", "--json", "--by", "session", ...home], cache);
      const r = zs(["index", "--clear", ...home], cache);
      assert.equal(r.code, 1);
      assert.equal(
        r.err,
        `zot-sessions: Cannot update the index "${join(cache, DB)}": another run is writing ` +
          "to it (database is locked); what this run read is not saved, run it again\n",
      );
    } finally {
      writer.child.kill("SIGKILL");
      await writer.done;
    }
    // Nothing was saved meanwhile: the appended turn is read again.
    const again = zs(ls, cache, { ZOT_SESSIONS_STATS: "1" });
    assert.match(again.err, /read [1-9]\d* bytes of session files/);
    sameAsFiles(ls, cache);
  });
});
