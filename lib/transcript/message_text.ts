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
 * @module
 */
import type { ByteCounter } from "../format/lines.ts";
import { emitFile, TranscriptEmitter, type TranscriptSink } from "./emitter.ts";

/** One message's searchable text. */
export interface MessageText {
  /** The message index `show --json` gives it. */
  index: number;
  role: string;
  /** RFC 3339 as written ("" if none). */
  time: string;
  body: string;
  tools: string;
}

/**
 * The strings of a tool call's arguments (JSON text), keys and values, one a
 * line, in order; text that is no JSON (a streamed call's cut arguments) as
 * it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argumentStrings } from "./message_text.ts";
 *
 * assert.equal(argumentStrings('{"cmd":"ls <dir>","n":2}'), "cmd\nls <dir>\nn\n2");
 * assert.equal(argumentStrings('{"cut'), '{"cut');
 * ```
 */
export function argumentStrings(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number" || typeof v === "boolean") out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
    }
  };
  walk(value);
  return out.join("\n");
}

/** A sink that keeps only each message's text. */
class TextSink implements TranscriptSink {
  readonly wantsImageData = false;
  #current: MessageText | null = null;
  #body: string[] = [];
  #tools: string[] = [];
  #text: string[] | null = null;
  #inResult = false;
  readonly done: MessageText[] = [];

  meta(): void {}
  rename(): void {}
  usage(): void {}
  skipped(): void {}
  messageStart(head: { index: number; role: string; time: string }): void {
    this.#current = { index: head.index, role: head.role, time: head.time, body: "", tools: "" };
    this.#body = [];
    this.#tools = [];
  }
  textStart(): void {
    this.#text = [];
  }
  textChunk(text: string): void {
    this.#text?.push(text);
  }
  textEnd(): void {
    const text = (this.#text ?? []).join("");
    this.#text = null;
    if (text !== "") (this.#inResult ? this.#tools : this.#body).push(text);
  }
  toolCall(_id: string, name: string, argumentsJson: string): void {
    this.#tools.push(name, argumentStrings(argumentsJson));
  }
  resultStart(): void {
    this.#inResult = true;
  }
  resultEnd(): void {
    this.#inResult = false;
  }
  imageStart(): void {}
  imageData(): void {}
  imageEnd(): void {}
  reasoning(summary: string): void {
    if (summary !== "") this.#body.push(summary);
  }
  messageEnd(): void {
    const m = this.#current;
    if (!m) return;
    m.body = this.#body.join("\n");
    m.tools = this.#tools.filter((t) => t !== "").join("\n");
    this.done.push(m);
    this.#current = null;
    this.#inResult = false;
  }
}

/** Where {@linkcode readMessageTexts} starts and how it reads. */
export interface TextReadOptions {
  /** A line start; default 0. */
  start?: number;
  /** The index of the first message from `start` on; default 0. */
  firstIndex?: number;
  stats?: ByteCounter;
}

/**
 * The messages' text from `start` on, handed to `onMessages` a few at a time
 * (a batch per line read). Returns the offset after the last complete line
 * (a last line without its newline, zot still writing it, is left for the
 * next read, so the offset is always a place to resume from) and the index
 * the next message will get.
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
  const sink = new TextSink();
  const emitter = new TranscriptEmitter(sink, o.firstIndex ?? 0);
  const offset = await emitFile(path, emitter, {
    start: o.start ?? 0,
    holdUnterminated: true,
    stats: o.stats,
    flush: async () => {
      if (sink.done.length === 0) return;
      const batch = sink.done.splice(0);
      await onMessages(batch);
    },
  });
  return { offset, nextIndex: emitter.nextIndex };
}
