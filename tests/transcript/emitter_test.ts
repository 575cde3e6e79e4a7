/**
 * Tests of lib/transcript/emitter.ts (the `TranscriptEmitter`, its
 * `BlockWalker` for message lines too long to parse, `emitFile`), on
 * zot-shaped session files generated with the arbitraries of
 * `helpers/zot_reference.ts`.
 *
 * The key property is differential: a message line emitted from its parsed
 * record and the same line streamed through stream-json's tokenizer give the
 * same NDJSON events.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { readLines } from "../../lib/format/lines.ts";
import { TranscriptEmitter } from "../../lib/transcript/emitter.ts";
import { TextSink } from "../../lib/render/transcript_text.ts";
import { palette } from "../../lib/render/color.ts";
import { referenceLines } from "../helpers/zot_reference.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import {
  emitJson,
  emitParsed,
  emitStreamed,
  emitStreamedJson,
  type Event,
  messageEvents,
  parseNdjson,
  session,
  writeSession,
} from "../helpers/emit.ts";

// ---------------------------------------------------------------------------
// emitFile and the BlockWalker
// ---------------------------------------------------------------------------

describe("emitFile: parsed and streamed message lines give the same events", () => {
  it("NDJSON is equal for any zot-shaped session, with and without image data (property)", async () => {
    await withDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(session, fc.boolean(), async (lines, withData) => {
          const path = await writeSession(dir, lines);
          const parsedText = await emitJson(path, { withData });
          const streamed = await emitStreamedJson(path, withData);
          const parsed = parseNdjson(parsedText);
          const expectedMessages = referenceLines(lines.join("\n") + "\n")
            .filter((l) => l.kind === "message").length;
          assert.equal(streamed.streamed, expectedMessages, "every message line was streamed");
          // Documented differences do not show up on zot-shaped lines: every
          // block's first key is the one zot writes first for its kind, and
          // no arguments come near 64 KiB.
          assert.deepEqual(parseNdjson(streamed.text), parsed);
          // `index` counts message lines from 0, empty messages included.
          assert.deepEqual(
            messageEvents(parsed).map((e) => e.index),
            Array.from({ length: expectedMessages }, (_, i) => i),
          );
        }),
        { numRuns: 150 },
      );
    });
  });

  it("text and Markdown are equal too, but for where an error result is marked (property)", async () => {
    // A streamed result learns `is_error` only after its content: text marks
    // it on a line after the content instead of on the result's head.
    const unmark = (t: string) =>
      t.replace(/^( {2})?(← .*) ✗ error$/gm, "$1$2").replace(/^( {3}✗ error|\(error\))\n/gm, "");
    await withDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(session, fc.boolean(), fc.boolean(), async (lines, markdown, full) => {
          const path = await writeSession(dir, lines);
          const o = { palette: palette(false), full, usage: true, markdown };
          const parsed = await emitParsed(path, new TextSink(o));
          const streamed = (await emitStreamed(path, new TextSink(o))).text;
          const marks = /✗ error|\(error\)/g;
          assert.equal(streamed.match(marks)?.length, parsed.match(marks)?.length);
          assert.equal(unmark(streamed), unmark(parsed));
        }),
        { numRuns: 100 },
      );
    });
  });

  it("streams long text, image data and Unicode across the 1 MiB read buffer", async () => {
    await withDir(async (dir) => {
      // Multi-byte characters and escapes straddle the reader's 1 MiB chunks
      // and stream-json's string chunks.
      const unit = 'é😀"\\\n<&>\u2028\t\u0001';
      const text = "x".repeat((1 << 20) - 3) + unit.repeat(40_000);
      const bytes = new Uint8Array(700_001).map((_, i) => (i * 31) & 0xff);
      const data = base64(bytes);
      const lines = [
        metaLine({ id: "a", cwd: "/p" }),
        messageLine("user", [{ text }, { mime_type: "image/png", data }, { text: "" }, {}]),
        messageLine("tool", [{
          call_id: "toolu_1",
          content: [{ text: text.slice(5) }, { mime_type: "image/jpeg", data }],
          is_error: true,
        }]),
      ];
      const path = await writeSession(dir, lines);
      for (const withData of [false, true]) {
        const parsed = parseNdjson(await emitJson(path, { withData }));
        const streamed = parseNdjson((await emitStreamedJson(path, withData)).text);
        assert.deepEqual(streamed, parsed);
        const user = messageEvents(parsed)[0].blocks as Event[];
        assert.equal(user[0].text, text);
        assert.equal(user[1].bytes, bytes.length);
        assert.equal(user[1].data, withData ? data : undefined);
        assert.deepEqual(user.slice(2), [{ type: "text", text: "" }, { type: "text", text: "" }]);
      }
    });
  });

  it("streams a line over the default 8 MiB cap through emitFile itself", async () => {
    await withDir(async (dir) => {
      const data = base64(new Uint8Array(7_000_000).map((_, i) => i & 0xff)); // 9.3 MB
      const args = { command: "ls", nested: [1, 2.5, -3e-7, true, null, { k: "v<>&" }] };
      const big = messageLine(
        "assistant",
        [
          { text: "look" },
          { reasoning_id: "rs_1", encrypted_content: "QUJD" },
          { id: "toolu_1", name: "bash", arguments: args },
          { mime_type: "image/png", data },
        ],
        "2026-09-22T14:05:30+02:00",
        { compaction: "true", tokens_before: "9" },
      );
      const path = await writeSession(dir, [metaLine({ id: "a", cwd: "/p" }), big]);
      const events = parseNdjson(await emitJson(path));
      assert.deepEqual(events[1], {
        type: "message",
        index: 0,
        role: "assistant",
        time: "2026-09-22T14:05:30+02:00",
        compaction: true,
        blocks: [
          { type: "text", text: "look" },
          { type: "reasoning", summary: "", encrypted: true },
          { type: "tool_call", id: "toolu_1", name: "bash", arguments: args },
          { type: "image", mimeType: "image/png", bytes: 7_000_000 },
        ],
      });
    });
  });

  it("cuts a streamed tool call's arguments over 64 KiB (documented: argumentsCut)", async () => {
    await withDir(async (dir) => {
      const args = { patch: "line <of> & text\n".repeat(10_000) }; // ~170 KB
      const path = await writeSession(dir, [
        messageLine("assistant", [{ id: "toolu_1", name: "edit", arguments: args }]),
      ]);
      const parsed = messageEvents(parseNdjson(await emitJson(path)));
      assert.deepEqual((parsed[0].blocks as Event[])[0].arguments, args);
      const streamed = messageEvents(parseNdjson((await emitStreamedJson(path)).text));
      const call = (streamed[0].blocks as Event[])[0];
      assert.equal(call.argumentsCut, true);
      assert.equal(typeof call.arguments, "string");
      const cut = call.arguments as string;
      assert.ok(cut.length >= 64 << 10, `cut at ${cut.length}, not before 64 KiB`);
      assert.ok(JSON.stringify(args).startsWith(cut), "the cut text is a prefix of the JSON");
    });
  });

  it("classifies a streamed block by its first key (documented difference)", async () => {
    await withDir(async (dir) => {
      // Not zot-shaped: a text key written before a mime type. A parse goes by
      // FORMAT.md's rules (mime_type non-empty → image); streaming by the
      // first key (text). zot always writes mime_type first for an image.
      const path = await writeSession(dir, [
        messageLine("user", [{ text: "t", mime_type: "image/png", data: "QUJD" }]),
      ]);
      const parsed = messageEvents(parseNdjson(await emitJson(path)))[0].blocks;
      const streamed = messageEvents(parseNdjson((await emitStreamedJson(path)).text))[0].blocks;
      assert.deepEqual(parsed, [{ type: "image", mimeType: "image/png", bytes: 3 }]);
      assert.deepEqual(streamed, [{ type: "text", text: "t" }]);
    });
  });

  it("a streamed tool result's error is known only at its end (text marks it after)", async () => {
    await withDir(async (dir) => {
      const path = await writeSession(dir, [
        messageLine("assistant", [{ id: "toolu_1", name: "bash", arguments: { c: 1 } }]),
        messageLine("tool", [{ call_id: "toolu_1", content: [{ text: "boom" }], is_error: true }]),
      ]);
      const sink = new TextSink({
        palette: palette(false),
        full: false,
        usage: true,
        markdown: false,
      });
      const emitter = new TranscriptEmitter(sink);
      for await (const line of readLines(path, { maxLineBytes: 64 })) {
        await emitter.streamed(path, line);
      }
      const text = sink.take();
      assert.match(text, /← bash\n {3}│ boom\n {3}✗ error\n/);
    });
  });
});

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

describe("emitFile: damaged lines in a row", () => {
  const META = metaLine({ id: "x", cwd: "/p" });
  const skippedEvents = async (lines: string[], start = 0) =>
    await withDir(async (dir) => {
      const path = await writeSession(dir, lines);
      const offset = start === 0 ? 0 : lines.slice(0, start).join("\n").length + 1;
      return parseNdjson(await emitJson(path, { start: offset })).filter((e) =>
        e.type === "skipped"
      );
    });

  it("make one marker with their count; blank and unknown lines between do not break it", async () => {
    const junk = ["Zm9v", "{cut", "", '{"type":"other"}', '{"type":"usage","usage":{"in', "x"];
    assert.deepEqual(await skippedEvents([META, ...junk, messageLine("user", "hi"), "y"]), [
      { type: "skipped", line: 2, reason: "not valid JSON", count: 4 },
      { type: "skipped", line: 9, reason: "not valid JSON", count: 1 },
    ]);
  });

  it("a message, or another reason, starts a new marker", async () => {
    assert.deepEqual(
      await skippedEvents([META, "a", "b", messageLine("user", "hi"), "c", "d", "e"]),
      [
        { type: "skipped", line: 2, reason: "not valid JSON", count: 2 },
        { type: "skipped", line: 5, reason: "not valid JSON", count: 3 },
      ],
    );
  });

  it("from mid-file the marker has no line number, and still its count", async () => {
    assert.deepEqual(await skippedEvents([META, messageLine("user", "hi"), "a", "b", "c"], 1), [
      { type: "skipped", line: null, reason: "not valid JSON", count: 3 },
    ]);
  });

  it("a million junk lines are one marker", async () => {
    const junk = Array.from({ length: 1_000_000 }, (_, i) => `j${i}`);
    assert.deepEqual(await skippedEvents([META, ...junk]), [
      { type: "skipped", line: 2, reason: "not valid JSON", count: 1_000_000 },
    ]);
  });
});

describe("emitFile: tool-call arguments nested too deep", () => {
  it("are cut at 512 levels, parsed or streamed, and the next message follows", async () => {
    await withDir(async (dir) => {
      for (const [open, close] of [["[", "]"], ['{"a":', "}"]]) {
        const args = open.repeat(20_000) + "1".slice(open === "[" ? 1 : 0) + close.repeat(20_000);
        const deep = '{"type":"message","message":{"role":"assistant","content":[' +
          `{"id":"c1","name":"bash","arguments":${args}}],"time":"2026-09-22T12:00:00Z"}}`;
        const path = await writeSession(dir, [
          metaLine({ id: "x", cwd: "/p" }),
          deep,
          messageLine("assistant", "after"),
        ]);
        const want = {
          type: "tool_call",
          id: "c1",
          name: "bash",
          arguments: open.repeat(512),
          argumentsCut: true,
        };
        for (const text of [await emitJson(path), (await emitStreamedJson(path)).text]) {
          const messages = parseNdjson(text).filter((e) => e.type === "message");
          assert.deepEqual((messages[0].blocks as Event[])[0], want);
          assert.deepEqual(messages[1].blocks, [{ type: "text", text: "after" }]);
        }
      }
    });
  });
});
