/**
 * A search of the body alone (no `--tools`) leaves tool output undecoded:
 * the emitter parses such lines with long strings left out, and only a
 * message's own text and reasoning are put back. The bodies must be the
 * ones read with everything decoded, for any mix of block kinds and string
 * lengths around the threshold.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { withDir } from "../helpers/dirs.ts";
import {
  type MessageText,
  readMessageStream,
  readMessageTexts,
} from "../../lib/transcript/message_text.ts";
import { emitFile, LEAVE_OUT_BYTES } from "../../lib/transcript/emit_file.ts";
import { TranscriptEmitter } from "../../lib/transcript/emitter.ts";
import type { TranscriptSink } from "../../lib/transcript/sink.ts";

/** A sink that keeps the text chunks it is given. */
function textSink(chunks: string[]): TranscriptSink {
  const none = () => {};
  return {
    wantsImageData: false,
    meta: none,
    rename: none,
    usage: none,
    skipped: none,
    messageStart: none,
    textStart: none,
    textChunk: (t: string) => void chunks.push(t),
    textEnd: none,
    toolCall: none,
    resultStart: none,
    resultEnd: none,
    imageStart: none,
    imageData: none,
    imageEnd: none,
    reasoning: none,
    messageEnd: none,
  };
}

const META =
  '{"type":"meta","meta":{"id":"a","cwd":"/p","model":"m","provider":"p","started":"2026-11-01T10:00:00Z"}}';

/** Text around the threshold's length, with escapes and characters beyond ASCII. */
const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.tuple(
    fc.constantFrom("a", 'q"\\\n', "é", "😀", "\u0001"),
    fc.nat({ max: 2 * LEAVE_OUT_BYTES }),
  )
    .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
);

const block = fc.oneof(
  text.map((t) => ({ text: t })),
  fc.tuple(text, text).map(([s, e]) => ({ reasoning_id: "r1", summary: s, encrypted_content: e })),
  fc.tuple(text, text).map(([a, b]) => ({ id: "c1", name: "bash", arguments: { cmd: a, b } })),
  fc.tuple(text, fc.boolean()).map(([t, e]) => ({
    call_id: "c1",
    is_error: e,
    content: [{ text: t }],
  })),
  text.map((d) => ({ mime_type: "image/png", data: d })),
);

const message = fc.record({
  role: fc.constantFrom("user", "assistant", "tool"),
  content: fc.array(block, { maxLength: 4 }),
}).map((m) => JSON.stringify({ type: "message", message: { ...m, time: "2026-11-01T10:00:00Z" } }));

async function bodies(path: string): Promise<string[]> {
  const out: string[] = [];
  let body: string[] = [];
  await readMessageStream(path, {
    wantsTools: false,
    start: () => void (body = []),
    body: (piece) => void body.push(piece),
    tools: () => assert.fail("no tool text is handed on when none is wanted"),
    end: () => void out.push(body.join("")),
  });
  return out;
}

describe("message text without the tools", () => {
  it("gives the bodies read with everything decoded", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      await fc.assert(
        fc.asyncProperty(fc.array(message, { maxLength: 5 }), async (lines) => {
          await writeFile(path, [META, ...lines].map((l) => l + "\n").join(""));
          const whole: MessageText[] = [];
          await readMessageTexts(path, (ms) => void whole.push(...ms));
          assert.deepEqual(await bodies(path), whole.map((m) => m.body));
        }),
        { numRuns: 150 },
      );
    });
  });

  it("leaves a tool result's long text undecoded, and puts back the message's own", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "s.jsonl");
      const long = "x".repeat(LEAVE_OUT_BYTES + 1);
      const line = JSON.stringify({
        type: "message",
        message: {
          role: "tool",
          content: [{ call_id: "c1", content: [{ text: long }] }, { text: long + "y" }],
          time: "2026-11-01T10:00:00Z",
        },
      });
      await writeFile(path, `${META}\n${line}\n`);
      const texts = async (leaveOutTools: boolean) => {
        const chunks: string[] = [];
        await emitFile(path, new TranscriptEmitter(textSink(chunks)), {
          flush: () => Promise.resolve(),
          leaveOutTools,
        });
        return chunks;
      };
      const all = await texts(false);
      assert.deepEqual(all, [long, long + "y"]);
      const some = await texts(true);
      assert.equal(some.length, 2);
      assert.notEqual(some[0], all[0], "the result's text came as a placeholder");
      assert.equal(some[1], all[1]);
    });
  });
});
