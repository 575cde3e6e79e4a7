/**
 * Tests of lib/transcript.ts (the `TranscriptEmitter`, its `BlockWalker` for
 * message lines too long to parse, `emitFile`) and of `findTailStart` in
 * lib/commands/tail.ts, on zot-shaped session files generated with the
 * arbitraries of `helpers/zot_reference.ts`.
 *
 * The key property is differential: a message line emitted from its parsed
 * record and the same line streamed through stream-json's tokenizer give the
 * same NDJSON events.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ioStats, type Line, readLines, readRange } from "../../lib/format/lines.ts";
import { readLine } from "../../lib/scan/summary.ts";
import {
  findHeadStart,
  findTailStart,
  JUNK_BYTES_MAX,
  JUNK_LINES_MAX,
  tailLines,
} from "../../lib/commands/tail.ts";
import { emitFile, TranscriptEmitter } from "../../lib/transcript/emitter.ts";
import { type BufferedSink, JsonSink, TextSink } from "../../lib/render/transcript.ts";
import { palette } from "../../lib/render/color.ts";
import {
  referenceLines,
  type ZotMessage,
  zotMessage,
  zotMessageLine,
  zotMeta,
  zotMetaLine,
  zotRenameLine,
  zotString,
  zotUsage,
  zotUsageLine,
} from "../helpers/zot_reference.ts";
import { messageLine, metaLine, usageLine } from "../helpers/fixtures.ts";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

type Event = Record<string, unknown>;

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "zot-transcript-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let fileCounter = 0;
async function writeSession(dir: string, lines: string[]): Promise<string> {
  const path = join(dir, `s${fileCounter++}.jsonl`);
  await writeFile(path, lines.map((l) => l + "\n").join(""));
  return path;
}

/** NDJSON → events; every line must be valid JSON and end with "\n". */
function parseNdjson(text: string): Event[] {
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
function collector(sink: BufferedSink) {
  let out = "";
  return {
    flush: () => {
      out += sink.take();
      return Promise.resolve();
    },
    text: () => out + sink.take(),
  };
}

interface EmitJsonOptions {
  withData?: boolean;
  start?: number;
  firstIndex?: number;
  previousUsage?: string | null;
}

/** `emitFile` with its default line cap into `sink`: what it wrote. */
async function emitParsed(path: string, sink: BufferedSink, o: EmitJsonOptions = {}) {
  const emitter = new TranscriptEmitter(sink, o.firstIndex ?? 0);
  if (o.previousUsage) emitter.seedUsage(o.previousUsage);
  const c = collector(sink);
  await emitFile(path, emitter, { start: o.start ?? 0, flush: c.flush });
  return c.text();
}

/** `emitFile` with its default line cap into a `JsonSink`: the NDJSON text. */
function emitJson(path: string, o: EmitJsonOptions = {}): Promise<string> {
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
async function emitStreamed(
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

function emitStreamedJson(path: string, withData = false) {
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
function streamableMessage(): fc.Arbitrary<ZotMessage> {
  const clean = (s: string) => s.replace(/[{}]/g, "(");
  return zotMessage().map((m) => {
    if (m.meta === undefined) return m;
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.meta)) meta[clean(k)] = clean(v);
    return { ...m, meta };
  });
}

/** Lines that are not valid JSON, as a crash or another writer may leave. */
const damagedLine = fc.constantFrom(
  '{"type":"usage","usage":{"input_tok',
  '{"type":"message","message":{"role":"user","content":[{"text":"cut sh',
  "not json at all",
);

/** Any line of a zot-shaped session after its first meta line. */
function sessionLine(message = streamableMessage()): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: message.map(zotMessageLine), weight: 6 },
    { arbitrary: fc.tuple(zotUsage, zotUsage).map(([u, c]) => zotUsageLine(u, c)), weight: 2 },
    { arbitrary: zotMeta.map(zotMetaLine), weight: 1 },
    { arbitrary: zotString().map(zotRenameLine), weight: 1 },
    { arbitrary: damagedLine, weight: 1 },
  );
}

/** A session: a meta line, then any lines. */
const session = fc
  .tuple(zotMeta, fc.array(sessionLine(), { maxLength: 14 }))
  .map(([m, rest]) => [zotMetaLine(m), ...rest]);

function messageEvents(events: Event[]): Event[] {
  return events.filter((e) => e.type === "message");
}

// ---------------------------------------------------------------------------
// emitFile and the BlockWalker
// ---------------------------------------------------------------------------

describe("emitFile: parsed and streamed message lines give the same events", () => {
  it("NDJSON is equal for any zot-shaped session, with and without image data (property)", async () => {
    await withDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(session, fc.boolean(), async (lines, withData) => {
          const path = await writeSession(dir, lines);
          const parsedText = await emitJson(path, { withData });
          const streamed = await emitStreamedJson(path, withData);
          const parsed = parseNdjson(parsedText);
          const expectedMessages = referenceLines(lines.join("\n") + "\n")
            .filter((l) => l.kind === "message").length;
          assert.equal(streamed.streamed, expectedMessages, "every message line was streamed");
          // Documented differences do not show up on zot-shaped lines: every
          // block's first key is the one zot writes first for its kind, and
          // no arguments come near 64 KiB.
          assert.deepEqual(parseNdjson(streamed.text), parsed);
          // `index` counts message lines from 0, empty messages included.
          assert.deepEqual(
            messageEvents(parsed).map((e) => e.index),
            Array.from({ length: expectedMessages }, (_, i) => i),
          );
        }),
        { numRuns: 150 },
      );
    });
  });

  it("text and Markdown are equal too, but for where an error result is marked (property)", async () => {
    // A streamed result learns `is_error` only after its content: text marks
    // it on a line after the content instead of on the result's head.
    const unmark = (t: string) =>
      t.replace(/^( {2})?(← .*) ✗ error$/gm, "$1$2").replace(/^( {3}✗ error|\(error\))\n/gm, "");
    await withDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(session, fc.boolean(), fc.boolean(), async (lines, markdown, full) => {
          const path = await writeSession(dir, lines);
          const o = { palette: palette(false), full, usage: true, markdown };
          const parsed = await emitParsed(path, new TextSink(o));
          const streamed = (await emitStreamed(path, new TextSink(o))).text;
          const marks = /✗ error|\(error\)/g;
          assert.equal(streamed.match(marks)?.length, parsed.match(marks)?.length);
          assert.equal(unmark(streamed), unmark(parsed));
        }),
        { numRuns: 100 },
      );
    });
  });

  it("streams long text, image data and Unicode across the 1 MiB read buffer", async () => {
    await withDir(async (dir) => {
      // Multi-byte characters and escapes straddle the reader's 1 MiB chunks
      // and stream-json's string chunks.
      const unit = 'é😀"\\\n<&>\u2028\t\u0001';
      const text = "x".repeat((1 << 20) - 3) + unit.repeat(40_000);
      const bytes = new Uint8Array(700_001).map((_, i) => (i * 31) & 0xff);
      const data = base64(bytes);
      const lines = [
        metaLine({ id: "a", cwd: "/p" }),
        messageLine("user", [{ text }, { mime_type: "image/png", data }, { text: "" }, {}]),
        messageLine("tool", [{
          call_id: "toolu_1",
          content: [{ text: text.slice(5) }, { mime_type: "image/jpeg", data }],
          is_error: true,
        }]),
      ];
      const path = await writeSession(dir, lines);
      for (const withData of [false, true]) {
        const parsed = parseNdjson(await emitJson(path, { withData }));
        const streamed = parseNdjson((await emitStreamedJson(path, withData)).text);
        assert.deepEqual(streamed, parsed);
        const user = messageEvents(parsed)[0].blocks as Event[];
        assert.equal(user[0].text, text);
        assert.equal(user[1].bytes, bytes.length);
        assert.equal(user[1].data, withData ? data : undefined);
        assert.deepEqual(user.slice(2), [{ type: "text", text: "" }, { type: "text", text: "" }]);
      }
    });
  });

  it("streams a line over the default 8 MiB cap through emitFile itself", async () => {
    await withDir(async (dir) => {
      const data = base64(new Uint8Array(7_000_000).map((_, i) => i & 0xff)); // 9.3 MB
      const args = { command: "ls", nested: [1, 2.5, -3e-7, true, null, { k: "v<>&" }] };
      const big = messageLine(
        "assistant",
        [
          { text: "look" },
          { reasoning_id: "rs_1", encrypted_content: "QUJD" },
          { id: "toolu_1", name: "bash", arguments: args },
          { mime_type: "image/png", data },
        ],
        "2026-09-22T14:05:30+02:00",
        { compaction: "true", tokens_before: "9" },
      );
      const path = await writeSession(dir, [metaLine({ id: "a", cwd: "/p" }), big]);
      const events = parseNdjson(await emitJson(path));
      assert.deepEqual(events[1], {
        type: "message",
        index: 0,
        role: "assistant",
        time: "2026-09-22T14:05:30+02:00",
        compaction: true,
        blocks: [
          { type: "text", text: "look" },
          { type: "reasoning", summary: "", encrypted: true },
          { type: "tool_call", id: "toolu_1", name: "bash", arguments: args },
          { type: "image", mimeType: "image/png", bytes: 7_000_000 },
        ],
      });
    });
  });

  it("cuts a streamed tool call's arguments over 64 KiB (documented: argumentsCut)", async () => {
    await withDir(async (dir) => {
      const args = { patch: "line <of> & text\n".repeat(10_000) }; // ~170 KB
      const path = await writeSession(dir, [
        messageLine("assistant", [{ id: "toolu_1", name: "edit", arguments: args }]),
      ]);
      const parsed = messageEvents(parseNdjson(await emitJson(path)));
      assert.deepEqual((parsed[0].blocks as Event[])[0].arguments, args);
      const streamed = messageEvents(parseNdjson((await emitStreamedJson(path)).text));
      const call = (streamed[0].blocks as Event[])[0];
      assert.equal(call.argumentsCut, true);
      assert.equal(typeof call.arguments, "string");
      const cut = call.arguments as string;
      assert.ok(cut.length >= 64 << 10, `cut at ${cut.length}, not before 64 KiB`);
      assert.ok(JSON.stringify(args).startsWith(cut), "the cut text is a prefix of the JSON");
    });
  });

  it("classifies a streamed block by its first key (documented difference)", async () => {
    await withDir(async (dir) => {
      // Not zot-shaped: a text key written before a mime type. A parse goes by
      // FORMAT.md's rules (mime_type non-empty → image); streaming by the
      // first key (text). zot always writes mime_type first for an image.
      const path = await writeSession(dir, [
        messageLine("user", [{ text: "t", mime_type: "image/png", data: "QUJD" }]),
      ]);
      const parsed = messageEvents(parseNdjson(await emitJson(path)))[0].blocks;
      const streamed = messageEvents(parseNdjson((await emitStreamedJson(path)).text))[0].blocks;
      assert.deepEqual(parsed, [{ type: "image", mimeType: "image/png", bytes: 3 }]);
      assert.deepEqual(streamed, [{ type: "text", text: "t" }]);
    });
  });

  it("a streamed tool result's error is known only at its end (text marks it after)", async () => {
    await withDir(async (dir) => {
      const path = await writeSession(dir, [
        messageLine("assistant", [{ id: "toolu_1", name: "bash", arguments: { c: 1 } }]),
        messageLine("tool", [{ call_id: "toolu_1", content: [{ text: "boom" }], is_error: true }]),
      ]);
      const sink = new TextSink({
        palette: palette(false),
        full: false,
        usage: true,
        markdown: false,
      });
      const emitter = new TranscriptEmitter(sink);
      for await (const line of readLines(path, { maxLineBytes: 64 })) {
        await emitter.streamed(path, line);
      }
      const text = sink.take();
      assert.match(text, /← bash\n {3}│ boom\n {3}✗ error\n/);
    });
  });
});

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

// ---------------------------------------------------------------------------
// findTailStart
// ---------------------------------------------------------------------------

/** What findTailStart should find, from the lines as written (FORMAT.md + tail's doc). */
function expectedTailStart(lines: string[], n: number) {
  const kinds = referenceLines(lines.join("\n") + "\n");
  const messages = kinds.flatMap((l, i) => (l.kind === "message" ? [i] : []));
  const nonTool = messages.filter((i) => {
    const l = kinds[i];
    return l.kind === "message" && l.message.role !== "tool";
  });
  if (nonTool.length < n) {
    // All of them, still counted back from the end.
    return { startLine: 0, offset: 0, firstIndex: -messages.length || 0, previousUsage: null };
  }
  const first = nonTool[nonTool.length - n];
  // A usage row right before the first message is its turn's cost: included.
  const startLine = first > 0 && kinds[first - 1].kind === "usage" ? first - 1 : first;
  let previous: number | null = null;
  for (let i = startLine - 1; i >= 0; i--) {
    if (kinds[i].kind === "usage") {
      previous = i;
      break;
    }
  }
  const offsetOf = (i: number) =>
    new TextEncoder().encode(lines.slice(0, i).map((l) => l + "\n").join("")).length;
  return {
    startLine,
    offset: offsetOf(startLine),
    firstIndex: -messages.filter((i) => i >= first).length,
    previousUsage: previous === null ? null : lines[previous],
  };
}

/** Sessions for tail: messages of every role, usage rows before replies. */
const tailSession = fc
  .tuple(
    zotMeta,
    fc.array(
      fc.oneof(
        { arbitrary: zotMessage().map(zotMessageLine), weight: 6 },
        {
          arbitrary: fc.tuple(zotUsage, zotUsage).map(([u, c]) => zotUsageLine(u, c)),
          weight: 3,
        },
        { arbitrary: zotMeta.map(zotMetaLine), weight: 1 },
        { arbitrary: zotString().map(zotRenameLine), weight: 1 },
        { arbitrary: damagedLine, weight: 1 },
      ),
      { maxLength: 20 },
    ),
  )
  .map(([m, rest]) => [zotMetaLine(m), ...rest]);

describe("emitFile: damaged lines in a row", () => {
  const META = metaLine({ id: "x", cwd: "/p" });
  const skippedEvents = async (lines: string[], start = 0) =>
    await withDir(async (dir) => {
      const path = await writeSession(dir, lines);
      const offset = start === 0 ? 0 : lines.slice(0, start).join("\n").length + 1;
      return parseNdjson(await emitJson(path, { start: offset })).filter((e) =>
        e.type === "skipped"
      );
    });

  it("make one marker with their count; blank and unknown lines between do not break it", async () => {
    const junk = ["Zm9v", "{cut", "", '{"type":"other"}', '{"type":"usage","usage":{"in', "x"];
    assert.deepEqual(await skippedEvents([META, ...junk, messageLine("user", "hi"), "y"]), [
      { type: "skipped", line: 2, reason: "not valid JSON", count: 4 },
      { type: "skipped", line: 9, reason: "not valid JSON", count: 1 },
    ]);
  });

  it("a message, or another reason, starts a new marker", async () => {
    assert.deepEqual(
      await skippedEvents([META, "a", "b", messageLine("user", "hi"), "c", "d", "e"]),
      [
        { type: "skipped", line: 2, reason: "not valid JSON", count: 2 },
        { type: "skipped", line: 5, reason: "not valid JSON", count: 3 },
      ],
    );
  });

  it("from mid-file the marker has no line number, and still its count", async () => {
    assert.deepEqual(await skippedEvents([META, messageLine("user", "hi"), "a", "b", "c"], 1), [
      { type: "skipped", line: null, reason: "not valid JSON", count: 3 },
    ]);
  });

  it("a million junk lines are one marker", async () => {
    const junk = Array.from({ length: 1_000_000 }, (_, i) => `j${i}`);
    assert.deepEqual(await skippedEvents([META, ...junk]), [
      { type: "skipped", line: 2, reason: "not valid JSON", count: 1_000_000 },
    ]);
  });
});

describe("emitFile: tool-call arguments nested too deep", () => {
  it("are cut at 512 levels, parsed or streamed, and the next message follows", async () => {
    await withDir(async (dir) => {
      for (const [open, close] of [["[", "]"], ['{"a":', "}"]]) {
        const args = open.repeat(20_000) + "1".slice(open === "[" ? 1 : 0) + close.repeat(20_000);
        const deep = '{"type":"message","message":{"role":"assistant","content":[' +
          `{"id":"c1","name":"bash","arguments":${args}}],"time":"2026-09-22T12:00:00Z"}}`;
        const path = await writeSession(dir, [
          metaLine({ id: "x", cwd: "/p" }),
          deep,
          messageLine("assistant", "after"),
        ]);
        const want = {
          type: "tool_call",
          id: "c1",
          name: "bash",
          arguments: open.repeat(512),
          argumentsCut: true,
        };
        for (const text of [await emitJson(path), (await emitStreamedJson(path)).text]) {
          const messages = parseNdjson(text).filter((e) => e.type === "message");
          assert.deepEqual((messages[0].blocks as Event[])[0], want);
          assert.deepEqual(messages[1].blocks, [{ type: "text", text: "after" }]);
        }
      }
    });
  });
});

describe("findTailStart", () => {
  it("starts at the last n non-tool messages, with their usage row and the one before (property)", async () => {
    await withDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(tailSession, fc.integer({ min: 1, max: 12 }), async (lines, n) => {
          const path = await writeSession(dir, lines);
          const got = await findTailStart(path, n);
          const want = expectedTailStart(lines, n);
          assert.equal(got.offset, want.offset, "offset");
          assert.equal(got.firstIndex, want.firstIndex, "firstIndex");
          assert.equal(got.previousUsage, want.previousUsage, "previousUsage");

          // What tail prints from there is the full read's suffix: the same
          // events (the first usage delta included), indices counted back.
          const full = parseNdjson(await emitJson(path));
          const tail = parseNdjson(
            await emitJson(path, {
              start: got.offset,
              firstIndex: got.firstIndex,
              previousUsage: got.previousUsage,
            }),
          );
          const total = messageEvents(full).length;
          const shift = -total;
          // (A skipped line's number is compared apart: see the test below.)
          const suffix = full.slice(full.length - tail.length).map((e) =>
            e.type === "message" ? { ...e, index: (e.index as number) + shift } : e
          );
          const noLine = (e: Event) => (e.type === "skipped" ? { ...e, line: 0 } : e);
          assert.deepEqual(tail.map(noLine), suffix.map(noLine));
          // Exactly the last n non-tool messages and the tool messages after them.
          const printed = messageEvents(tail);
          const nonTool = printed.filter((e) => e.role !== "tool");
          assert.equal(
            nonTool.length,
            Math.min(n, messageEvents(full).filter((e) => e.role !== "tool").length),
          );
          if (got.offset === 0) assert.equal(printed.length, total);
          else assert.notEqual(printed[0]?.role, "tool");
          // Indices count back from the end, whether or not all were read.
          assert.deepEqual(
            printed.map((e) => e.index),
            Array.from({ length: printed.length }, (_, i) => i - printed.length),
          );
        }),
        { numRuns: 150 },
      );
    });
  });

  it("reads only the end of a big file", async () => {
    await withDir(async (dir) => {
      // ~24 MB of earlier turns, then a few small ones.
      const filler = "output line\n".repeat(2_000); // 24 KB per result
      const lines = [metaLine({ id: "a", cwd: "/p" })];
      let cost = 0;
      for (let i = 0; i < 1000; i++) {
        lines.push(messageLine("user", `prompt ${i}`));
        lines.push(usageLine({ input_tokens: i + 1, cost_usd: cost += 0.01 }));
        lines.push(messageLine("assistant", [{ id: `toolu_${i}`, name: "bash", arguments: {} }]));
        lines.push(messageLine("tool", [{ call_id: `toolu_${i}`, content: [{ text: filler }] }]));
      }
      lines.push(messageLine("user", "last prompt"));
      lines.push(usageLine({ input_tokens: 5000, cost_usd: cost += 0.5 }));
      lines.push(messageLine("assistant", "last reply"));
      const path = await writeSession(dir, lines);
      const size = lines.reduce((n, l) => n + new TextEncoder().encode(l).length + 1, 0);
      assert.ok(size > 20e6);

      const before = ioStats.bytesRead;
      const start = await findTailStart(path, 2);
      const text = await emitJson(path, {
        start: start.offset,
        firstIndex: start.firstIndex,
        previousUsage: start.previousUsage,
      });
      const read = ioStats.bytesRead - before;
      assert.ok(read <= 2.5 * (1 << 20), `read ${read} bytes of ${size}`);
      const events = parseNdjson(text);
      assert.deepEqual(events.map((e) => e.type), ["message", "usage", "message"]);
      assert.deepEqual(messageEvents(events).map((e) => e.index), [-2, -1]);
      const usage = events[1] as { delta: { costUsd: number; inputTokens: number } };
      assert.equal(usage.delta.inputTokens, 5000 - 1000);
      assert.ok(Math.abs(usage.delta.costUsd - 0.5) < 1e-9);
    });
  });

  it("a model switch inside the tailed range still shows in text", async () => {
    await withDir(async (dir) => {
      const path = await writeSession(dir, [
        metaLine({ id: "a", cwd: "/p", model: "claude-sonnet-4-5" }),
        messageLine("user", "one"),
        messageLine("assistant", "two"),
        metaLine({ id: "a", cwd: "/p", model: "gpt-5", provider: "openai" }),
        messageLine("user", "three"),
        messageLine("assistant", "four"),
      ]);
      // tail -n 3 starts at "two", before the switch to gpt-5.
      const start = await findTailStart(path, 3);
      assert.equal(start.firstIndex, -3);
      // As tail makes it: the session's first meta line given first (it is
      // the `==> id · cwd <==` header's), then the lines from the start.
      const sink = new TextSink({
        palette: palette(false),
        full: false,
        usage: true,
        markdown: false,
        header: true,
      });
      const c = collector(sink);
      sink.meta({
        type: "meta",
        id: "a",
        cwd: "/p",
        model: "claude-sonnet-4-5",
        provider: "anthropic",
        started: "",
        version: "",
        title: "",
        parent: "",
        forkPoint: 0,
      } as never);
      const emitter = new TranscriptEmitter(sink, start.firstIndex);
      await emitFile(path, emitter, { start: start.offset, flush: c.flush });
      // The switch is the only place a tail reader learns of gpt-5.
      assert.match(c.text(), /⇄ model: gpt-5 \(openai\)/);
      assert.doesNotMatch(c.text(), /claude-sonnet/);
    });
  });

  it("does not number a skipped line when starting mid-file (its number is unknown)", async () => {
    await withDir(async (dir) => {
      const path = await writeSession(dir, [
        metaLine({ id: "a", cwd: "/p" }),
        messageLine("user", "one"),
        messageLine("assistant", "two"),
        messageLine("user", "three"),
        "not json",
        messageLine("assistant", "four"),
      ]);
      const start = await findTailStart(path, 2);
      assert.equal(start.offset > 0, true);
      const events = parseNdjson(
        await emitJson(path, { start: start.offset, firstIndex: start.firstIndex }),
      );
      // show numbers this line 5; tail read it without counting the lines
      // before its start (that would mean reading the whole file), so it
      // says null rather than a wrong number.
      assert.deepEqual(events.find((e) => e.type === "skipped"), {
        type: "skipped",
        line: null,
        reason: "not valid JSON",
        count: 1,
      });
    });
  });
});

describe("findTailStart at a file ending in junk", () => {
  const head = [
    metaLine({ id: "a", cwd: "/p" }),
    messageLine("user", "one"),
    messageLine("assistant", "two"),
  ];
  /** Base64-looking garbage, as a file overwritten with binary data gives. */
  const junk = (i: number, length = 51) =>
    `QmFzZTY0${String(i).padStart(8, "0")}`.padEnd(length, "x");

  it(`stops after ${JUNK_LINES_MAX} junk lines in a row, reading a bounded part of the file, and says so`, async () => {
    await withDir(async (dir) => {
      const extra = 100_000; // 5 MB: several of the reader's 1 MiB chunks
      const lines = [...head, ...Array.from({ length: JUNK_LINES_MAX + extra }, (_, i) => junk(i))];
      const path = await writeSession(dir, lines);
      const before = ioStats.bytesRead;
      const got = await findTailStart(path, 5);
      const read = ioStats.bytesRead - before;
      // The start is the earliest junk line read: JUNK_LINES_MAX from the end.
      assert.equal(got.offset, byteLength(lines.slice(0, lines.length - JUNK_LINES_MAX)));
      assert.equal(got.firstIndex, 0); // no message found
      assert.equal(got.baselineKnown, false);
      assert.deepEqual(got.stoppedAtJunk, { lines: JUNK_LINES_MAX, bytes: JUNK_LINES_MAX * 52 });
      assert.ok(read <= 2 << 20, `read ${read} bytes of ${byteLength(lines)}`);

      // What tail prints from there: one marker for all of it.
      const events = parseNdjson(await emitJson(path, { start: got.offset, firstIndex: 0 }));
      assert.deepEqual(events, [
        { type: "skipped", line: null, reason: "not valid JSON", count: JUNK_LINES_MAX },
      ]);
    });
  });

  it("keeps the messages found before it stopped, and shows them after the marker", async () => {
    await withDir(async (dir) => {
      const lines = [
        ...head,
        ...Array.from({ length: JUNK_LINES_MAX + 10 }, (_, i) => junk(i)),
        messageLine("user", "three"),
        messageLine("assistant", "four"),
      ];
      const path = await writeSession(dir, lines);
      const got = await findTailStart(path, 5);
      assert.equal(got.firstIndex, -2);
      assert.equal(got.stoppedAtJunk?.lines, JUNK_LINES_MAX);
      const events = parseNdjson(
        await emitJson(path, { start: got.offset, firstIndex: got.firstIndex }),
      );
      assert.deepEqual(events.map((e) => e.type), ["skipped", "message", "message"]);
      assert.equal(events[0].count, JUNK_LINES_MAX);
    });
  });

  it(`stops after ${JUNK_BYTES_MAX} bytes of long junk lines, but reads past fewer junk lines`, async () => {
    await withDir(async (dir) => {
      const long = Array.from({ length: 20 }, (_, i) => junk(i, 1 << 20));
      const path = await writeSession(dir, [...head, ...long]);
      const got = await findTailStart(path, 5);
      assert.equal(got.stoppedAtJunk?.lines, Math.ceil(JUNK_BYTES_MAX / ((1 << 20) + 1)));

      const few = [...head, ...Array.from({ length: 100 }, (_, i) => junk(i))];
      const whole = await findTailStart(await writeSession(dir, few), 5);
      assert.equal(whole.stoppedAtJunk, undefined);
      assert.equal(whole.firstIndex, -2);
      assert.equal(whole.offset, 0);
    });
  });
});

// ---------------------------------------------------------------------------
// tail -n 0 and -n +N
// ---------------------------------------------------------------------------

const byteLength = (lines: string[]) =>
  new TextEncoder().encode(lines.map((l) => l + "\n").join("")).length;

/** The last usage row among `lines` before line `end` (exclusive), as written. */
function lastUsageBefore(lines: string[], end: number): string | null {
  const kinds = referenceLines(lines.join("\n") + "\n");
  for (let i = end - 1; i >= 0; i--) if (kinds[i].kind === "usage") return lines[i];
  return null;
}

describe("findTailStart(path, 0)", () => {
  it("starts after the last line, with the last usage row as the baseline (property)", async () => {
    await withDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(tailSession, async (lines) => {
          const path = await writeSession(dir, lines);
          const got = await findTailStart(path, 0);
          assert.equal(got.offset, byteLength(lines), "offset");
          assert.equal(got.firstIndex, 0, "firstIndex");
          assert.equal(got.previousUsage, lastUsageBefore(lines, lines.length), "previousUsage");
          assert.equal(await emitJson(path, { start: got.offset }), "", "nothing to print");
        }),
        { numRuns: 100 },
      );
    });
  });

  it("starts at a last line still being written: it is what comes next", async () => {
    await withDir(async (dir) => {
      const done = [metaLine({ id: "a", cwd: "/p" }), messageLine("user", "one")];
      const path = join(dir, "partial.jsonl");
      const partial = messageLine("assistant", "two").slice(0, 25);
      await writeFile(path, done.map((l) => l + "\n").join("") + partial);
      const got = await findTailStart(path, 0);
      assert.equal(got.offset, byteLength(done));
    });
  });
});

/** What findHeadStart should find for message `index`, from the lines as written. */
function expectedHeadStart(lines: string[], index: number) {
  const kinds = referenceLines(lines.join("\n") + "\n");
  const messages = kinds.flatMap((l, i) => (l.kind === "message" ? [i] : []));
  if (index >= messages.length) {
    return {
      offset: byteLength(lines),
      firstIndex: messages.length,
      previousUsage: lastUsageBefore(lines, lines.length),
    };
  }
  const first = messages[index];
  const startLine = first > 0 && kinds[first - 1].kind === "usage" ? first - 1 : first;
  return {
    offset: byteLength(lines.slice(0, startLine)),
    firstIndex: index,
    previousUsage: lastUsageBefore(lines, startLine),
  };
}

describe("findHeadStart", () => {
  it("starts at message index N with its usage row, indices as show numbers them (property)", async () => {
    await withDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(tailSession, fc.integer({ min: 0, max: 22 }), async (lines, index) => {
          const path = await writeSession(dir, lines);
          const got = await findHeadStart(path, index);
          const want = expectedHeadStart(lines, index);
          assert.equal(got.offset, want.offset, "offset");
          assert.equal(got.firstIndex, want.firstIndex, "firstIndex");
          assert.equal(got.previousUsage, want.previousUsage, "previousUsage");
          // What tail prints from there is show's output from that message
          // on, the same indices and the first turn's cost included.
          const full = parseNdjson(await emitJson(path));
          const tail = parseNdjson(
            await emitJson(path, {
              start: got.offset,
              firstIndex: got.firstIndex,
              previousUsage: got.previousUsage,
            }),
          );
          const noLine = (e: Event) => (e.type === "skipped" ? { ...e, line: 0 } : e);
          assert.deepEqual(
            tail.map(noLine),
            full.slice(full.length - tail.length).map(noLine),
          );
          const printed = messageEvents(tail).map((e) => e.index);
          const all = messageEvents(full).map((e) => e.index);
          assert.deepEqual(printed, all.filter((i) => (i as number) >= index));
        }),
        { numRuns: 150 },
      );
    });
  });
});

describe("tailLines", () => {
  const cases: [string | undefined, number | null, unknown][] = [
    [undefined, null, { last: 10 }],
    [undefined, -3, { last: 10 }],
    [undefined, -25, { last: 25 }],
    [undefined, 4, { last: 10 }],
    ["0", null, { last: 0 }],
    ["7", null, { last: 7 }],
    ["+1", null, { from: 0 }],
    ["+0", null, { from: 0 }],
    ["+12", null, { from: 11 }],
  ];
  for (const [text, rangeFrom, want] of cases) {
    it(`-n ${text ?? "(none)"} with --range from ${rangeFrom} → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(tailLines(text, rangeFrom), want);
    });
  }
  for (const bad of ["-1", "x", "1.5", "+", "+-2", ""]) {
    it(`-n "${bad}" is a usage error saying what is expected`, () => {
      assert.throws(
        () => tailLines(bad, null),
        (e: unknown) =>
          e instanceof Error && e.name === "UsageError" &&
          e.message.startsWith(`Cannot parse -n "${bad}": expected a whole number ≥ 0`),
      );
    });
  }
});
