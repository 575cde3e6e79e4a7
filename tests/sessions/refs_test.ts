import { describe, it } from "node:test";
import { failure, withDir } from "../helpers/dirs.ts";
import { FileSource } from "../../lib/sessions/source.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseRef, resolveRef } from "../../lib/sessions/refs.ts";
import { RuntimeError, UsageError } from "../../lib/base/errors.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { type FixtureSession, messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";

const A = "/home/dev/alpha";
const B = "/home/dev/beta";
const HOUR = 3_600_000;
const NOW = Date.parse("2026-11-25T12:00:00Z");

function session(id: string, cwd: string, hoursAgo: number, prompt = "p"): FixtureSession {
  return {
    cwd,
    name: `20260922-120509-${id.slice(0, 8)}.jsonl`,
    lines: [metaLine({ id, cwd }), messageLine("user", prompt)],
    mtimeMs: NOW - hoursAgo * HOUR,
  };
}

const S1 = "abcd1111-1111-4111-8111-111111111111";
const S2 = "abcd2222-2222-4222-8222-222222222222";
const S3 = "ef013333-3333-4333-8333-333333333333";
const S4 = "abcd1111-9999-4999-8999-999999999999"; // same first 8 as S1, other project

describe("parseRef", () => {
  const cases: [string, unknown][] = [
    ["latest", { kind: "latest", n: 0 }],
    ["latest~3", { kind: "latest", n: 3 }],
    [S1, { kind: "id", prefix: S1, full: true }],
    [S1.toUpperCase(), { kind: "id", prefix: S1, full: true }],
    ["abcd", { kind: "id", prefix: "abcd", full: false }],
    ["abcd1111-11", { kind: "id", prefix: "abcd1111-11", full: false }],
    ["./x.jsonl", { kind: "path", path: "./x.jsonl" }],
    ["x.zotsession", { kind: "path", path: "x.zotsession" }],
    ["/a/b", { kind: "path", path: "/a/b" }],
  ];
  for (const [text, want] of cases) {
    it(`reads "${text}"`, () => assert.deepEqual(parseRef(text), want));
  }
  it("rejects what is none of the forms with a usage error", () => {
    for (const bad of ["abc", "zzzz", "latest~x", "", "-abc"]) {
      assert.throws(() => parseRef(bad), UsageError, bad);
    }
  });
  it("never throws anything but a UsageError, for any text (property)", () => {
    fc.assert(fc.property(fc.string(), (text) => {
      try {
        parseRef(text);
      } catch (e) {
        assert.ok(e instanceof UsageError);
      }
    }));
  });
});

describe("resolveRef", () => {
  const sessions = [session(S1, A, 3), session(S2, A, 1), session(S3, B, 2), session(S4, B, 5)];

  async function withRefs(
    fn: (resolve: (ref: string, all?: boolean) => Promise<string>) => Promise<void>,
  ) {
    const h = await tempHome(sessions);
    try {
      await fn(async (ref, all = false) => {
        const f = await resolveRef(ref, {
          source: new FileSource(),
          homes: [h.home],
          cwd: A,
          all,
          base: h.home,
        });
        return f.path.slice(f.path.lastIndexOf("-") + 1, -".jsonl".length);
      });
    } finally {
      await h.cleanup();
    }
  }

  it("finds latest and latest~N in zot's order, in the project or among all", async () => {
    await withRefs(async (r) => {
      assert.equal(await r("latest"), "abcd2222");
      assert.equal(await r("latest~1"), "abcd1111");
      assert.equal(await r("latest", true), "abcd2222");
      assert.equal(await r("latest~1", true), "ef013333");
      await assert.rejects(r("latest~2"), RuntimeError);
    });
  });

  it("prefers the current project for a prefix, then looks everywhere", async () => {
    await withRefs(async (r) => {
      assert.equal(await r("abcd1"), "abcd1111"); // S4 is in another project
      assert.equal(await r("ef01"), "ef013333"); // only in another project
    });
  });

  it("checks a prefix longer than the file name's against the full id", async () => {
    await withRefs(async (r) => {
      assert.equal(await r("abcd1111-1111"), "abcd1111");
      assert.equal(await r(S1), "abcd1111");
      await assert.rejects(r("abcd1111-2222"), RuntimeError);
    });
  });

  it("lists the candidates of an ambiguous prefix as a usage error", async () => {
    await withRefs(async (r) => {
      await assert.rejects(r("abcd"), (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, /^Cannot pick session "abcd": 2 sessions match/);
        assert.match(e.message, new RegExp(`${S2}  ${A}  p`));
        assert.match(e.message, new RegExp(`${S1}  ${A}  p`));
        return true;
      });
    });
  });

  it("says where it looked when nothing matches, and reads paths", async () => {
    await withRefs(async (r) => {
      await assert.rejects(
        r("0000"),
        /Cannot find session "0000": no session id starts with it in "/,
      );
      assert.equal(
        await r(`sessions/${projectKey(B)}/20260922-120509-ef013333.jsonl`),
        "ef013333",
      );
      await assert.rejects(
        r("./missing.jsonl"),
        /Cannot read session ".\/missing.jsonl": no such file/,
      );
    });
  });
});

const ID = "abcd1111-1111-4111-8111-111111111111";

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
          resolveRef(ref, {
            source: new FileSource(),
            homes: [h.home],
            cwd: "/r",
            all: false,
            base: h.home,
          }),
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
        resolveRef("abcd", {
          source: new FileSource(),
          homes: [h.home],
          cwd: "/r",
          all: false,
          base: h.home,
        }),
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
      const scope = { source: new FileSource(), homes: [dir], cwd: "/p", all: false, base: dir };
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
