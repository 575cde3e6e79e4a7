/**
 * Tests of the catalogue walker (lib/sessions/catalog.ts) in its two modes
 * on one tree: listing (ls and the other readers) and gc's strict mode.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeError } from "../../lib/base/errors.ts";
import { listAll, listProject, listStrict } from "../../lib/sessions/catalog.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { spawnSync } from "../helpers/spawn.ts";

const A = "/home/dev/alpha";
const B = "/home/dev/beta";
const KA = projectKey(A);
const KB = projectKey(B);

/**
 * A home with sessions in two projects and everything a walk must decide
 * about: a compressed archive, other names, a subdirectory, a FIFO, a
 * directory that is not a project key, links to a session and to a project
 * directory. Session `<key>/<n>.jsonl` was modified at `n` seconds.
 */
async function withTangledHome(fn: (home: string, sessions: string) => Promise<void>) {
  const home = await mkdtemp(join(tmpdir(), "zot-catalog-"));
  const sessions = join(home, "sessions");
  const file = async (path: string, seconds: number) => {
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, "{}\n");
    await utimes(path, seconds, seconds);
  };
  try {
    await file(join(sessions, KA, "1.jsonl"), 1);
    await file(join(sessions, KA, "3.jsonl"), 3);
    await file(join(sessions, KB, "2.jsonl"), 2);
    await file(join(sessions, KA, "4.jsonl.gz"), 4);
    await file(join(sessions, KA, "notes.txt"), 5);
    await file(join(sessions, KA, "sub", "deep.jsonl"), 6);
    await file(join(sessions, "not-a-key", "7.jsonl"), 7);
    await file(join(home, "elsewhere", "8.jsonl"), 8);
    await mkdir(join(sessions, KB, "dir.jsonl"));
    await symlink(join(home, "elsewhere", "8.jsonl"), join(sessions, KB, "link.jsonl"));
    await symlink(join(home, "elsewhere"), join(sessions, "0123456789abcdef"));
    if (spawnSync("mkfifo", [join(sessions, KB, "fifo.jsonl")]).status !== 0) {
      throw new Error("mkfifo failed");
    }
    await fn(home, sessions);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

const names = (c: { files: { path: string }[] }, root: string) =>
  c.files.map((f) => f.path.slice(root.length + 1));

describe("catalogue: listing mode (ls)", () => {
  it("lists .jsonl and .jsonl.gz files of any directory, newest first; passes links over silently", async () => {
    await withTangledHome(async (home, sessions) => {
      const all = await listAll(home);
      assert.deepEqual(names(all, sessions), [
        "not-a-key/7.jsonl",
        `${KA}/4.jsonl.gz`,
        `${KA}/3.jsonl`,
        `${KB}/2.jsonl`,
        `${KA}/1.jsonl`,
      ]);
      assert.deepEqual(all.problems, []);
      const one = await listProject(home, A);
      assert.deepEqual(names(one, sessions), [
        `${KA}/4.jsonl.gz`,
        `${KA}/3.jsonl`,
        `${KA}/1.jsonl`,
      ]);
      const three = join(sessions, KA, "3.jsonl");
      const { dev, ino, ctimeMs } = await stat(three);
      assert.deepEqual(one.files[1], {
        path: three,
        dir: KA,
        bytes: 3,
        mtimeMs: 3000,
        dev,
        ino,
        ctimeMs,
      });
    });
  });
});

describe("catalogue: strict mode (gc)", () => {
  it("takes only regular *.jsonl files in <16 hex>/ directories, and reports each link", async () => {
    await withTangledHome(async (_home, sessions) => {
      const c = await listStrict(sessions, null);
      assert.equal(c.root, sessions);
      assert.deepEqual(
        [...names(c, sessions)].sort(),
        [`${KA}/1.jsonl`, `${KA}/3.jsonl`, `${KB}/2.jsonl`].sort(),
      );
      const three = join(sessions, KA, "3.jsonl");
      const { dev, ino, ctimeMs } = await stat(three);
      assert.deepEqual(c.files.find((f) => f.path.endsWith("/3.jsonl")), {
        path: three,
        dir: KA,
        bytes: 3,
        mtimeMs: 3000,
        dev,
        ino,
        ctimeMs,
      });
      // Links are problems, in walk order (project directories by name).
      const linked = "0123456789abcdef";
      const expected = [KA, KB, linked].sort().flatMap((d) =>
        d === linked ? [join(sessions, linked)] : d === KB ? [join(sessions, KB, "link.jsonl")] : []
      );
      assert.deepEqual(
        c.problems,
        expected.map((path) => ({ path, message: "a symbolic link (not followed)" })),
      );
    });
  });

  it("walks only the project directory named, links to it included", async () => {
    await withTangledHome(async (_home, sessions) => {
      assert.deepEqual(names(await listStrict(sessions, KA), sessions).sort(), [
        `${KA}/1.jsonl`,
        `${KA}/3.jsonl`,
      ]);
      const b = await listStrict(sessions, KB);
      assert.deepEqual(names(b, sessions), [`${KB}/2.jsonl`]);
      assert.deepEqual(b.problems.map((p) => p.path), [join(sessions, KB, "link.jsonl")]);
      const link = await listStrict(sessions, "0123456789abcdef");
      assert.deepEqual(link.files, []);
      assert.deepEqual(link.problems.map((p) => p.path), [join(sessions, "0123456789abcdef")]);
    });
  });

  it("a sessions directory that cannot be listed is an error naming it", async () => {
    await withTangledHome(async (home) => {
      const notDir = join(home, "elsewhere", "8.jsonl");
      await assert.rejects(
        listStrict(notDir, null),
        (e) =>
          e instanceof RuntimeError && e.message === `Cannot list "${notDir}": not a directory`,
      );
    });
  });
});
