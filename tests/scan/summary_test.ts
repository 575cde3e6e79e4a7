/**
 * Tests of lib/scan.ts: `summarizeSession` must report what zot's `/sessions`
 * picker reports (FORMAT.md "What zot's session picker shows", with our title
 * rule), as computed by the naive reference reader in
 * `helpers/zot_reference.ts`, on zot's own sample files and on generated
 * sessions with damage, at several chunk sizes and with a small line cap; and
 * `readLine` must take the fast path only where it is safe.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Line, LineReaderOptions } from "../../lib/format/line_shape.ts";
import { readLines } from "../../lib/format/lines.ts";
import { decodeRecord, firstText } from "../../lib/format/record_decode.ts";
import type { SessionRecord } from "../../lib/format/records.ts";
import type { SessionSummary } from "../../lib/scan/summary.ts";
import { type LineReading, readLine, SKIM_BYTES } from "../../lib/scan/line_reading.ts";
import { scanFile } from "../../lib/scan/session_scan.ts";
import {
  goJson,
  type ReferenceLine,
  referenceLines,
  type ReferenceSummary,
  referenceSummaryOfBytes,
  reverseKeys,
  zotMessage,
  zotMessageLine,
  type ZotMeta,
  zotMeta,
  zotMetaLine,
  zotRenameLine,
  zotString,
  zotUsage,
  zotUsageLine,
} from "../helpers/zot_reference.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";

/** A session file's summary alone (one scanFile). */
async function summarizeSession(
  path: string,
  reader: LineReaderOptions = {},
): Promise<SessionSummary> {
  return (await scanFile(path, { reader })).summary;
}

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s);

/** Chunk sizes every comparison runs at: lines straddle chunks, or not. */
const CHUNK_SIZES = [7, 64, 4096];

/** Bun's default per-test timeout is 5 s; file-writing properties may need more. */
const SLOW = { timeout: 60_000 };

// ---------------------------------------------------------------------------
// Comparing a scan with the reference
// ---------------------------------------------------------------------------

/** The fields of a summary that the reference also computes, in its shape. */
function comparable(s: SessionSummary): ReferenceSummary {
  return {
    messages: s.messages,
    firstPrompt: s.firstPrompt,
    firstMessageTime: s.firstMessageTime,
    lastMessageTime: s.lastMessageTime,
    usage: { ...s.usage },
    model: s.meta?.model ?? null,
    provider: s.meta?.provider ?? null,
    started: s.meta?.started ?? null,
    cwd: s.meta?.cwd ?? null,
    id: s.firstMeta?.id ?? null,
    parent: s.firstMeta?.parent ?? null,
    forkPoint: s.firstMeta?.forkPoint ?? null,
    title: s.title,
    damaged: s.damagedCount,
    damagedLines: s.damaged.map((d) => d.line),
  };
}

/**
 * Asserts a scan equals the reference field by field (the failure names the
 * field). `damaged` keeps the first five damaged lines, so only those line
 * numbers are compared.
 */
function assertSameAsReference(s: SessionSummary, ref: ReferenceSummary, label: string): void {
  const got = comparable(s);
  const want: ReferenceSummary = { ...ref, damagedLines: ref.damagedLines.slice(0, 5) };
  for (const key of Object.keys(want) as (keyof ReferenceSummary)[]) {
    assert.deepEqual(got[key], want[key], `${label}: ${key}`);
  }
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "zot-scan-test-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `data` to a session file in a temporary directory and runs `fn` on it. */
function withSessionFile<T>(data: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const path = join(dir, "20260922-120509-0e19291e.jsonl");
    await writeFile(path, data);
    return await fn(path);
  });
}

/** The numbers of the lines `readLines` hands over truncated (over the cap). */
/** The lines over the cap, each with whether it has its newline. */
async function truncatedLines(
  path: string,
  options: LineReaderOptions,
): Promise<Map<number, boolean>> {
  const out = new Map<number, boolean>();
  for await (const line of readLines(path, options)) {
    if (line.truncated) out.set(line.number, line.terminated);
  }
  return out;
}

/** A file's lines as bytes: split on `\n`, one trailing `\r` trimmed. */
function splitBytes(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i === data.length || data[i] === 0x0a) {
      if (i === data.length && from === i) break;
      let line = data.subarray(from, i);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, -1);
      out.push(line);
      from = i + 1;
    }
  }
  return out;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * What a scan with a line cap can still get right, and so what is compared:
 *
 * - `messages`: every message line, except lines `readLines` truncated that
 *   are not zot-shaped message lines (only zot's key order lets a message be
 *   known from its head and tail; anything else over the cap is damage — so
 *   is a zot message whose `meta` map holds a brace, whose end
 *   `messageTimeFromEnd` declines to read).
 * - `firstPrompt`: compared only when it is knowable: the user message it
 *   comes from is whole, or is a truncated zot-shaped line whose first
 *   non-empty `"text":"…"` closes inside the head window (`headBytes`, which
 *   the reader clamps to `maxLineBytes`), and no earlier user message with a
 *   text was lost to the cap.
 */
function cappedExpectation(
  data: Uint8Array,
  refLines: ReferenceLine[],
  truncated: Map<number, boolean>,
  zotShaped: (lineNumber: number) => boolean,
  headBytes: number,
): { messages: number; firstPrompt: { known: boolean; value: string | null } } {
  const raw = splitBytes(data);
  let messages = 0;
  let firstPrompt: { known: boolean; value: string | null } | null = null;
  for (const l of refLines) {
    if (l.kind !== "message") continue;
    const over = truncated.has(l.number);
    // Over the cap, only a zot-shaped line with its newline can be known from
    // its ends: without the newline it may be cut (or still being written).
    const knowable = zotShaped(l.number) && truncated.get(l.number) === true;
    if (!over || knowable) messages++;
    if (firstPrompt !== null || l.message.role !== "user") continue;
    const content = Array.isArray(l.message.content) ? l.message.content : [];
    const text = content
      .map((
        b: unknown,
      ) => (typeof b === "object" && b !== null ? (b as { text?: unknown }).text : undefined))
      .find((t): t is string => typeof t === "string" && t !== "");
    if (text === undefined) continue; // no prompt here, on either side
    if (!over) {
      firstPrompt = { known: true, value: text };
    } else if (knowable) {
      const encoded = bytes(goJson({ text }).slice(1, -1)); // "text":"…"
      const at = indexOfBytes(raw[l.number - 1], encoded);
      const inHead = at !== -1 && at + encoded.length <= headBytes;
      firstPrompt = inHead ? { known: true, value: text } : { known: false, value: null };
    } else {
      firstPrompt = { known: false, value: null };
    }
  }
  return { messages, firstPrompt: firstPrompt ?? { known: true, value: null } };
}

// ---------------------------------------------------------------------------
// zot's own sample files
// ---------------------------------------------------------------------------

/** A file of zot's samples (the test fails under CI when they are missing). */
const samplePath = (file: string) => join(samplesHome(), "sessions", "98bce8e9987b1030", file);

/** What shared/samples/README.md says each file shows, as values. */
const sampleFacts: Array<{ file: string; shows: string; facts: Partial<ReferenceSummary> }> = [
  {
    file: "20260922-120509-0e19291e.jsonl",
    shows: "tool use, renamed twice (Go-escaped title)",
    facts: {
      messages: 20,
      title: "ledger: banker's rounding <bug #42> & tests",
      parent: "",
      forkPoint: null,
      firstPrompt: "go test ./... is failing in ledger/ after the rounding change. Can you fix it?",
    },
  },
  {
    file: "20260923-073002-8740d21c.jsonl",
    shows: "a fork at fork_point 11 (no renames copied)",
    facts: {
      parent: "0e19291e-c841-4742-bbcc-90199e65f26e",
      forkPoint: 11,
      id: "8740d21c-bfb0-42e8-8470-1fd336b42d82",
      title: null,
    },
  },
  {
    file: "20260930-235310-81271fae.jsonl",
    shows: "model switches: the latest meta wins",
    facts: { model: "claude-opus-4-1", provider: "anthropic", messages: 18 },
  },
  {
    file: "20261008-092040-1b1adf59.jsonl",
    shows: "images: the prompt is the text next to the PNG",
    facts: {
      messages: 8,
      firstPrompt: "The invoice table overflows on mobile — see screenshot. What CSS would fix it?",
    },
  },
  {
    file: "20261025-013007-7c871929.jsonl",
    shows: "an empty session",
    facts: {
      messages: 0,
      firstPrompt: null,
      firstMessageTime: null,
      lastMessageTime: null,
      usage: {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
      },
    },
  },
];

describe("summarizeSession on zot's sample files", () => {
  for (const { file, shows, facts } of sampleFacts) {
    it(
      `the reference reads ${file} (${shows}) as the samples README says`,
      { skip: samplesSkip },
      async () => {
        const path = samplePath(file);
        const ref = referenceSummaryOfBytes(await readFile(path));
        for (const [key, value] of Object.entries(facts)) {
          assert.deepEqual(ref[key as keyof ReferenceSummary], value, key);
        }
      },
    );

    it(
      `summarizeSession() equals the reference on ${file}, field by field, at chunk sizes ${CHUNK_SIZES} and the default`,
      { skip: samplesSkip },
      async () => {
        const path = samplePath(file);
        const ref = referenceSummaryOfBytes(await readFile(path));
        for (const chunkSize of [...CHUNK_SIZES, undefined]) {
          const s = await summarizeSession(path, chunkSize ? { chunkSize } : {});
          assertSameAsReference(s, ref, `chunkSize ${chunkSize ?? "default"}`);
        }
      },
    );

    it(
      `summarizeSession() with a 256-byte line cap on ${file} still counts every message and finds the prompt when it sits in the head window`,
      { skip: samplesSkip },
      async () => {
        const path = samplePath(file);
        const data = await readFile(path);
        const refLines = referenceLines(new TextDecoder().decode(data));
        for (const chunkSize of [7, 64]) {
          const options = { chunkSize, maxLineBytes: 256 };
          const truncated = await truncatedLines(path, options);
          if (chunkSize === 7 && splitBytes(data).some((l) => l.length > 256)) {
            assert.ok(
              truncated.size > 0,
              "the cap truncates the long lines: the test means something",
            );
          }
          const expected = cappedExpectation(
            data,
            refLines,
            truncated,
            () => true, // every line of the samples was written by zot
            256,
          );
          const s = await summarizeSession(path, options);
          assert.equal(s.messages, expected.messages, `chunkSize ${chunkSize}: messages`);
          if (expected.firstPrompt.known) {
            assert.equal(
              s.firstPrompt,
              expected.firstPrompt.value,
              `chunkSize ${chunkSize}: prompt`,
            );
          }
        }
      },
    );
  }
});

// ---------------------------------------------------------------------------
// readLine
// ---------------------------------------------------------------------------

/** A whole line as the line reader hands it over. */
function lineOf(text: string, terminated = true): Line {
  const b = bytes(text);
  return { number: 1, offset: 0, length: b.length, bytes: b, truncated: false, terminated };
}

/** A line over the cap: its first `head` bytes and last `tail` bytes. */
function cappedLineOf(text: string, head: number, tail: number, terminated = true): Line {
  const b = bytes(text);
  return {
    number: 1,
    offset: 0,
    length: b.length,
    bytes: b.slice(0, head),
    tail: b.slice(Math.max(0, b.length - tail)),
    truncated: true,
    terminated,
  };
}

const T1 = "2026-09-22T14:05:30.382143679+02:00";
const USER = zotMessageLine({ role: "user", content: [{ text: "fix it" }], time: T1 });
const ASSISTANT = zotMessageLine({
  role: "assistant",
  content: [
    { reasoning_id: "rs_1", summary: "**Plan**", encrypted_content: "gAAA" },
    { text: "Running tests." },
    { id: "toolu_1", name: "bash", arguments: { command: "go test ./..." } },
  ],
  time: "2026-10-01T01:53:17Z",
});
const TOOL = zotMessageLine({
  role: "tool",
  content: [{ call_id: "toolu_1", content: [{ text: "ok" }], is_error: false }],
  time: "2026-10-01T01:53:18.5-05:30",
});
const COMPACTION = zotMessageLine({
  role: "user",
  content: [{ text: "Summary of earlier turns" }],
  time: "2026-10-01T02:00:00.1Z",
  meta: { compaction: "true", tokens_before: "48213" },
});
const EMPTY_CONTENT = zotMessageLine({
  role: "assistant",
  content: null,
  time: "2026-10-01T02:00:01Z",
});

const fastCases: Array<{ name: string; line: string; role: string; time: string }> = [
  { name: "a user prompt", line: USER, role: "user", time: T1 },
  {
    name: "an assistant reply with reasoning and a tool call",
    line: ASSISTANT,
    role: "assistant",
    time: "2026-10-01T01:53:17Z",
  },
  { name: "a tool result", line: TOOL, role: "tool", time: "2026-10-01T01:53:18.5-05:30" },
  {
    name: "a compaction summary (meta map at the end)",
    line: COMPACTION,
    role: "user",
    time: "2026-10-01T02:00:00.1Z",
  },
  { name: '"content":null', line: EMPTY_CONTENT, role: "assistant", time: "2026-10-01T02:00:01Z" },
];

describe("readLine", () => {
  for (const { name, line, role, time } of fastCases) {
    it(`readLine() with needFull false reads ${name} as a message with its role and time, unparsed`, () => {
      const asked: string[] = [];
      const r = readLine(lineOf(line), (role) => (asked.push(role), false));
      assert.deepEqual(r, { kind: "message", role, time });
      assert.deepEqual(asked, [role], "needFull is asked with the peeked role");
    });

    it(`readLine() with needFull true parses ${name} into its record`, () => {
      const r = readLine(lineOf(line), () => true);
      assert.deepEqual(r, { kind: "record", record: decodeRecord(JSON.parse(line)) });
    });
  }

  it("readLine() without needFull parses every message", () => {
    assert.deepEqual(readLine(lineOf(USER)), {
      kind: "record",
      record: decodeRecord(JSON.parse(USER)),
    });
  });

  const other = goJson(reverseKeys(JSON.parse(USER)));
  const braceMeta = zotMessageLine({
    role: "user",
    content: [{ text: "x" }],
    time: T1,
    meta: { note: "{curly}" },
  });
  const cases: Array<
    { name: string; line: Line; needFull?: boolean; expected: LineReading | RegExp }
  > = [
    {
      name: "a message in another key order is parsed even with needFull false",
      line: lineOf(other),
      needFull: false,
      expected: { kind: "record", record: decodeRecord(JSON.parse(other)) as SessionRecord },
    },
    {
      name: "a message whose end is not zot's shape is parsed even with needFull false",
      line: lineOf(braceMeta),
      needFull: false,
      expected: { kind: "record", record: decodeRecord(JSON.parse(braceMeta)) as SessionRecord },
    },
    {
      // Its ends cannot be trusted (a crash may have cut it after a tool
      // call's time argument): a full parse decides, and it is whole.
      name: "a whole zot message without its final newline is parsed, and is a message",
      line: lineOf(USER, false),
      needFull: false,
      expected: { kind: "record", record: decodeRecord(JSON.parse(USER)) as SessionRecord },
    },
    {
      name: "a meta line is parsed",
      line: lineOf(
        '{"type":"meta","meta":{"id":"x","cwd":"/p","model":"m","provider":"p","started":"s","version":"v"}}',
      ),
      needFull: false,
      expected: {
        kind: "record",
        record: {
          type: "meta",
          id: "x",
          cwd: "/p",
          model: "m",
          provider: "p",
          started: "s",
          version: "v",
          title: "",
          parent: "",
          forkPoint: null,
        },
      },
    },
    {
      name: "a rename line is parsed",
      line: lineOf(zotRenameLine("t")),
      needFull: false,
      expected: { kind: "record", record: { type: "rename", title: "t" } },
    },
    { name: "an empty line is skipped", line: lineOf(""), expected: { kind: "skip" } },
    {
      name: "an unknown type is skipped",
      line: lineOf('{"type":"checkpoint"}'),
      expected: { kind: "skip" },
    },
    { name: "a JSON number is skipped", line: lineOf("42"), expected: { kind: "skip" } },
    {
      name: "a garbage line is damaged: not valid JSON",
      line: lineOf("{oops"),
      expected: { kind: "damaged", reason: "not valid JSON" },
    },
    {
      name: "an unterminated garbage line is damaged: truncated last line",
      line: lineOf("{oops", false),
      expected: { kind: "damaged", reason: "truncated last line" },
    },
    {
      name: "a zot message cut short at the end of the file is damaged (needFull false)",
      line: lineOf(USER.slice(0, -5), false),
      needFull: false,
      expected: { kind: "damaged", reason: "truncated last line" },
    },
    {
      name: "a zot message cut short at the end of the file is damaged (needFull true)",
      line: lineOf(USER.slice(0, -5), false),
      needFull: true,
      expected: { kind: "damaged", reason: "truncated last line" },
    },
    {
      name: "a zot message over the cap is a message from head and tail, even with needFull true",
      line: cappedLineOf(ASSISTANT, 64, 4096),
      needFull: true,
      expected: { kind: "message", role: "assistant", time: "2026-10-01T01:53:17Z" },
    },
    {
      name: "a zot message over the cap whose tail holds the time key is a message",
      line: cappedLineOf(TOOL, 64, 44),
      needFull: false,
      expected: { kind: "message", role: "tool", time: "2026-10-01T01:53:18.5-05:30" },
    },
    {
      name: "a zot message over the cap whose tail misses the time key is too long to parse",
      line: cappedLineOf(TOOL, 64, 20),
      needFull: false,
      expected: /too long to parse/,
    },
    {
      name: "a meta line over the cap is too long to parse",
      line: cappedLineOf(
        zotMetaLine({
          id: "x",
          cwd: "/p",
          model: "m",
          provider: "p",
          started: "s",
          version: "v",
        }),
        16,
        16,
      ),
      expected: /too long to parse/,
    },
    {
      name: "a message in another key order over the cap is too long to parse",
      line: cappedLineOf(other, 64, 4096),
      needFull: false,
      expected: /too long to parse/,
    },
    {
      name:
        "a zot message over the cap, cut short at the end of the file, is a truncated last line",
      line: cappedLineOf(ASSISTANT.slice(0, -3), 64, 4096, false),
      needFull: false,
      expected: { kind: "damaged", reason: "truncated last line" },
    },
  ];
  for (const { name, line, needFull, expected } of cases) {
    it(`readLine(): ${name}`, () => {
      const r = needFull === undefined ? readLine(line) : readLine(line, () => needFull);
      if (expected instanceof RegExp) {
        assert.equal(r.kind, "damaged");
        assert.match((r as { reason: string }).reason, expected);
      } else {
        assert.deepEqual(r, expected);
      }
    });
  }

  // FORMAT.md "Lines": a crash can leave the last line truncated; zot's JSON
  // parse fails on it, so it is not a message. Cut right after tool arguments
  // that end in a time, the line's last bytes look like a whole message's.
  it("readLine(): a message line cut short right after tool arguments holding a time is damaged, not a message", () => {
    const full = zotMessageLine({
      role: "assistant",
      content: [{ id: "toolu_1", name: "remind", arguments: { time: "2026-01-01T09:00:00Z" } }, {
        text: "done",
      }],
      time: T1,
    });
    const cut = full.slice(0, full.indexOf(',{"text"'));
    const r = readLine(lineOf(cut, false), () => false);
    assert.deepEqual(r, { kind: "damaged", reason: "truncated last line" }, cut);
  });
});

// ---------------------------------------------------------------------------
// damagedCount and other examples
// ---------------------------------------------------------------------------

const META = zotMetaLine({
  id: "0e19291e-c841-4742-bbcc-90199e65f26e",
  cwd: "/home/dev/project-a",
  model: "claude-sonnet-4-5",
  provider: "anthropic",
  started: "2026-09-22T12:05:09.776051448Z",
  version: "0.1.58",
});
const USAGE = zotUsageLine(
  {
    input_tokens: 4,
    output_tokens: 33,
    cache_read_tokens: 0,
    cache_write_tokens: 5976,
    cost_usd: 0.022917,
  },
  {
    input_tokens: 4,
    output_tokens: 33,
    cache_read_tokens: 0,
    cache_write_tokens: 5976,
    cost_usd: 0.022917,
  },
);

const exampleFiles: Array<{ name: string; text: string; damaged: number; messages: number }> = [
  {
    name: "a clean session",
    text: [META, USER, USAGE, ASSISTANT, TOOL, ""].join("\n"),
    damaged: 0,
    messages: 3,
  },
  {
    name: "empty lines and lone \\r lines",
    text: [META, "", USER, "\r", "", USAGE, ""].join("\n"),
    damaged: 0,
    messages: 1,
  },
  {
    name: "unknown types and non-object JSON lines",
    text: [META, '{"type":"checkpoint","n":1}', "42", "[]", "null", '"x"', USER, ""].join("\n"),
    damaged: 0,
    messages: 1,
  },
  {
    name: "a garbage line in the middle",
    text: [META, USER, "{not json", ASSISTANT, ""].join("\n"),
    damaged: 1,
    messages: 2,
  },
  {
    name: "a whitespace-only line (not empty after trimming \\r)",
    text: [META, "   ", USER, ""].join("\n"),
    damaged: 1,
    messages: 1,
  },
  {
    name: "a truncated last line",
    text: [META, USER, ASSISTANT.slice(0, 90)].join("\n"),
    damaged: 1,
    messages: 1,
  },
  {
    name: "a whole last line without a final newline",
    text: [META, USER, ASSISTANT].join("\n"),
    damaged: 0,
    messages: 2,
  },
  {
    name: "CRLF endings",
    text: [META, USER, USAGE, ASSISTANT, ""].join("\r\n"),
    damaged: 0,
    messages: 2,
  },
  {
    name: "seven garbage lines (only five kept with reasons)",
    text: [META, ...Array.from({ length: 7 }, (_, i) => `garbage ${i}`), USER, ""].join("\n"),
    damaged: 7,
    messages: 1,
  },
];

describe("summarizeSession examples", () => {
  for (const { name, text, damaged, messages } of exampleFiles) {
    it(`summarizeSession() on ${name}: damagedCount ${damaged}, ${messages} messages, as the reference`, async () => {
      const data = bytes(text);
      const ref = referenceSummaryOfBytes(data);
      assert.equal(ref.damaged, damaged, "reference damaged");
      assert.equal(ref.messages, messages, "reference messages");
      await withSessionFile(data, async (path) => {
        for (const chunkSize of CHUNK_SIZES) {
          assertSameAsReference(
            await summarizeSession(path, { chunkSize }),
            ref,
            `chunkSize ${chunkSize}`,
          );
        }
      });
    });
  }

  it("summarizeSession() keeps the first five damaged lines with their reasons", async () => {
    const text = [META, "x1", "", "x2", "x3", "x4", "x5", "x6", USER.slice(0, 40)].join("\n");
    await withSessionFile(bytes(text), async (path) => {
      const s = await summarizeSession(path);
      assert.equal(s.damagedCount, 7);
      assert.deepEqual(s.damaged, [
        { line: 2, reason: "not valid JSON" },
        { line: 4, reason: "not valid JSON" },
        { line: 5, reason: "not valid JSON" },
        { line: 6, reason: "not valid JSON" },
        { line: 7, reason: "not valid JSON" },
      ]);
    });
  });

  it("summarizeSession() reports a truncated last line as such", async () => {
    await withSessionFile(bytes([META, USER.slice(0, 40)].join("\n")), async (path) => {
      const s = await summarizeSession(path);
      assert.deepEqual(s.damaged, [{ line: 2, reason: "truncated last line" }]);
    });
  });

  it('summarizeSession() keeps the title across a rename to "" and a later meta line without title', async () => {
    const text = [
      META,
      zotRenameLine("first"),
      zotRenameLine("a <b> & c"),
      zotRenameLine(""),
      META,
      "",
    ]
      .join("\n");
    await withSessionFile(bytes(text), async (path) => {
      assert.equal((await summarizeSession(path)).title, "a <b> & c");
    });
  });

  it("summarizeSession() takes the prompt from the first user message that has a text, not from tool results", async () => {
    const text = [
      META,
      zotMessageLine({
        role: "tool",
        content: [{ call_id: "c", content: [{ text: "tool out" }], is_error: false }],
        time: T1,
      }),
      zotMessageLine({
        role: "user",
        content: [{ mime_type: "image/jpeg", data: "/9j/" }, {}],
        time: T1,
      }),
      zotMessageLine({ role: "user", content: null, time: T1 }),
      zotMessageLine({ role: "user", content: [{ text: "" }, { text: "the prompt" }], time: T1 }),
      zotMessageLine({ role: "user", content: [{ text: "later" }], time: T1 }),
      "",
    ].join("\n");
    await withSessionFile(bytes(text), async (path) => {
      const s = await summarizeSession(path, { chunkSize: 7 });
      assert.equal(s.firstPrompt, "the prompt");
      assert.equal(s.messages, 5);
    });
  });

  // FORMAT.md "Lines": a crash can leave the last line truncated, and zot's
  // reader skips it (invalid JSON). zot-sessions must count the same messages.
  it("summarizeSession() does not count a last line cut right after tool arguments holding a time", async () => {
    const full = zotMessageLine({
      role: "assistant",
      content: [{
        id: "toolu_1",
        name: "remind",
        arguments: { at: { time: "2026-01-01T09:00:00Z" } },
      }],
      time: "2026-09-22T14:06:00Z",
    });
    const cut = full.slice(0, full.indexOf('"}}') + 3);
    const data = bytes([META, USER, cut].join("\n"));
    const ref = referenceSummaryOfBytes(data);
    assert.deepEqual([ref.messages, ref.damaged, ref.lastMessageTime], [1, 1, T1]);
    await withSessionFile(data, async (path) => {
      assertSameAsReference(await summarizeSession(path), ref, cut);
    });
  });

  // The same crash, then zot resumed and appended its next line right after
  // the partial one: one physical line that is not JSON, which zot skips.
  it("summarizeSession() does not count a partial message line glued to the next message line", async () => {
    const next = zotMessageLine({
      role: "assistant",
      content: [{ text: "again" }],
      time: "2026-09-22T15:00:00Z",
    });
    const glued = ASSISTANT.slice(0, 100) + next;
    const data = bytes([META, USER, glued, ""].join("\n"));
    const ref = referenceSummaryOfBytes(data);
    assert.deepEqual([ref.messages, ref.damaged], [1, 1]);
    await withSessionFile(data, async (path) => {
      assertSameAsReference(await summarizeSession(path), ref, glued);
    });
  });
});

// ---------------------------------------------------------------------------
// Generated sessions: zot's shape plus damage, against the reference
// ---------------------------------------------------------------------------

/**
 * One generated line: its bytes (no line ending) and whether it is a whole
 * zot message line that a reader can know from its head and tail alone.
 */
interface GenLine {
  bytes: Uint8Array;
  zotMessage: boolean;
}

/**
 * Cuts a line at `at` bytes (1 ≤ at < length), the way a crash does. A cut
 * that ends in `}}` is moved one byte earlier until it does not: a cut line
 * that is followed by a newline and ends exactly like a message (after a tool
 * call's time argument) is the one case readLine() cannot tell from its ends;
 * it is a documented limit, and cut last lines are covered by tests/format/records_test.ts.
 */
function cut(line: Uint8Array, at: number): Uint8Array {
  let k = Math.max(1, Math.min(at, line.length - 1));
  while (k > 1 && line[k - 1] === 0x7d && line[k - 2] === 0x7d) k--;
  return line.slice(0, k);
}

const zotLineOf = (text: string, knownFromEnds = false): GenLine => ({
  bytes: bytes(text),
  zotMessage: knownFromEnds,
});

/** A line of a session after its first meta line, zot-shaped or damage. */
function sessionEvent(first: ZotMeta): fc.Arbitrary<GenLine> {
  const zot = fc.oneof(
    {
      // Known from head and tail alone unless its meta map holds a brace,
      // which makes messageTimeFromEnd fall back to a parse (none over the cap).
      arbitrary: zotMessage().map((m) =>
        zotLineOf(
          zotMessageLine(m),
          !Object.entries(m.meta ?? {}).some(([k, v]) => /[{}]/.test(k + v)),
        )
      ),
      weight: 8,
    },
    {
      arbitrary: fc.tuple(zotUsage, zotUsage).map(([u, c]) => zotLineOf(zotUsageLine(u, c))),
      weight: 4,
    },
    {
      arbitrary: fc.oneof(zotString(), fc.constant("")).map((t) => zotLineOf(zotRenameLine(t))),
      weight: 2,
    },
    {
      // A model switch: the same session, another model; sometimes a title.
      arbitrary: fc
        .record({
          model: fc.constantFrom("gpt-5", "claude-opus-4-1"),
          provider: fc.constantFrom("openai", "anthropic"),
          title: fc.option(zotString(), { nil: undefined }),
        })
        .map((m) => {
          const { parent: _p, fork_point: _f, title: _t, ...rest } = first;
          return zotLineOf(zotMetaLine({ ...rest, ...m }));
        }),
      weight: 1,
    },
  );
  const reordered = zot.map((l) =>
    zotLineOf(goJson(reverseKeys(JSON.parse(new TextDecoder().decode(l.bytes)))))
  );
  const garbageText = zotString(30).map((s) => zotLineOf(s.replaceAll("\n", " ")));
  const garbageBytes = fc.uint8Array({ maxLength: 24 }).map((b): GenLine => ({
    bytes: b.map((x) => (x === 0x0a ? 0x20 : x)),
    zotMessage: false,
  }));
  const cutMidFile = fc.tuple(zot, fc.nat()).map(([l, at]): GenLine => ({
    bytes: cut(l.bytes, at % l.bytes.length),
    zotMessage: false,
  }));
  const blank = fc.constantFrom("", "\r").map((s) => zotLineOf(s));
  const unknown = fc.constantFrom('{"type":"checkpoint","n":1}', "42", "[]", '{"type":null}').map((
    s,
  ) => zotLineOf(s));
  return fc.oneof(
    { arbitrary: zot, weight: 20 },
    { arbitrary: reordered, weight: 2 },
    { arbitrary: garbageText, weight: 1 },
    { arbitrary: garbageBytes, weight: 1 },
    { arbitrary: cutMidFile, weight: 1 },
    { arbitrary: blank, weight: 1 },
    { arbitrary: unknown, weight: 1 },
  );
}

/** A generated session file and what is known about each of its lines. */
interface GenSession {
  data: Uint8Array;
  /** By 1-based line number: a whole zot message line. */
  zotMessage: boolean[];
}

const session: fc.Arbitrary<GenSession> = fc
  .record({
    first: zotMeta,
    metaMissing: fc.nat(19).map((n) => n === 0), // now and then a file without meta
  })
  .chain(({ first, metaMissing }) =>
    fc.record({
      first: fc.constant(first),
      metaMissing: fc.constant(metaMissing),
      events: fc.array(sessionEvent(first), { maxLength: 30 }),
      endings: fc.constantFrom("lf", "crlf", "mixed"),
      crlf: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
      last: fc.oneof(
        { arbitrary: fc.constant({ kind: "newline" as const }), weight: 3 },
        { arbitrary: fc.constant({ kind: "none" as const }), weight: 1 },
        { arbitrary: fc.nat().map((at) => ({ kind: "cut" as const, at })), weight: 2 },
      ),
    })
  )
  .map(({ first, metaMissing, events, endings, crlf, last }) => {
    const lines: GenLine[] = metaMissing ? [...events] : [zotLineOf(zotMetaLine(first)), ...events];
    if (last.kind === "cut" && lines.length > 0) {
      const l = lines[lines.length - 1];
      if (l.bytes.length > 1) {
        lines[lines.length - 1] = {
          bytes: cut(l.bytes, 1 + (last.at % (l.bytes.length - 1))),
          zotMessage: false,
        };
      }
    }
    const parts: Uint8Array[] = [];
    lines.forEach((l, i) => {
      parts.push(l.bytes);
      const isLast = i === lines.length - 1;
      if (isLast && last.kind !== "newline") return;
      const cr = endings === "crlf" || (endings === "mixed" && crlf[i % crlf.length]);
      parts.push(bytes(cr ? "\r\n" : "\n"));
    });
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    return { data, zotMessage: [false, ...lines.map((l) => l.zotMessage)] };
  });

describe("summarizeSession on generated sessions", () => {
  it(
    `summarizeSession() equals the reference on generated zot sessions with damage, at chunk sizes ${CHUNK_SIZES}`,
    SLOW,
    async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, "s.jsonl");
        await fc.assert(
          fc.asyncProperty(session, async ({ data }) => {
            await writeFile(path, data);
            const ref = referenceSummaryOfBytes(data);
            for (const chunkSize of CHUNK_SIZES) {
              assertSameAsReference(
                await summarizeSession(path, { chunkSize }),
                ref,
                `chunkSize ${chunkSize}`,
              );
            }
          }),
          { numRuns: 100 },
        );
      });
    },
  );

  it(
    "summarizeSession() with a small line cap counts every message it can know and finds the prompt when it sits in the head window",
    SLOW,
    async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, "s.jsonl");
        await fc.assert(
          fc.asyncProperty(
            session,
            fc.constantFrom(7, 64),
            fc.constantFrom(120, 200, 400),
            async ({ data, zotMessage }, chunkSize, maxLineBytes) => {
              await writeFile(path, data);
              const options = { chunkSize, maxLineBytes };
              const refLines = referenceLines(new TextDecoder().decode(data));
              const expected = cappedExpectation(
                data,
                refLines,
                await truncatedLines(path, options),
                (n) => zotMessage[n] === true,
                maxLineBytes,
              );
              const s = await summarizeSession(path, options);
              assert.equal(s.messages, expected.messages, "messages");
              if (expected.firstPrompt.known) {
                assert.equal(s.firstPrompt, expected.firstPrompt.value, "firstPrompt");
              }
            },
          ),
          { numRuns: 100 },
        );
      });
    },
  );
});

describe("lines over the cap", () => {
  const cap = { maxLineBytes: 4096, headBytes: 256, tailBytes: 256 };

  it("a big line with a small message glued at its end is not counted as a message", async () => {
    await withDir(async (dir) => {
      const partial = messageLine("tool", [{ call_id: "c", content: [{ text: "y".repeat(8000) }] }])
        .slice(0, 6000); // cut by a crash
      // The next record, written after a restart, glued on: it ends like a
      // whole message, but the line is not JSON (zot's reader skips it).
      const glued = partial + messageLine("assistant", "ok", "2026-09-22T14:06:00Z");
      const path = join(dir, "s.jsonl");
      await writeFile(path, [metaLine({ id: "a", cwd: "/p" }), glued, ""].join("\n"));
      const s = await summarizeSession(path, cap);
      assert.deepEqual([s.messages, s.damagedCount], [0, 1]);
    });
  });

  it("finds the first prompt after a big image, near the line's end", async () => {
    await withDir(async (dir) => {
      const line = messageLine("user", [
        { mime_type: "image/png", data: "A".repeat(8000) + "==" },
        { text: "what is in this screenshot" },
      ]);
      const path = join(dir, "s.jsonl");
      await writeFile(
        path,
        [metaLine({ id: "a", cwd: "/p" }), line, messageLine("user", "second"), ""].join("\n"),
      );
      const s = await summarizeSession(path, cap);
      assert.equal(s.firstPrompt, "what is in this screenshot");
    });
  });
});

describe("readLine with skim (a summary only)", () => {
  /** A long string: base64-like, or text with escapes and non-ASCII. */
  const longString = fc.tuple(fc.nat(300), fc.boolean()).map(([extra, b64]) =>
    b64
      ? "QUJD".repeat((SKIM_BYTES >> 2) + 1 + extra)
      : 'line "one"\n\tsé\\ 😀 '.repeat((SKIM_BYTES >> 4) + 1 + extra)
  );
  /** A zot message with some strings made longer than SKIM_BYTES: image data, texts, tool arguments. */
  const bigMessage = fc.tuple(
    zotMessage(),
    fc.array(fc.tuple(fc.nat(), longString), { minLength: 1, maxLength: 3 }),
  )
    .map(([m, longs]) => {
      const content = Array.isArray(m.content) ? [...m.content] : [];
      for (const [at, s] of longs) {
        const i = content.length === 0 ? 0 : at % (content.length + 1);
        const kind = at % 3;
        content.splice(
          i,
          0,
          kind === 0 ? { mime_type: "image/png", data: s } : kind === 1 ? { text: s } : {
            id: "c1",
            name: "write",
            arguments: { content: s },
          },
        );
      }
      return { ...m, content };
    });

  it("readLine() with skim reads a message of megabytes as without: role, time, meta, kinds of blocks, first text", () => {
    fc.assert(
      fc.property(bigMessage, (m) => {
        const bytes = new TextEncoder().encode(zotMessageLine(m));
        assert.ok(bytes.length > SKIM_BYTES);
        const line: Line = {
          number: 1,
          offset: 0,
          length: bytes.length,
          bytes,
          truncated: false,
          terminated: true,
          jsonValid: true,
        };
        const whole = readLine(line, () => true);
        const skimmed = readLine(line, () => true, true);
        assert.equal(whole.kind, "record");
        assert.equal(skimmed.kind, "record");
        const [a, b] = [whole, skimmed].map((r) => (r as { record: SessionRecord }).record);
        assert.equal(a.type, "message");
        assert.equal(b.type, "message");
        if (a.type !== "message" || b.type !== "message") return;
        assert.deepEqual([b.role, b.time, b.meta], [a.role, a.time, a.meta]);
        assert.deepEqual(b.content.map((x) => x.type), a.content.map((x) => x.type));
        assert.deepEqual(
          b.content.filter((x) => x.type === "text"),
          a.content.filter((x) => x.type === "text"),
        );
        assert.equal(firstText(b.content), firstText(a.content));
      }),
      { numRuns: 60 },
    );
  });
});

describe("lines wanted whole but longer than a chunk", () => {
  it("summarizeSession() finds a first prompt between two images of a line read again by its offset", async () => {
    await withDir(async (dir) => {
      const meta = {
        id: "0e19",
        cwd: "/p",
        model: "m",
        provider: "p",
        started: "2026-11-01T10:00:00Z",
        version: "1",
      };
      const big = (n: number) => ({ mime_type: "image/png", data: "QUJD".repeat(n) });
      // The text is neither in the head window (64 KiB) nor in the tail (4 KiB).
      const content = [big(20_000), { text: "hello between" }, big(5_000)];
      const message = { role: "user", content, time: "2026-11-01T10:00:01Z" };
      const path = join(dir, "s.jsonl");
      await writeFile(
        path,
        JSON.stringify({ type: "meta", meta }) + "\n" +
          JSON.stringify({ type: "message", message }) + "\n",
      );
      for (const chunkSize of [4096, 65536, undefined]) {
        const s = await summarizeSession(path, chunkSize ? { chunkSize } : {});
        assert.equal(s.firstPrompt, "hello between", `chunkSize ${chunkSize ?? "default"}`);
        assert.equal(s.messages, 1);
      }
    });
  });
});
