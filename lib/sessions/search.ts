/**
 * Finding what a search asks in the files directly: each message's text is
 * checked exactly as it streams from its session file
 * ({@linkcode TextMatcher}), in memory that does not grow with a message.
 * The index (`lib/index/search.ts`) proposes candidates and checks them with
 * the same {@linkcode HitCollector}, so both ways find the same hits. What a
 * search asks and finds, and the order of hits, are in search_query.ts.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import { describeSystemError, isFileProblem } from "../base/errors.ts";
import { mapConcurrent } from "../base/pool.ts";
import { readMessageStream } from "../transcript/message_text.ts";
import type { MessageHeading, MessageTextConsumer } from "../transcript/message_text_sink.ts";
import type { SessionFile } from "./catalog.ts";
import { TextMatcher } from "./text_match.ts";
import {
  hitOrder,
  type MessageHit,
  passesFilters,
  type SearchPause,
  type SearchQuery,
  type SearchResult,
  type SearchRun,
  timeMs,
} from "./search_query.ts";

/**
 * Checks each message it is handed: the searched text is the body, with
 * `--tools` then "\n" and the tools' text (when both have some). `accept`
 * picks the messages checked (all, by default).
 */
export class HitCollector implements MessageTextConsumer {
  readonly wantsTools: boolean;
  readonly hits: MessageHit[] = [];
  /** The latest time of any message handed so far (0: none). */
  latestMs = 0;
  #heading: MessageHeading | null = null;
  #matcher: TextMatcher | null = null;
  #body = false;
  #tools = false;

  constructor(
    readonly path: string,
    readonly q: SearchQuery,
    readonly accept: (m: MessageHeading) => boolean = () => true,
    /** Whether every place is counted ({@linkcode SearchRun.score}). */
    readonly scored = true,
  ) {
    this.wantsTools = q.tools;
  }

  /** A message not checked, or already known to be a hit (when not scored), needs no more text. */
  enough(): boolean {
    return this.#matcher === null || (!this.scored && this.#matcher.decided());
  }

  start(m: MessageHeading): void {
    const wanted = passesFilters(m, this.q) && this.accept(m);
    this.latestMs = Math.max(this.latestMs, timeMs(m.time));
    this.#heading = m;
    this.#matcher = wanted ? new TextMatcher(this.q.terms) : null;
    this.#body = this.#tools = false;
  }

  body(piece: string): void {
    this.#body = true;
    this.#matcher?.feed(piece);
  }

  tools(piece: string): void {
    if (!this.#tools && this.#body) this.#matcher?.feed("\n");
    this.#tools = true;
    this.#matcher?.feed(piece);
  }

  end(): void {
    const r = this.#matcher?.end();
    const m = this.#heading!;
    if (r) {
      this.hits.push({ path: this.path, index: m.index, role: m.role, time: m.time, ...r });
    }
    this.#matcher = null;
  }
}

/**
 * The hits in a file from `start` (a line start; `firstIndex`: its next
 * message's index) on.
 */
export async function fileHits(
  path: string,
  q: SearchQuery,
  stats: ByteCounter,
  start = 0,
  firstIndex = 0,
  scored = true,
): Promise<MessageHit[]> {
  return (await collectFile(path, q, stats, start, firstIndex, scored)).hits;
}

async function collectFile(
  path: string,
  q: SearchQuery,
  stats: ByteCounter,
  start = 0,
  firstIndex = 0,
  scored = true,
): Promise<HitCollector> {
  const c = new HitCollector(path, q, undefined, scored);
  await readMessageStream(path, c, { start, firstIndex, stats });
  return c;
}

/** The warning for a file that could not be read (it is skipped). */
export function skipped(path: string, err: unknown): string {
  return `Cannot read "${path}": ${describeSystemError(err)}; skipped it`;
}

/**
 * Runs `fn` per file, two at a time; a file that cannot be read is a
 * warning (skipped), anything else throws.
 */
export async function perFile(
  files: SessionFile[],
  fn: (file: SessionFile) => Promise<MessageHit[]>,
): Promise<SearchResult> {
  const results = await mapConcurrent(files, 2, async (file) => {
    try {
      return { hits: await fn(file), problem: null };
    } catch (err) {
      if (!isFileProblem(err)) throw err;
      return { hits: [], problem: skipped(file.path, err) };
    }
  });
  return {
    hits: results.flatMap((r) => r.hits),
    problems: results.flatMap((r) => r.problem === null ? [] : [r.problem]),
    count: results.reduce((n, r) => n + r.hits.length, 0),
  };
}

/**
 * The hits in `files`, read directly (no index). With a `limit`, sessions
 * are read newest first (by modification time), two at a time, and reading
 * stops once the first `limit + 1` hits are newer than any session left: a
 * message is no newer than its file's last write. Should a file read show
 * otherwise (a message newer than its file: a clock set back, a file's time
 * set by hand), every file is read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanSearch } from "./search.ts";
 *
 * const q = { terms: ["x"], tools: false, role: null, sinceMs: null, untilMs: null };
 * const file = { path: "/nonexistent.jsonl", dir: "d", bytes: 0, mtimeMs: 0 };
 * const r = await scanSearch([file], q, { bytesRead: 0 });
 * assert.deepEqual([r.hits, r.count], [[], 0]);
 * assert.match(r.problems[0], /^Cannot read "\/nonexistent.jsonl": .*; skipped it$/);
 * ```
 */
export async function scanSearch(
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
  pause: SearchPause = () => {},
  run: SearchRun = {},
): Promise<SearchResult> {
  const limit = run.limit ?? null;
  const scored = run.score ?? true;
  const r = limit === null
    ? await perFile(files, (file) => fileHits(file.path, q, stats, 0, 0, scored))
    : await newestFirst(files, q, stats, limit, scored);
  pause("search-hits");
  return await handOn(r, files, run);
}

/**
 * Hands collected hits to `run.onHit`, newest first ({@linkcode hitOrder}),
 * when it is given (then none are left in `hits`); else returns `r` as it is.
 */
async function handOn(
  r: SearchResult,
  files: SessionFile[],
  run: SearchRun,
): Promise<SearchResult> {
  if (run.onHit === undefined) return r;
  for (const h of r.hits.sort(hitOrder(files))) await run.onHit(h);
  return { ...r, hits: [] };
}

/** {@linkcode scanSearch} with a limit. */
async function newestFirst(
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
  limit: number,
  scored: boolean,
): Promise<SearchResult> {
  const order = hitOrder(files);
  const byTime = [...files].sort((a, b) => b.mtimeMs - a.mtimeMs);
  // The first limit + 1 hits so far (more, unsorted, between two cuts).
  const top: MessageHit[] = [];
  const problems: string[] = [];
  let count = 0;
  let trusted = true;
  for (let i = 0; i < byTime.length; i += 2) {
    const batch = byTime.slice(i, i + 2);
    const read = await Promise.all(batch.map(async (file) => {
      try {
        return await collectFile(file.path, q, stats, 0, 0, scored);
      } catch (err) {
        if (!isFileProblem(err)) throw err;
        problems.push(skipped(file.path, err));
        return null;
      }
    }));
    for (const [k, c] of read.entries()) {
      if (c === null) continue;
      top.push(...c.hits);
      count += c.hits.length;
      if (c.latestMs > batch[k].mtimeMs + 1) trusted = false;
    }
    if (top.length <= limit) continue;
    top.sort(order);
    top.length = limit + 1;
    const next = byTime[i + 2];
    if (trusted && next !== undefined && timeMs(top[limit].time) > next.mtimeMs + 1) {
      return { hits: top, problems, count: null };
    }
  }
  // "More than limit" whether or not all was read, as the index says it.
  return { hits: top, problems, count: count > limit ? null : count };
}
