/**
 * `search` writes each hit as soon as it is known to come next (newest
 * first), not once every hit is found: through the index, a session whose
 * hits come last is not read yet when the first hit is written. The seam is
 * the output itself: at the first write, the test removes the oldest
 * session; a run that had read every session before writing would still
 * show its hit.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { runCli } from "../../lib/cli/run.ts";
import type { Output } from "../../lib/io/io.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";
import { withDir } from "../helpers/dirs.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const CWD = "/home/dev/alpha";
const HOUR = 3_600_000;

/** Three sessions, a day apart, each with one message holding "cart". */
function sessions() {
  return [1, 2, 3].map((day) => {
    const id = `${day}${day}${day}${day}aaaa-1111-4111-8111-111111111111`;
    return {
      cwd: CWD,
      name: `2026110${day}-090000-${id.slice(0, 8)}.jsonl`,
      mtimeMs: Date.parse(`2026-11-0${day}T10:00:00Z`),
      lines: [
        metaLine({ id, cwd: CWD }),
        messageLine("user", `the cart of day ${day}`, `2026-11-0${day}T09:00:00Z`),
      ],
    };
  });
}

/** An output that calls `onFirst` before its first write goes through. */
function firstWriteSeam(onFirst: () => Promise<void>): Output & { text: string } {
  let first = true;
  return {
    isTTY: false,
    columns: undefined,
    text: "",
    async write(text) {
      if (first) {
        first = false;
        await onFirst();
      }
      this.text += text;
    },
    writeBytes() {
      return Promise.reject(new Error("not used"));
    },
  };
}

describe("search streams its hits", () => {
  for (const json of [true, false]) {
    it(`writes the newest hit before the oldest session is read (${json ? "--json" : "text"})`, async () => {
      const list = sessions();
      const h = await tempHome(list);
      try {
        await withDir(async (cache) => {
          const env = { TZ: "UTC", ZOT_SESSIONS_NO_INDEX: "", ZOT_SESSIONS_CACHE: cache };
          const args = ["search", "cart", "--home", h.home, ...(json ? ["--json"] : [])];
          // The index's rows first: the search that follows reads candidates back.
          const fill = memoryIO({ now: NOW, processCwd: CWD, env });
          assert.equal(await runCli(args, fill), 0, fill.err());
          const oldest = h.path(list[0]);
          const stdout = firstWriteSeam(() => rm(oldest));
          const io = memoryIO({ now: NOW + HOUR, processCwd: CWD, env, stdout });
          const code = await runCli(args, io);
          assert.equal(code, 0, io.err());
          // Days 3 and 2 shown; day 1's session was gone when it was read.
          // (The snippet: the text block's second line, or the JSON field; the title holds it too.)
          const snippets = /(?:^ {2}|"snippet":")the cart of day (\d)/gm;
          const days = [...stdout.text.matchAll(snippets)].map((m) => m[1]);
          assert.deepEqual(days, ["3", "2"]);
          assert.match(io.err(), /^zot-sessions: warning: Cannot read ".*": .*; skipped it\n$/);
          assert.ok(io.err().includes(oldest), io.err());
        });
      } finally {
        await h.cleanup();
      }
    });
  }
});
