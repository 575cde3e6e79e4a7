/**
 * A session's spend, as events: FORMAT.md's "Usage and cost" and "Forks"
 * rules, in one place.
 *
 * - Trust `cumulative` only; a call's spend is the increase over the previous
 *   usage line. If any field went down, the counter restarted: the increase
 *   is the new `cumulative` itself.
 * - Each increase belongs to the model and provider of the latest meta line
 *   before it, at the time of the latest message line before it (the
 *   session's `started` if none).
 * - A fork's usage lines before its `fork_point`-th message line were copied
 *   from its parent: they are the parent's spend, not the fork's. So spend
 *   summed over sessions counts each dollar once, parent file or not.
 *
 * Costs are kept in integer nanodollars: sums are then exact, and a table's
 * rows add up to its total to the last digit.
 *
 * @module
 */
import type { MetaRecord } from "../format/records.ts";
import {
  addSpend,
  cumulativeDelta,
  isZeroSpend,
  type Spend,
  toSpend,
  toUsage,
  unpricedTokens,
  zeroSpend,
} from "../base/counters.ts";
import type { DamagedLine } from "./summary.ts";
import type { LineReading } from "./line_reading.ts";
import { parseRfc3339 } from "../base/time.ts";

/**
 * Whether a line of a fork, coming after `messagesBefore` message lines, was
 * copied from its parent (FORMAT.md, "Forks"): the copy stops right after
 * the parent's `fork_point`-th message line, so every line before the
 * fork's own `fork_point`-th message line is inherited. The one rule for a
 * fork's inherited part: spend here, file changes in
 * lib/transcript/file_changes.ts. A message line numbered `i` from 0 has
 * `i` message lines before it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { copiedFromParent } from "./ledger.ts";
 *
 * // A fork at 11 copied messages #0 to #10; #11 is its own.
 * assert.equal(copiedFromParent(11, 10), true);
 * assert.equal(copiedFromParent(11, 11), false);
 * assert.equal(copiedFromParent(null, 0), false);
 * ```
 */
export function copiedFromParent(forkPoint: number | null, messagesBefore: number): boolean {
  return forkPoint !== null && messagesBefore < forkPoint;
}

/**
 * How many of a session's `messages` message lines were copied from its
 * parent: those {@linkcode copiedFromParent} says so of (the session's own
 * messages are the rest, as its own spend is).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { copiedFromParent, copiedMessages } from "./ledger.ts";
 *
 * assert.equal(copiedMessages(11, 14), 11);
 * assert.equal(copiedMessages(11, 5), 5); // a fork_point past the lines copied
 * assert.equal(copiedMessages(null, 5), 0);
 * const count = (fp: number | null, n: number) =>
 *   Array.from({ length: n }, (_, i) => copiedFromParent(fp, i)).filter(Boolean).length;
 * for (const [fp, n] of [[0, 3], [2, 3], [4, 3], [null, 3]] as const) {
 *   assert.equal(copiedMessages(fp, n), count(fp, n));
 * }
 * ```
 */
export function copiedMessages(forkPoint: number | null, messages: number): number {
  return forkPoint === null ? 0 : Math.max(0, Math.min(forkPoint, messages));
}

/** One increase of a session's counters. */
export interface SpendEvent {
  /** When the request was made (ms since the epoch). */
  timeMs: number;
  /**
   * The usage line's place among the file's usage lines, from 1, every one
   * counted (inherited and repeated ones too): stable as the file grows, so
   * session id + ordinal names the event across runs and machines.
   */
  ordinal: number;
  model: string;
  provider: string;
  spend: Spend;
}

/** What a ledger pass learns of a session besides its events. */
export interface LedgerInfo {
  /** The first meta line (id, cwd, parent, fork point), or null. */
  meta: MetaRecord | null;
  /** The last `cumulative`: what zot shows as the session's cost. */
  recorded: Spend;
  /** The last inherited `cumulative` of a fork (zeros otherwise). */
  inherited: Spend;
  /** The session's own spend: the sum of its events. */
  own: Spend;
  /** The tokens of its events that had no recorded cost ({@linkcode unpricedTokens}). */
  ownUnpricedTokens: number;
  damagedLines: number;
  /** The first damaged line, for the warning. */
  firstDamage: DamagedLine | null;
}

/**
 * Everything a {@linkcode LedgerBuilder} has accumulated: plain data (JSON
 * round-trips it), so a scan can be saved and resumed.
 */
export interface LedgerState {
  info: LedgerInfo;
  /** Model and provider of the latest meta line. */
  model: string;
  provider: string;
  /** Time of the latest message (the session's start before any), or null. */
  timeMs: number | null;
  /** Message lines so far (fork points count them). */
  messages: number;
  /** Usage lines so far: each event's {@linkcode SpendEvent.ordinal}. */
  usageLines: number;
  /** The previous `cumulative`. */
  prev: Spend;
}

/** A ledger that has read nothing. */
export function emptyLedger(): LedgerState {
  return {
    info: {
      meta: null,
      recorded: zeroSpend(),
      inherited: zeroSpend(),
      own: zeroSpend(),
      ownUnpricedTokens: 0,
      damagedLines: 0,
      firstDamage: null,
    },
    model: "",
    provider: "",
    timeMs: null,
    messages: 0,
    usageLines: 0,
    prev: zeroSpend(),
  };
}

/**
 * Turns a session's records, in file order, into spend events. Pure: feed it
 * each line's reading with {@linkcode LedgerBuilder.add}. It starts from
 * `state` when given (a saved {@linkcode LedgerBuilder.state}), which it then
 * owns and updates.
 */
export class LedgerBuilder {
  readonly state: LedgerState;

  constructor(
    private readonly onSpend: (event: SpendEvent, info: LedgerInfo) => void,
    state: LedgerState = emptyLedger(),
  ) {
    this.state = state;
  }

  /** What the ledger has learnt so far. */
  get info(): LedgerInfo {
    return this.state.info;
  }

  /** Takes the next line's reading (`line`: its number, for warnings). */
  add(r: LineReading, line = 0): void {
    const st = this.state;
    switch (r.kind) {
      case "damaged":
        st.info.damagedLines += r.count ?? 1;
        st.info.firstDamage ??= { line, reason: r.reason };
        return;
      case "skip":
        return;
      case "message":
        this.#message(r.time);
        return;
    }
    const rec = r.record;
    if (rec.type === "message") this.#message(rec.time);
    else if (rec.type === "meta") {
      st.info.meta ??= rec;
      st.model = rec.model;
      st.provider = rec.provider;
      st.timeMs ??= parseRfc3339(rec.started);
    } else if (rec.type === "usage") this.#usage(toSpend(rec.cumulative));
  }

  #message(time: string): void {
    this.state.messages++;
    // An unreadable time keeps the previous one: the spend still happened.
    this.state.timeMs = parseRfc3339(time) ?? this.state.timeMs;
  }

  #usage(cumulative: Spend): void {
    const st = this.state;
    st.usageLines++;
    const forkPoint = st.info.meta?.forkPoint ?? null;
    const delta = cumulativeDelta(st.prev, cumulative);
    st.prev = cumulative;
    st.info.recorded = cumulative;
    if (copiedFromParent(forkPoint, st.messages)) {
      // Copied from the parent with the first fork_point messages.
      st.info.inherited = cumulative;
      return;
    }
    if (isZeroSpend(delta)) return; // a repeated row (resume, flush)
    addSpend(st.info.own, delta);
    st.info.ownUnpricedTokens += unpricedTokens(delta);
    this.onSpend({
      timeMs: st.timeMs ?? 0,
      model: st.model,
      provider: st.provider,
      spend: delta,
      ordinal: st.usageLines,
    }, st.info);
  }
}

/**
 * A session's own spend in `ls --json`'s `spend` shape: what `cost` counts
 * for it, each dollar once (a fork's copy of its parent's spend left out).
 */
export interface SessionSpend {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  unpricedTokens: number;
}

/**
 * The {@linkcode SessionSpend} of a ledger pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyLedger, sessionSpend } from "./ledger.ts";
 * assert.equal(sessionSpend(emptyLedger().info).costUsd, 0);
 * ```
 */
export function sessionSpend(info: LedgerInfo): SessionSpend {
  return { ...toUsage(info.own), unpricedTokens: info.ownUnpricedTokens };
}
