/**
 * What the transcript renderers share: a sink whose output the caller drains
 * between lines ({@linkcode BufferedSink}), so output streams, the words for
 * a turn's tokens and for damaged lines, and a message's date and time in a
 * zone, which the text, Markdown and HTML forms all print. The sinks:
 * lib/render/transcript_text.ts (text and Markdown), transcript_json.ts
 * (NDJSON), transcript_filter.ts (the filter in front of them), html.ts.
 *
 * @module
 */
import type { TranscriptSink } from "../transcript/sink.ts";
import { clockIn } from "../base/calendar.ts";
import { parseRfc3339 } from "../base/time.ts";
import { formatTokens } from "./format.ts";
import type { Usage } from "../base/counters.ts";

/** A sink whose output is taken in pieces. */
export interface BufferedSink extends TranscriptSink {
  /** Returns what was written since the last call, and forgets it. */
  take(): string;
  /**
   * Finishes what must be awaited before `take()` can give it (secrets being
   * looked for: lib/render/secret_sink.ts). A sink that has it holds output
   * back until it is called: take output with {@linkcode drain}.
   */
  settle?(): Promise<void>;
}

/**
 * What a sink has written since the last call, once settled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drain } from "./transcript.ts";
 * import { JsonSink } from "./transcript_json.ts";
 *
 * const sink = new JsonSink({ withData: false, terminal: false });
 * sink.rename("fix");
 * assert.equal(await drain(sink), '{"type":"rename","title":"fix"}\n');
 * ```
 */
export async function drain(sink: BufferedSink): Promise<string> {
  await sink.settle?.();
  return sink.take();
}

/**
 * A usage row's tokens as a turn's line shows them, zero counts left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenSummary } from "./transcript.ts";
 * const u = { inputTokens: 1200, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 };
 * assert.equal(tokenSummary(u), "1.20k in · 5 out");
 * ```
 */
export function tokenSummary(u: Usage): string {
  const parts = [
    [u.inputTokens, "in"],
    [u.outputTokens, "out"],
    [u.cacheReadTokens, "cache read"],
    [u.cacheWriteTokens, "cache write"],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${formatTokens(n as number)} ${what}`);
  return parts.length ? parts.join(" · ") : "no tokens";
}

/**
 * The marker for `count` damaged lines in a row, the first at `line` (null:
 * its number is unknown).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { skippedMarker } from "./transcript.ts";
 *
 * assert.equal(skippedMarker(5, "not valid JSON", 1), "[line 5 skipped: not valid JSON]");
 * assert.equal(
 *   skippedMarker(null, "not valid JSON", 1234567),
 *   "[1,234,567 lines skipped: not valid JSON]",
 * );
 * ```
 */
export function skippedMarker(line: number | null, reason: string, count: number): string {
  if (count === 1) return `[${line === null ? "a line" : `line ${line}`} skipped: ${reason}]`;
  const from = line === null ? "" : ` from line ${line}`;
  return `[${count.toLocaleString("en-US")} lines skipped${from}: ${reason}]`;
}

/**
 * The date and time of day of an RFC 3339 time in the zone; a time that is
 * not one is shown as written, with no date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { messageClock } from "./transcript.ts";
 *
 * assert.deepEqual(messageClock("not a time", "UTC"), { date: "", time: "not a time" });
 * assert.equal(messageClock("2026-11-01T09:05:00Z", "UTC").date, "2026-11-01");
 * ```
 */
export function messageClock(time: string, tz: string): { date: string; time: string } {
  const ms = parseRfc3339(time);
  return ms === null ? { date: "", time } : clockIn(ms, tz);
}
