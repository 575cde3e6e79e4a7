/**
 * The streamed producer of a transcript: one message line too long to parse
 * whole, read from the file and fed to stream-json's tokenizer, its content
 * blocks turned into operations on a {@linkcode TranscriptSink} without ever
 * holding the line: text arrives in chunks, image data is counted (or passed
 * on in chunks). It restates the parsed producer's block rules
 * (lib/transcript/emitter.ts) token by token: change them together.
 *
 * Why one class of ~280 lines: the walker's path stack, the open block and
 * the pending text are one state machine over one token stream.
 *
 * @module
 */
import { jsonParser } from "stream-json/core/parser.js";
import { getManyValues, isMany, none } from "stream-chain/defs.js";
import type { ByteCounter } from "../format/line_shape.ts";
import { readChunks } from "../format/lines.ts";
import { blockKindByFirstKey } from "../format/record_decode.ts";
import { JSON_DEPTH_LIMIT } from "../format/json_depth.ts";
import { base64Bytes, base64Padding, STREAMED_ARGUMENTS_MAX, type TranscriptSink } from "./sink.ts";

/**
 * Bytes of a streamed line handed to the tokenizer at a time. Each piece
 * becomes tokens and strings that are garbage a moment later; 64 KiB pieces
 * keep that small (measured, `show` of a 60 MB line: peak RSS 179 MiB with
 * 1 MiB pieces, 114 MiB with 64 KiB; 20 MB: 154 and 105 MiB).
 */
const STREAM_CHUNK = 64 << 10;

/** The most text or image data held back from the sink (see #pendingText). */
const PENDING_MAX = 64 << 10;

type Token = { name: string; value?: unknown };

/**
 * Streams the content blocks of one message line from the file, without ever
 * holding the line: text arrives in chunks, image data is counted (or passed
 * on in chunks). A streamed block's kind is decided by its first key, which
 * zot writes first for each kind (`text`, `mime_type`, `id`, `call_id`,
 * `reasoning_id`/`summary`/`encrypted_content`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { streamMessageBlocks } from "./streamed.ts";
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
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * const line = '{"message":{"content":[{"text":"hi","type":"text"}]},"type":"message"}';
 * await writeFile(path, line + "\n");
 * await streamMessageBlocks(path, 0, line.length, sink);
 * assert.deepEqual(events, ["textStart", "textChunk", "textEnd"]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function streamMessageBlocks(
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
      this.sink.imageEnd(base64Bytes(b.imageChars, base64Padding(b.imageTail)));
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
