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
import type { LineReaderOptions } from "../format/lines.ts";
import type { MetaRecord, Usage } from "../format/records.ts";
import { type DamagedLine, type LineReading, readSession } from "./summary.ts";
import { parseRfc3339 } from "../base/time.ts";

/** Usage counters with the cost in integer nanodollars. */
export interface Spend {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costNanos: number;
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

/** Nanodollars in a dollar. */
export const NANOS = 1e9;

/**
 * Counters → spend, the cost rounded to whole nanodollars (zot's costs have
 * far fewer significant digits; the rounding only removes float noise).
 *
 * @example
 * toSpend({ inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.5 }).costNanos // 500000000
 */
export function toSpend(u: Usage): Spend {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheReadTokens: u.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    costNanos: Math.round(u.costUsd * NANOS),
  };
}

/**
 * A dollar amount for JSON: rounded to whole nanodollars, so sums and zot's
 * own float noise (`0.035244750000000005`) print as the decimal they mean.
 *
 * @example
 * roundUsd(0.035244750000000005) // 0.03524475
 */
export function roundUsd(usd: number): number {
  return Math.round(usd * NANOS) / NANOS;
}

/**
 * Tokens spent with no recorded cost (a model zot had no price for): all of
 * an increase's tokens when its cost is zero, else none.
 *
 * @example
 * unpricedTokens({ inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costNanos: 0 }) // 15
 */
export function unpricedTokens(s: Spend): number {
  if (s.costNanos !== 0) return 0;
  return s.inputTokens + s.outputTokens + s.cacheReadTokens + s.cacheWriteTokens;
}

/** A spend of nothing. */
export function zeroSpend(): Spend {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costNanos: 0 };
}

const FIELDS = [
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "costNanos",
] as const;

/**
 * The increase from `prev` to `next` cumulative counters: their difference,
 * or `next` itself when any field went down (a restarted counter).
 *
 * @example
 * cumulativeDelta(spendOf(10, 0.1), spendOf(4, 0.02)) // the restart: spendOf(4, 0.02)
 */
export function cumulativeDelta(prev: Spend, next: Spend): Spend {
  if (FIELDS.some((f) => next[f] < prev[f])) return { ...next };
  const d = zeroSpend();
  for (const f of FIELDS) d[f] = next[f] - prev[f];
  return d;
}

/** True when nothing was spent. */
export function isZeroSpend(s: Spend): boolean {
  return FIELDS.every((f) => s[f] === 0);
}

/** Adds `b` into `a`. */
export function addSpend(a: Spend, b: Spend): void {
  for (const f of FIELDS) a[f] += b[f];
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
 * Turns a session's records, in file order, into spend events. Pure: feed it
 * each line's reading with {@linkcode LedgerBuilder.add}.
 *
 * @example
 * const b = new LedgerBuilder((e) => events.push(e));
 * for (const r of readings) b.add(r);
 */
export class LedgerBuilder {
  readonly info: LedgerInfo = {
    meta: null,
    recorded: zeroSpend(),
    inherited: zeroSpend(),
    own: zeroSpend(),
    ownUnpricedTokens: 0,
    damagedLines: 0,
    firstDamage: null,
  };
  #model = "";
  #provider = "";
  #timeMs: number | null = null;
  #messages = 0;
  #prev = zeroSpend();
  #usages = 0;

  constructor(private readonly onSpend: (event: SpendEvent, info: LedgerInfo) => void) {}

  /** Takes the next line's reading (`line`: its number, for warnings). */
  add(r: LineReading, line = 0): void {
    switch (r.kind) {
      case "damaged":
        this.info.damagedLines += r.count ?? 1;
        this.info.firstDamage ??= { line, reason: r.reason };
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
      this.info.meta ??= rec;
      this.#model = rec.model;
      this.#provider = rec.provider;
      this.#timeMs ??= parseRfc3339(rec.started);
    } else if (rec.type === "usage") this.#usage(toSpend(rec.cumulative));
  }

  #message(time: string): void {
    this.#messages++;
    // An unreadable time keeps the previous one: the spend still happened.
    this.#timeMs = parseRfc3339(time) ?? this.#timeMs;
  }

  #usage(cumulative: Spend): void {
    this.#usages++;
    const forkPoint = this.info.meta?.forkPoint ?? null;
    const delta = cumulativeDelta(this.#prev, cumulative);
    this.#prev = cumulative;
    this.info.recorded = cumulative;
    if (forkPoint !== null && this.#messages < forkPoint) {
      // Copied from the parent with the first fork_point messages.
      this.info.inherited = cumulative;
      return;
    }
    if (isZeroSpend(delta)) return; // a repeated row (resume, flush)
    addSpend(this.info.own, delta);
    this.info.ownUnpricedTokens += unpricedTokens(delta);
    this.onSpend({
      timeMs: this.#timeMs ?? 0,
      ordinal: this.#usages,
      model: this.#model,
      provider: this.#provider,
      spend: delta,
    }, this.info);
  }
}

/**
 * Reads a session file once and calls `onSpend` for each increase of its
 * counters. Message lines are never parsed: their time is read off their
 * last bytes. Memory does not grow with the file.
 *
 * @example
 * const info = await readLedger(path, (e) => totals.add(e));
 */
export async function readLedger(
  path: string,
  onSpend: (event: SpendEvent, info: LedgerInfo) => void,
  options: LineReaderOptions = {},
): Promise<LedgerInfo> {
  const builder = new LedgerBuilder(onSpend);
  for await (const { line, reading } of readSession(path, () => false, options)) {
    builder.add(reading, line.number);
  }
  return builder.info;
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
 * sessionSpend(await readLedger(path, () => {})).costUsd
 */
export function sessionSpend(info: LedgerInfo): SessionSpend {
  return {
    inputTokens: info.own.inputTokens,
    outputTokens: info.own.outputTokens,
    cacheReadTokens: info.own.cacheReadTokens,
    cacheWriteTokens: info.own.cacheWriteTokens,
    costUsd: info.own.costNanos / NANOS,
    unpricedTokens: info.ownUnpricedTokens,
  };
}
