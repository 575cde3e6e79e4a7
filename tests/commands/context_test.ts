// deno-lint-ignore-file no-control-regex -- these tests look for colour escapes on purpose
/** The context every verb gets: global flags (--color), directories named twice, the current directory. */
import { withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../../lib/cli/run.ts";
import { distinctDirectories } from "../../lib/commands/context.ts";
import { RuntimeError } from "../../lib/base/errors.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import {
  type FixtureSession,
  messageLine,
  metaLine,
  simpleSession,
  tempHome,
} from "../helpers/fixtures.ts";
import { cliWith } from "../helpers/cli.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const A = "/home/dev/alpha";

const cli = cliWith({ now: NOW, processCwd: A });

const session = (id: string, cwd: string, hoursAgo: number): FixtureSession => ({
  cwd,
  name: `20260922-120509-${id.slice(0, 8)}.jsonl`,
  lines: simpleSession(id, cwd, `prompt of ${id.slice(0, 8)}`),
  mtimeMs: NOW - hoursAgo * 3_600_000,
});

describe("colour", () => {
  it("--color, --no-color and the environment decide for a real run", async () => {
    const h = await tempHome([session("11111111-1111-4111-8111-111111111111", A, 1)]);
    try {
      const ls = async (flags: string[], o: { tty?: boolean; env?: Record<string, string> }) => {
        const r = await cli(["ls", "--home", h.home, "--cwd", A, ...flags], o);
        assert.equal(r.code, 0, r.err);
        return /\x1b\[/.test(r.out);
      };
      assert.equal(await ls([], { tty: true }), true);
      assert.equal(await ls([], {}), false);
      assert.equal(await ls(["--color", "always"], {}), true);
      assert.equal(await ls(["--color=always"], { env: { NO_COLOR: "1" } }), true);
      assert.equal(await ls(["--color", "never"], { tty: true }), false);
      assert.equal(await ls(["--no-color"], { tty: true }), false);
      assert.equal(await ls(["--color", "auto"], { env: { FORCE_COLOR: "1" } }), true);
      assert.equal(await ls([], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }), false);
      assert.equal(await ls([], { tty: true, env: { TERM: "dumb" } }), false);
      // The global flag before the verb, its value skipped when finding the verb.
      const before = await cli(["--color", "always", "ls", "--home", h.home, "--cwd", A]);
      assert.match(before.out, /\x1b\[/);
    } finally {
      await h.cleanup();
    }
  });

  it("a bad --color value, or --no-color with --color always, is a usage error", async () => {
    const bad = await cli(["ls", "--color", "sometimes"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Cannot parse --color "sometimes": expected one of auto, always, never/);
    const both = await cli(["ls", "--no-color", "--color", "always"]);
    assert.equal(both.code, 2);
    assert.match(both.err, /Cannot use --no-color with --color always: choose one/);
    const h = await tempHome([session("11111111-1111-4111-8111-111111111111", A, 1)]);
    try {
      const agree = await cli(["ls", "--home", h.home, "--no-color", "--color", "never"], {
        tty: true,
      });
      assert.equal(agree.code, 0, agree.err);
      assert.doesNotMatch(agree.out, /\x1b\[/);
    } finally {
      await h.cleanup();
    }
  });
});

const ID = "abcd1111-1111-4111-8111-111111111111";

describe("distinctDirectories", () => {
  it("keeps the first name of each directory: same text, trailing slash, link", async () => {
    await withDir(async (dir) => {
      const a = join(dir, "a");
      const b = join(dir, "b");
      await mkdir(a);
      await mkdir(b);
      await symlink(a, join(dir, "link"));
      const missing = join(dir, "missing");
      assert.deepEqual(
        await distinctDirectories([a, a, `${a}/`, join(dir, "link"), b, missing, missing]),
        [a, b, missing],
      );
    });
  });
});

describe("a deleted current directory", () => {
  /** An IO whose process cwd is gone, as processIO reports it. */
  function goneIO() {
    const io = memoryIO({ now: NOW });
    Object.defineProperty(io, "processCwd", {
      get() {
        throw new RuntimeError("Cannot find the current directory: it was deleted (use --cwd)");
      },
    });
    return io;
  }

  it("fails only what needs it: the project, a relative path", async () => {
    const h = await tempHome([{
      cwd: "/p",
      name: `20260922-120509-${ID.slice(0, 8)}.jsonl`,
      lines: [metaLine({ id: ID, cwd: "/p" }), messageLine("user", "hello")],
      mtimeMs: NOW - 3_600_000,
    }]);
    try {
      const file = join(h.home, "sessions", projectKey("/p"), `20260922-120509-abcd1111.jsonl`);
      const ok = [
        ["--version"],
        ["ls", "--all", "--home", h.home],
        ["cost", "--all", "--home", h.home],
        ["ls", "--home", h.home, "--cwd", "/p"],
        ["show", ID, "--home", h.home, "--cwd", "/p"],
        ["show", file, "--home", h.home],
        ["tail", file, "--home", h.home],
      ];
      for (const args of ok) {
        const io = goneIO();
        assert.equal(await runCli(args, io), 0, `${args.join(" ")}: ${io.err()}`);
      }
      const failing = [
        ["ls", "--home", h.home],
        ["show", "latest", "--home", h.home],
        ["ls", "--all", "--home", "relative/home"],
        ["show", "x.jsonl", "--home", h.home, "--cwd", "/p"],
        ["ls", "--home", h.home, "--cwd", "relative"],
      ];
      for (const args of failing) {
        const io = goneIO();
        assert.equal(await runCli(args, io), 1, args.join(" "));
        assert.equal(
          io.err(),
          "zot-sessions: Cannot find the current directory: it was deleted (use --cwd)\n",
        );
      }
    } finally {
      await h.cleanup();
    }
  });
});
