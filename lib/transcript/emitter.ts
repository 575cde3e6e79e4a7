/**
 * A transcript as a sequence of operations on a {@linkcode TranscriptSink}:
 * what `show` and `tail` print, in whatever form (text, Markdown, NDJSON).
 *
 * Two producers feed the same sink, so each form is written once: a parsed
 * record ({@linkcode emitRecord}), and a message line too long to parse whole
 * ({@linkcode streamMessage}), whose strings arrive in chunks from
 * stream-json's tokenizer and whose image data is counted, never held.
 *
 * Why one module of ~650 lines: the two producers share the sink protocol,
 * the per-turn cost and the damaged-line runs; the streaming walker is the
 * parsed path restated token by token and is kept beside it to stay in step.
 *
 * @module
 */
import { jsonParser } from "stream-json/core/parser.js";
import { getManyValues, isMany, none } from "stream-chain/defs.js";
import type { ByteCounter, Line } from "../format/line_shape.ts";
import { readChunks } from "../format/lines.ts";
import {
  type Block,
  blockKindByFirstKey,
  decodeRecord,
  isCompaction,
  isCompactionFromEnd,
  type MessageRecord,
  messageTimeFromEnd,
  type MetaRecord,
  peekLine,
  type SessionRecord,
} from "../format/records.ts";
import { cumulativeDelta, type Spend, toSpend, toUsage, zeroSpend } from "../base/counters.ts";
import { readSession } from "../scan/summary.ts";
import { deeperThan, JSON_DEPTH_LIMIT, jsonPrefix } from "../format/json_depth.ts";
import { type Usage } from "../base/counters.ts";

/** What starts a message. */
export interface MessageHead {
  /** Message lines counted from 0 (`tail` counts back from the end: -1 is the last). */
  index: number;
  role: string;
  time: string;
  compaction: boolean;
}

/** Receives a transcript, one operation at a time, in file order. */
export interface TranscriptSink {
  meta(m: MetaRecord): void;
  rename(title: string): void;
  /** A usage row: its increase over the previous one, and the running total. */
  usage(delta: Usage, cumulative: Usage): void;
  /**
   * `count` damaged lines in a row, with nothing shown between them, for the
   * same reason; `line`: the first one's number, or null when reading started
   * mid-file (tail).
   */
  skipped(line: number | null, reason: string, count: number): void;
  messageStart(head: MessageHead): void;
  textStart(): void;
  textChunk(text: string): void;
  textEnd(): void;
  /** `arguments` as JSON text; `cut` when a streamed line's arguments were too long. */
  toolCall(id: string, name: string, argumentsJson: string, cut: boolean): void;
  /** `isError` is null when not known yet (a streamed line gives it at the end). */
  resultStart(callId: string, isError: boolean | null): void;
  resultEnd(isError: boolean): void;
  imageStart(mimeType: string): void;
  /** Image data (base64), only when the sink asks for it with `wantsImageData`. */
  imageData(base64: string): void;
  /** `bytes`: the decoded size. */
  imageEnd(bytes: number): void;
  reasoning(summary: string, encrypted: boolean): void;
  messageEnd(): void;
  /** The end of what there is to read for now. */
  end?(): void;
  /** Whether `imageData` should be called (else data is only counted). */
  readonly wantsImageData: boolean;
  /**
   * How many times a message line too long to parse is streamed between its
   * `messageStart` and `messageEnd` (default once): a sink that must see some
   * of its blocks before others (search's text: text before tool output)
   * reads it again rather than holding it. `streamPass` says which pass
   * begins.
   */
  readonly streamPasses?: number;
  streamPass?(pass: number): void;
  /**
   * Whether the sink needs no more of the message line being streamed:
   * reading it stops there (checked between chunks and passes), and
   * `messageEnd` follows. The line was already found whole and valid, so it
   * is a message either way. Parsed lines are always emitted whole.
   */
  enough?(): boolean;
}

/**
 * The decoded size of standard base64 text of `length` characters ending in
 * `padding` `=` signs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { base64Bytes } from "./emitter.ts";
 *
 * assert.equal(base64Bytes(8, 1), 5); // "aGVsbG8=" is "hello"
 * ```
 */
export function base64Bytes(length: number, padding: number): number {
  return Math.max(0, Math.floor((length * 3) / 4) - padding);
}

function padding(data: string): number {
  return data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
}

/**
 * Turns records into sink operations and keeps what that needs between
 * lines: the message index and the previous usage row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TranscriptEmitter, type TranscriptSink } from "./emitter.ts";
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
      sink.imageEnd(base64Bytes(b.data.length, padding(b.data)));
      return;
    case "reasoning":
      sink.reasoning(b.summary, b.encrypted !== "");
      return;
  }
}

/**
 * Bytes of a streamed line handed to the tokenizer at a time. Each piece
 * becomes tokens and strings that are garbage a moment later; 64 KiB pieces
 * keep that small (measured, `show` of a 60 MB line: peak RSS 179 MiB with
 * 1 MiB pieces, 114 MiB with 64 KiB; 20 MB: 154 and 105 MiB).
 */
const STREAM_CHUNK = 64 << 10;

/** Tool arguments longer than this, in a streamed line (or nested too deep), are cut. */
const STREAMED_ARGUMENTS_MAX = 64 << 10;
/** The most text or image data held back from the sink (see #pendingText). */
const PENDING_MAX = 64 << 10;

type Token = { name: string; value?: unknown };

/**
 * Streams the content blocks of one message line from the file, without ever
 * holding the line: text arrives in chunks, image data is counted (or passed
 * on in chunks). A streamed block's kind is decided by its first key, which
 * zot writes first for each kind (`text`, `mime_type`, `id`, `call_id`,
 * `reasoning_id`/`summary`/`encrypted_content`).
 */
async function streamMessageBlocks(
  path: string,
  offset: number,
  length: number,
  sink: TranscriptSink,
  flush?: () => Promise<void>,
  stats?: ByteCounter,
): Promise<void> {
  const walker = new BlockWalker(sink);
  const parse = jsonParser({
    packKeys: true,
    streamKeys: false,
    packStrings: false,
    streamStrings: true,
    packNumbers: true,
    streamNumbers: false,
  });
  const feed = (text: string | typeof none) => {
    const out = parse(text as string);
    if (isMany(out)) { for (const t of getManyValues(out)) walker.token(t as Token); }
    else if (out !== none) walker.token(out as Token);
    walker.flush();
  };
  const decoder = new TextDecoder();
  let left = length;
  // readChunks: plain files by position, .gz through the decompressor.
  for await (const chunk of readChunks(path, { start: offset, chunkSize: STREAM_CHUNK, stats })) {
    const piece = chunk.subarray(0, Math.min(chunk.length, left));
    left -= piece.length;
    feed(decoder.decode(piece, { stream: true }));
    await flush?.();
    if (sink.enough?.()) return;
    if (left === 0) break;
  }
  feed(decoder.decode());
  feed(none);
}

/**
 * Follows stream-json's tokens of one message line and turns the content
 * blocks into sink operations. The path is tracked as a stack of keys and
 * array positions; only `message.content[*]` and, inside tool results,
 * `content[*]` are looked at.
 */
class BlockWalker {
  // One entry per open container: the key being read in an object (or null).
  #stack: { array: boolean; key: string | null }[] = [];
  #block: null | {
    kind: string;
    depth: number;
    inResult: boolean;
    fields: Record<string, string>;
    args: string;
    argsDepth: number;
    argsCut: boolean;
    imageChars: number;
    imageTail: string;
    textOpen: boolean;
  } = null;
  #resultDepth = -1; // depth of the open tool result block, or -1
  #resultIsError = false;
  #string: string | null = null; // the string being collected (small fields)
  // Text and image data on their way to the sink, passed on in pieces of
  // 64 Ki characters at most, and at the end of every piece of the file
  // (flush): the tokenizer gives a piece per escape, and a sink call per
  // piece was a third of a streamed line's time (a profile under Bun).
  #pendingText = "";
  #pendingImage = "";
  #stringKey = "";

  constructor(readonly sink: TranscriptSink) {}

  /** The key path of the value now starting, e.g. ["message","content","#"]. */
  #path(): string[] {
    return this.#stack.map((f) => (f.array ? "#" : f.key ?? ""));
  }

  #isBlockStart(): boolean {
    const p = this.#path();
    const top = p.join(".");
    if (top === "message.content.#") return true;
    // Blocks inside a tool result's content.
    return this.#resultDepth !== -1 && this.#stack.length === this.#resultDepth + 2 &&
      p[p.length - 2] === "content" && p[p.length - 1] === "#";
  }

  token(t: Token): void {
    const b = this.#block;
    if (b && b.argsDepth !== -1) {
      this.#argsToken(t);
      return;
    }
    switch (t.name) {
      case "startObject":
        if (this.#isBlockStart()) this.#openBlock();
        this.#stack.push({ array: false, key: null });
        return;
      case "startArray":
        this.#stack.push({ array: true, key: null });
        return;
      case "endObject":
        this.#stack.pop();
        if (b && this.#stack.length === b.depth) this.#closeBlock();
        else if (this.#resultDepth !== -1 && this.#stack.length === this.#resultDepth) {
          this.sink.resultEnd(this.#resultIsError);
          this.#resultDepth = -1;
        }
        return;
      case "endArray":
        this.#stack.pop();
        return;
      case "keyValue": {
        const top = this.#stack[this.#stack.length - 1];
        top.key = t.value as string;
        if (b && this.#stack.length === b.depth + 1) this.#blockKey(t.value as string);
        return;
      }
      case "startString":
        this.#stringStart();
        return;
      case "stringChunk":
        this.#stringChunk(t.value as string);
        return;
      case "endString":
        this.#stringEnd();
        return;
      default:
        // `is_error` follows a result's content in zot's order.
        if (
          this.#resultDepth !== -1 && this.#stack.length === this.#resultDepth + 1 &&
          this.#stack[this.#stack.length - 1].key === "is_error"
        ) {
          this.#resultIsError = t.value === true;
        }
    }
  }

  #openBlock(): void {
    this.#block = {
      kind: "",
      depth: this.#stack.length,
      inResult: this.#resultDepth !== -1,
      fields: {},
      args: "",
      argsDepth: -1,
      argsCut: false,
      imageChars: 0,
      imageTail: "",
      textOpen: false,
    };
  }

  #blockKey(key: string): void {
    const b = this.#block!;
    if (b.kind === "") b.kind = blockKindByFirstKey(key);
    if (b.kind === "tool_result" && key === "content") {
      // Its inner blocks come next: announce the result first.
      this.sink.resultStart(b.fields.call_id ?? "", null);
      this.#resultDepth = b.depth;
      this.#resultIsError = false;
      this.#block = null;
    }
    if (b.kind === "tool_call" && key === "arguments") b.argsDepth = 0;
  }

  #stringStart(): void {
    const b = this.#block;
    const key = this.#stack[this.#stack.length - 1]?.key ?? "";
    if (b && this.#stack.length === b.depth + 1) {
      if (b.kind === "text" && key === "text") {
        this.sink.textStart();
        b.textOpen = true;
        return;
      }
      if (b.kind === "image" && key === "data") {
        this.sink.imageStart(b.fields.mime_type ?? "");
        return;
      }
    }
    this.#string = "";
    this.#stringKey = key;
  }

  /** Passes on the text and image data held back (see #pendingText). */
  flush(): void {
    if (this.#pendingText !== "") this.sink.textChunk(this.#pendingText);
    if (this.#pendingImage !== "") this.sink.imageData(this.#pendingImage);
    this.#pendingText = "";
    this.#pendingImage = "";
  }

  #stringChunk(chunk: string): void {
    const b = this.#block;
    if (b?.textOpen) {
      this.#pendingText += chunk;
      if (this.#pendingText.length >= PENDING_MAX) this.flush();
      return;
    }
    if (b && b.kind === "image" && this.#string === null) {
      b.imageChars += chunk.length;
      b.imageTail = (b.imageTail + chunk).slice(-2);
      if (this.sink.wantsImageData) {
        this.#pendingImage += chunk;
        if (this.#pendingImage.length >= PENDING_MAX) this.flush();
      }
      return;
    }
    // Small fields (ids, names, mime types, summaries) are collected; a
    // string nobody asked for is not held past a bound.
    if (this.#string !== null && this.#string.length < 1 << 20) this.#string += chunk;
  }

  #stringEnd(): void {
    this.flush();
    const b = this.#block;
    if (b?.textOpen) {
      this.sink.textEnd();
      b.textOpen = false;
      return;
    }
    if (b && b.kind === "image" && this.#string === null) {
      this.sink.imageEnd(base64Bytes(b.imageChars, padding(b.imageTail)));
      b.fields.data = "seen";
      return;
    }
    if (b && this.#stack.length === b.depth + 1 && this.#string !== null) {
      b.fields[this.#stringKey] = this.#string;
    }
    this.#string = null;
  }

  /** Collects a tool call's raw arguments back into JSON text, cut at a bound. */
  #argsToken(t: Token): void {
    const b = this.#block!;
    const add = (text: string) => {
      if (!b.argsCut && b.args.length < STREAMED_ARGUMENTS_MAX) b.args += text;
      else b.argsCut = true;
    };
    const sep = () => {
      const last = b.args[b.args.length - 1];
      if (last !== undefined && last !== "[" && last !== "{" && last !== ":") add(",");
    };
    switch (t.name) {
      case "startObject":
      case "startArray":
        // Deeper than the limit: cut there, as the parsed path does.
        if (b.argsDepth + 1 > JSON_DEPTH_LIMIT) b.argsCut = true;
        sep();
        add(t.name === "startObject" ? "{" : "[");
        b.argsDepth++;
        return;
      case "endObject":
      case "endArray":
        add(t.name === "endObject" ? "}" : "]");
        b.argsDepth--;
        break;
      case "keyValue":
        sep();
        add(JSON.stringify(t.value) + ":");
        return;
      case "startString":
        sep();
        add('"');
        return;
      case "stringChunk":
        add(JSON.stringify(t.value).slice(1, -1));
        return;
      case "endString":
        add('"');
        break;
      case "numberValue":
        sep();
        add(String(t.value));
        break;
      case "nullValue":
      case "trueValue":
      case "falseValue":
        sep();
        add(String(t.value));
        break;
      default:
        return;
    }
    if (b.argsDepth === 0) b.argsDepth = -1; // the arguments value is complete
  }

  #closeBlock(): void {
    const b = this.#block!;
    this.#block = null;
    const f = b.fields;
    switch (b.kind) {
      case "text":
        return; // its string opened and closed the text already
      case "tool_result": // no content at all
        this.sink.resultStart(f.call_id ?? "", null);
        this.sink.resultEnd(f.is_error === "true");
        return;
      case "tool_call":
        this.sink.toolCall(f.id ?? "", f.name ?? "", b.args || "null", b.argsCut);
        return;
      case "reasoning":
        this.sink.reasoning(f.summary ?? "", Boolean(f.encrypted_content));
        return;
      case "image":
        if (f.data === undefined) {
          this.sink.imageStart(f.mime_type ?? "");
          this.sink.imageEnd(0);
        }
        return;
      case "other":
      case "":
        // An empty or unknown block is an empty text, as zot reads it.
        this.sink.textStart();
        this.sink.textEnd();
        return;
    }
  }
}

/** How {@linkcode emitFile} reads. */
export interface EmitOptions {
  /** Byte offset to start at (a line start). Default 0. */
  start?: number;
  /**
   * Leave a last line without its newline unread (zot may be writing it):
   * what `tail -f` needs. The returned offset then points at its start.
   */
  holdUnterminated?: boolean;
  /** Called after each line, to write out what the sink has buffered. */
  flush(): Promise<void>;
  /** The run's byte counter. */
  stats?: ByteCounter;
  /** Told of each line before it is emitted (where a message is in the file). */
  onLine?(line: Line): void;
  /** Stop after the line that ends at or past this offset (read one line: its end). */
  stopAt?: number;
  /** Bytes read at a time (default the line reader's): a line's length + 1 reads only it. */
  chunkSize?: number;
  /**
   * The sink does not read tool calls and results (search without
   * `--tools`): their long strings are left out of a parsed line, not
   * decoded (they come as placeholders; see {@linkcode LEAVE_OUT_BYTES}).
   */
  leaveOutTools?: boolean;
}

/**
 * With {@linkcode EmitOptions.leaveOutTools}: strings longer than this in
 * lines longer than this are not decoded unless they are a message's own
 * text or reasoning. Tool output is most of a transcript's bytes; decoding
 * and parsing it was most of a first search's time.
 */
export const LEAVE_OUT_BYTES = 1024;

/**
 * Emits a session file's lines (from `start`) through `emitter`, streaming
 * lines too long to parse whole. Returns the offset where reading stopped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { emitFile, TranscriptEmitter, type TranscriptSink } from "./emitter.ts";
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
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * const rename = '{"title":"fix","type":"rename"}\n';
 * // zot is still writing the second line: with holdUnterminated it is left for later.
 * await writeFile(path, rename + '{"title":"fi');
 * const emitter = new TranscriptEmitter(sink);
 * const end = await emitFile(path, emitter, { holdUnterminated: true, flush: async () => {} });
 * assert.equal(end, rename.length);
 * assert.deepEqual(events, ["rename"]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function emitFile(
  path: string,
  emitter: TranscriptEmitter,
  o: EmitOptions,
): Promise<number> {
  let offset = o.start ?? 0;
  for await (
    const { line, reading } of readSession(path, () => true, {
      start: offset,
      stats: o.stats,
      chunkSize: o.chunkSize,
      ...(o.leaveOutTools ? { skim: true, skimBytes: LEAVE_OUT_BYTES } : {}),
    })
  ) {
    if (!line.terminated && o.holdUnterminated) {
      emitter.end();
      await o.flush();
      return line.offset;
    }
    o.onLine?.(line);
    if (reading.kind === "damaged") {
      // Line numbers count from where reading started: known only from the top.
      const at = (o.start ?? 0) === 0 ? line.number : null;
      emitter.skipped(at, reading.reason, reading.count ?? 1);
    } else if (reading.kind !== "skip") {
      if (reading.kind === "record") emitter.record(reading.record);
      else await emitter.streamed(path, line, o.flush, o.stats);
    }
    // Past the line and its "\n". After a "\r\n" this lands on the "\n":
    // the next read then starts with an empty line, which is skipped.
    offset = line.offset + line.length + (line.terminated ? 1 : 0);
    await o.flush();
    if (o.stopAt !== undefined && offset >= o.stopAt) break;
  }
  emitter.end();
  await o.flush();
  return offset;
}
