/**
 * A reference reader for tests: what zot's `/sessions` picker reports for one
 * session file, written straight from FORMAT.md ("Lines", "What zot's session
 * picker shows, field by field", and the title rule where zot-sessions differs
 * from zot on purpose), and nothing else. It is deliberately naive: it decodes
 * the whole text, splits it on `\n` and `JSON.parse`s every line. It shares no
 * code with `lib/` so that it can be an oracle for `lib/scan.ts`.
 *
 * Rules, as FORMAT.md states them:
 *
 * - Lines are split on `\n`; one trailing `\r` is trimmed; empty lines are
 *   skipped; lines that are not valid JSON are skipped (and counted as
 *   damaged); lines whose value is not an object with a known `type` (or whose
 *   `meta` / `message` member is not an object) are skipped, not damaged.
 * - `messages`: every parseable `message` line, empty ones included.
 * - `firstPrompt`: the first non-empty `text` field among the top-level content
 *   blocks of the first `user` message line that has one (text inside tool
 *   results is not looked at). Read literally: the `text` field of any
 *   top-level block, whatever its kind (zot writes no block that mixes a text
 *   with another kind's fields, so this is the text blocks' text).
 * - `usage`: the `cumulative` of the last usage line (all five counters; a
 *   missing or non-numeric counter reads as 0, as Go's zero value); zeros when
 *   there is no usage line.
 * - zot-sessions' own rule, beyond FORMAT.md: a usage line whose `usage` or
 *   `cumulative` holds a number that cannot be a counter is damaged — not
 *   finite, below 0, a token count that is not whole or above 10^12, a cost
 *   above $10^6.
 * - `model`, `provider`, `started`, `cwd`: from the latest meta line.
 * - `id`, `parent`, `forkPoint`: from the first meta line.
 * - `title`: the last non-empty title of a rename or meta line (a rename to
 *   `""` is ignored, and a later meta line without a title keeps it).
 * - `firstMessageTime`, `lastMessageTime`: the `time` of the first and the
 *   last message line.
 *
 * Strings missing from a meta line read as `""` (Go's zero value); the meta
 * fields are `null` only when the file has no meta line at all.
 *
 * The second half of the module writes lines the way zot's Go writer does
 * (its key order and escaping) and holds fast-check arbitraries for them.
 *
 * @module
 */
import fc from "fast-check";

/** Token and cost counters, named as `lib/records.ts` names them. */
export interface ReferenceUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

/** What one line is, once parsed. */
export type ReferenceLine =
  | { number: number; kind: "empty" }
  | { number: number; kind: "damaged"; terminated: boolean }
  | { number: number; kind: "skipped"; value: unknown }
  | { number: number; kind: "meta"; meta: Record<string, unknown> }
  | { number: number; kind: "message"; message: Record<string, unknown> }
  | { number: number; kind: "usage"; cumulative: ReferenceUsage }
  | { number: number; kind: "rename"; title: string };

/** What zot's picker shows for a session, plus what zot-sessions adds. */
export interface ReferenceSummary {
  messages: number;
  firstPrompt: string | null;
  firstMessageTime: string | null;
  lastMessageTime: string | null;
  usage: ReferenceUsage;
  model: string | null;
  provider: string | null;
  started: string | null;
  cwd: string | null;
  id: string | null;
  parent: string | null;
  forkPoint: number | null;
  title: string | null;
  /** Non-empty lines that are not valid JSON (garbage, cut short), and impossible usage rows. */
  damaged: number;
  /** 1-based numbers of those lines, in order. */
  damagedLines: number[];
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringOr(v: unknown, fallback: string): string {
  return typeof v === "string" ? v : fallback;
}

function counter(o: Obj, key: string): number {
  const v = o[key];
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

function usageOf(v: unknown): ReferenceUsage {
  const o = isObject(v) ? v : {};
  return {
    inputTokens: counter(o, "input_tokens"),
    outputTokens: counter(o, "output_tokens"),
    cacheReadTokens: counter(o, "cache_read_tokens"),
    cacheWriteTokens: counter(o, "cache_write_tokens"),
    costUsd: counter(o, "cost_usd"),
  };
}

/** Whether every numeric counter of a usage object could be true. */
function plausibleCounters(v: unknown): boolean {
  if (!isObject(v)) return true;
  const tokens = ["input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"];
  for (const key of tokens) {
    const n = v[key];
    if (typeof n === "number" && !(Number.isSafeInteger(n) && n >= 0 && n <= 1e12)) return false;
  }
  const cost = v.cost_usd;
  return typeof cost !== "number" || (cost >= 0 && cost <= 1e6);
}

/**
 * Splits a file's text into lines as FORMAT.md says: on `\n`, one trailing
 * `\r` trimmed. A final `\n` ends the last line; it does not start an empty one.
 * Each line says whether a `\n` followed it.
 */
export function splitLines(text: string): { text: string; terminated: boolean }[] {
  const pieces = text.split("\n");
  const out = pieces.map((p, i) => ({
    text: p.endsWith("\r") ? p.slice(0, -1) : p,
    terminated: i < pieces.length - 1,
  }));
  if (pieces[pieces.length - 1] === "") out.pop();
  return out;
}

/** Classifies one line (without its `\n`, `\r` already trimmed). */
export function classifyLine(text: string, number: number, terminated: boolean): ReferenceLine {
  if (text === "") return { number, kind: "empty" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { number, kind: "damaged", terminated };
  }
  if (!isObject(value)) return { number, kind: "skipped", value };
  switch (value.type) {
    case "meta":
      return isObject(value.meta)
        ? { number, kind: "meta", meta: value.meta }
        : { number, kind: "skipped", value };
    case "message":
      return isObject(value.message)
        ? { number, kind: "message", message: value.message }
        : { number, kind: "skipped", value };
    case "usage":
      if (!plausibleCounters(value.usage) || !plausibleCounters(value.cumulative)) {
        return { number, kind: "damaged", terminated };
      }
      return { number, kind: "usage", cumulative: usageOf(value.cumulative) };
    case "rename":
      return { number, kind: "rename", title: stringOr(value.title, "") };
    default:
      return { number, kind: "skipped", value };
  }
}

/** Every line of a file's text, classified. */
export function referenceLines(text: string): ReferenceLine[] {
  return splitLines(text).map((l, i) => classifyLine(l.text, i + 1, l.terminated));
}

/**
 * The first non-empty `text` field among a message's top-level content blocks,
 * or null. `content` that is `null`, `[]` or not an array holds no blocks.
 */
export function referenceFirstText(message: Obj): string | null {
  const content = message.content;
  if (!Array.isArray(content)) return null;
  for (const block of content) {
    if (isObject(block) && typeof block.text === "string" && block.text !== "") {
      return block.text;
    }
  }
  return null;
}

/** The summary of already classified lines. */
export function summarizeReferenceLines(lines: ReferenceLine[]): ReferenceSummary {
  const s: ReferenceSummary = {
    messages: 0,
    firstPrompt: null,
    firstMessageTime: null,
    lastMessageTime: null,
    usage: usageOf({}),
    model: null,
    provider: null,
    started: null,
    cwd: null,
    id: null,
    parent: null,
    forkPoint: null,
    title: null,
    damaged: 0,
    damagedLines: [],
  };
  let seenMeta = false;
  for (const line of lines) {
    switch (line.kind) {
      case "empty":
      case "skipped":
        break;
      case "damaged":
        s.damaged++;
        s.damagedLines.push(line.number);
        break;
      case "meta": {
        const m = line.meta;
        if (!seenMeta) {
          seenMeta = true;
          s.id = stringOr(m.id, "");
          s.parent = stringOr(m.parent, "");
          // Go's int with omitempty: 0 means "not a fork".
          s.forkPoint = typeof m.fork_point === "number" && m.fork_point !== 0
            ? m.fork_point
            : null;
        }
        s.model = stringOr(m.model, "");
        s.provider = stringOr(m.provider, "");
        s.started = stringOr(m.started, "");
        s.cwd = stringOr(m.cwd, "");
        const title = stringOr(m.title, "");
        if (title !== "") s.title = title;
        break;
      }
      case "message": {
        const m = line.message;
        s.messages++;
        s.firstMessageTime ??= stringOr(m.time, "");
        s.lastMessageTime = stringOr(m.time, "");
        if (s.firstPrompt === null && m.role === "user") {
          s.firstPrompt = referenceFirstText(m);
        }
        break;
      }
      case "usage":
        s.usage = line.cumulative;
        break;
      case "rename":
        if (line.title !== "") s.title = line.title;
        break;
    }
  }
  return s;
}

/**
 * What zot's `/sessions` picker (with zot-sessions' title rule) reports for a
 * session file, given its whole text.
 *
 * @example
 * referenceSummary('{"title":"x","type":"rename"}\n').title // "x"
 */
export function referenceSummary(text: string): ReferenceSummary {
  return summarizeReferenceLines(referenceLines(text));
}

/** The same, for a file's raw bytes (invalid UTF-8 becomes U+FFFD, as Go wrote it). */
export function referenceSummaryOfBytes(bytes: Uint8Array): ReferenceSummary {
  return referenceSummary(new TextDecoder().decode(bytes));
}

// ---------------------------------------------------------------------------
// Writing lines the way zot does, and fast-check arbitraries for them
// ---------------------------------------------------------------------------

/** JSON as Go's `encoding/json` writes it (one definition, in scripts/). */
export { goJSON as goJson } from "../../scripts/make-example-home.ts";
import { goJSON as goJson } from "../../scripts/make-example-home.ts";
import type { ZotUsage } from "./fixtures.ts";
export type { ZotUsage };

/** The fields of a meta line, in zot's order. */
export interface ZotMeta {
  id: string;
  cwd: string;
  model: string;
  provider: string;
  started: string;
  version: string;
  title?: string;
  parent?: string;
  fork_point?: number;
}

/** A message as zot writes it; `meta` is omitted when absent. */
export interface ZotMessage {
  role: string;
  content: Record<string, unknown>[] | null;
  time: string;
  meta?: Record<string, string>;
}

/** `{"type":"meta","meta":{"id","cwd","model","provider","started","version","title"?,"parent"?,"fork_point"?}}` */
export function zotMetaLine(m: ZotMeta): string {
  const meta: Record<string, unknown> = {
    id: m.id,
    cwd: m.cwd,
    model: m.model,
    provider: m.provider,
    started: m.started,
    version: m.version,
  };
  if (m.title) meta.title = m.title;
  if (m.parent) meta.parent = m.parent;
  if (m.fork_point) meta.fork_point = m.fork_point;
  return goJson({ type: "meta", meta });
}

/** `{"type":"message","message":{"role","content","time","meta"?}}` */
export function zotMessageLine(m: ZotMessage): string {
  const message: Record<string, unknown> = { role: m.role, content: m.content, time: m.time };
  if (m.meta !== undefined) message.meta = m.meta;
  return goJson({ type: "message", message });
}

/** `{"type":"usage","usage":{U},"cumulative":{U}}` */
export function zotUsageLine(usage: ZotUsage, cumulative: ZotUsage): string {
  return goJson({ type: "usage", usage, cumulative });
}

/** `{"title":"...","type":"rename"}` */
export function zotRenameLine(title: string): string {
  return goJson({ title, type: "rename" });
}

/**
 * The same JSON value with the keys of every object in reverse order: a line
 * another writer might produce. (Each object of a zot record that matters —
 * the top level, `message`, `meta` — has at least two keys, so the order
 * really changes.)
 */
export function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).reverse()) {
    out[k] = reverseKeys((value as Record<string, unknown>)[k]);
  }
  return out;
}

// Arbitraries ---------------------------------------------------------------

/** Characters that stress escaping: JSON specials, Go's HTML escapes, non-ASCII. */
const trickyChar = fc.constantFrom(
  '"',
  "\\",
  "/",
  "<",
  ">",
  "&",
  "\n",
  "\r",
  "\t",
  "\u0000",
  "\u001f",
  "\u2028",
  "é",
  "€",
  "😀",
  "{",
  "}",
  ":",
  ",",
  "\uFFFD",
);

/** Free text as it appears in prompts, outputs, titles. */
export function zotString(maxLength = 12): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.oneof(
      { arbitrary: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }), weight: 3 },
      { arbitrary: trickyChar, weight: 2 },
    ),
    maxLength,
  });
}

/** A non-empty `zotString`. */
export function zotNonEmptyString(maxLength = 12): fc.Arbitrary<string> {
  return zotString(maxLength).filter((s) => s !== "");
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An RFC 3339 time as Go's RFC3339Nano writes it: 0–9 fractional digits
 * (trailing zeros trimmed, so the last digit is never 0), `Z` or `±hh:mm`.
 */
export const zotTime: fc.Arbitrary<string> = fc
  .record({
    year: fc.integer({ min: 2000, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.integer({ min: 0, max: 9 }).chain((digits) =>
      digits === 0 ? fc.constant("") : fc
        .tuple(
          fc.string({
            unit: fc.constantFrom(..."0123456789"),
            minLength: digits - 1,
            maxLength: digits - 1,
          }),
          fc.constantFrom(..."123456789"),
        )
        .map(([a, b]) => "." + a + b)
    ),
    offset: fc.oneof(
      fc.constant("Z"),
      fc
        .tuple(
          fc.constantFrom("+", "-"),
          fc.integer({ min: 0, max: 14 }),
          fc.constantFrom(0, 30, 45),
        )
        .map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
    ),
  })
  .map((t) =>
    `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}` +
    t.fraction + t.offset
  );

/** A UTC time, as zot writes `started`. */
export const zotUtcTime: fc.Arbitrary<string> = zotTime.map((t) =>
  t.replace(/(Z|[+-]\d\d:\d\d)$/, "Z")
);

const toolId = fc.stringMatching(/^(toolu_|call_)[A-Za-z0-9]{1,8}$/);
const base64 = fc.base64String({ maxLength: 24 });

/** `{"text":...}`, or `{}` (an empty text as Go omits it). */
export const textBlock = fc.oneof(
  { arbitrary: zotString().map((text) => (text === "" ? {} : { text })), weight: 4 },
  { arbitrary: fc.constant({ text: "" }), weight: 1 },
);

/** `{"mime_type","data"}` */
export const imageBlock = fc.record({
  mime_type: fc.constantFrom("image/png", "image/jpeg", "image/gif", "image/webp"),
  data: base64,
});

/**
 * Raw JSON `arguments` of a tool call: `null`, any small JSON value, or an
 * object holding a `time` as a tool like a scheduler would get it.
 */
export const toolArguments: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v))),
  fc.record({ command: zotString() }),
  zotTime.map((time) => ({ time })),
  zotTime.map((time) => ({ at: { time } })),
);

/** Arguments that never hold a `"time"` key. */
export const toolArgumentsWithoutTime: fc.Arbitrary<unknown> = toolArguments.filter(
  (v) => !JSON.stringify(v).includes('"time"'),
);

/** `{"id","name","arguments"}` */
export function toolCallBlockOf(args: fc.Arbitrary<unknown>) {
  return fc
    .record({
      id: toolId,
      name: fc.constantFrom("bash", "read", "edit", "write", "remind"),
      args,
    })
    .map(({ id, name, args }) => ({ id, name, arguments: args }));
}

/** `{"call_id","content":[text|image],"is_error"}` */
export const toolResultBlock = fc.record({
  call_id: toolId,
  content: fc.array(
    fc.oneof({ arbitrary: textBlock, weight: 3 }, { arbitrary: imageBlock, weight: 1 }),
    {
      maxLength: 3,
    },
  ),
  is_error: fc.boolean(),
});

/** `{"reasoning_id"?,"summary"?,"encrypted_content"?}`, including summary-only blocks. */
export const reasoningBlock = fc.oneof(
  fc
    .record({
      reasoning_id: fc.stringMatching(/^rs_[0-9a-f]{1,12}$/),
      summary: zotString(),
      encrypted_content: base64,
    })
    .map((r) => {
      const o: Record<string, string> = { reasoning_id: r.reasoning_id };
      if (r.summary) o.summary = r.summary;
      if (r.encrypted_content) o.encrypted_content = r.encrypted_content;
      return o;
    }),
  zotNonEmptyString().map((summary) => ({ summary })),
  base64.filter((s) => s !== "").map((encrypted_content) => ({ encrypted_content })),
);

/** `content`: `null`, `[]`, or blocks. */
function contentOf(
  block: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<Record<string, unknown>[] | null> {
  const empty: Record<string, unknown>[] = [];
  return fc.oneof(
    { arbitrary: fc.array(block, { minLength: 1, maxLength: 4 }), weight: 8 },
    { arbitrary: fc.constant(empty).map(() => []), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
  );
}

/** A string map, keys sorted as Go writes a map. */
const stringMap = fc
  .dictionary(zotNonEmptyString(6), zotString(8), { maxKeys: 3 })
  .map((m) =>
    Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  );

/** Options of {@linkcode zotMessage}. */
export interface ZotMessageOptions {
  /** Tool call arguments (default: any, including ones holding a time). */
  args?: fc.Arbitrary<unknown>;
}

/**
 * A message as zot writes one: user prompts (text, images), compaction
 * summaries, assistant replies (text, reasoning, tool calls), tool results;
 * `content` sometimes `null` or `[]`; an optional `meta` map.
 */
export function zotMessage(options: ZotMessageOptions = {}): fc.Arbitrary<ZotMessage> {
  const call = toolCallBlockOf(options.args ?? toolArguments);
  const userBlock = fc.oneof({ arbitrary: textBlock, weight: 3 }, {
    arbitrary: imageBlock,
    weight: 1,
  });
  const assistantBlock = fc.oneof(
    { arbitrary: textBlock, weight: 2 },
    { arbitrary: reasoningBlock, weight: 1 },
    { arbitrary: call, weight: 2 },
  );
  const meta = fc.option(stringMap, { nil: undefined, freq: 4 });
  const user = fc.record({
    role: fc.constant("user"),
    content: contentOf(userBlock),
    time: zotTime,
    meta,
  });
  const compaction = fc.record({
    role: fc.constant("user"),
    content: zotString().map((text) => [{ text }]),
    time: zotTime,
    meta: fc.nat(99999).map((n) => ({ compaction: "true", tokens_before: String(n) })),
  });
  const assistant = fc.record({
    role: fc.constant("assistant"),
    content: contentOf(assistantBlock),
    time: zotTime,
    meta,
  });
  const tool = fc.record({
    role: fc.constant("tool"),
    content: contentOf(toolResultBlock),
    time: zotTime,
    meta,
  });
  return fc
    .oneof(
      { arbitrary: user, weight: 3 },
      { arbitrary: compaction, weight: 1 },
      { arbitrary: assistant, weight: 3 },
      { arbitrary: tool, weight: 2 },
    )
    .map((m) => {
      const out: ZotMessage = { role: m.role, content: m.content, time: m.time };
      if (m.meta !== undefined) out.meta = m.meta;
      return out;
    });
}

/** A usage row; token counts are integers, cost a float. */
export const zotUsage: fc.Arbitrary<ZotUsage> = fc.record({
  input_tokens: fc.nat(1_000_000),
  output_tokens: fc.nat(100_000),
  cache_read_tokens: fc.nat(1_000_000),
  cache_write_tokens: fc.nat(100_000),
  cost_usd: fc.oneof(
    fc.nat(10_000_000).map((n) => n / 1_000_000),
    fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true }),
  ),
});

/** A meta line's fields; `fork` adds `parent` and `fork_point`. */
export const zotMeta: fc.Arbitrary<ZotMeta> = fc
  .record({
    id: fc.uuid(),
    cwd: fc.constantFrom("/home/dev/project-a", "/tmp/ä b", "C:\\work\\x", ""),
    model: fc.constantFrom("claude-sonnet-4-5", "gpt-5", "claude-opus-4-1", ""),
    provider: fc.constantFrom("anthropic", "openai", ""),
    started: zotUtcTime,
    version: fc.constantFrom("0.1.58", "0.1.60"),
    title: fc.option(zotString(), { nil: undefined }),
    fork: fc.option(fc.tuple(fc.uuid(), fc.integer({ min: 1, max: 50 })), { nil: undefined }),
  })
  .map(({ fork, title, ...m }) => {
    const out: ZotMeta = { ...m };
    if (title) out.title = title;
    if (fork) [out.parent, out.fork_point] = fork;
    return out;
  });

/** One zot-shaped line of any type. */
export function zotLine(options: ZotMessageOptions = {}): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: zotMeta.map(zotMetaLine), weight: 1 },
    { arbitrary: zotMessage(options).map(zotMessageLine), weight: 4 },
    { arbitrary: fc.tuple(zotUsage, zotUsage).map(([u, c]) => zotUsageLine(u, c)), weight: 2 },
    { arbitrary: zotString().map(zotRenameLine), weight: 1 },
  );
}
