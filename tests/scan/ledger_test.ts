/**
 * Tests of lib/ledger.ts: FORMAT.md's "Usage and cost" and "Forks" rules as
 * spend events. Every expectation below was computed by hand (see the
 * comments) from the lines of the fixture; nothing is derived from the code
 * under test. Each fixture is read three ways — parsed lines, fast-path
 * message readings, and `readLedger` on a real file — and all three must
 * agree.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { scanFile } from "../../lib/scan/session_scan.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LedgerBuilder, type LedgerInfo, type SpendEvent } from "../../lib/scan/ledger.ts";
import type { Line } from "../../lib/format/line_shape.ts";
import { readLine } from "../../lib/scan/line_reading.ts";
import {
  goJson,
  messageLine,
  metaLine,
  REALISTIC_USAGE,
  renameLine,
  turns,
  usageLine,
} from "../helpers/fixtures.ts";
import {
  addSpend,
  cumulativeDelta,
  isZeroSpend,
  type Spend,
  toSpend,
  zeroSpend,
} from "../../lib/base/counters.ts";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** A spend: tokens, then the cost in nanodollars (0.25 $ = 250_000_000). */
function sp(
  input: number,
  output: number,
  cacheRead: number,
  cacheWrite: number,
  costNanos: number,
): Spend {
  return {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    costNanos,
  };
}

const ZERO = sp(0, 0, 0, 0, 0);

/** A spend event without its ordinal (checked on its own, in `ordinals`). */
type Event = Omit<SpendEvent, "ordinal">;

/** A spend event, its time given as an ISO text written in the test. */
function ev(time: string, model: string, provider: string, spend: Spend): Event {
  return { timeMs: Date.parse(time), model, provider, spend };
}

const encoder = new TextEncoder();

function lineOf(text: string, number: number, terminated = true): Line {
  const bytes = encoder.encode(text);
  return { number, offset: 0, length: bytes.length, bytes, truncated: false, terminated };
}

interface Ledger {
  events: Event[];
  /** Each event's ordinal, in the same order. */
  ordinals: number[];
  info: LedgerInfo;
}

/** A collector that keeps events apart from their ordinals. */
function collector() {
  const events: Event[] = [];
  const ordinals: number[] = [];
  const onSpend = ({ ordinal, ...e }: SpendEvent) => {
    events.push(e);
    ordinals.push(ordinal);
  };
  return { events, ordinals, onSpend };
}

/** Feeds lines to a LedgerBuilder; `fast` reads messages unparsed. */
function build(lines: string[], fast: boolean): Ledger {
  const { events, ordinals, onSpend } = collector();
  const b = new LedgerBuilder(onSpend);
  lines.forEach((l, i) => b.add(readLine(lineOf(l, i + 1), () => !fast), i + 1));
  return { events, ordinals, info: structuredClone(b.info) };
}

/** A session file's ledger alone (one scanFile), each spend event handed to `onSpend`. */
async function readLedger(
  path: string,
  onSpend: (event: SpendEvent, info: LedgerInfo) => void,
): Promise<LedgerInfo> {
  return (await scanFile(path, { onSpend })).ledger;
}

/** readLedger on a file holding `text`. */
async function readFileLedger(text: string): Promise<Ledger> {
  const dir = await mkdtemp(join(tmpdir(), "zot-ledger-"));
  try {
    const path = join(dir, "20260922-120509-aaaaaaaa.jsonl");
    await writeFile(path, text);
    const { events, ordinals, onSpend } = collector();
    const info = await readLedger(path, onSpend);
    return { events, ordinals, info };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The ledger of `lines`, checked to be the same by all three ways of reading. */
async function ledger(lines: string[]): Promise<Ledger> {
  const parsed = build(lines, false);
  assert.deepEqual(build(lines, true), parsed, "fast-path message readings differ");
  const file = await readFileLedger(lines.map((l) => l + "\n").join(""));
  assert.deepEqual(file, parsed, "readLedger on a file differs");
  return parsed;
}

const ID_P = "aaaaaaaa-0000-4000-8000-000000000001";
const ID_F = "bbbbbbbb-0000-4000-8000-000000000002";
const ID_G = "cccccccc-0000-4000-8000-000000000003";
const ID_H = "dddddddd-0000-4000-8000-000000000004";
const CWD = "/home/dev/ledger";
const SONNET = "claude-sonnet-4-5";
const ANTHROPIC = "anthropic";
const STARTED = "2026-09-22T12:05:09.776051448Z";

// ---------------------------------------------------------------------------
// cumulativeDelta and friends
// ---------------------------------------------------------------------------

describe("cumulativeDelta", () => {
  it("is the field-wise increase when nothing went down", () => {
    // 30-10, 8-5, 100-0, 2-0, 0.75-0.25 $
    assert.deepEqual(
      cumulativeDelta(sp(10, 5, 0, 0, 250_000_000), sp(30, 8, 100, 2, 750_000_000)),
      sp(20, 3, 100, 2, 500_000_000),
    );
  });

  it("is the new cumulative itself when any one field went down (counter restart)", () => {
    // cache read 100 → 50: a restart, though every other field grew.
    assert.deepEqual(
      cumulativeDelta(sp(10, 5, 100, 0, 500_000_000), sp(12, 6, 50, 0, 600_000_000)),
      sp(12, 6, 50, 0, 600_000_000),
    );
    // Only the cost went down.
    assert.deepEqual(
      cumulativeDelta(sp(10, 5, 0, 0, 500_000_000), sp(40, 9, 0, 0, 250_000_000)),
      sp(40, 9, 0, 0, 250_000_000),
    );
    // Only the cache-write tokens went down.
    assert.deepEqual(
      cumulativeDelta(sp(1, 1, 1, 7, 1), sp(2, 2, 2, 6, 2)),
      sp(2, 2, 2, 6, 2),
    );
  });

  it("gives a fresh object for a restart, not the caller's", () => {
    const next = sp(1, 0, 0, 0, 0);
    const d = cumulativeDelta(sp(5, 0, 0, 0, 0), next);
    assert.deepEqual(d, next);
    assert.notEqual(d, next);
  });

  it("is zero for identical rows, and isZeroSpend says so", () => {
    const row = sp(300, 30, 1000, 10, 750_000_000);
    const d = cumulativeDelta(row, { ...row });
    assert.deepEqual(d, ZERO);
    assert.equal(isZeroSpend(d), true);
    assert.equal(isZeroSpend(sp(0, 0, 0, 0, 1)), false);
    assert.equal(isZeroSpend(sp(0, 0, 0, 1, 0)), false);
  });

  it("toSpend rounds the float cost to whole nanodollars", () => {
    // 0.1 + 0.2 = 0.30000000000000004 in floats → 300 000 000 nanodollars.
    assert.deepEqual(
      toSpend({
        inputTokens: 1,
        outputTokens: 2,
        cacheReadTokens: 3,
        cacheWriteTokens: 4,
        costUsd: 0.1 + 0.2,
      }),
      sp(1, 2, 3, 4, 300_000_000),
    );
  });

  it("addSpend adds every field in place", () => {
    const a = sp(1, 2, 3, 4, 5);
    addSpend(a, sp(10, 20, 30, 40, 50));
    assert.deepEqual(a, sp(11, 22, 33, 44, 55));
    assert.deepEqual(zeroSpend(), ZERO);
  });
});

// ---------------------------------------------------------------------------
// Sessions, one case each
// ---------------------------------------------------------------------------

describe("LedgerBuilder and readLedger", () => {
  it("plain session: one event per usage increase, at the time of the message before it", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD, started: STARTED }),
      messageLine("user", "q1", "2026-09-22T14:05:30.382143679+02:00"), // 12:05:30.382Z
      usageLine({ input_tokens: 100, output_tokens: 20, cost_usd: 0.25 }),
      messageLine("assistant", "a1", "2026-09-22T14:06:00+02:00"),
      messageLine("user", "q2", "2026-09-22T14:10:00.5+02:00"), // 12:10:00.500Z
      usageLine({
        input_tokens: 250,
        output_tokens: 50,
        cache_read_tokens: 1000,
        cache_write_tokens: 10,
        cost_usd: 0.75,
      }),
      messageLine("assistant", "a2", "2026-09-22T14:10:30+02:00"),
    ];
    const { events, info } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T12:05:30.382Z", SONNET, ANTHROPIC, sp(100, 20, 0, 0, 250_000_000)),
      // 250-100, 50-20, 1000-0, 10-0, 0.75-0.25
      ev("2026-09-22T12:10:00.500Z", SONNET, ANTHROPIC, sp(150, 30, 1000, 10, 500_000_000)),
    ]);
    assert.deepEqual(info.recorded, sp(250, 50, 1000, 10, 750_000_000));
    assert.deepEqual(info.own, sp(250, 50, 1000, 10, 750_000_000));
    assert.deepEqual(info.inherited, ZERO);
    assert.equal(info.meta?.id, ID_P);
    assert.equal(info.damagedLines, 0);
    assert.equal(info.firstDamage, null);
  });

  it("resumed session: repeated usage rows (flush, resume) add nothing", async () => {
    const a = { input_tokens: 100, output_tokens: 10, cost_usd: 0.25 };
    const b = { input_tokens: 160, output_tokens: 20, cost_usd: 0.5 };
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      usageLine(a),
      messageLine("assistant", "a1", "2026-09-22T10:00:10Z"),
      usageLine(a), // flushed again on exit
      usageLine(a), // seeded again on resume
      messageLine("user", "q2", "2026-09-23T08:00:00Z"),
      usageLine(a), // flushed before the call
      usageLine(b),
      messageLine("assistant", "a2", "2026-09-23T08:00:10Z"),
      usageLine(b),
      usageLine(b),
    ];
    const { events, info } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T10:00:00Z", SONNET, ANTHROPIC, sp(100, 10, 0, 0, 250_000_000)),
      // 160-100, 20-10, 0.5-0.25
      ev("2026-09-23T08:00:00Z", SONNET, ANTHROPIC, sp(60, 10, 0, 0, 250_000_000)),
    ]);
    assert.deepEqual(info.own, sp(160, 20, 0, 0, 500_000_000));
    assert.deepEqual(info.recorded, sp(160, 20, 0, 0, 500_000_000));
  });

  it("old-style session: per-turn `usage` is ignored, only `cumulative` counts", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: 0.25 }, {
        input_tokens: 100,
        output_tokens: 10,
        cost_usd: 0.25,
      }),
      messageLine("assistant", "a1", "2026-09-22T10:00:10Z"),
      messageLine("user", "q2", "2026-09-22T10:01:00Z"),
      // per-call usage smaller than the last one: not a restart, cumulative grew
      usageLine({ input_tokens: 150, output_tokens: 15, cost_usd: 0.375 }, {
        input_tokens: 50,
        output_tokens: 5,
        cost_usd: 0.125,
      }),
      messageLine("assistant", "a2", "2026-09-22T10:01:10Z"),
      messageLine("user", "q3", "2026-09-22T10:02:00Z"),
      // a bogus per-call row: $2 claimed, cumulative grew by $0.125
      usageLine({ input_tokens: 200, output_tokens: 20, cost_usd: 0.5 }, {
        input_tokens: 400,
        output_tokens: 40,
        cost_usd: 2,
      }),
      messageLine("assistant", "a3", "2026-09-22T10:02:10Z"),
    ];
    const { events, info } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T10:00:00Z", SONNET, ANTHROPIC, sp(100, 10, 0, 0, 250_000_000)),
      ev("2026-09-22T10:01:00Z", SONNET, ANTHROPIC, sp(50, 5, 0, 0, 125_000_000)),
      ev("2026-09-22T10:02:00Z", SONNET, ANTHROPIC, sp(50, 5, 0, 0, 125_000_000)),
    ]);
    // 0.25 + 0.125 + 0.125 = 0.5, not 0.25 + 0.125 + 2
    assert.deepEqual(info.own, sp(200, 20, 0, 0, 500_000_000));
    assert.deepEqual(info.recorded, sp(200, 20, 0, 0, 500_000_000));
  });

  it("counter restart: the row after a decrease counts in full", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      usageLine({ input_tokens: 100, output_tokens: 10, cache_read_tokens: 50, cost_usd: 0.5 }),
      messageLine("assistant", "a1", "2026-09-22T10:00:10Z"),
      messageLine("user", "q2", "2026-09-22T11:00:00Z"),
      // everything went down: restart, counts {30,5,0,0,0.25}
      usageLine({ input_tokens: 30, output_tokens: 5, cost_usd: 0.25 }),
      messageLine("assistant", "a2", "2026-09-22T11:00:10Z"),
      messageLine("user", "q3", "2026-09-22T12:00:00Z"),
      // grows again: {40-30, 9-5, 0, 0, 0.5-0.25}
      usageLine({ input_tokens: 40, output_tokens: 9, cost_usd: 0.5 }),
      messageLine("assistant", "a3", "2026-09-22T12:00:10Z"),
      messageLine("user", "q4", "2026-09-22T13:00:00Z"),
      // tokens grew but the cost went down 0.5 → 0.25: a restart, counts in full
      usageLine({ input_tokens: 60, output_tokens: 12, cache_read_tokens: 20, cost_usd: 0.25 }),
      messageLine("assistant", "a4", "2026-09-22T13:00:10Z"),
    ];
    const { events, info } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T10:00:00Z", SONNET, ANTHROPIC, sp(100, 10, 50, 0, 500_000_000)),
      ev("2026-09-22T11:00:00Z", SONNET, ANTHROPIC, sp(30, 5, 0, 0, 250_000_000)),
      ev("2026-09-22T12:00:00Z", SONNET, ANTHROPIC, sp(10, 4, 0, 0, 250_000_000)),
      ev("2026-09-22T13:00:00Z", SONNET, ANTHROPIC, sp(60, 12, 20, 0, 250_000_000)),
    ]);
    // 100+30+10+60, 10+5+4+12, 50+20, 0.5+0.25+0.25+0.25
    assert.deepEqual(info.own, sp(200, 31, 70, 0, 1_250_000_000));
    // what zot shows: the last cumulative, less than what was spent
    assert.deepEqual(info.recorded, sp(60, 12, 20, 0, 250_000_000));
  });

  it("model switch: each increase goes to the model and provider of the latest meta line", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD, model: SONNET, provider: ANTHROPIC }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      usageLine({ input_tokens: 100, cost_usd: 0.25 }),
      messageLine("assistant", "a1", "2026-09-22T10:00:10Z"),
      metaLine({ id: ID_P, cwd: CWD, model: "gpt-5", provider: "openai" }),
      // a usage line right after the switch, before any new message:
      // gpt-5's, at the time of the assistant message before it
      usageLine({ input_tokens: 300, cost_usd: 0.75 }),
      messageLine("assistant", "a2", "2026-09-22T10:01:00Z"),
      metaLine({ id: ID_P, cwd: CWD, model: "claude-opus-4-1", provider: ANTHROPIC }),
      messageLine("user", "q3", "2026-09-22T10:02:00Z"),
      usageLine({ input_tokens: 400, cost_usd: 1 }),
      messageLine("assistant", "a3", "2026-09-22T10:02:10Z"),
    ];
    const { events, info } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T10:00:00Z", SONNET, ANTHROPIC, sp(100, 0, 0, 0, 250_000_000)),
      ev("2026-09-22T10:00:10Z", "gpt-5", "openai", sp(200, 0, 0, 0, 500_000_000)),
      ev("2026-09-22T10:02:00Z", "claude-opus-4-1", ANTHROPIC, sp(100, 0, 0, 0, 250_000_000)),
    ]);
    // info.meta is the first meta line: identity, not the current model
    assert.equal(info.meta?.model, SONNET);
    assert.deepEqual(info.own, sp(400, 0, 0, 0, 1_000_000_000));
  });

  it("a usage line before any message takes the session's started time", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD, started: "2026-09-22T12:05:09.776051448Z" }),
      usageLine({ input_tokens: 10, cost_usd: 0.25 }),
      messageLine("user", "q1", "2026-09-22T13:00:00Z"),
      usageLine({ input_tokens: 30, cost_usd: 0.5 }),
      messageLine("assistant", "a1", "2026-09-22T13:00:10Z"),
    ];
    const { events } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T12:05:09.776Z", SONNET, ANTHROPIC, sp(10, 0, 0, 0, 250_000_000)),
      ev("2026-09-22T13:00:00Z", SONNET, ANTHROPIC, sp(20, 0, 0, 0, 250_000_000)),
    ]);
  });

  it("times are instants: the latest message line in file order wins, whatever its offset", async () => {
    // Europe/Berlin's fall-back night: the second message's wall clock reads
    // earlier (02:10 < 02:50) but it is the later instant and the latest line.
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "q1", "2026-10-25T02:50:00+02:00"), // 00:50Z
      messageLine("assistant", "a1", "2026-10-25T02:10:00+01:00"), // 01:10Z
      usageLine({ input_tokens: 5, cost_usd: 0.25 }),
    ];
    const { events } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-10-25T01:10:00Z", SONNET, ANTHROPIC, sp(5, 0, 0, 0, 250_000_000)),
    ]);
  });

  it("the latest message line wins even when its clock reads earlier than the one before", async () => {
    // A clock set back between two lines: file order decides, not the larger time.
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      messageLine("assistant", "a1", "2026-09-22T09:00:00Z"),
      usageLine({ input_tokens: 5, cost_usd: 0.25 }),
    ];
    const { events } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T09:00:00Z", SONNET, ANTHROPIC, sp(5, 0, 0, 0, 250_000_000)),
    ]);
  });

  it("a message with an unreadable time keeps the previous message's time", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      messageLine("assistant", "a1", "yesterday at noon"),
      usageLine({ input_tokens: 5, cost_usd: 0.5 }),
    ];
    const { events } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T10:00:00Z", SONNET, ANTHROPIC, sp(5, 0, 0, 0, 500_000_000)),
    ]);
  });

  it("a session with no usage rows has no events and costs 0", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "hello", "2026-09-22T10:00:00Z"),
      messageLine("assistant", null, "2026-09-22T10:00:10Z"),
      renameLine("no spend"),
    ];
    const { events, info } = await ledger(lines);
    assert.deepEqual(events, []);
    assert.deepEqual(info.recorded, ZERO);
    assert.deepEqual(info.own, ZERO);
    assert.deepEqual(info.inherited, ZERO);
    const metaOnly = await ledger([metaLine({ id: ID_P, cwd: CWD })]);
    assert.deepEqual(metaOnly.events, []);
    assert.deepEqual(metaOnly.info.own, ZERO);
    assert.equal(metaOnly.info.meta?.id, ID_P);
  });

  it("realistic float costs: events are exact in nanodollars and the total right to the cent", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      ...turns("2026-09-22T10:00:00Z", REALISTIC_USAGE),
    ];
    const { events, info } = await ledger(lines);
    // 0.017244 $ = 17 244 000 n$; 0.041298 - 0.017244 = 0.024054 → 24 054 000;
    // 0.1037391 - 0.041298 = 0.0624411 → 62 441 100.
    assert.deepEqual(events.map((e) => e.spend), [
      sp(4210, 312, 0, 0, 17_244_000),
      sp(5660, 589, 4096, 0, 24_054_000),
      sp(11133, 1643, 8192, 777, 62_441_100),
    ]);
    assert.deepEqual(info.own, sp(21003, 2544, 12288, 777, 103_739_100));
    assert.equal((info.own.costNanos / 1e9).toFixed(2), "0.10");
  });

  it("damaged lines are counted, the first one kept, and no spend is lost past them", async () => {
    const lines = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      "this is not json", // line 3
      usageLine({ input_tokens: 100, cost_usd: 0.25 }),
      messageLine("assistant", "a1", "2026-09-22T10:00:10Z"),
      '{"type":"usage","usage":{"input_tokens":', // line 6: cut short, then written on
      goJson({ type: "compaction", note: "unknown type: skipped, not damage" }),
      messageLine("user", "q2", "2026-09-22T10:01:00Z"),
      usageLine({ input_tokens: 300, cost_usd: 0.75 }),
      messageLine("assistant", "a2", "2026-09-22T10:01:10Z"),
    ];
    const { events, info } = await ledger(lines);
    assert.deepEqual(events, [
      ev("2026-09-22T10:00:00Z", SONNET, ANTHROPIC, sp(100, 0, 0, 0, 250_000_000)),
      ev("2026-09-22T10:01:00Z", SONNET, ANTHROPIC, sp(200, 0, 0, 0, 500_000_000)),
    ]);
    assert.equal(info.damagedLines, 2);
    assert.deepEqual(info.firstDamage, { line: 3, reason: "not valid JSON" });

    // A truncated last line (a crash mid-write) is damage too.
    const text = lines.map((l) => l + "\n").join("") + '{"type":"usage","usa';
    const file = await readFileLedger(text);
    assert.equal(file.info.damagedLines, 3);
    assert.deepEqual(file.events, events);
    const b = new LedgerBuilder(() => {});
    b.add(readLine(lineOf('{"type":"usage","usa', 11, false)), 11);
    assert.deepEqual(b.info.firstDamage, { line: 11, reason: "truncated last line" });
  });
});

// ---------------------------------------------------------------------------
// Forks
// ---------------------------------------------------------------------------

// P: the root. Messages are numbered m1…; usage lines come before the reply.
const P_LINES = [
  metaLine({ id: ID_P, cwd: CWD, started: "2026-09-22T10:00:00Z" }),
  messageLine("user", "q1", "2026-09-22T10:00:00Z"), // m1
  usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: 0.25 }),
  messageLine(
    "assistant",
    [{ id: "call_1", name: "bash", arguments: { cmd: "ls" } }],
    "2026-09-22T10:00:05Z",
  ), // m2
  messageLine(
    "tool",
    [{ call_id: "call_1", content: [{ text: "a b" }], is_error: false }],
    "2026-09-22T10:00:06Z",
  ), // m3
  usageLine({ input_tokens: 300, output_tokens: 30, cost_usd: 0.75 }),
  messageLine("assistant", "done", "2026-09-22T10:00:10Z"), // m4
  renameLine("P title"),
  messageLine("user", "q2", "2026-09-22T10:05:00Z"), // m5
  usageLine({ input_tokens: 400, output_tokens: 40, cost_usd: 1 }),
  messageLine("assistant", "a2", "2026-09-22T10:05:10Z"), // m6
];

// F: fork of P at fork_point 5 (a user prompt). It copies m1…m5 and the usage
// lines between them (no rename); the usage line right after m5 is its own.
const F_LINES = [
  metaLine({ id: ID_F, cwd: CWD, started: "2026-09-23T08:00:00Z", parent: ID_P, fork_point: 5 }),
  P_LINES[1],
  P_LINES[2],
  P_LINES[3],
  P_LINES[4],
  P_LINES[5], // last inherited: {300, 30, 0.75}
  P_LINES[6],
  P_LINES[8], // m5, q2 at 10:05:00Z
  usageLine({ input_tokens: 450, output_tokens: 50, cost_usd: 1.5 }), // own
  messageLine("assistant", "fa6", "2026-09-23T08:00:10Z"), // m6
  messageLine("user", "f7", "2026-09-23T08:01:00Z"), // m7
  usageLine({ input_tokens: 500, output_tokens: 60, cost_usd: 1.75 }),
  messageLine("assistant", "fa8", "2026-09-23T08:01:10Z"), // m8
];

// G: fork of F (a fork of a fork) at fork_point 7, inside F's own part.
const G_LINES = [
  metaLine({ id: ID_G, cwd: CWD, started: "2026-09-24T08:00:00Z", parent: ID_F, fork_point: 7 }),
  ...F_LINES.slice(1, 11), // m1…m7 with the usage lines between; last inherited {450, 50, 1.5}
  usageLine({ input_tokens: 520, output_tokens: 65, cost_usd: 2 }), // own
  messageLine("assistant", "ga8", "2026-09-24T08:00:10Z"),
];

// H: fork of P at fork_point 4 (an assistant reply), with a usage line right
// before m4: that line was copied, so it is inherited.
const H_LINES = [
  metaLine({ id: ID_H, cwd: CWD, started: "2026-09-24T09:00:00Z", parent: ID_P, fork_point: 4 }),
  ...P_LINES.slice(1, 7), // m1…m4; last inherited {300, 30, 0.75}
  messageLine("user", "h5", "2026-09-24T09:00:00Z"),
  usageLine({ input_tokens: 350, output_tokens: 35, cost_usd: 1 }),
  messageLine("assistant", "ha6", "2026-09-24T09:00:10Z"),
];

describe("ordinals", () => {
  it("number each event by its usage line among all of the file's, inherited and repeated ones too", async () => {
    const lines = [
      metaLine({ id: ID_F, cwd: CWD, parent: ID_P, fork_point: 3 }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"), // m1
      usageLine({ input_tokens: 100, cost_usd: 0.25 }), // usage 1: inherited (1 < 3 messages)
      messageLine("assistant", "a1", "2026-09-22T10:00:10Z"), // m2
      messageLine("user", "q2", "2026-09-22T10:01:00Z"), // m3: the fork point
      usageLine({ input_tokens: 200, cost_usd: 0.5 }), // usage 2: own, an event
      usageLine({ input_tokens: 200, cost_usd: 0.5 }), // usage 3: repeated, no event
      messageLine("assistant", "a2", "2026-09-22T10:01:10Z"),
      messageLine("user", "q3", "2026-09-22T10:02:00Z"),
      usageLine({ input_tokens: 50, cost_usd: 0.125 }), // usage 4: a restart, an event
    ];
    const { events, ordinals } = await ledger(lines);
    assert.equal(events.length, 2);
    assert.deepEqual(ordinals, [2, 4]);
  });

  it("stay the same when the file grows", async () => {
    const head = [
      metaLine({ id: ID_P, cwd: CWD }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      usageLine({ input_tokens: 100, cost_usd: 0.25 }),
    ];
    const grown = [
      ...head,
      messageLine("user", "q2", "2026-09-22T10:01:00Z"),
      usageLine({ input_tokens: 300, cost_usd: 0.75 }),
    ];
    assert.deepEqual((await ledger(head)).ordinals, [1]);
    assert.deepEqual((await ledger(grown)).ordinals, [1, 2]);
  });
});

describe("forks", () => {
  it("the root's events are all its own", async () => {
    const { events, info } = await ledger(P_LINES);
    assert.deepEqual(events, [
      ev("2026-09-22T10:00:00Z", SONNET, ANTHROPIC, sp(100, 10, 0, 0, 250_000_000)),
      ev("2026-09-22T10:00:06Z", SONNET, ANTHROPIC, sp(200, 20, 0, 0, 500_000_000)),
      ev("2026-09-22T10:05:00Z", SONNET, ANTHROPIC, sp(100, 10, 0, 0, 250_000_000)),
    ]);
    assert.deepEqual(info.own, sp(400, 40, 0, 0, 1_000_000_000));
    assert.deepEqual(info.inherited, ZERO);
  });

  it("a fork at a user prompt: the usage line right after the fork point is its own", async () => {
    const { events, info } = await ledger(F_LINES);
    assert.deepEqual(events, [
      // {450-300, 50-30, 1.5-0.75}, at the copied prompt m5's time
      ev("2026-09-22T10:05:00Z", SONNET, ANTHROPIC, sp(150, 20, 0, 0, 750_000_000)),
      // {500-450, 60-50, 1.75-1.5}
      ev("2026-09-23T08:01:00Z", SONNET, ANTHROPIC, sp(50, 10, 0, 0, 250_000_000)),
    ]);
    assert.deepEqual(info.inherited, sp(300, 30, 0, 0, 750_000_000));
    assert.deepEqual(info.recorded, sp(500, 60, 0, 0, 1_750_000_000));
    assert.deepEqual(info.own, sp(200, 30, 0, 0, 1_000_000_000));
    assert.equal(info.meta?.parent, ID_P);
    assert.equal(info.meta?.forkPoint, 5);
  });

  it("a fork of a fork counts only what it added after its own fork point", async () => {
    const { events, info } = await ledger(G_LINES);
    assert.deepEqual(events, [
      // {520-450, 65-50, 2-1.5}, at the copied prompt m7's time
      ev("2026-09-23T08:01:00Z", SONNET, ANTHROPIC, sp(70, 15, 0, 0, 500_000_000)),
    ]);
    assert.deepEqual(info.inherited, sp(450, 50, 0, 0, 1_500_000_000));
    assert.deepEqual(info.recorded, sp(520, 65, 0, 0, 2_000_000_000));
    assert.deepEqual(info.own, sp(70, 15, 0, 0, 500_000_000));
  });

  it("a fork at an assistant reply: the usage line just before that reply is inherited", async () => {
    const { events, info } = await ledger(H_LINES);
    assert.deepEqual(events, [
      ev("2026-09-24T09:00:00Z", SONNET, ANTHROPIC, sp(50, 5, 0, 0, 250_000_000)),
    ]);
    assert.deepEqual(info.inherited, sp(300, 30, 0, 0, 750_000_000));
    assert.deepEqual(info.own, sp(50, 5, 0, 0, 250_000_000));
  });

  it("root, fork, fork of a fork and a sibling fork sum to each dollar once", async () => {
    const owns = await Promise.all([P_LINES, F_LINES, G_LINES, H_LINES].map(async (l) => {
      return (await ledger(l)).info.own;
    }));
    const sum = zeroSpend();
    for (const o of owns) addSpend(sum, o);
    // P 1.0 + F 1.0 + G 0.5 + H 0.25; tokens 400+200+70+50, 40+30+15+5
    assert.deepEqual(sum, sp(720, 90, 0, 0, 2_750_000_000));
    // whereas the recorded totals would count the copies again: 1 + 1.75 + 2 + 1
  });

  it("a fork's own spend does not depend on its parent's file: it is read alone", async () => {
    // Same lines read with nothing else around: what a missing parent means.
    const alone = await readFileLedger(G_LINES.map((l) => l + "\n").join(""));
    assert.deepEqual(alone.info.own, sp(70, 15, 0, 0, 500_000_000));
  });

  it("a fork with fewer messages than its fork point has only inherited spend", async () => {
    const lines = [
      metaLine({ id: ID_F, cwd: CWD, parent: ID_P, fork_point: 3 }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"),
      usageLine({ input_tokens: 100, cost_usd: 0.25 }),
      messageLine("assistant", "a1", "2026-09-22T10:00:10Z"),
    ];
    const { events, info } = await ledger(lines);
    assert.deepEqual(events, []);
    assert.deepEqual(info.inherited, sp(100, 0, 0, 0, 250_000_000));
    assert.deepEqual(info.recorded, sp(100, 0, 0, 0, 250_000_000));
    assert.deepEqual(info.own, ZERO);
  });

  it("a fork whose counter restarted after the fork point counts the new row in full", async () => {
    const lines = [
      metaLine({ id: ID_F, cwd: CWD, parent: ID_P, fork_point: 1 }),
      messageLine("user", "q1", "2026-09-22T10:00:00Z"), // m1, copied
      usageLine({ input_tokens: 100, cost_usd: 0.75 }), // own: after m1
      messageLine("assistant", "a1", "2026-09-22T10:00:10Z"),
      messageLine("user", "q2", "2026-09-22T11:00:00Z"),
      usageLine({ input_tokens: 20, cost_usd: 0.25 }), // restart
      messageLine("assistant", "a2", "2026-09-22T11:00:10Z"),
    ];
    const { info } = await ledger(lines);
    assert.deepEqual(info.inherited, ZERO);
    // 0.75 + 0.25 (the restart counts in full)
    assert.deepEqual(info.own, sp(120, 0, 0, 0, 1_000_000_000));
  });
});

// ---------------------------------------------------------------------------
// Properties: random sessions against a reference model of the rules
// ---------------------------------------------------------------------------

type Op =
  | { kind: "msg"; minutes: number }
  | { kind: "usage"; inc: [number, number, number, number, number] }
  | { kind: "restart"; keep: number }
  | { kind: "model"; model: string };

const inc = fc.tuple(
  fc.nat(2000),
  fc.nat(500),
  fc.nat(5000),
  fc.nat(300),
  fc.nat(300_000), // micro-dollars
) as fc.Arbitrary<[number, number, number, number, number]>;

const op = (restarts: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.nat(600).map((minutes) => ({ kind: "msg" as const, minutes })) },
    { weight: 3, arbitrary: inc.map((i) => ({ kind: "usage" as const, inc: i })) },
    // all zeros: a repeated row
    {
      weight: 1,
      arbitrary: fc.constant({
        kind: "usage" as const,
        inc: [0, 0, 0, 0, 0] as [
          number,
          number,
          number,
          number,
          number,
        ],
      }),
    },
    {
      weight: restarts ? 1 : 0,
      arbitrary: fc.double({ min: 0, max: 0.99, noNaN: true }).map((keep) => ({
        kind: "restart" as const,
        keep,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("m-a", "m-b", "m-c").map((model) => ({
        kind: "model" as const,
        model,
      })),
    },
  );

const START_MS = Date.parse("2026-10-31T20:00:00Z");

interface Generated {
  lines: string[];
  expected: Array<{ timeMs: number; model: string; spend: Spend }>;
  /** cumulative micro-dollars etc. of the last inherited row */
  inherited: Spend;
  recorded: Spend;
  /** Restart rows written. */
  restarts: number;
}

/**
 * Writes the ops as a session and computes, independently of lib/ledger.ts,
 * the events the rules call for. Costs are integer micro-dollars in the
 * reference; the file holds their float running sum as zot writes it.
 */
function generate(ops: Op[], forkPoint: number): Generated {
  const lines = [
    metaLine({
      id: ID_F,
      cwd: CWD,
      model: "m-a",
      provider: "p",
      started: new Date(START_MS).toISOString(),
      ...(forkPoint > 0 ? { parent: ID_P, fork_point: forkPoint } : {}),
    }),
  ];
  let cum = [0, 0, 0, 0, 0]; // tokens…, micro-dollars
  let costFloat = 0;
  let model = "m-a";
  let timeMs = START_MS;
  let messages = 0;
  let recorded = ZERO;
  let inherited = ZERO;
  let restarts = 0;
  const expected: Generated["expected"] = [];
  const toSp = (c: number[]) => sp(c[0], c[1], c[2], c[3], c[4] * 1000);
  for (const o of ops) {
    if (o.kind === "msg") {
      timeMs += o.minutes * 60_000;
      messages++;
      lines.push(
        messageLine(messages % 2 ? "user" : "assistant", "x", new Date(timeMs).toISOString()),
      );
      continue;
    }
    if (o.kind === "model") {
      model = o.model;
      lines.push(metaLine({ id: ID_F, cwd: CWD, model, provider: "p" }));
      continue;
    }
    let delta: number[];
    if (o.kind === "usage") {
      delta = o.inc;
      cum = cum.map((c, i) => c + o.inc[i]);
      costFloat += o.inc[4] / 1e6;
    } else {
      if (cum[4] === 0) continue; // nothing to restart from
      // the cost goes down strictly; tokens are cut by the same factor
      cum = cum.map((c) => Math.floor(c * o.keep));
      costFloat = cum[4] / 1e6;
      delta = cum;
      restarts++;
    }
    lines.push(usageLine({
      input_tokens: cum[0],
      output_tokens: cum[1],
      cache_read_tokens: cum[2],
      cache_write_tokens: cum[3],
      cost_usd: costFloat,
    }));
    recorded = toSp(cum);
    if (forkPoint > 0 && messages < forkPoint) {
      inherited = toSp(cum);
      continue;
    }
    if (delta.every((d) => d === 0)) continue;
    expected.push({ timeMs, model, spend: toSp(delta) });
  }
  return { lines, expected, inherited, recorded, restarts };
}

describe("ledger properties", () => {
  it("without restarts, the events sum to the final cumulative minus the last inherited one", () => {
    fc.assert(
      fc.property(
        fc.array(op(false), { maxLength: 30, size: "max" }),
        fc.nat(8),
        (ops, forkPoint) => {
          const g = generate(ops, forkPoint);
          const { events, info } = build(g.lines, true);
          const sum = zeroSpend();
          for (const e of events) addSpend(sum, e.spend);
          const diff = sp(
            g.recorded.inputTokens - g.inherited.inputTokens,
            g.recorded.outputTokens - g.inherited.outputTokens,
            g.recorded.cacheReadTokens - g.inherited.cacheReadTokens,
            g.recorded.cacheWriteTokens - g.inherited.cacheWriteTokens,
            g.recorded.costNanos - g.inherited.costNanos,
          );
          assert.deepEqual(sum, diff);
          assert.deepEqual(info.own, diff);
          assert.deepEqual(info.recorded, g.recorded);
          assert.deepEqual(info.inherited, g.inherited);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("with restarts, model switches and forks, each event matches the reference model", () => {
    let restarted = 0;
    let forked = 0;
    let switched = 0;
    fc.assert(
      fc.property(
        fc.array(op(true), { maxLength: 30, size: "max" }),
        fc.nat(8),
        (ops, forkPoint) => {
          const g = generate(ops, forkPoint);
          if (g.restarts > 0 && g.expected.length > 1) restarted++;
          if (!isZeroSpend(g.inherited) && g.expected.length > 0) forked++;
          if (new Set(g.expected.map((e) => e.model)).size > 1) switched++;
          for (const fast of [false, true]) {
            const { events, info } = build(g.lines, fast);
            assert.deepEqual(
              events.map((e) => ({ timeMs: e.timeMs, model: e.model, spend: e.spend })),
              g.expected,
            );
            const sum = zeroSpend();
            for (const e of g.expected) addSpend(sum, e.spend);
            assert.deepEqual(info.own, sum);
            assert.deepEqual(info.recorded, g.recorded);
            assert.deepEqual(info.inherited, g.inherited);
            assert.ok(events.every((e) => e.provider === "p"));
          }
        },
      ),
      { numRuns: 300 },
    );
    // The property must meet the cases it is about, not only empty sessions.
    assert.ok(restarted > 20, `only ${restarted} runs with a restart`);
    assert.ok(forked > 20, `only ${forked} runs of a fork with spend on both sides`);
    assert.ok(switched > 20, `only ${switched} runs with a model switch`);
  });

  it("readLedger on a file agrees with the reference model", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op(true), { maxLength: 20, size: "max" }),
        fc.nat(6),
        async (ops, forkPoint) => {
          const g = generate(ops, forkPoint);
          const { events, info } = await readFileLedger(g.lines.map((l) => l + "\n").join(""));
          assert.deepEqual(
            events.map((e) => ({ timeMs: e.timeMs, model: e.model, spend: e.spend })),
            g.expected,
          );
          assert.deepEqual(info.recorded, g.recorded);
        },
      ),
      { numRuns: 40 },
    );
  });
});
