/**
 * The messages of faults (issue 9, item 11): system errors in words, and
 * errors that carry their path once.
 */
import { failure, withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, open, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  describeSystemError,
  PathError,
  RuntimeError,
  systemErrorMessage,
} from "../../lib/base/errors.ts";

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
