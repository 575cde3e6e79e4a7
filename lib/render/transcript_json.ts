/**
 * The transcript as NDJSON events for a script: `meta`, `message`, `usage`,
 * `rename`, `skipped`, in file order (README documents the shapes).
 *
 * @module
 */
import type { MetaRecord } from "../format/records.ts";
import type { MessageHead } from "../transcript/sink.ts";
import { roundUsd, type Usage } from "../base/counters.ts";
import { jsonForTerminal } from "./sanitize.ts";
import type { BufferedSink } from "./transcript.ts";

/** The events {@linkcode JsonSink} writes, by `type`, and their fields (`zot-sessions help json`). */
export const TRANSCRIPT_EVENT_FIELDS = {
  meta: "id, cwd, model, provider, started, version, title, parent, forkPoint: the first " +
    "and every later meta line",
  message: "index, role, time, blocks; compaction: true on a summary of compacted history",
  usage: "delta (the increase over the usage line before) and cumulative, each " +
    "{inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd}",
  rename: "title",
  skipped: "line, reason, count: count lines in a row that could not be read, for one reason",
} as const;

/** A message's blocks, by `type`, and their fields (`zot-sessions help json`). */
export const TRANSCRIPT_BLOCK_FIELDS = {
  text: "text",
  tool_call: "id, name, arguments; over 64 KiB, arguments as a string cut short and " +
    "argumentsCut: true",
  tool_result: "callId, content (text and image blocks), isError",
  image: "mimeType, bytes (its decoded size); data (base64) with --with-data",
  reasoning: "summary, encrypted (a boolean: the blob itself is never printed)",
} as const;

/**
 * NDJSON events in file order: `meta`, `message`, `usage`, `rename`,
 * `skipped` (README documents the shapes). A message is written as it
 * streams: long texts never sit whole in memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonSink } from "./transcript_json.ts";
 *
 * const sink = new JsonSink({ withData: false, terminal: false });
 * sink.rename("fix the parser");
 * assert.deepEqual(JSON.parse(sink.take()), { type: "rename", title: "fix the parser" });
 * ```
 */
export class JsonSink implements BufferedSink {
  readonly wantsImageData: boolean;
  #out = "";
  #needComma: boolean[] = [];

  constructor(readonly o: { withData: boolean; terminal: boolean }) {
    this.wantsImageData = o.withData;
  }

  take(): string {
    const s = jsonForTerminal(this.#out, this.o.terminal);
    this.#out = "";
    return s;
  }

  #line(value: unknown): void {
    this.#out += JSON.stringify(value) + "\n";
  }

  /** Starts an element of the innermost open array. */
  #element(text: string): void {
    const i = this.#needComma.length - 1;
    if (this.#needComma[i]) this.#out += ",";
    this.#needComma[i] = true;
    this.#out += text;
  }

  meta(m: MetaRecord): void {
    this.#line({
      type: "meta",
      id: m.id,
      cwd: m.cwd,
      model: m.model,
      provider: m.provider,
      started: m.started,
      version: m.version,
      title: m.title || null,
      parent: m.parent || null,
      forkPoint: m.forkPoint,
    });
  }

  rename(title: string): void {
    this.#line({ type: "rename", title });
  }

  usage(delta: Usage, cumulative: Usage): void {
    // Money to the nanodollar: no float noise from zot's sums or ours.
    this.#line({
      type: "usage",
      delta: { ...delta, costUsd: roundUsd(delta.costUsd) },
      cumulative: { ...cumulative, costUsd: roundUsd(cumulative.costUsd) },
    });
  }

  skipped(line: number | null, reason: string, count: number): void {
    this.#line({ type: "skipped", line, reason, count });
  }

  messageStart(h: MessageHead): void {
    const head = JSON.stringify({ type: "message", index: h.index, role: h.role, time: h.time });
    this.#out += head.slice(0, -1) + (h.compaction ? ',"compaction":true' : "") + ',"blocks":[';
    this.#needComma = [false];
  }

  textStart(): void {
    this.#element('{"type":"text","text":"');
  }

  textChunk(text: string): void {
    this.#out += JSON.stringify(text).slice(1, -1);
  }

  textEnd(): void {
    this.#out += '"}';
  }

  toolCall(id: string, name: string, argumentsJson: string, cut: boolean): void {
    const head = JSON.stringify({ type: "tool_call", id, name }).slice(0, -1);
    const args = cut ? JSON.stringify(argumentsJson) + ',"argumentsCut":true' : argumentsJson;
    this.#element(`${head},"arguments":${args}}`);
  }

  resultStart(callId: string, _isError: boolean | null): void {
    this.#element(JSON.stringify({ type: "tool_result", callId }).slice(0, -1) + ',"content":[');
    this.#needComma.push(false);
  }

  resultEnd(isError: boolean): void {
    this.#needComma.pop();
    this.#out += `],"isError":${isError}}`;
  }

  imageStart(mimeType: string): void {
    this.#element(JSON.stringify({ type: "image", mimeType }).slice(0, -1));
    if (this.o.withData) this.#out += ',"data":"';
  }

  imageData(base64: string): void {
    // Base64 needs no escaping, but the file may hold anything else there.
    this.#out += JSON.stringify(base64).slice(1, -1);
  }

  imageEnd(bytes: number): void {
    this.#out += `${this.o.withData ? '"' : ""},"bytes":${bytes}}`;
  }

  reasoning(summary: string, encrypted: boolean): void {
    this.#element(JSON.stringify({ type: "reasoning", summary, encrypted }));
  }

  messageEnd(): void {
    this.#out += "]}\n";
    this.#needComma = [];
  }
}
