/**
 * Spend event rows as NDJSON (one object per line, the columns as keys, in
 * order) or as CSV (a header, then one line per event): what DuckDB's
 * `read_json_auto`/`read_csv_auto` and ClickHouse's `JSONEachRow`/
 * `CSVWithNames` read as they are.
 *
 * @module
 */
import { EVENT_COLUMNS, type EventRow } from "../cost/events.ts";
import { csvText, csvUsd } from "./csv.ts";
import { jsonForTerminal } from "./sanitize.ts";

/** An output form of events. */
export type EventForm = "ndjson" | "csv";

/**
 * One event as an NDJSON line (with its newline). On a terminal, C1 and
 * bidi controls from the transcript are escaped (the JSON means the same).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ndjsonLine } from "./events.ts";
 * const line = ndjsonLine({ eventId: "a:1", costUsd: 0.5 } as never, false);
 * assert.equal(line, '{"eventId":"a:1","costUsd":0.5}\n');
 * ```
 */
export function ndjsonLine(row: EventRow, terminal: boolean): string {
  return jsonForTerminal(JSON.stringify(row), terminal) + "\n";
}

/** The CSV header line (with its newline). */
export function csvHeader(): string {
  return EVENT_COLUMNS.join(",") + "\n";
}

/**
 * One event as a CSV line (with its newline): text cells by
 * {@linkcode csvText} (RFC 4180 quoting, a `'` before a formula's first
 * character, controls shown harmlessly on a terminal), null as an empty
 * cell, numbers as they are, dollars as a plain decimal (never `5e-7`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { csvLine } from "./events.ts";
 * const row = {
 *   eventId: "a:1", time: "2026-11-01T09:30:00.000Z", host: "h", home: null, sessionId: "a",
 *   parent: null, cwd: "/p,q", model: "m", provider: "p", inputTokens: 1, outputTokens: 2,
 *   cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 5e-7, unpricedTokens: 0,
 * };
 * assert.equal(csvLine(row, false), 'a:1,2026-11-01T09:30:00.000Z,h,,a,,"/p,q",m,p,1,2,0,0,0.0000005,0\n');
 * ```
 */
export function csvLine(row: EventRow, terminal: boolean): string {
  return EVENT_COLUMNS.map((c) => {
    const v = row[c];
    if (v === null) return "";
    if (typeof v === "number") return c === "costUsd" ? csvUsd(v) : String(v);
    return csvText(v, terminal);
  }).join(",") + "\n";
}

/**
 * The text of events in batches of lines (a CSV header first), so that a
 * large export is written as it goes, not built as one string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventText } from "./events.ts";
 * assert.deepEqual([...eventText([], "csv", false)], [
 *   "eventId,time,host,home,sessionId,parent,cwd,model,provider,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,costUsd,unpricedTokens\n",
 * ]);
 * ```
 */
export function* eventText(
  rows: EventRow[],
  form: EventForm,
  terminal: boolean,
  batch = 1000,
): Generator<string> {
  let text = form === "csv" ? csvHeader() : "";
  let n = 0;
  for (const row of rows) {
    text += form === "csv" ? csvLine(row, terminal) : ndjsonLine(row, terminal);
    if (++n % batch === 0) {
      yield text;
      text = "";
    }
  }
  if (text) yield text;
}
