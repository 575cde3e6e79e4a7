/**
 * End-to-end tests of output that cannot be written (issue 9, item 1):
 * stdout or stderr on a full device (`/dev/full`), and a pipe closed by its
 * reader. Each run has a time limit, so a hang fails the test instead of
 * stalling the suite; a run that hit it is reported as a hang.
 *
 * Expected: one line on stderr when it can be written, exit 1, gc's lock
 * released; a closed pipe ends quietly with exit 0.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, openSync } from "node:fs";
import { appendFile, readdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { LOCK_NAME } from "../../lib/gc/lock.ts";
import { writeLargeSession } from "../helpers/transcripts.ts";
import { BIN, exampleWorkdir, ROOT } from "./harness.ts";
import { spawn, spawnSync } from "../helpers/spawn.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");
const BUN = join(ROOT, "node_modules", ".bin", "bun");
/** Far above what any of these runs needs: only a hang reaches it. */
const HANG_MS = 30_000;
const FULL = "/dev/full";
const STDOUT_FULL = "zot-sessions: Cannot write to standard output: no space left on device\n";

/** The binary, and the CLI under Deno and Bun: their streams fail differently. */
const RUNTIMES: [string, string[]][] = [
  ["binary", [BIN]],
  ["deno", [DENO, "run", "-A", join(ROOT, "main.ts")]],
  ["bun", [BUN, join(ROOT, "main.ts")]],
];

interface Ended {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs a command with stdout and/or stderr on `/dev/full` (the other one
 * captured), failing the test if it has not ended within HANG_MS.
 */
function runFull(
  cmd: string[],
  args: string[],
  full: { stdout?: boolean; stderr?: boolean },
  env: Record<string, string> = {},
): Ended {
  const sink = () => openSync(FULL, "w");
  const r = spawnSync(cmd[0], [...cmd.slice(1), ...args], {
    encoding: "utf8",
    env,
    stdio: ["ignore", full.stdout ? sink() : "pipe", full.stderr ? sink() : "pipe"],
    timeout: HANG_MS,
    killSignal: "SIGKILL",
  });
  assert.notEqual(r.signal, "SIGKILL", `${args.join(" ")}: hung (killed after ${HANG_MS} ms)`);
  return { code: r.status, out: r.stdout ?? "", err: r.stderr ?? "" };
}

/** Runs the binary with stdout a pipe whose reader has gone; the run's code and stderr. */
function runClosedPipe(args: string[], env: Record<string, string>): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.destroy(); // the reader is gone before the first write
    let err = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") reject(new Error(`${args.join(" ")}: hung`));
      else resolve({ code, out: "", err });
    });
  });
}

/** A fresh example home; one of its sessions gets a damaged line (a warning). */
async function homeWithDamage() {
  const w = await exampleWorkdir();
  const sessions = join(w.example, "sessions");
  const key = (await readdir(sessions)).sort()[0];
  const file = join(sessions, key, (await readdir(join(sessions, key))).sort()[0]);
  return { ...w, file, damage: () => appendFile(file, "{damaged\n") };
}

describe("e2e: stdout on a full device", () => {
  it("ls, ls --json, cost, show and gc's plan say so in one line and exit 1 (binary)", async () => {
    const w = await homeWithDamage();
    try {
      for (
        const args of [
          ["ls", "--all"],
          ["ls", "--all", "--json"],
          ["cost", "--all"],
          ["cost", "--all", "--by", "session", "--json"],
          ["show", w.file],
          ["show", w.file, "--raw"],
          ["gc", "--all-sessions"],
          ["--version"],
          ["ls", "--help"],
        ]
      ) {
        const r = runFull([BIN], args, { stdout: true }, w.env);
        assert.deepEqual([r.code, r.err], [1, STDOUT_FULL], args.join(" "));
      }
    } finally {
      await w.cleanup();
    }
  });

  for (const [name, cmd] of RUNTIMES) {
    it(`ls and show (${name})`, async () => {
      const w = await homeWithDamage();
      try {
        for (const args of [["ls", "--all"], ["show", w.file]]) {
          const r = runFull(cmd, args, { stdout: true }, w.env);
          assert.deepEqual([r.code, r.err], [1, STDOUT_FULL], args.join(" "));
        }
      } finally {
        await w.cleanup();
      }
    });
  }

  it("gc --yes removes, then fails on its summary: exit 1, lock released, the next gc acts", async () => {
    const w = await exampleWorkdir();
    try {
      const sessions = join(w.example, "sessions");
      const count = async () => {
        let n = 0;
        for (const k of await readdir(sessions)) n += (await readdir(join(sessions, k))).length;
        return n;
      };
      const before = await count();
      const r = runFull([BIN], ["gc", "--older-than", "30d", "--yes"], { stdout: true }, w.env);
      assert.deepEqual([r.code, r.err], [1, STDOUT_FULL]);
      const after = await count();
      assert.ok(after < before && after > 0, `${before} → ${after} sessions`);
      assert.ok(!existsSync(join(sessions, LOCK_NAME)), "the lock is released");
      const next = runFull([BIN], ["gc", "--all-sessions", "--yes"], {}, w.env);
      assert.equal(next.code, 0, next.err);
      assert.equal(next.err, "", "no other gc is said to be running");
      assert.match(next.out, new RegExp(`^Removed ${after} session`));
    } finally {
      await w.cleanup();
    }
  });
});

describe("e2e: stderr on a full device", () => {
  for (const [name, cmd] of RUNTIMES) {
    it(`a warning that cannot be written: ls and cost exit 1 (${name})`, async () => {
      const w = await homeWithDamage();
      try {
        for (const args of [["ls", "--all"], ["cost", "--all"]]) {
          assert.equal(runFull(cmd, args, {}, w.env).code, 0, `${args}: clean home`);
        }
        await w.damage();
        for (const args of [["ls", "--all"], ["cost", "--all"]]) {
          const ok = runFull(cmd, args, {}, w.env);
          // Line by line the first time, in one line the next (issue 22, item 6).
          assert.match(
            ok.err,
            /warning: (?:Cannot read line|1 session has damaged lines)/,
            "the damage is warned about",
          );
          const r = runFull(cmd, args, { stderr: true }, w.env);
          assert.equal(r.code, 1, args.join(" "));
        }
      } finally {
        await w.cleanup();
      }
    });
  }

  it("an error message that cannot be written still exits with its code", async () => {
    const w = await exampleWorkdir();
    try {
      assert.equal(runFull([BIN], ["show", "ffffffff"], { stderr: true }, w.env).code, 1);
      assert.equal(runFull([BIN], ["ls", "--no-such-flag"], { stderr: true }, w.env).code, 2);
    } finally {
      await w.cleanup();
    }
  });

  it("gc --yes whose warning cannot be written: exit 1, lock released, the next gc acts", async () => {
    const w = await exampleWorkdir();
    try {
      const sessions = join(w.example, "sessions");
      const key = (await readdir(sessions)).sort()[0];
      // A link among the sessions is never followed, and is warned about.
      await symlink("/etc/hostname", join(sessions, key, "20260101-000000-deadbeef.jsonl"));
      const r = runFull([BIN], ["gc", "--all-sessions", "--yes"], { stderr: true }, w.env);
      assert.equal(r.code, 1);
      assert.ok(!existsSync(join(sessions, LOCK_NAME)), "the lock is released");
      const next = runFull([BIN], ["gc", "--all-sessions", "--yes"], {}, w.env);
      assert.equal(next.code, 0, next.err);
      assert.doesNotMatch(next.err, /Another gc/);
      assert.match(next.out, /^Removed [1-9]\d* session/);
    } finally {
      await w.cleanup();
    }
  });
});

describe("e2e: a pipe closed by its reader", () => {
  it("show, ls and gc --yes end quietly with 0; gc releases its lock", async () => {
    const w = await exampleWorkdir();
    try {
      const big = join(w.work, "big.jsonl");
      await writeLargeSession(big, "0e19aaaa-0000-4000-8000-000000000001", "/p", 2_000_000);
      for (const args of [["show", big], ["show", big, "--raw"], ["ls", "--all"]]) {
        const r = await runClosedPipe(args, w.env);
        assert.deepEqual([r.code, r.err], [0, ""], args.join(" "));
      }
      const r = await runClosedPipe(["gc", "--all-sessions", "--yes", "--json"], w.env);
      assert.deepEqual([r.code, r.err], [0, ""]);
      assert.ok(!existsSync(join(w.example, "sessions", LOCK_NAME)), "the lock is released");
    } finally {
      await w.cleanup();
    }
  });
});
