/**
 * One pass over one session file that yields its summary (what `ls` shows)
 * and its spend events (what `cost` counts) together, as a fold whose state
 * is plain data: it can be saved at any complete line and resumed later from
 * that byte offset, reading only what was appended since. A scan resumed
 * from a saved state gives exactly what one full scan gives (a property test
 * checks it at every line boundary): the index keeps these states.
 *
 * @module
 */
import type { Line, LineReaderOptions } from "../format/line_shape.ts";
import { ZERO_USAGE } from "../base/counters.ts";
import { firstText } from "../format/record_decode.ts";
import { firstTextInWindow } from "../format/record_peek.ts";
import type { MessageRecord } from "../format/records.ts";
import {
  emptyLedger,
  LedgerBuilder,
  type LedgerInfo,
  type LedgerState,
  type SpendEvent,
} from "./ledger.ts";
import { DAMAGED_KEPT, readSession, type SessionSummary } from "./summary.ts";
import type { LineObserver, LineReading, NeedFull } from "./line_reading.ts";

/**
 * The version of {@linkcode ScanState}'s shape and of the rules that fill it:
 * a saved state of another version is not resumed (the index rescans).
 */
export const SCAN_FORMAT = 2;

/** A scan's saved state: where it stopped and all it had accumulated. */
export interface ScanState {
  format: number;
  /** Byte offset just past the last complete line read. */
  offset: number;
  /** Lines read up to `offset` (the next line's number is this + 1). */
  lines: number;
  /**
   * Whether line 1 is a meta line: then `summary.firstMeta` is what
   * {@linkcode readFirstMeta} gives (it reads line 1 only).
   */
  firstLineMeta: boolean;
  summary: SessionSummary;
  ledger: LedgerState;
}

/** What a scan yields besides the events it hands out. */
export interface ScanResult {
  summary: SessionSummary;
  ledger: LedgerInfo;
}

/** A summary of nothing read yet. */
export function emptySummary(): SessionSummary {
  return {
    firstMeta: null,
    meta: null,
    title: null,
    firstPrompt: null,
    messages: 0,
    usage: { ...ZERO_USAGE },
    firstMessageTime: null,
    lastMessageTime: null,
    damaged: [],
    damagedCount: 0,
  };
}

/** The state of a scan that has read nothing. */
export function emptyScan(): ScanState {
  return {
    format: SCAN_FORMAT,
    offset: 0,
    lines: 0,
    firstLineMeta: false,
    summary: emptySummary(),
    ledger: emptyLedger(),
  };
}

/**
 * The fold: feed it each line's reading in file order. It starts from a saved
 * state when given one (a copy is taken: the caller's stays as it was).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SessionScan } from "./session_scan.ts";
 * const scan = new SessionScan();
 * const line = { number: 1, offset: 0, length: 2, bytes: new Uint8Array(), truncated: false, terminated: true, end: 3 };
 * scan.feed(line, { kind: "message", role: "user", time: "2026-11-01T10:00:00Z" });
 * assert.equal(scan.summary.messages, 1);
 * assert.deepEqual([scan.save().offset, scan.save().lines], [3, 1]);
 * ```
 */
export class SessionScan {
  readonly #state: ScanState;
  readonly #ledger: LedgerBuilder;
  /** The state before an unterminated last line, which is never saved. */
  #beforeUnterminated: ScanState | null = null;
  #events = 0;
  #eventsSaved: number | null = null;

  constructor(saved?: ScanState, onSpend: (e: SpendEvent, info: LedgerInfo) => void = () => {}) {
    this.#state = saved ? structuredClone(saved) : emptyScan();
    this.#ledger = new LedgerBuilder((e, info) => {
      this.#events++;
      onSpend(e, info);
    }, this.#state.ledger);
  }

  /**
   * How many of the events handed out so far belong with {@linkcode save}'s
   * state: all but those of an unterminated last line (a complete usage row
   * whose newline is not written yet is counted now, and read again later).
   */
  get savedEvents(): number {
    return this.#eventsSaved ?? this.#events;
  }

  /** What the summary has so far. */
  get summary(): SessionSummary {
    return this.#state.summary;
  }

  /** What the ledger has so far. */
  get ledger(): LedgerInfo {
    return this.#ledger.info;
  }

  /** Where reading goes on from, and the number of the next line. */
  get resumeAt(): { start: number; firstLine: number } {
    return { start: this.#state.offset, firstLine: this.#state.lines + 1 };
  }

  /**
   * Whether a message of this role is wanted parsed: only the user's, until
   * the first prompt is found (every other message is counted by its ends).
   */
  readonly needFull = (role: string): boolean =>
    role === "user" && this.#state.summary.firstPrompt === null;

  /** Takes the next line and its reading. */
  feed(line: Line, r: LineReading): void {
    const st = this.#state;
    // A line without its newline may still be being written: the saved
    // state stays before it, so it is read again, whole, next time.
    if (!line.terminated && this.#beforeUnterminated === null) {
      this.#beforeUnterminated = structuredClone(st);
      this.#eventsSaved = this.#events;
    }
    this.#ledger.add(r, line.number);
    if (line.number === 1 && r.kind === "record" && r.record.type === "meta") {
      st.firstLineMeta = true;
    }
    summarize(st.summary, line, r);
    st.offset = line.end ?? line.offset + line.length + (line.terminated ? 1 : 0);
    st.lines = line.lastNumber ?? line.number;
  }

  /**
   * The state to save: a copy, at the last complete line (before a last line
   * that has no newline yet).
   */
  save(): ScanState {
    return structuredClone(this.#beforeUnterminated ?? this.#state);
  }

  /**
   * The state with every line fed, an unterminated last one too: what an
   * immutable file (a `.gz` archive, never resumed) is answered from.
   */
  whole(): ScanState {
    return structuredClone(this.#state);
  }

  /** Whether every line fed so far is in {@linkcode save}'s state (no unterminated last line). */
  get complete(): boolean {
    return this.#beforeUnterminated === null;
  }
}

function summarize(s: SessionSummary, line: Line, r: LineReading): void {
  switch (r.kind) {
    case "skip":
      return;
    case "damaged":
      s.damagedCount += r.count ?? 1;
      // A run of damaged lines numbers its first few.
      for (const number of line.runNumbers ?? [line.number]) {
        if (s.damaged.length < DAMAGED_KEPT) s.damaged.push({ line: number, reason: r.reason });
      }
      return;
    case "message":
      s.messages++;
      s.firstMessageTime ??= r.time;
      s.lastMessageTime = r.time;
      // A user message too long to parse still shows its prompt in its head.
      if (line.truncated && r.role === "user" && s.firstPrompt === null) {
        // The text may follow a big image: then it is near the end.
        s.firstPrompt = firstTextInWindow(line.bytes) ?? firstTextInWindow(line.tail ?? line.bytes);
      }
      return;
    case "record": {
      const rec = r.record;
      if (rec.type === "message") countMessage(s, rec);
      else if (rec.type === "meta") {
        s.firstMeta ??= rec;
        s.meta = rec;
        if (rec.title !== "") s.title = rec.title;
      } else if (rec.type === "usage") s.usage = rec.cumulative;
      else if (rec.title !== "") s.title = rec.title; // a rename to "" is ignored, as zot does
      return;
    }
  }
}

function countMessage(s: SessionSummary, m: MessageRecord): void {
  s.messages++;
  s.firstMessageTime ??= m.time;
  s.lastMessageTime = m.time;
  if (s.firstPrompt === null && m.role === "user") s.firstPrompt = firstText(m.content);
}

/** How {@linkcode scanFile} reads. */
export interface ScanOptions {
  /** A saved state to resume from (its offset must be a line start of this file). */
  state?: ScanState;
  /** Receives each spend event, in file order. */
  onSpend?: (event: SpendEvent, info: LedgerInfo) => void;
  /** Reader tuning and the run's byte counter. */
  reader?: LineReaderOptions;
  /** Told every line too (its own state is its own to save). */
  observer?: LineObserver;
}

/**
 * Scans a session file (from a saved state's offset when given) and returns
 * its summary, its ledger, the state to save and how many of the events it
 * handed out go with that state. Throws only if the file
 * cannot be opened or read; bad lines are counted as damaged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { scanFile } from "./session_scan.ts";
 * const dir = await mkdtemp(join(tmpdir(), "zs-"));
 * const path = join(dir, "s.jsonl");
 * await writeFile(path, '{"type":"rename","title":"Hello"}\n');
 * const { summary, state } = await scanFile(path);
 * assert.equal(summary.title, "Hello");
 * assert.equal(state.offset, 34);
 * await rm(dir, { recursive: true });
 * ```
 */
export async function scanFile(
  path: string,
  o: ScanOptions = {},
): Promise<
  ScanResult & { state: ScanState; savedEvents: number; complete: boolean; whole: ScanState }
> {
  const scan = new SessionScan(o.state, o.onSpend);
  // Only the summary and the ledger are kept: long strings need no decoding.
  const reader = { ...o.reader, ...scan.resumeAt, skim: true };
  const observer = o.observer;
  const needFull: NeedFull = observer
    ? (role, bytes) => scan.needFull(role) || observer.needFull(role, bytes)
    : scan.needFull;
  for await (const { line, reading } of readSession(path, needFull, reader)) {
    scan.feed(line, reading);
    observer?.feed(line, reading);
  }
  // The state to save is a deep copy: made when asked for (the index asks,
  // FileSource does not: a cold scan spent ~2% of its time copying).
  let saved: ScanState | undefined;
  return {
    summary: scan.summary,
    ledger: scan.ledger,
    get state() {
      return saved ??= scan.save();
    },
    savedEvents: scan.savedEvents,
    complete: scan.complete,
    get whole() {
      return scan.whole();
    },
  };
}
