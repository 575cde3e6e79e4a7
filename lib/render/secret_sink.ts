/**
 * `--redact-secrets`: a transcript passed on with every secret in its text
 * (prompts, replies, reasoning summaries, tool arguments and output, titles)
 * replaced by `[redacted: KIND]`, and each one counted.
 *
 * Finding secrets is asynchronous (secretlint) while a sink's calls are not,
 * so {@linkcode SecretSink} queues the calls and passes them on, in order,
 * when {@linkcode SecretSink.settle} has checked their text: the caller
 * settles before each `take()` (see `drain` in lib/render/transcript.ts).
 * Short texts wait until enough have queued to check them in one call.
 *
 * A text may come in pieces of any size (a streamed line of 50 MB): it is
 * checked in windows, and the end of each window is held back and checked
 * again with what follows, so that a secret cut by a window's end is seen
 * whole in the next.
 *
 * @module
 */
import type { Usage } from "../base/counters.ts";
import type { MetaRecord } from "../format/records.ts";
import type { MessageHead } from "../transcript/sink.ts";
import type { BufferedSink } from "./transcript.ts";
import type { FindSecrets, SecretSpan } from "./secret_scan.ts";
import { JsonViews, mergeSpans, redactSpans } from "./secret_redact.ts";

/**
 * Characters of one text held before they are checked: a window. Each
 * check leaves garbage the size of its window: `show --markdown` of a
 * 50 MiB line peaked at 138 MiB with 256 KiB windows, 130 with 128 KiB,
 * 119 with 64 KiB (10 MiB line: 112, 111, 105), for 5% more time.
 */
export const WINDOW = 64 << 10;
/**
 * The end of a window held back for the next: more than the longest secret
 * a rule finds (a private key block has up to 10,000 characters of base64;
 * a GitHub app token up to about 12,000).
 */
export const OVERLAP = 16 << 10;
/** Text already passed on that the rules see before a window (their look-behind). */
const CONTEXT = 256;
/** Queued characters (texts and image data) that make `settle()` check them. */
const BATCH = 64 << 10;

/**
 * How many secrets were taken out, by kind, over a run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SecretTally } from "./secret_sink.ts";
 * const tally = new SecretTally();
 * assert.equal(tally.summary(), null);
 * tally.add(["private key", "GitHub token", "GitHub token"]);
 * assert.equal(tally.summary(), "redacted 3 secrets: 2 GitHub token, 1 private key");
 * ```
 */
export class SecretTally {
  readonly #counts = new Map<string, number>();
  #total = 0;

  add(kinds: readonly string[]): void {
    for (const k of kinds) this.#counts.set(k, (this.#counts.get(k) ?? 0) + 1);
    this.#total += kinds.length;
  }

  /** Secrets taken out so far. */
  get total(): number {
    return this.#total;
  }

  /** One line saying how many, by kind (most first), or null when none. */
  summary(): string | null {
    if (this.#total === 0) return null;
    const kinds = [...this.#counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([kind, n]) => `${n} ${kind}`);
    return `redacted ${this.#total} secret${this.#total === 1 ? "" : "s"}: ${kinds.join(", ")}`;
  }
}

/**
 * One text with its secrets replaced, counted in `tally`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactSecretsIn, SecretTally } from "./secret_sink.ts";
 * const find = async (texts: readonly string[]) =>
 *   texts.map((t) => t.includes("s3cret") ? [{ start: t.indexOf("s3cret"), end: t.indexOf("s3cret") + 6, kind: "password" }] : []);
 * const tally = new SecretTally();
 * assert.equal(await redactSecretsIn("pw s3cret", find, tally), "pw [redacted: password]");
 * assert.equal(tally.total, 1);
 * ```
 */
export async function redactSecretsIn(
  text: string,
  find: FindSecrets,
  tally: SecretTally,
): Promise<string> {
  if (text === "") return text;
  const [spans] = await find([text]);
  const r = redactSpans(text, mergeSpans(spans));
  tally.add(r.kinds);
  return r.text;
}

/** A queued call: passed on as it is, or once its text is checked. */
type Item =
  | { run: (sink: BufferedSink) => void }
  | {
    text: string;
    /** What the rules look at (`text`, maybe with context, or JSON's strings). */
    views: string[];
    /** The spans found in the views as spans of `text`, merged. */
    spans: (found: SecretSpan[][]) => SecretSpan[];
    pass: (sink: BufferedSink, text: string) => void;
  };

/**
 * A text the rules see whole, of which what follows its first `kept`
 * characters (text already passed on, there for the rules' look-behind)
 * is to be passed on.
 */
function plain(
  whole: string,
  kept: number,
  pass: (sink: BufferedSink, text: string) => void,
): Item {
  const text = kept === 0 ? whole : whole.slice(kept);
  return { text, views: [whole], spans: (found) => shifted(found[0], kept), pass };
}

/**
 * Passes a transcript on with its secrets replaced by `[redacted: KIND]`,
 * counting them in `tally`; image data passes unchecked. Calls are queued
 * until {@linkcode SecretSink.settle}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SecretSink, SecretTally } from "./secret_sink.ts";
 * import { JsonSink } from "./transcript_json.ts";
 * const find = async (texts: readonly string[]) =>
 *   texts.map((t) => [...t.matchAll(/s3cret/g)].map((m) => ({ start: m.index, end: m.index + 6, kind: "password" })));
 * const tally = new SecretTally();
 * const sink = new SecretSink(new JsonSink({ withData: false, terminal: false }), find, tally);
 * sink.rename("use s3cret");
 * sink.end();
 * assert.equal(sink.take(), ""); // not checked yet
 * await sink.settle();
 * assert.equal(sink.take(), '{"type":"rename","title":"use [redacted: password]"}\n');
 * assert.equal(tally.summary(), "redacted 1 secret: 1 password");
 * ```
 */
export class SecretSink implements BufferedSink {
  #queue: Item[] = [];
  /** Characters queued (texts, image data). */
  #weight = 0;
  /**
   * The text block being received: what is not passed on yet, after its
   * first `kept` characters (passed on already, kept for the look-behind).
   * One string, so that a window is checked without a copy made for it.
   */
  #open: { raw: string; kept: number } | null = null;
  #ended = false;

  /** `sizes`: the window, overlap and batch (tests make them small). */
  constructor(
    readonly inner: BufferedSink,
    readonly find: FindSecrets,
    readonly tally: SecretTally,
    readonly sizes: { window: number; overlap: number; batch: number } = {
      window: WINDOW,
      overlap: OVERLAP,
      batch: BATCH,
    },
  ) {}

  get wantsImageData(): boolean {
    return this.inner.wantsImageData;
  }
  take(): string {
    return this.inner.take();
  }

  #op(run: (sink: BufferedSink) => void, weight = 0): void {
    this.#queue.push({ run });
    this.#weight += weight;
  }
  #text(text: string, pass: (sink: BufferedSink, text: string) => void, json = false): void {
    if (json) {
      const views = new JsonViews(text);
      this.#queue.push({ text, views: views.texts, spans: (found) => views.spans(found), pass });
    } else this.#queue.push(plain(text, 0, pass));
    this.#weight += text.length;
  }

  meta(m: MetaRecord): void {
    this.#text(m.title, (s, title) => s.meta({ ...m, title }));
  }
  rename(title: string): void {
    this.#text(title, (s, t) => s.rename(t));
  }
  usage(delta: Usage, cumulative: Usage): void {
    this.#op((s) => s.usage(delta, cumulative));
  }
  skipped(line: number | null, reason: string, count: number): void {
    this.#op((s) => s.skipped(line, reason, count));
  }
  messageStart(head: MessageHead): void {
    this.#op((s) => s.messageStart(head));
  }
  textStart(): void {
    this.#op((s) => s.textStart());
    this.#open = { raw: "", kept: 0 };
  }
  textChunk(text: string): void {
    if (this.#open) this.#open.raw += text;
    else this.#text(text, (s, t) => t !== "" && s.textChunk(t));
  }
  textEnd(): void {
    const open = this.#open;
    this.#open = null;
    if (open && open.raw.length > open.kept) {
      this.#queue.push(plain(open.raw, open.kept, (s, t) => t !== "" && s.textChunk(t)));
      this.#weight += open.raw.length - open.kept;
    }
    this.#op((s) => s.textEnd());
  }
  toolCall(id: string, name: string, argumentsJson: string, cut: boolean): void {
    this.#text(argumentsJson, (s, args) => s.toolCall(id, name, args, cut), true);
  }
  resultStart(callId: string, isError: boolean | null): void {
    this.#op((s) => s.resultStart(callId, isError));
  }
  resultEnd(isError: boolean): void {
    this.#op((s) => s.resultEnd(isError));
  }
  imageStart(mimeType: string): void {
    this.#op((s) => s.imageStart(mimeType));
  }
  imageData(base64: string): void {
    this.#op((s) => s.imageData(base64), base64.length);
  }
  imageEnd(bytes: number): void {
    this.#op((s) => s.imageEnd(bytes));
  }
  reasoning(summary: string, encrypted: boolean): void {
    this.#text(summary, (s, t) => s.reasoning(t, encrypted));
  }
  messageEnd(): void {
    this.#op((s) => s.messageEnd());
  }
  end(): void {
    this.#ended = true;
    this.#op((s) => s.end?.());
  }

  /**
   * Checks what is queued and passes it on, when there is enough of it to
   * be worth a check or the end of what there is to read was reached; a
   * long text being received is checked when a window of it has come.
   */
  async settle(): Promise<void> {
    const open = this.#open;
    const window = open !== null && open.raw.length - open.kept >= this.sizes.window
      ? open.raw
      : null;
    if (!this.#ended && this.#weight < this.sizes.batch && window === null) return;
    this.#ended = false;
    const items = this.#queue;
    this.#queue = [];
    this.#weight = 0;
    const texts: string[] = [];
    for (const item of items) if ("text" in item) texts.push(...item.views);
    if (window !== null) texts.push(window);
    const found = texts.length ? await this.find(texts) : [];
    let k = 0;
    for (const item of items) {
      if ("run" in item) {
        item.run(this.inner);
        continue;
      }
      const r = redactSpans(item.text, item.spans(found.slice(k, k += item.views.length)));
      this.tally.add(r.kinds);
      item.pass(this.inner, r.text);
    }
    if (window !== null) this.#passWindow(open!, window, found[k]);
  }

  /**
   * Passes on a window of the open text but its last OVERLAP characters
   * (and past any secret that began before them), with the secrets that
   * begin there; the rest waits for what follows.
   */
  #passWindow(open: { raw: string; kept: number }, window: string, found: SecretSpan[]): void {
    const kept = open.kept;
    const spans = shifted(found, kept);
    const cut = window.length - kept - this.sizes.overlap;
    const taken = spans.filter((s) => s.start < cut);
    const upTo = Math.max(cut, ...taken.map((s) => s.end));
    const r = redactSpans(window.slice(kept, kept + upTo), taken);
    this.tally.add(r.kinds);
    if (r.text !== "") this.inner.textChunk(r.text);
    // The next window starts CONTEXT characters before what is left; text
    // that came while this one was checked stays after it.
    const from = Math.max(0, kept + upTo - CONTEXT);
    open.kept = kept + upTo - from;
    open.raw = window.slice(from) + open.raw.slice(window.length);
  }
}

/** Spans of a text as spans of what follows its first `left` characters, merged: those wholly before were dealt with. */
function shifted(spans: readonly SecretSpan[], left: number): SecretSpan[] {
  if (left === 0) return mergeSpans(spans);
  return mergeSpans(
    spans.filter((s) => s.end > left)
      .map((s) => ({ start: Math.max(0, s.start - left), end: s.end - left, kind: s.kind })),
  );
}
