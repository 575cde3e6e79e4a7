/**
 * `--redact-paths`: the user's home directory in a transcript's text shown as
 * `~`, so that a page or a Markdown file sent to someone does not carry the
 * account name and layout of the machine it was made on.
 *
 * @module
 */
import type { Usage } from "../base/counters.ts";
import type { MetaRecord } from "../format/records.ts";
import type { MessageHead } from "../transcript/sink.ts";
import type { BufferedSink } from "./transcript.ts";

/** Characters that continue a name: `/home/dev` is not the home in `/home/devon`. */
const NAME_CHAR = /[\p{L}\p{N}_\-.\/]/u;
const NEXT_NAME_CHAR = /[\p{L}\p{N}_\-]/u;

/**
 * Replaces the home directory with `~` in a text that comes in pieces of
 * any size. Only an occurrence that is a whole path prefix counts: not
 * preceded by a name character or `/`, and followed by `/`, the end, or
 * anything but a name character. At most the home's length is held back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PathRedactor } from "./redact.ts";
 * const r = new PathRedactor("/home/dev");
 * assert.equal(r.push("cd /home/d") + r.push("ev/x; ls /home/devon") + r.end(), "cd ~/x; ls /home/devon");
 * ```
 */
export class PathRedactor {
  #held = "";
  /** The last character written, for the check before a match. */
  #last = "";

  /** `home`: an absolute path; "" or "/" redacts nothing. */
  constructor(readonly home: string) {
    this.home = home.replace(/\/+$/, "");
  }

  /** Takes a piece; returns what is decided, with the home replaced. */
  push(text: string): string {
    return this.#run(this.#held + text, false);
  }

  /** The end of the text: returns what was held back. */
  end(): string {
    const out = this.#run(this.#held, true);
    this.#last = "";
    return out;
  }

  #run(buf: string, final: boolean): string {
    const home = this.home;
    if (home === "") return buf;
    // The earliest place an occurrence may start without its end in view.
    let hold = buf.length;
    if (!final) {
      for (let p = Math.max(0, buf.length - home.length); p < buf.length; p++) {
        if (home.startsWith(buf.slice(p))) {
          hold = p;
          break;
        }
      }
    }
    let out = "";
    let from = 0;
    for (let at = buf.indexOf(home); at !== -1 && at < hold; at = buf.indexOf(home, at + 1)) {
      const before = at === 0 ? this.#last : buf[at - 1];
      const after = buf[at + home.length] ?? "";
      if ((before !== "" && NAME_CHAR.test(before)) || NEXT_NAME_CHAR.test(after)) continue;
      out += buf.slice(from, at) + "~";
      from = at + home.length;
    }
    out += buf.slice(from, hold);
    if (hold > 0) this.#last = buf[hold - 1];
    this.#held = buf.slice(hold);
    return out;
  }
}

/**
 * A whole text with the home replaced by `~`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactPaths } from "./redact.ts";
 * assert.equal(redactPaths("/home/dev/web-shop", "/home/dev"), "~/web-shop");
 * ```
 */
export function redactPaths(text: string, home: string): string {
  const r = new PathRedactor(home);
  return r.push(text) + r.end();
}

/**
 * Passes a transcript on with the home replaced by `~` in every text it
 * holds (prompts, replies, tool arguments and output, reasoning, titles,
 * the project); image data passes untouched.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RedactSink } from "./redact.ts";
 * import { JsonSink } from "./transcript_json.ts";
 * const sink = new RedactSink(new JsonSink({ withData: false, terminal: false }), "/home/dev");
 * sink.rename("fix /home/dev/app");
 * assert.equal(sink.take(), '{"type":"rename","title":"fix ~/app"}\n');
 * ```
 */
export class RedactSink implements BufferedSink {
  #text: PathRedactor | null = null;

  constructor(readonly inner: BufferedSink, readonly home: string) {}

  get wantsImageData(): boolean {
    return this.inner.wantsImageData;
  }
  take(): string {
    return this.inner.take();
  }
  settle(): Promise<void> {
    return this.inner.settle?.() ?? Promise.resolve();
  }
  #r(text: string): string {
    return redactPaths(text, this.home);
  }
  meta(m: MetaRecord): void {
    this.inner.meta({ ...m, cwd: this.#r(m.cwd), title: this.#r(m.title) });
  }
  rename(title: string): void {
    this.inner.rename(this.#r(title));
  }
  usage(delta: Usage, cumulative: Usage): void {
    this.inner.usage(delta, cumulative);
  }
  skipped(line: number | null, reason: string, count: number): void {
    this.inner.skipped(line, reason, count);
  }
  messageStart(head: MessageHead): void {
    this.inner.messageStart(head);
  }
  textStart(): void {
    this.#text = new PathRedactor(this.home);
    this.inner.textStart();
  }
  textChunk(text: string): void {
    const out = this.#text ? this.#text.push(text) : this.#r(text);
    if (out !== "") this.inner.textChunk(out);
  }
  textEnd(): void {
    const rest = this.#text?.end() ?? "";
    this.#text = null;
    if (rest !== "") this.inner.textChunk(rest);
    this.inner.textEnd();
  }
  toolCall(id: string, name: string, argumentsJson: string, cut: boolean): void {
    this.inner.toolCall(id, name, this.#r(argumentsJson), cut);
  }
  resultStart(callId: string, isError: boolean | null): void {
    this.inner.resultStart(callId, isError);
  }
  resultEnd(isError: boolean): void {
    this.inner.resultEnd(isError);
  }
  imageStart(mimeType: string): void {
    this.inner.imageStart(mimeType);
  }
  imageData(base64: string): void {
    this.inner.imageData(base64);
  }
  imageEnd(bytes: number): void {
    this.inner.imageEnd(bytes);
  }
  reasoning(summary: string, encrypted: boolean): void {
    this.inner.reasoning(this.#r(summary), encrypted);
  }
  messageEnd(): void {
    this.inner.messageEnd();
  }
  end(): void {
    this.inner.end?.();
  }
}
