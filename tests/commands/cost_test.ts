/**
 * `zot-sessions cost` as the user meets it, run in process (runCli +
 * memoryIO, a fixed now) on the homes of tests/helpers/cost_home.ts:
 * `--json`'s document, what the flags reach (scope, `--tz`, `$TZ`,
 * `--week-start`, `--by`, `--session`, several `--home`, `--sort`,
 * `--limit`, `--reverse`), fork sessions' rows, and the usage errors. What
 * the run and the report compute is tested as tables in tests/cost/
 * (compute_test.ts: files, ranges, order and cuts; report_test.ts: periods
 * in zones, groupings, unpriced tokens); ranges, text and CSV, and sums are
 * in cost_range_test.ts, cost_text_test.ts and cost_sums_test.ts beside
 * this file.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { messageLine, metaLine, renameLine, usageLine, withHomes } from "../helpers/fixtures.ts";
import {
  A,
  assertRowsSumTo,
  B,
  cli,
  type CostJson,
  costJson,
  f,
  f1,
  f3,
  f4,
  ID1,
  ID2,
  ID3,
  ID4,
  ID5,
  ID6,
  ID8,
  inA,
  inAll,
  keyCost,
  MAIN,
  MONTH_END,
  row,
  S6,
  session,
  SONNET,
  sums,
  TOTAL_A,
  TOTAL_ALL,
} from "../helpers/cost_home.ts";

describe("cost --json", () => {
  it("prints exactly {scope, since, until, tz, total, rows} with the documented total fields", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(inA(h));
      assert.deepEqual(Object.keys(j), ["scope", "since", "until", "tz", "total", "rows"]);
      assert.deepEqual(Object.keys(j.total), [
        "costUsd",
        "inputTokens",
        "outputTokens",
        "cacheReadTokens",
        "cacheWriteTokens",
        "unpricedTokens",
        "sessions",
      ]);
      assert.deepEqual(Object.keys(j.rows[0]), ["key", ...Object.keys(j.total)]);
      assert.deepEqual(j.scope, { kind: "project", cwd: A });
      assert.equal(j.since, null);
      assert.equal(j.until, null);
      assert.equal(j.tz, "UTC");
      // Grouped by model unless asked: costliest first, an unpriced model last.
      assert.deepEqual(j.total, TOTAL_A);
      assert.deepEqual(keyCost(j.rows), [[SONNET, 2.75], ["gpt-5", 1], ["local-llama", 0]]);
    });
  });

  it("--all counts every project: scope all, one row per project", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(inAll(h, "--by", "project"));
      assert.deepEqual(j.scope, { kind: "all" });
      assert.deepEqual(j.total, TOTAL_ALL);
      assert.deepEqual(keyCost(j.rows), [[A, 3.75], [B, 0.5]]);
    });
  });

  it("a session whose meta line names no model or provider is grouped as (unknown)", async () => {
    const ID = "99999999-9999-4999-8999-999999999999";
    const s = session(ID, A, "2026-11-24T10:01:00Z", [
      metaLine({ id: ID, cwd: A, model: "", provider: "", started: "2026-11-24T10:00:00Z" }),
      messageLine("user", "q", "2026-11-24T10:00:00Z"),
      usageLine({ input_tokens: 7, cost_usd: 0.5 }),
    ]);
    await withHomes([[s]], async (h) => {
      for (const by of ["model", "provider"]) {
        const j = await costJson(inA(h, "--by", by));
        assert.deepEqual(j.rows, [row("(unknown)", f(0.5, 7, 0, 0, 0, 0, 1))]);
      }
    });
  });

  it("--by session: own spend per session, recordedCostUsd as zot shows it, summing to the total", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(inA(h, "--by", "session"));
      assert.deepEqual(j.total, TOTAL_A);
      assert.deepEqual(sums(j.rows), [
        row(ID3, f(1.25, 300, 40, 0, 0, 0, 1), { recordedCostUsd: 1.5 }),
        row(ID2, f(1, 1500, 150, 0, 0, 550, 1), { recordedCostUsd: 1 }),
        // equal costs: by id
        row(ID1, f(0.75, 300, 30, 1000, 0, 0, 1), { recordedCostUsd: 0.75 }),
        row(ID4, f(0.75, 150, 20, 0, 0, 0, 1), { recordedCostUsd: 2 }),
      ]);
      // The forks were recorded by zot at more than they added.
      assert.ok(j.rows[0].recordedCostUsd! > j.rows[0].costUsd);
      assert.ok(j.rows[3].recordedCostUsd! > j.rows[3].costUsd);
      // 1.25 + 1 + 0.75 + 0.75 = 3.75; 300+1500+300+150 = 2250; 40+150+30+20 = 240
      assertRowsSumTo(j.rows, j.total);
    });
  });

  it("a fork's own spend is the same with its parent's file gone", async () => {
    // The fork of a fork without its parent S3: S1 $0.75 + S4 $0.75.
    await withHomes([[f1(), f4()]], async (h) => {
      const j = await costJson(inA(h, "--by", "session"));
      assert.deepEqual(keyCost(j.rows), [[ID1, 0.75], [ID4, 0.75]]);
      assert.deepEqual(j.total, f(1.5, 450, 50, 1000, 0, 0, 2));
    });
  });

  it("--by model,session gives session children with recordedCostUsd", async () => {
    await withHomes([MAIN()], async (h) => {
      const j = await costJson(inA(h, "--by", "model,session"));
      assert.deepEqual(j.rows[0].key, SONNET);
      assert.equal(j.rows[0].recordedCostUsd, undefined);
      assert.deepEqual(sums(j.rows[0].children), [
        row(ID3, f(1.25, 300, 40, 0, 0, 0, 1), { recordedCostUsd: 1.5 }),
        row(ID1, f(0.75, 300, 30, 1000, 0, 0, 1), { recordedCostUsd: 0.75 }),
        row(ID4, f(0.75, 150, 20, 0, 0, 0, 1), { recordedCostUsd: 2 }),
      ]);
      assert.deepEqual(sums(j.rows[1].children), [
        row(ID2, f(1, 1000, 100, 0, 0, 0, 1), { recordedCostUsd: 1 }),
      ]);
      assert.deepEqual(sums(j.rows[2].children), [
        row(ID2, f(0, 500, 50, 0, 0, 550, 1), { recordedCostUsd: 1 }),
      ]);
    });
  });

  it("days in --tz, else in $TZ; weeks from --week-start", async () => {
    await withHomes([MAIN()], async (h) => {
      const byDay = ["--home", h.home, "--cwd", A, "--by", "day"];
      const berlin = await costJson(byDay, { TZ: "Europe/Berlin" });
      assert.equal(berlin.tz, "Europe/Berlin");
      // S1's 23:30Z is 00:30 in Berlin: nothing on the 20th.
      assert.deepEqual(keyCost(berlin.rows), [["2026-11-21", 1.75], ["2026-11-22", 1], [
        "2026-11-23",
        1,
      ]]);
      const utc = await costJson([...byDay, "--tz", "UTC"], { TZ: "Europe/Berlin" });
      assert.equal(utc.tz, "UTC");
      assert.equal(utc.rows[0].key, "2026-11-20");
    });
    await withHomes([MONTH_END()], async (h) => {
      const week = (...more: string[]) => costJson(inA(h, "--by", "week", ...more));
      assert.deepEqual(keyCost((await week()).rows), [["2026-W44", 1.75]]);
      // Sunday 1 November joins the week of Monday 2 November.
      assert.deepEqual(keyCost((await week("--week-start", "sunday")).rows), [
        ["2026-W44", 0.25],
        ["2026-W45", 1.5],
      ]);
    });
  });
});

describe("cost --session", () => {
  it("takes a full id, a prefix or a path, and scopes the report to that session", async () => {
    await withHomes([MAIN()], async (h) => {
      const refs = [ID3, "3333", h.path(f3())];
      for (const ref of refs) {
        const j = await costJson(inA(h, "--session", ref));
        assert.deepEqual(j.scope, { kind: "session", id: ID3 }, ref);
        assert.deepEqual(j.total, f(1.25, 300, 40, 0, 0, 0, 1), ref);
        assert.deepEqual(j.rows, [row(SONNET, f(1.25, 300, 40, 0, 0, 0, 1))], ref);
      }
    });
  });

  it("takes latest (the newest file: a session with no usage rows) and latest~1", async () => {
    await withHomes([MAIN()], async (h) => {
      const latest = await costJson(inA(h, "--session", "latest"));
      assert.deepEqual(latest.scope, { kind: "session", id: ID5 });
      assert.deepEqual(latest.total, f(0, 0, 0, 0, 0, 0, 0));
      assert.deepEqual(latest.rows, []);
      const text = await cli(["cost", ...inA(h, "--session", "latest")]);
      assert.equal(text.code, 0);
      assert.match(text.out, /^Total {3}\$0\.00 in 0 sessions$/m);
      assert.doesNotMatch(text.out, /TOTAL/); // no table without rows
      const previous = await costJson(inA(h, "--session", "latest~1"));
      assert.deepEqual(previous.scope, { kind: "session", id: ID4 });
      assert.deepEqual(previous.total, f(0.75, 150, 20, 0, 0, 0, 1));
    });
  });

  it("explains a fork's recorded total in text: what zot shows and what was copied", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", ...inA(h, "--session", ID4)]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Session 44444444-4444-4444-8444-444444444444 · all time · UTC$/m);
      assert.match(r.out, /^Total {3}\$0\.75 in 1 session$/m);
      assert.match(
        r.out,
        /^Recorded by zot: \$2\.00, of which \$1\.25 was copied from parent 33333333 at the fork$/m,
      );
    });
  });

  it("an unknown id is a runtime error (exit 1)", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", "--home", h.home, "--cwd", A, "--session", "abcdef12"]);
      assert.equal(r.code, 1);
      assert.equal(r.out, "");
      assert.match(r.err, /Cannot find session "abcdef12"/);
    });
  });
});

describe("cost with several homes", () => {
  // Home 2 holds S1 again (synced) and S8, a session only it has:
  // S8 = $0.25, 40 in, at 2026-11-24T12:00Z.
  const S8 = () =>
    session(ID8, A, "2026-11-24T12:01:00Z", [
      metaLine({ id: ID8, cwd: A, started: "2026-11-24T12:00:00Z" }),
      messageLine("user", "q", "2026-11-24T12:00:00Z"),
      usageLine({ input_tokens: 40, cost_usd: 0.25 }),
      messageLine("assistant", "a", "2026-11-24T12:00:10Z"),
    ]);

  it("counts a session synced into two homes once", async () => {
    await withHomes([MAIN(), [f1(), S8()]], async (h1, h2) => {
      const j = await costJson([
        "--home",
        h1.home,
        "--home",
        h2.home,
        "--cwd",
        A,
        "--tz",
        "UTC",
        "--by",
        "session",
      ]);
      // 3.75 + 0.25; S1 once at $0.75
      assert.deepEqual(j.total, f(4, 2290, 240, 1000, 0, 550, 5));
      assert.deepEqual(keyCost(j.rows), [[ID3, 1.25], [ID2, 1], [ID1, 0.75], [ID4, 0.75], [
        ID8,
        0.25,
      ]]);
      assertRowsSumTo(j.rows, j.total);
    });
  });
});

describe("cost --by session", () => {
  const keys = (j: CostJson) => j.rows.map((r) => r.key.slice(0, 8));

  it("JSON session rows carry title, first prompt, project, start and last activity", async () => {
    const named = session(ID6, B, "2026-11-24T10:01:00Z", [...S6, renameLine("named one")]);
    await withHomes([[f3(), named]], async (h) => {
      const j = await costJson(inAll(h, "--by", "session"));
      const [s6, s3] = [j.rows.find((r) => r.key === ID6)!, j.rows.find((r) => r.key === ID3)!];
      assert.deepEqual(
        [s6.title, s6.firstPrompt, s6.cwd, s6.started, s6.updated],
        ["named one", "q", B, "2026-11-24T10:00:00.000Z", "2026-11-24T10:01:00.000Z"],
      );
      assert.deepEqual(
        [s3.title, s3.firstPrompt, s3.cwd, s3.started, s3.updated],
        [null, "q1", A, "2026-11-23T11:59:00.000Z", "2026-11-23T12:06:00.000Z"],
      );
    });
  });

  it("--sort, --reverse (-r) and --limit (-n) reach the session rows; the total stays whole", async () => {
    await withHomes([MAIN()], async (h) => {
      const run = async (...more: string[]) =>
        keys(await costJson(inA(h, "--by", "session", ...more)));
      assert.deepEqual(await run(), ["33333333", "22222222", "11111111", "44444444"]);
      assert.deepEqual(await run("--sort", "cost"), await run());
      assert.deepEqual(await run("--sort", "updated"), [
        "44444444",
        "33333333",
        "22222222",
        "11111111",
      ]);
      // S2's latest meta line has the fixture's default start, in September.
      assert.deepEqual(await run("--sort", "started"), [
        "44444444",
        "33333333",
        "11111111",
        "22222222",
      ]);
      assert.deepEqual(await run("--sort", "updated", "-r", "--limit", "2"), [
        "11111111",
        "22222222",
      ]);
      assert.deepEqual(await run("--reverse", "-n", "1"), ["44444444"]);
      const j = await costJson(["--home", h.home, "--cwd", A, "--by", "session", "--limit", "1"]);
      assert.deepEqual(j.total, TOTAL_A);
    });
  });

  it("--sort, --limit and --reverse need session rows; a bad key is a usage error", async () => {
    await withHomes([MAIN()], async (h) => {
      for (
        const args of [
          ["--sort", "updated"],
          ["--limit", "2", "--by", "day"],
          ["--reverse", "--by", "model"],
          ["--by", "session", "--sort", "size"],
          ["--by", "session", "--limit", "0"],
        ]
      ) {
        const r = await cli(["cost", "--home", h.home, "--cwd", A, ...args]);
        assert.equal(r.code, 2, args.join(" "));
        assert.equal(r.out, "");
        assert.match(r.err, /^zot-sessions: Cannot /, args.join(" "));
      }
    });
  });
});

describe("cost usage errors", () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ["--by", "hour"],
      /Cannot parse --by "hour": expected one of day, week, month, model, provider, project, session/,
    ],
    [["--by", "day,model,session"], /Cannot group by "day,model,session": at most two keys/],
    [["--by", "day,day"], /Cannot group by "day,day": the two keys are the same/],
    [["--tz", "Mars/Base"], /Cannot use time zone "Mars\/Base"/],
    [["--json", "--csv"], /Cannot use --json with --csv: choose one/],
    [["--last", "0"], /Cannot parse --last "0": expected a whole number ≥ 1/],
    [["--last", "3", "--since", "2026-11-01"], /Cannot use --last with --since/],
    [["--since", "next week"], /Cannot parse --since "next week"/],
    [["--until", "2026-02-30"], /Cannot parse --until "2026-02-30"/],
    [
      ["--week-start", "tuesday"],
      /Cannot parse --week-start "tuesday": expected one of monday, sunday/,
    ],
    [["--session", "zz"], /Cannot use session "zz"/],
    [["extra"], /Cannot use argument "extra"/],
  ];
  for (const [args, message] of cases) {
    it(`exits 2 with one line for: cost ${args.join(" ")}`, async () => {
      const r = await cli(["cost", "--home", "/nonexistent/zot", "--tz", "UTC", ...args]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.out, "");
      assert.match(r.err, message);
      assert.equal(r.err.split("\n").length, 2, r.err);
    });
  }
});
