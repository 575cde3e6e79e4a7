/**
 * Tests of lib/transcript/file_changes.ts: the `edit` and `write` calls of
 * a session, their results, a fork's inherited part, the `bash` count, the
 * reads a patch starts from; hostile arguments never throw. The samples'
 * expectations were read off the files by hand (message numbers from 0, as
 * `show` counts them).
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeRecord } from "../../lib/format/record_decode.ts";
import type { Block, SessionRecord } from "../../lib/format/records.ts";
import {
  emptyFileChanges,
  FileChangeFold,
  fileChangesOf,
  type FileChangesState,
  readWasCut,
} from "../../lib/transcript/file_changes.ts";
import { copiedFromParent } from "../../lib/scan/ledger.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";

const PROJECT = "sessions/98bce8e9987b1030";

/** A sample file's records, decoded line by line. */
function sampleRecords(name: string): SessionRecord[] {
  const text = readFileSync(join(samplesHome(), PROJECT, name), "utf8");
  return text.split("\n").filter((l) => l !== "").map((l) => decodeRecord(JSON.parse(l)))
    .filter((r): r is SessionRecord => r !== null && r.type !== "invalid");
}

const T = "2026-11-01T09:00:00Z";
const msg = (role: string, content: Block[]): SessionRecord => ({
  type: "message",
  role,
  time: T,
  meta: {},
  content,
});
const call = (id: string, name: string, args: unknown) => ({
  type: "tool_call" as const,
  id,
  name,
  arguments: args,
});
const result = (callId: string, text: string, isError = false) => ({
  type: "tool_result" as const,
  callId,
  isError,
  content: [{ type: "text" as const, text }],
});
const meta = (forkPoint: number | null, cwd = "/src/app"): SessionRecord => ({
  type: "meta",
  id: "f",
  cwd,
  model: "m",
  provider: "p",
  started: T,
  version: "",
  title: "",
  parent: forkPoint === null ? "" : "p",
  forkPoint,
});

describe("fileChangesOf on zot's samples", { skip: samplesSkip }, () => {
  it("the parent: its edit, its write, four shell commands, the read before the edit", () => {
    const st = fileChangesOf(sampleRecords("20260922-120509-0e19291e.jsonl"));
    assert.deepEqual(
      st.changes.map((c) => [c.path, c.index, c.tool, c.ok, c.inherited]),
      [["ledger/round.go", 5, "edit", true, false], [
        "ledger/round_neg_test.go",
        11,
        "write",
        true,
        false,
      ]],
    );
    assert.equal(st.shellCommands, 4); // #1, #7, #13, #17 (#1's result is the error)
    assert.deepEqual(st.changes[0].edits, [{
      oldText: "\treturn math.Round(x*p) / p",
      newText: "\treturn math.RoundToEven(x*p) / p",
    }]);
    assert.equal(st.changes[0].before?.index, 4);
    assert.ok(st.changes[0].before?.text?.startsWith('package ledger\n\nimport "math"\n'));
    assert.equal(st.changes[1].before, null);
    assert.ok(st.changes[1].content?.startsWith('package ledger\n\nimport "testing"'));
    assert.equal(st.changes[0].time, "2026-09-22T14:05:41.240205973+02:00");
  });

  it("the fork at 11: the copied edit is the parent's, its own edit and bash are its", () => {
    const st = fileChangesOf(sampleRecords("20260923-073002-8740d21c.jsonl"));
    assert.deepEqual(
      st.changes.map((c) => [c.path, c.index, c.ok, c.inherited]),
      [["ledger/round.go", 5, true, true], ["ledger/round_test.go", 13, true, false]],
    );
    assert.equal(st.shellCommands, 1); // #17; #1 and #7 were copied
    assert.equal(st.changes[1].before?.index, 12);
    assert.equal(st.forkPoint, 11);
  });

  it("an image-only read is no base; a read without change stays a read", () => {
    const st = fileChangesOf(sampleRecords("20261008-092040-1b1adf59.jsonl"));
    assert.deepEqual([st.changes, Object.keys(st.reads)], [[], []]);
    const accounts = fileChangesOf(sampleRecords("20260930-235310-81271fae.jsonl"));
    assert.deepEqual(accounts.changes.map((c) => [c.path, c.index, c.before?.index]), [[
      "api/accounts.go",
      11,
      8,
    ]]);
    assert.equal(accounts.shellCommands, 3);
  });

  it("without texts, nothing of a file's text is kept", () => {
    const records = sampleRecords("20260922-120509-0e19291e.jsonl");
    const st = fileChangesOf(records, { texts: false });
    const json = JSON.stringify(st);
    assert.ok(!json.includes("RoundToEven") && !json.includes("package ledger"), json);
    assert.deepEqual(
      st.changes.map((c) => [c.path, c.index, c.ok, c.edits, c.content, "before" in c]),
      [["ledger/round.go", 5, true, [], null, false], [
        "ledger/round_neg_test.go",
        11,
        true,
        [],
        null,
        false,
      ]],
    );
  });
});

describe("FileChangeFold", () => {
  it("an error result is a failed call; no result is an aborted one", () => {
    const st = fileChangesOf([
      meta(null),
      msg("assistant", [
        call("a", "edit", { path: "a.go", edits: [{ oldText: "x", newText: "y" }] }),
        call("b", "write", { path: "b.go", content: "" }),
        call("c", "edit", { path: "c.go", oldText: "p", newText: "q" }),
      ]),
      msg("tool", [result("a", "oldText not found", true), result("c", "ok")]),
    ]);
    assert.deepEqual(
      st.changes.map((c) => [c.path, c.ok, c.aborted, c.edits.length]),
      [["a.go", false, false, 1], ["b.go", false, true, 0], ["c.go", true, false, 1]],
    );
  });

  it("the latest whole-file read before a change is its base; partial reads are not", () => {
    const st = fileChangesOf([
      meta(null),
      msg("assistant", [call("r1", "read", { path: "./a.go" })]),
      msg("tool", [result("r1", "one\n")]),
      msg("assistant", [call("r2", "read", { path: "/src/app/a.go" })]),
      msg("tool", [result("r2", "two\n")]),
      msg("assistant", [call("r3", "read", { path: "a.go", offset: 2 })]),
      msg("tool", [result("r3", "partial\n")]),
      msg("assistant", [call("r4", "read", { path: "a.go" })]),
      msg("tool", [result("r4", "gone", true)]),
      msg("assistant", [call("e", "edit", { path: "a.go", edits: [] })]),
    ]);
    assert.deepEqual(st.changes[0].before, { index: 3, text: "two\n" });
  });

  it("a read zot cut short (2000 lines or 50 KiB) is no text to start from", () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `L${i + 1}\n`).join("");
    const st = fileChangesOf([
      meta(null),
      msg("assistant", [call("r1", "read", { path: "big.txt" })]),
      msg("tool", [result("r1", lines + "... [truncated at 2000 lines]\n")]),
      msg("assistant", [call("e1", "edit", { path: "big.txt", edits: [] })]),
      msg("assistant", [call("r2", "read", { path: "wide.txt" })]),
      msg("tool", [result("r2", "x".repeat(51200) + "\n... [truncated at 51200 bytes]\n")]),
      msg("assistant", [call("w1", "write", { path: "wide.txt", content: "" })]),
    ]);
    assert.deepEqual(st.changes.map((c) => c.before), [{ index: 1, text: null }, {
      index: 4,
      text: null,
    }]);
    assert.equal(readWasCut(lines), false);
  });

  it("hostile ids and paths are ordinary keys", () => {
    const st = fileChangesOf([
      meta(null, ""),
      msg("assistant", [call("__proto__", "read", { path: "__proto__" })]),
      msg("tool", [result("__proto__", "base")]),
      msg("assistant", [call("constructor", "write", { path: "__proto__", content: "x" })]),
      msg("tool", [result("constructor", "x")]),
    ]);
    assert.deepEqual(
      st.changes.map((c) => [c.ok, c.before]),
      [[true, { index: 1, text: "base" }]],
    );
  });

  it("a fork's calls before its fork point are inherited: the ledger's rule (property)", () => {
    fc.assert(fc.property(
      fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
      fc.integer({ min: 0, max: 12 }),
      (forkPoint, n) => {
        const records = [meta(forkPoint)];
        for (let i = 0; i < n; i++) {
          records.push(msg("assistant", [
            call(`w${i}`, "write", { path: `f${i}`, content: "" }),
            call(`b${i}`, "bash", { command: "make" }),
          ]));
        }
        const st = fileChangesOf(records);
        assert.deepEqual(
          st.changes.map((c) => c.inherited),
          st.changes.map((c) => copiedFromParent(forkPoint, c.index)),
        );
        assert.equal(st.shellCommands, st.changes.filter((c) => !c.inherited).length);
      },
    ));
  });

  it("any arguments are read or counted as malformed, never thrown on (property)", () => {
    const args = fc.oneof(
      fc.jsonValue(),
      fc.record({ path: fc.jsonValue(), edits: fc.jsonValue(), content: fc.jsonValue() }, {
        requiredKeys: [],
      }),
      fc.record({
        path: fc.string(),
        edits: fc.array(fc.record({ oldText: fc.jsonValue(), newText: fc.jsonValue() })),
      }),
    );
    const tool = fc.constantFrom("edit", "write", "read", "bash", "grep");
    fc.assert(fc.property(fc.array(fc.tuple(tool, args, fc.boolean())), (calls) => {
      const records = [meta(null)];
      calls.forEach(([name, a, isError], i) => {
        records.push(msg("assistant", [call(`c${i}`, name, a)]));
        records.push(msg("tool", [result(`c${i}`, "out", isError)]));
      });
      const st = fileChangesOf(records);
      const tried = calls.filter(([name]) => name === "edit" || name === "write").length;
      assert.equal(st.changes.length + st.malformed, tried);
      for (const c of st.changes) {
        assert.ok(typeof c.path === "string" && c.path !== "");
        assert.ok(
          c.edits.every((e) => typeof e.oldText === "string" && typeof e.newText === "string"),
        );
        assert.ok(c.tool === "write" ? typeof c.content === "string" : c.content === null);
      }
    }));
  });

  it("a fold saved and resumed anywhere ends where one pass does (property)", () => {
    const records = [
      meta(3),
      msg("assistant", [call("r", "read", { path: "a" }), call("x", "bash", {})]),
      msg("tool", [result("r", "text")]),
      msg("assistant", [call("e", "edit", { path: "a", edits: [{ oldText: "t", newText: "T" }] })]),
      msg("tool", [result("e", "ok")]),
      msg("assistant", [call("w", "write", { path: "b", content: "c" }), call("y", "bash", {})]),
      msg("tool", [result("w", "no", true)]),
    ];
    const whole = fileChangesOf(records);
    fc.assert(fc.property(fc.integer({ min: 0, max: records.length }), (cut) => {
      const first = new FileChangeFold(emptyFileChanges());
      records.slice(0, cut).forEach((r) => first.add(r));
      const saved: FileChangesState = JSON.parse(JSON.stringify(first.state));
      const rest = new FileChangeFold(saved);
      records.slice(cut).forEach((r) => rest.add(r));
      assert.deepEqual(rest.state, whole);
    }));
  });

  it("a message line not decoded is counted, so later numbers stay right", () => {
    const fold = new FileChangeFold();
    fold.add(meta(null));
    fold.unreadMessage();
    fold.add(msg("assistant", [call("w", "write", { path: "b", content: "c" })]));
    assert.deepEqual([fold.state.changes[0].index, fold.state.unreadMessages], [1, 1]);
  });
});
