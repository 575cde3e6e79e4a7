/**
 * Tests of how lib/config.ts reads the config file: a small regular file
 * only (a FIFO or /dev/zero must not hang gc), and no nesting that would
 * overflow the JSONC parser's stack.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { loadGcConfig, parseGcConfig } from "../lib/gc/config.ts";
import { UsageError } from "../lib/base/errors.ts";

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "zot-config-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

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
    { skip: process.platform === "win32" },
    async () => {
      await assert.rejects(
        loadGcConfig("/dev/zero", "unused"),
        new UsageError('Cannot read config "/dev/zero": not a regular file (a character device)'),
      );
    },
  );

  it("refuses a FIFO without waiting for a writer", {
    skip: spawnSync("mkfifo", ["--version"]).status !== 0,
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
