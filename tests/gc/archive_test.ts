/**
 * Tests of moving sessions into the archive when things go wrong (issue 9):
 * what an interrupted run leaves (a temporary, a hard link beside the
 * original, a complete copy, a partial copy from an earlier version) is
 * finished or cleaned by the next; an abort leaves nothing half-done; a full
 * disk says so. Driven through `executeGc`, as the verb calls it.
 *
 * The e2e tests (faults_gc_e2e_test.ts) kill the binary for real.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { FileSource } from "../../lib/sessions/source.ts";
import { describe, it } from "node:test";
import { Buffer } from "node:buffer";
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import {
  chmod,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import process from "node:process";
import { gunzipSync, gzipSync } from "node:zlib";
import { RuntimeError } from "../../lib/base/errors.ts";
import { sweepTemporaries, TEMP_MARK, tempNameFor } from "../../lib/gc/archive_recovery.ts";
import { listGcCandidates } from "../../lib/gc/candidates.ts";
import { executeGc, type GcOutcome } from "../../lib/gc/exec.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";
import { tmpfsSkip, withTmpfs } from "../helpers/tmpfs.ts";
import { fsNow } from "../helpers/clock.ts";
import { seededRandom } from "../helpers/random.ts";

const DAY = 86_400_000;
const CWD = "/home/dev/alpha";
const KEY = projectKey(CWD);
/** A pid that cannot exist on Linux (pid_max is at most 2^22). */
const DEAD_PID = 2 ** 22 + 12345;

/**
 * Session `n`: about `bytes` bytes, random-looking (so gzip cannot shrink it
 * much; seeded by `n`), modified `ageDays` before the file system's now.
 */
function session(n: number, bytes = 2_000, ageDays = 10) {
  const id = `${n.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
  const pad = Buffer.from(seededRandom(n).bytes(Math.ceil(bytes * 0.75))).toString("base64")
    .slice(0, bytes);
  return {
    cwd: CWD,
    name: `20260922-120509-${id.slice(0, 8)}.jsonl`,
    lines: [metaLine({ id, cwd: CWD }), messageLine("user", `prompt ${n} ${pad}`)],
    mtimeMs: fsNow() - ageDays * DAY + n * 1000, // the higher n, the newer
  };
}

/** A temporary home and archive directory (or `archive` given), removed after. */
async function withHomeAndArchive(
  sessions: ReturnType<typeof session>[],
  fn: (h: { home: string; dir: string; archive: string; paths: string[] }) => Promise<void>,
  archive?: string,
): Promise<void> {
  const h = await tempHome(sessions);
  const arch = archive ?? await mkdtemp(join(tmpdir(), "zot-arch-"));
  try {
    await fn({
      home: h.home,
      dir: join(h.home, "sessions"),
      archive: arch,
      paths: sessions.map(h.path),
    });
  } finally {
    await h.cleanup();
    if (archive === undefined) await rm(arch, { recursive: true, force: true });
  }
}

/** Runs the executor on every session of the home, oldest first. */
async function archiveAll(
  dir: string,
  archive: string,
  compress: boolean,
  signal?: AbortSignal,
  report: (o: GcOutcome) => void = () => {},
) {
  const { candidates } = await listGcCandidates(dir, null, false, new FileSource());
  candidates.sort((a, b) => a.mtimeMs - b.mtimeMs);
  return await executeGc(
    candidates,
    dir,
    { dir: archive, compress },
    60_000,
    fsNow,
    report,
    signal,
  );
}

/** The names in the archive's project directory (temporaries included). */
async function archived(archive: string): Promise<string[]> {
  const d = join(archive, "sessions", KEY);
  return existsSync(d) ? (await readdir(d)).sort() : [];
}

/** The content of an archived file, gunzipped when `.gz`. */
async function content(path: string): Promise<Buffer> {
  const raw = await readFile(path);
  return path.endsWith(".gz") ? gunzipSync(raw) : raw;
}

describe("archive: temporaries", () => {
  it("a copy in progress is a hidden name beside its destination", () => {
    assert.equal(
      tempNameFor("/a/sessions/k/x.jsonl.gz", 42),
      `/a/sessions/k/.x.jsonl.gz${TEMP_MARK}42`,
    );
  });

  it("sweepTemporaries removes what dead runs left, and nothing else", async () => {
    const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
    const outside = await mkdtemp(join(tmpdir(), "zot-outside-"));
    try {
      const d = join(arch, "sessions", KEY);
      await mkdir(d, { recursive: true });
      const dead = `.20260922-120509-00000001.jsonl.gz${TEMP_MARK}${DEAD_PID}`;
      const mine = `.20260922-120509-00000002.jsonl${TEMP_MARK}${process.pid}`;
      const live = `.20260922-120509-00000003.jsonl${TEMP_MARK}${process.ppid}`;
      const keep = [
        live,
        "20260922-120509-00000004.jsonl",
        `.notes.txt${TEMP_MARK}${DEAD_PID}`,
        `.20260922-120509-00000005.jsonl${TEMP_MARK}x`,
      ];
      for (const name of [dead, mine, ...keep]) await writeFile(join(d, name), "partial");
      // A linked project directory is not swept (its files are elsewhere).
      await writeFile(join(outside, dead), "partial");
      await symlink(outside, join(arch, "sessions", "0123456789abcdef"));
      assert.equal(await sweepTemporaries(arch), 2);
      assert.deepEqual(await archived(arch), keep.sort());
      assert.deepEqual(await readdir(outside), [dead]);
      assert.equal(await sweepTemporaries(join(arch, "nowhere")), 0);
    } finally {
      await rm(arch, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("a run removes a dead run's temporary before it archives", async () => {
    for (const compress of [false, true]) {
      await withHomeAndArchive([session(1)], async ({ dir, archive, paths }) => {
        const d = join(archive, "sessions", KEY);
        await mkdir(d, { recursive: true });
        const gz = compress ? ".gz" : "";
        const leftover = join(d, `.${basename(paths[0])}${gz}${TEMP_MARK}${DEAD_PID}`);
        await writeFile(leftover, "cut sho");
        const outcomes = await archiveAll(dir, archive, compress);
        assert.deepEqual(outcomes.map((o) => o.result), ["archived"]);
        assert.deepEqual(await archived(archive), [basename(paths[0]) + gz]);
      });
    }
  });
});

describe("archive: an interrupted move is finished by the next run", () => {
  it("a hard link beside the original (killed between link and unlink): the original goes", async () => {
    await withHomeAndArchive([session(1), session(2)], async ({ dir, archive, paths }) => {
      const bytes = await readFile(paths[0]);
      const dest = join(archive, "sessions", KEY, basename(paths[0]));
      await mkdir(join(archive, "sessions", KEY), { recursive: true });
      await link(paths[0], dest);
      const outcomes = await archiveAll(dir, archive, false);
      assert.deepEqual(outcomes.map((o) => [o.result, o.detail ?? null]), [
        ["archived", "already in the archive (an earlier run was interrupted)"],
        ["archived", null],
      ]);
      assert.ok(!existsSync(paths[0]) && !existsSync(paths[1]));
      assert.deepEqual(await readFile(dest), bytes);
    });
  });

  it("a complete copy (plain, .gz, or the other form) beside the original: the original goes", async () => {
    const cases = [
      { compress: false, stored: "" },
      { compress: true, stored: ".gz" },
      { compress: true, stored: "" }, // archived plain before, now asked to compress
      { compress: false, stored: ".gz" },
    ];
    for (const c of cases) {
      await withHomeAndArchive([session(1)], async ({ dir, archive, paths }) => {
        const bytes = await readFile(paths[0]);
        const copy = join(archive, "sessions", KEY, basename(paths[0]) + c.stored);
        await mkdir(join(archive, "sessions", KEY), { recursive: true });
        await writeFile(copy, c.stored ? gzipSync(bytes) : bytes);
        const outcomes = await archiveAll(dir, archive, c.compress);
        assert.deepEqual(outcomes.map((o) => o.result), ["archived"], JSON.stringify(c));
        assert.match(outcomes[0].detail ?? "", /already in the archive/);
        assert.ok(!existsSync(paths[0]), "the original is removed");
        assert.deepEqual(await archived(archive), [basename(copy)], "no second copy");
        assert.deepEqual(await content(copy), bytes);
      });
    }
  });

  it("a partial copy at the final name (an earlier version, killed mid-copy) is replaced", async () => {
    for (const compress of [false, true]) {
      await withHomeAndArchive([session(1, 300_000)], async ({ dir, archive, paths }) => {
        const bytes = await readFile(paths[0]);
        const dest = join(archive, "sessions", KEY, basename(paths[0]) + (compress ? ".gz" : ""));
        await mkdir(join(archive, "sessions", KEY), { recursive: true });
        const gz = gzipSync(bytes);
        await writeFile(
          dest,
          compress ? gz.subarray(0, gz.length >> 1) : bytes.subarray(0, 70_000),
        );
        const outcomes = await archiveAll(dir, archive, compress);
        assert.deepEqual(outcomes.map((o) => [o.result, o.detail ?? null]), [["archived", null]]);
        assert.deepEqual(await content(dest), bytes);
        assert.ok(!existsSync(paths[0]));
      });
    }
  });

  it("a different file at the destination is never overwritten: that session stays", async () => {
    const others = [
      (b: Buffer) => Buffer.concat([b, Buffer.from("more")]), // longer
      (b: Buffer) => Buffer.from(b).fill(120, 100, 101), // same size, one byte off
      (b: Buffer) => gzipSync(Buffer.from(b).fill(120, 100, 101)), // a .gz of other bytes
    ];
    for (const [i, other] of others.entries()) {
      const compress = i === 2;
      await withHomeAndArchive([session(1)], async ({ dir, archive, paths }) => {
        const bytes = await readFile(paths[0]);
        const dest = join(archive, "sessions", KEY, basename(paths[0]) + (compress ? ".gz" : ""));
        await mkdir(join(archive, "sessions", KEY), { recursive: true });
        const theirs = other(bytes);
        await writeFile(dest, theirs);
        const outcomes = await archiveAll(dir, archive, compress);
        assert.deepEqual(outcomes.map((o) => [o.result, o.detail]), [
          ["failed", `a different file is already at "${dest}"; original kept`],
        ]);
        assert.deepEqual(await readFile(dest), theirs);
        assert.deepEqual(await readFile(paths[0]), bytes);
        assert.deepEqual(await archived(archive), [basename(dest)], "no temporary left");
      });
    }
  });
});

describe("archive: what a copy keeps, and how it stops", () => {
  it("the archived file keeps the original's mode and mtime (link, gzip copy, plain copy)", async (t) => {
    const shm = "/dev/shm";
    const otherFs = existsSync(shm) && statSync(shm).dev !== statSync(tmpdir()).dev;
    for (const [compress, where] of [[false, null], [true, null], [false, shm]] as const) {
      if (where !== null && !otherFs) {
        t.diagnostic(`${shm} is not another file system here: the plain copy is not tried`);
        continue;
      }
      const arch = where === null ? undefined : await mkdtemp(join(where, "zot-arch-"));
      try {
        await withHomeAndArchive([session(1, 50_000)], async ({ dir, archive, paths }) => {
          await chmod(paths[0], 0o640);
          const before = await stat(paths[0]);
          const outcomes = await archiveAll(dir, archive, compress);
          assert.deepEqual(outcomes.map((o) => o.result), ["archived"]);
          const after = await stat(outcomes[0].archivedTo!);
          assert.equal(after.mode & 0o777, 0o640, `${compress} ${where}`);
          assert.equal(Math.floor(after.mtimeMs), Math.floor(before.mtimeMs));
        }, arch);
      } finally {
        if (arch) await rm(arch, { recursive: true, force: true });
      }
    }
  });

  it("an abort between chunks removes the partial copy, keeps the original, and says how far", async () => {
    // Two sessions: the first archived, the second (3 MB, read in 1 MiB
    // chunks) stopped at its second chunk, its temporary half written.
    await withHomeAndArchive(
      [session(1, 1_000, 11), session(2, 3_000_000, 10)],
      async ({ dir, archive, paths }) => {
        const bytes = await readFile(paths[1]);
        const dest = join(archive, "sessions", KEY, basename(paths[1]) + ".gz");
        let seenCopying = 0;
        const signal = {
          get aborted() {
            if (existsSync(tempNameFor(dest, process.pid))) seenCopying++;
            return seenCopying >= 2;
          },
          reason: "SIGTEST",
        } as unknown as AbortSignal;
        await assert.rejects(
          archiveAll(dir, archive, true, signal),
          (err: Error) =>
            err instanceof RuntimeError &&
            /^Cannot complete the clean-up: interrupted by SIGTEST after 1 of 2 sessions/.test(
              err.message,
            ),
        );
        assert.ok(seenCopying >= 2, "stopped during the copy");
        assert.deepEqual(await readFile(paths[1]), bytes, "the original is untouched");
        assert.deepEqual(await archived(archive), [basename(paths[0]) + ".gz"]);
      },
    );
  });

  it("a full archive disk: no space left on device, no temporary, the original untouched", {
    skip: tmpfsSkip(),
  }, async () => {
    for (const compress of [true, false]) {
      await withTmpfs("1m", async (fs) => {
        // The big one first: it fails; the small one after still goes.
        await withHomeAndArchive(
          [session(1, 3_000_000, 11), session(2, 1_000, 10)],
          async ({ dir, archive, paths }) => {
            const bytes = await readFile(paths[0]);
            const outcomes = await archiveAll(dir, archive, compress);
            assert.deepEqual(outcomes.map((o) => [o.result, o.detail ?? null]), [
              ["failed", "no space left on device"],
              ["archived", null],
            ]);
            assert.deepEqual(await readFile(paths[0]), bytes);
            const gz = compress ? ".gz" : "";
            assert.deepEqual(await archived(archive), [basename(paths[1]) + gz]);
          },
          fs,
        );
      });
    }
  });
});
