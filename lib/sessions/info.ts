/**
 * A session as every verb reports it: a file from the catalogue and its
 * summary, in the field names of `ls --json` (README documents them).
 *
 * @module
 */
import type { SessionFile } from "./catalog.ts";
import type { SessionSummary } from "../scan/summary.ts";
import type { MetaRecord } from "../format/records.ts";
import { type LedgerInfo, type SessionSpend, sessionSpend } from "../scan/ledger.ts";
import { toIsoUtc } from "../base/time.ts";
import { basename } from "node:path";
import { roundUsd, type Usage } from "../base/counters.ts";
import type { FieldDocs } from "../base/field_docs.ts";

/** The `ls --json` object. Field order is part of the output contract. */
export interface SessionInfo {
  id: string;
  shortId: string;
  path: string;
  cwd: string;
  dir: string;
  started: string | null;
  updated: string;
  model: string;
  provider: string;
  title: string | null;
  firstPrompt: string | null;
  messages: number;
  bytes: number;
  /** The last `cumulative` as zot recorded it (a fork's copy of its parent's spend included). */
  usage: Usage;
  /** The session's own spend as `cost` counts it: each dollar once. */
  spend: SessionSpend;
  parent: string | null;
  forkPoint: number | null;
  empty: boolean;
  damagedLines: number;
}

/** What each field of `ls --json` means (`zot-sessions help json`). */
export const SESSION_FIELDS: FieldDocs<SessionInfo> = {
  id: "the session id (first meta line)",
  shortId: "its first 8 characters",
  path: "the file's absolute path",
  cwd: "the project directory (latest meta line)",
  dir: "the project's directory under sessions/: 16 hex of SHA-256 of the cwd",
  started: "start time, ISO 8601 UTC as zot wrote it (nanoseconds kept), or null",
  updated: "last activity: the file's modification time, ISO 8601 UTC",
  model: "current model (latest meta line)",
  provider: "current provider (latest meta line)",
  title: "last non-empty title of a rename or meta line, or null",
  firstPrompt: "first non-empty text of a user message, not cut, or null",
  messages: "message lines, empty ones included (as zot counts them)",
  bytes: "the file's size",
  usage: "recorded: the last usage line's cumulative, {inputTokens, outputTokens, " +
    "cacheReadTokens, cacheWriteTokens, costUsd}, zeros if none; a fork's includes the " +
    "spend copied from its parent (what zot's /sessions shows)",
  spend: "the session's own spend, each dollar counted once (as cost counts it): the " +
    "same fields and unpricedTokens (tokens of models zot had no price for)",
  parent: "id of the session this one was forked from, or null",
  forkPoint: "how many of the parent's messages the fork copied, or null",
  empty: "true when it has no message line (zot's prune removes these)",
  damagedLines: "lines skipped because they could not be read",
};

/**
 * Joins what the catalogue knows of a file with what its scan found. The id
 * comes from the first meta line; model, provider, cwd and started from the
 * latest (FORMAT.md). A file with no meta line keeps the id part of its name.
 * `ledger` is the same file's spend ledger, for `spend`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyLedger } from "../scan/ledger.ts";
 * import { emptySummary } from "../scan/session_scan.ts";
 * import { sessionInfo } from "./info.ts";
 * const file = { path: "/h/20260922-120509-0e19291e.jsonl", dir: "d", bytes: 0, mtimeMs: 0 };
 * const info = sessionInfo(file, emptySummary(), emptyLedger().info);
 * assert.deepEqual([info.shortId, info.empty], ["0e19291e", true]);
 * ```
 */
export function sessionInfo(
  file: SessionFile,
  s: SessionSummary,
  ledger: LedgerInfo,
): SessionInfo {
  const id = sessionId(file.path, s.firstMeta);
  return {
    id,
    shortId: id.slice(0, 8),
    path: file.path,
    cwd: s.meta?.cwd ?? "",
    dir: file.dir,
    started: s.meta ? toIsoUtc(s.meta.started) : null,
    updated: new Date(file.mtimeMs).toISOString(),
    model: s.meta?.model ?? "",
    provider: s.meta?.provider ?? "",
    title: s.title,
    firstPrompt: s.firstPrompt,
    messages: s.messages,
    bytes: file.bytes,
    usage: { ...s.usage, costUsd: roundUsd(s.usage.costUsd) },
    spend: sessionSpend(ledger),
    parent: s.firstMeta?.parent || null,
    forkPoint: s.firstMeta?.forkPoint ?? null,
    empty: s.messages === 0,
    damagedLines: s.damagedCount,
  };
}

/**
 * A session's id: its first meta line's, else the id part of its file name
 * (the one fallback every verb uses).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionId } from "./info.ts";
 * assert.equal(sessionId("/x/20260922-120509-0e19291e.jsonl", null), "0e19291e");
 * ```
 */
export function sessionId(path: string, firstMeta: MetaRecord | null): string {
  return firstMeta?.id || idFromFileName(path);
}

/**
 * The id part of a session file name (`20260922-120509-0e19291e.jsonl` →
 * `0e19291e`), or the name without extension when it is not zot's pattern.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { idFromFileName } from "./info.ts";
 * assert.equal(idFromFileName("/x/20260922-120509-0e19291e.jsonl"), "0e19291e");
 * ```
 */
export function idFromFileName(path: string): string {
  const name = basename(path).replace(/\.(jsonl|zotsession)(\.gz)?$/, "");
  const m = /^\d{8}-\d{6}-(.+)$/.exec(name);
  return m ? m[1] : name;
}
