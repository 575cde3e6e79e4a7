/**
 * Commands printed for a person to paste into a shell, under hostile names
 * (issue 19, items 1 and 2).
 *
 * `resume`: a `meta.cwd` holding terminal escapes (OSC 52, which sets the
 * clipboard, and a screen clear), quotes, `$(…)`, newlines, C1 and bidi
 * controls, or starting with `-`, `+`, `=` or `~`. Each directory is made for
 * real; the printed command must hold no control character and, run by bash
 * and by zsh with a stub `zot` on the PATH, must land in that exact
 * directory with `--session PATH`. The same for the "run it yourself:" line
 * on stderr when the directory is gone (made after, then the line is run).
 *
 * `search`: a session whose `meta.id` holds escapes and shell syntax; the
 * hit's heading and its `zot-sessions show …` line hold no control
 * character, and the line, run by bash, shows that session.
 *
 * @module
 */
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { projectKey } from "../../lib/sessions/home.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";
import { BIN } from "./harness.ts";

const UNDER_BUN = process.versions.bun !== undefined;

type Case = [what: string, name: string, kind: "relative" | "absolute"];

/**
 * Project directories, by what makes them hostile: a name, and whether
 * `meta.cwd` holds it as it is (relative to where the command runs: zot
 * never writes that, but a file may hold it) or under the test's directory.
 */
const HOSTILE: Case[] = [
  ["OSC 52 and a screen clear", "\x1b]52;c;cHduZWQ=\x07\x1b[2J", "absolute"],
  ["OSC 52, relative", "\x1b]52;c;cHduZWQ=\x07\x1b[2J", "relative"],
  ["a leading dash", "-P", "relative"],
  ["only a dash (cd's previous directory)", "-", "relative"],
  ["a leading plus (zsh's directory stack)", "+1", "relative"],
  ["a leading = (zsh's =command)", "=ls", "relative"],
  ["a leading tilde", "~", "relative"],
  ["quotes, $(…), backquotes, glob, history", "it's $(id) `id` * ?x !! ~me", "absolute"],
  ["newline, tab and CR", "one\ntwo\tthree\rfour", "absolute"],
  ["ESC then a hex digit (ESC c resets)", "\x1bc\x1bcafe", "absolute"],
  ["a backslash, a quote and a BEL", "a\\x41\\'b'\x07c\\", "absolute"],
  ["C1 CSI and a bidi override", "x\u009b2J\u202eevil", "absolute"],
  ["DEL and a leading dash", "-\x7fdel", "relative"],
  ["plain", "my project", "absolute"],
];

/** Project directories that are gone when `resume` runs. */
const GONE: Case[] = [
  ["gone: OSC 52 and a screen clear", "gone \x1b]52;c;cHduZWQ=\x07\x1b[2J", "absolute"],
  ["gone: a leading dash", "-gone", "relative"],
];

/** A control character: C0, DEL, C1, a bidi override or isolate. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

const SHELLS: [string, string[]][] = [
  ["bash", ["--norc", "--noprofile", "-c"]],
  ["zsh", ["-f", "-c"]],
];

describe("commands printed for a shell", {
  skip: skipBecause(UNDER_BUN, "run once, under Deno"),
}, () => {
  let work = "";
  let home = "";
  let bin = "";
  /** Each case's meta.cwd, short id and session file, by its description. */
  const cases = new Map<string, { cwd: string; id: string; path: string }>();

  /** Writes a one-message session for `cwd` (the message: `text`). */
  async function session(id: string, cwd: string, text = "hi"): Promise<string> {
    const dir = join(home, "sessions", projectKey(cwd));
    await mkdir(dir, { recursive: true });
    const path = join(dir, `20261102-010000-${id.slice(0, 8)}.jsonl`);
    await writeFile(path, metaLine({ id, cwd }) + "\n" + messageLine("user", text) + "\n");
    return path;
  }

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "zot-shell-"));
    home = join(work, "home");
    bin = join(work, "bin");
    await mkdir(bin);
    await mkdir(join(work, "abs"));
    // The stub zot: its working directory, then its arguments, NUL-separated.
    await writeFile(join(bin, "zot"), `#!/bin/sh\nprintf '%s\\0' "$(pwd -P)" "$@"\n`);
    await chmod(join(bin, "zot"), 0o755);
    await symlink(BIN, join(bin, "zot-sessions"));
    for (const [n, [what, name, kind]] of [...HOSTILE, ...GONE].entries()) {
      const cwd = kind === "relative" ? name : join(work, "abs", name);
      const id = `${(0xa0000000 + n).toString(16)}-0000-4000-8000-000000000000`;
      assert.ok(!cases.has(what), what);
      cases.set(what, { cwd, id: id.slice(0, 8), path: await session(id, cwd) });
    }
  });
  after(() => rm(work, { recursive: true, force: true }));

  /** Runs the binary in `work` on the home. */
  function zs(args: string[]) {
    const r = spawnSync(BIN, ["--no-index", ...args], {
      encoding: "utf8",
      cwd: work,
      env: { ZOT_HOME: home },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  /** Runs `command` in `shell`, in `work`, with the stub zot and zot-sessions on the PATH. */
  function runIn(shell: string, flags: string[], command: string) {
    const r = spawnSync(shell, [...flags, command], {
      encoding: "utf8",
      cwd: work,
      env: { PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, ZOT_HOME: home },
    });
    assert.equal(r.status, 0, `${shell}: ${JSON.stringify(command)}: ${r.stderr}`);
    assert.equal(r.stderr, "", shell);
    return r.stdout;
  }

  it("has the shells it runs", { skip: needs("zsh", hasProgram("zsh")) }, () => {
    assert.ok(hasProgram("bash"));
  });

  describe("resume", () => {
    /** Where `cwd` is, for real (a relative one from `work`). */
    const realDir = (cwd: string) => realpath(isAbsolute(cwd) ? cwd : join(work, cwd));

    /** Checks `command` for control characters, then runs it in bash and zsh. */
    async function check(what: string, command: string): Promise<void> {
      const { cwd, path } = cases.get(what)!;
      assert.doesNotMatch(command, CONTROL, `${what}: ${JSON.stringify(command)}`);
      const expected = [await realDir(cwd), "--session", path];
      for (const [shell, flags] of SHELLS) {
        if (!hasProgram(shell)) continue; // needs() above reports it
        const seen = runIn(shell, flags, command).split("\0").slice(0, -1);
        assert.deepEqual(seen, expected, `${what}, in ${shell}: ${command}`);
      }
      // The form issue 19 asks for: nothing after "--" is an option.
      assert.ok(command.startsWith("cd -- "), `${what}: ${command}`);
    }

    for (const [what] of HOSTILE) {
      it(`--print: ${what}: no control character, and bash and zsh land in it`, async () => {
        const { cwd, id } = cases.get(what)!;
        await mkdir(isAbsolute(cwd) ? cwd : join(work, cwd));
        const r = zs(["resume", id, "--print"]);
        assert.equal(r.code, 0, r.err);
        assert.ok(r.out.endsWith("\n"));
        await check(what, r.out.slice(0, -1));
      });
    }

    for (const [what] of GONE) {
      it(`the "run it yourself" line: ${what}: no control character, and it works`, async () => {
        const { cwd, id } = cases.get(what)!;
        const r = zs(["resume", id]);
        assert.equal(r.code, 1);
        const lines = r.err.split("\n");
        assert.equal(lines.length, 3, r.err); // the message, the command, ""
        assert.doesNotMatch(lines[0], CONTROL);
        assert.match(lines[0], /the project directory is gone; run it yourself:$/);
        await mkdir(isAbsolute(cwd) ? cwd : join(work, cwd));
        await check(what, lines[1]);
      });
    }
  });

  describe("search", () => {
    it("a hostile session id: no control character, and the show line works", async () => {
      const id = "\x1b]0;x\x07'$(id)`id`";
      await session(id, join(work, "abs", "search"), "zqxhostileid here");
      const r = zs(["search", "--all", "zqxhostileid"]);
      assert.equal(r.code, 0, r.err);
      assert.doesNotMatch(r.out.replaceAll("\n", ""), CONTROL, JSON.stringify(r.out));
      const command = r.out.split("\n").find((l) => l.startsWith("  zot-sessions show "));
      assert.ok(command, r.out);
      const shown = runIn("bash", ["--norc", "--noprofile", "-c"], command.trim());
      assert.match(shown, /zqxhostileid here/);
    });
  });
});
