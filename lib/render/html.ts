/**
 * `show --html`: a transcript as one self-contained page. Every string from
 * the transcript goes through {@linkcode escapeHtml} (or {@linkcode ProseText},
 * which calls it), so it is only ever text; the markup, attributes and link
 * targets (`#m-N`) are ours; image data is kept to base64's characters.
 *
 * The page streams: text passes through as it comes, image data in the
 * emitter's chunks. The only things held are bounded: a tool result up to
 * `RESULT_HOLD` (so its fold can say how many lines it has, html_result.ts),
 * an image up to `--max-image-bytes` when that is given (html_image.ts), a
 * line of text up to 4000 characters (html_text.ts), and the table of
 * contents' prompts (written last; the style places it).
 *
 * @module
 */
import { addUsage, type Usage } from "../base/counters.ts";
import type { MetaRecord } from "../format/records.ts";
import type { MessageHead } from "../transcript/sink.ts";
import { type BufferedSink, messageClock, skippedMarker, tokenSummary } from "./transcript.ts";
import { escapeHtml, ProseText } from "./html_text.ts";
import { toolCallHtml } from "./html_args.ts";
import { ResultFold } from "./html_result.ts";
import { HtmlImage } from "./html_image.ts";
import { pageEnd, type PageHeader, pageStart, type TocEntry } from "./html_page.ts";
import { formatCost } from "./format.ts";
import { SgrStripper, stripSgr } from "./sgr.ts";
import { cutBeforeMarker } from "./secret_redact.ts";

/** How the page looks. */
export interface HtmlOptions {
  header: PageHeader;
  /** No folding of results and arguments. */
  full: boolean;
  /** Show each turn's cost. */
  usage: boolean;
  /** The zone message times are shown in. */
  tz: string;
  /** Images bigger than this many bytes are a placeholder with their size; null: none is. */
  maxImageBytes: number | null;
}

/** Prompts listed in the table of contents (the rest are counted). */
const TOC_MAX = 500;
/** Characters of a prompt shown in the table of contents. */
const TOC_CHARS = 90;
const ROLES = new Set(["user", "assistant", "tool"]);

/**
 * The transcript as an HTML page; {@linkcode finish} writes its end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HtmlSink } from "./html.ts";
 * const header = { title: "t", facts: [], generator: "zot-sessions" };
 * const sink = new HtmlSink({ header, full: false, usage: true, tz: "UTC", maxImageBytes: null });
 * sink.messageStart({ index: 0, role: "user", time: "2026-10-01T12:00:00Z", compaction: false });
 * sink.textStart(); sink.textChunk("<script>"); sink.textEnd(); sink.messageEnd();
 * sink.finish();
 * const html = sink.take();
 * assert.ok(html.includes('id="m-0"') && html.includes("&lt;script&gt;"));
 * ```
 */
export class HtmlSink implements BufferedSink {
  readonly wantsImageData = true;
  #out: string;
  #metas = 0;
  #date = "";
  #role = "";
  #compaction = false;
  #pendingUsage: { delta: Usage; cumulative: Usage } | null = null;
  #calls = new Map<string, { name: string; at: number }>();
  #index = -1;
  #text: ProseText | null = null;
  #textOpen = false;
  #result: ResultFold | null = null;
  #image: HtmlImage | null = null;
  #toc: TocEntry[] = [];
  #tocMore = 0;
  /** The prompt being collected for the table of contents. */
  #prompt: TocEntry | null = null;
  /** Images of that prompt (named in the table when it has no text). */
  #promptImages = 0;
  /** Colour codes out of the text block being written. */
  #sgr = new SgrStripper();

  constructor(readonly o: HtmlOptions) {
    this.#out = pageStart(o.header);
  }

  take(): string {
    const s = this.#out;
    this.#out = "";
    return s;
  }

  /** Ends the page: the table of contents and the closing tags. */
  finish(): void {
    this.#endPrompt();
    this.#out += pageEnd(this.#toc, this.#tocMore, this.o.header.generator);
  }

  #write(html: string): void {
    this.#out += this.#result === null ? html : this.#result.add(html);
  }

  meta(m: MetaRecord): void {
    // The first meta line is the header's; later ones are model switches.
    if (this.#metas++ === 0) return;
    this.#event(`⇄ model: ${m.model} (${m.provider})`);
  }

  rename(title: string): void {
    if (title !== "") this.#event(`✎ renamed: ${JSON.stringify(title)}`);
  }

  skipped(line: number | null, reason: string, count: number): void {
    this.#event(skippedMarker(line, reason, count), "damaged");
  }

  #event(text: string, cls = ""): void {
    this.#write(`<div class="event${cls ? ` ${cls}` : ""}">${escapeHtml(text)}</div>\n`);
  }

  usage(delta: Usage, cumulative: Usage): void {
    if (!this.o.usage) return;
    // Several rows before one reply (a resume, a flush): their increases add up.
    const b = this.#pendingUsage?.delta;
    const sum = b ? addUsage(b, delta) : delta;
    this.#pendingUsage = { delta: sum, cumulative };
  }

  messageStart(h: MessageHead): void {
    this.#endPrompt();
    this.#index = h.index;
    this.#role = h.role;
    this.#compaction = h.compaction;
    const role = ROLES.has(h.role) ? h.role : "other";
    const c = messageClock(h.time, this.o.tz);
    const when = c.date && c.date !== this.#date ? `${c.date} ${c.time}` : c.time;
    this.#date = c.date || this.#date;
    const note = h.compaction ? ` <span class="note">summary of compacted history</span>` : "";
    this.#write(
      `<article class="msg ${role}" id="m-${h.index}" data-role="${escapeHtml(h.role)}">` +
        `<div class="head"><span class="role">${escapeHtml(h.role || "message")}</span>` +
        `<a class="time" href="#m-${h.index}">${escapeHtml(when)}</a>${note}</div>\n`,
    );
    if (h.compaction) this.#write(`<details class="compaction"><summary>Summary</summary>`);
    if (h.role === "user" && !h.compaction) {
      if (this.#toc.length < TOC_MAX) this.#prompt = { index: h.index, time: c.time, text: "" };
      else this.#tocMore++;
      this.#promptImages = 0;
    }
  }

  /** Keeps what was collected of a prompt for the table of contents. */
  #endPrompt(): void {
    const p = this.#prompt;
    if (p === null) return;
    this.#prompt = null;
    p.text = p.text.replace(/\s+/g, " ").trim();
    p.text = cutBeforeMarker(p.text, TOC_CHARS);
    const images = this.#promptImages;
    if (p.text === "") {
      p.text = images === 0 ? "(empty)" : images === 1 ? "(image)" : `(${images} images)`;
    }
    this.#toc.push(p);
  }

  textStart(): void {
    this.#textOpen = false;
    this.#sgr = new SgrStripper();
  }

  textChunk(text: string): void {
    this.#chunk(this.#sgr.push(text));
  }

  /** A piece of text, its colour codes out. */
  #chunk(text: string): void {
    const p = this.#prompt;
    if (p !== null && p.text.length <= TOC_CHARS) p.text += text.slice(0, TOC_CHARS + 1) + " ";
    const r = this.#result;
    if (r !== null) {
      if (!this.#textOpen) {
        this.#write('<pre class="out">');
        r.textStart();
      }
      this.#textOpen = true;
      r.text(text);
      this.#write(escapeHtml(text));
      return;
    }
    if (!this.#textOpen) {
      this.#text = new ProseText();
      this.#write('<div class="text">');
      this.#textOpen = true;
    }
    this.#write(this.#text!.push(text));
  }

  textEnd(): void {
    const rest = this.#sgr.end();
    if (rest !== "") this.#chunk(rest);
    if (!this.#textOpen) return;
    this.#textOpen = false;
    const r = this.#result;
    if (r !== null) {
      r.textEnd();
      this.#write("</pre>");
      return;
    }
    this.#write(this.#text!.end() + "</div>\n");
    this.#text = null;
  }

  toolCall(id: string, name: string, argumentsJson: string, cut: boolean): void {
    this.#calls.set(id, { name, at: this.#index });
    this.#write(toolCallHtml(name, argumentsJson, cut, this.o.full));
  }

  resultStart(callId: string, isError: boolean | null): void {
    const call = this.#calls.get(callId);
    const name = call?.name ?? (callId ? `call ${callId}` : "tool");
    this.#result = new ResultFold(name, call?.at ?? -1, isError, this.o.full);
  }

  resultEnd(isError: boolean): void {
    const r = this.#result!;
    this.#result = null;
    this.#write(r.end(isError));
  }

  imageStart(mimeType: string): void {
    if (this.#result === null) this.#promptImages++;
    this.#result?.image();
    this.#image = new HtmlImage(mimeType, this.o.maxImageBytes);
  }

  imageData(base64: string): void {
    this.#write(this.#image!.data(base64));
  }

  imageEnd(bytes: number): void {
    this.#write(this.#image!.end(bytes));
    this.#image = null;
  }

  reasoning(summary: string, encrypted: boolean): void {
    if (summary === "") {
      if (encrypted) this.#write(`<div class="encrypted">reasoning (encrypted)</div>\n`);
      return;
    }
    const t = new ProseText();
    this.#write(
      `<details class="reasoning"${this.o.full ? " open" : ""}><summary>Reasoning</summary>` +
        `<div class="text">${t.push(stripSgr(summary))}${t.end()}</div></details>\n`,
    );
  }

  messageEnd(): void {
    this.#endPrompt();
    if (this.#compaction) this.#write("</details>");
    const u = this.#pendingUsage;
    if (u && this.#role === "assistant") {
      this.#pendingUsage = null;
      const line = `${formatCost(u.delta.costUsd)} this turn · ${tokenSummary(u.delta)} · ${
        formatCost(u.cumulative.costUsd)
      } in all`;
      this.#write(`<div class="cost">${escapeHtml(line)}</div>\n`);
    }
    this.#write("</article>\n");
  }
}
