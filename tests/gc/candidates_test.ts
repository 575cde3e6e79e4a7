/** gc's candidates: what counts as an empty session. */
import { FileSource } from "../../lib/sessions/source.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { listGcCandidates } from "../../lib/gc/candidates.ts";
import { goJson, metaLine, tempHome } from "../helpers/fixtures.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");

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
