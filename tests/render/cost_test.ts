/**
 * The cost renderers tested directly (lib/render/cost.ts, cost_table.ts are
 * pure): `--json`'s document, session rows with what the session recorded,
 * and the text report's header lines.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketFields, CostReport } from "../../lib/cost/report.ts";
import type { CostOptions, CostResult, SessionTotals } from "../../lib/cost/run_types.ts";
import { palette } from "../../lib/render/color.ts";
import { costCsv, costJson } from "../../lib/render/cost.ts";
import { costText } from "../../lib/render/cost_table.ts";
import { COST_OPTIONS } from "../helpers/cost_options.ts";

const OPTIONS: CostOptions = { ...COST_OPTIONS, all: true };

/** A result of two sessions, s1 (recorded $0.50, spent $0.30 here) and s2 ($0.10). */
function result(o: CostOptions): CostResult {
  const report = new CostReport(o);
  const spend = (costNanos: number) => ({
    inputTokens: 1000,
    outputTokens: 100,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costNanos,
  });
  const at = Date.parse("2026-11-01T09:00:00Z");
  report.add({ timeMs: at, model: "m", provider: "p", spend: spend(300_000_000), ordinal: 1 }, {
    id: "s1",
    cwd: "/a",
  });
  report.add({ timeMs: at, model: "m", provider: "p", spend: spend(100_000_000), ordinal: 1 }, {
    id: "s2",
    cwd: "/b",
  });
  const totals = (id: string, cwd: string, recordedNanos: number): SessionTotals => ({
    id,
    cwd,
    info: { recorded: { costNanos: recordedNanos } } as SessionTotals["info"],
    title: id === "s1" ? "fix the parser" : null,
    firstPrompt: null,
    startedMs: id === "s1" ? at : null,
    updatedMs: at + 3_600_000,
  });
  return {
    report,
    total: bucketFields(report.total),
    rows: report.rows(),
    sessions: new Map([["s1", totals("s1", "/a", 500_000_000)], ["s2", totals("s2", "/b", 0)]]),
    hiddenSessions: 0,
    problems: [],
  };
}

describe("costJson", () => {
  it("writes the range as ISO times, and null for an open end", () => {
    const o = { ...OPTIONS, sinceMs: Date.parse("2026-11-01T00:00:00Z") };
    const json = costJson(result(o), o, { kind: "all" });
    assert.deepEqual([json.since, json.until, json.tz], ["2026-11-01T00:00:00.000Z", null, "UTC"]);
    assert.deepEqual(json.scope, { kind: "all" });
  });

  it("gives session rows what the session recorded, its title, project and times", () => {
    const json = costJson(result(OPTIONS), OPTIONS, { kind: "all" });
    const [s1, s2] = json.rows;
    assert.deepEqual(
      [s1.key, s1.costUsd, s1.recordedCostUsd, s1.title, s1.cwd, s1.started, s1.updated],
      [
        "s1",
        0.3,
        0.5,
        "fix the parser",
        "/a",
        "2026-11-01T09:00:00.000Z",
        "2026-11-01T10:00:00.000Z",
      ],
    );
    assert.deepEqual([s2.key, s2.recordedCostUsd, s2.title, s2.started], ["s2", 0, null, null]);
    assert.equal(json.total.costUsd, 0.4);
  });

  it("adds nothing to rows of other keys", () => {
    const o: CostOptions = { ...OPTIONS, by: ["model"] };
    const json = costJson(result(o), o, { kind: "all" });
    assert.deepEqual(Object.keys(json.rows[0]).sort(), [
      "cacheReadTokens",
      "cacheWriteTokens",
      "costUsd",
      "inputTokens",
      "key",
      "outputTokens",
      "sessions",
      "unpricedTokens",
    ]);
  });
});

describe("costCsv", () => {
  const HEADER =
    "costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens," +
    "sessions";
  it("gives session rows --json's recorded total, title, project and last activity", () => {
    const r = result(OPTIONS);
    assert.equal(
      costCsv(r.rows, OPTIONS, false, r.sessions),
      `session,${HEADER},recordedCostUsd,title,cwd,updated\n` +
        "s1,0.3,1000,100,0,0,0,1,0.5,fix the parser,/a,2026-11-01T10:00:00.000Z\n" +
        "s2,0.1,1000,100,0,0,0,1,0,,/b,2026-11-01T10:00:00.000Z\n",
    );
  });

  it("with session as either key, each row has its session's columns", () => {
    const o: CostOptions = { ...OPTIONS, by: ["session", "model"] };
    const r = result(o);
    assert.equal(
      costCsv(r.rows, o, false, r.sessions).split("\n")[1],
      "s1,m,0.3,1000,100,0,0,0,1,0.5,fix the parser,/a,2026-11-01T10:00:00.000Z",
    );
    const inner: CostOptions = { ...OPTIONS, by: ["model", "session"] };
    const ri = result(inner);
    assert.equal(
      costCsv(ri.rows, inner, false, ri.sessions).split("\n")[2],
      "m,s2,0.1,1000,100,0,0,0,1,0,,/b,2026-11-01T10:00:00.000Z",
    );
  });

  it("escapes and guards a session's text cells as every CSV text cell", () => {
    const r = result(OPTIONS);
    const s1 = r.sessions.get("s1")!;
    r.sessions.set("s1", { ...s1, title: '=HYPERLINK("x"),\n\x1b[2J', cwd: "-2+3" });
    const [, row] = costCsv(r.rows, OPTIONS, false, r.sessions).split(/\n(?=s\d)/);
    assert.equal(
      row,
      `s1,0.3,1000,100,0,0,0,1,0.5,"'=HYPERLINK(""x""),\n\x1b[2J",'-2+3,2026-11-01T10:00:00.000Z`,
    );
    const [, shown] = costCsv(r.rows, OPTIONS, true, r.sessions).split("\n");
    assert.equal(
      shown,
      `s1,0.3,1000,100,0,0,0,1,0.5,"'=HYPERLINK(""x""), ␛[2J",'-2+3,2026-11-01T10:00:00.000Z`,
    );
  });

  it("adds no session columns to rows of other keys", () => {
    const o: CostOptions = { ...OPTIONS, by: ["model"] };
    const r = result(o);
    assert.equal(
      costCsv(r.rows, o, false, r.sessions),
      `model,${HEADER}\nm,0.4,2000,200,0,0,0,2\n`,
    );
  });
});

describe("costText", () => {
  const ctx = { palette: palette(false), stdout: { isTTY: false } };
  const cases: [Parameters<typeof costText>[2], string][] = [
    [{ kind: "all" }, "All projects · all time · UTC"],
    [{ kind: "project", cwd: "/src/app" }, "Project /src/app · all time · UTC"],
    [{ kind: "session", id: "0e19291e" }, "Session 0e19291e · all time · UTC"],
  ];
  for (const [scope, first] of cases) {
    it(`names what was counted: ${first}`, () => {
      const o: CostOptions = { ...OPTIONS, by: ["model"] };
      const text = costText(result(o), o, scope, ctx);
      assert.equal(text.split("\n")[0], first);
      assert.match(text, /^Total {3}\$0\.40 in 2 sessions$/m);
    });
  }
});
