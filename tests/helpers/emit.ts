/**
 * In-process helpers for tests of the transcript emitter and of tail's start
 * finders (tests/transcript/emitter_test.ts, tests/commands/tail_test.ts):
 * temporary session files, NDJSON parsing, `emitFile` into a sink, the same
 * with every message line streamed, and zot-shaped session arbitraries.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Line } from "../../lib/format/line_shape.ts";
import { readLines, readRange } from "../../lib/format/lines.ts";
import { readLine } from "../../lib/scan/line_reading.ts";
import { emitFile } from "../../lib/transcript/emit_file.ts";
import { TranscriptEmitter } from "../../lib/transcript/emitter.ts";
import type { BufferedSink } from "../../lib/render/transcript.ts";
import { JsonSink } from "../../lib/render/transcript_json.ts";
import {
  type ZotMessage,
  zotMessage,
  zotMessageLine,
  zotMeta,
  zotMetaLine,
  zotRenameLine,
  zotString,
  zotUsage,
  zotUsageLine,
} from "./zot_reference.ts";

export type Event = Record<string, unknown>;

let fileCounter = 0;
export async function writeSession(dir: string, lines: string[]): Promise<string> {
  const path = join(dir, `s${fileCounter++}.jsonl`);
  await writeFile(path, lines.map((l) => l + "\n").join(""));
  return path;
}

/** NDJSON → events; every line must be valid JSON and end with "\n". */
export function parseNdjson(text: string): Event[] {
  if (text === "") return [];
  assert.ok(text.endsWith("\n"), "NDJSON ends with a newline");
  return text.slice(0, -1).split("\n").map((l) => {
    try {
      return JSON.parse(l) as Event;
    } catch (e) {
      assert.fail(`not valid JSON: ${JSON.stringify(l)} (${e})`);
    }
  });
}

/** Drains a sink after each line, as `show` does. */
export function collector(sink: BufferedSink) {
  let out = "";
  return {
    flush: () => {
      out += sink.take();
      return Promise.resolve();
    },
    text: () => out + sink.take(),
  };
}

export interface EmitJsonOptions {
  withData?: boolean;
  start?: number;
  firstIndex?: number;
  previousUsage?: string | null;
  /** The run's byte counter, passed to the readers. */
  stats?: { bytesRead: number };
}

/** `emitFile` with its default line cap into `sink`: what it wrote. */
export async function emitParsed(path: string, sink: BufferedSink, o: EmitJsonOptions = {}) {
  const emitter = new TranscriptEmitter(sink, o.firstIndex ?? 0);
  if (o.previousUsage) emitter.seedUsage(o.previousUsage);
  const c = collector(sink);
  await emitFile(path, emitter, { start: o.start ?? 0, flush: c.flush, stats: o.stats });
  return c.text();
}

/** `emitFile` with its default line cap into a `JsonSink`: the NDJSON text. */
export function emitJson(path: string, o: EmitJsonOptions = {}): Promise<string> {
  return emitParsed(path, new JsonSink({ withData: o.withData ?? false, terminal: false }), o);
}

/**
 * The same as `emitFile`, but with a line cap so small that every message
 * line is over it and goes through `TranscriptEmitter.streamed` (the
 * BlockWalker). The head window is the cap (the reader caps it), so the cap
 * is 64 bytes: enough for `{"type":"message","message":{"role":"assistant"`,
 * which `streamed` reads the role from, and shorter than any message line.
 * Lines that are not messages are read whole and parsed, as `emitFile` would.
 * Returns what the sink wrote and how many lines were streamed.
 */
export async function emitStreamed(
  path: string,
  sink: BufferedSink,
): Promise<{ text: string; streamed: number }> {
  const emitter = new TranscriptEmitter(sink);
  const c = collector(sink);
  let streamed = 0;
  for await (const line of readLines(path, { maxLineBytes: 64, tailBytes: 4096 })) {
    const reading = readLine(line);
    if (reading.kind === "message") {
      // What emitFile does with a message line over the cap.
      assert.ok(line.truncated, "a message line is over a 64-byte cap");
      await emitter.streamed(path, line);
      streamed++;
    } else {
      // Not a message by its ends (a damaged line may start like one).
      const whole: Line = line.truncated
        ? {
          ...line,
          bytes: await readRange(path, line.offset, line.length),
          tail: undefined,
          truncated: false,
        }
        : line;
      const r = readLine(whole);
      if (r.kind === "damaged") emitter.skipped(line.number, r.reason);
      else if (r.kind === "record") {
        emitter.record(r.record);
      } else assert.notEqual(r.kind, "message");
    }
    await c.flush();
  }
  emitter.end(); // as emitFile does at the end of what it read
  await c.flush();
  return { text: c.text(), streamed };
}

export function emitStreamedJson(path: string, withData = false) {
  return emitStreamed(path, new JsonSink({ withData, terminal: false }));
}

/**
 * Message lines whose `meta` map holds no `{` or `}`. A streamed message's
 * time is read off the line's last bytes (`messageTimeFromEnd`), which
 * expects zot's ending `"time":"…"}}` or `"time":"…","meta":{…}}}` with no
 * brace inside the meta map; a line ending otherwise is not streamed at all
 * (readLine calls it "too long to parse"). zot's own meta maps
 * (`compaction`, `tokens_before`) never hold braces.
 */
export function streamableMessage(): fc.Arbitrary<ZotMessage> {
  const clean = (s: string) => s.replace(/[{}]/g, "(");
  return zotMessage().map((m) => {
    if (m.meta === undefined) return m;
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.meta)) meta[clean(k)] = clean(v);
    return { ...m, meta };
  });
}

/** Lines that are not valid JSON, as a crash or another writer may leave. */
export const damagedLine = fc.constantFrom(
  '{"type":"usage","usage":{"input_tok',
  '{"type":"message","message":{"role":"user","content":[{"text":"cut sh',
  "not json at all",
);

/** Any line of a zot-shaped session after its first meta line. */
export function sessionLine(message = streamableMessage()): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: message.map(zotMessageLine), weight: 6 },
    { arbitrary: fc.tuple(zotUsage, zotUsage).map(([u, c]) => zotUsageLine(u, c)), weight: 2 },
    { arbitrary: zotMeta.map(zotMetaLine), weight: 1 },
    { arbitrary: zotString().map(zotRenameLine), weight: 1 },
    { arbitrary: damagedLine, weight: 1 },
  );
}

/** A session: a meta line, then any lines. */
export const session = fc
  .tuple(zotMeta, fc.array(sessionLine(), { maxLength: 14 }))
  .map(([m, rest]) => [zotMetaLine(m), ...rest]);

export function messageEvents(events: Event[]): Event[] {
  return events.filter((e) => e.type === "message");
}
