/**
 * Tests of lib/render/events.ts: event rows as NDJSON and CSV. Expected
 * texts are written out by hand.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { EventRow } from "../../lib/cost/events.ts";
import { csvHeader, csvLine, eventText, ndjsonLine } from "../../lib/render/events.ts";

function row(over: Partial<EventRow> = {}): EventRow {
  return {
    eventId: "s:1",
    time: "2026-11-01T09:30:00.000Z",
    host: "h",
    home: "/home/u/.local/state/zot",
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

describe("event rows as text", () => {
  it("NDJSON: the row's keys in order, one line each", () => {
    assert.equal(
      ndjsonLine(row(), false),
      '{"eventId":"s:1","time":"2026-11-01T09:30:00.000Z","host":"h","home":"/home/u/.local/state/zot","sessionId":"s","parent":null,"cwd":"/p","model":"m","provider":"p","inputTokens":1,"outputTokens":2,"cacheReadTokens":3,"cacheWriteTokens":4,"costUsd":0.25,"unpricedTokens":0}\n',
    );
  });

  it("NDJSON on a terminal escapes C1 and bidi controls, and stays the same JSON", () => {
    const r = row({ cwd: "/p\u009b2J\u202e" });
    const line = ndjsonLine(r, true);
    assert.ok(line.includes("/p\\u009b2J\\u202e"), line);
    assert.deepEqual(JSON.parse(line), r);
    assert.ok(ndjsonLine(r, false).includes("\u009b"), "a pipe gets the bytes as they are");
  });

  it("CSV: header, quoting, null as empty, dollars as plain decimals", () => {
    assert.equal(
      csvHeader(),
      "eventId,time,host,home,sessionId,parent,cwd,model,provider,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,costUsd,unpricedTokens\n",
    );
    assert.equal(
      csvLine(row({ home: null, cwd: '/a,"b"\nc', costUsd: 5e-7 }), false),
      's:1,2026-11-01T09:30:00.000Z,h,,s,,"/a,""b""\nc",m,p,1,2,3,4,0.0000005,0\n',
    );
    for (
      const [usd, text] of [[0, "0"], [1, "1"], [12.5, "12.5"], [
        0.035244750000000005,
        "0.03524475",
      ]] as const
    ) {
      assert.equal(csvLine(row({ costUsd: usd }), false).split(",")[13], text);
    }
  });

  it("CSV on a terminal shows control characters harmlessly", () => {
    const line = csvLine(row({ model: "m\x1b[31m" }), true);
    assert.ok(!line.includes("\x1b"), JSON.stringify(line));
  });

  it("comes in batches of whole lines, the CSV header first", () => {
    const rows = [row({ eventId: "s:1" }), row({ eventId: "s:2" }), row({ eventId: "s:3" })];
    const chunks = [...eventText(rows, "ndjson", false, 2)];
    assert.equal(chunks.length, 2);
    assert.equal(chunks.join(""), rows.map((r) => ndjsonLine(r, false)).join(""));
    assert.ok(chunks[0].endsWith("\n"));
    const csv = [...eventText(rows, "csv", false, 2)].join("");
    assert.equal(csv, csvHeader() + rows.map((r) => csvLine(r, false)).join(""));
    assert.deepEqual([...eventText([], "ndjson", false)], []);
  });
});
