/**
 * End-to-end tests of damage warned about once (issue 22, item 6; see
 * harness.ts for how they run): the first run that meets damaged lines
 * warns about each file; a later run over the same unchanged files says it
 * in one line whose `ls --damaged` hint pastes (the scope flags kept,
 * shell-quoted); a changed file is warned about again; without the index
 * every run warns line by line; `-q` hides all of it. `ls --damaged` lists
 * the sessions with damaged lines, with counts.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { BIN, run } from "./harness.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { spawnSync } from "../helpers/spawn.ts";

const CWD = "/home/dev/alpha";
const id = (n: number) => `${String(n).repeat(8)}-0000-4000-8000-000000000000`;

let work = "";
let home = "";
const paths: string[] = [];
before(async () => {
  work = await mkdtemp(join(tmpdir(), "zot-e2e-damage-seen-"));
  // A home whose name a shell would split: the hint must quote it.
  home = join(work, "my zot home");
  const dir = join(home, "sessions", projectKey(CWD));
  await mkdir(dir, { recursive: true });
  for (const n of [1, 2, 3]) {
    const lines = [
      metaLine({ id: id(n), cwd: CWD }),
      messageLine("user", `prompt ${n}`),
      ...(n < 3 ? ["not json at all", `{"type":"message","message":{"role":"assis`] : []),
      messageLine("assistant", "ok"),
    ];
    const path = join(dir, `20260922-12050${n}-${id(n).slice(0, 8)}.jsonl`);
    await writeFile(path, lines.map((l) => l + "\n").join(""));
    paths.push(path);
  }
});
after(() => rm(work, { recursive: true, force: true }));

/** A cache directory of its own for each test: what one test's runs remember stays there. */
let caches = 0;
const freshCache = () => join(work, `cache ${++caches}`);

const zs = (args: string[]) => run(BIN, args);
const lineByLine =
  /^zot-sessions: warning: Cannot read 2 lines of ".*" \(first: line 3, not valid JSON\); skipped them$/;

describe("e2e: damage warned about once", () => {
  it("ls and cost warn line by line the first time, then in one line that pastes", () => {
    const cache = freshCache();
    const scope = ["--all", "--home", home, "--cache-dir", cache];
    const first = zs(["ls", ...scope]);
    assert.equal(first.code, 0, first.err);
    const warned = first.err.trimEnd().split("\n");
    assert.equal(warned.length, 2, first.err);
    for (const w of warned) assert.match(w, lineByLine);

    const hint = `zot-sessions ls --damaged --all --home '${home}' --cache-dir '${cache}'`;
    for (const verb of ["ls", "cost", "ls"]) {
      const again = zs([verb, ...scope]);
      assert.equal(again.code, 0, again.err);
      assert.equal(
        again.err,
        `zot-sessions: warning: 2 sessions have damaged lines (${hint})\n`,
        verb,
      );
    }
    // The hint, pasted into a fresh shell elsewhere, lists them.
    const pasted = spawnSync("bash", ["-c", hint], {
      encoding: "utf8",
      cwd: tmpdir(),
      env: { PATH: `${dirname(BIN)}:${process.env.PATH}` },
    });
    assert.equal(pasted.status, 0, pasted.stderr);
    assert.equal(pasted.stderr, "");
    const rows = pasted.stdout.trimEnd().split("\n");
    assert.match(rows[0], /^ID\s+UPDATED\s+LINES\s+FIRST\s+PROJECT\s+TITLE$/);
    assert.deepEqual(rows.slice(1).map((r) => r.split(/\s{2,}/)[0]).sort(), [
      "11111111",
      "22222222",
    ]);
    for (const r of rows.slice(1)) {
      assert.match(r, /\s2\s+line 3: not valid JSON\s+\/home\/dev\/alpha\s+prompt [12]$/);
    }
  });

  it("a file that changed is warned about again; the one that did not stays in one line", async () => {
    const cache = freshCache();
    const scope = ["--home", home, "--cwd", CWD, "--cache-dir", cache];
    assert.equal(zs(["cost", ...scope]).err.trimEnd().split("\n").length, 2);
    await appendFile(paths[0], messageLine("user", "one more") + "\n");
    const r = zs(["ls", ...scope]);
    assert.equal(r.code, 0, r.err);
    const [changed, summary, ...rest] = r.err.trimEnd().split("\n");
    assert.match(changed, lineByLine);
    assert.ok(changed.includes(paths[0]), changed);
    assert.equal(
      summary,
      `zot-sessions: warning: 1 more session has damaged lines (zot-sessions ls --damaged --home '${home}' --cwd ${CWD} --cache-dir '${cache}')`,
    );
    assert.deepEqual(rest, []);
    // Remembered at its new size: the next run says both in one line.
    assert.match(
      zs(["ls", ...scope]).err,
      /^zot-sessions: warning: 2 sessions have damaged lines \(.*\)\n$/,
    );
  });

  it("without the index every run warns line by line; -q hides everything and remembers nothing", () => {
    for (let i = 0; i < 2; i++) {
      const r = zs(["ls", "--all", "--home", home, "--no-index"]);
      assert.equal(r.err.trimEnd().split("\n").length, 2, r.err);
      assert.doesNotMatch(r.err, /sessions have damaged lines/);
    }
    const cache = freshCache();
    const scope = ["--all", "--home", home, "--cache-dir", cache];
    for (const verb of ["ls", "cost"]) {
      const quiet = zs([verb, ...scope, "-q"]);
      assert.equal(quiet.code, 0);
      assert.equal(quiet.err, "", verb);
    }
    // Nothing was shown, so the next run still warns line by line.
    assert.equal(zs(["ls", ...scope]).err.trimEnd().split("\n").length, 2);
  });

  it("ls --damaged lists the damaged sessions with counts, and --json their lines", () => {
    const cache = freshCache();
    const r = zs(["ls", "--damaged", "--all", "--home", home, "--cache-dir", cache, "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    const list = JSON.parse(r.out) as { shortId: string; damagedLines: number; damaged: unknown }[];
    assert.deepEqual(list.map((s) => [s.shortId, s.damagedLines, s.damaged]).sort(), [
      ["11111111", 2, [{ line: 3, reason: "not valid JSON" }, {
        line: 4,
        reason: "not valid JSON",
      }]],
      ["22222222", 2, [{ line: 3, reason: "not valid JSON" }, {
        line: 4,
        reason: "not valid JSON",
      }]],
    ]);
    // What was listed counts as warned about.
    assert.match(
      zs(["ls", "--all", "--home", home, "--cache-dir", cache]).err,
      /^zot-sessions: warning: 2 sessions have damaged lines/,
    );
    const none = zs([
      "ls",
      "--damaged",
      "--home",
      home,
      "--cwd",
      "/elsewhere",
      "--cache-dir",
      cache,
    ]);
    assert.equal(none.code, 0);
    assert.equal(none.out, "");
    assert.equal(none.err, "No sessions with damaged lines.\n");
  });
});
