/**
 * End-to-end tests of `blame PATH` (issue 24) on copies of the example home
 * and of zot's samples, each with an added session naming a file three ways
 * (absolute, `./`, with `..`) in a write, a failed edit and one with no
 * result. Each answer (`--json`, every project) must equal a reference
 * decoded here with JSON.parse from the files themselves: every own `edit`
 * and `write` call (a fork's calls before its fork point are its parent's),
 * joined with its session's cwd, newest first; through the index and with
 * `--no-index`; for the absolute path and for relative ones from the
 * project (`--cwd`). A call appended later is found (the index reads what
 * was appended), a fork whose parent is gone lists its copies as its own, and
 * the text form names each change and the command that shows the newest.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import process from "node:process";
import { BIN, exampleWorkdir, type Run, run } from "./harness.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { EXAMPLE_NOW, SAMPLES_NOW } from "../helpers/clock.ts";
import { skipBecause } from "../helpers/skips.ts";
import { expected, type RefChange, reference } from "./blame_reference.ts";

// The runs are of the binary: once (under Deno) is enough.
const UNDER_BUN = process.versions.bun !== undefined;

/** The session added to a home: one file named three ways; a failed call, one with no result. */
const ADDED_ID = "b1a4e000-1111-4222-8333-444455556666";
function addedSession(cwd: string, file: string): string[] {
  const t = (s: number) => `2026-11-20T09:00:${String(s).padStart(2, "0")}+01:00`;
  const call = (id: string, name: string, path: string, time: string) =>
    messageLine("assistant", [{
      id,
      name,
      arguments: name === "write"
        ? { path, content: "package x\n" }
        : { path, edits: [{ oldText: "x", newText: "y" }] },
    }], time);
  const result = (id: string, error: boolean, time: string) =>
    messageLine("tool", [{ call_id: id, content: [{ text: "done" }], is_error: error }], time);
  return [
    metaLine({ id: ADDED_ID, cwd }),
    messageLine("user", "rewrite it", t(1)),
    call("w1", "write", posix.join(cwd, file), t(2)),
    result("w1", false, t(3)),
    call("e1", "edit", "./" + file, t(4)),
    result("e1", true, t(5)),
    call("e2", "edit", posix.join(posix.dirname(file), "..", file), t(6)),
    messageLine("user", "stop", t(7)),
  ];
}

/** A copy of a home with the added session in the project `cwd`. */
async function copyHome(work: string, source: string, cwd: string, file: string, now: string) {
  const home = join(work, "home");
  await cp(source, home, { recursive: true, preserveTimestamps: true });
  const dir = join(home, "sessions", projectKey(cwd));
  await mkdir(dir, { recursive: true });
  const added = join(dir, "20261120-080000-b1a4e000.jsonl");
  await writeFile(added, addedSession(cwd, file).map((l) => l + "\n").join(""));
  const at = new Date(Date.parse(now) - 3_600_000);
  await utimes(added, at, at);
  return { home, added };
}

function blame(home: string, cache: string, now: string, args: string[]): Run {
  return run(BIN, ["blame", "--home", home, ...args], {
    ZOT_SESSIONS_CACHE: cache,
    ZOT_SESSIONS_NOW: now,
  });
}

/** `blame --json`'s lines, checked for the exit code that goes with them. */
function json(r: Run): RefChange[] {
  assert.ok(r.code === 0 || r.code === 1, `${r.code}: ${r.err}`);
  const lines = r.out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(r.code, lines.length > 0 ? 0 : 1, "exit 0 with changes, 1 without");
  return lines;
}

/**
 * Checks blame on a copy of `source` (null: the example home) read at
 * `now`: each of `files` (relative to `cwd`, the project of the added
 * session and of the relative runs), and the file named three ways.
 */
async function checkHome(
  source: string | null,
  now: string,
  cwd: string,
  files: string[],
): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "zot-blame-"));
  const cache = join(work, "cache");
  try {
    let from = source;
    if (from === null) {
      const ex = await exampleWorkdir();
      from = join(work, "example");
      await cp(ex.example, from, { recursive: true, preserveTimestamps: true });
      await ex.cleanup();
    }
    const { home, added } = await copyHome(work, from, cwd, files[0], now);
    let ref = await reference(home);
    for (const file of files) {
      const absolute = posix.join(cwd, file);
      const want = expected(ref, absolute);
      assert.ok(want.length > 0, `the reference finds changes to ${absolute}`);
      for (const flags of [[], ["--no-index"]]) {
        assert.deepEqual(
          json(blame(home, cache, now, [absolute, "--all", "--json", ...flags])),
          want,
          `${absolute} ${flags}`,
        );
      }
    }
    // The file named three ways: the write, the failed edit, the edit with no result.
    const named = expected(ref, posix.join(cwd, files[0])).filter((c) => c.id === ADDED_ID);
    assert.deepEqual(named.map((c) => [c.index, c.tool, c.ok]), [[5, "edit", false], [
      3,
      "edit",
      false,
    ], [1, "write", true]]);
    // Relative forms, from the project: its sessions only.
    const here = expected(ref, posix.join(cwd, files[0])).filter((c) => c.cwd === cwd);
    const relative = `./${posix.dirname(files[0])}/../${files[0]}`;
    for (const [path, flags] of [[files[0], []], [relative, ["--no-index"]]] as const) {
      assert.deepEqual(
        json(blame(home, cache, now, ["--cwd", cwd, path, "--json", ...flags])),
        here,
        path,
      );
    }
    // A call appended since: read from where the index stopped.
    const t = "2026-11-24T10:00:00Z";
    await appendFile(
      added,
      messageLine("assistant", [{
        id: "w2",
        name: "write",
        arguments: { path: files[0], content: "" },
      }], t) + "\n" +
        messageLine("tool", [{ call_id: "w2", content: [{ text: "ok" }], is_error: false }], t) +
        "\n",
    );
    ref = await reference(home);
    const grown = expected(ref, posix.join(cwd, files[0]));
    assert.deepEqual(grown[0].index, 7);
    for (const flags of [[], ["--no-index"]]) {
      assert.deepEqual(
        json(blame(home, cache, now, [posix.join(cwd, files[0]), "--all", "--json", ...flags])),
        grown,
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

describe("blame", { skip: skipBecause(UNDER_BUN, "run once, under Deno") }, () => {
  it("lists exactly the sessions' own edit and write calls: the example home", async () => {
    await checkHome(null, EXAMPLE_NOW, "/home/dev/ledger-api", [
      "store/transfers.go",
      "store/migrations/0014_idempotency_keys.sql",
      "store/cleanup.go",
    ]);
  });

  it(
    "lists exactly the sessions' own edit and write calls: zot's samples",
    { skip: samplesSkip },
    async () => {
      await checkHome(samplesHome(), SAMPLES_NOW, "/home/dev/project-a", [
        "ledger/round.go",
        "ledger/round_neg_test.go",
        "api/accounts.go",
      ]);
    },
  );

  it(
    "lists a fork whose parent is gone with its copies as its own (they are the parent's while it is there)",
    {
      skip: samplesSkip,
    },
    async () => {
      const work = await mkdtemp(join(tmpdir(), "zot-blame-"));
      try {
        const home = join(work, "home");
        const project = join(home, "sessions", "98bce8e9987b1030");
        await mkdir(project, { recursive: true });
        const name = "20260923-073002-8740d21c.jsonl";
        await cp(join(samplesHome(), "sessions", "98bce8e9987b1030", name), join(project, name));
        const ref = await reference(home);
        const cache = join(work, "cache");
        // Its own edit (#13), not the copied one of ledger/round.go (#5, before its fork point 11).
        const own = "/home/dev/project-a/ledger/round_test.go";
        const want = expected(ref, own);
        assert.deepEqual(want.map((c) => c.index), [13]);
        assert.deepEqual(json(blame(home, cache, SAMPLES_NOW, [own, "--all", "--json"])), want);
        // Its copy of ledger/round.go's edit (#5, before its fork point 11): the only record left.
        const copied = "/home/dev/project-a/ledger/round.go";
        const copies = expected(ref, copied);
        assert.deepEqual(copies.map((c) => [c.shortId, c.index]), [["8740d21c", 5]]);
        for (const flags of [[], ["--no-index"], []]) {
          const args = [copied, "--all", "--json", ...flags];
          assert.deepEqual(json(blame(home, cache, SAMPLES_NOW, args)), copies, flags.join());
        }
        // With the parent back, the copy is its parent's again.
        const parent = (await readdir(join(samplesHome(), "sessions", "98bce8e9987b1030")))
          .filter((n) => n !== name);
        for (const n of parent) {
          await cp(join(samplesHome(), "sessions", "98bce8e9987b1030", n), join(project, n));
        }
        const all = expected(await reference(home), copied);
        assert.ok(all.length > 0 && all.every((c) => c.shortId !== "8740d21c"));
        for (const flags of [[], ["--no-index"]]) {
          const args = [copied, "--all", "--json", ...flags];
          assert.deepEqual(json(blame(home, cache, SAMPLES_NOW, args)), all, flags.join());
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  );

  it("writes one line per change and the newest's command; says where else to look; refuses no file", async () => {
    const ex = await exampleWorkdir();
    try {
      const cache = join(ex.work, "cache");
      const home = ex.example;
      const project = ["--cwd", "/home/dev/ledger-api"];
      const r = blame(home, cache, EXAMPLE_NOW, [...project, "store/transfers.go", "--utc"]);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.split("\n");
      assert.match(lines[0], /^TIME +SESSION +MESSAGE +TOOL +RESULT +TITLE$/);
      // Time, session, message, tool, result, title (cut to the width asked).
      const cells = (line: string) => line.split(/ {2,}/);
      assert.deepEqual(cells(lines[1]).slice(0, 5), [
        "2026-10-07 12:44:13",
        "e1af52d0",
        "#25",
        "edit",
        "ok",
      ]);
      assert.match(cells(lines[1])[5], /^POST \/v1\/transfers/);
      assert.deepEqual(cells(lines[2]), [
        "2026-10-06 08:04:17",
        "89166dff",
        "#19",
        "edit",
        "ok",
        "idempotency: key column + 24h expiry",
      ]);
      const hint =
        `zot-sessions show e1af52d0 --around 25 --home ${home} --cwd /home/dev/ledger-api`;
      assert.deepEqual(lines.slice(3), ["", `The newest in context: ${hint}`, ""]);
      const shown = run(BIN, hint.split(" ").slice(1), {
        ZOT_SESSIONS_CACHE: cache,
        ZOT_SESSIONS_NOW: EXAMPLE_NOW,
      });
      assert.equal(shown.code, 0, shown.err);
      assert.match(shown.out, /store\/transfers\.go/);

      const none = blame(home, cache, EXAMPLE_NOW, [...project, "no/such/file.go"]);
      assert.equal(none.code, 1);
      assert.equal(none.out, "");
      assert.equal(
        none.err,
        'No session of "/home/dev/ledger-api" changed "/home/dev/ledger-api/no/such/file.go" with edit or write.\n' +
          `zot-sessions: 6 sessions in other projects: try "zot-sessions blame /home/dev/ledger-api/no/such/file.go --all --home ${home} --cwd /home/dev/ledger-api"\n`,
      );
      const usage = blame(home, cache, EXAMPLE_NOW, []);
      assert.equal(usage.code, 2);
      assert.match(usage.err, /^zot-sessions: Cannot blame nothing: give a file/);
    } finally {
      await ex.cleanup();
    }
  });

  it("from a subdirectory of a project takes the sessions of the projects above that hold the file", async () => {
    const ex = await exampleWorkdir();
    try {
      const cache = join(ex.work, "cache");
      const home = ex.example;
      const file = "/home/dev/ledger-api/store/migrations/0014_idempotency_keys.sql";
      const want = json(
        blame(home, cache, EXAMPLE_NOW, ["--cwd", "/home/dev/ledger-api", file, "--json"]),
      );
      assert.deepEqual(want.map((c) => c.shortId), ["89166dff", "8d337e16"]);
      for (
        const [cwd, path] of [
          ["/home/dev/ledger-api/store", "migrations/0014_idempotency_keys.sql"],
          ["/home/dev/ledger-api/store/migrations", "./0014_idempotency_keys.sql"],
          ["/home/dev/ledger-api/store/migrations/gone", "../0014_idempotency_keys.sql"],
        ]
      ) {
        for (const flags of [[], ["--no-index"]]) {
          const r = blame(home, cache, EXAMPLE_NOW, ["--cwd", cwd, path, "--json", ...flags]);
          assert.deepEqual(json(r), want, `${cwd} ${flags}`);
        }
      }
      // Nothing found: the hint counts the sessions of the projects not looked at.
      const none = blame(home, cache, EXAMPLE_NOW, ["--cwd", "/home/dev/ledger-api/store", "x.go"]);
      assert.equal(none.code, 1);
      assert.equal(
        none.err,
        'No session of "/home/dev/ledger-api/store" changed "/home/dev/ledger-api/store/x.go" with edit or write.\n' +
          `zot-sessions: 6 sessions in other projects: try "zot-sessions blame /home/dev/ledger-api/store/x.go --all --home ${home} --cwd /home/dev/ledger-api/store"\n`,
      );
    } finally {
      await ex.cleanup();
    }
  });
});
