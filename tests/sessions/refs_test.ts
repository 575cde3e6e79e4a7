import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
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
        const f = await resolveRef(ref, { homes: [h.home], cwd: A, all, base: h.home });
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
