/**
 * End-to-end tests of `changes` (issue 24) on the example home and zot's
 * samples, against a reference decoded here from the files themselves
 * (changes_reference.ts): the files each session changed, their counts,
 * whether created, the message numbers, the shell commands. `--patch` is
 * checked by `git apply` on the text each session read: it must take the
 * patch and give the text the reference replays. Fixtures of our own add
 * what neither home has: a failed call, an aborted one, malformed
 * arguments, a path with escape sequences.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { BIN, exampleWorkdir, run, RUNNERS } from "./harness.ts";
import { reference } from "./changes_reference.ts";
import { checkHome, checkNote, jsonOf } from "./changes_check.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { SAMPLES_NOW } from "../helpers/clock.ts";
import { hasProgram } from "../helpers/spawn.ts";
import { needs } from "../helpers/skips.ts";
import { messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";

const noGit = needs("git", hasProgram("git"));

describe("changes on the example home", { skip: noGit }, () => {
  let ex: Awaited<ReturnType<typeof exampleWorkdir>>;
  before(async () => {
    ex = await exampleWorkdir();
  });
  after(() => ex.cleanup());

  it("--json and --patch of every session are the reference's; git apply takes the patches", async () => {
    const checked = await checkHome(ex.example, ex.env);
    assert.ok(checked >= 8, `only ${checked} sessions changed files`);
  });
});

describe("changes on zot's samples", { skip: samplesSkip || noGit }, () => {
  const env = { ZOT_SESSIONS_NOW: SAMPLES_NOW };
  const file = (name: string) => join(samplesHome(), "sessions/98bce8e9987b1030", name);

  it("--json and --patch of every sample are the reference's", async () => {
    assert.ok(await checkHome(samplesHome(), env) >= 3);
  });

  it("the fork 8740d21c lists its own edit, not its parent's copied one", async () => {
    const ref = reference(await readFile(file("20260923-073002-8740d21c.jsonl"), "utf8"));
    assert.deepEqual(ref.files.map((f) => f.path), ["ledger/round_test.go"]);
    const parent = reference(await readFile(file("20260922-120509-0e19291e.jsonl"), "utf8"));
    const written = parent.files.find((f) => f.path === "ledger/round_neg_test.go");
    assert.deepEqual([written?.created, written?.changes], [true, [
      { index: 11, tool: "write", ok: true },
    ]]);
    for (const [name, runner] of RUNNERS) {
      const r = runner(["changes", "8740d21c", "--home", samplesHome()], env);
      assert.equal(r.code, 0, `${name}: ${r.err}`);
      const rows = r.out.split("\n").filter((l) => /^\S+\s+\+\d+\s+-\d+\s+#/.test(l));
      assert.deepEqual(rows.map((l) => l.split(/\s+/)), [[
        "ledger/round_test.go",
        "+2",
        "-0",
        "#13",
      ]]);
      const command = checkNote(r.out, ref, samplesHome());
      if (name === "binary") {
        // The note's command pastes: it shows the session's tool results.
        const shown = run(BIN, command!.split(" "), { ...env, NO_COLOR: "1" });
        assert.equal(shown.code, 0, shown.err);
        assert.match(shown.out, /go test -race/);
        assert.doesNotMatch(shown.out, /is failing in ledger/, "only tool messages");
        // Only the fork's own: the shell commands shown are those counted.
        const commands = shown.out.split("\n").filter((l) => /^ *│ \$ /.test(l));
        assert.equal(commands.length, ref.shellCommands, shown.out);
      }
    }
  });
});

describe("changes on hostile and failed calls", () => {
  const cwd = "/src/app";
  const T = "2026-11-01T09:00:00Z";
  const call = (id: string, name: string, args: unknown) => ({ id, name, arguments: args });
  const result = (id: string, text: string, isError = false) => ({
    call_id: id,
    content: [{ text }],
    is_error: isError,
  });
  const lines = [
    metaLine({ id: "c4a11e60-0000-4000-8000-000000000001", cwd }),
    messageLine("user", "change things", T),
    messageLine("assistant", [
      call("e1", "edit", { path: "a.go", edits: [{ oldText: "x", newText: "y" }] }),
      call("e2", "write", { path: "evil\x1b]52;c;AAAA\x07.txt", content: "one\ntwo\n" }),
      call("e3", "edit", { path: 42, edits: "none" }),
      call("e4", "write", { path: "b.go", content: null }),
      call("e5", "edit", { path: "c.go", edits: [{ oldText: "p", newText: "q\nr" }] }),
      call("e6", "bash", { command: "make" }),
    ], T),
    messageLine("tool", [result("e1", "oldText not found", true), result("e2", "ok")], T),
    // e5 has no result: the turn was aborted.
  ];

  it("marks failed and aborted calls, leaves malformed ones out, escapes paths", async () => {
    const h = await tempHome([{ cwd, name: "20261101-090000-c4a11e60.jsonl", lines, mtimeMs: 0 }]);
    try {
      const ref = reference(lines.join("\n") + "\n");
      const env = { ZOT_SESSIONS_NOW: SAMPLES_NOW, NO_COLOR: "1" };
      const json = run(BIN, ["changes", "c4a11e60", "--json", "--home", h.home], env);
      assert.equal(json.code, 0, json.err);
      const got = json.out.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(got, ref.files.map(jsonOf));
      assert.deepEqual(got.map((f) => [f.added, f.changes.map((c: { ok: boolean }) => c.ok)]), [
        [0, [false]],
        [2, [true]],
        [0, [false]],
      ]);
      assert.match(json.err, /2 edit or write calls .* cannot be read/);
      const text = run(BIN, ["changes", "c4a11e60", "--home", h.home, "--absolute"], env);
      assert.equal(text.code, 0, text.err);
      assert.ok(!text.out.includes("\x1b") && !text.out.includes("\x07"), "no raw control");
      assert.match(text.out, /^\/src\/app\/a\.go +\+0 +-0 +#1 \(failed\)$/m);
      assert.match(text.out, /^\/src\/app\/evil␛\]52;c;AAAA␇\.txt +\+2 +-0 +#1 \(created\)$/m);
      assert.match(text.out, /^\/src\/app\/c\.go +\+0 +-0 +#1 \(no result\)$/m);
      const usage = run(BIN, ["changes", "c4a11e60", "--patch", "--json", "--home", h.home], env);
      assert.deepEqual([usage.code, usage.err], [
        2,
        'zot-sessions: Cannot combine --patch and --json: choose one (see "zot-sessions changes --help")\n',
      ]);
    } finally {
      await h.cleanup();
    }
  });
});
