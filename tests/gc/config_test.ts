/**
 * Tests of gc's config file (lib/gc/config.ts): the gc section of
 * zot-sessions.jsonc and its errors in words; how the file is read: a small
 * regular file only (a FIFO or /dev/zero must not hang gc), and no nesting
 * that would overflow the JSONC parser's stack.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { describeSyntaxError, loadGcConfig, parseGcConfig } from "../../lib/gc/config.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";

describe("zot-sessions.jsonc", () => {
  it("reads the gc section, with comments and trailing commas", () => {
    const text = `// defaults for cron
{
  /* policies */
  "gc": {
    "empty": true,
    "olderThan": "90d",
    "keepLast": 50,
    "maxSize": "2GiB",
    "grace": "1h",
    "archive": "~/zot-archive",
    "compress": true,
    "allowOrphans": false,
  },
}
`;
    assert.deepEqual(parseGcConfig(text, "c.jsonc"), {
      empty: true,
      olderThan: "90d",
      keepLast: 50,
      maxSize: "2GiB",
      grace: "1h",
      archive: "~/zot-archive",
      compress: true,
      allowOrphans: false,
    });
    assert.deepEqual(parseGcConfig("{}", "c.jsonc"), {});
  });

  it("names the file, line and column of a syntax error, in words", () => {
    const text = '{\n  "gc": {\n    "empty": true\n    "keepLast": 3\n  }\n}\n';
    assert.throws(
      () => parseGcConfig(text, "/x/c.jsonc"),
      (e) =>
        e instanceof UsageError &&
        e.message === 'Cannot read config "/x/c.jsonc": line 4, column 5: expected a comma',
    );
  });

  it("puts every jsonc-parser syntax error in words", () => {
    // ParseErrorCode runs from 1 (InvalidSymbol) to 16 (InvalidCharacter).
    const words = new Set<string>();
    for (let code = 1; code <= 16; code++) {
      const text = describeSyntaxError(code);
      assert.match(text, /^[a-z][a-z (),\\]*[a-z)]$/, `${code}: ${text}`);
      assert.notEqual(text, "not valid JSONC", `${code} has its own words`);
      words.add(text);
    }
    assert.equal(words.size, 16);
    const cases: [string, string][] = [
      ['{ "gc": { "empty": true } ', "line 1, column 27: expected a closing brace"],
      ['{ "gc": { "grace": "1h } }', "line 1, column 20: a string is not closed"],
      ['{ "gc" { } }', "line 1, column 8: expected a colon"],
      ['{ "gc": {} } }', "line 1, column 14: expected the end of the file"],
      ["{ /* open", "line 1, column 3: a comment is not closed"],
    ];
    for (const [text, want] of cases) {
      assert.throws(
        () => parseGcConfig(text, "c.jsonc"),
        (e) => e instanceof UsageError && e.message === `Cannot read config "c.jsonc": ${want}`,
        text,
      );
    }
  });

  it("names the file, line and column of an unknown key, a wrong type, a fraction", () => {
    const cases: [string, string, RegExp][] = [
      ['{ "gc": {\n  "olderThen": "9d" } }', "line 2, column 3", /unknown key "gc\.olderThen"/],
      ['{\n "cleanup": {} }', "line 2, column 2", /unknown key "cleanup"/],
      ['{ "gc": { "keepLast": "5" } }', "line 1, column 23", /must be a whole number/],
      ['{ "gc": { "keepLast": 1.5 } }', "line 1, column 23", /must be a whole number/],
      ['{ "gc": { "empty": 1 } }', "line 1, column 20", /must be a boolean/],
      ['{ "gc": [] }', "line 1, column 9", /must be an object/],
      ["[1]", "line 1, column 1", /expected an object/],
    ];
    for (const [text, pos, re] of cases) {
      assert.throws(
        () => parseGcConfig(text, "c.jsonc"),
        (e) =>
          e instanceof UsageError && e.message.includes(`"c.jsonc": ${pos}: `) &&
          re.test(e.message),
        text,
      );
    }
  });

  it("a missing default file is no config; a missing --config file is an error", async () => {
    assert.deepEqual(await loadGcConfig(undefined, "/nonexistent/zot-sessions.jsonc"), {});
    await assert.rejects(
      () => loadGcConfig("/nonexistent/my.jsonc", "/nonexistent/zot-sessions.jsonc"),
      (e) =>
        e instanceof UsageError &&
        e.message === 'Cannot read config "/nonexistent/my.jsonc": no such file or directory',
    );
  });
});

// ---------------------------------------------------------------------------
// Lock

describe("parseGcConfig and nesting", () => {
  it("refuses nesting past 100 levels, saying where, instead of overflowing the stack", () => {
    for (const depth of [101, 200_000]) {
      const text = `{"gc":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
      assert.throws(
        () => parseGcConfig(text, "c.jsonc"),
        new UsageError(
          'Cannot read config "c.jsonc": line 1, column 106: nested deeper than 100 levels',
        ),
      );
    }
  });

  it("does not count brackets in strings and comments", () => {
    const text = [
      `// ${"[".repeat(300)}`,
      `/* ${"{".repeat(300)} */`,
      `{ "gc": { "archive": "${"[".repeat(300)}" } }`,
    ].join("\n");
    assert.deepEqual(parseGcConfig(text, "c.jsonc"), { archive: "[".repeat(300) });
  });

  it("counts brackets after a string cut by a line break, as the parser reads them", () => {
    const text = `{"gc": "open\n${"[".repeat(150)}`;
    assert.throws(
      () => parseGcConfig(text, "c.jsonc"),
      /line 2, column 100: nested deeper than 100 levels/,
    );
  });
});

describe("loadGcConfig and what the file is", () => {
  it(
    "refuses /dev/zero at once instead of reading it",
    { skip: skipBecause(process.platform === "win32", "no /dev/zero on Windows") },
    async () => {
      await assert.rejects(
        loadGcConfig("/dev/zero", "unused"),
        new UsageError('Cannot read config "/dev/zero": not a regular file (a character device)'),
      );
    },
  );

  it("refuses a FIFO without waiting for a writer", {
    skip: needs("mkfifo", hasProgram("mkfifo")),
  }, async () => {
    await withDir(async (dir) => {
      const fifo = join(dir, "zot-sessions.jsonc");
      assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
      // Also as the home's default config: it exists, so it is read.
      for (const [path, fallback] of [[fifo, "unused"], [undefined, fifo]] as const) {
        await assert.rejects(
          loadGcConfig(path, fallback),
          new UsageError(`Cannot read config "${fifo}": not a regular file (a FIFO)`),
        );
      }
    });
  });

  it("refuses a file over 1 MiB; 1 MiB is read", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "c.jsonc");
      const body = '{"gc":{"empty":true}}';
      await writeFile(path, body + " ".repeat((1 << 20) - body.length));
      assert.deepEqual(await loadGcConfig(path, "unused"), { empty: true });
      await writeFile(path, body + " ".repeat((1 << 20) - body.length + 1));
      await assert.rejects(
        loadGcConfig(path, "unused"),
        new UsageError(`Cannot read config "${path}": larger than 1 MiB; a config is a few lines`),
      );
    });
  });

  it("follows a link to a regular file, and a missing default is no config", async () => {
    await withDir(async (dir) => {
      const real = join(dir, "real.jsonc");
      await writeFile(real, '{"gc":{"keepLast":3}}');
      const link = join(dir, "link.jsonc");
      await symlink(real, link);
      assert.deepEqual(await loadGcConfig(link, "unused"), { keepLast: 3 });
      assert.deepEqual(await loadGcConfig(undefined, join(dir, "none.jsonc")), {});
      await assert.rejects(loadGcConfig(join(dir, "none.jsonc"), "unused"), /no such file/);
    });
  });
});
