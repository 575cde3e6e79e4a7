/**
 * Tests of lib/cost/events.ts: spend events as rows. Expected values are
 * written out by hand.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EVENT_COLUMNS, eventRow, eventRows, homeOf } from "../../lib/cost/events.ts";
import type { LedgerInfo, SpendEvent } from "../../lib/scan/ledger.ts";
import type { MetaRecord } from "../../lib/format/records.ts";
import { type Spend } from "../../lib/base/counters.ts";

const spend = (input: number, costNanos: number): Spend => ({
  inputTokens: input,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costNanos,
});
const ev = (iso: string, ordinal: number, s: Spend): SpendEvent => ({
  timeMs: Date.parse(iso),
  ordinal,
  model: "m",
  provider: "p",
  spend: s,
});
const info = (meta: Partial<MetaRecord> | null) =>
  ({
    meta: meta && { type: "meta", id: "", cwd: "", parent: "", forkPoint: null, ...meta },
  }) as LedgerInfo;

describe("event rows", () => {
  it("a row has every column, in order, and nothing else", () => {
    const r = eventRow(ev("2026-11-01T10:30:00+01:00", 7, spend(5, 1_500_000)), {
      id: "abc",
      cwd: "/p",
      parent: "par",
      home: "/h",
    }, "box");
    assert.deepEqual(Object.keys(r), [...EVENT_COLUMNS]);
    assert.equal(r.eventId, "abc:7");
    assert.equal(r.time, "2026-11-01T09:30:00.000Z"); // UTC, with Z
    assert.equal(r.costUsd, 0.0015); // 1 500 000 nanodollars
    assert.equal(r.unpricedTokens, 0);
    assert.equal(r.host, "box");
    assert.equal(r.parent, "par");
  });

  it("tokens with no cost are unpriced", () => {
    assert.equal(
      eventRow(ev("2026-11-01T00:00:00Z", 1, spend(42, 0)), {
        id: "a",
        cwd: "",
        parent: null,
        home: null,
      }, "h").unpricedTokens,
      42,
    );
  });

  it("rows are oldest first; ties by session id, then by ordinal (9 before 10)", () => {
    const t = "2026-11-01T00:00:00Z";
    const rows = eventRows(
      [
        {
          id: "b",
          cwd: "/b",
          info: info({ cwd: "/b", parent: "a" }),
          path: "/h2/sessions/k/b.jsonl",
          events: [ev(t, 10, spend(1, 1)), ev(t, 9, spend(1, 1))],
        },
        {
          id: "a",
          cwd: "",
          info: info(null),
          path: "/elsewhere/a.jsonl",
          events: [ev("2026-11-02T00:00:00Z", 1, spend(1, 1)), ev(t, 2, spend(1, 1))],
        },
      ],
      ["/h1", "/h2"],
      "h",
    );
    assert.deepEqual(rows.map((r) => r.eventId), ["a:2", "b:9", "b:10", "a:1"]);
    // The session's fields: from its first meta line, the home from the path.
    assert.deepEqual(
      rows.map((r) => [r.cwd, r.parent, r.home]),
      [["", null, null], ["/b", "a", "/h2"], ["/b", "a", "/h2"], ["", null, null]],
    );
  });

  it("a home holds a path only below it, with either separator", () => {
    assert.equal(homeOf("/h/sessions/k/x.jsonl", ["/h"]), "/h");
    assert.equal(homeOf("C:\\zot\\sessions\\k\\x.jsonl", ["C:\\zot"]), "C:\\zot");
    assert.equal(homeOf("/home2/sessions/x.jsonl", ["/home"]), null);
    assert.equal(homeOf("/h", ["/h"]), null);
  });
});
