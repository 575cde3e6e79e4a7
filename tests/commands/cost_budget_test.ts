/**
 * `cost --budget USD` and `cost --check-budgets` in process, on the status
 * home (tests/helpers/status_home.ts, at its NOW: 12:00 on Wednesday
 * 2026-11-25, UTC): one line each, exit 3 when over, the spend equal to
 * `cost --json`'s total to the cent, `-q` only the budgets over.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { withHomes } from "../helpers/fixtures.ts";
import { cliWith } from "../helpers/cli.ts";
import { A, B, EXPECTED, NOW, STATUS_HOME, writeConfig } from "../helpers/status_home.ts";

const cli = cliWith({ now: NOW, processCwd: A, env: { TZ: "UTC" } });

describe("cost --budget", () => {
  it("over: exit 3 and one line, with the overshoot and the pace to midnight", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      const r = await cli(["cost", "--home", h.home, "--all", "--since", "today", "--budget", "3"]);
      // $3.25 in the 12 hours since midnight: $6.50 by midnight.
      assert.deepEqual(r, {
        code: 3,
        out: "Over budget: $3.25 of $3.00 today (+$0.25); on pace for $6.50 by midnight\n",
        err: "",
      });
    });
  });

  it("within: exit 0; the spend is cost's total for the same flags", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      const flags = ["--home", h.home, "--since", "today"];
      const r = await cli(["cost", ...flags, "--budget", "$5"]);
      assert.deepEqual(r, {
        code: 0,
        out: "Within budget: $1.15 of $5.00 today ($3.85 left); on pace for $2.30 by midnight\n",
        err: "",
      });
      const json = JSON.parse((await cli(["cost", ...flags, "--budget", "5", "--json"])).out);
      const total = JSON.parse((await cli(["cost", ...flags, "--json"])).out).total.costUsd;
      assert.equal(Math.round(json.usedUsd * 100), Math.round(total * 100));
      assert.deepEqual(json, {
        since: "2026-11-25T00:00:00.000Z",
        until: null,
        limitUsd: 5,
        usedUsd: EXPECTED.projectUsd,
        projectedUsd: 2.3,
        over: false,
      });
    });
  });

  it("names other periods: --last with --by week, a date, a closed range, all time", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      const line = async (...args: string[]) =>
        (await cli(["cost", "--home", h.home, "--all", ...args])).out;
      // The week: $4.25 in 2.5 of its 7 days: $11.90 by its end.
      assert.equal(
        await line("--by", "week", "--last", "1", "--budget", "10"),
        "Within budget: $4.25 of $10.00 this week ($5.75 left); on pace for $11.90 by the end of the week\n",
      );
      // The last 3 days: $4.25 in 2.5 of them: $5.10 by midnight.
      assert.equal(
        await line("--last", "3", "--budget", "10"),
        "Within budget: $4.25 of $10.00 in the last 3 days ($5.75 left); on pace for $5.10 by midnight\n",
      );
      assert.equal(
        // SB0's $5.00 and SA1's first $1.00: exactly the limit, which is not over.
        await line("--since", "2026-11-20", "--until", "2026-11-24", "--budget", "6"),
        "Within budget: $6.00 of $6.00 from 2026-11-20 to 2026-11-24 ($0.00 left)\n",
      );
      assert.equal(
        await line("--budget", "9"),
        "Over budget: $9.25 of $9.00 in all (+$0.25)\n",
      );
    });
  });

  it("refuses a bad amount and the flags it cannot go with", async () => {
    const cases: [string[], RegExp][] = [
      [["--budget", "lots"], /Cannot parse --budget "lots": expected dollars such as 20 or 12.50/],
      [["--budget", "0"], /Cannot parse --budget "0"/],
      [["--budget", "5", "--csv"], /Cannot use --budget with --csv/],
      [["--budget", "5", "--events"], /Cannot use --budget with --events/],
      [
        ["--check-budgets", "--since", "today"],
        /Cannot use --check-budgets with --since: each budget has its own period/,
      ],
      [
        ["--check-budgets", "--budget", "5"],
        /Cannot use --budget with --check-budgets: choose one/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(["cost", "--home", "/nonexistent", ...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.out, "");
    }
  });
});

describe("cost --check-budgets", () => {
  const config = {
    budgets: {
      daily: 5,
      weekly: 4,
      monthly: 20,
      projects: { [A]: { daily: 1 }, [B]: { weekly: 10 } },
    },
  };

  it("a line per budget, in the config's order; exit 3 when one is over", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      await writeConfig(h.home, config);
      const r = await cli(["cost", "--home", h.home, "--check-budgets"]);
      assert.equal(r.code, 3, r.err);
      assert.equal(
        r.out,
        [
          "Within budget: $3.25 of $5.00 today ($1.75 left); on pace for $6.50 by midnight",
          "Over budget: $4.25 of $4.00 this week (+$0.25); on pace for $11.90 by the end of the week",
          // 24.5 of the month's 30 days to go: $9.25 × 30 / 24.5 = $11.33.
          "Within budget: $9.25 of $20.00 this month ($10.75 left); on pace for $11.33 by the end of the month",
          `Over budget: $1.15 of $1.00 today in ${A} (+$0.15); on pace for $2.30 by midnight`,
          // B this week: SB1's $2.10 (SB0 is from the week before).
          `Within budget: $2.10 of $10.00 this week in ${B} ($7.90 left); on pace for $5.88 by the end of the week`,
        ].join("\n") + "\n",
      );
    });
  });

  it("-q prints only those over (the cron line); none over: nothing and exit 0", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      await writeConfig(h.home, config);
      const q = await cli(["cost", "--home", h.home, "--check-budgets", "-q"]);
      assert.equal(q.code, 3);
      assert.equal(q.out.split("\n").filter(Boolean).length, 2);
      assert.match(q.out, /^Over budget: \$4.25 of \$4.00 this week/);
      await writeConfig(h.home, { budgets: { daily: 100 } });
      assert.deepEqual(await cli(["cost", "--home", h.home, "--check-budgets", "-q"]), {
        code: 0,
        out: "",
        err: "",
      });
    });
  });

  it("--json: each budget's figures; with none configured, [] (and a line without --json)", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      await writeConfig(h.home, { budgets: { weekly: 10, weekStart: "sunday" } });
      const r = await cli(["cost", "--home", h.home, "--check-budgets", "--json"]);
      // From Sunday 11-22: the same spend as from Monday (nothing on the 22nd).
      assert.deepEqual(JSON.parse(r.out), [
        {
          period: "week",
          project: null,
          limitUsd: 10,
          usedUsd: EXPECTED.weekUsd,
          projectedUsd: 8.5, // $4.25 in 3.5 of 7 days
          over: false,
        },
      ]);
      await writeConfig(h.home, {});
      const none = await cli(["cost", "--home", h.home, "--check-budgets"]);
      assert.equal(none.code, 0);
      assert.match(none.out, /^No budgets in ".*zot-sessions.jsonc"\n$/);
      assert.equal(
        (await cli(["cost", "--home", h.home, "--check-budgets", "--json"])).out,
        "[]\n",
      );
    });
  });
});
