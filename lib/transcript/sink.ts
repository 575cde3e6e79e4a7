/**
 * A transcript as a sequence of operations on a {@linkcode TranscriptSink}:
 * what `show` and `tail` print, in whatever form (text, Markdown, NDJSON).
 *
 * Two producers feed the same sink, so each form is written once: a parsed
 * record (lib/transcript/emitter.ts), and a message line too long to parse
 * whole (lib/transcript/streamed.ts), whose strings arrive in chunks from
 * stream-json's tokenizer and whose image data is counted, never held. This
 * module holds the protocol and the rules both producers apply the same way.
 *
 * @module
 */
import type { Usage } from "../base/counters.ts";
import type { MetaRecord } from "../format/records.ts";

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
 * import { base64Bytes } from "./sink.ts";
 *
 * assert.equal(base64Bytes(8, 1), 5); // "aGVsbG8=" is "hello"
 * ```
 */
export function base64Bytes(length: number, padding: number): number {
  return Math.max(0, Math.floor((length * 3) / 4) - padding);
}

/**
 * The `=` signs that end base64 text (its padding), for {@linkcode base64Bytes}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { base64Padding } from "./sink.ts";
 *
 * assert.equal(base64Padding("aGVsbG8="), 1);
 * ```
 */
export function base64Padding(data: string): number {
  return data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
}

/** Tool arguments longer than this, in a streamed line (or nested too deep), are cut. */
export const STREAMED_ARGUMENTS_MAX = 64 << 10;
