/**
 * Tests of lib/gc/remove_one.ts: one session removed by hand (pick's
 * Ctrl-D) by gc's rules: the lock, the grace period, kept fork parents,
 * the archive, files gc may not touch.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { describe, it } from "node:test";
import { removeSession, type RemoveSettings } from "../../lib/gc/remove_one.ts";
import { acquireLock } from "../../lib/gc/lock.ts";
import { FileSource } from "../../lib/sessions/source.ts";
import { DAY, HOUR, left, MIN, NOW, sess, withHome } from "../helpers/gc_home.ts";

const settings = (home: string, o: Partial<RemoveSettings> = {}): RemoveSettings => ({
  home,
  policy: {
    empty: false,
    olderThanMs: null,
    keepLast: null,
    maxSize: null,
    graceMs: HOUR,
    allowOrphans: false,
  },
  archive: null,
  source: new FileSource(),
  pid: 4242,
  clock: () => NOW,
  ...o,
});

describe("removeSession", () => {
  it("removes an old session, and only it", async () => {
    const a = sess(1, "/p", 2 * DAY);
    const b = sess(2, "/p", 3 * DAY);
    await withHome([a, b], async (home, path) => {
      assert.deepEqual(await removeSession(path(a), settings(home)), {
        result: "removed",
        path: path(a),
        archivedTo: undefined,
      });
      assert.equal(existsSync(path(a)), false);
      assert.equal((await left(home)).length, 1);
    });
  });

  it("leaves a session modified within the grace period", async () => {
    const a = sess(1, "/p", 5 * MIN);
    await withHome([a], async (home, path) => {
      const r = await removeSession(path(a), settings(home));
      assert.deepEqual(r, {
        result: "kept",
        path: path(a),
        why: "modified within the grace period",
      });
      assert.ok(existsSync(path(a)));
    });
  });

  it("keeps the parent of a kept fork, unless orphans are allowed", async () => {
    const parent = sess(1, "/p", 2 * DAY);
    const fork = sess(2, "/q", 1 * DAY, { parent: 1 });
    await withHome([parent, fork], async (home, path) => {
      const r = await removeSession(path(parent), settings(home));
      assert.deepEqual(r, {
        result: "kept",
        path: path(parent),
        why: "parent of kept fork 00000002",
      });
      const s = settings(home);
      const orphans = await removeSession(path(parent), {
        ...s,
        policy: { ...s.policy, allowOrphans: true },
      });
      assert.equal(orphans.result, "removed");
    });
  });

  it("archives when the config names an archive", async () => {
    const a = sess(1, "/p", 2 * DAY);
    await withHome([a], async (home, path) => {
      const archive = `${home}-archive`;
      try {
        const r = await removeSession(
          path(a),
          settings(home, { archive: { dir: archive, compress: false } }),
        );
        assert.equal(r.result, "archived");
        assert.ok(r.result === "archived" && r.archivedTo && existsSync(r.archivedTo));
        assert.equal(existsSync(path(a)), false);
      } finally {
        await rm(archive, { recursive: true, force: true });
      }
    });
  });

  it("does nothing while another gc holds the lock", async () => {
    const a = sess(1, "/p", 2 * DAY);
    await withHome([a], async (home, path) => {
      const lock = await acquireLock(join(home, "sessions"), process.pid, () => NOW);
      assert.ok(lock.acquired);
      try {
        const r = await removeSession(path(a), settings(home));
        assert.deepEqual(r, {
          result: "kept",
          path: path(a),
          why: `another gc (pid ${process.pid}) is running on "${home}"`,
        });
        assert.ok(existsSync(path(a)));
      } finally {
        await lock.release();
      }
    });
  });

  it("touches nothing outside the sessions tree", async () => {
    const a = sess(1, "/p", 2 * DAY);
    await withHome([a], async (home) => {
      const r = await removeSession(join(home, "elsewhere.jsonl"), settings(home));
      assert.equal(r.result, "kept");
      assert.match(r.result === "kept" ? r.why : "", /gc touches nothing else/);
    });
  });
});
