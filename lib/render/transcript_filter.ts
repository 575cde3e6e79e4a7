/**
 * The filter in front of the transcript sinks: which messages `show` prints
 * (`--role`, `--range`, `--no-tools`), with the usage rows and renames that
 * go with them.
 *
 * @module
 */
import type { MetaRecord } from "../format/records.ts";
import type { MessageHead } from "../transcript/sink.ts";
import type { Usage } from "../base/counters.ts";
import type { BufferedSink } from "./transcript.ts";

/** Which messages to show. */
export interface TranscriptFilter {
  roles: Set<string> | null;
  /** Inclusive message index range; null ends are open. */
  from: number | null;
  to: number | null;
  tools: boolean;
}

/**
 * Passes on only the selected messages. With a filter, usage rows go with the
 * message after them (the reply they paid for): held until that message is
 * known, dropped with it, and dropped at the end when no message follows.
 * Without one, everything passes in file order. Meta lines always pass:
 * they are context. So do renames, except that with `--range` a rename is
 * shown only next to a message of the range (right before or after one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TranscriptEmitter } from "../transcript/emitter.ts";
 * import { FilterSink } from "./transcript_filter.ts";
 * import { JsonSink } from "./transcript_json.ts";
 *
 * const msg = (role: string, text: string) => ({
 *   type: "message" as const, role, time: "2026-11-01T09:00:00Z", meta: {},
 *   content: [{ type: "text" as const, text }],
 * });
 * const inner = new JsonSink({ withData: false, terminal: false });
 * const sink = new FilterSink(inner, { roles: new Set(["user"]), from: null, to: null, tools: true });
 * const emitter = new TranscriptEmitter(sink);
 * emitter.record(msg("user", "hi"));
 * emitter.record(msg("assistant", "hello"));
 * emitter.end();
 * assert.deepEqual(sink.take().trim().split("\n").map((l) => JSON.parse(l).role), ["user"]);
 * ```
 */
export class FilterSink implements BufferedSink {
  #active = true;
  // Events after a held usage row wait with it, to keep file order.
  #held: {
    usage?: [Usage, Usage];
    other?: (sink: BufferedSink) => void;
    /** A rename, and the index of the message before it (null: none). */
    rename?: { title: string; after: number | null };
  }[] = [];
  readonly #passAll: boolean;
  readonly #ranged: boolean;
  #lastIndex: number | null = null;

  constructor(readonly inner: BufferedSink, readonly f: TranscriptFilter) {
    // No filter: every row passes at once, in file order.
    this.#passAll = f.roles === null && f.from === null && f.to === null && f.tools;
    this.#ranged = f.from !== null || f.to !== null;
  }

  #inRange(index: number | null): boolean {
    return index !== null && (this.f.from === null || index >= this.f.from) &&
      (this.f.to === null || index <= this.f.to);
  }

  get wantsImageData(): boolean {
    return this.inner.wantsImageData;
  }

  take(): string {
    return this.inner.take();
  }
  settle(): Promise<void> {
    return this.inner.settle?.() ?? Promise.resolve();
  }

  #pass(other: (sink: BufferedSink) => void): void {
    if (this.#held.length > 0) this.#held.push({ other });
    else other(this.inner);
  }
  meta(m: MetaRecord): void {
    this.#pass((s) => s.meta(m));
  }
  rename(title: string): void {
    if (!this.#ranged) return this.#pass((s) => s.rename(title));
    // Whether it is next to the range is known when the next message starts.
    this.#held.push({ rename: { title, after: this.#lastIndex } });
  }
  usage(delta: Usage, cumulative: Usage): void {
    if (this.#passAll) this.inner.usage(delta, cumulative);
    else this.#held.push({ usage: [delta, cumulative] });
  }
  skipped(line: number | null, reason: string, count: number): void {
    this.#pass((s) => s.skipped(line, reason, count));
  }
  /** The end of what was read: held events other than usage rows go out, then the end. */
  end(): void {
    const held = this.#held;
    this.#held = held.filter((e) => e.usage);
    for (const e of held) {
      e.other?.(this.inner);
      if (e.rename && this.#inRange(e.rename.after)) this.inner.rename(e.rename.title);
    }
    this.inner.end?.();
  }
  messageStart(h: MessageHead): void {
    const f = this.f;
    this.#active = (f.roles === null || f.roles.has(h.role)) &&
      (f.from === null || h.index >= f.from) && (f.to === null || h.index <= f.to) &&
      (f.tools || h.role !== "tool");
    const held = this.#held;
    this.#held = [];
    for (const e of held) {
      if (e.other) e.other(this.inner);
      else if (e.rename) {
        if (this.#inRange(e.rename.after) || this.#inRange(h.index)) {
          this.inner.rename(e.rename.title);
        }
      } else if (this.#active) this.inner.usage(...e.usage!); // else it goes with its message
    }
    this.#lastIndex = h.index;
    if (!this.#active) return;
    this.inner.messageStart(h);
  }
  textStart(): void {
    if (this.#show()) this.inner.textStart();
  }
  textChunk(text: string): void {
    if (this.#show()) this.inner.textChunk(text);
  }
  textEnd(): void {
    if (this.#show()) this.inner.textEnd();
  }
  toolCall(id: string, name: string, args: string, cut: boolean): void {
    if (this.#active && this.f.tools) this.inner.toolCall(id, name, args, cut);
  }
  #depth = 0;
  resultStart(callId: string, isError: boolean | null): void {
    this.#depth++;
    if (this.#active && this.f.tools) this.inner.resultStart(callId, isError);
  }
  resultEnd(isError: boolean): void {
    this.#depth--;
    if (this.#active && this.f.tools) this.inner.resultEnd(isError);
  }
  imageStart(mimeType: string): void {
    if (this.#show()) this.inner.imageStart(mimeType);
  }
  imageData(base64: string): void {
    if (this.#show()) this.inner.imageData(base64);
  }
  imageEnd(bytes: number): void {
    if (this.#show()) this.inner.imageEnd(bytes);
  }
  reasoning(summary: string, encrypted: boolean): void {
    if (this.#active) this.inner.reasoning(summary, encrypted);
  }
  messageEnd(): void {
    if (this.#active) this.inner.messageEnd();
  }

  /** Inside a shown message, and not inside a hidden tool result. */
  #show(): boolean {
    return this.#active && (this.#depth === 0 || this.f.tools);
  }
}
