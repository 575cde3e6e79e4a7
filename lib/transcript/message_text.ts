/**
 * The searchable text of each message of a session file, numbered as
 * `show --json` numbers messages: the transcript emitter is the producer, so
 * a giant line (streamed), a damaged line (not a message) and the numbering
 * agree with `show` by construction.
 *
 * A message's text is two parts: `body`, its text blocks and reasoning
 * summaries; `tools`, its tool calls (name and the strings of the arguments)
 * and tool-result text. Images are never text. Parts are joined by "\n".
 *
 * The text is handed on in pieces ({@linkcode MessageTextConsumer}), never
 * held whole when the line was too long to parse: such a line is streamed
 * from the file, once for its body and again for its tools, so that the body
 * always comes first without holding the tool output. The consumer protocol
 * and the sink that feeds it are in message_text_sink.ts.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import { emitFile } from "./emit_file.ts";
import { TranscriptEmitter } from "./emitter.ts";
import { type MessageHeading, type MessageTextConsumer, TextSink } from "./message_text_sink.ts";

/** One message's searchable text, whole. */
export interface MessageText extends MessageHeading {
  body: string;
  tools: string;
}

/** Where {@linkcode readMessageStream} starts and how it reads. */
export interface TextReadOptions {
  /** A line start; default 0. */
  start?: number;
  /** The index of the first message from `start` on; default 0. */
  firstIndex?: number;
  stats?: ByteCounter;
  /** Read only the line at `start`, of this length (a message read back). */
  oneLine?: number;
}

/**
 * The messages' text from `start` on, handed to `consumer` in pieces.
 * Returns the offset after the last complete line (a last line without its
 * newline, zot still writing it, is left for the next read, so the offset is
 * always a place to resume from) and the index the next message will get.
 */
export async function readMessageStream(
  path: string,
  consumer: MessageTextConsumer,
  o: TextReadOptions = {},
): Promise<{ offset: number; nextIndex: number }> {
  const sink = new TextSink(consumer);
  const emitter = new TranscriptEmitter(sink, o.firstIndex ?? 0);
  const start = o.start ?? 0;
  const offset = await emitFile(path, emitter, {
    start,
    holdUnterminated: true,
    stats: o.stats,
    onLine: (line) => sink.line(line),
    flush: () => consumer.settle?.() ?? Promise.resolve(),
    leaveOutTools: !consumer.wantsTools,
    ...(o.oneLine === undefined ? {} : {
      stopAt: start + o.oneLine + 1,
      chunkSize: Math.min(o.oneLine + 1, 1 << 20),
    }),
  });
  return { offset, nextIndex: emitter.nextIndex };
}

/**
 * The messages' text from `start` on, each whole, handed to `onMessages` a
 * few at a time: {@linkcode readMessageStream} for callers that hold it
 * (tests, small files).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readMessageTexts } from "./message_text.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * const line = JSON.stringify({
 *   type: "message",
 *   message: { role: "user", content: [{ text: "fix \u003cRoute\u003e" }], time: "2026-11-01T09:00:00Z" },
 * }) + "\n";
 * await writeFile(path, line + line.slice(0, 20));
 * const got: string[] = [];
 * const end = await readMessageTexts(path, (ms) => ms.forEach((m) => got.push(`${m.index} ${m.body}`)));
 * assert.deepEqual(got, ["0 fix <Route>"]);
 * assert.deepEqual(end, { offset: line.length, nextIndex: 1 });
 * await rm(dir, { recursive: true });
 * ```
 */
export async function readMessageTexts(
  path: string,
  onMessages: (messages: MessageText[]) => void | Promise<void>,
  o: TextReadOptions = {},
): Promise<{ offset: number; nextIndex: number }> {
  let done: MessageText[] = [];
  let current: MessageText | null = null;
  const body: string[] = [];
  const tools: string[] = [];
  return await readMessageStream(path, {
    wantsTools: true,
    start: (m) => {
      current = { ...m, body: "", tools: "" };
      body.length = 0;
      tools.length = 0;
    },
    body: (piece) => void body.push(piece),
    tools: (piece) => void tools.push(piece),
    end: () => {
      done.push({ ...current!, body: body.join(""), tools: tools.join("") });
    },
    settle: async () => {
      if (done.length === 0) return;
      const batch = done;
      done = [];
      await onMessages(batch);
    },
  }, o);
}
