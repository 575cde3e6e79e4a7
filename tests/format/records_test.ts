/**
 * Tests of lib/records.ts against FORMAT.md: block kinds ("Roles and content
 * blocks"), line decoding ("Lines"), and the fast path on raw bytes
 * (`peekLine`, `messageTimeFromEnd`, `firstTextInWindow`), which must agree
 * with a real `JSON.parse` whenever it answers at all.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { readLine } from "../../lib/scan/line_reading.ts";
import {
  blockKind,
  decodeBlock,
  decodeRecord,
  firstText,
  isCompaction,
} from "../../lib/format/record_decode.ts";
import { usageProblem } from "../../lib/format/usage_decode.ts";
import {
  cannotBeJson,
  decodeUtf8,
  firstTextInWindow,
  messageTimeFromEnd,
  peekLine,
} from "../../lib/format/record_peek.ts";
import type { Block, BlockKind, MessageRecord, SessionRecord } from "../../lib/format/records.ts";
import {
  goJson,
  reverseKeys,
  toolArgumentsWithoutTime,
  zotLine,
  zotMessage,
  zotMessageLine,
  zotMetaLine,
  zotNonEmptyString,
  zotRenameLine,
  zotString,
  zotTime,
  type ZotUsage,
  zotUsageLine,
} from "../helpers/zot_reference.ts";

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s);

const RUNS = { numRuns: 200 };

const U1: ZotUsage = {
  input_tokens: 4,
  output_tokens: 33,
  cache_read_tokens: 0,
  cache_write_tokens: 5976,
  cost_usd: 0.022917,
};
const U2: ZotUsage = {
  input_tokens: 10,
  output_tokens: 52,
  cache_read_tokens: 5976,
  cache_write_tokens: 6069,
  cost_usd: 0.02536155,
};

// ---------------------------------------------------------------------------
// blockKind / decodeBlock: FORMAT.md "Roles and content blocks", first match wins
// ---------------------------------------------------------------------------

const kindCases: Array<{ name: string; block: Record<string, unknown>; kind: BlockKind }> = [
  // 1. reasoning_id or encrypted_content non-empty → reasoning
  { name: "reasoning_id alone", block: { reasoning_id: "rs_1" }, kind: "reasoning" },
  { name: "encrypted_content alone", block: { encrypted_content: "gAAA" }, kind: "reasoning" },
  {
    name: "reasoning_id, summary and encrypted_content",
    block: { reasoning_id: "rs_1", summary: "**Plan**", encrypted_content: "gAAA" },
    kind: "reasoning",
  },
  {
    name: "reasoning_id beats name+id (rule 1 before rule 2)",
    block: { reasoning_id: "rs_1", id: "t1", name: "bash" },
    kind: "reasoning",
  },
  {
    name: "encrypted_content beats call_id (rule 1 before rule 3)",
    block: { encrypted_content: "gAAA", call_id: "t1" },
    kind: "reasoning",
  },
  {
    name: "encrypted_content beats mime_type (rule 1 before rule 4)",
    block: { encrypted_content: "gAAA", mime_type: "image/png" },
    kind: "reasoning",
  },
  {
    name: "reasoning_id beats text",
    block: { reasoning_id: "rs_1", text: "hello" },
    kind: "reasoning",
  },
  // ... and a block with only a non-empty summary is reasoning too
  { name: "a summary-only block", block: { summary: "**Thinking**" }, kind: "reasoning" },
  {
    name: "a summary with an empty text",
    block: { summary: "**Thinking**", text: "" },
    kind: "reasoning",
  },
  {
    name: "a summary with empty reasoning_id and encrypted_content",
    block: { reasoning_id: "", summary: "s", encrypted_content: "" },
    kind: "reasoning",
  },
  {
    name: "a summary next to a non-empty text (not summary-only)",
    block: { summary: "s", text: "hi" },
    kind: "text",
  },
  { name: "an empty summary alone", block: { summary: "" }, kind: "text" },
  // 2. name and id both non-empty → tool call
  { name: "name and id", block: { id: "t1", name: "bash", arguments: {} }, kind: "tool_call" },
  {
    name: "name and id with arguments null",
    block: { id: "t1", name: "bash", arguments: null },
    kind: "tool_call",
  },
  {
    name: "name+id beats call_id (rule 2 before rule 3)",
    block: { id: "t1", name: "bash", call_id: "t0" },
    kind: "tool_call",
  },
  {
    name: "name+id beats mime_type (rule 2 before rule 4)",
    block: { id: "t1", name: "bash", mime_type: "image/png" },
    kind: "tool_call",
  },
  {
    name: "name+id beats a summary",
    block: { id: "t1", name: "bash", summary: "s" },
    kind: "tool_call",
  },
  {
    name: "empty reasoning_id does not hide a tool call",
    block: { reasoning_id: "", encrypted_content: "", id: "t1", name: "bash" },
    kind: "tool_call",
  },
  { name: "name without id", block: { name: "bash", arguments: {} }, kind: "text" },
  { name: "id without name", block: { id: "t1", arguments: {} }, kind: "text" },
  { name: "name with an empty id", block: { id: "", name: "bash" }, kind: "text" },
  { name: "id with an empty name", block: { id: "t1", name: "" }, kind: "text" },
  // 3. call_id non-empty → tool result
  {
    name: "call_id",
    block: { call_id: "t1", content: [{ text: "ok" }], is_error: false },
    kind: "tool_result",
  },
  {
    name: "call_id with name but no id",
    block: { call_id: "t1", name: "bash" },
    kind: "tool_result",
  },
  {
    name: "call_id beats mime_type (rule 3 before rule 4)",
    block: { call_id: "t1", mime_type: "image/png" },
    kind: "tool_result",
  },
  { name: "call_id beats a summary", block: { call_id: "t1", summary: "s" }, kind: "tool_result" },
  { name: "an empty call_id", block: { call_id: "", content: [] }, kind: "text" },
  // 4. mime_type non-empty → image
  { name: "mime_type and data", block: { mime_type: "image/png", data: "iVBO" }, kind: "image" },
  { name: "mime_type without data", block: { mime_type: "image/jpeg" }, kind: "image" },
  {
    name: "mime_type beats text",
    block: { mime_type: "image/png", data: "", text: "x" },
    kind: "image",
  },
  {
    name: "mime_type beats a summary",
    block: { mime_type: "image/png", summary: "s" },
    kind: "image",
  },
  { name: "an empty mime_type", block: { mime_type: "", data: "iVBO" }, kind: "text" },
  // 5. otherwise → text (possibly empty)
  { name: "a text", block: { text: "hi" }, kind: "text" },
  { name: "an empty text", block: { text: "" }, kind: "text" },
  { name: "an empty object", block: {}, kind: "text" },
  { name: "unknown fields only", block: { foo: 1, bar: "x" }, kind: "text" },
  // Non-string values are not "non-empty" strings.
  { name: "a numeric reasoning_id", block: { reasoning_id: 5 }, kind: "text" },
  { name: "numeric name and id", block: { id: 1, name: 2 }, kind: "text" },
  { name: "a null call_id", block: { call_id: null }, kind: "text" },
  { name: "a boolean mime_type", block: { mime_type: true }, kind: "text" },
];

describe("blockKind", () => {
  for (const { name, block, kind } of kindCases) {
    it(`blockKind() says ${kind} for ${name}`, () => {
      assert.equal(blockKind(block), kind);
      assert.equal(decodeBlock(block).type, kind, "decodeBlock agrees");
    });
  }
});

const decodeBlockCases: Array<{ name: string; block: Record<string, unknown>; expected: Block }> = [
  {
    name: "reasoning keeps id, summary and the encrypted blob",
    block: { reasoning_id: "rs_1", summary: "**S**", encrypted_content: "gAAA" },
    expected: { type: "reasoning", id: "rs_1", summary: "**S**", encrypted: "gAAA" },
  },
  {
    name: "a summary-only reasoning block shows its summary",
    block: { summary: "**Checking**" },
    expected: { type: "reasoning", id: "", summary: "**Checking**", encrypted: "" },
  },
  {
    name: "a tool call keeps raw JSON arguments",
    block: { id: "t1", name: "edit", arguments: { path: "a.go", edits: [{ old: "x" }] } },
    expected: {
      type: "tool_call",
      id: "t1",
      name: "edit",
      arguments: { path: "a.go", edits: [{ old: "x" }] },
    },
  },
  {
    name: "a tool call with arguments null",
    block: { id: "t1", name: "bash", arguments: null },
    expected: { type: "tool_call", id: "t1", name: "bash", arguments: null },
  },
  {
    name: "a tool call without arguments reads them as null",
    block: { id: "t1", name: "bash" },
    expected: { type: "tool_call", id: "t1", name: "bash", arguments: null },
  },
  {
    name: "a tool result: inner blocks are images with mime_type, text otherwise",
    block: {
      call_id: "t1",
      content: [{ text: "out" }, { mime_type: "image/png", data: "iVBO" }, {}],
      is_error: true,
    },
    expected: {
      type: "tool_result",
      callId: "t1",
      isError: true,
      content: [
        { type: "text", text: "out" },
        { type: "image", mimeType: "image/png", data: "iVBO" },
        { type: "text", text: "" },
      ],
    },
  },
  {
    name: "a tool result with content null and no is_error",
    block: { call_id: "t1", content: null },
    expected: { type: "tool_result", callId: "t1", isError: false, content: [] },
  },
  {
    name: "an image",
    block: { mime_type: "image/jpeg", data: "/9j/" },
    expected: { type: "image", mimeType: "image/jpeg", data: "/9j/" },
  },
  { name: "an empty object is an empty text", block: {}, expected: { type: "text", text: "" } },
  {
    name: "a name without id is a text (its text field, if any)",
    block: { name: "bash", text: "t" },
    expected: { type: "text", text: "t" },
  },
];

describe("decodeBlock", () => {
  for (const { name, block, expected } of decodeBlockCases) {
    it(`decodeBlock(): ${name}`, () => {
      assert.deepEqual(decodeBlock(block), expected);
    });
  }
});

describe("firstText and isCompaction", () => {
  const cases: Array<{ name: string; content: Block[]; expected: string | null }> = [
    { name: "no blocks", content: [], expected: null },
    {
      name: "skips images and empty texts",
      content: [
        { type: "image", mimeType: "image/png", data: "" },
        { type: "text", text: "" },
        { type: "text", text: "hi" },
      ],
      expected: "hi",
    },
    {
      name: "ignores text inside tool results",
      content: [{
        type: "tool_result",
        callId: "t",
        isError: false,
        content: [{ type: "text", text: "out" }],
      }],
      expected: null,
    },
    {
      name: "ignores a summary-only reasoning block",
      content: [{ type: "reasoning", id: "", summary: "s", encrypted: "" }],
      expected: null,
    },
  ];
  for (const { name, content, expected } of cases) {
    it(`firstText() ${name}`, () => assert.equal(firstText(content), expected));
  }

  it('isCompaction() is true only for meta.compaction === "true"', () => {
    const m = (meta: Record<string, string>): MessageRecord => ({
      type: "message",
      role: "user",
      time: "",
      content: [],
      meta,
    });
    assert.equal(isCompaction(m({ compaction: "true", tokens_before: "12" })), true);
    assert.equal(isCompaction(m({ compaction: "false" })), false);
    assert.equal(isCompaction(m({})), false);
  });
});

// ---------------------------------------------------------------------------
// decodeRecord: FORMAT.md "Lines"
// ---------------------------------------------------------------------------

const ZU1 = {
  inputTokens: 4,
  outputTokens: 33,
  cacheReadTokens: 0,
  cacheWriteTokens: 5976,
  costUsd: 0.022917,
};
const ZU2 = {
  inputTokens: 10,
  outputTokens: 52,
  cacheReadTokens: 5976,
  cacheWriteTokens: 6069,
  costUsd: 0.02536155,
};
const ZERO = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
};

const recordCases: Array<{ name: string; line: string; expected: SessionRecord | null }> = [
  {
    name: "a first meta line of a fork",
    line: zotMetaLine({
      id: "8740d21c",
      cwd: "/home/dev/project-a",
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      started: "2026-09-23T07:30:02.768125035Z",
      version: "0.1.58",
      title: "a <b> & c",
      parent: "0e19291e",
      fork_point: 11,
    }),
    expected: {
      type: "meta",
      id: "8740d21c",
      cwd: "/home/dev/project-a",
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      started: "2026-09-23T07:30:02.768125035Z",
      version: "0.1.58",
      title: "a <b> & c",
      parent: "0e19291e",
      forkPoint: 11,
    },
  },
  {
    name: "a meta line without title, parent or fork_point",
    line:
      '{"type":"meta","meta":{"id":"x","cwd":"","model":"m","provider":"p","started":"s","version":"v"}}',
    expected: {
      type: "meta",
      id: "x",
      cwd: "",
      model: "m",
      provider: "p",
      started: "s",
      version: "v",
      title: "",
      parent: "",
      forkPoint: null,
    },
  },
  {
    name: "a meta line whose meta is not an object",
    line: '{"type":"meta","meta":"x"}',
    expected: null,
  },
  { name: "a meta line without meta", line: '{"type":"meta"}', expected: null },
  {
    name: "a message with blocks and a compaction meta",
    line: zotMessageLine({
      role: "user",
      content: [{ text: "summary" }, { mime_type: "image/png", data: "iVBO" }],
      time: "2026-09-22T14:05:30.382143679+02:00",
      meta: { compaction: "true", tokens_before: "1234" },
    }),
    expected: {
      type: "message",
      role: "user",
      time: "2026-09-22T14:05:30.382143679+02:00",
      content: [{ type: "text", text: "summary" }, {
        type: "image",
        mimeType: "image/png",
        data: "iVBO",
      }],
      meta: { compaction: "true", tokens_before: "1234" },
    },
  },
  {
    name: 'a message with "content":null has no blocks',
    line:
      '{"type":"message","message":{"role":"assistant","content":null,"time":"2026-01-01T00:00:00Z"}}',
    expected: {
      type: "message",
      role: "assistant",
      time: "2026-01-01T00:00:00Z",
      content: [],
      meta: {},
    },
  },
  {
    name: 'a message with "content":[] has no blocks',
    line: '{"type":"message","message":{"role":"tool","content":[],"time":"2026-01-01T00:00:00Z"}}',
    expected: {
      type: "message",
      role: "tool",
      time: "2026-01-01T00:00:00Z",
      content: [],
      meta: {},
    },
  },
  {
    name: "a message without content, time or role",
    line: '{"type":"message","message":{}}',
    expected: { type: "message", role: "", time: "", content: [], meta: {} },
  },
  {
    name: "a message in another key order",
    line:
      '{"message":{"time":"2026-01-01T00:00:00Z","content":[{"text":"hi"}],"role":"user"},"type":"message"}',
    expected: {
      type: "message",
      role: "user",
      time: "2026-01-01T00:00:00Z",
      content: [{ type: "text", text: "hi" }],
      meta: {},
    },
  },
  {
    name: "a message whose message is not an object",
    line: '{"type":"message","message":null}',
    expected: null,
  },
  {
    name: "a usage line keeps usage and cumulative apart",
    line: zotUsageLine(U1, U2),
    expected: { type: "usage", usage: ZU1, cumulative: ZU2 },
  },
  {
    name: "a usage line with missing counters reads them as 0",
    line: '{"type":"usage","usage":{},"cumulative":{"input_tokens":7,"cost_usd":"x"}}',
    expected: { type: "usage", usage: ZERO, cumulative: { ...ZERO, inputTokens: 7 } },
  },
  {
    name: "a usage line without usage objects",
    line: '{"type":"usage"}',
    expected: { type: "usage", usage: ZERO, cumulative: ZERO },
  },
  {
    name: "a rename with Go-escaped <, >, &",
    line: '{"title":"ledger \\u003cbug #42\\u003e \\u0026 tests","type":"rename"}',
    expected: { type: "rename", title: "ledger <bug #42> & tests" },
  },
  {
    name: 'a rename to ""',
    line: zotRenameLine(""),
    expected: { type: "rename", title: "" },
  },
  {
    name: "a rename with type first",
    line: '{"type":"rename","title":"x"}',
    expected: { type: "rename", title: "x" },
  },
  { name: "an unknown type", line: '{"type":"checkpoint","x":1}', expected: null },
  { name: "no type", line: '{"title":"x"}', expected: null },
  { name: "a numeric type", line: '{"type":1}', expected: null },
  { name: "a type in another case", line: '{"type":"Meta","meta":{}}', expected: null },
  { name: "null", line: "null", expected: null },
  { name: "a number", line: "42", expected: null },
  { name: "a string", line: '"message"', expected: null },
  { name: "an array", line: '[{"type":"meta","meta":{}}]', expected: null },
  { name: "a boolean", line: "true", expected: null },
];

describe("decodeRecord", () => {
  for (const { name, line, expected } of recordCases) {
    it(`decodeRecord() on ${name}`, () => {
      assert.deepEqual(decodeRecord(JSON.parse(line)), expected);
    });
  }
});

// ---------------------------------------------------------------------------
// usageProblem: counters that cannot be true make a usage row damaged
// ---------------------------------------------------------------------------

/** A zot usage line whose cumulative (and usage) has `field` set to the raw JSON `value`. */
function usageWith(field: string, value: string, part: "usage" | "cumulative" = "cumulative") {
  const ok = zotUsageLine(U1, U2);
  const o = JSON.parse(ok);
  o[part][field] = "@@";
  return JSON.stringify(o).replace('"@@"', value);
}

const impossibleUsage: [string, string, string, string][] = [
  [
    "a cost that overflows to Infinity",
    "cost_usd",
    "1e999",
    "cumulative.cost_usd Infinity is out of range",
  ],
  ["an absurd cost", "cost_usd", "1e300", "cumulative.cost_usd 1e+300 is out of range"],
  [
    "a cost just over $1e6",
    "cost_usd",
    "1000000.01",
    "cumulative.cost_usd 1000000.01 is out of range",
  ],
  ["a negative cost", "cost_usd", "-0.5", "cumulative.cost_usd -0.5 is out of range"],
  ["a negative token count", "input_tokens", "-10", "cumulative.input_tokens -10 is out of range"],
  [
    "an absurd token count",
    "cache_read_tokens",
    "1000000000001",
    "cumulative.cache_read_tokens 1000000000001 is out of range",
  ],
  [
    "a token count that overflows",
    "output_tokens",
    "-1e999",
    "cumulative.output_tokens -Infinity is out of range",
  ],
  [
    "a fractional token count",
    "cache_write_tokens",
    "2.5",
    "cumulative.cache_write_tokens 2.5 is not a whole number",
  ],
];

describe("usageProblem", () => {
  for (const [name, field, value, reason] of impossibleUsage) {
    it(`decodeRecord() calls a usage row with ${name} invalid, saying which counter`, () => {
      assert.deepEqual(decodeRecord(JSON.parse(usageWith(field, value))), {
        type: "invalid",
        reason,
      });
    });
  }

  it("usageProblem() checks the per-call usage too, after cumulative", () => {
    assert.equal(
      usageProblem(JSON.parse(usageWith("cost_usd", "-1", "usage"))),
      "usage.cost_usd -1 is out of range",
    );
  });

  it("usageProblem() accepts the limits themselves, zeros, and missing or non-numeric counters", () => {
    for (
      const line of [
        usageWith("cost_usd", "1000000"),
        usageWith("input_tokens", "1000000000000"),
        usageWith("cost_usd", "0"),
        usageWith("cost_usd", '"x"'),
        usageWith("input_tokens", "null"),
        '{"type":"usage"}',
      ]
    ) {
      assert.equal(usageProblem(JSON.parse(line)), null, line);
    }
  });

  it("readLine() reports an impossible usage row as damaged, with the reason", () => {
    const bytes = new TextEncoder().encode(usageWith("cost_usd", "1e300"));
    const line = {
      number: 3,
      offset: 0,
      length: bytes.length,
      bytes,
      truncated: false,
      terminated: true,
    };
    assert.deepEqual(readLine(line), {
      kind: "damaged",
      reason: "cumulative.cost_usd 1e+300 is out of range",
    });
  });
});

// ---------------------------------------------------------------------------
// peekLine: classification by zot's key order, null otherwise
// ---------------------------------------------------------------------------

/** What a real parse says about type and role, in peekLine's shape. */
function parsedPeek(line: string): unknown {
  const v = JSON.parse(line);
  return v.type === "message" ? { type: "message", role: v.message.role } : { type: v.type };
}

/** Key orders shuffled with a seeded PRNG (mulberry32), at every level. */
function shuffleKeys(value: unknown, seed: number): unknown {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [keys[i], keys[j]] = [keys[j], keys[i]];
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = walk((v as Record<string, unknown>)[k]);
    return out;
  };
  return walk(value);
}

/** True when a line starts the way zot writes its type (see FORMAT.md's table). */
function hasZotPrefix(line: string): boolean {
  return /^\{"type":"(meta|usage)",/.test(line) ||
    line.startsWith('{"type":"message","message":{"role":') ||
    (line.startsWith('{"title":') && line.endsWith(',"type":"rename"}'));
}

const peekCases: Array<{ name: string; line: string; expected: ReturnType<typeof peekLine> }> = [
  {
    name: "a zot meta line",
    line: '{"type":"meta","meta":{"id":"x"}}',
    expected: { type: "meta" },
  },
  {
    name: "a zot usage line",
    line: zotUsageLine(U1, U1),
    expected: { type: "usage" },
  },
  {
    name: "a zot rename line",
    line: zotRenameLine("t"),
    expected: { type: "rename" },
  },
  {
    name: "a zot user message",
    line: zotMessageLine({ role: "user", content: null, time: "2026-01-01T00:00:00Z" }),
    expected: { type: "message", role: "user" },
  },
  {
    name: "a zot tool message",
    line: zotMessageLine({ role: "tool", content: [], time: "2026-01-01T00:00:00Z" }),
    expected: { type: "message", role: "tool" },
  },
  {
    name: "a message with an empty role",
    line: '{"type":"message","message":{"role":"","content":[]}}',
    expected: { type: "message", role: "" },
  },
  { name: "an empty line", line: "", expected: null },
  { name: "a non-object", line: "[1]", expected: null },
  {
    name: "a message with type last",
    line: '{"message":{"role":"user","content":[]},"type":"message"}',
    expected: null,
  },
  {
    name: "a message whose role is not its first key",
    line: '{"type":"message","message":{"content":[],"role":"user"}}',
    expected: null,
  },
  {
    name: "a message whose role is escaped",
    line: '{"type":"message","message":{"role":"\\u0075ser","content":[]}}',
    expected: null,
  },
  {
    name: "a message whose role has upper case",
    line: '{"type":"message","message":{"role":"User","content":[]}}',
    expected: null,
  },
  {
    name: "a message whose role never closes",
    line: '{"type":"message","message":{"role":"us',
    expected: null,
  },
  {
    name: "a message whose role is longer than any role",
    line: '{"type":"message","message":{"role":"abcdefghijklmnopqrstuvwxyz","content":[]}}',
    expected: null,
  },
  {
    name: "a rename with type first",
    line: '{"type":"rename","title":"t"}',
    expected: null,
  },
  {
    name: "a meta line with type last",
    line: '{"meta":{"id":"x"},"type":"meta"}',
    expected: null,
  },
  {
    name: "a line with spaces after the brace",
    line: '{ "type":"meta","meta":{}}',
    expected: null,
  },
];

describe("peekLine", () => {
  for (const { name, line, expected } of peekCases) {
    it(`peekLine() on ${name}`, () => {
      assert.deepEqual(peekLine(bytes(line)), expected);
    });
  }

  it("peekLine() on any zot-shaped line equals JSON.parse's type and role", () => {
    fc.assert(
      fc.property(zotLine(), (line) => {
        assert.deepEqual(peekLine(bytes(line)), parsedPeek(line), line);
      }),
      RUNS,
    );
  });

  it("peekLine() on a zot-shaped message with any role is null or equals JSON.parse's role", () => {
    fc.assert(
      fc.property(zotMessage(), fc.string({ maxLength: 20 }), (m, role) => {
        const line = zotMessageLine({ ...m, role });
        const peek = peekLine(bytes(line));
        if (peek !== null) assert.deepEqual(peek, parsedPeek(line), line);
      }),
      RUNS,
    );
  });

  it("peekLine() returns null for zot records with every object's keys reversed", () => {
    fc.assert(
      fc.property(zotLine(), (line) => {
        const other = goJson(reverseKeys(JSON.parse(line)));
        assert.equal(peekLine(bytes(other)), null, other);
      }),
      RUNS,
    );
  });

  it("peekLine() on zot records in any key order is null unless zot's prefix is there, and never disagrees with JSON.parse", () => {
    fc.assert(
      fc.property(zotLine(), fc.nat(), (line, seed) => {
        const other = goJson(shuffleKeys(JSON.parse(line), seed));
        const peek = peekLine(bytes(other));
        if (!hasZotPrefix(other)) assert.equal(peek, null, other);
        else assert.deepEqual(peek, parsedPeek(other), other);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------
// messageTimeFromEnd
// ---------------------------------------------------------------------------

const OFFSETS = ["Z", "+02:00", "-05:30", "+00:00", "-00:00", "+14:00"];
const ENDINGS: Array<{ name: string; meta?: Record<string, string> }> = [
  { name: "without meta" },
  { name: "with a compaction meta", meta: { compaction: "true", tokens_before: "48213" } },
  { name: "with an empty meta", meta: {} },
  { name: "with a meta value holding quotes and <&>", meta: { note: 'say "hi" <&>' } },
];

function timeWith(digits: number, offset: string): string {
  return "2026-09-30T23:53:10" + (digits ? "." + "123456789".slice(0, digits) : "") + offset;
}

describe("messageTimeFromEnd", () => {
  for (let digits = 0; digits <= 9; digits++) {
    it(`messageTimeFromEnd() reads a time with ${digits} fractional digits, Z or ±hh:mm, with and without meta`, () => {
      for (const offset of OFFSETS) {
        for (const { name, meta } of ENDINGS) {
          const time = timeWith(digits, offset);
          const line = zotMessageLine({ role: "assistant", content: [{ text: "x" }], time, meta });
          assert.equal(messageTimeFromEnd(bytes(line)), time, `${offset} ${name}`);
        }
      }
    });
  }

  const head = '{"type":"message","message":{"role":"user","content":[{"text":"a"}],';
  const nullCases: Array<{ name: string; line: string }> = [
    { name: "no bytes", line: "" },
    { name: "only }}", line: "}}" },
    { name: "a line cut inside the time", line: head + '"time":"2026-09-30T23:53:10.12' },
    { name: "a line cut before the last brace", line: head + '"time":"2026-09-30T23:53:10Z"}' },
    {
      name: "a trailing \\r (readers trim it first)",
      line: head + '"time":"2026-09-30T23:53:10Z"}}\r',
    },
    { name: "ten fractional digits", line: head + '"time":"2026-09-30T23:53:10.1234567891Z"}}' },
    { name: "a fraction dot without digits", line: head + '"time":"2026-09-30T23:53:10.Z"}}' },
    { name: "no seconds", line: head + '"time":"2026-09-30T23:53Z"}}' },
    { name: "no zone", line: head + '"time":"2026-09-30T23:53:10"}}' },
    { name: "a lowercase z", line: head + '"time":"2026-09-30T23:53:10z"}}' },
    { name: "an offset without colon", line: head + '"time":"2026-09-30T23:53:10+0200"}}' },
    { name: "an empty time", line: head + '"time":""}}' },
    { name: "an extra brace", line: head + '"time":"2026-09-30T23:53:10Z"}}}' },
    { name: "another key after time", line: head + '"time":"2026-09-30T23:53:10Z","x":1}}' },
    {
      name: "time before content (another key order)",
      line:
        '{"type":"message","message":{"role":"user","time":"2026-09-30T23:53:10Z","content":[]}}',
    },
    {
      name: "a meta value holding a brace (the caller parses instead)",
      line: head + '"time":"2026-09-30T23:53:10Z","meta":{"k":"a}b"}}}',
    },
    {
      name: "a meta map holding an object",
      line: head + '"time":"2026-09-30T23:53:10Z","meta":{"k":{}}}}',
    },
    {
      name: 'a meta key named "time" after the real time',
      line: head + '"time":"2026-09-30T23:53:10Z","meta":{"time":"2026-01-01T00:00:00Z"}}}',
    },
    { name: "no time key at all", line: head.slice(0, -1) + "}}" },
  ];
  for (const { name, line } of nullCases) {
    it(`messageTimeFromEnd() returns null for ${name}`, () => {
      assert.equal(messageTimeFromEnd(bytes(line)), null);
    });
  }

  it("messageTimeFromEnd() returns the time of any whole zot message line (null allowed only when its meta map holds a brace)", () => {
    fc.assert(
      fc.property(zotMessage(), (m) => {
        const got = messageTimeFromEnd(bytes(zotMessageLine(m)));
        const braces = m.meta !== undefined && /[{}]/.test(JSON.stringify(m.meta));
        if (braces && got === null) return; // falls back to a real parse: allowed
        assert.equal(got, m.time);
      }),
      RUNS,
    );
  });

  /**
   * A cut line may only yield null or the line's own time. Returns the first
   * prefix length that yields something else, with what it yielded.
   */
  function wrongPrefix(line: Uint8Array, time: string): { length: number; got: string } | null {
    for (let k = 0; k < line.length; k++) {
      const got = messageTimeFromEnd(line.subarray(0, k));
      if (got !== null && got !== time) return { length: k, got };
    }
    return null;
  }

  it("messageTimeFromEnd() on every strict prefix of a zot message line (tool arguments without a time key) is null or the line's time", () => {
    fc.assert(
      fc.property(zotMessage({ args: toolArgumentsWithoutTime }), (m) => {
        const line = bytes(zotMessageLine(m));
        assert.equal(wrongPrefix(line, m.time), null);
      }),
      { numRuns: 100 },
    );
  });

  // FORMAT.md "Lines": a crash can leave the last line truncated; such a line
  // is not a message (zot's JSON parse fails). Tool call `arguments` are raw
  // JSON, so a line cut right after `{"time":"<RFC 3339>"}}` ends exactly like
  // a whole message line: its last bytes cannot tell. readLine() therefore
  // never trusts the ends of a line without its newline, and these check that.
  it("readLine() never takes a strict prefix of any zot message line (tool arguments may hold a time) for a message", () => {
    fc.assert(
      fc.property(zotMessage(), (m) => {
        const line = bytes(zotMessageLine(m));
        for (let k = 1; k < line.length; k++) {
          const prefix = line.subarray(0, k);
          const r = readLine(
            { number: 1, offset: 0, length: k, bytes: prefix, truncated: false, terminated: false },
            () => false,
          );
          assert.equal(r.kind, "damaged", `the first ${k} bytes gave ${JSON.stringify(r)}`);
        }
      }),
      { numRuns: 100 },
    );
  });

  const T = "2026-01-01T09:00:00Z";
  const cutCases: Array<{ name: string; arguments: unknown; cutAfter: string }> = [
    { name: '{"time":…}, after the block closes', arguments: { time: T }, cutAfter: `${T}"}}` },
    {
      name: '{"at":{"time":…}}, inside the arguments',
      arguments: { at: { time: T } },
      cutAfter: `${T}"}}`,
    },
    {
      name: '{"time":…,"meta":{…}}, after the block closes',
      arguments: { time: T, meta: { a: "b" } },
      cutAfter: '"b"}}}',
    },
  ];
  for (const { name, arguments: args, cutAfter } of cutCases) {
    it(`a message line cut after tool arguments ${name}: its end looks whole, readLine() still finds it damaged`, () => {
      const full = zotMessageLine({
        role: "assistant",
        content: [{ id: "toolu_1", name: "remind", arguments: args }, { text: "set" }],
        time: "2026-09-22T14:05:30.5+02:00",
      });
      const cut = full.slice(0, full.indexOf(cutAfter) + cutAfter.length);
      assert.throws(() => JSON.parse(cut), "the cut line is not JSON: zot skips it");
      // The limit of reading ends alone, which is why readLine() checks more:
      assert.equal(messageTimeFromEnd(bytes(cut)), T);
      const b = bytes(cut);
      const r = readLine(
        { number: 9, offset: 0, length: b.length, bytes: b, truncated: false, terminated: false },
        () => false,
      );
      assert.deepEqual(r, { kind: "damaged", reason: "truncated last line" });
    });
  }
});

// ---------------------------------------------------------------------------
// firstTextInWindow
// ---------------------------------------------------------------------------

const USER_HEAD = '{"type":"message","message":{"role":"user","content":[';

const windowCases: Array<{ name: string; window: string; expected: string | null }> = [
  { name: "a plain text", window: USER_HEAD + '{"text":"hi"}', expected: "hi" },
  {
    name: "escaped quotes",
    window: USER_HEAD + '{"text":"say \\"hi\\" now"}',
    expected: 'say "hi" now',
  },
  {
    name: "a text ending in an escaped backslash",
    window: USER_HEAD + '{"text":"C:\\\\dir\\\\"}',
    expected: "C:\\dir\\",
  },
  {
    name: "a backslash before an escaped quote",
    window: USER_HEAD + '{"text":"a\\\\\\"b"}',
    expected: 'a\\"b',
  },
  {
    name: "Go's \\u escapes of <, >, &",
    window: USER_HEAD + '{"text":"\\u003cdiv\\u003e \\u0026"}',
    expected: "<div> &",
  },
  {
    name: "a surrogate pair escape and raw UTF-8",
    window: USER_HEAD + '{"text":"\\ud83d\\ude00 é€😀"}',
    expected: "😀 é€😀",
  },
  {
    name: "newline and tab escapes",
    window: USER_HEAD + '{"text":"a\\nb\\tc"}',
    expected: "a\nb\tc",
  },
  {
    name: "the first non-empty text after an empty one and an image",
    window: USER_HEAD + '{"text":""},{"mime_type":"image/png","data":"iVBO"},{"text":"second"}',
    expected: "second",
  },
  {
    name: "a text whose string does not close in the window",
    window: USER_HEAD + '{"text":"unfinished',
    expected: null,
  },
  {
    name: "a text cut after a backslash",
    window: USER_HEAD + '{"text":"ab\\',
    expected: null,
  },
  {
    name: "a text cut after an escaped quote",
    window: USER_HEAD + '{"text":"ab\\"',
    expected: null,
  },
  {
    name: "a text cut inside a \\u escape",
    window: USER_HEAD + '{"text":"ab\\u00',
    expected: null,
  },
  {
    name: "an empty text then one that does not close",
    window: USER_HEAD + '{"text":""},{"text":"unfini',
    expected: null,
  },
  {
    name: "only an image",
    window: USER_HEAD + '{"mime_type":"image/png","data":"iVBORw0KGgo',
    expected: null,
  },
  { name: "a window cut inside the key", window: USER_HEAD + '{"tex', expected: null },
  { name: "an empty window", window: "", expected: null },
];

describe("firstTextInWindow", () => {
  for (const { name, window, expected } of windowCases) {
    it(`firstTextInWindow() on ${name}`, () => {
      assert.equal(firstTextInWindow(bytes(window)), expected);
    });
  }

  it("firstTextInWindow() on a text cut inside a multi-byte character is null", () => {
    const w = bytes(USER_HEAD + '{"text":"a€"}');
    const euroAt = w.indexOf(0xe2);
    assert.equal(firstTextInWindow(w.subarray(0, euroAt + 2)), null);
  });

  it("firstTextInWindow() on every prefix of a zot user message is null until the first non-empty text closes, then that text", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constant({}),
            fc.constant({ text: "" }),
            fc.constant({ mime_type: "image/png", data: "iVBO" }),
          ),
          {
            maxLength: 3,
          },
        ),
        zotNonEmptyString(),
        zotString(),
        zotTime,
        (before, text, after, time) => {
          const line = bytes(zotMessageLine({
            role: "user",
            content: [...before, { text }, { text: after }],
            time,
          }));
          // Where the first non-empty text's closing quote ends, in bytes.
          const encoded = bytes(goJson({ text }).slice(1, -1)); // "text":"…"
          let at = -1;
          for (let i = 0; i + encoded.length <= line.length && at === -1; i++) {
            if (encoded.every((b, j) => line[i + j] === b)) at = i;
          }
          assert.notEqual(at, -1);
          const closes = at + encoded.length;
          for (let k = 0; k <= line.length; k++) {
            const expected = k >= closes ? text : null;
            assert.equal(firstTextInWindow(line.subarray(0, k)), expected, `window of ${k} bytes`);
          }
        },
      ),
      RUNS,
    );
  });
});

describe("cannotBeJson", () => {
  /** Whether JSON.parse accepts the bytes, decoded as readLine decodes them. */
  const parses = (bytes: Uint8Array) => {
    try {
      JSON.parse(decodeUtf8(bytes));
      return true;
    } catch {
      return false;
    }
  };
  /** Bytes likely to start or end JSON, and any other. */
  const edgeByte = fc.oneof(
    fc.constantFrom(
      ...'{}[]" -0123456789tfnrule.eE+,: \t\r\n'.split("").map((c) => c.charCodeAt(0)),
    ),
    fc.constantFrom(0xef, 0xbb, 0xbf, 0xff, 0x80),
    fc.integer({ min: 0, max: 255 }),
  );
  const line = fc.oneof(
    fc.array(edgeByte, { minLength: 1, maxLength: 12 }).map((a) => Uint8Array.from(a)),
    fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
    // A byte order mark, which the decoder drops, before JSON.
    fc.jsonValue().map((v) => new TextEncoder().encode("\ufeff" + JSON.stringify(v))),
    fc.tuple(fc.jsonValue(), fc.nat(40)).map(([v, cut]) => {
      const b = new TextEncoder().encode(JSON.stringify(v));
      return b.subarray(0, Math.max(1, cut % (b.length + 1)));
    }),
  );

  it("never calls JSON that JSON.parse accepts impossible (property)", () => {
    fc.assert(
      fc.property(line, (bytes) => {
        if (cannotBeJson(bytes[0], bytes[bytes.length - 1])) assert.equal(parses(bytes), false);
      }),
      { numRuns: 5000 },
    );
  });

  it("knows junk, cut objects and text at a glance", () => {
    const enc = (t: string) => new TextEncoder().encode(t);
    for (
      const junk of ["Zm9vYmFy", '{"type":"usage","usage":{"input', "hello world", "-", "{", "[1,2"]
    ) {
      const b = enc(junk);
      assert.equal(cannotBeJson(b[0], b[b.length - 1]), true, junk);
    }
    for (
      const maybe of [
        '{"a":1}',
        "[1]",
        '"x"',
        "true",
        "false",
        "null",
        "-12",
        " {",
        "\ufeff{}",
        "{ ",
      ]
    ) {
      const b = enc(maybe);
      assert.equal(cannotBeJson(b[0], b[b.length - 1]), false, maybe);
    }
  });
});
