/**
 * The events column of the index's files table: a file's spend events
 * stored as columns, one JSON array per field, with model and provider
 * names numbered in a table. Parsing arrays of numbers is several times
 * faster than arrays of objects.
 *
 * @module
 */
import type { SpendEvent } from "../scan/ledger.ts";
import { RowDamagedError, rowSum } from "./checksum.ts";

/**
 * Spend events in columns: one JSON array per field, strings (model,
 * provider) numbered in a table. Parsing arrays of numbers is several
 * times faster than arrays of objects.
 */
interface EventColumns {
  names: string[];
  t: number[];
  m: number[];
  p: number[];
  c: number[]; // 5 per event: in, out, cache read, cache write, nanos
  o: number[];
}

/**
 * The text of the events column for `events` ({@linkcode decodeEvents}
 * reads it back).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeEvents, encodeEvents } from "./event_columns.ts";
 *
 * const spend = {
 *   inputTokens: 10,
 *   outputTokens: 2,
 *   cacheReadTokens: 0,
 *   cacheWriteTokens: 0,
 *   costNanos: 300,
 * };
 * const events = [
 *   { timeMs: 1000, model: "m", provider: "p", spend, ordinal: 0 },
 *   { timeMs: 2000, model: "m", provider: "p", spend, ordinal: 1 },
 * ];
 * const text = encodeEvents(events);
 * assert.deepEqual(JSON.parse(text).names, ["m", "p"]);
 * assert.deepEqual(decodeEvents(text), events);
 * ```
 */
export function encodeEvents(events: SpendEvent[]): string {
  const names: string[] = [];
  const index = new Map<string, number>();
  const id = (s: string) => {
    let i = index.get(s);
    if (i === undefined) index.set(s, i = names.push(s) - 1);
    return i;
  };
  const cols: EventColumns = { names, t: [], m: [], p: [], c: [], o: [] };
  for (const e of events) {
    cols.t.push(e.timeMs);
    cols.m.push(id(e.model));
    cols.p.push(id(e.provider));
    const s = e.spend;
    cols.c.push(s.inputTokens, s.outputTokens, s.cacheReadTokens, s.cacheWriteTokens, s.costNanos);
    cols.o.push(e.ordinal);
  }
  return JSON.stringify(cols);
}

/**
 * The spend events of an events column's text ({@linkcode encodeEvents}),
 * in file order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeEvents, encodeEvents } from "./event_columns.ts";
 *
 * const text = JSON.stringify({
 *   names: ["claude", "anthropic"],
 *   t: [5000],
 *   m: [0],
 *   p: [1],
 *   c: [1, 2, 3, 4, 5],
 *   o: [7],
 * });
 * const [e] = decodeEvents(text);
 * assert.equal(e.model, "claude");
 * assert.equal(e.provider, "anthropic");
 * assert.equal(e.spend.cacheWriteTokens, 4);
 * assert.equal(e.ordinal, 7);
 * assert.deepEqual(decodeEvents(encodeEvents([])), []);
 * ```
 */
export function decodeEvents(text: string): SpendEvent[] {
  const cols = JSON.parse(text) as EventColumns;
  const out: SpendEvent[] = new Array(cols.t.length);
  for (let i = 0; i < cols.t.length; i++) {
    const c = cols.c;
    out[i] = {
      timeMs: cols.t[i],
      model: cols.names[cols.m[i]],
      provider: cols.names[cols.p[i]],
      spend: {
        inputTokens: c[5 * i],
        outputTokens: c[5 * i + 1],
        cacheReadTokens: c[5 * i + 2],
        cacheWriteTokens: c[5 * i + 3],
        costNanos: c[5 * i + 4],
      },
      ordinal: cols.o[i],
    };
  }
  return out;
}

/**
 * The spend events of a row's events column, checked against their sum:
 * throws {@linkcode RowDamagedError} (naming `path`) when they fail it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowSum } from "./checksum.ts";
 * import { checkedEvents, encodeEvents } from "./event_columns.ts";
 *
 * const text = encodeEvents([]);
 * assert.deepEqual(checkedEvents("/s.jsonl", text, rowSum([text])), []);
 * assert.throws(() => checkedEvents("/s.jsonl", text, "other"), /\/s\.jsonl/);
 * ```
 */
export function checkedEvents(path: string, text: string, sum: string): SpendEvent[] {
  if (rowSum([text]) !== sum) throw new RowDamagedError(path);
  return decodeEvents(text);
}
