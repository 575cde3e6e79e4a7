/**
 * The transcript as text, or Markdown, for a person: each message under a
 * heading with its time, tool calls with their arguments, results cut to a
 * few lines unless `--full`, each turn's cost. Everything from the file is
 * sanitised: escape sequences are shown, never sent to the terminal.
 *
 * Why one class of ~250 lines: text and Markdown are one layout written two
 * ways, and the tool result's line counting is shared by both.
 *
 * @module
 */
import type { MetaRecord } from "../format/records.ts";
import type { MessageHead } from "../transcript/sink.ts";
import { formatBytes, formatCost } from "./format.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { addUsage, type Usage } from "../base/counters.ts";
import { type BufferedSink, messageClock, skippedMarker, tokenSummary } from "./transcript.ts";
import { type HeadingOptions, messageHeading, resultHeading } from "./transcript_heads.ts";

/** How a text transcript looks (its headings: transcript_heads.ts). */
export interface TextOptions extends HeadingOptions {
  /** No cutting of results and arguments. */
  full: boolean;
  /** Print each turn's cost. */
  usage: boolean;
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
 * The transcript as text (or Markdown) for a person. Everything from the file
 * is sanitised: escape sequences are shown, never sent to the terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { TextSink } from "./transcript_text.ts";
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
  #index = 0;
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
    const sum = before ? addUsage(before, delta) : delta;
    this.#pendingUsage = { delta: sum, cumulative };
  }

  skipped(line: number | null, reason: string, count: number): void {
    const text = skippedMarker(line, reason, count);
    this.#write(this.o.markdown ? `\n> ${text}\n` : this.o.palette.red(`\n${text}`) + "\n");
  }

  messageStart(h: MessageHead): void {
    this.#role = h.role;
    this.#index = h.index;
    if (h.role === "tool") return; // results print under their calls
    const c = messageClock(h.time, this.o.tz ?? "UTC");
    const when = c.date && c.date !== this.#date ? `${c.date} ${c.time}` : c.time;
    this.#date = c.date || this.#date;
    const what = h.compaction ? `${h.role} · summary of compacted history` : h.role;
    this.#write(messageHeading(this.o, h.role, h.index, this.#clean(`${what} · ${when}`)));
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
    this.#inResult = true;
    this.#resultLines = 0;
    this.#resultHidden = 0;
    this.#resultErrorShown = isError === true;
    const name = this.#calls.get(callId) ?? (callId ? `call ${callId}` : "tool");
    // A tool message has no header of its own: its number is on its result.
    const own = this.#role === "tool" ? this.#index : null;
    this.#write(resultHeading(this.o, this.#clean(name), own, isError));
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

/** A Markdown code fence long enough for its content. */
function fence(text: string, lang: string): string {
  let ticks = "```";
  while (text.includes(ticks)) ticks += "`";
  return `${ticks}${lang}\n${text}\n${ticks}`;
}
