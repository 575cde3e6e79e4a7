/**
 * `show --html`: a transcript as one self-contained page. Every string from
 * the transcript goes through {@linkcode escapeHtml} (or {@linkcode ProseText},
 * which calls it), so it is only ever text; the markup, attributes and link
 * targets (`#m-N`) are ours; image data is kept to base64's characters.
 *
 * The page streams: text passes through as it comes, image data in the
 * emitter's chunks. The only things held are bounded: a tool result up to
 * {@linkcode RESULT_HOLD} (so its fold can say how many lines it has), an
 * image up to `--max-image-bytes` when that is given, and the table of
 * contents' prompts (written last; the style places it).
 *
 * @module
 */
import type { MetaRecord, Usage } from "../format/records.ts";
import type { MessageHead } from "../transcript/emitter.ts";
import { type BufferedSink, skippedMarker, tokenSummary } from "./transcript.ts";
import { escapeHtml, ProseText } from "./html_text.ts";
import { toolCallHtml } from "./html_args.ts";
import { looksLikeDiff, markedDiff } from "./html_diff.ts";
import { pageEnd, type PageHeader, pageStart, type TocEntry } from "./html_page.ts";
import { formatBytes, formatCost } from "./format.ts";
import { clockIn } from "../base/calendar.ts";
import { parseRfc3339 } from "../base/time.ts";

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

/** Results of more lines than this are folded. */
const RESULT_LINES = 20;
/** Characters of a result's HTML held to count its lines; past this it streams, folded. */
export const RESULT_HOLD = 1 << 20;
/** A result's text up to this long is kept to be shown as a diff if it is one. */
const DIFF_CHARS = 64 << 10;
/** Prompts listed in the table of contents (the rest are counted). */
const TOC_MAX = 500;
/** Characters of a prompt shown in the table of contents. */
const TOC_CHARS = 90;
/** Image types a browser shows from a `data:` URI (no SVG: it is a document). */
const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp|avif|bmp)$/;
const ROLES = new Set(["user", "assistant", "tool"]);

interface OpenResult {
  name: string;
  /** The index of the message of its call, or -1. */
  callAt: number;
  isError: boolean | null;
  body: string;
  /** Past the hold: the head is written and the body streams. */
  streaming: boolean;
  lines: number;
  lineOpen: boolean;
  images: number;
  /** Its one text, while short (null: too long, or more than a text). */
  raw: string | null;
  texts: number;
}

interface OpenImage {
  mime: string;
  shown: boolean;
  /** Data held while its size is not known to be under the bound. */
  held: string[] | null;
  heldChars: number;
  /** The `<img>` has been opened (data streams into it). */
  open: boolean;
}

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
  #result: OpenResult | null = null;
  #image: OpenImage | null = null;
  #toc: TocEntry[] = [];
  #tocMore = 0;
  /** The prompt being collected for the table of contents. */
  #prompt: TocEntry | null = null;

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
    const r = this.#result;
    if (r === null || r.streaming) {
      this.#out += html;
      return;
    }
    r.body += html;
    if (r.body.length > RESULT_HOLD) {
      // Too long to hold: folded, its length unsaid.
      r.streaming = true;
      this.#out += this.#resultHead(r, false) + r.body;
      r.body = "";
    }
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
    const sum = b
      ? {
        inputTokens: b.inputTokens + delta.inputTokens,
        outputTokens: b.outputTokens + delta.outputTokens,
        cacheReadTokens: b.cacheReadTokens + delta.cacheReadTokens,
        cacheWriteTokens: b.cacheWriteTokens + delta.cacheWriteTokens,
        costUsd: b.costUsd + delta.costUsd,
      }
      : delta;
    this.#pendingUsage = { delta: sum, cumulative };
  }

  messageStart(h: MessageHead): void {
    this.#endPrompt();
    this.#index = h.index;
    this.#role = h.role;
    this.#compaction = h.compaction;
    const role = ROLES.has(h.role) ? h.role : "other";
    const ms = parseRfc3339(h.time);
    const c = ms === null ? { date: "", time: h.time } : clockIn(ms, this.o.tz);
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
    }
  }

  /** Keeps what was collected of a prompt for the table of contents. */
  #endPrompt(): void {
    const p = this.#prompt;
    if (p === null) return;
    this.#prompt = null;
    p.text = p.text.replace(/\s+/g, " ").trim();
    if (p.text.length > TOC_CHARS) p.text = p.text.slice(0, TOC_CHARS - 1) + "…";
    this.#toc.push(p);
  }

  textStart(): void {
    this.#textOpen = false;
  }

  textChunk(text: string): void {
    const p = this.#prompt;
    if (p !== null && p.text.length <= TOC_CHARS) p.text += text.slice(0, TOC_CHARS + 1) + " ";
    const r = this.#result;
    if (r !== null) {
      if (!this.#textOpen) {
        this.#write('<pre class="out">');
        r.texts++;
      }
      this.#textOpen = true;
      r.raw = r.raw !== null && r.raw.length + text.length <= DIFF_CHARS ? r.raw + text : null;
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) r.lines++;
      r.lineOpen = !text.endsWith("\n");
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
    if (!this.#textOpen) return;
    this.#textOpen = false;
    const r = this.#result;
    if (r !== null) {
      if (r.lineOpen) r.lines++;
      r.lineOpen = false;
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
    this.#result = {
      name: call?.name ?? (callId ? `call ${callId}` : "tool"),
      callAt: call?.at ?? -1,
      isError,
      body: "",
      streaming: false,
      lines: 0,
      lineOpen: false,
      images: 0,
      raw: "",
      texts: 0,
    };
  }

  /** The opening of a result's fold and its summary. */
  #resultHead(r: OpenResult, known: boolean): string {
    const error = r.isError === true;
    const lines = known && r.lines > 0 ? ` · ${r.lines} line${r.lines === 1 ? "" : "s"}` : "";
    const images = known && r.images > 0 ? ` · ${r.images} image${r.images === 1 ? "" : "s"}` : "";
    const open = known && (this.o.full || r.lines <= RESULT_LINES) ? " open" : "";
    const name = r.callAt >= 0
      ? `<a class="tool" href="#m-${r.callAt}">${escapeHtml(r.name)}</a>`
      : `<span class="tool">${escapeHtml(r.name)}</span>`;
    return `<details class="result${error ? " error" : ""}"${open}><summary>${name}` +
      `<span class="n">${lines}${images}${error ? " · error" : ""}</span></summary>`;
  }

  resultEnd(isError: boolean): void {
    const r = this.#result!;
    this.#result = null;
    if (r.streaming) {
      const mark = isError && r.isError !== true ? `<div class="mark">✗ error</div>` : "";
      this.#write(`</details>${mark}\n`);
      return;
    }
    r.isError = isError;
    if (r.body === "") {
      const cls = `result empty${isError ? " error" : ""}`;
      this.#write(
        `<div class="${cls}">← ${escapeHtml(r.name)} · no output${
          isError ? " · error" : ""
        }</div>\n`,
      );
      return;
    }
    // Output that is a diff (an edit tool's) is shown as one.
    const body = r.raw !== null && r.texts === 1 && r.images === 0 && looksLikeDiff(r.raw)
      ? markedDiff(r.raw)
      : r.body;
    this.#write(this.#resultHead(r, true) + body + "</details>\n");
  }

  imageStart(mimeType: string): void {
    if (this.#result) this.#result.images++;
    const shown = IMAGE_TYPES.test(mimeType);
    const held = shown && this.o.maxImageBytes !== null ? [] : null;
    this.#image = { mime: mimeType, shown, held, heldChars: 0, open: false };
  }

  imageData(base64: string): void {
    const img = this.#image!;
    if (!img.shown) return;
    // Only base64's characters: nothing else in the file reaches the attribute.
    const data = /[^A-Za-z0-9+/=]/.test(base64) ? base64.replace(/[^A-Za-z0-9+/=]/g, "") : base64;
    if (img.held !== null) {
      img.held.push(data);
      img.heldChars += data.length;
      // Past the bound: only its size will be shown.
      if (img.heldChars * 3 / 4 > this.o.maxImageBytes! + 3) {
        img.held = null;
        img.shown = false;
      }
      return;
    }
    if (!img.open) this.#write(`<figure class="image"><img src="data:${img.mime};base64,`);
    img.open = true;
    this.#write(data);
  }

  imageEnd(bytes: number): void {
    const img = this.#image!;
    this.#image = null;
    const what = `${img.mime || "image"} · ${formatBytes(bytes)}`;
    if (img.held !== null && img.held.length > 0 && bytes <= this.o.maxImageBytes!) {
      this.#write(`<figure class="image"><img src="data:${img.mime};base64,`);
      for (const piece of img.held) this.#write(piece);
      img.open = true;
    }
    if (img.open) {
      this.#write(
        `" alt="${escapeHtml(what)}"><figcaption>${escapeHtml(what)}</figcaption></figure>\n`,
      );
      return;
    }
    const why = bytes === 0
      ? "no data"
      : !IMAGE_TYPES.test(img.mime)
      ? "not shown: not an image type a page shows"
      : `not shown: larger than --max-image-bytes (${formatBytes(this.o.maxImageBytes!)})`;
    this.#write(`<div class="placeholder">${escapeHtml(`[${what}: ${why}]`)}</div>\n`);
  }

  reasoning(summary: string, encrypted: boolean): void {
    if (summary === "") {
      if (encrypted) this.#write(`<div class="encrypted">reasoning (encrypted)</div>\n`);
      return;
    }
    const t = new ProseText();
    this.#write(
      `<details class="reasoning"${this.o.full ? " open" : ""}><summary>Reasoning</summary>` +
        `<div class="text">${t.push(summary)}${t.end()}</div></details>\n`,
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
