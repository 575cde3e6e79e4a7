/**
 * `ls`'s selection, tested directly (lib/sessions/select.ts is pure): the
 * model filter, each sort key with its ties, `--reverse`, `--limit` and the
 * fork tree.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SessionInfo } from "../../lib/sessions/info.ts";
import {
  filterSessions,
  forkTree,
  selectSessions,
  type SessionSelection,
} from "../../lib/sessions/select.ts";

const OPTIONS: SessionSelection = {
  all: false,
  limit: null,
  sinceMs: null,
  untilMs: null,
  model: null,
  sort: "updated",
  reverse: false,
  tree: false,
};

/** A session with only what selection reads. */
function session(id: string, o: Partial<SessionInfo> & { costUsd?: number } = {}): SessionInfo {
  const { costUsd = 0, ...rest } = o;
  return {
    id,
    parent: null,
    model: "m",
    provider: "p",
    updated: "2026-11-01T00:00:00Z",
    started: null,
    messages: 0,
    bytes: 0,
    spend: { costUsd },
    ...rest,
  } as SessionInfo;
}

const ids = (rows: { session: SessionInfo }[]) => rows.map((r) => r.session.id);

describe("filterSessions", () => {
  const list = [
    session("a", { model: "claude-sonnet-4-5", provider: "anthropic" }),
    session("b", { model: "gpt-5", provider: "openai" }),
    session("c", { model: "local", provider: "OpenAI-compatible" }),
  ];
  const cases: [string | null, string[]][] = [
    [null, ["a", "b", "c"]],
    ["SONNET", ["a"]], // any case
    ["openai", ["b", "c"]], // the provider too
    ["nothing", []],
  ];
  for (const [model, kept] of cases) {
    it(`--model ${JSON.stringify(model)} keeps ${JSON.stringify(kept)}`, () => {
      assert.deepEqual(filterSessions(list, { ...OPTIONS, model }).map((s) => s.id), kept);
    });
  }
});

describe("selectSessions", () => {
  const list = [
    session("new", { costUsd: 1, messages: 5, bytes: 10, started: "2026-10-02T00:00:00Z" }),
    session("mid", { costUsd: 3, messages: 5, bytes: 30, started: null }),
    session("old", { costUsd: 3, messages: 9, bytes: 20, started: "2026-10-03T00:00:00Z" }),
  ];
  const cases: [Partial<SessionSelection>, string[]][] = [
    [{}, ["new", "mid", "old"]], // updated: the list's own order
    [{ sort: "cost" }, ["mid", "old", "new"]], // a tie keeps the list's order
    [{ sort: "messages" }, ["old", "new", "mid"]],
    [{ sort: "size" }, ["mid", "old", "new"]],
    [{ sort: "started" }, ["old", "new", "mid"]], // no start counts as the earliest
    [{ sort: "cost", reverse: true }, ["new", "old", "mid"]],
    [{ sort: "cost", limit: 1 }, ["mid"]],
    [{ limit: 0 }, []],
  ];
  for (const [o, order] of cases) {
    it(`${JSON.stringify(o)} gives ${JSON.stringify(order)}`, () => {
      assert.deepEqual(ids(selectSessions(list, { ...OPTIONS, ...o })), order);
    });
  }

  it("--tree orders by the fork tree after sorting, and --limit counts its rows", () => {
    const forks = [session("root"), session("fork", { parent: "root" }), session("x")];
    const rows = selectSessions(forks, { ...OPTIONS, tree: true, limit: 2 });
    assert.deepEqual(rows.map((r) => [r.session.id, r.depth]), [["root", 0], ["fork", 1]]);
  });
});

describe("forkTree", () => {
  it("puts each child under its parent, deeper by one, siblings in list order", () => {
    const rows = forkTree([
      session("b2", { parent: "b" }),
      session("a"),
      session("b"),
      session("b1", { parent: "b" }),
      session("b1x", { parent: "b1" }),
    ]);
    assert.deepEqual(rows.map((r) => [r.session.id, r.depth]), [
      ["a", 0],
      ["b", 0],
      ["b2", 1],
      ["b1", 1],
      ["b1x", 2],
    ]);
    // b2 is not the last child of b; b1 is, and so is b1x of b1.
    assert.deepEqual(rows.map((r) => r.last), [[], [], [false], [true], [true, true]]);
  });

  it("a level stays open under an ancestor whose siblings are still to come", () => {
    const rows = forkTree([
      session("c1", { parent: "r" }),
      session("g", { parent: "c1" }),
      session("c2", { parent: "r" }),
      session("r"),
    ]);
    assert.deepEqual(rows.map((r) => [r.session.id, r.last]), [
      ["r", []],
      ["c1", [false]],
      ["g", [false, true]],
      ["c2", [true]],
    ]);
  });

  it("a child whose parent is not listed, or is itself, is a root", () => {
    const rows = forkTree([
      session("orphan", { parent: "gone" }),
      session("self", { parent: "self" }),
    ]);
    assert.deepEqual(rows.map((r) => [r.session.id, r.depth]), [["orphan", 0], ["self", 0]]);
  });

  it("a parent cycle (hand-edited files) is broken at its first member: each shown once", () => {
    const rows = forkTree([session("p", { parent: "q" }), session("q", { parent: "p" })]);
    assert.deepEqual(rows.map((r) => [r.session.id, r.depth]), [["p", 0], ["q", 1]]);
  });
});
