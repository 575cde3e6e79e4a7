/**
 * The parsed producer of a transcript: records → operations on a
 * {@linkcode TranscriptSink} (lib/transcript/sink.ts), with what that needs
 * between lines (the message index, the previous usage row, the run of
 * damaged lines). A message line too long to parse is handed to the streamed
 * producer (lib/transcript/streamed.ts), which restates this module's block
 * rules token by token: change them together.
 *
 * @module
 */
import type { ByteCounter, Line } from "../format/line_shape.ts";
import { decodeRecord, isCompaction, isCompactionFromEnd } from "../format/record_decode.ts";
import { messageTimeFromEnd, peekLine } from "../format/record_peek.ts";
import type { Block, MessageRecord, SessionRecord } from "../format/records.ts";
import { cumulativeDelta, type Spend, toSpend, toUsage, zeroSpend } from "../base/counters.ts";
import { deeperThan, JSON_DEPTH_LIMIT, jsonPrefix } from "../format/json_depth.ts";
import { base64Bytes, base64Padding, STREAMED_ARGUMENTS_MAX, type TranscriptSink } from "./sink.ts";
import { streamMessageBlocks } from "./streamed.ts";

/**
 * Turns records into sink operations and keeps what that needs between
 * lines: the message index and the previous usage row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TranscriptEmitter } from "./emitter.ts";
 * import type { TranscriptSink } from "./sink.ts";
 *
 * const events: string[] = [];
 * const on = (name: string) => () => void events.push(name);
 * const sink: TranscriptSink = {
 *   wantsImageData: false, meta: on("meta"), rename: on("rename"), usage: on("usage"),
 *   skipped: on("skipped"), messageStart: on("messageStart"), textStart: on("textStart"),
 *   textChunk: on("textChunk"), textEnd: on("textEnd"), toolCall: on("toolCall"),
 *   resultStart: on("resultStart"), resultEnd: on("resultEnd"), imageStart: on("imageStart"),
 *   imageData: on("imageData"), imageEnd: on("imageEnd"), reasoning: on("reasoning"),
 *   messageEnd: on("messageEnd"),
 * };
 * const t = new TranscriptEmitter(sink);
 * t.record({ type: "rename", title: "fix the parser" });
 * t.record({
 *   type: "message", role: "user", time: "2026-11-01T09:00:00Z", meta: {},
 *   content: [{ type: "text", text: "hi" }],
 * });
 * assert.deepEqual(events, ["rename", "messageStart", "textStart", "textChunk", "textEnd", "messageEnd"]);
 * ```
 */
export class TranscriptEmitter {
  #index = 0;
  #prev: Spend = zeroSpend();
  #prevKnown = true;
  #skippedRun: { line: number | null; reason: string; count: number } | null = null;

  /** `firstIndex`: the index of the first message to come. */
  constructor(readonly sink: TranscriptSink, firstIndex = 0) {
    this.#index = firstIndex;
  }

  /**
   * Sets the usage row that came before the first line to be emitted (a
   * JSON line), so the first delta is right when starting mid-file.
   */
  seedUsage(lineText: string): void {
    try {
      const r = decodeRecord(JSON.parse(lineText));
      if (r?.type === "usage") this.#prev = toSpend(r.cumulative);
    } catch {
      // Not a usage line after all: deltas start from zero.
    }
  }

  /**
   * Reading starts mid-file with no usage row known before it: the first row
   * met only sets the baseline (its increase cannot be known), so no wrong
   * cost is shown.
   */
  previousUsageUnknown(): void {
    this.#prevKnown = false;
  }

  /** The index the next message gets. */
  get nextIndex(): number {
    return this.#index;
  }

  /** Emits one parsed record. */
  record(r: SessionRecord): void {
    this.#flushSkipped();
    const sink = this.sink;
    switch (r.type) {
      case "meta":
        sink.meta(r);
        return;
      case "rename":
        sink.rename(r.title);
        return;
      case "usage": {
        const cumulative = toSpend(r.cumulative);
        if (this.#prevKnown) {
          sink.usage(toUsage(cumulativeDelta(this.#prev, cumulative)), r.cumulative);
        }
        this.#prev = cumulative;
        this.#prevKnown = true;
        return;
      }
      case "message":
        this.#message(r);
        return;
    }
  }

  #message(m: MessageRecord): void {
    const sink = this.sink;
    sink.messageStart({
      index: this.#index++,
      role: m.role,
      time: m.time,
      compaction: isCompaction(m),
    });
    for (const b of m.content) emitBlock(sink, b);
    sink.messageEnd();
  }

  /**
   * Emits a message line too long to parse whole, streaming it from the file;
   * `flush` is called after each chunk so the output streams too.
   */
  async streamed(
    path: string,
    line: Line,
    flush?: () => Promise<void>,
    stats?: ByteCounter,
  ): Promise<void> {
    this.#flushSkipped();
    const time = messageTimeFromEnd(line.tail ?? line.bytes) ?? "";
    const role = peekLine(line.bytes)?.type === "message"
      ? (peekLine(line.bytes) as { role: string }).role
      : "";
    const tailText = new TextDecoder().decode(line.tail ?? new Uint8Array(0));
    this.sink.messageStart({
      index: this.#index++,
      role,
      time,
      compaction: isCompactionFromEnd(tailText),
    });
    for (let pass = 0; pass < (this.sink.streamPasses ?? 1); pass++) {
      if (this.sink.enough?.()) break;
      this.sink.streamPass?.(pass);
      await streamMessageBlocks(path, line.offset, line.length, this.sink, flush, stats);
    }
    this.sink.messageEnd();
  }

  /**
   * Reports a line that could not be read. Damaged lines in a row (blank or
   * unknown lines between them show nothing) for the same reason become one
   * report with their count: a file ending in a million lines of garbage
   * prints one marker, not a million.
   */
  skipped(line: number | null, reason: string, count = 1): void {
    const run = this.#skippedRun;
    if (run !== null && run.reason === reason && (run.line === null) === (line === null)) {
      run.count += count;
      return;
    }
    this.#flushSkipped();
    this.#skippedRun = { line, reason, count };
  }

  #flushSkipped(): void {
    const run = this.#skippedRun;
    if (run === null) return;
    this.#skippedRun = null;
    this.sink.skipped(run.line, run.reason, run.count);
  }

  /** The end of what there is to read for now: reports a pending run of damaged lines. */
  end(): void {
    this.#flushSkipped();
    this.sink.end?.();
  }
}

function emitBlock(sink: TranscriptSink, b: Block): void {
  switch (b.type) {
    case "text":
      sink.textStart();
      if (b.text !== "") sink.textChunk(b.text);
      sink.textEnd();
      return;
    case "tool_call": {
      // Nested too deep for JSON.stringify (see json_depth.ts): cut, as a
      // streamed line's arguments are when too long.
      const args = b.arguments ?? null;
      if (!deeperThan(args, JSON_DEPTH_LIMIT)) {
        sink.toolCall(b.id, b.name, JSON.stringify(args), false);
      } else {
        const { text } = jsonPrefix(args, JSON_DEPTH_LIMIT, STREAMED_ARGUMENTS_MAX);
        sink.toolCall(b.id, b.name, text, true);
      }
      return;
    }
    case "tool_result":
      sink.resultStart(b.callId, b.isError);
      for (const inner of b.content) emitBlock(sink, inner);
      sink.resultEnd(b.isError);
      return;
    case "image":
      sink.imageStart(b.mimeType);
      if (sink.wantsImageData && b.data !== "") sink.imageData(b.data);
      sink.imageEnd(base64Bytes(b.data.length, base64Padding(b.data)));
      return;
    case "reasoning":
      sink.reasoning(b.summary, b.encrypted !== "");
      return;
  }
}
