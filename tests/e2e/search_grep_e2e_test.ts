/**
 * `search` as grep (issue 22, item 5), with the built binary on a copy of
 * the example home (its path holds a space) plus a fork whose `fork_point`
 * counts more messages than it copied. What must be found is worked out
 * from the files (search_reference.ts):
 *
 * - a fork's copied history is one hit, its parent's; `--forks` shows the
 *   copies, each saying whose;
 * - `-l` lists each session with a hit once, `--count` counts them, `-C N`
 *   shows N messages around each hit, `--session REF` searches one session;
 * - with `-n`, stderr says how many more there are, with a command that,
 *   pasted into a shell, shows them all;
 * - every form gives the same answer through the index and with `--no-index`.
 *
 * @module
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { projectKey } from "../../lib/sessions/home.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { skipBecause } from "../helpers/skips.ts";
import { BIN, exampleWorkdir, type Run, run } from "./harness.ts";
import { copies, keyOf, matching, reference, type RefMessage } from "./search_reference.ts";

// The runs are of the binary: once (under Deno) is enough.
const UNDER_BUN = process.versions.bun !== undefined;

const FORK_CWD = "/home/dev/fork-test";
const PARENT_ID = "7a7a0001-0000-4000-8000-000000000000";
const FORK_ID = "7b7b0002-0000-4000-8000-000000000000";
/** A word in the parent's messages 0 and 3, and in the fork's own message 2. */
const WORD = "zqxforkword";

let work = "";
let home = "";
let cache = "";
let bin = "";
let messages: RefMessage[] = [];
let forkPath = "";

/** `search` on the home, through the index (or not: `--no-index` in `args`). */
function zs(args: string[], env: Record<string, string> = {}): Run {
  return run(BIN, ["search", "--home", home, "--cache-dir", cache, ...args], {
    ZOT_SESSIONS_NOW: EXAMPLE_NOW,
    ...env,
  });
}

/** The JSON lines of a run that must succeed (or find nothing). */
function json(r: Run): Record<string, unknown>[] {
  assert.ok(r.code === 0 || r.code === 1, `${r.code}: ${r.err}`);
  return r.out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

/** A hit's key. */
const key = (h: Record<string, unknown>) => `${h.path} ${h.index}`;

/** Words the home's own hits are checked with (the fork chain holds each). */
const WORDS = [["retry"], ["idempotency"], ["the"], [WORD], ["te"]];

before(async () => {
  work = await mkdtemp(join(tmpdir(), "zot-grep-"));
  const ex = await exampleWorkdir();
  home = join(work, "my home");
  await cp(ex.example, home, { recursive: true, preserveTimestamps: true });
  await ex.cleanup();
  cache = join(work, "cache");
  // A parent and a fork that copied its first 2 messages but says 5.
  const t = (s: number) => `2026-11-02T10:00:0${s}Z`;
  const parent = [
    metaLine({ id: PARENT_ID, cwd: FORK_CWD, title: "the parent" }),
    messageLine("user", `find the ${WORD} please`, t(1)),
    messageLine("assistant", "looking", t(2)),
    messageLine("user", "and now?", t(3)),
    messageLine("assistant", `the ${WORD} is in parent.go`, t(4)),
  ];
  const fork = [
    metaLine({ id: FORK_ID, cwd: FORK_CWD, parent: PARENT_ID, fork_point: 5, title: "the fork" }),
    parent[1],
    parent[2],
    messageLine("user", `my own ${WORD}, not the parent's`, t(5)),
    messageLine("assistant", "ok", t(6)),
  ];
  const dir = join(home, "sessions", projectKey(FORK_CWD));
  await mkdir(dir, { recursive: true });
  forkPath = join(dir, "20261102-100005-7b7b0002.jsonl");
  for (
    const [name, lines, min] of [["20261102-100001-7a7a0001.jsonl", parent, 90], [
      "20261102-100005-7b7b0002.jsonl",
      fork,
      60,
    ]] as const
  ) {
    await writeFile(join(dir, name), lines.map((l) => l + "\n").join(""));
    const at = new Date(Date.parse(EXAMPLE_NOW) - min * 60_000);
    await utimes(join(dir, name), at, at);
  }
  messages = await reference(home);
  // The program as a user has it, for the pasted command.
  bin = join(work, "bin");
  await mkdir(bin);
  await symlink(BIN, join(bin, "zot-sessions"));
});
after(() => rm(work, { recursive: true, force: true }));

describe("e2e: search like grep", { skip: skipBecause(UNDER_BUN, "run once, under Deno") }, () => {
  it("a fork's copied history is one hit, its parent's; --forks shows the copies", () => {
    const copied = copies(messages);
    let shown = 0;
    for (const words of WORDS) {
      const all = matching(messages, words, false);
      const own = all.filter((m) => !copied.has(keyOf(m)));
      const hits = json(zs(["--all", "--json", ...words]));
      assert.deepEqual(hits.map(key).sort(), own.map(keyOf).sort(), `${words}`);
      assert.ok(hits.every((h) => !("copyOf" in h)));
      const forks = json(zs(["--all", "--json", "--forks", ...words]));
      assert.deepEqual(forks.map(key).sort(), all.map(keyOf).sort(), `${words} --forks`);
      for (const h of forks) assert.equal(h.copyOf, copied.get(key(h)) ?? null, key(h));
      shown += forks.length - hits.length;
    }
    assert.ok(shown > 4, `copies were left out (${shown})`);
    // The fork's own message before its (overcounted) fork point is its own.
    const mine = json(zs(["--all", "--json", WORD])).filter((h) => h.path === forkPath);
    assert.deepEqual(mine.map((h) => h.index), [2]);
    // In text, a copy says whose.
    const text = zs(["--all", "--forks", "idempotency"]).out;
    assert.match(text, /^89166dff {2}\S+ \S+ {2}\w+ {2}copy of 8d337e16 {2}/m);
    assert.match(text, /^e1af52d0 {2}\S+ \S+ {2}\w+ {2}copy of 89166dff {2}/m);
  });

  it("--session REF: one session (a fork's copies are its own there)", () => {
    for (const ref of ["7b7b0002", forkPath, "8d337e16", "latest"]) {
      const r = zs(["--json", "--all", "--session", ref, "the"]);
      const hits = json(r);
      assert.ok(hits.length > 0, `${ref}: ${r.err}`);
      const path = hits[0].path as string;
      const want = matching(messages, ["the"], false).filter((m) => m.path === path);
      assert.deepEqual(hits.map(key).sort(), want.map(keyOf).sort(), ref);
    }
    const none = zs(["--session", "8d337e16", WORD]);
    assert.equal(none.code, 1);
    assert.match(none.err, /^No message in session "8d337e16" holds "zqxforkword"/);
    assert.equal(zs(["--session", "nope!", "x"]).code, 2);
    assert.equal(zs(["--session", "ffff0000", "x"]).code, 1);
  });

  it("-l: each session with a hit once, in the order of its first hit; --count: how many", () => {
    for (const words of WORDS) {
      const hits = json(zs(["--all", "--json", ...words]));
      const paths = [...new Set(hits.map((h) => h.path as string))];
      const l = zs(["--all", "-l", ...words]);
      assert.equal(l.out, paths.map((p) => p + "\n").join(""), `${words}`);
      const lj = json(zs(["--all", "--files-with-matches", "--json", ...words]));
      assert.deepEqual(lj.map((s) => s.path), paths);
      assert.deepEqual(Object.keys(lj[0]), ["id", "shortId", "path", "cwd", "title"]);
      const count = zs(["--all", "--count", ...words]);
      assert.deepEqual([count.code, count.out], [0, `${hits.length}\n`]);
      assert.deepEqual(json(zs(["--all", "--count", "--json", ...words])), [
        { hits: hits.length, sessions: paths.length },
      ]);
    }
    const none = zs(["--all", "--count", "nothing-holds-this"]);
    assert.deepEqual([none.code, none.out, none.err], [1, "0\n", ""]);
    assert.equal(zs(["--all", "-l", "--count", "x"]).code, 2);
    assert.equal(zs(["--all", "-l", "-C", "1", "x"]).code, 2);
    assert.equal(zs(["--all", "--count", "-n", "3", "x"]).code, 2);
  });

  it("-C N: N messages before and after each hit, one line each", () => {
    const byKey = new Map(messages.map((m) => [keyOf(m), m]));
    const preview = (m: RefMessage) => {
      const raw = m.body || m.tools;
      const cut = raw.length > 160;
      return raw.slice(0, 160).replace(/\s+/g, " ").trim() + (cut ? "…" : "");
    };
    for (const n of [1, 2]) {
      const hits = json(zs(["--all", "--json", "-C", String(n), "idempotency"]));
      assert.ok(hits.length > 2);
      for (const h of hits) {
        const context = h.context as { index: number; role: string; time: string; text: string }[];
        const i = h.index as number;
        const want = messages.filter((m) =>
          m.path === h.path && m.index !== i && Math.abs(m.index - i) <= n
        );
        assert.deepEqual(context.map((c) => c.index), want.map((m) => m.index));
        for (const c of context) {
          const m = byKey.get(`${h.path} ${c.index}`)!;
          assert.deepEqual([c.role, c.time, c.text], [m.role, m.time, preview(m)]);
        }
      }
    }
    // In text: "#N role: text" around "> #N role: snippet".
    const text = zs(["--all", "-C", "1", WORD]).out;
    assert.match(
      text,
      /\n {2}#1 assistant: looking\n> #2 user: my own zqxforkword, not the parent's\n {2}#3 assistant: ok\n {2}zot-sessions show 7b7b0002 --around 2 --home .*\n/,
    );
  });

  it("-n: says how many more, with a command that pasted into a shell shows them all", () => {
    for (
      const [words, flags, what] of [[["the"], [], "hits"], [["retry"], ["--forks"], "hits"], [
        ["the"],
        ["-l"],
        "sessions",
      ]] as const
    ) {
      const every = zs(["--all", ...flags, ...words]);
      const total = what === "hits"
        ? Number(zs(["--all", "--count", ...flags, ...words]).out)
        : every.out.split("\n").filter(Boolean).length;
      assert.ok(total > 2, `${words} ${flags}: ${total}`);
      const r = zs(["--all", ...flags, ...words, "-n", "2"]);
      assert.equal(r.code, 0, r.err);
      const m = /^zot-sessions: 2 of (\d+) (\w+) shown \((\d+) more\); all of them: (.*)\n$/.exec(
        r.err,
      );
      assert.ok(m, r.err);
      assert.deepEqual([Number(m[1]), m[2], Number(m[3])], [total, what, total - 2]);
      // The scope kept, quoted: --home (with its space), --cache-dir, --all.
      assert.ok(m[4].includes(` --home '${home}' --cache-dir ${cache} --all`), m[4]);
      const pasted = run("sh", ["-c", m[4]], {
        PATH: `${bin}:${process.env.PATH}`,
        ZOT_SESSIONS_NOW: EXAMPLE_NOW,
      });
      assert.deepEqual([pasted.code, pasted.out, pasted.err], [0, every.out, ""]);
    }
    // As many as asked: nothing said.
    const all = Number(zs(["--all", "--count", "retry"]).out);
    assert.equal(zs(["--all", "-n", String(all), "retry"]).err, "");
    assert.equal(zs(["--all", "-q", "-n", "1", "retry"]).err, "");
  });

  it("every form gives the same answer through the index and with --no-index", () => {
    const forms = [
      [],
      ["--json"],
      ["--forks"],
      ["--forks", "--json"],
      ["-l"],
      ["-l", "--json", "--forks"],
      ["--count"],
      ["--count", "--json", "--forks"],
      ["-C", "2"],
      ["-C", "1", "--json", "--forks"],
      ["-n", "2"],
      ["-l", "-n", "1"],
      ["--sort", "relevance"],
      ["--sort", "relevance", "--forks", "-n", "3", "--json"],
      ["--session", "89166dff", "-C", "1"],
      ["--tools", "--forks", "--json"],
      ["--role", "user", "-l"],
    ];
    for (const words of [["the"], [WORD], ["te"]]) {
      for (const form of forms) {
        const args = ["--all", ...form, ...words];
        const viaIndex = zs(args);
        const direct = zs([...args, "--no-index"]);
        assert.deepEqual(direct, viaIndex, args.join(" "));
      }
    }
  });
});
