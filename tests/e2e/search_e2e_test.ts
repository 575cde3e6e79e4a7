/**
 * `search` and `resume` (issue 11, "Done when"), on copies of the example
 * home and of zot's samples, each with one added session holding CJK text,
 * emoji, `<`, `>`, `&` (as zot escapes them) and a word only in a tool
 * result. The hits (session, message index) must equal a reference computed
 * here by decoding the files directly, for ASCII words, a phrase, a prefix,
 * a CJK substring and a short term, `<>&`, and with and without `--tools`;
 * through the index and with `--no-index`. Hits follow an append (reading
 * only the new bytes) and go when gc removes the session. `resume --print`
 * prints the exact command; `resume` runs a stub `zot` in the project
 * directory with `--session PATH`.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  appendFile,
  chmod,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { projectKey } from "../../lib/sessions/home.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { BIN, exampleWorkdir, type Run, run } from "./harness.ts";
import { expected, reference, type RefMessage } from "./search_reference.ts";
import { EXAMPLE_NOW, SAMPLES_NOW } from "../helpers/clock.ts";
import { skipBecause } from "../helpers/skips.ts";

// The runs are of the binary: once (under Deno) is enough.
const UNDER_BUN = process.versions.bun !== undefined;

const ADDED_CWD = "/home/dev/search-test";
const ADDED_ID = "5ea4c400-1111-4222-8333-444455556666";
const TOOL_WORD = "zqxoutputonly";
/** The added session's lines: CJK, emoji, <>&, a word only in a tool result. */
function addedSession(): string[] {
  const t = (s: number) => `2026-11-02T10:00:${String(s).padStart(2, "0")}+09:00`;
  return [
    metaLine({ id: ADDED_ID, cwd: ADDED_CWD, title: "CJK search test" }),
    messageLine("user", '絵文字のテストです 🎉 please check <Route path="/a"> & more', t(1)),
    messageLine("assistant", [
      { id: "call_1", name: "bash", arguments: { command: "grep -r 絵文字 src" } },
    ], t(2)),
    messageLine("tool", [
      { call_id: "call_1", content: [{ text: `${TOOL_WORD}: 3 matches` }], is_error: false },
    ], t(3)),
    messageLine("assistant", [{ text: "Found 文字 three times; Fish & Chips <b>ok</b>" }], t(4)),
  ];
}

function zs(args: string[], cache: string, env: Record<string, string> = {}): Run {
  return run(BIN, args, { ZOT_SESSIONS_CACHE: cache, ...env });
}

/**
 * The hits `search --json --forks` gives (every matching message, a fork's
 * copies too: the reference knows no copy), as sorted (path, index) pairs;
 * `now` pins the clock.
 */
function hits(
  home: string,
  cache: string,
  now: string,
  words: string[],
  flags: string[] = [],
): string[] {
  const r = zs(
    ["search", "--home", home, "--all", "--json", "--forks", ...flags, ...words],
    cache,
    {
      ZOT_SESSIONS_NOW: now,
    },
  );
  assert.ok(r.code === 0 || r.code === 1, `search ${words.join(" ")}: ${r.code} ${r.err}`);
  const lines = r.out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(r.code, lines.length > 0 ? 0 : 1, "exit 0 with hits, 1 without");
  return lines.map((h) => `${h.path} ${h.index}`).sort();
}

/** Words the reference draws from the home's own text: a phrase and a word prefix. */
function drawn(messages: RefMessage[]): { phrase: string; prefix: string; words: string[] } {
  const texts = messages.map((m) => m.body).filter((t) => /[a-z]{4,} [a-z]{4,}/i.test(t));
  assert.ok(texts.length > 0, "the home has English text");
  const phrase = /[a-z]{4,} [a-z]{4,}/i.exec(texts[Math.floor(texts.length / 2)])![0];
  const long = /[a-z]{8,}/i.exec(texts.find((t) => /[a-z]{8,}/i.test(t))!)![0];
  const words = phrase.split(" ");
  return { phrase, prefix: long.slice(0, 6).toUpperCase(), words };
}

/**
 * Checks search on a copy of the example home (`source` null) or of
 * `source`, read at `now` (the instant its fixed times are read at).
 */
async function checkHome(source: string | null, now: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "zot-search-"));
  const cache = join(work, "cache");
  try {
    let home: string;
    if (source === null) {
      const ex = await exampleWorkdir();
      home = join(work, "home");
      await cp(ex.example, home, { recursive: true, preserveTimestamps: true });
      await ex.cleanup();
    } else {
      home = join(work, "home");
      await cp(source, home, { recursive: true, preserveTimestamps: true });
    }
    const dir = join(home, "sessions", projectKey(ADDED_CWD));
    await mkdir(dir, { recursive: true });
    const added = join(dir, "20261102-010000-5ea4c400.jsonl");
    await writeFile(added, addedSession().map((l) => l + "\n").join(""));
    // Written before `now`, as the rest of the home (gc leaves the future alone).
    const writtenAt = (minutes: number) =>
      utimes(
        added,
        new Date(Date.parse(now) - minutes * 60_000),
        new Date(Date.parse(now) - minutes * 60_000),
      );
    await writtenAt(60);

    let messages = await reference(home);
    const d = drawn(messages);
    const cases: [string[], string[]][] = [
      [d.words, []],
      [[d.phrase], []],
      [[d.prefix], []],
      [["絵文字のテスト"], []],
      [["文字"], []], // shorter than a trigram
      [["🎉"], []],
      [["<route path="], []],
      [["fish & chips", "<b>"], []],
      [[TOOL_WORD], []],
      [[TOOL_WORD], ["--tools"]],
      [["grep -r"], ["--tools"]],
      [[d.words[0]], ["--tools"]],
    ];
    for (const [words, flags] of cases) {
      const want = expected(messages, words, flags.includes("--tools"));
      assert.deepEqual(hits(home, cache, now, words, flags), want, `search ${words} ${flags}`);
      assert.deepEqual(
        hits(home, cache, now, words, [...flags, "--no-index"]),
        want,
        `search ${words} ${flags} --no-index`,
      );
    }
    // The cases that must have hits do (so the comparisons above mean something).
    for (
      const w of [d.words, [d.phrase], [d.prefix], ["絵文字のテスト"], ["文字"], ["<route path="]]
    ) {
      assert.ok(expected(messages, w, false).length > 0, `the reference finds ${w}`);
    }
    assert.equal(expected(messages, [TOOL_WORD], false).length, 0);
    assert.equal(expected(messages, [TOOL_WORD], true).length, 1);

    // An append: the new message is found, reading only what was appended.
    const line = messageLine("user", "appendedneedle after the fact", "2026-11-02T10:01:00+09:00") +
      "\n";
    await appendFile(added, line);
    await writtenAt(30);
    const stats = zs(
      ["search", "--home", home, "--all", "--json", "appendedneedle"],
      cache,
      { ZOT_SESSIONS_STATS: "1", ZOT_SESSIONS_NOW: now },
    );
    assert.equal(stats.code, 0, stats.err);
    assert.equal(JSON.parse(stats.out).index, 4);
    const read = Number(/read (\d+) bytes/.exec(stats.err)![1]);
    assert.ok(read <= Buffer.byteLength(line) + 16 * 1024, `read ${read} bytes after an append`);
    messages = await reference(home);
    assert.deepEqual(
      hits(home, cache, now, ["appendedneedle"]),
      expected(messages, ["appendedneedle"], false),
    );

    // gc removes the session: its hits go.
    const gc = zs(["gc", "--home", home, "--yes", "--grace", "0", added], cache, {
      ZOT_SESSIONS_NOW: now,
    });
    assert.equal(gc.code, 0, gc.err);
    assert.ok(!existsSync(added), gc.out);
    assert.deepEqual(hits(home, cache, now, ["絵文字のテスト"]), []);
    assert.deepEqual(hits(home, cache, now, ["appendedneedle"]), []);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

describe("search", { skip: skipBecause(UNDER_BUN, "run once, under Deno") }, () => {
  it("finds exactly the messages holding every word: the example home", async () => {
    await checkHome(null, EXAMPLE_NOW);
  });

  it(
    "finds exactly the messages holding every word: zot's samples",
    { skip: samplesSkip },
    async () => {
      await checkHome(samplesHome(), SAMPLES_NOW);
    },
  );

  it("refuses no words (exit 2)", () => {
    const r = zs(["search"], join(tmpdir(), "zot-no-cache"));
    assert.equal(r.code, 2);
    assert.match(r.err, /Cannot search: give one or more words/);
  });
});

describe("resume", { skip: skipBecause(UNDER_BUN, "run once, under Deno") }, () => {
  let work: string;
  let home: string;
  let project: string;
  let session: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), "zot-resume-"));
    project = join(work, "my project");
    await mkdir(project);
    home = join(work, "home");
    const dir = join(home, "sessions", projectKey(project));
    await mkdir(dir, { recursive: true });
    session = join(dir, "20261102-010000-7e5a1b2c.jsonl");
    await writeFile(
      session,
      [
        metaLine({ id: "7e5a1b2c-0000-4000-8000-000000000000", cwd: project }),
        messageLine("user", "hi"),
      ]
        .map((l) => l + "\n").join(""),
    );
  });
  after(() => rm(work, { recursive: true, force: true }));

  it("--print gives the exact command, shell-quoted", () => {
    const r = zs(["resume", "--home", home, "7e5a", "--print"], join(work, "cache"));
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `cd -- '${project}' && zot --session ${session}\n`);
  });

  it("runs zot --session PATH in the project directory", async () => {
    const bin = join(work, "bin");
    await mkdir(bin, { recursive: true });
    const log = join(work, "zot.log");
    await writeFile(
      join(bin, "zot"),
      `#!/bin/sh\npwd > "${log}"\nprintf '%s\\n' "$@" >> "${log}"\nexit 3\n`,
    );
    await chmod(join(bin, "zot"), 0o755);
    const r = zs(["resume", "--home", home, "7e5a"], join(work, "cache"), {
      PATH: `${bin}:${process.env.PATH}`,
    });
    assert.equal(r.code, 3, r.err); // zot's own exit status
    assert.equal(await readFile(log, "utf8"), `${project}\n--session\n${session}\n`);
  });

  it("without zot on PATH, says so and prints the command", () => {
    const r = zs(["resume", "--home", home, "7e5a"], join(work, "cache"), { PATH: "/nonexistent" });
    assert.equal(r.code, 1);
    assert.match(r.err, /Cannot run "zot": not found on PATH; run it yourself:\n/);
    assert.ok(r.err.endsWith(`cd -- '${project}' && zot --session ${session}\n`), r.err);
  });

  it("refuses an export and an archive", async () => {
    const exported = join(work, "x.zotsession");
    await cp(session, exported);
    const r = zs(["resume", "--home", home, exported], join(work, "cache"));
    assert.equal(r.code, 1);
    assert.match(r.err, /Cannot resume ".*x\.zotsession": an export \(zot would append to it\)/);
  });
});
