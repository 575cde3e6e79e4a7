/**
 * What the transcript renderers share: a sink whose output the caller drains
 * between lines ({@linkcode BufferedSink}), so output streams, and the words
 * for a turn's tokens and for damaged lines, which the text, Markdown and
 * HTML forms all print. The sinks: lib/render/transcript_text.ts (text and
 * Markdown), transcript_json.ts (NDJSON), transcript_filter.ts (the filter in
 * front of them), html.ts.
 *
 * @module
 */
import type { TranscriptSink } from "../transcript/sink.ts";
import { formatTokens } from "./format.ts";
import type { Usage } from "../base/counters.ts";

/** A sink whose output is taken in pieces. */
export interface BufferedSink extends TranscriptSink {
  /** Returns what was written since the last call, and forgets it. */
  take(): string;
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
