/**
 * A session file through the transcript emitter: its lines read forward from
 * an offset (`show`, `tail`, `tail -f`), each parsed or streamed, damaged
 * ones reported, a line still being written left for later.
 *
 * @module
 */
import type { ByteCounter, Line } from "../format/line_shape.ts";
import { readSession } from "../scan/summary.ts";
import type { TranscriptEmitter } from "./emitter.ts";

/** How {@linkcode emitFile} reads. */
export interface EmitOptions {
  /** Byte offset to start at (a line start). Default 0. */
  start?: number;
  /**
   * Leave a last line without its newline unread (zot may be writing it):
   * what `tail -f` needs. The returned offset then points at its start.
   */
  holdUnterminated?: boolean;
  /** Called after each line, to write out what the sink has buffered. */
  flush(): Promise<void>;
  /** The run's byte counter. */
  stats?: ByteCounter;
  /** Told of each line before it is emitted (where a message is in the file). */
  onLine?(line: Line): void;
  /** Stop after the line that ends at or past this offset (read one line: its end). */
  stopAt?: number;
  /** Bytes read at a time (default the line reader's): a line's length + 1 reads only it. */
  chunkSize?: number;
  /**
   * The sink does not read tool calls and results (search without
   * `--tools`): their long strings are left out of a parsed line, not
   * decoded (they come as placeholders; see {@linkcode LEAVE_OUT_BYTES}).
   */
  leaveOutTools?: boolean;
}

/**
 * With {@linkcode EmitOptions.leaveOutTools}: strings longer than this in
 * lines longer than this are not decoded unless they are a message's own
 * text or reasoning. Tool output is most of a transcript's bytes; decoding
 * and parsing it was most of a first search's time.
 */
export const LEAVE_OUT_BYTES = 1024;

/**
 * Emits a session file's lines (from `start`) through `emitter`, streaming
 * lines too long to parse whole. Returns the offset where reading stopped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { emitFile } from "./emit_file.ts";
 * import { TranscriptEmitter } from "./emitter.ts";
 * import type { TranscriptSink } from "./sink.ts";
 *
 * const events: string[] = [];
 * const on = (name: string) => () => void events.push(name);
 * const sink: TranscriptSink = {
 *   wantsImageData: false, meta: on("meta"), rename: on("rename"), usage: on("usage"),
 *   skipped: on("skipped"), messageStart: on("messageStart"), textStart: on("textStart"),
 *   textChunk: on("textChunk"), textEnd: on("textEnd"), toolCall: on("toolCall"),
 *   resultStart: on("resultStart"), resultEnd: on("resultEnd"), imageStart: on("imageStart"),
 *   imageData: on("imageData"), imageEnd: on("imageEnd"), reasoning: on("reasoning"),
 *   messageEnd: on("messageEnd"),
 * };
 * const dir = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const path = join(dir, "s.jsonl");
 * const rename = '{"title":"fix","type":"rename"}\n';
 * // zot is still writing the second line: with holdUnterminated it is left for later.
 * await writeFile(path, rename + '{"title":"fi');
 * const emitter = new TranscriptEmitter(sink);
 * const end = await emitFile(path, emitter, { holdUnterminated: true, flush: async () => {} });
 * assert.equal(end, rename.length);
 * assert.deepEqual(events, ["rename"]);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function emitFile(
  path: string,
  emitter: TranscriptEmitter,
  o: EmitOptions,
): Promise<number> {
  let offset = o.start ?? 0;
  for await (
    const { line, reading } of readSession(path, () => true, {
      start: offset,
      stats: o.stats,
      chunkSize: o.chunkSize,
      ...(o.leaveOutTools ? { skim: true, skimBytes: LEAVE_OUT_BYTES } : {}),
    })
  ) {
    if (!line.terminated && o.holdUnterminated) {
      emitter.end();
      await o.flush();
      return line.offset;
    }
    o.onLine?.(line);
    if (reading.kind === "damaged") {
      // Line numbers count from where reading started: known only from the top.
      const at = (o.start ?? 0) === 0 ? line.number : null;
      emitter.skipped(at, reading.reason, reading.count ?? 1);
    } else if (reading.kind !== "skip") {
      if (reading.kind === "record") emitter.record(reading.record);
      else await emitter.streamed(path, line, o.flush, o.stats);
    }
    // Past the line and its "\n". After a "\r\n" this lands on the "\n":
    // the next read then starts with an empty line, which is skipped.
    offset = line.offset + line.length + (line.terminated ? 1 : 0);
    await o.flush();
    if (o.stopAt !== undefined && offset >= o.stopAt) break;
  }
  emitter.end();
  await o.flush();
  return offset;
}
