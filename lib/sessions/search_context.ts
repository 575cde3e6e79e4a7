/**
 * The messages around a search hit (`search -C N`): the start of each
 * message's text in a session file, on one line, numbered as hits and
 * `show --json` number them. The text is the message's body, or its tools'
 * text when it has no body (a tool call, a tool result); a line too long to
 * parse is read only as far as its start.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import type { MessageHeading } from "../transcript/message_text_sink.ts";
import { readMessageStream } from "../transcript/message_text.ts";
import { snippet } from "./search_match.ts";

/** One message's start, as shown around a hit. */
export interface MessagePreview {
  index: number;
  role: string;
  /** RFC 3339 as written ("" if none). */
  time: string;
  /** At most {@linkcode PREVIEW_UNITS} of its text, white space as one space, "…" when cut. */
  text: string;
}

/** How much of a message's text a preview keeps (UTF-16 units). */
export const PREVIEW_UNITS = 160;

/** `text` and as much of `piece` as makes it one unit longer than a preview (a surrogate pair kept whole). */
function upTo(text: string, piece: string): string {
  if (text.length > PREVIEW_UNITS) return text;
  let more = piece.slice(0, PREVIEW_UNITS + 1 - text.length);
  const last = more.charCodeAt(more.length - 1);
  if (last >= 0xd800 && last <= 0xdbff && more.length < piece.length) more += piece[more.length];
  return text + more;
}

/**
 * Every message's preview in the file, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { messagePreviews } from "./search_context.ts";
 *
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * const message = (role: string, text: string) =>
 *   JSON.stringify({ type: "message", message: { role, content: [{ text }], time: "2026-11-01T09:00:00Z" } });
 * await writeFile(path, [message("user", "fix\n\nthe  cart"), message("assistant", "x".repeat(200))].join("\n") + "\n");
 * const [a, b] = await messagePreviews(path, { bytesRead: 0 });
 * assert.deepEqual([a.index, a.role, a.text], [0, "user", "fix the cart"]);
 * assert.equal(b.text, "x".repeat(160) + "…");
 * await rm(dir, { recursive: true });
 * ```
 */
export async function messagePreviews(
  path: string,
  stats: ByteCounter,
): Promise<MessagePreview[]> {
  const out: MessagePreview[] = [];
  let heading: MessageHeading | null = null;
  let body = "";
  let tools = "";
  await readMessageStream(path, {
    wantsTools: true,
    start(m) {
      heading = m;
      body = tools = "";
    },
    body(piece) {
      body = upTo(body, piece);
    },
    tools(piece) {
      tools = upTo(tools, piece);
    },
    end() {
      const m = heading!;
      const text = body || tools;
      out.push({
        index: m.index,
        role: m.role,
        time: m.time,
        text: snippet(text, [], PREVIEW_UNITS).text,
      });
    },
    // The body is enough once it is long, or when the tools' text has begun.
    enough: () =>
      body.length > PREVIEW_UNITS || tools.length > PREVIEW_UNITS || (body !== "" && tools !== ""),
  }, { stats });
  return out;
}
