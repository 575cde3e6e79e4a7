/**
 * Transcript sinks: the text and Markdown a person reads, the NDJSON a script
 * reads, and the filter in front of them. Each writes into a string buffer
 * the caller drains (`take()`) between lines, so output streams.
 *
 * Why one module of ~600 lines: the three forms implement one sink
 * interface and share the filter and turn-cost logic; one concept, three
 * short renderers.
 *
 * @module
 */
import type { MetaRecord } from "../format/records.ts";
import type { MessageHead, TranscriptSink } from "../transcript/sink.ts";
import type { Palette } from "./color.ts";
import { formatBytes, formatCost, formatTokens } from "./format.ts";
import { clockIn } from "../base/calendar.ts";
import { parseRfc3339 } from "../base/time.ts";
import { roundUsd } from "../base/counters.ts";
import { jsonForTerminal, sanitizeForTerminal } from "./sanitize.ts";
import { type Usage } from "../base/counters.ts";

/** A sink whose output is taken in pieces. */
export interface BufferedSink extends TranscriptSink {
  /** Returns what was written since the last call, and forgets it. */
  take(): string;
}

/** How a text transcript looks. */
export interface TextOptions {
  palette: Palette;
  /** No cutting of results and arguments. */
  full: boolean;
  /** Print each turn's cost. */
  usage: boolean;
  markdown: boolean;
  /**
   * The first meta line is in a header already (show and tail, the default),
   * so only later ones print, as model switches. False: every one prints.
   */
  header?: boolean;
  /** The zone message times are shown in (default UTC). */
  tz?: string;
}

/** Lines of a tool result shown before `… N more lines`. */
const RESULT_LINES = 20;
/** Arguments up to this long (compact JSON) stay on one line. */
const ONE_LINE = 100;
/** Arguments longer than this (compact JSON) are cut unless `--full`. */
const ARGS_CHARS = 300;

/**
 * A usage row's tokens as a turn's line shows them, zero counts left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenSummary } from "./transcript.ts";
 * const u = { inputTokens: 1200, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 };
 * assert.equal(tokenSummary(u), "1.20k in · 5 out");
 * ```
 */
export function tokenSummary(u: Usage): string {
  const parts = [
    [u.inputTokens, "in"],
    [u.outputTokens, "out"],
    [u.cacheReadTokens, "cache read"],
    [u.cacheWriteTokens, "cache write"],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${formatTokens(n as number)} ${what}`);
  return parts.length ? parts.join(" · ") : "no tokens";
}

/**
 * The date and time of day of an RFC 3339 time in the zone; a time that is
 * not one is shown as written, with no date.
 */
function clock(time: string, tz: string): { date: string; time: string } {
  const ms = parseRfc3339(time);
  return ms === null ? { date: "", time } : clockIn(ms, tz);
}

/**
 * The transcript as text (or Markdown) for a person. Everything from the file
 * is sanitised: escape sequences are shown, never sent to the terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { TextSink } from "./transcript.ts";
 *
 * const sink = new TextSink({ palette: palette(false), full: false, usage: true, markdown: false });
 * sink.rename("fix the parser");
 * assert.equal(sink.take(), '\n✎ renamed: "fix the parser"\n');
 * ```
 */
export class TextSink implements BufferedSink {
  readonly wantsImageData = false;
  #out = "";
  #date = "";
  #calls = new Map<string, string>();
  #pendingUsage: { delta: Usage; cumulative: Usage } | null = null;
  #inResult = false;
  #resultLines = 0;
  #resultHidden = 0;
  // A result line begun (shown or counted) whose "\n" has not come yet.
  #resultLineOpen = false;
  #resultLineShown = false;
  #mime = "";
  #role = "";
  #resultErrorShown = false;

  constructor(readonly o: TextOptions) {}

  take(): string {
    const s = this.#out;
    this.#out = "";
    return s;
  }

  #write(text: string): void {
    this.#out += text;
  }

  #clean(text: string): string {
    return sanitizeForTerminal(text);
  }

  #metas = 0;

  meta(m: MetaRecord): void {
    // The first meta line is the header's; later ones are model switches.
    if (this.#metas++ === 0 && this.o.header !== false) return;
    const p = this.o.palette;
    const line = `model: ${this.#clean(m.model)} (${this.#clean(m.provider)})`;
    this.#write(this.o.markdown ? `\n> ${line}\n` : p.yellow(`\n⇄ ${line}`) + "\n");
  }

  rename(title: string): void {
    if (title === "") return;
    const line = `renamed: ${this.#clean(JSON.stringify(title))}`;
    this.#write(this.o.markdown ? `\n> ${line}\n` : this.o.palette.yellow(`\n✎ ${line}`) + "\n");
  }

  usage(delta: Usage, cumulative: Usage): void {
    if (!this.o.usage) return;
    // Several rows before one reply (a resume, a flush): their increases add up.
    const before = this.#pendingUsage?.delta;
    const sum = before
      ? {
        inputTokens: before.inputTokens + delta.inputTokens,
        outputTokens: before.outputTokens + delta.outputTokens,
        cacheReadTokens: before.cacheReadTokens + delta.cacheReadTokens,
        cacheWriteTokens: before.cacheWriteTokens + delta.cacheWriteTokens,
        costUsd: before.costUsd + delta.costUsd,
      }
      : delta;
    this.#pendingUsage = { delta: sum, cumulative };
  }

  skipped(line: number | null, reason: string, count: number): void {
    const text = skippedMarker(line, reason, count);
    this.#write(this.o.markdown ? `\n> ${text}\n` : this.o.palette.red(`\n${text}`) + "\n");
  }

  messageStart(h: MessageHead): void {
    const p = this.o.palette;
    this.#role = h.role;
    if (h.role === "tool") return; // results print under their calls
    const c = clock(h.time, this.o.tz ?? "UTC");
    const when = c.date && c.date !== this.#date ? `${c.date} ${c.time}` : c.time;
    this.#date = c.date || this.#date;
    const what = h.compaction ? `${h.role} · summary of compacted history` : h.role;
    if (this.o.markdown) {
      this.#write(`\n### ${this.#clean(`${what} · ${when}`)}\n\n`);
      return;
    }
    const head = this.#clean(`── ${what} · ${when} `);
    const color = h.role === "user" ? p.green : h.role === "assistant" ? p.cyan : p.yellow;
    this.#write(
      `\n${color(p.bold(this.#clean(head) + "─".repeat(Math.max(3, 40 - head.length))))}\n`,
    );
  }

  textStart(): void {
    if (this.#inResult) this.#resultLineOpen = false;
  }

  /**
   * Result text goes out line by line as it comes, each line whole up to the
   * limit of lines and counted after it. A line is never held: one of 50 MB
   * without a newline (a streamed line's text comes in 64 KiB pieces) is
   * written piece by piece as one line, or only counted.
   */
  textChunk(text: string): void {
    if (!this.#inResult) {
      this.#write(this.#clean(text));
      return;
    }
    let from = 0;
    while (true) {
      const nl = text.indexOf("\n", from);
      const end = nl === -1 ? text.length : nl;
      // Text, or a "\n" (which ends a line, empty or not) begins a line.
      if (end > from || nl !== -1) {
        if (!this.#resultLineOpen) this.#openResultLine();
        if (this.#resultLineShown && end > from) this.#write(this.#clean(text.slice(from, end)));
      }
      if (nl === -1) return;
      this.#closeResultLine();
      from = nl + 1;
    }
  }

  #openResultLine(): void {
    this.#resultLineOpen = true;
    this.#resultLineShown = this.o.full || this.#resultLines < RESULT_LINES;
    if (!this.#resultLineShown) {
      this.#resultHidden++;
      return;
    }
    this.#resultLines++;
    // Markdown: an indented code block, which no line of the result can close
    // (a fence could be, by a line of backticks in the output).
    this.#write(this.o.markdown ? "    " : `   ${this.o.palette.dim("│")} `);
  }

  #closeResultLine(): void {
    if (this.#resultLineShown) this.#write("\n");
    this.#resultLineOpen = false;
  }

  textEnd(): void {
    if (this.#inResult) {
      if (this.#resultLineOpen) this.#closeResultLine();
      return;
    }
    this.#write("\n");
  }

  toolCall(id: string, name: string, argumentsJson: string, cut: boolean): void {
    this.#calls.set(id, name);
    // One line when it fits, pretty-printed when short, cut when long.
    let args = argumentsJson;
    if (this.o.full || (args.length > ONE_LINE && args.length <= ARGS_CHARS)) {
      try {
        const pretty = JSON.stringify(JSON.parse(args), null, 2);
        if (this.o.full || pretty.split("\n").length <= 12) args = pretty;
      } catch {
        // Cut JSON from a streamed line: shown as it is.
      }
    } else if (args.length > ARGS_CHARS) {
      args = args.slice(0, ARGS_CHARS) + "…";
    }
    if (cut && !args.endsWith("…")) args += "…";
    if (this.o.markdown) {
      this.#write(`\n**→ ${this.#clean(name)}**\n\n${fence(this.#clean(args), "json")}\n`);
      return;
    }
    const p = this.o.palette;
    const indented = this.#clean(args).replaceAll("\n", "\n  ");
    this.#write(`${p.bold(p.cyan(`▸ ${this.#clean(name)}`))} ${indented}\n`);
  }

  resultStart(callId: string, isError: boolean | null): void {
    const p = this.o.palette;
    this.#inResult = true;
    this.#resultLines = 0;
    this.#resultHidden = 0;
    this.#resultErrorShown = isError === true;
    const name = this.#calls.get(callId) ?? (callId ? `call ${callId}` : "tool");
    const mark = isError ? " ✗ error" : "";
    if (this.o.markdown) {
      this.#write(`\n← ${this.#clean(name)}${mark}\n\n`);
      return;
    }
    this.#write(
      `  ${isError ? p.red(`← ${this.#clean(name)}${mark}`) : p.dim(`← ${this.#clean(name)}`)}\n`,
    );
  }

  resultEnd(isError: boolean): void {
    const p = this.o.palette;
    this.#inResult = false;
    const more = this.#resultHidden > 0
      ? `… ${this.#resultHidden} more line${this.#resultHidden === 1 ? "" : "s"}`
      : "";
    if (this.o.markdown) {
      // A line that is not indented ends the indented code block.
      const error = isError && !this.#resultErrorShown ? "(error)\n" : "";
      this.#write(`${more ? `${more}\n` : ""}${error}`);
      return;
    }
    if (more) this.#write(`   ${p.dim(more)}\n`);
    if (isError && !this.#resultErrorShown) this.#write(`   ${p.red("✗ error")}\n`);
  }

  imageStart(mimeType: string): void {
    this.#mime = mimeType;
  }
  imageData(_base64: string): void {}

  imageEnd(bytes: number): void {
    // The mime type was given to imageStart; kept there to print it here.
    const text = `[${this.#clean(this.#mime)}, ${formatBytes(bytes)}]`;
    this.#write(
      this.o.markdown
        ? `*${text}*\n`
        : (this.#inResult ? "   " : "") + this.o.palette.dim(text) + "\n",
    );
  }

  reasoning(summary: string, encrypted: boolean): void {
    const p = this.o.palette;
    const text = summary !== "" ? this.#clean(summary) : encrypted ? "[encrypted reasoning]" : "";
    if (text === "") return;
    this.#write(
      this.o.markdown
        ? `> *${text.replaceAll("\n", "\n> ")}*\n\n`
        : p.dim(`💭 ${text.replaceAll("\n", "\n   ")}`) + "\n",
    );
  }

  messageEnd(): void {
    const u = this.#pendingUsage;
    if (!u || this.#role !== "assistant") return;
    this.#pendingUsage = null;
    const line = `${formatCost(u.delta.costUsd)} this turn · ${tokenSummary(u.delta)} · ${
      formatCost(u.cumulative.costUsd)
    } in all`;
    this.#write(this.o.markdown ? `\n> ${line}\n` : this.o.palette.dim(`  ${line}`) + "\n");
  }
}

/**
 * The marker for `count` damaged lines in a row, the first at `line` (null:
 * its number is unknown).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { skippedMarker } from "./transcript.ts";
 *
 * assert.equal(skippedMarker(5, "not valid JSON", 1), "[line 5 skipped: not valid JSON]");
 * assert.equal(
 *   skippedMarker(null, "not valid JSON", 1234567),
 *   "[1,234,567 lines skipped: not valid JSON]",
 * );
 * ```
 */
export function skippedMarker(line: number | null, reason: string, count: number): string {
  if (count === 1) return `[${line === null ? "a line" : `line ${line}`} skipped: ${reason}]`;
  const from = line === null ? "" : ` from line ${line}`;
  return `[${count.toLocaleString("en-US")} lines skipped${from}: ${reason}]`;
}

/** A Markdown code fence long enough for its content. */
function fence(text: string, lang: string): string {
  let ticks = "```";
  while (text.includes(ticks)) ticks += "`";
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

// ---------------------------------------------------------------------------
// NDJSON events

/**
 * NDJSON events in file order: `meta`, `message`, `usage`, `rename`,
 * `skipped` (README documents the shapes). A message is written as it
 * streams: long texts never sit whole in memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonSink } from "./transcript.ts";
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

// ---------------------------------------------------------------------------
// Filtering

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
 * import { FilterSink, JsonSink } from "./transcript.ts";
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
  /** The end of what was read: held events other than usage rows go out. */
  end(): void {
    const held = this.#held;
    this.#held = held.filter((e) => e.usage);
    for (const e of held) {
      e.other?.(this.inner);
      if (e.rename && this.#inRange(e.rename.after)) this.inner.rename(e.rename.title);
    }
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
