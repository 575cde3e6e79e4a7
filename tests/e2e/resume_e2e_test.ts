/**
 * End-to-end tests of `resume` choosing its session (issue 22): `latest`
 * and `latest~N` as for show and tail, and no session at all, which is a
 * usage error whose hint is a command that pastes (the scope flags kept,
 * shell-quoted). zot is a stand-in script on PATH that writes down where
 * it ran and with what.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import process from "node:process";
import { join } from "node:path";
import { BIN, run } from "./harness.ts";
import { fsNow } from "../helpers/clock.ts";
import { type FixtureSession, simpleSession, tempHome } from "../helpers/fixtures.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram } from "../helpers/spawn.ts";
import { sessionId } from "../helpers/transcripts.ts";

const NEWER = sessionId("5e550001");
const OLDER = sessionId("5e550002");
const ELSEWHERE = sessionId("5e550003");

let work = "";
let project = ""; // a real directory, with a space and a quote in its name
let bin = "";
let home = "";
let pathOf: (s: FixtureSession) => string = () => "";
let cleanupHome = () => Promise.resolve();
let sessions: FixtureSession[] = [];

before(async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), "zot-resume-e2e-")));
  project = join(work, "it's a project");
  await mkdir(project);
  bin = join(work, "bin");
  await mkdir(bin);
  // The stand-in zot: where it ran, and its arguments, one per line.
  await writeFile(join(bin, "zot"), `#!/bin/sh\n{ pwd; printf '%s\\n' "$@"; } > "$ZOT_RAN"\n`);
  await chmod(join(bin, "zot"), 0o755);
  const now = fsNow();
  const at = (minutesAgo: number) => now - minutesAgo * 60_000;
  sessions = [
    { cwd: project, name: "20261101-100000-5e550001.jsonl", mtimeMs: at(5), lines: [] },
    { cwd: project, name: "20261101-090000-5e550002.jsonl", mtimeMs: at(60), lines: [] },
    {
      cwd: "/home/dev/elsewhere",
      name: "20261101-110000-5e550003.jsonl",
      mtimeMs: at(1),
      lines: [],
    },
  ];
  sessions[0].lines = simpleSession(NEWER, project, "newer");
  sessions[1].lines = simpleSession(OLDER, project, "older");
  sessions[2].lines = simpleSession(ELSEWHERE, "/home/dev/elsewhere", "elsewhere");
  ({ home, path: pathOf, cleanup: cleanupHome } = await tempHome(sessions));
});
after(async () => {
  await cleanupHome();
  await rm(work, { recursive: true, force: true });
});

/** `resume` in the project, with the stand-in zot first on PATH. */
function resume(args: string[], ran = join(work, "ran")) {
  const env = { PATH: `${bin}:${process.env.PATH}`, ZOT_RAN: ran };
  return run(BIN, ["resume", ...args, "--home", home, "--cwd", project], env);
}

/** What the stand-in zot wrote down: its directory and its arguments. */
async function zotRan(ran = join(work, "ran")): Promise<string[]> {
  return (await readFile(ran, "utf8")).trimEnd().split("\n");
}

describe("e2e: resume latest, as for show and tail", () => {
  it("runs zot on the project's newest session, in its directory", async () => {
    const r = resume(["latest"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await zotRan(), [project, "--session", pathOf(sessions[0])]);
  });

  it("latest~1 is the one before; with --all, among every project", () => {
    const print = (args: string[]) => resume([...args, "--print"]).out.trimEnd();
    assert.match(print(["latest~1"]), new RegExp(`--session ${pathOf(sessions[1])}$`));
    assert.match(print(["latest", "--all"]), new RegExp(`--session ${pathOf(sessions[2])}$`));
    assert.equal(print(["latest"]), print([NEWER.slice(0, 8)]));
  });
});

describe("e2e: resume without a session", () => {
  it("with no terminal: a usage error whose hint pastes into a fresh shell", {
    skip: needs("bash, to paste the hint into", hasProgram("bash")),
  }, async () => {
    const r = resume([]);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.out, "");
    const lines = r.err.split("\n");
    assert.equal(
      lines[0],
      "zot-sessions: Cannot resume: give a session (an id, a path, latest or latest~N); " +
        "with no terminal there is no list to choose from",
    );
    const hint = /^hint: the newest: "(.*)" \(see "zot-sessions resume --help"\)$/.exec(lines[1]);
    assert.ok(hint, r.err);
    assert.equal(
      hint[1],
      `zot-sessions resume latest --home ${home} --cwd '${project.replace("'", `'\\''`)}'`,
    );
    // Pasted into bash (zot-sessions being the binary), it resumes the newest.
    const ran = join(work, "ran-from-hint");
    const pasted = run("bash", ["-c", `zot-sessions() { "${BIN}" "$@"; }\n${hint[1]}`], {
      PATH: `${bin}:${process.env.PATH}`,
      ZOT_RAN: ran,
    });
    assert.equal(pasted.code, 0, pasted.err);
    assert.deepEqual(await zotRan(ran), [project, "--session", pathOf(sessions[0])]);
  });

  it("keeps --print and --all in the hint", () => {
    const r = resume(["--print", "-a"]);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /\nhint: the newest: "zot-sessions resume latest --print --all --home \S+ --cwd '.*'"/,
    );
  });
});
