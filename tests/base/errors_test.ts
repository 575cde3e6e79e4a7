/**
 * The messages of faults (issue 9, item 11), in-process: system errors in
 * words, errors that carry their path once, config keys that are not own
 * keys, a byte order mark, homes named twice, a deleted current directory,
 * identical session ids, path references to files that are not sessions,
 * and a sessions directory that cannot be listed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, open, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listAll, listProject } from "../../lib/sessions/catalog.ts";
import { runCli } from "../../lib/cli/run.ts";
import { parseGcConfig } from "../../lib/gc/config.ts";
import { distinctDirectories } from "../../lib/commands/context.ts";
import {
  describeSystemError,
  PathError,
  RuntimeError,
  systemErrorMessage,
  UsageError,
} from "../../lib/base/errors.ts";
import { memoryIO } from "../../lib/commands/io.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { resolveRef } from "../../lib/sessions/refs.ts";
import { messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const ID = "abcd1111-1111-4111-8111-111111111111";

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail("expected a failure");
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "zot-messages-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("describeSystemError", () => {
  it("words every errno the file system gives, never the code", async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, "file"), "x");
      const cases: [string, () => Promise<unknown>, string][] = [
        ["ENOENT", () => stat(join(dir, "missing")), "no such file or directory"],
        ["ENOTDIR", () => stat(join(dir, "file", "x")), "not a directory"],
        ["ENAMETOOLONG", () => stat(join(dir, "n".repeat(300))), "name too long"],
        ["EEXIST", () => mkdir(dir), "already exists"],
        ["EISDIR", () => open(dir, "w"), "is a directory"],
      ];
      for (const [code, act, words] of cases) {
        const err = await failure(act());
        assert.equal((err as { code?: string }).code, code);
        assert.equal(describeSystemError(err), words, code);
      }
    });
  });

  it("words a code outside its table from the runtime's message, without the code", () => {
    const err = Object.assign(new Error("EWHATEVER: something odd happened, open '/x'"), {
      code: "EWHATEVER",
    });
    assert.equal(describeSystemError(err), "something odd happened");
    const bare = Object.assign(new Error("EODD"), { code: "EODD" });
    assert.equal(describeSystemError(bare), "system error eodd");
  });

  it("gives a PathError's detail alone, so a caller naming the path says it once", () => {
    const err = new PathError("read", "/x.jsonl.gz", "not a valid gzip file");
    assert.equal(err.message, 'Cannot read "/x.jsonl.gz": not a valid gzip file');
    assert.ok(err instanceof RuntimeError);
    assert.equal(describeSystemError(err), "not a valid gzip file");
  });
});

describe("systemErrorMessage", () => {
  it("names the path and the action of a system error that escaped", async () => {
    await withDir(async (dir) => {
      const missing = join(dir, "missing");
      assert.equal(
        systemErrorMessage(await failure(open(missing, "r"))),
        `Cannot open "${missing}": no such file or directory`,
      );
      assert.equal(
        systemErrorMessage(await failure(stat(missing))),
        `Cannot read "${missing}": no such file or directory`,
      );
      assert.equal(
        systemErrorMessage(await failure(mkdir(dir))),
        `Cannot create "${dir}": already exists`,
      );
    });
  });

  it("is null for an error without a path (a bug, not a file)", () => {
    assert.equal(systemErrorMessage(new TypeError("x is undefined")), null);
  });
});

describe("the config file", () => {
  for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    it(`"gc.${key}" is an unknown key, not a property of Object.prototype`, () => {
      const text = `{\n  "gc": {\n    "${key}": true\n  }\n}`;
      assert.throws(
        () => parseGcConfig(text, "/c.jsonc"),
        (e) =>
          e instanceof UsageError &&
          e.message.startsWith(
            `Cannot read config "/c.jsonc": line 3, column 5: unknown key "gc.${key}" (known: `,
          ),
      );
    });
  }

  it("skips a leading byte order mark; positions count from after it", () => {
    assert.deepEqual(parseGcConfig('\uFEFF{ "gc": { "empty": true } }', "c.jsonc"), {
      empty: true,
    });
    assert.throws(
      () => parseGcConfig('\uFEFF{ "gc": { "empty": 1 } }', "c.jsonc"),
      /line 1, column 20: "gc.empty" must be a boolean/,
    );
  });
});

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

describe("references", () => {
  it("files holding the same id are listed by path; more of the id cannot help", async () => {
    const lines = [metaLine({ id: ID, cwd: "/p" }), messageLine("user", "hello")];
    const name = `20260922-120509-${ID.slice(0, 8)}.jsonl`;
    const h = await tempHome([
      { cwd: "/p", name, lines, mtimeMs: NOW - 1000 },
      { cwd: "/q", name, lines, mtimeMs: NOW - 2000 },
    ]);
    try {
      for (const ref of [ID, "abcd"]) {
        const err = await failure(
          resolveRef(ref, { homes: [h.home], cwd: "/r", all: false, base: h.home }),
        );
        assert.ok(err instanceof UsageError);
        const [first, ...rest] = err.message.split("\n");
        assert.equal(first, `Cannot pick session "${ref}": 2 files hold session ${ID}`);
        const paths = ["/p", "/q"].map((p) => join(h.home, "sessions", projectKey(p), name));
        assert.deepEqual(rest.map((l) => l.trim().split("  ")[0]).sort(), paths.sort());
        assert.equal(err.hint, "name the file by its path to pick one");
      }
    } finally {
      await h.cleanup();
    }
  });

  it("a mix of shared and distinct ids lists ids and paths", async () => {
    const other = "abcd2222-2222-4222-8222-222222222222";
    const session = (id: string, cwd: string, ms: number) => ({
      cwd,
      name: `20260922-120509-${id.slice(0, 8)}.jsonl`,
      lines: [metaLine({ id, cwd }), messageLine("user", "hi")],
      mtimeMs: NOW - ms,
    });
    const h = await tempHome([session(ID, "/p", 1), session(ID, "/q", 2), session(other, "/q", 3)]);
    try {
      const err = await failure(
        resolveRef("abcd", { homes: [h.home], cwd: "/r", all: false, base: h.home }),
      );
      assert.ok(err instanceof UsageError);
      assert.match(err.message, /^Cannot pick session "abcd": 3 sessions match\n/);
      assert.match(err.message, new RegExp(`\\n  ${other}  ${h.home}/sessions/`));
      assert.equal(err.hint, "give more of the id, or name the file by its path, to pick one");
    } finally {
      await h.cleanup();
    }
  });

  it("a path must name a session by its name or its first line", async () => {
    await withDir(async (dir) => {
      const scope = { homes: [dir], cwd: "/p", all: false, base: dir };
      const refused =
        "not a zot session file (expected a .jsonl, .jsonl.gz or .zotsession name, or a zot meta line first)";
      for (
        const [name, text] of [["secret", "root:x:0:0\n"], ["empty", ""], [
          "meta-later",
          `\n${metaLine({ id: ID, cwd: "/p" })}\n`,
        ]]
      ) {
        await writeFile(join(dir, name), text);
        await assert.rejects(
          resolveRef(`./${name}`, scope),
          (e) =>
            e instanceof RuntimeError &&
            e.message === `Cannot read session "./${name}": ${refused}`,
        );
      }
      await writeFile(join(dir, "notes.txt"), metaLine({ id: ID, cwd: "/p" }) + "\n");
      await writeFile(join(dir, "x.jsonl"), "not json\n");
      await writeFile(join(dir, "y.zotsession"), "");
      for (const name of ["notes.txt", "x.jsonl", "y.zotsession"]) {
        assert.equal((await resolveRef(`./${name}`, scope)).path, join(dir, name));
      }
    });
  });
});

describe("a sessions directory that cannot be listed", () => {
  it("is an error naming it, not an empty list; a missing one is empty", async () => {
    await withDir(async (home) => {
      assert.deepEqual((await listAll(home)).files, []);
      assert.deepEqual((await listProject(home, "/p")).files, []);
      await writeFile(join(home, "sessions"), "x");
      for (const list of [() => listAll(home), () => listProject(home, "/p")]) {
        await assert.rejects(
          list(),
          (e) =>
            e instanceof PathError &&
            e.message === `Cannot read "${join(home, "sessions")}": not a directory`,
        );
      }
    });
  });

  it("a project directory that is a file is named itself", async () => {
    await withDir(async (home) => {
      await mkdir(join(home, "sessions"));
      const project = join(home, "sessions", projectKey("/p"));
      await writeFile(project, "x");
      await assert.rejects(
        listProject(home, "/p"),
        (e) => e instanceof PathError && e.message === `Cannot read "${project}": not a directory`,
      );
    });
  });

  it("ls and cost exit 1 instead of listing nothing", async () => {
    await withDir(async (home) => {
      await writeFile(join(home, "sessions"), "x");
      for (const args of [["ls"], ["ls", "--all"], ["cost"], ["cost", "--all"]]) {
        const io = memoryIO({ now: NOW });
        assert.equal(await runCli([...args, "--home", home, "--cwd", "/p"], io), 1);
        assert.equal(io.out(), "");
        assert.equal(
          io.err(),
          `zot-sessions: Cannot read "${join(home, "sessions")}": not a directory\n`,
        );
      }
    });
  });
});

describe("a damaged .gz", () => {
  it("is named once in ls's warning", async () => {
    const h = await tempHome([{
      cwd: "/p",
      name: "20260922-120509-deadbeef.jsonl.gz",
      lines: "not gzip\n",
      mtimeMs: NOW,
    }]);
    try {
      const io = memoryIO({ now: NOW });
      assert.equal(await runCli(["ls", "--all", "--home", h.home], io), 0);
      const path = join(h.home, "sessions", projectKey("/p"), "20260922-120509-deadbeef.jsonl.gz");
      assert.equal(
        io.err().split("\n")[0],
        `zot-sessions: warning: Cannot read "${path}": not a valid gzip file (damaged or cut short); skipped it`,
      );
      assert.equal(io.err().split(path).length, 2, "the path once");
    } finally {
      await h.cleanup();
    }
  });
});
