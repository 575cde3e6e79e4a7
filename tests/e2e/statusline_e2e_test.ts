/**
 * `statusline` and the budgets through the binary (`npm run build` first),
 * on the status home (tests/helpers/status_home.ts) read at its NOW: the
 * figures equal `cost` and `ls` to the cent; a failure is one line on
 * stderr and nothing on stdout; a cold cache answers at once, marked `~`,
 * and later runs catch up; `cost --budget` and `--check-budgets -q` exit 3
 * when over; `cost --watch` draws only when something changed (held
 * between two looks by the pause seam, lib/index/pause.ts).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BIN, run } from "./harness.ts";
import { spawn } from "../helpers/spawn.ts";
import { pausePoint } from "../helpers/pause.ts";
import { withHomes } from "../helpers/fixtures.ts";
import {
  A,
  EXPECTED,
  IDA2,
  NOW_ISO,
  SB1_MORE,
  STATUS_HOME,
  writeConfig,
} from "../helpers/status_home.ts";

const ENV = { ZOT_SESSIONS_NOW: NOW_ISO, TZ: "UTC" };
const cents = (usd: number) => Math.round(usd * 100);
const bin = (args: string[], env: Record<string, string> = {}) =>
  run(BIN, args, { ...ENV, ...env });

describe("e2e: statusline", () => {
  it("equals cost --all --since today and ls --json's newest session, to the cent", async () => {
    await withHomes([STATUS_HOME()], (h) => {
      const s = bin(["statusline", "--home", h.home, "--cwd", A, "--json"]);
      assert.equal(s.code, 0, s.err);
      assert.equal(s.err, "");
      const status = JSON.parse(s.out);
      const cost = JSON.parse(
        bin(["cost", "--all", "--since", "today", "--home", h.home, "--json"]).out,
      );
      const ls = JSON.parse(bin(["ls", "--home", h.home, "--cwd", A, "--json"]).out);
      assert.equal(cents(status.todayUsd), cents(cost.total.costUsd));
      assert.equal(cents(status.todayUsd), cents(EXPECTED.todayUsd));
      assert.equal(status.sessionId, ls[0].id);
      assert.equal(status.sessionId, IDA2);
      assert.equal(cents(status.sessionUsd), cents(ls[0].spend.costUsd));
      assert.equal(cents(status.sessionUsd), cents(EXPECTED.sessionUsd));
      const text = bin(["statusline", "--home", h.home, "--cwd", A]);
      assert.equal(text.out, "$3.25 today · $0.40 session · $0.75/h\n");
    });
  });

  it("fails with nothing on stdout, one line on stderr, exit 1, no stack trace", () => {
    const r = bin(["statusline", "--home", "/nonexistent/zot-home"]);
    assert.deepEqual([r.code, r.out], [1, ""]);
    assert.match(r.err, /^zot-sessions: Cannot read zot home "\/nonexistent\/zot-home": [^\n]+\n$/);
  });

  it("answers a cold cache at once, marked ~, and catches up over the next runs", async () => {
    const cache = await mkdtemp(join(tmpdir(), "zot-status-e2e-"));
    try {
      await withHomes([STATUS_HOME()], (h) => {
        const env = { ZOT_SESSIONS_CACHE: cache, ZOT_SESSIONS_STATUSLINE_BYTES: "1" };
        const args = ["statusline", "--home", h.home, "--cwd", A];
        const first = bin(args, env);
        assert.equal(first.code, 0, first.err);
        assert.match(first.out, /^~\$\d+\.\d\d today · /);
        const lines = [first.out];
        for (let i = 0; i < 4 && lines.at(-1)!.includes("~"); i++) lines.push(bin(args, env).out);
        assert.equal(lines.at(-1), "$3.25 today · $0.40 session · $0.75/h\n", lines.join(""));
      });
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});

describe("e2e: budgets", () => {
  it("cost --budget exits 3 over and 0 within, with one line", async () => {
    await withHomes([STATUS_HOME()], (h) => {
      const over = bin(["cost", "--all", "--since", "today", "--home", h.home, "--budget", "3"]);
      assert.deepEqual(over, {
        code: 3,
        out: "Over budget: $3.25 of $3.00 today (+$0.25); on pace for $6.50 by midnight\n",
        err: "",
      });
      const within = bin(["cost", "--all", "--since", "today", "--home", h.home, "--budget", "4"]);
      assert.equal(within.code, 0);
      assert.match(within.out, /^Within budget: \$3\.25 of \$4\.00 today \(\$0\.75 left\)/);
    });
  });

  it("cost --check-budgets -q prints only the budgets over and exits 3", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      await writeConfig(h.home, { budgets: { daily: 10, projects: { [A]: { daily: 1 } } } });
      const r = bin(["cost", "--home", h.home, "--check-budgets", "-q"]);
      assert.deepEqual(r, {
        code: 3,
        out: `Over budget: $1.15 of $1.00 today in ${A} (+$0.15); on pace for $2.30 by midnight\n`,
        err: "",
      });
      const s = JSON.parse(bin(["statusline", "--home", h.home, "--cwd", A, "--json"]).out);
      assert.deepEqual([s.budget.usedUsd, s.budget.limitUsd], [1.15, 1]);
    });
  });

  it("cost --watch draws again only when something changed; SIGTERM ends it with 0", {
    timeout: 30_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "zot-watch-"));
    try {
      await withHomes([STATUS_HOME()], async (h) => {
        // Held before the third look: the first drew, the second found no change.
        const pause = pausePoint(dir, "watch@3");
        const child = spawn(BIN, ["cost", "--all", "--home", h.home, "--watch", "0.1"], {
          env: { ...ENV, ZOT_SESSIONS_TEST_PAUSE: pause.spec },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout!.setEncoding("utf8");
        child.stderr!.setEncoding("utf8");
        const grew = new Set<() => void>();
        child.stdout!.on("data", (d: string) => {
          out += d;
          for (const wake of grew) wake();
        });
        child.stderr!.on("data", (d: string) => (err += d));
        const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
        const printed = (text: string) =>
          new Promise<void>((resolve) => {
            const check = () => out.includes(text) && (grew.delete(check), resolve());
            grew.add(check);
            check();
          });
        try {
          assert.equal(await pause.reached(child), "watch", err);
          await appendFile(h.path(STATUS_HOME()[2]), SB1_MORE);
          await pause.resume();
          await printed("$9.30 in 4 sessions");
          await printed("Burn rate $0.80/h");
          // Two reports: the first look's and the changed one; the second
          // look, with nothing new, drew nothing.
          assert.equal(out.split("Burn rate").length - 1, 2, out);
          assert.match(out, /^All projects · all time · UTC\nTotal +\$9\.25 in 4 sessions\n/);
          // process.kill: Deno's child.kill reports a signal death whatever the exit status.
          process.kill(child.pid!, "SIGTERM");
          assert.equal(await exited, 0, err);
          assert.equal(err, "");
        } finally {
          if (child.exitCode === null) child.kill("SIGKILL");
        }
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
