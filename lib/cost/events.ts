/**
 * Spend events as rows for other engines (DuckDB, ClickHouse, a
 * spreadsheet): one row per usage line that spent something, forks counted
 * once, each with an id that is the same on every run and every machine, so
 * that shipping the same events twice is harmless. Pure: events in, rows out.
 *
 * @module
 */
import type { LedgerInfo, SpendEvent } from "../scan/ledger.ts";
import { NANOS, unpricedTokens } from "../base/counters.ts";
import type { FieldDocs } from "../base/field_docs.ts";

/** The columns of an event row, in output order (NDJSON keys, CSV header). */
export const EVENT_COLUMNS = [
  "eventId",
  "time",
  "host",
  "home",
  "sessionId",
  "parent",
  "cwd",
  "model",
  "provider",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "costUsd",
  "unpricedTokens",
] as const;

/** One spend event as `cost --events` writes it. */
export interface EventRow {
  /** `<sessionId>:<ordinal>`: the session and its usage line, stable across runs. */
  eventId: string;
  /** When the request was made: ISO 8601, UTC, ending in `Z`. */
  time: string;
  host: string;
  /** The zot home the session file was found in; null for a file named by a path elsewhere. */
  home: string | null;
  sessionId: string;
  /** The session a fork was made from; null for a session that is no fork. */
  parent: string | null;
  cwd: string;
  model: string;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** The tokens of an event with no recorded cost (a model zot had no price for). */
  unpricedTokens: number;
}

/** What each column of `cost --events` means (`zot-sessions help json`), in their order. */
export const SPEND_EVENT_FIELDS: FieldDocs<EventRow> = {
  eventId: "<sessionId>:<n>, n the usage line's place in the file: the same on every run " +
    "and machine",
  time: "when the request was made: ISO 8601 UTC, ending in Z",
  host: "the machine's name (--host)",
  home: "the zot home the file was found in, or null",
  sessionId: "the session's id",
  parent: "the session a fork was made from, or null",
  cwd: "the session's project (its latest meta line's)",
  model: "the model",
  provider: "the provider",
  inputTokens: "input tokens",
  outputTokens: "output tokens",
  cacheReadTokens: "tokens read from the cache",
  cacheWriteTokens: "tokens written to the cache",
  costUsd: "the spend in dollars",
  unpricedTokens: "tokens of a model zot had no price for",
};

/** The events of one counted session and where its file was found. */
export interface SessionEvents {
  /** The session id (the first meta line's, else the file name's). */
  id: string;
  /** The session's project: its latest meta line's cwd, as `cost` groups it. */
  cwd: string;
  info: LedgerInfo;
  /** The session file's path. */
  path: string;
  events: SpendEvent[];
}

/**
 * The home (of `homes`) that holds `path`, or null: catalogue paths are
 * joined from their home, so a prefix says it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { homeOf } from "./events.ts";
 * assert.equal(homeOf("/h/sessions/k/x.jsonl", ["/g", "/h"]), "/h");
 * assert.equal(homeOf("/hx/sessions/k/x.jsonl", ["/h"]), null);
 * ```
 */
export function homeOf(path: string, homes: string[]): string | null {
  for (const home of homes) {
    const next = path[home.length];
    if (path.startsWith(home) && (next === "/" || next === "\\")) return home;
  }
  return null;
}

/**
 * One event's row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventRow } from "./events.ts";
 * const spend = { inputTokens: 10, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0, costNanos: 250_000_000 };
 * const row = eventRow(
 *   { timeMs: Date.UTC(2026, 10, 1, 9, 30), ordinal: 3, model: "m", provider: "p", spend },
 *   { id: "0e19", cwd: "/p", parent: null, home: "/h" },
 *   "laptop",
 * );
 * assert.equal(row.eventId, "0e19:3");
 * assert.equal(row.time, "2026-11-01T09:30:00.000Z");
 * assert.equal(row.costUsd, 0.25);
 * ```
 */
export function eventRow(
  e: SpendEvent,
  s: { id: string; cwd: string; parent: string | null; home: string | null },
  host: string,
): EventRow {
  return {
    eventId: `${s.id}:${e.ordinal}`,
    time: new Date(e.timeMs).toISOString(),
    host,
    home: s.home,
    sessionId: s.id,
    parent: s.parent,
    cwd: s.cwd,
    model: e.model,
    provider: e.provider,
    inputTokens: e.spend.inputTokens,
    outputTokens: e.spend.outputTokens,
    cacheReadTokens: e.spend.cacheReadTokens,
    cacheWriteTokens: e.spend.cacheWriteTokens,
    costUsd: e.spend.costNanos / NANOS,
    unpricedTokens: unpricedTokens(e.spend),
  };
}

/**
 * The rows of every session's events, oldest first; ties by session id,
 * then by ordinal, so the same events always come out in the same order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventRows } from "./events.ts";
 * const spend = { inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costNanos: 0 };
 * const info = { meta: null } as never;
 * const rows = eventRows([{ id: "b", cwd: "/p", info, path: "/h/sessions/k/b.jsonl", events: [
 *   { timeMs: 2000, ordinal: 2, model: "m", provider: "p", spend },
 *   { timeMs: 1000, ordinal: 1, model: "m", provider: "p", spend },
 * ] }], ["/h"], "laptop");
 * assert.deepEqual(rows.map((r) => r.eventId), ["b:1", "b:2"]);
 * assert.equal(rows[0].home, "/h");
 * assert.equal(rows[0].unpricedTokens, 1);
 * ```
 */
export function eventRows(sessions: SessionEvents[], homes: string[], host: string): EventRow[] {
  const keyed: { row: EventRow; ms: number; ordinal: number }[] = [];
  for (const s of sessions) {
    const meta = s.info.meta;
    const session = {
      id: s.id,
      cwd: s.cwd,
      parent: meta?.parent || null,
      home: homeOf(s.path, homes),
    };
    for (const e of s.events) {
      keyed.push({ row: eventRow(e, session, host), ms: e.timeMs, ordinal: e.ordinal });
    }
  }
  keyed.sort((a, b) =>
    a.ms - b.ms ||
    (a.row.sessionId < b.row.sessionId ? -1 : a.row.sessionId > b.row.sessionId ? 1 : 0) ||
    a.ordinal - b.ordinal
  );
  return keyed.map((k) => k.row);
}
