/**
 * End-to-end: every command the binary prints for a person to run next keeps
 * the scope the user gave (`--home`, `--cache-dir`, `--cwd`, `--all`), with
 * paths made absolute and shell-quoted, so that pasted into a fresh shell
 * elsewhere it looks where the first run looked (issue 22, items 1 and 2).
 * Each hint is taken from the output and run by bash, from another
 * directory, with the binary on PATH.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { BIN, exampleWorkdir } from "./harness.ts";
import { spawnSync } from "../helpers/spawn.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";

let work = "";
let home = "";
let cache = "";
let cleanup = () => Promise.resolve();
before(async () => {
  const w = await exampleWorkdir();
  ({ work, cleanup } = w);
  // A home whose path a shell would split, and a quote in it.
  home = join(work, "my zot's home");
  await cp(w.example, home, { recursive: true, preserveTimestamps: true });
  cache = join(work, "cache dir");
  await mkdir(cache);
});
after(() => cleanup());

const ENV = { ZOT_SESSIONS_NOW: EXAMPLE_NOW, NO_COLOR: "1" };
/** A project with no sessions; the example's are in /home/dev/… */
const EMPTY = "/srv/no-sessions-here";

/** Runs `cmd` from `cwd`: its exit code and output. */
function runIn(cwd: string, cmd: string, args: string[], env: Record<string, string>) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs the binary from `work` with relative scope paths, as a user would type them. */
function zs(args: string[]) {
  return runIn(work, BIN, args, ENV);
}

/** Runs `command` (a pasted hint) in bash from "/", with the binary on PATH. */
function paste(command: string) {
  const path = `${dirname(BIN)}:/usr/bin:/bin`;
  return runIn("/", "bash", ["-c", command], { ...ENV, PATH: path });
}

/** The command quoted in a `try "…"` hint. */
function tried(text: string): string {
  const m = /try "(zot-sessions [^\n]*?)"\.?\n/.exec(text);
  assert.ok(m, `no "try" hint in: ${text}`);
  return m[1];
}

const scope = ["--home", "my zot's home", "--cache-dir", "cache dir", "--cwd", EMPTY];

describe("hints keep the scope, pasteable", () => {
  it("ls in a project without sessions: the --all command lists the other projects", () => {
    const r = zs(["ls", ...scope]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /10 sessions in other projects: try "/);
    const command = tried(r.err);
    assert.ok(command.includes(`--home '${home.replaceAll("'", `'\\''`)}'`), command);
    assert.ok(command.includes(`--cache-dir '${cache}'`), command);
    const pasted = paste(command);
    assert.equal(pasted.code, 0, pasted.err);
    assert.equal(pasted.out, zs(["ls", "--all", "--home", home]).out);
  });

  it("cost in a project without sessions says where they are, on stderr; stdout and exit unchanged", () => {
    const r = zs(["cost", ...scope]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\$0\.00 in 0 sessions/);
    const pasted = paste(tried(r.err));
    assert.equal(pasted.code, 0, pasted.err);
    assert.match(pasted.out, /^Total +\$0\.55 in 9 sessions/m);
  });

  for (const verb of ["show", "tail"]) {
    it(`${verb} latest in a project without sessions: exit 1, and the --all command works`, () => {
      const r = zs([verb, ...scope]);
      assert.equal(r.code, 1);
      assert.match(r.err, /Cannot find session "latest": 0 sessions for/);
      const pasted = paste(tried(r.err));
      assert.equal(pasted.code, 0, pasted.err);
      assert.match(pasted.out, /\S/);
    });
  }

  it("search in a project without sessions points to --all (exit 1, no hit), and that finds the hits", () => {
    const r = zs(["search", "cart", ...scope]);
    assert.equal(r.code, 1, r.err); // no hit, as for grep
    assert.match(r.err, /No message for "\/srv\/no-sessions-here" holds "cart"/);
    const pasted = paste(tried(r.err));
    assert.equal(pasted.code, 0, pasted.err);
    assert.match(pasted.out, /zot-sessions show /);
  });

  it("blame in a project without its changes points to --all (exit 1), and that shows the newest in context", () => {
    const file = "/home/dev/web-shop/src/api/cart.ts";
    const r = zs(["blame", file, ...scope]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /No session of "\/srv\/no-sessions-here" changed "\/home\/dev\/web-shop\//);
    const pasted = paste(tried(r.err));
    assert.equal(pasted.code, 0, pasted.err);
    const show = /^The newest in context: (zot-sessions show (\S+) --around \d+ .*)$/m.exec(
      pasted.out,
    );
    assert.ok(show, pasted.out);
    assert.ok(show[1].includes("--home '"), show[1]);
    const shown = paste(show[1]);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, new RegExp(`^Session +${show[2]}`, "m"));
  });

  it("search --all: each hit's show command, pasted elsewhere, shows that message", () => {
    const r = zs(["search", "cart", "--all", "-n", "1", ...scope]);
    assert.equal(r.code, 0, r.err);
    const show = /^ {2}(zot-sessions show (\S+) --around \d+ .*)$/m.exec(r.out);
    assert.ok(show, r.out);
    assert.ok(show[1].includes("--home '"), show[1]);
    const pasted = paste(show[1]);
    assert.equal(pasted.code, 0, pasted.err);
    assert.match(pasted.out, new RegExp(`^Session +${show[2]}`, "m"));
    // and the command for every hit
    const all = /all of them: (zot-sessions search .* -n 0)$/m.exec(r.err);
    assert.ok(all, r.err);
    const every = paste(all[1]);
    assert.equal(every.code, 0, every.err);
    assert.ok(every.out.length > r.out.length);
  });
});
