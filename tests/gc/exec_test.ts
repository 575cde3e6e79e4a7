/**
 * Tests of gc's executor (`executeGc`), driven directly to change files
 * between plan and execution: each file is checked again before it is
 * touched, removed or archived (plain, compressed, across file systems),
 * never overwriting in the archive.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { FileSource } from "../../lib/sessions/source.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import {
  appendFile,
  lstat,
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
import { gunzipSync } from "node:zlib";
import { listGcCandidates } from "../../lib/gc/candidates.ts";
import { executeGc, type GcOutcome } from "../../lib/gc/exec.ts";
import { type GcCandidate, type GcPolicy, planGc } from "../../lib/gc/plan.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { messageLine } from "../helpers/fixtures.ts";
import {
  DAY,
  fileName,
  fn,
  HOUR,
  left,
  NOW,
  sess,
  treeSnapshot,
  withHome,
} from "../helpers/gc_home.ts";
import { fsNow } from "../helpers/clock.ts";
import { skipBecause } from "../helpers/skips.ts";

const A = "/home/dev/alpha";
const B = "/home/dev/beta";
const KA = projectKey(A);
const KB = projectKey(B);

const NO_POLICY: GcPolicy = {
  empty: false,
  olderThanMs: null,
  keepLast: null,
  maxSize: null,
  graceMs: HOUR,
  allowOrphans: false,
};

describe("executeGc", () => {
  const old = 3 * DAY;
  const policy: GcPolicy = { ...NO_POLICY, olderThanMs: DAY };

  async function planFor(home: string, p: GcPolicy = policy) {
    const dir = join(home, "sessions");
    const { candidates, skipped } = await listGcCandidates(dir, null, p.empty, new FileSource());
    return { dir, plan: planGc(candidates, p, NOW), skipped };
  }

  async function exec(
    dir: string,
    files: GcCandidate[],
    archive: { dir: string; compress: boolean } | null = null,
    graceMs = HOUR,
  ) {
    const reported: GcOutcome[] = [];
    const outcomes = await executeGc(files, dir, archive, graceMs, fsNow, (o) => {
      reported.push(o);
    });
    assert.deepEqual(outcomes, reported, "each outcome is reported once, in order");
    return outcomes;
  }

  const byName = (outcomes: GcOutcome[]) =>
    Object.fromEntries(
      outcomes.map((o) => [o.file.path.split("/").slice(-1)[0], [o.result, o.detail ?? null]]),
    );

  it("skips a file appended to between plan and removal; removes the rest", async () => {
    const s = [sess(1, A, old + 2 * HOUR), sess(2, A, old + HOUR), sess(3, B, old)];
    await withHome(s, async (home, path) => {
      const { dir, plan } = await planFor(home);
      assert.equal(plan.remove.length, 3);
      await appendFile(path(s[1]), messageLine("user", "one more") + "\n");
      // Keep the old mtime: only the size tells.
      await utimes(path(s[1]), s[1].mtimeMs / 1000, s[1].mtimeMs / 1000);
      const outcomes = await exec(dir, plan.remove.map((x) => x.file));
      assert.deepEqual(byName(outcomes), {
        [fileName(1)]: ["removed", null],
        [fileName(2)]: ["skipped", "changed since it was planned"],
        [fileName(3)]: ["removed", null],
      });
      assert.deepEqual(await left(home), [fn(KA, 2)]);
      assert.match(await readFile(path(s[1]), "utf8"), /one more/);
      assert.ok(!existsSync(join(dir, KB)), "the emptied project directory is removed");
    });
  });

  it("skips a file whose mtime changed (same size), and one touched into the grace period", async () => {
    const s = [sess(1, A, old), sess(2, A, old)];
    await withHome(s, async (home, path) => {
      const { dir, plan } = await planFor(home);
      const t = (s[0].mtimeMs - DAY) / 1000;
      await utimes(path(s[0]), t, t);
      await utimes(path(s[1]), fsNow() / 1000, fsNow() / 1000);
      const outcomes = await exec(dir, plan.remove.map((x) => x.file));
      assert.deepEqual(outcomes.map((o) => o.result), ["skipped", "skipped"]);
      assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 2)]);
    });
  });

  it("re-checks the grace period against the clock at removal time", async () => {
    const s = [sess(1, A, 2 * HOUR)];
    await withHome(s, async (home) => {
      const { dir, plan } = await planFor(home, { ...policy, olderThanMs: HOUR });
      assert.equal(plan.remove.length, 1);
      const outcomes = await exec(dir, plan.remove.map((x) => x.file), null, 3 * HOUR);
      assert.deepEqual(byName(outcomes), {
        [fileName(1)]: ["skipped", "modified within the grace period"],
      });
      assert.deepEqual(await left(home), [fn(KA, 1)]);
    });
  });

  it("skips a file or a project directory replaced by a symbolic link after planning", async () => {
    const outside = await mkdtemp(join(tmpdir(), "zot-outside-"));
    const s = [sess(1, A, old), sess(2, B, old)];
    try {
      await withHome(s, async (home, path) => {
        const { dir, plan } = await planFor(home);
        // The same bytes and mtimes outside, then links in their place.
        await mkdir(join(outside, KB));
        for (
          const [x, target] of [[s[0], join(outside, "a.jsonl")], [
            s[1],
            join(outside, KB, fileName(2)),
          ]] as const
        ) {
          await writeFile(target, await readFile(path(x)));
          await utimes(target, x.mtimeMs / 1000, x.mtimeMs / 1000);
        }
        await rm(path(s[0]));
        await symlink(join(outside, "a.jsonl"), path(s[0]));
        await rm(join(dir, KB), { recursive: true });
        await symlink(join(outside, KB), join(dir, KB));
        const before = await treeSnapshot(outside);
        const outcomes = await exec(dir, plan.remove.map((x) => x.file));
        assert.deepEqual(byName(outcomes), {
          [fileName(1)]: ["skipped", "no longer a regular file"],
          [fileName(2)]: ["skipped", "its directory is a link"],
        });
        assert.equal((await treeSnapshot(outside)).listing, before.listing);
        assert.ok((await lstat(path(s[0]))).isSymbolicLink());
      });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("refuses a candidate outside the sessions tree, whatever its name", async () => {
    const outside = await mkdtemp(join(tmpdir(), "zot-outside-"));
    try {
      await withHome([sess(1, A, old)], async (home) => {
        const { dir, plan } = await planFor(home);
        // A file that passes every other check: same name, size and mtime.
        const stray = join(outside, KA, fileName(1));
        await mkdir(join(outside, KA));
        await writeFile(stray, "{}\n");
        const t = (NOW - old) / 1000;
        await utimes(stray, t, t);
        const s = await stat(stray);
        const forged = {
          ...plan.remove[0].file,
          path: stray,
          bytes: s.size,
          mtimeMs: Math.floor(s.mtimeMs),
        };
        const notSession = { ...forged, path: join(dir, KA, "notes.txt") };
        const outcomes = await exec(dir, [forged, notSession]);
        assert.deepEqual(outcomes.map((o) => [o.result, o.detail]), [
          ["skipped", "outside the sessions directory"],
          ["skipped", "not a session file in a project directory"],
        ]);
        assert.equal(await readFile(stray, "utf8"), "{}\n");
        assert.deepEqual(await left(home), [fn(KA, 1)]);
      });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("removes a project directory only when it is empty afterwards", async () => {
    const s = [sess(1, A, old), sess(2, B, old)];
    await withHome(s, async (home) => {
      const { dir, plan } = await planFor(home);
      await writeFile(join(dir, KA, "notes.txt"), "keep me");
      const outcomes = await exec(dir, plan.remove.map((x) => x.file));
      assert.deepEqual(outcomes.map((o) => o.result), ["removed", "removed"]);
      assert.deepEqual(await readdir(join(dir, KA)), ["notes.txt"]);
      assert.ok(!existsSync(join(dir, KB)));
      assert.ok(existsSync(dir), "the sessions directory stays");
    });
  });

  it("archives without compression: same bytes, same mtime, sessions/<key>/<file>", async () => {
    const s = [sess(1, A, old + HOUR), sess(2, B, old)];
    const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
    try {
      await withHome(s, async (home, path) => {
        const originals = await Promise.all(s.map((x) => readFile(path(x))));
        const { dir, plan } = await planFor(home);
        const outcomes = await exec(dir, plan.remove.map((x) => x.file), {
          dir: arch,
          compress: false,
        });
        assert.deepEqual(outcomes.map((o) => o.result), ["archived", "archived"]);
        for (const [i, x] of s.entries()) {
          const dest = join(arch, "sessions", projectKey(x.cwd), x.name);
          assert.equal(outcomes[i].archivedTo, dest);
          assert.deepEqual(await readFile(dest), originals[i]);
          assert.equal(Math.floor((await stat(dest)).mtimeMs), Math.floor(x.mtimeMs));
        }
        assert.deepEqual(await left(home), []);
      });
    } finally {
      await rm(arch, { recursive: true, force: true });
    }
  });

  it("archives with compression: .jsonl.gz that gunzips to the same bytes, same mtime", async () => {
    const s = [sess(1, A, old + HOUR, { pad: 100_000 }), sess(2, A, old)];
    const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
    try {
      await withHome(s, async (home, path) => {
        const originals = await Promise.all(s.map((x) => readFile(path(x))));
        const { dir, plan } = await planFor(home);
        const outcomes = await exec(dir, plan.remove.map((x) => x.file), {
          dir: arch,
          compress: true,
        });
        assert.deepEqual(outcomes.map((o) => o.result), ["archived", "archived"]);
        for (const [i, x] of s.entries()) {
          const dest = join(arch, "sessions", KA, x.name + ".gz");
          assert.equal(outcomes[i].archivedTo, dest);
          const gz = await readFile(dest);
          assert.deepEqual(gunzipSync(gz), originals[i]);
          assert.equal(Math.floor((await stat(dest)).mtimeMs), Math.floor(x.mtimeMs));
        }
        assert.ok((await stat(join(arch, "sessions", KA, s[0].name + ".gz"))).size < 10_000);
        assert.deepEqual(await left(home), []);
      });
    } finally {
      await rm(arch, { recursive: true, force: true });
    }
  });

  const shm = "/dev/shm";
  it("archives across file systems by copy, verify and unlink", {
    skip: skipBecause(
      !existsSync(shm) || statSync(shm).dev === statSync(tmpdir()).dev,
      `${shm} is not another file system here`,
    ),
  }, async () => {
    const arch = await mkdtemp(join(shm, "zot-arch-"));
    const s = [sess(1, A, old, { pad: 300_000 })];
    try {
      await withHome(s, async (home, path) => {
        const original = await readFile(path(s[0]));
        const { dir, plan } = await planFor(home);
        const outcomes = await exec(dir, plan.remove.map((x) => x.file), {
          dir: arch,
          compress: false,
        });
        assert.deepEqual(outcomes.map((o) => o.result), ["archived"]);
        const dest = join(arch, "sessions", KA, s[0].name);
        assert.deepEqual(await readFile(dest), original);
        assert.equal(Math.floor((await stat(dest)).mtimeMs), Math.floor(s[0].mtimeMs));
        assert.deepEqual(await left(home), []);
      });
    } finally {
      await rm(arch, { recursive: true, force: true });
    }
  });

  it("never overwrites in the archive: that file fails, the original stays, the rest go on", async () => {
    const s = [sess(1, A, old + 2 * HOUR), sess(2, A, old + HOUR), sess(3, A, old)];
    for (const compress of [false, true]) {
      const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
      try {
        await withHome(s, async (home) => {
          const taken = join(arch, "sessions", KA, fileName(2) + (compress ? ".gz" : ""));
          await mkdir(join(arch, "sessions", KA), { recursive: true });
          await writeFile(taken, "already archived");
          const { dir, plan } = await planFor(home);
          const outcomes = await exec(dir, plan.remove.map((x) => x.file), { dir: arch, compress });
          assert.deepEqual(outcomes.map((o) => o.result), ["archived", "failed", "archived"]);
          assert.equal(await readFile(taken, "utf8"), "already archived");
          assert.deepEqual(await left(home), [fn(KA, 2)]);
        });
      } finally {
        await rm(arch, { recursive: true, force: true });
      }
    }
  });
});

// ---------------------------------------------------------------------------
// The verb, in-process
