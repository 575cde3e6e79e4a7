/**
 * Tests of `findTailStart` and `findHeadStart` (lib/transcript/tail_start.ts),
 * on zot-shaped session files generated with the arbitraries of
 * `helpers/zot_reference.ts`.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  findHeadStart,
  findTailStart,
  JUNK_BYTES_MAX,
  JUNK_LINES_MAX,
} from "../../lib/transcript/tail_start.ts";
import { emitFile } from "../../lib/transcript/emit_file.ts";
import { TranscriptEmitter } from "../../lib/transcript/emitter.ts";
import { TextSink } from "../../lib/render/transcript_text.ts";
import { palette } from "../../lib/render/color.ts";
import {
  referenceLines,
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
import {
  collector,
  damagedLine,
  emitJson,
  type Event,
  messageEvents,
  parseNdjson,
  writeSession,
} from "../helpers/emit.ts";

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

      const stats = { bytesRead: 0 };
      const start = await findTailStart(path, 2, stats);
      const text = await emitJson(path, {
        start: start.offset,
        firstIndex: start.firstIndex,
        previousUsage: start.previousUsage,
        stats,
      });
      const read = stats.bytesRead;
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
      const stats = { bytesRead: 0 };
      const got = await findTailStart(path, 5, stats);
      const read = stats.bytesRead;
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
