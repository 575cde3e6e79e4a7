// deno-lint-ignore-file no-control-regex -- these tests look for control characters on purpose
/**
 * Fixes from a review of lib/ (one test each): terminal escapes in ids and
 * JSON, gc's idea of "empty", the lock's own pid and planted links, crash
 * glue and prompts in lines over the cap, time flags out of range, and
 * ls's count of other projects.
 */
import { FileSource } from "../lib/sessions/source.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { runCli } from "../lib/cli/run.ts";
import { memoryIO } from "../lib/commands/io.ts";
import { acquireLock, LOCK_NAME } from "../lib/gc/lock.ts";
import { listGcCandidates } from "../lib/gc/candidates.ts";
import { summarizeSession } from "../lib/scan/session_scan.ts";
import { parseTimeFlag } from "../lib/base/time.ts";
import { UsageError } from "../lib/base/errors.ts";
import { JsonSink } from "../lib/render/transcript.ts";
import { goJson, messageLine, metaLine, simpleSession, tempHome } from "./helpers/fixtures.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "zot-hard-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("terminal safety of ids and JSON", () => {
  it("ls shows a hostile session id without its escape sequences", async () => {
    const id = "\x1b[2J\x1b]0;PWN\x07-x";
    const h = await tempHome([{
      cwd: "/p",
      name: "20260922-120509-abcdabcd.jsonl",
      lines: [metaLine({ id, cwd: "/p" }), messageLine("user", "hi")],
      mtimeMs: NOW,
    }]);
    try {
      const io = memoryIO({ now: NOW, tty: true, env: { NO_COLOR: "1" } });
      assert.equal(await runCli(["ls", "--home", h.home, "--cwd", "/p"], io), 0);
      assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(io.out()), JSON.stringify(io.out()));
      const json = memoryIO({ now: NOW, tty: true });
      await runCli(["ls", "--home", h.home, "--cwd", "/p", "--json"], json);
      assert.equal(JSON.parse(json.out())[0].id, id); // the same JSON value
    } finally {
      await h.cleanup();
    }
  });

  it("--with-data keeps NDJSON valid whatever an image's data holds", () => {
    const sink = new JsonSink({ withData: true, terminal: false });
    sink.messageStart({ index: 0, role: "user", time: "t", compaction: false });
    sink.imageStart("image/png");
    sink.imageData('QUJD"}],"x":"\x1b[31m');
    sink.imageEnd(3);
    sink.messageEnd();
    const event = JSON.parse(sink.take());
    assert.equal(event.blocks[0].data, 'QUJD"}],"x":"\x1b[31m');
  });
});

describe("gc --empty", () => {
  it("does not call a file with a damaged message line empty", async () => {
    const big = goJson({
      type: "message",
      message: {
        time: "2026-09-22T14:05:30Z",
        role: "user",
        content: [{ text: "x".repeat(9 << 20) }],
      },
    });
    const h = await tempHome([
      {
        cwd: "/p",
        name: "20260922-120509-aaaaaaaa.jsonl",
        lines: [metaLine({ id: "a", cwd: "/p" }), big],
        mtimeMs: NOW,
      },
      {
        cwd: "/p",
        name: "20260922-120509-bbbbbbbb.jsonl",
        lines: [metaLine({ id: "b", cwd: "/p" })],
        mtimeMs: NOW,
      },
    ]);
    try {
      const { candidates } = await listGcCandidates(
        join(h.home, "sessions"),
        null,
        true,
        new FileSource(),
      );
      const empty = Object.fromEntries(candidates.map((c) => [c.id, c.empty]));
      assert.deepEqual(empty, { a: false, b: true });
    } finally {
      await h.cleanup();
    }
  });
});

describe("gc lock", () => {
  it("takes over a stale lock that holds its own pid (a reused pid)", async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, LOCK_NAME), `${process.pid}\n`);
      const lock = await acquireLock(dir, process.pid, Date.now);
      assert.equal(lock.acquired, true);
      if (lock.acquired) await lock.release();
    });
  });

  it("does not write through a link planted where it writes its pid", async () => {
    await withDir(async (dir) => {
      const outside = join(dir, "outside.txt");
      await writeFile(outside, "keep me\n");
      await symlink(outside, join(dir, `${LOCK_NAME}.${process.pid}`));
      const lock = await acquireLock(dir, process.pid, Date.now);
      assert.equal(lock.acquired, true);
      if (lock.acquired) await lock.release();
      assert.equal(await readFile(outside, "utf8"), "keep me\n");
    });
  });
});

describe("lines over the cap", () => {
  const cap = { maxLineBytes: 4096, headBytes: 256, tailBytes: 256 };

  it("a big line with a small message glued at its end is not counted as a message", async () => {
    await withDir(async (dir) => {
      const partial = messageLine("tool", [{ call_id: "c", content: [{ text: "y".repeat(8000) }] }])
        .slice(0, 6000); // cut by a crash
      // The next record, written after a restart, glued on: it ends like a
      // whole message, but the line is not JSON (zot's reader skips it).
      const glued = partial + messageLine("assistant", "ok", "2026-09-22T14:06:00Z");
      const path = join(dir, "s.jsonl");
      await writeFile(path, [metaLine({ id: "a", cwd: "/p" }), glued, ""].join("\n"));
      const s = await summarizeSession(path, cap);
      assert.deepEqual([s.messages, s.damagedCount], [0, 1]);
    });
  });

  it("finds the first prompt after a big image, near the line's end", async () => {
    await withDir(async (dir) => {
      const line = messageLine("user", [
        { mime_type: "image/png", data: "A".repeat(8000) + "==" },
        { text: "what is in this screenshot" },
      ]);
      const path = join(dir, "s.jsonl");
      await writeFile(
        path,
        [metaLine({ id: "a", cwd: "/p" }), line, messageLine("user", "second"), ""].join("\n"),
      );
      const s = await summarizeSession(path, cap);
      assert.equal(s.firstPrompt, "what is in this screenshot");
    });
  });
});

describe("time flags out of range", () => {
  for (const text of ["999999999999d", "2026-11-01T09:30:99"]) {
    it(`"${text}" is a usage error`, () => {
      assert.throws(() => parseTimeFlag("--since", text, NOW), UsageError);
    });
  }
  it("cost --last with an absurd count is a usage error, not a crash", async () => {
    const io = memoryIO({ now: NOW, env: {} });
    assert.equal(await runCli(["cost", "--home", "/nonexistent", "--last", "100000000"], io), 2);
    assert.match(io.err(), /Cannot parse --last/);
  });
});

describe("ls with nothing to show", () => {
  it("does not count this project's own files as other projects'", async () => {
    const h = await tempHome([
      { cwd: "/p", name: "20260922-120509-aaaaaaaa.jsonl", lines: "garbage\n", mtimeMs: NOW },
      {
        cwd: "/q",
        name: "20260922-120509-bbbbbbbb.jsonl",
        lines: simpleSession("b", "/q", "x"),
        mtimeMs: NOW,
      },
    ]);
    try {
      const io = memoryIO({ now: NOW, env: {} });
      assert.equal(await runCli(["ls", "--home", h.home, "--cwd", "/p"], io), 0);
      assert.match(io.err(), /\n1 session in other projects/);
    } finally {
      await h.cleanup();
    }
  });
});
