/**
 * End-to-end tests of the time flags, against the built binary: `--since`,
 * `--until` (ls, cost), `--last` (cost), `--older-than` and `--grace` (gc)
 * as people type them. The sessions' mtimes are set relative to NOW (the
 * file system's now when this file loads), the binary's clock is pinned to
 * that same instant, and the expected sets are worked out here with plain
 * UTC arithmetic (the runs get TZ=UTC).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { BIN } from "./harness.ts";
import { tempHome } from "../helpers/fixtures.ts";
import { fileName, metaLine, runBytes, sessionId, usageLine } from "../helpers/transcripts.ts";
import { messageLine } from "../helpers/fixtures.ts";
import { fsNow } from "../helpers/clock.ts";

const P = "/home/dev/timely";
const H = 3_600_000;
const D = 24 * H;
const NOW = fsNow();

/** Sessions by name → mtime. */
const AGES: Record<string, number> = {
  "a0000001": NOW - 10 * 60_000,
  "a0000002": NOW - 30 * H,
  "a0000003": NOW - (2 * D + 2 * H),
  "a0000004": NOW - (2 * D + 4 * H),
  "a0000005": NOW - 40 * D,
  "a0000006": NOW - 400 * D,
  "b0000001": Date.parse("2025-11-01T08:00:00Z"),
  "b0000002": Date.parse("2025-11-01T10:00:00Z"),
};

let home = "";
let cleanup = () => Promise.resolve();
before(async () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" first`);
  ({ home, cleanup } = await tempHome(
    Object.entries(AGES).map(([prefix, mtimeMs]) => {
      const id = sessionId(prefix);
      const at = new Date(mtimeMs).toISOString();
      return {
        cwd: P,
        name: fileName(id, "20251001-120000"),
        lines: [
          metaLine({ id, cwd: P, started: at }),
          messageLine("user", `hello from ${prefix}`, at),
          usageLine({ input_tokens: 10, cost_usd: 0.01 }),
          messageLine("assistant", "hi", at),
        ],
        mtimeMs,
      };
    }),
  ));
});
after(() => cleanup());

const zot = (args: string[]) =>
  runBytes([...args, "--home", home, "--cwd", P], {
    env: { TZ: "UTC", ZOT_SESSIONS_NOW: new Date(NOW).toISOString() },
  });

/** The sessions `ls` lists for these flags, by name. */
function listed(args: string[]): string[] {
  const r = zot(["ls", "--json", ...args]);
  assert.equal(r.code, 0, `ls ${args.join(" ")}: ${r.err}`);
  return (JSON.parse(r.out) as { id: string }[]).map((s) => s.id.slice(0, 8)).sort();
}

/** The names whose mtime lies in [since, until]. */
function within(since: number | null, until: number | null): string[] {
  return Object.entries(AGES)
    .filter(([, t]) => (since === null || t >= since) && (until === null || t <= until))
    .map(([name]) => name).sort();
}

const utcMidnight = (t: number) => Math.floor(t / D) * D;
/** `months` calendar months before now, in UTC (the day clamped to the month's end). */
function monthsBefore(months: number): number {
  const d = new Date(NOW);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() - months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes());
}

describe("e2e: --since and --until as people type them", () => {
  const today = utcMidnight(NOW);
  const dow = new Date(today).getUTCDay(); // Sunday = 0
  const monday = today - ((dow + 6) % 7) * D;
  const lastMonday = today - (((dow + 6) % 7) || 7) * D;
  const d = new Date(NOW);
  const monthStart = (back: number) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1);
  const cases: [string[], number | null, number | null][] = [
    [["--since", "today"], today, null],
    [["--since", "yesterday", "--until", "yesterday"], today - D, today - 1],
    [["--until", "yesterday"], null, today - 1],
    [["--since", "2d3h"], NOW - (2 * D + 3 * H), null],
    [["--since", "2d 3h"], NOW - (2 * D + 3 * H), null],
    [["--since", "1w"], NOW - 7 * D, null],
    [["--since", "1mo"], monthsBefore(1), null],
    // Words, as people say them (issue 22, item 7).
    [["--since", "2 days ago"], NOW - 2 * D, null],
    [["--since", "2 Days Ago", "--until", "1 day ago"], NOW - 2 * D, NOW - D],
    [["--since", "7days"], NOW - 7 * D, null],
    [["--since", "45 days"], NOW - 45 * D, null],
    [["--since", "this week"], monday, null],
    [["--since", "last week", "--until", "last week"], monday - 7 * D, monday - 1],
    [["--since", "last monday", "--until", "last monday"], lastMonday, lastMonday + D - 1],
    [["--since", "this month"], monthStart(0), null],
    [["--since", "last month", "--until", "last month"], monthStart(1), monthStart(0) - 1],
    [["--since", "2 months ago"], monthsBefore(2), null],
    [["--since", "this year"], Date.UTC(d.getUTCFullYear(), 0, 1), null],
    [
      ["--since", "last year", "--until", "last year"],
      Date.UTC(d.getUTCFullYear() - 1, 0, 1),
      Date.UTC(d.getUTCFullYear(), 0, 1) - 1,
    ],
    [["--since", "1y"], monthsBefore(12), null],
    [["--until", "1y"], null, monthsBefore(12)],
    [["--since", "1y2mo", "--until", "1mo"], monthsBefore(14), monthsBefore(1)],
    [
      ["--since", "20251101", "--until", "20251101"],
      Date.parse("2025-11-01T00:00:00Z"),
      Date.parse("2025-11-02T00:00:00Z") - 1,
    ],
    [
      ["--since", "2025-11-01 09:30", "--until", "2025-11-01T12:00Z"],
      Date.parse("2025-11-01T09:30:00Z"),
      Date.parse("2025-11-01T12:00:00Z"),
    ],
    [
      ["--since=2025-11-01T09:30:00+02:00", "--until", "2025-11-01"],
      Date.parse("2025-11-01T07:30:00Z"),
      Date.parse("2025-11-02T00:00:00Z") - 1,
    ],
  ];
  for (const [args, since, until] of cases) {
    it(`ls ${args.join(" ")}`, () => {
      const want = within(since, until);
      assert.ok(want.length < Object.keys(AGES).length, "a real selection");
      assert.deepEqual(listed(args), want);
    });
  }

  const bad: [string[], RegExp][] = [
    [
      ["ls", "--until", "-5d"],
      /^zot-sessions: Cannot parse --until "-5d": a time cannot be negative/,
    ],
    [["ls", "--until=-5d"], /^zot-sessions: Cannot parse --until "-5d": a time cannot be negative/],
    [
      ["cost", "--since", "-1mo"],
      /^zot-sessions: Cannot parse --since "-1mo": a time cannot be negative/,
    ],
    [
      ["ls", "--limit", "-1"],
      /^zot-sessions: Cannot parse --limit "-1": expected a whole number ≥ 1/,
    ],
    [["ls", "--since", "today", "--until", "yesterday"], /the range ends before it starts/],
    [["cost", "--since", "2025-11-05", "--until", "2025-11-01"], /the range ends before it starts/],
    [["ls", "--since", "7"], /a duration needs a unit/],
    [["ls", "--since", "2025-02-29"], /no such date/],
    [
      ["cost", "--since", "next week"],
      /^zot-sessions: Cannot parse --since "next week": expected now, today, yesterday, a date .*, a time ago \(.*2 days ago\), this or last week, month or year, or a weekday \(monday, last friday\) \(see "zot-sessions cost --help"\)$/m,
    ],
  ];
  for (const [args, message] of bad) {
    it(`${args.join(" ")}: exit 2, one line`, () => {
      const r = zot(args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.equal(r.err.trimEnd().split("\n").length, 1, r.err);
      assert.doesNotMatch(r.err, /needs a value/);
    });
  }
});

describe("e2e: cost's range and --last", () => {
  const costJson = (args: string[]) => {
    const r = zot(["cost", "--json", "--tz", "UTC", ...args]);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out) as { since: string | null; until: string | null };
  };

  it("--by week --last 1 is this week, --by month --last 2 this month and the last", () => {
    const today = utcMidnight(NOW);
    const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * D;
    assert.equal(costJson(["--by", "week", "--last", "1"]).since, new Date(monday).toISOString());
    assert.equal(
      costJson(["--by", "week", "--last", "1", "--week-start", "sunday"]).since,
      new Date(today - new Date(today).getUTCDay() * D).toISOString(),
    );
    const d = new Date(NOW);
    assert.equal(
      costJson(["--by", "month", "--last", "2"]).since,
      new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString(),
    );
    assert.equal(costJson(["--last", "3"]).since, new Date(today - 2 * D).toISOString());
  });

  it("the header prints the range as asked, time included", () => {
    const first = (args: string[]) => {
      const r = zot(["cost", "--tz", "UTC", ...args]);
      assert.equal(r.code, 0, r.err);
      return r.out.split("\n")[0];
    };
    assert.equal(
      first(["--since", "2025-11-01 09:30"]),
      `Project ${P} · since 2025-11-01 09:30 · UTC`,
    );
    assert.equal(
      first(["--since", "20251101", "--until", "2025-11-30T18:00Z"]),
      `Project ${P} · 2025-11-01 to 2025-11-30 18:00 · UTC`,
    );
    assert.match(
      first(["--since", "2d3h"]),
      /^Project .* · since \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? \(2d3h ago\) · UTC$/,
    );
    assert.match(
      first(["--by", "week", "--last", "1"]),
      /· since \d{4}-\d\d-\d\d \(this week\) · UTC$/,
    );
  });
});

describe("e2e: gc's durations", () => {
  const planned = (args: string[]) => {
    const r = zot(["gc", "--json", ...args]);
    assert.equal(r.code, 0, r.err);
    return (JSON.parse(r.out) as { sessions: { id: string }[] }).sessions
      .map((s) => s.id.slice(0, 8)).sort();
  };

  it("--older-than takes calendar months and combinations; --grace takes 0", () => {
    assert.deepEqual(planned(["--older-than", "1mo"]), within(null, monthsBefore(1)));
    assert.deepEqual(planned(["--older-than", "2d3h"]), within(null, NOW - (2 * D + 3 * H)));
    assert.deepEqual(
      planned(["--older-than", "1y", "--grace", "0"]),
      within(null, monthsBefore(12)),
    );
  });

  it("--grace 0 leaves no session in the grace period; --grace -1h is refused", () => {
    const r = zot(["gc", "--json", "--all-sessions", "--grace", "0"]);
    assert.equal(r.code, 0, r.err);
    const plan = JSON.parse(r.out) as { sessions: unknown[]; inGrace: unknown[] };
    assert.equal(plan.sessions.length, Object.keys(AGES).length);
    assert.deepEqual(plan.inGrace, []);
    const bad = zot(["gc", "--older-than", "1d", "--grace", "-1h"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Cannot parse --grace "-1h": a duration cannot be negative/);
  });
});
