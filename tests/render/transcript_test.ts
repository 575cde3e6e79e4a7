/**
 * Tests of lib/render/transcript.ts: the NDJSON events of `JsonSink` (shapes
 * as README "Events" documents them), the text and Markdown of `TextSink`
 * (what README "show and tail" promises, and that nothing from a transcript
 * reaches the terminal as a control character), and `FilterSink`'s
 * `--role`, `--range` and `--no-tools`.
 *
 * Sinks are fed by a `TranscriptEmitter` from parsed records, as `show` does
 * for lines under the cap; streamed lines are covered in tests/transcript/emitter_test.ts.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeRecord } from "../../lib/format/record_decode.ts";
import { peekLine } from "../../lib/format/record_peek.ts";
import type { SessionRecord } from "../../lib/format/records.ts";
import { emitFile } from "../../lib/transcript/emit_file.ts";
import { TranscriptEmitter } from "../../lib/transcript/emitter.ts";
import { readLines } from "../../lib/format/lines.ts";
import type { BufferedSink } from "../../lib/render/transcript.ts";
import { FilterSink, type TranscriptFilter } from "../../lib/render/transcript_filter.ts";
import { JsonSink } from "../../lib/render/transcript_json.ts";
import { type TextOptions, TextSink } from "../../lib/render/transcript_text.ts";
import { palette } from "../../lib/render/color.ts";
import { messageLine, metaLine, renameLine, usageLine } from "../helpers/fixtures.ts";
import {
  goJson,
  zotMessage,
  zotMessageLine,
  zotMeta,
  zotMetaLine,
  zotRenameLine,
  zotString,
  zotTime,
  zotUsage,
  zotUsageLine,
} from "../helpers/zot_reference.ts";
import type { Usage } from "../../lib/base/counters.ts";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

type Event = Record<string, unknown>;

/** A line that is not valid JSON: emitted as `skipped` with this reason. */
const DAMAGED = "{not json";

/** Emits lines (JSON text) through a fresh emitter; returns what the sink wrote. */
function render(sink: BufferedSink, lines: string[]): string {
  const emitter = new TranscriptEmitter(sink);
  let out = "";
  lines.forEach((line, i) => {
    if (line === DAMAGED) emitter.skipped(i + 1, "not valid JSON");
    else {
      const r = decodeRecord(JSON.parse(line));
      if (r && r.type !== "invalid") emitter.record(r);
    }
    out += sink.take();
  });
  emitter.end(); // as emitFile does at the end of what it read
  return out + sink.take();
}

function parseNdjson(text: string): Event[] {
  if (text === "") return [];
  assert.ok(text.endsWith("\n"));
  return text.slice(0, -1).split("\n").map((l) => JSON.parse(l) as Event);
}

function json(lines: string[], o = { withData: false, terminal: false }): Event[] {
  return parseNdjson(render(new JsonSink(o), lines));
}

function text(lines: string[], o: Partial<TextOptions> = {}): string {
  return render(
    new TextSink({
      palette: palette(false),
      full: false,
      usage: true,
      markdown: false,
      header: true,
      ...o,
    }),
    lines,
  );
}

function usage(u: Partial<Usage>): Usage {
  return {
    inputTokens: u.inputTokens ?? 0,
    outputTokens: u.outputTokens ?? 0,
    cacheReadTokens: u.cacheReadTokens ?? 0,
    cacheWriteTokens: u.cacheWriteTokens ?? 0,
    costUsd: u.costUsd ?? 0,
  };
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** C0 controls, DEL, C1 controls, bidi overrides and isolates. */
function isControl(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069);
}

function controlsIn(s: string): string[] {
  return [...s].filter((ch) => isControl(ch) && ch !== "\n" && ch !== "\t");
}

/** Strings that try to reach the terminal: escape sequences, C1, bidi, DEL. */
const hostileString = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        "\x1b[2J",
        "\x1b]52;c;aGk=\x07",
        "\x1b[31m",
        "\x9b31m",
        "\x85",
        "\x7f",
        "\u202e",
        "\u2066",
        "\r",
        "\x00",
        "\n",
        "\t",
        "`",
        "```",
      ),
      weight: 2,
    },
  ),
  maxLength: 16,
});
const hostileNonEmpty = hostileString.filter((s) => s !== "");

// ---------------------------------------------------------------------------
// Hostile sessions: any string anywhere a transcript holds one
// ---------------------------------------------------------------------------

const hostileArguments = fc.oneof(
  fc.constant(null),
  hostileString,
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  fc.array(hostileString, { maxLength: 3 }),
);

const hostileBlock = fc.oneof(
  hostileString.map((text) => ({ text })),
  fc.record({ mime_type: hostileNonEmpty, data: fc.base64String({ maxLength: 12 }) }),
  fc.record({ id: hostileNonEmpty, name: hostileNonEmpty, arguments: hostileArguments }),
  fc.record({
    call_id: hostileNonEmpty,
    content: fc.array(
      fc.oneof(
        hostileString.map((text) => ({ text })),
        fc.record({ mime_type: hostileNonEmpty, data: fc.base64String({ maxLength: 12 }) }),
      ),
      { maxLength: 3 },
    ),
    is_error: fc.boolean(),
  }),
  fc.record({
    reasoning_id: hostileNonEmpty,
    summary: hostileString,
    encrypted_content: fc.string(),
  }),
);

const hostileLine: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc.record({
      role: fc.oneof(fc.constantFrom("user", "assistant", "tool"), hostileString),
      content: fc.oneof(fc.constant(null), fc.array(hostileBlock, { maxLength: 4 })),
      time: fc.oneof(zotTime, hostileString),
      meta: fc.option(fc.constant({ compaction: "true" }), { nil: undefined }),
    }).map((m) => goJson({ type: "message", message: m })),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      id: hostileString,
      cwd: hostileString,
      model: hostileString,
      provider: hostileString,
      started: hostileString,
      version: hostileString,
      title: hostileString,
    }).map((meta) => goJson({ type: "meta", meta })),
    weight: 2,
  },
  { arbitrary: hostileString.map(renameLine), weight: 1 },
  { arbitrary: fc.tuple(zotUsage, zotUsage).map(([u, c]) => zotUsageLine(u, c)), weight: 2 },
);

// ---------------------------------------------------------------------------
// JsonSink
// ---------------------------------------------------------------------------

const PNG_BYTES = new Uint8Array(1201).map((_, i) => i & 0xff);
const PNG = base64(PNG_BYTES); // 1604 chars, one "=" of padding

/** A session with every kind of line and block. */
const EVERYTHING = [
  metaLine({ id: "s-1", cwd: "/p", title: "first" }),
  messageLine("user", [{ text: "hello <&>" }, { mime_type: "image/png", data: PNG }]),
  usageLine({ input_tokens: 1200, output_tokens: 5, cost_usd: 0.01 }),
  messageLine("assistant", [
    { reasoning_id: "rs_1", summary: "thinking" },
    { encrypted_content: "QUJD" },
    { text: "ok" },
    { id: "toolu_1", name: "bash", arguments: { command: "ls" } },
    { id: "toolu_2", name: "read", arguments: null },
  ]),
  messageLine("tool", [
    { call_id: "toolu_1", content: [{ text: "a\nb" }], is_error: false },
    { call_id: "toolu_2", content: [{ mime_type: "image/jpeg", data: "QUI=" }], is_error: true },
  ]),
  DAMAGED,
  metaLine({ id: "s-1", cwd: "/p", model: "gpt-5", provider: "openai" }),
  renameLine("second"),
  messageLine("user", "summary", "2026-09-23T01:00:00Z", {
    compaction: "true",
    tokens_before: "5",
  }),
  messageLine("assistant", null),
  usageLine({ input_tokens: 1500, output_tokens: 9, cost_usd: 0.03 }),
  messageLine("assistant", []),
];
const T = "2026-09-22T14:05:30.382143679+02:00";
const STARTED = "2026-09-22T12:05:09.776051448Z";

describe("JsonSink", () => {
  it("writes each event in the documented shape", () => {
    const events = json(EVERYTHING);
    const meta = {
      type: "meta",
      id: "s-1",
      cwd: "/p",
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      started: STARTED,
      version: "0.1.58",
      title: "first",
      parent: null,
      forkPoint: null,
    };
    assert.deepEqual(events, [
      meta,
      {
        type: "message",
        index: 0,
        role: "user",
        time: T,
        blocks: [
          { type: "text", text: "hello <&>" },
          { type: "image", mimeType: "image/png", bytes: 1201 },
        ],
      },
      {
        type: "usage",
        delta: usage({ inputTokens: 1200, outputTokens: 5, costUsd: 0.01 }),
        cumulative: usage({ inputTokens: 1200, outputTokens: 5, costUsd: 0.01 }),
      },
      {
        type: "message",
        index: 1,
        role: "assistant",
        time: T,
        blocks: [
          { type: "reasoning", summary: "thinking", encrypted: false },
          { type: "reasoning", summary: "", encrypted: true },
          { type: "text", text: "ok" },
          { type: "tool_call", id: "toolu_1", name: "bash", arguments: { command: "ls" } },
          { type: "tool_call", id: "toolu_2", name: "read", arguments: null },
        ],
      },
      {
        type: "message",
        index: 2,
        role: "tool",
        time: T,
        blocks: [
          {
            type: "tool_result",
            callId: "toolu_1",
            content: [{ type: "text", text: "a\nb" }],
            isError: false,
          },
          {
            type: "tool_result",
            callId: "toolu_2",
            content: [{ type: "image", mimeType: "image/jpeg", bytes: 2 }],
            isError: true,
          },
        ],
      },
      { type: "skipped", line: 6, reason: "not valid JSON", count: 1 },
      { ...meta, model: "gpt-5", provider: "openai", title: null },
      { type: "rename", title: "second" },
      {
        type: "message",
        index: 3,
        role: "user",
        time: "2026-09-23T01:00:00Z",
        compaction: true,
        blocks: [{ type: "text", text: "summary" }],
      },
      { type: "message", index: 4, role: "assistant", time: T, blocks: [] },
      {
        type: "usage",
        delta: usage({ inputTokens: 300, outputTokens: 4, costUsd: 0.02 }),
        cumulative: usage({ inputTokens: 1500, outputTokens: 9, costUsd: 0.03 }),
      },
      { type: "message", index: 5, role: "assistant", time: T, blocks: [] },
    ]);
  });

  it("writes keys in the documented order, one event per line", () => {
    const out = render(new JsonSink({ withData: true, terminal: false }), EVERYTHING);
    const lines = out.split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.length, 12);
    assert.ok(lines[1].startsWith('{"type":"message","index":0,"role":"user","time":'));
    assert.ok(
      lines[1].includes(`{"type":"image","mimeType":"image/png","data":"${PNG}","bytes":1201}`),
    );
    assert.ok(lines[8].includes(',"compaction":true,"blocks":['));
  });

  it("gives a fork's parent and fork point", () => {
    const [m] = json([metaLine({ id: "c", cwd: "", parent: "p-1", fork_point: 4 })]);
    assert.equal(m.parent, "p-1");
    assert.equal(m.forkPoint, 4);
    assert.equal(m.cwd, "");
  });

  it("gives an image's decoded size, and its data only with withData (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, withData) => {
        const data = base64(bytes);
        const lines = [
          messageLine("user", [{ mime_type: "image/png", data }]),
          messageLine("tool", [{
            call_id: "c",
            content: [{ mime_type: "image/gif", data }],
            is_error: false,
          }]),
        ];
        const [user, tool] = json(lines, { withData, terminal: false });
        const image = (user.blocks as Event[])[0];
        const inner = ((tool.blocks as Event[])[0].content as Event[])[0];
        const want = (mimeType: string) =>
          withData
            ? { type: "image", mimeType, data, bytes: bytes.length }
            : { type: "image", mimeType, bytes: bytes.length };
        assert.deepEqual(image, want("image/png"));
        assert.deepEqual(inner, want("image/gif"));
      }),
    );
  });

  it("a usage delta is the increase over the previous row, or the row itself after a restart (property)", () => {
    const counters = fc.record({
      input_tokens: fc.nat(50),
      output_tokens: fc.nat(50),
      cache_read_tokens: fc.nat(50),
      cache_write_tokens: fc.nat(50),
      micros: fc.nat(50),
    });
    fc.assert(
      fc.property(fc.array(counters, { maxLength: 12 }), (rows) => {
        // Mostly growing totals, with a restart now and then.
        const cumulative = rows.map((r) => ({ ...r }));
        for (let i = 1; i < cumulative.length; i++) {
          if (rows[i].micros % 5 !== 0) {
            for (const k of Object.keys(cumulative[i]) as (keyof typeof rows[0])[]) {
              cumulative[i][k] += cumulative[i - 1][k];
            }
          }
        }
        const zot = cumulative.map((c) => ({
          input_tokens: c.input_tokens,
          output_tokens: c.output_tokens,
          cache_read_tokens: c.cache_read_tokens,
          cache_write_tokens: c.cache_write_tokens,
          cost_usd: c.micros / 1e6,
        }));
        const lines = zot.map((c) => zotUsageLine(c, c));
        const events = json(lines);
        assert.equal(events.length, lines.length);
        const zero = {
          input_tokens: 0,
          output_tokens: 0,
          cache_read_tokens: 0,
          cache_write_tokens: 0,
          micros: 0,
        };
        let prev = zero;
        events.forEach((e, i) => {
          const c = cumulative[i];
          const restart = (Object.keys(c) as (keyof typeof c)[]).some((k) => c[k] < prev[k]);
          const base = restart ? zero : prev;
          const d = e.delta as Usage;
          assert.deepEqual(
            e.cumulative,
            usage({
              inputTokens: c.input_tokens,
              outputTokens: c.output_tokens,
              cacheReadTokens: c.cache_read_tokens,
              cacheWriteTokens: c.cache_write_tokens,
              costUsd: c.micros / 1e6,
            }),
          );
          assert.equal(d.inputTokens, c.input_tokens - base.input_tokens);
          assert.equal(d.outputTokens, c.output_tokens - base.output_tokens);
          assert.equal(d.cacheReadTokens, c.cache_read_tokens - base.cache_read_tokens);
          assert.equal(d.cacheWriteTokens, c.cache_write_tokens - base.cache_write_tokens);
          assert.ok(
            Math.abs(d.costUsd - (c.micros - base.micros) / 1e6) < 1e-12,
            `${d.costUsd} vs ${(c.micros - base.micros) / 1e6}`,
          );
          prev = c;
        });
      }),
    );
  });

  it("with terminal: true, escapes C1 and bidi controls and stays the same JSON (property)", () => {
    const session = fc.array(hostileLine, { maxLength: 8 });
    fc.assert(
      fc.property(session, fc.boolean(), (lines, withData) => {
        const plain = render(new JsonSink({ withData, terminal: false }), lines);
        const safe = render(new JsonSink({ withData, terminal: true }), lines);
        assert.deepEqual(parseNdjson(safe), parseNdjson(plain));
        assert.ok(!/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/.test(safe), JSON.stringify(safe));
        // JSON itself escapes C0 controls; a terminal sees none of them.
        assert.deepEqual([...safe.replaceAll("\n", "")].filter((c) => c < " "), []);
      }),
    );
    assert.equal(
      render(new JsonSink({ withData: false, terminal: true }), [renameLine("a\x9bb\u202ec")]),
      '{"type":"rename","title":"a\\u009bb\\u202ec"}\n',
    );
  });
});

// ---------------------------------------------------------------------------
// TextSink
// ---------------------------------------------------------------------------

describe("TextSink", () => {
  it("renders every kind of line and block", () => {
    const out = text(EVERYTHING);
    assert.equal(
      out,
      [
        "",
        // Written at +02:00, shown in the sink's zone (UTC by default).
        "── user · 2026-09-22 12:05:30 ──────────",
        "hello <&>",
        "[image/png, 1.2 kB]",
        "",
        "── assistant · 12:05:30 ────────────────",
        "💭 thinking",
        "💭 [encrypted reasoning]",
        "ok",
        '▸ bash {"command":"ls"}',
        "▸ read null",
        "  $0.01 this turn · 1.20k in · 5 out · $0.01 in all",
        "  ← bash",
        "   │ a",
        "   │ b",
        "  ← read ✗ error",
        "   [image/jpeg, 2 B]",
        "",
        "[line 6 skipped: not valid JSON]",
        "",
        "⇄ model: gpt-5 (openai)",
        "",
        '✎ renamed: "second"',
        "",
        "── user · summary of compacted history · 2026-09-23 01:00:00 ───",
        "summary",
        "",
        "── assistant · 2026-09-22 12:05:30 ─────",
        "",
        "── assistant · 12:05:30 ────────────────",
        "  $0.02 this turn · 300 in · 4 out · $0.03 in all",
        "",
      ].join("\n"),
    );
  });

  it("shows images as type and size, never their data", () => {
    const data = base64(new Uint8Array(3000).fill(7));
    for (const markdown of [false, true]) {
      const out = text([
        messageLine("user", [{ mime_type: "image/webp", data }]),
        messageLine("tool", [{
          call_id: "c",
          content: [{ mime_type: "image/png", data }],
          is_error: false,
        }]),
      ], { markdown, full: true });
      assert.ok(out.includes("[image/webp, 3.0 kB]"), out);
      assert.ok(out.includes("[image/png, 3.0 kB]"), out);
      assert.ok(!out.includes(data.slice(0, 40)));
    }
  });

  it("shows a reasoning summary, or [encrypted reasoning] when it has none", () => {
    const out = text([
      messageLine("assistant", [
        { summary: "only a summary" },
        { reasoning_id: "rs_1", summary: "both", encrypted_content: "QUJD" },
        { reasoning_id: "rs_2", encrypted_content: "QUJD" },
      ]),
    ]);
    assert.ok(out.includes("💭 only a summary\n💭 both\n💭 [encrypted reasoning]\n"), out);
    assert.ok(!out.includes("QUJD"));
  });

  it("cuts a tool result after 20 lines, not with full", () => {
    const result = (n: number) =>
      messageLine("tool", [{
        call_id: "c",
        content: [{ text: Array.from({ length: n }, (_, i) => `r${i}`).join("\n") }],
        is_error: false,
      }]);
    const cut = text([result(25)]);
    assert.ok(cut.includes("   │ r19\n   … 5 more lines\n"), cut);
    assert.ok(!cut.includes("r20"));
    assert.ok(text([result(21)]).includes("   │ r19\n   … 1 more line\n"));
    assert.ok(!text([result(20)]).includes("more line"));
    const full = text([result(25)], { full: true });
    assert.ok(full.includes("   │ r24\n"));
    assert.ok(!full.includes("more line"));
    const md = text([result(25)], { markdown: true });
    assert.ok(md.includes("    r19\n… 5 more lines\n"), md);
  });

  it("counts result lines across text chunks, as a streamed line gives them", () => {
    const sink = new TextSink({
      palette: palette(false),
      full: false,
      usage: true,
      markdown: false,
    });
    sink.messageStart({ index: 0, role: "tool", time: T, compaction: false });
    sink.resultStart("c", null);
    sink.textStart();
    for (const chunk of ["l0\nl", "1\n", "", "l2", "\nl3 ", "end"]) sink.textChunk(chunk);
    sink.textEnd();
    sink.textStart();
    sink.textChunk(Array.from({ length: 20 }, (_, i) => `m${i}`).join("\n"));
    sink.textEnd();
    sink.resultEnd(true);
    sink.messageEnd();
    assert.equal(
      sink.take(),
      "  ← call c\n   │ l0\n   │ l1\n   │ l2\n   │ l3 end\n" +
        Array.from({ length: 16 }, (_, i) => `   │ m${i}\n`).join("") +
        "   … 4 more lines\n   ✗ error\n",
    );
  });

  /** A result's text through a TextSink in the given pieces: what it writes. */
  const resultText = (pieces: string[], o: { full?: boolean; markdown?: boolean } = {}) => {
    const sink = new TextSink({
      palette: palette(false),
      full: o.full ?? false,
      usage: true,
      markdown: o.markdown ?? false,
    });
    sink.messageStart({ index: 0, role: "tool", time: T, compaction: false });
    sink.resultStart("c", false);
    sink.textStart();
    for (const piece of pieces) sink.textChunk(piece);
    sink.textEnd();
    sink.resultEnd(false);
    sink.messageEnd();
    return sink.take();
  };

  it("writes a result the same whatever pieces its text comes in (property)", () => {
    const textArb = fc.array(fc.constantFrom("a", "bc", "\n", "\n\n", "\x1b", "é", ""), {
      maxLength: 80,
    }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(
        textArb,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        fc.boolean(),
        (t, cuts, full, markdown) => {
          const points = cuts.map((c) => c % (t.length + 1)).sort((a, b) => a - b);
          const bounds = [0, ...points, t.length];
          const pieces = bounds.slice(1).map((end, i) => t.slice(bounds[i], end));
          assert.equal(resultText(pieces, { full, markdown }), resultText([t], { full, markdown }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("writes a result's long line whole, piece by piece, never as pseudo-lines", () => {
    const piece = "x".repeat(1 << 16);
    const pieces = ["first\n", ...Array.from({ length: 40 }, () => piece), "\nlast"];
    const out = resultText(pieces);
    assert.equal(out, `  ← call c\n   │ first\n   │ ${piece.repeat(40)}\n   │ last\n`);
    // Past the 20 shown lines a long line is counted, not written.
    const many = Array.from({ length: 20 }, (_, i) => `l${i}\n`).join("");
    const cut = resultText([many, ...Array.from({ length: 40 }, () => piece), "\nend"]);
    assert.ok(cut.endsWith("   │ l19\n   … 2 more lines\n"), cut.slice(-80));
    assert.ok(!cut.includes("xxx"));
  });

  it("marks a run of skipped lines with its count", () => {
    const sink = new TextSink({
      palette: palette(false),
      full: false,
      usage: true,
      markdown: false,
    });
    sink.skipped(7, "not valid JSON", 1);
    sink.skipped(9, "not valid JSON", 1000);
    sink.skipped(null, "not valid JSON", 3);
    sink.skipped(null, "truncated last line", 1);
    assert.equal(
      sink.take(),
      "\n[line 7 skipped: not valid JSON]\n" +
        "\n[1,000 lines skipped from line 9: not valid JSON]\n" +
        "\n[3 lines skipped: not valid JSON]\n" +
        "\n[a line skipped: truncated last line]\n",
    );
    const json = new JsonSink({ withData: false, terminal: false });
    json.skipped(7, "not valid JSON", 1);
    json.skipped(9, "not valid JSON", 1000);
    assert.equal(
      json.take(),
      '{"type":"skipped","line":7,"reason":"not valid JSON","count":1}\n' +
        '{"type":"skipped","line":9,"reason":"not valid JSON","count":1000}\n',
    );
  });

  it("marks an error result once, in text and Markdown", () => {
    const lines = [
      messageLine("assistant", [{ id: "toolu_9", name: "edit", arguments: {} }]),
      messageLine("tool", [{ call_id: "toolu_9", content: [{ text: "no" }], is_error: true }]),
      messageLine("tool", [{ call_id: "other", content: [], is_error: false }]),
    ];
    const plain = text(lines);
    assert.equal(plain.match(/✗ error/g)?.length, 1);
    assert.ok(plain.includes("  ← edit ✗ error\n   │ no\n"), plain);
    assert.ok(plain.includes("  ← call other\n"), plain);
    const md = text(lines, { markdown: true });
    assert.equal(md.match(/✗ error|\(error\)/g)?.length, 1, md);
  });

  it("shows model switches and renames, not the first meta line", () => {
    const out = text([
      metaLine({ id: "a", cwd: "/p", model: "m1", provider: "p1", title: "t0" }),
      renameLine("t1"),
      renameLine(""),
      metaLine({ id: "a", cwd: "/p", model: "m2", provider: "p2" }),
      metaLine({ id: "a", cwd: "/p", model: "m3", provider: "p3" }),
    ]);
    assert.equal(
      out,
      '\n✎ renamed: "t1"\n\n⇄ model: m2 (p2)\n\n⇄ model: m3 (p3)\n',
    );
    const md = text([
      metaLine({ id: "a", cwd: "/p" }),
      metaLine({ id: "a", cwd: "/p", model: "m2" }),
    ], {
      markdown: true,
    });
    assert.equal(md, "\n> model: m2 (anthropic)\n");
  });

  it("prints each assistant turn's cost after it, and only with usage", () => {
    const lines = [
      messageLine("user", "q1"),
      usageLine({ input_tokens: 10, output_tokens: 2, cache_read_tokens: 12_345, cost_usd: 0.25 }),
      messageLine("assistant", [{ text: "a1" }, { id: "t", name: "bash", arguments: {} }]),
      messageLine("tool", [{ call_id: "t", content: [{ text: "out" }], is_error: false }]),
      usageLine({
        input_tokens: 30,
        output_tokens: 2,
        cache_read_tokens: 12_345,
        cost_usd: 0.25002,
      }),
      messageLine("assistant", "a2"),
    ];
    const out = text(lines);
    assert.ok(
      out.includes(
        "a1\n▸ bash {}\n  $0.25 this turn · 10 in · 2 out · 12.3k cache read · $0.25 in all\n",
      ),
      out,
    );
    // Money as every table shows it: under a cent is <$0.01.
    assert.ok(out.includes("a2\n  <$0.01 this turn · 20 in · $0.25 in all\n"), out);
    assert.ok(!text(lines, { usage: false }).includes("this turn"));
    // No cost line under a user message.
    assert.ok(!text([usageLine({ cost_usd: 1 }), messageLine("user", "q")]).includes("this turn"));
  });

  it("fences tool call arguments holding backticks safely in Markdown", () => {
    const args = { code: "```js\nx\n```", more: "````" };
    const md = text([messageLine("assistant", [{ id: "t", name: "write", arguments: args }])], {
      markdown: true,
    });
    const blocks = codeBlocks(md);
    assert.equal(blocks.length, 1, md);
    assert.deepEqual(JSON.parse(blocks[0]), args);
  });

  it("fences any tool call arguments safely in Markdown (property)", () => {
    const ticky = fc.string({
      unit: fc.constantFrom("`", "```", "\n", " ", "a", "~"),
      maxLength: 20,
    });
    const args = fc.oneof(
      ticky,
      fc.dictionary(ticky, ticky, { maxKeys: 3 }),
      fc.array(ticky, { maxLength: 3 }),
    ).map((v) => JSON.parse(JSON.stringify(v)));
    fc.assert(
      fc.property(args, fc.boolean(), (a, full) => {
        const md = text([messageLine("assistant", [{ id: "t", name: "x", arguments: a }])], {
          markdown: true,
          full,
        });
        const blocks = codeBlocks(md);
        assert.equal(blocks.length, 1, md);
        // Short arguments are whole; long ones may be cut (then not JSON).
        if (full || JSON.stringify(a).length <= 300) assert.deepEqual(JSON.parse(blocks[0]), a);
      }),
    );
  });

  it("fences tool results holding backticks safely in Markdown", () => {
    const output = "before\n````\nafter ```\n`````";
    const md = text([
      messageLine("tool", [{ call_id: "t", content: [{ text: output }], is_error: false }]),
    ], { markdown: true });
    // An indented code block: every line of the result is indented by four
    // spaces, so no line of backticks in it can end the block early.
    for (const line of output.split("\n")) assert.ok(md.includes(`\n    ${line}\n`), md);
    assert.ok(!/^`/m.test(md), md);
  });

  it("never writes a control character but \\n and \\t, for any input (property)", () => {
    fc.assert(
      fc.property(
        fc.array(hostileLine, { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        (lines, markdown, full) => {
          const out = text(lines, { markdown, full });
          assert.deepEqual(controlsIn(out), [], JSON.stringify(out));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("shows an image's mime type without its control characters", () => {
    for (const markdown of [false, true]) {
      const out = text([messageLine("user", [{ mime_type: "image/png\x1b[2J", data: "" }])], {
        markdown,
      });
      assert.deepEqual(controlsIn(out), [], JSON.stringify(out));
    }
  });

  it("shows a message time without its control characters in Markdown", () => {
    const out = text([messageLine("user", "hi", "noon\x1b]0;pwned\x07")], { markdown: true });
    assert.deepEqual(controlsIn(out), [], JSON.stringify(out));
  });

  it("shows tool call arguments without C1 or bidi controls in Markdown", () => {
    const out = text([
      messageLine("assistant", [{
        id: "t",
        name: "bash",
        arguments: { c: "\x9b2J\u202eabc\x7f" },
      }]),
    ], { markdown: true });
    assert.deepEqual(controlsIn(out), [], JSON.stringify(out));
  });
});

/**
 * The contents of the fenced code blocks of Markdown text, as CommonMark
 * reads them: an opening fence of 3+ backticks (and an info string without
 * backticks), closed by a line of at least as many backticks and nothing else.
 */
function codeBlocks(md: string): string[] {
  const blocks: string[] = [];
  let open: { ticks: number; lines: string[] } | null = null;
  for (const line of md.split("\n")) {
    if (open === null) {
      const m = /^ {0,3}(`{3,})[^`]*$/.exec(line);
      if (m) open = { ticks: m[1].length, lines: [] };
      continue;
    }
    const close = /^ {0,3}(`{3,})\s*$/.exec(line);
    if (close && close[1].length >= open.ticks) {
      blocks.push(open.lines.join("\n"));
      open = null;
    } else open.lines.push(line);
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// FilterSink
// ---------------------------------------------------------------------------

function filtered(lines: string[], f: TranscriptFilter): Event[] {
  return parseNdjson(
    render(new FilterSink(new JsonSink({ withData: false, terminal: false }), f), lines),
  );
}

const NO_FILTER: TranscriptFilter = { roles: null, from: null, to: null, tools: true };

function shown(e: Event, f: TranscriptFilter): boolean {
  const role = e.role as string;
  const index = e.index as number;
  return (f.roles === null || f.roles.has(role)) && (f.from === null || index >= f.from) &&
    (f.to === null || index <= f.to) && (f.tools || role !== "tool");
}

/**
 * With --range, a rename shows only next to a message of the range: the
 * message right before it or right after it is in the range.
 */
function renameShown(all: Event[], i: number, f: TranscriptFilter): boolean {
  if (f.from === null && f.to === null) return true;
  const inRange = (e: Event | undefined) =>
    e !== undefined && (f.from === null || (e.index as number) >= f.from) &&
    (f.to === null || (e.index as number) <= f.to);
  const before = all.slice(0, i).filter((e) => e.type === "message").at(-1);
  const after = all.slice(i + 1).find((e) => e.type === "message");
  return inRange(before) || inRange(after);
}

/** zot-shaped sessions, with usage rows anywhere (before replies and not). */
const zotSession = fc.tuple(
  zotMeta,
  fc.array(
    fc.oneof(
      { arbitrary: zotMessage().map(zotMessageLine), weight: 6 },
      { arbitrary: fc.tuple(zotUsage, zotUsage).map(([u, c]) => zotUsageLine(u, c)), weight: 3 },
      { arbitrary: zotMeta.map(zotMetaLine), weight: 1 },
      { arbitrary: zotString().map(zotRenameLine), weight: 1 },
      { arbitrary: fc.constant(DAMAGED), weight: 1 },
    ),
    { maxLength: 16 },
  ),
).map(([m, rest]) => [zotMetaLine(m), ...rest]);

const filterArb: fc.Arbitrary<TranscriptFilter> = fc
  .record({
    roles: fc.option(fc.subarray(["user", "assistant", "tool"], { minLength: 1 }), { nil: null }),
    from: fc.option(fc.nat(10), { nil: null }),
    length: fc.option(fc.nat(10), { nil: null }),
    tools: fc.boolean(),
  })
  .map(({ roles, from, length, tools }) => ({
    roles: roles === null ? null : new Set(roles),
    from,
    to: length === null ? null : (from ?? 0) + length,
    tools,
  }));

describe("FilterSink", () => {
  it("shows the selected messages; hides tool calls, results and tool messages with --no-tools (property)", () => {
    fc.assert(
      fc.property(zotSession, filterArb, (lines, f) => {
        const all = json(lines);
        const got = filtered(lines, f).filter((e) => e.type !== "usage");
        const want = all
          .filter((e, i) =>
            e.type !== "usage" && (e.type !== "message" || shown(e, f)) &&
            (e.type !== "rename" || renameShown(all, i, f))
          )
          .map((e) =>
            e.type === "message" && !f.tools
              ? {
                ...e,
                blocks: (e.blocks as Event[]).filter((b) =>
                  b.type !== "tool_call" && b.type !== "tool_result"
                ),
              }
              : e
          );
        assert.deepEqual(got, want);
      }),
      { numRuns: 200 },
    );
  });

  it("--range is inclusive at both ends", () => {
    const lines = Array.from({ length: 6 }, (_, i) => messageLine("user", `m${i}`));
    const idx = (f: Partial<TranscriptFilter>) =>
      filtered(lines, { ...NO_FILTER, ...f }).map((e) => e.index);
    assert.deepEqual(idx({ from: 2, to: 4 }), [2, 3, 4]);
    assert.deepEqual(idx({ from: 3, to: 3 }), [3]);
    assert.deepEqual(idx({ from: 4 }), [4, 5]);
    assert.deepEqual(idx({ to: 1 }), [0, 1]);
  });

  it("keeps a usage row only with the shown message after it (property)", () => {
    fc.assert(
      fc.property(zotSession, filterArb, (lines, f) => {
        const all = json(lines);
        const noFilter = f.roles === null && f.from === null && f.to === null && f.tools;
        // Nothing filtered: everything passes in file order (a test below).
        const want = noFilter ? all : all.filter((e, i) => {
          if (e.type === "rename") return renameShown(all, i, f);
          if (e.type !== "usage") return e.type !== "message" || shown(e, f);
          const next = all.slice(i + 1).find((n) => n.type === "message");
          return next !== undefined && shown(next, f);
        });
        // Compared by event kind and position; blocks are the other test's.
        const kinds = (es: Event[]) => es.map((e) => [e.type, e.index ?? null]);
        assert.deepEqual(kinds(filtered(lines, f)), kinds(want));
      }),
      { numRuns: 200 },
    );
  });

  const HIDDEN_REPLY = [
    messageLine("user", "q1"),
    usageLine({ input_tokens: 10, cost_usd: 0.5 }),
    messageLine("assistant", "a1"),
    messageLine("user", "q2"),
    messageLine("assistant", "a2 (no usage row of its own)"),
  ];

  it("drops a usage row whose message is hidden (--role), not moving it to a later one", () => {
    // --role user: the row paid for a1, which is hidden; q2 did not cost it.
    const users = filtered(HIDDEN_REPLY, { ...NO_FILTER, roles: new Set(["user"]) });
    assert.deepEqual(users.map((e) => e.type), ["message", "message"]);
  });

  it("does not show a hidden turn's cost under a later reply (--range)", () => {
    // --range 3..: a2 has no usage row; a1's must not show as a2's cost.
    const out = render(
      new FilterSink(
        new TextSink({
          palette: palette(false),
          full: false,
          usage: true,
          markdown: false,
          header: true,
        }),
        { ...NO_FILTER, from: 3 },
      ),
      HIDDEN_REPLY,
    );
    assert.ok(!out.includes("this turn"), out);
  });

  it("passes every event through when nothing is filtered", () => {
    const lines = [
      metaLine({ id: "a", cwd: "/p" }),
      messageLine("user", "q"),
      usageLine({ input_tokens: 10, cost_usd: 0.01 }),
      usageLine({ input_tokens: 20, cost_usd: 0.02 }),
      messageLine("assistant", "a"),
      usageLine({ input_tokens: 30, cost_usd: 0.03 }),
    ];
    // README: one event per line, in file order; a consumer summing the
    // deltas of `show --json` must get the session's total.
    assert.deepEqual(filtered(lines, NO_FILTER), json(lines));
  });
});

// ---------------------------------------------------------------------------
// Through a file: the sinks as show drives them
// ---------------------------------------------------------------------------

describe("sinks on a streamed line", () => {
  it("render the same text as from the parsed line, but for where an error is marked", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zot-render-"));
    try {
      const path = join(dir, "s.jsonl");
      const lines = EVERYTHING.filter((l) => l !== DAMAGED);
      await writeFile(path, lines.map((l) => l + "\n").join(""));
      const opts = { palette: palette(false), full: false, usage: true, markdown: false };
      const parsedSink = new TextSink(opts);
      let parsed = "";
      await emitFile(path, new TranscriptEmitter(parsedSink), {
        flush: () => {
          parsed += parsedSink.take();
          return Promise.resolve();
        },
      });
      const streamedSink = new TextSink(opts);
      const emitter = new TranscriptEmitter(streamedSink);
      for await (const line of readLines(path, { maxLineBytes: 64, tailBytes: 4096 })) {
        if (peekLine(line.bytes)?.type === "message") await emitter.streamed(path, line);
        else emitter.record(decodeRecord(JSON.parse(lines[line.number - 1])) as SessionRecord);
      }
      const streamed = streamedSink.take();
      // A streamed result learns is_error at its end: marked after its content.
      assert.equal(
        streamed,
        parsed.replace(
          "  ← read ✗ error\n   [image/jpeg, 2 B]\n",
          "  ← read\n   [image/jpeg, 2 B]\n   ✗ error\n",
        ),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("damaged lines in a row", () => {
  const M = metaLine({ id: "11111111-2222-4333-8444-555555555555", cwd: "/p" });
  const U = messageLine("user", "hi");

  it("one marker with the count for damaged lines in a row, in text and NDJSON", () => {
    const lines = [M, U, DAMAGED, DAMAGED, DAMAGED, U, DAMAGED];
    assert.deepEqual(json(lines).filter((e) => e.type === "skipped"), [
      { type: "skipped", line: 3, reason: "not valid JSON", count: 3 },
      { type: "skipped", line: 7, reason: "not valid JSON", count: 1 },
    ]);
    const out = text(lines);
    assert.match(out, /\n\[3 lines skipped from line 3: not valid JSON\]\n/);
    assert.match(out, /\n\[line 7 skipped: not valid JSON\]\n$/);
    assert.equal(out.match(/skipped/g)?.length, 2);
  });

  it("a different reason starts a new marker", () => {
    const sink = new JsonSink({ withData: false, terminal: false });
    const emitter = new TranscriptEmitter(sink);
    emitter.skipped(2, "not valid JSON");
    emitter.skipped(3, "not valid JSON");
    emitter.skipped(4, "cumulative.cost_usd 1e+300 is out of range");
    emitter.skipped(5, "not valid JSON");
    emitter.end();
    assert.deepEqual(parseNdjson(sink.take()), [
      { type: "skipped", line: 2, reason: "not valid JSON", count: 2 },
      { type: "skipped", line: 4, reason: "cumulative.cost_usd 1e+300 is out of range", count: 1 },
      { type: "skipped", line: 5, reason: "not valid JSON", count: 1 },
    ]);
  });

  it("a million damaged lines read mid-file make one marker without a line number", () => {
    const sink = new TextSink({
      palette: palette(false),
      full: false,
      usage: true,
      markdown: false,
    });
    const emitter = new TranscriptEmitter(sink);
    for (let i = 0; i < 1_234_567; i++) emitter.skipped(null, "not valid JSON");
    emitter.end();
    assert.equal(sink.take(), "\n[1,234,567 lines skipped: not valid JSON]\n");
  });
});

describe("terminal safety of ids and JSON", () => {
  it("--with-data keeps NDJSON valid whatever an image's data holds", () => {
    const sink = new JsonSink({ withData: true, terminal: false });
    sink.messageStart({ index: 0, role: "user", time: "t", compaction: false });
    sink.imageStart("image/png");
    sink.imageData('QUJD"}],"x":"\x1b[31m');
    sink.imageEnd(3);
    sink.messageEnd();
    const event = JSON.parse(sink.take());
    assert.equal(event.blocks[0].data, 'QUJD"}],"x":"\x1b[31m');
  });
});
