/**
 * End-to-end tests of `gc` when things go wrong (issue 9): a full archive
 * disk, SIGTERM or SIGINT during an archive run, SIGKILL at chosen points of
 * one, and arguments that would quietly do too much. The built binary, as
 * cron runs it.
 *
 * What must hold after any of them: every session is whole exactly once, in
 * the home or in the archive; no temporary and no lock is left once a run
 * has ended (a SIGKILL leaves them to the next run, which ends with none);
 * and a later run succeeds.
 *
 * Signals land where the test says, not where the scheduler happens to be:
 * gc's test seam (`ZOT_SESSIONS_TEST_GC_PAUSE`, lib/gc/pause.ts) stops the
 * run at a chosen point and says so through a FIFO, and only then is the
 * signal sent.
 *
 * The full-disk test mounts a small tmpfs, so it needs root (CI runs as
 * root); elsewhere it is skipped with the reason.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { gunzipSync } from "node:zlib";
import { TEMP_MARK } from "../../lib/gc/archive_recovery.ts";
import { GC_PAUSE_VARIABLE, type PausePhase } from "../../lib/gc/pause.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { LOCK_NAME } from "../../lib/gc/lock.ts";
import { DAY_MS, fsNow } from "../helpers/clock.ts";
import { fifoNote } from "../helpers/fifo.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { seededRandom } from "../helpers/random.ts";
import { skipNow } from "../helpers/skips.ts";
import { spawn, spawnSync } from "../helpers/spawn.ts";
import { tmpfsUnavailable, withTmpfs } from "../helpers/tmpfs.ts";
import { BIN } from "./harness.ts";

const DAY = DAY_MS;
const CWDS = ["/home/dev/alpha", "/home/dev/beta", "/home/dev/gamma"];
/** Far above what any run here needs: only a hang reaches it. */
const HANG_MS = 60_000;

interface Ended {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
}

/** Runs the binary to its end (a hang fails the test). */
function zs(args: string[]): Ended {
  const r = spawnSync(BIN, args, { encoding: "utf8", timeout: HANG_MS, killSignal: "SIGKILL" });
  assert.notEqual(r.signal, "SIGKILL", `${args.join(" ")}: hung`);
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** Starts the binary; `done` settles when it has ended (killed after HANG_MS). */
function start(
  args: string[],
  env: Record<string, string> = {},
): { pid: number; done: Promise<Ended> } {
  const child = spawn(BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
  const done = new Promise<Ended>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
  return { pid: child.pid!, done };
}

/**
 * Starts gc with its pause seam set to `phase` after `n` sessions, and
 * resolves once it has paused there. Fails if the run ends first.
 */
async function pausedAt(
  work: string,
  args: string[],
  phase: PausePhase,
  n: number,
): Promise<{ pid: number; done: Promise<Ended> }> {
  const fifo = fifoNote(work, `pause-${phase}-${n}-${++pauses}.fifo`);
  const run = start(args, { [GC_PAUSE_VARIABLE]: `${phase}:${n}:${fifo.path}` });
  const ended = run.done.then(async (r) => {
    await fifo.close();
    return r;
  });
  const note = await Promise.race([fifo.note, ended]);
  if (typeof note !== "string" || note !== `paused ${phase} ${n}\n`) {
    throw new Error(`gc did not pause at ${phase} ${n}: ${JSON.stringify(note)}`);
  }
  return run;
}
let pauses = 0;

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * A home of `n` sessions of about `bytes` each, spread over three projects,
 * all long outside the grace period, with assorted modes. `random` makes
 * them incompressible (to fill a disk through gzip). Returns the home and
 * each session's `<key>/<name>` with its SHA-256, mode and mtime.
 */
async function makeHome(work: string, n: number, bytes: number, random = false) {
  const home = join(work, "home");
  const files = new Map<string, { sha: string; mode: number; mtimeMs: number }>();
  for (let i = 1; i <= n; i++) {
    const cwd = CWDS[i % CWDS.length];
    const id = `${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
    const dir = join(home, "sessions", projectKey(cwd));
    await mkdir(dir, { recursive: true });
    const name = `20260922-120509-${id.slice(0, 8)}.jsonl`;
    const lines = [metaLine({ id, cwd })];
    let size = lines[0].length;
    for (let turn = 0; size < bytes; turn++) {
      const text = random
        ? randomBytes(48_000).toString("base64")
        : `turn ${turn} of session ${i}: ${"the quick brown fox ".repeat(3_000)}`;
      const line = messageLine(turn % 2 ? "assistant" : "user", text);
      lines.push(line);
      size += line.length + 1;
    }
    const data = new TextEncoder().encode(lines.join("\n") + "\n");
    const path = join(dir, name);
    await writeFile(path, data);
    const mode = i % 2 ? 0o600 : 0o644;
    await chmod(path, mode);
    const t = (fsNow() - 30 * DAY - i * 60_000) / 1000;
    await utimes(path, t, t);
    files.set(`${projectKey(cwd)}/${name}`, {
      sha: sha(data),
      mode,
      mtimeMs: Math.floor((await stat(path)).mtimeMs),
    });
  }
  return { home, files };
}

/** `<key>/<name>` → path of every file in `<root>/sessions/<key>/`. */
async function filesUnder(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const dir = join(root, "sessions");
  if (!existsSync(dir)) return out;
  for (const key of await readdir(dir)) {
    if (!(await stat(join(dir, key))).isDirectory()) continue;
    for (const name of await readdir(join(dir, key))) {
      out.set(`${key}/${name}`, join(dir, key, name));
    }
  }
  return out;
}

/**
 * Every session is whole exactly once, in the home or in the archive (as
 * `.jsonl` or `.jsonl.gz`), keeping its mode and mtime once archived; no
 * temporary, no lock, nothing else.
 */
async function assertEachOnce(
  home: string,
  archive: string,
  files: Map<string, { sha: string; mode: number; mtimeMs: number }>,
  what: string,
) {
  const inHome = await filesUnder(home);
  const inArchive = await filesUnder(archive);
  const lockFiles = (await readdir(join(home, "sessions"))).filter((n) => n.startsWith(LOCK_NAME));
  assert.deepEqual(lockFiles, [], `${what}: no lock left`);
  const temps = [...inArchive.keys()].filter((k) => k.includes(TEMP_MARK));
  assert.deepEqual(temps, [], `${what}: no temporary left`);
  let archived = 0;
  for (const [rel, want] of files) {
    const places = [
      inHome.get(rel),
      inArchive.get(rel),
      inArchive.get(rel + ".gz"),
    ].filter((p) => p !== undefined);
    assert.equal(places.length, 1, `${what}: ${rel} is in ${places.length} places: ${places}`);
    const [path] = places;
    const raw = await readFile(path);
    const content = path.endsWith(".gz") ? gunzipSync(raw) : raw;
    assert.equal(sha(content), want.sha, `${what}: ${path} holds the session`);
    const s = await stat(path);
    assert.equal(Math.floor(s.mtimeMs), want.mtimeMs, `${what}: ${path} keeps its mtime`);
    assert.equal(s.mode & 0o777, want.mode, `${what}: ${path} keeps its mode`);
    if (!inHome.has(rel)) archived++;
  }
  const known = new Set([...files.keys()].flatMap((k) => [k, k + ".gz"]));
  for (const rel of [...inHome.keys(), ...inArchive.keys()]) {
    assert.ok(known.has(rel), `${what}: unexpected file ${rel}`);
  }
  return archived;
}

async function withWork(fn: (work: string) => Promise<void>): Promise<void> {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" first`);
  const work = await mkdtemp(join(tmpdir(), "zot-gc-faults-"));
  try {
    await fn(work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** An archive directory on another file system than the home, or null. */
async function otherFileSystem(): Promise<string | null> {
  const shm = "/dev/shm";
  if (!existsSync(shm) || statSync(shm).dev === statSync(tmpdir()).dev) return null;
  return await mkdtemp(join(shm, "zot-arch-"));
}

describe("e2e: gc on a full archive disk", () => {
  it("exit 1, no space left on device, no partial file, the original untouched, the lock released", async (t) => {
    const why = tmpfsUnavailable();
    if (why) return skipNow(t, why, { needs: true });
    for (const compress of [true, false]) {
      await withWork(async (work) => {
        // One session of 3 MB that gzip cannot shrink below the 2 MB disk.
        const { home, files } = await makeHome(work, 1, 3_000_000, true);
        await withTmpfs("2m", async (archive) => {
          const args = ["gc", "--home", home, "--all-sessions", "--archive", archive, "--yes"];
          const r = zs(compress ? [...args, "--compress"] : args);
          assert.equal(r.code, 1, r.err);
          assert.match(
            r.err,
            /^zot-sessions: warning: Cannot archive ".*": no space left on device$/m,
          );
          assert.doesNotMatch(r.err, /does not match/);
          assert.equal(
            await assertEachOnce(home, archive, files, `compress ${compress}`),
            0,
            "nothing archived",
          );
        });
        // The lock is gone: a run to an archive with room does it.
        const roomy = join(work, "archive");
        const r = zs(["gc", "--home", home, "--all-sessions", "--archive", roomy, "--yes"]);
        assert.equal(r.code, 0, r.err);
        assert.equal(await assertEachOnce(home, roomy, files, "roomy"), 1);
      });
    }
  });
});

describe("e2e: gc interrupted", () => {
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    it(`${sig} during a copy: exit 1, the partial copy and the lock removed, every session once`, async () => {
      await withWork(async (work) => {
        const { home, files } = await makeHome(work, 8, 300_000, true);
        const archive = join(work, "archive");
        const args = ["gc", "--home", home, "--all-sessions", "--archive", archive, "--compress"];
        // Paused while the fourth session's copy is under way: its
        // temporary exists, three sessions are in the archive.
        const run = await pausedAt(work, [...args, "--yes"], "copy", 3);
        const during = [...(await filesUnder(archive)).keys()];
        assert.equal(during.filter((k) => k.includes(TEMP_MARK)).length, 1, during.join(" "));
        process.kill(run.pid, sig);
        const r = await run.done;
        assert.equal(r.signal, null, `ended by itself, not by ${r.signal}`);
        assert.equal(r.code, 1, r.err);
        assert.match(
          r.err,
          new RegExp(
            `^zot-sessions: Cannot complete the clean-up: interrupted by ${sig} after 3 of 8 sessions`,
            "m",
          ),
        );
        assert.equal(await assertEachOnce(home, archive, files, sig), 3);
        const again = zs([...args, "--yes"]);
        assert.equal(again.code, 0, again.err);
        assert.equal(again.err, "", "the next run has nothing to take over or clean");
        assert.equal(await assertEachOnce(home, archive, files, `${sig}, then again`), files.size);
      });
    });
  }

  // SIGKILL cannot be caught: a run can die anywhere, leaving a temporary, a
  // lock, a hard link beside its original or a complete copy beside it. The
  // next run must finish the job whatever it finds. Each trial kills a run
  // paused at a point chosen by a seeded generator among those its way of
  // archiving passes through.
  const SEED = 0x2026_1207;
  const variants: { name: string; compress: boolean; otherFs: boolean; at: PausePhase[] }[] = [
    {
      name: "plain, one file system (hard links)",
      compress: false,
      otherFs: false,
      at: ["move", "linked"],
    },
    { name: "compressed", compress: true, otherFs: false, at: ["move", "copy", "placed"] },
    {
      name: "plain, across file systems (copies)",
      compress: false,
      otherFs: true,
      at: ["move", "copy", "placed"],
    },
  ];
  for (const [vi, v] of variants.entries()) {
    it(`SIGKILL at chosen points, ${v.name}: the next run finishes, every session once`, async (t) => {
      const SESSIONS = 12;
      const random = seededRandom(SEED + vi);
      t.diagnostic(`seed ${SEED + vi}`);
      // With the lock held before any session, then once at each point this
      // way of archiving passes through, after a seeded number of sessions.
      const points: [PausePhase, number][] = [
        ["move", 0],
        ...v.at.map((p): [PausePhase, number] => [p, random.int(SESSIONS)]),
      ];
      for (const [i, [phase, n]] of points.entries()) {
        const trial = i + 1;
        const what = `trial ${trial}: killed at ${phase} after ${n}`;
        t.diagnostic(what);
        const shm = v.otherFs ? await otherFileSystem() : null;
        if (v.otherFs && shm === null) {
          return skipNow(t, "needs /dev/shm on another file system than the temporary directory", {
            needs: true,
          });
        }
        await withWork(async (work) => {
          const { home, files } = await makeHome(work, SESSIONS, 200_000);
          const archive = shm ?? join(work, "archive");
          try {
            const args = ["gc", "--home", home, "--all-sessions", "--archive", archive, "--yes"];
            if (v.compress) args.push("--compress");
            const run = await pausedAt(work, args, phase, n);
            process.kill(run.pid, "SIGKILL");
            const killed = await run.done;
            assert.equal(killed.signal, "SIGKILL", `${what}: ${killed.err}`);
            // The kill landed mid-run: the sessions before it are in the
            // archive, the lock is still there.
            const left = await readdir(join(home, "sessions"));
            assert.ok(left.includes(LOCK_NAME), `${what}: the lock is left`);
            const inArchive = [...(await filesUnder(archive)).keys()];
            const whole = inArchive.filter((k) => !k.includes(TEMP_MARK));
            const expected = phase === "linked" || phase === "placed" ? n + 1 : n;
            assert.equal(whole.length, expected, `${what}: ${inArchive.join(" ")}`);
            const again = zs(args);
            assert.equal(again.code, 0, `${what}: ${again.err}`);
            assert.doesNotMatch(again.err, /Cannot|EEXIST/, what);
            assert.equal(await assertEachOnce(home, archive, files, what), SESSIONS);
          } finally {
            if (shm) await rm(shm, { recursive: true, force: true });
          }
        });
      }
    });
  }
});

describe("e2e: gc arguments that would quietly do too much", () => {
  it("a zero limit, an empty --archive, the home as archive: exit 2, nothing touched", async () => {
    await withWork(async (work) => {
      const { home, files } = await makeHome(work, 3, 1_000);
      for (
        const args of [
          ["--older-than", "0"],
          ["--keep-last", "0"],
          ["--max-size", "0"],
          ["--all-sessions", "--archive", ""],
          ["--all-sessions", "--archive", home, "--compress"],
          ["--all-sessions", "--archive", join(home, "sessions")],
        ]
      ) {
        const r = zs(["gc", "--home", home, "--yes", ...args]);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
        assert.match(r.err, /^zot-sessions: Cannot /);
        assert.equal(r.out, "");
      }
      assert.equal(await assertEachOnce(home, join(work, "none"), files, "refused"), 0);
      assert.ok(!existsSync(join(process.cwd(), "sessions")), "nothing archived into the cwd");
    });
  });
});
