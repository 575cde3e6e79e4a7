/**
 * `statusline` in process (runCli on a memory IO, the clock pinned at
 * tests/helpers/status_home.ts's NOW): its figures are the hand-computed
 * ones, and equal `cost --all --since today`'s total and `ls --json`'s
 * newest session's `spend.costUsd` to the cent; budgets; `--format`;
 * failures; and a cold index answered stale (`~`) then caught up.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withHomes } from "../helpers/fixtures.ts";
import { cliWith } from "../helpers/cli.ts";
import { A, B, EXPECTED, IDA2, NOW, STATUS_HOME, writeConfig } from "../helpers/status_home.ts";

const cli = cliWith({ now: NOW, processCwd: A, env: { TZ: "UTC" } });
const cents = (usd: number) => Math.round(usd * 100);

/** `statusline --json`'s document, checked to have succeeded quietly. */
async function status(home: string, ...more: string[]) {
  const r = await cli(["statusline", "--home", home, "--json", ...more]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  return JSON.parse(r.out);
}

describe("statusline", () => {
  it("shows today, the newest session, the burn rate: the hand-computed figures", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      const s = await status(h.home);
      assert.deepEqual(
        [s.todayUsd, s.sessionUsd, s.sessionId, s.projectUsd, s.burnUsdPerHour, s.budget, s.stale],
        [
          EXPECTED.todayUsd,
          EXPECTED.sessionUsd,
          IDA2,
          EXPECTED.projectUsd,
          EXPECTED.burnUsdPerHour,
          null,
          [],
        ],
      );
      const text = await cli(["statusline", "--home", h.home]);
      assert.equal(text.out, "$3.25 today · $0.40 session · $0.75/h\n");
    });
  });

  it("equals cost --all --since today, cost --since today and ls --json to the cent", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      const s = await status(h.home);
      const cost = async (...args: string[]) => {
        const r = await cli(["cost", "--home", h.home, "--json", ...args]);
        assert.equal(r.code, 0, r.err);
        return JSON.parse(r.out).total.costUsd;
      };
      assert.equal(cents(s.todayUsd), cents(await cost("--all", "--since", "today")));
      assert.equal(cents(s.projectUsd), cents(await cost("--since", "today")));
      assert.equal(cents(s.burnUsdPerHour), cents(await cost("--all", "--since", "1h")));
      const ls = JSON.parse((await cli(["ls", "--home", h.home, "--json"])).out);
      assert.equal(s.sessionId, ls[0].id);
      assert.equal(cents(s.sessionUsd), cents(ls[0].spend.costUsd));
    });
  });

  it("--cwd names the project; one with no session shows no session figure", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      const s = await status(h.home, "--cwd", B);
      assert.equal(cents(s.projectUsd), 210); // SB1: $2.00 + $0.10
      const none = await cli(["statusline", "--home", h.home, "--cwd", "/home/dev/nothing"]);
      assert.equal(none.out, "$3.25 today · $0.75/h\n");
    });
  });

  it("shows the budget nearest its limit, from the config file", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      // daily 3.25/5 = 65%, weekly 4.25/10 = 42.5%, monthly 9.25/10 = 92.5%,
      // project A daily 1.15/1 = 115%: A's is the nearest (past) its limit.
      await writeConfig(h.home, {
        budgets: { daily: 5, weekly: 10, monthly: 10, projects: { [A]: { daily: 1 } } },
      });
      const s = await status(h.home);
      // Projected: $1.15 in the 12 hours since midnight, so $2.30 by midnight.
      assert.deepEqual(s.budget, {
        period: "day",
        limitUsd: 1,
        usedUsd: 1.15,
        projectedUsd: 2.3,
        project: A,
      });
      const text = await cli(["statusline", "--home", h.home]);
      assert.equal(text.out, "$3.25 today · $0.40 session · $0.75/h · 115% of $1 daily\n");
      // From project B, A's budget does not apply: the monthly one is nearest.
      const fromB = await cli(["statusline", "--home", h.home, "--cwd", B]);
      assert.match(fromB.out, / · 93% of \$10 monthly\n$/);
    });
  });

  it("--format fills in its fields", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      await writeConfig(h.home, { budgets: { weekly: 10 } });
      const r = await cli([
        "statusline",
        "--home",
        h.home,
        "--format",
        "{today}/{project}/{session} {id} {burn} [{budget}] {budget_pct} {budget_used} {budget_limit} {budget_projected} {period}{stale} {{}}",
      ]);
      // The week: $4.25 (42.5%, shown 43%) in 2.5 of its 7 days: $11.90 at that pace.
      assert.equal(
        r.out,
        "$3.25/$1.15/$0.40 a2a2a2a2 $0.75/h [43% of $10 weekly] 43% $4.25 $10 $11.90 weekly {}\n",
      );
    });
  });

  it("fails with nothing on stdout and one line on stderr", async () => {
    const missing = await cli(["statusline", "--home", "/nonexistent/zot-home"]);
    assert.deepEqual([missing.code, missing.out], [1, ""]);
    assert.equal(missing.err.split("\n").length, 2, missing.err); // one line and its newline
    assert.match(missing.err, /^zot-sessions: Cannot read zot home "\/nonexistent\/zot-home"/);
    await withHomes([STATUS_HOME()], async (h) => {
      await writeConfig(h.home, { budgets: { daily: "lots" } });
      const bad = await cli(["statusline", "--home", h.home]);
      assert.deepEqual([bad.code, bad.out], [2, ""]);
      assert.match(
        bad.err,
        /^zot-sessions: Cannot read config ".*": line 3, column 14: "budgets.daily" must be a positive number of dollars/,
      );
      assert.equal(bad.err.split("\n").length, 2, bad.err);
    });
    const template = await cli(["statusline", "--format", "{todya}"]);
    assert.deepEqual([template.code, template.out], [2, ""]);
    assert.match(template.err, /unknown field "todya"/);
  });

  it("on a cold index reads within its budget, marks the rest ~, and catches up run by run", async () => {
    const cache = await mkdtemp(join(tmpdir(), "zot-status-cache-"));
    try {
      await withHomes([STATUS_HOME()], async (h) => {
        // One byte a run: each run reads one file (the first it asks for),
        // and answers the others from the index as it stands.
        const env = {
          ZOT_SESSIONS_NO_INDEX: "",
          ZOT_SESSIONS_CACHE: cache,
          ZOT_SESSIONS_STATUSLINE_BYTES: "1",
        };
        const runs: { stale: string[]; todayUsd: number }[] = [];
        for (let i = 0; i < 6; i++) {
          const r = await cli(["statusline", "--home", h.home, "--json"], { env });
          assert.equal(r.code, 0, r.err);
          runs.push(JSON.parse(r.out));
          if (runs.at(-1)!.stale.length === 0) break;
        }
        assert.ok(runs[0].stale.includes("today"), JSON.stringify(runs[0]));
        assert.ok(runs[0].todayUsd < EXPECTED.todayUsd, "the cold run counts only what it read");
        // A fresh cache, from project B: the one file read is SA2 (the
        // newest); B's newest session is in a file not read yet.
        const text = await cli(["statusline", "--home", h.home, "--cwd", B], {
          env: { ...env, ZOT_SESSIONS_CACHE: cache + "-other" },
        });
        assert.equal(text.out, "~$0.40 today · ~$0.00 session · ~$0.40/h\n");
        const last = runs.at(-1)!;
        assert.deepEqual(last.stale, [], `caught up within ${runs.length} runs`);
        assert.ok(runs.length > 1 && runs.length <= 4, `${runs.length} runs for 3 files of today`);
        assert.equal(last.todayUsd, EXPECTED.todayUsd);
      });
    } finally {
      await rm(cache, { recursive: true, force: true });
      await rm(cache + "-other", { recursive: true, force: true });
    }
  });
});
