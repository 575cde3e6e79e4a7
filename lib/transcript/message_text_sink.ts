/**
 * The message-text protocol ({@linkcode MessageTextConsumer}: each message's
 * text in pieces, body then tools) and the transcript sink that feeds it
 * ({@linkcode TextSink}); message_text.ts runs a file through them.
 *
 * @module
 */
import type { Line } from "../format/line_shape.ts";
import type { TranscriptSink } from "./sink.ts";

/** Where a message is, and what it is. */
export interface MessageHeading {
  /** The message index `show --json` gives it. */
  index: number;
  role: string;
  /** RFC 3339 as written ("" if none). */
  time: string;
  /** Its line's first byte in the file, and the line's length (without "\n"). */
  offset: number;
  length: number;
}

/**
 * Receives each message's text in pieces: `start`, then its body's pieces
 * (joined, they are the body), then its tools' pieces (only if `wantsTools`),
 * then `end`. No piece is empty, and none ends in the middle of a surrogate
 * pair.
 */
export interface MessageTextConsumer {
  readonly wantsTools: boolean;
  start(m: MessageHeading): void;
  body(piece: string): void;
  tools(piece: string): void;
  end(): void;
  /** Called between lines and between pieces of a long line: the place for asynchronous work. */
  settle?(): Promise<void>;
  /**
   * Whether the rest of the open message's text is not needed: reading a
   * line too long to parse then stops (`end` still follows). A line short
   * enough to parse is handed on whole.
   */
  enough?(): boolean;
}

/**
 * The strings of a tool call's arguments (JSON text), keys and values, one a
 * line, in order; text that is no JSON (a streamed call's cut arguments) as
 * it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argumentStrings } from "./message_text_sink.ts";
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

type Column = "body" | "tools";

/** Characters of a streamed line joined before they are handed on. */
const COALESCE_UNITS = 64 << 10;

/**
 * The sink that turns a transcript into {@linkcode MessageTextConsumer}
 * calls. A parsed line's parts are held until its end (it is at most the
 * line reader's cap), then handed on body first; a streamed line's parts go
 * on as they come, one column per pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TextSink } from "./message_text_sink.ts";
 *
 * const got = { start: "", body: "", tools: "", ends: 0 };
 * const sink = new TextSink({
 *   wantsTools: true,
 *   start: (m) => void (got.start = `${m.index} ${m.role}`),
 *   body: (piece) => void (got.body += piece),
 *   tools: (piece) => void (got.tools += piece),
 *   end: () => void got.ends++,
 * });
 * assert.equal(sink.streamPasses, 2);
 * sink.line({ offset: 0, length: 40 } as never);
 * sink.messageStart({ index: 0, role: "assistant", time: "" });
 * sink.toolCall("c1", "bash", '{"cmd":"ls"}');
 * sink.textStart();
 * sink.textChunk("done");
 * sink.textEnd();
 * sink.messageEnd();
 * // A column's parts (the call's name, its arguments' strings) are joined by "\n".
 * assert.deepEqual(got, { start: "0 assistant", body: "done", tools: "bash\ncmd\nls", ends: 1 });
 * ```
 */
export class TextSink implements TranscriptSink {
  readonly wantsImageData = false;
  readonly streamPasses: number;
  #line: Line | null = null;
  #open = false;
  /** Which column a streamed pass hands on; null: a parsed line, held. */
  #pass: Column | null = null;
  #inResult = false;
  #held: Record<Column, string[]> = { body: [], tools: [] };
  /** Whether the column has text yet (the next part is joined with "\n"). */
  #has: Record<Column, boolean> = { body: false, tools: false };
  /** Whether the open part has text yet. */
  #partHas = false;
  /** A high surrogate ending a piece, sent with the next piece of its column. */
  #high: Record<Column, string> = { body: "", tools: "" };
  /** A streamed pass's pieces not handed on yet, and their length. */
  #out: string[] = [];
  #outUnits = 0;

  constructor(readonly consumer: MessageTextConsumer) {
    this.streamPasses = consumer.wantsTools ? 2 : 1;
  }

  /** The line being emitted (from emitFile's onLine). */
  line(line: Line): void {
    this.#line = line;
  }

  meta(): void {}
  rename(): void {}
  usage(): void {}
  skipped(): void {}
  messageStart(head: { index: number; role: string; time: string }): void {
    const line = this.#line!;
    this.#flushOut();
    this.#open = true;
    this.#pass = null;
    this.#inResult = false;
    this.#held = { body: [], tools: [] };
    this.#has = { body: false, tools: false };
    this.#high = { body: "", tools: "" };
    this.consumer.start({
      index: head.index,
      role: head.role,
      time: head.time,
      offset: line.offset,
      length: line.length,
    });
  }
  streamPass(pass: number): void {
    this.#flushOut();
    this.#pass = pass === 0 ? "body" : "tools";
    this.#inResult = false;
  }
  enough(): boolean {
    if (this.consumer.enough === undefined) return false;
    // What is joined so far goes on first: the consumer decides on all of it.
    this.#flushOut();
    return this.consumer.enough();
  }
  textStart(): void {
    this.#partHas = false;
  }
  textChunk(text: string): void {
    this.#piece(this.#inResult ? "tools" : "body", text);
  }
  textEnd(): void {
    this.#endPart(this.#inResult ? "tools" : "body");
  }
  toolCall(_id: string, name: string, argumentsJson: string): void {
    for (const part of [name, argumentStrings(argumentsJson)]) {
      this.#partHas = false;
      this.#piece("tools", part);
      this.#endPart("tools");
    }
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
    this.#partHas = false;
    this.#piece("body", summary);
    this.#endPart("body");
  }
  messageEnd(): void {
    if (!this.#open) return;
    this.#flushOut();
    this.#open = false;
    for (const piece of this.#held.body) this.consumer.body(piece);
    if (this.consumer.wantsTools) {
      for (const piece of this.#held.tools) {
        this.consumer.tools(piece);
      }
    }
    this.#held = { body: [], tools: [] };
    this.consumer.end();
  }

  /** A piece of the open part of `column`. */
  #piece(column: Column, text: string): void {
    if (text === "" || (this.#pass !== null && this.#pass !== column)) return;
    if (!this.#partHas && this.#has[column]) this.#send(column, "\n");
    this.#partHas = true;
    this.#has[column] = true;
    text = this.#high[column] + text;
    this.#high[column] = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.#high[column] = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text !== "") this.#send(column, text);
  }

  #endPart(column: Column): void {
    if (this.#high[column] !== "") this.#send(column, this.#high[column]);
    this.#high[column] = "";
    this.#partHas = false;
  }

  #send(column: Column, text: string): void {
    if (this.#pass === null) {
      this.#held[column].push(text);
      return;
    }
    // A streamed line comes in pieces of at most 256 characters (the JSON
    // tokenizer's): joined up to COALESCE_UNITS before they go on, so a
    // consumer is called a few times a megabyte, not thousands of times
    // (a 9 MB tool output took 2 s to search, most of it in per-piece work).
    this.#out.push(text);
    this.#outUnits += text.length;
    if (this.#outUnits >= COALESCE_UNITS) this.#flushOut();
  }

  /** Hands on what a streamed pass has joined so far. */
  #flushOut(): void {
    if (this.#out.length === 0) return;
    const text = this.#out.length === 1 ? this.#out[0] : this.#out.join("");
    this.#out = [];
    this.#outUnits = 0;
    if (this.#pass === "body") this.consumer.body(text);
    else if (this.consumer.wantsTools) this.consumer.tools(text);
  }
}
