/**
 * `pick`'s preview of a session: its header, as `show` prints it, and its
 * last messages, found by reading the file backwards from its end as
 * `tail` does (never the whole file), as plain text (sanitised). Not a
 * verb.
 *
 * @module
 */
import type { SessionSource } from "../sessions/source.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { findTailStart } from "../transcript/tail_start.ts";
import { emitFile } from "../transcript/emit_file.ts";
import { TranscriptEmitter } from "../transcript/emitter.ts";
import { palette } from "../render/color.ts";
import { textHeader } from "../render/session_header.ts";
import { TextSink } from "../render/transcript_text.ts";
import type { ByteCounter } from "../format/line_shape.ts";
import { describeSystemError } from "../base/errors.ts";
import { wrapLines } from "../render/pick_frame.ts";

/** Messages the preview reads back from the end. */
export const PREVIEW_MESSAGES = 6;

/** A session's preview: header lines and the text of its last messages. */
export interface Preview {
  header: string[];
  body: string[];
}

/**
 * The preview of `file`: the header (id, title, project, model, start,
 * file) and the last {@linkcode PREVIEW_MESSAGES} messages as `tail`
 * prints them, without colour. A file that cannot be read gives a preview
 * saying why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { FileSource } from "../sessions/source.ts";
 * import { sessionPreview } from "./pick_preview.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "20260922-120509-0e19291e.jsonl");
 * const message = (text: string) => JSON.stringify({
 *   type: "message", message: { role: "user", time: "2026-09-22T12:05:09Z", content: [{ text }] },
 * }) + "\n";
 * await writeFile(path, ["one", "two", "three"].map(message).join(""));
 * const file = { path, dir: "d", bytes: 0, mtimeMs: 0 };
 * const preview = await sessionPreview(file, new FileSource(), "UTC");
 * assert.equal(preview.header[0], `Session  ${path}`);
 * assert.ok(preview.body.join("\n").includes("three"));
 * await rm(dir, { recursive: true });
 * ```
 */
export async function sessionPreview(
  file: SessionFile,
  source: SessionSource,
  tz: string,
  stats?: ByteCounter,
): Promise<Preview> {
  try {
    const { summary } = await source.scan(file);
    const plain = palette(false);
    const header = textHeader(summary, file.path, plain, false, tz).replace(/\n$/, "").split("\n");
    const start = await findTailStart(file.path, PREVIEW_MESSAGES, stats);
    const sink = new TextSink({
      palette: plain,
      full: false,
      usage: false,
      markdown: false,
      header: true,
      tz,
    });
    // The session's meta line is the header's, not a model switch (as tail).
    if (start.offset > 0 && summary.firstMeta) sink.meta(summary.firstMeta);
    const emitter = new TranscriptEmitter(sink, start.firstIndex);
    let text = "";
    await emitFile(file.path, emitter, {
      start: start.offset,
      flush: () => {
        text += sink.take();
        return Promise.resolve();
      },
      stats,
    });
    text += sink.take();
    return { header, body: text.replace(/^\n+/, "").replace(/\n+$/, "").split("\n") };
  } catch (err) {
    return { header: [`Cannot read "${file.path}": ${describeSystemError(err)}`], body: [] };
  }
}

/**
 * The preview's lines for a pane `height` lines high, once wrapped: the
 * header first (at most half the pane), then the end of the messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { previewLines } from "./pick_preview.ts";
 *
 * const lines = previewLines({ header: ["h1", "h2", "h3"], body: ["a", "b", "c", "d"] }, 5, (t) => [t]);
 * assert.deepEqual(lines, ["h1", "h2", "", "c", "d"]);
 * ```
 */
export function previewLines(
  p: Preview,
  height: number,
  wrap: (text: string) => string[],
): string[] {
  const header = p.header.flatMap(wrap);
  const body = p.body.flatMap(wrap);
  const headerShown = body.length === 0 ? height : Math.min(header.length, Math.floor(height / 2));
  const out = header.slice(0, headerShown);
  const room = height - out.length - 1;
  if (room > 0 && body.length > 0) out.push("", ...body.slice(Math.max(0, body.length - room)));
  return out;
}

/**
 * The preview's lines, wrapped, for the last session, width and height
 * asked: a keystroke that leaves the selection where it was does not wrap
 * them again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PreviewCache } from "./pick_preview.ts";
 *
 * const cache = new PreviewCache();
 * const p = { header: ["h"], body: ["abcdef"] };
 * const lines = cache.lines("/a.jsonl", p, 4, 3);
 * assert.deepEqual(lines, ["h", "", "abc", "def"]);
 * assert.equal(cache.lines("/a.jsonl", p, 4, 3), lines); // the same array, not wrapped again
 * ```
 */
export class PreviewCache {
  #key = "";
  #preview: Preview | null = null;
  #lines: string[] = [];

  /** `p`'s lines for a pane `height` high and `width` wide (`path`: whose preview it is). */
  lines(path: string, p: Preview, height: number, width: number): string[] {
    const key = `${path}\0${height}\0${width}`;
    if (key !== this.#key || p !== this.#preview) {
      this.#key = key;
      this.#preview = p;
      this.#lines = previewLines(p, height, (t) => wrapLines(t, width));
    }
    return this.#lines;
  }
}
