/**
 * What a search asks and finds, and finding it in the files directly: each
 * message's text is checked exactly as it streams from its session file
 * ({@linkcode TextMatcher}), in memory that does not grow with a message.
 * The index (`lib/index/search.ts`) proposes candidates and checks them with
 * the same {@linkcode HitCollector}, so both ways find the same hits.
 *
 * @module
 */
import type { ByteCounter } from "../format/lines.ts";
import { describeSystemError, isFileProblem } from "../base/errors.ts";
import { mapConcurrent } from "../base/pool.ts";
import { parseRfc3339 } from "../base/time.ts";
import {
  type MessageHeading,
  type MessageTextConsumer,
  readMessageStream,
} from "../transcript/message_text.ts";
import type { SessionFile } from "./catalog.ts";
import type { Snippet } from "./search_match.ts";
import { TextMatcher } from "./text_match.ts";

/** What a search asks, checked and typed. */
export interface SearchQuery {
  /** Case-folded terms ({@linkcode searchTerms}). */
  terms: string[];
  /** Tool calls and results count as text (`--tools`, or `--role tool`). */
  tools: boolean;
  role: string | null;
  sinceMs: number | null;
  untilMs: number | null;
}

/** How a source runs a search (besides what it asks). */
export interface SearchRun {
  /** Told how far bringing the index's text rows up to date got (files done, of, bytes). */
  onProgress?: (done: number, total: number, bytes: number) => void;
}

/** A message that matches. */
export interface MessageHit {
  path: string;
  index: number;
  role: string;
  time: string;
  /** How many separate places match (relevance). */
  score: number;
  snippet: Snippet;
}

/** The hits, and one warning per file that could not be read (it was skipped). */
export interface SearchResult {
  hits: MessageHit[];
  problems: string[];
}

/** Stops at a named point of the test seam (see lib/index/pause.ts). */
export type SearchPause = (point: string) => void;

/**
 * Whether a message passes the role and time filters (checked before its
 * text is read).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { passesFilters } from "./search.ts";
 *
 * const q = { terms: ["x"], tools: false, role: "user", sinceMs: null, untilMs: null };
 * assert.equal(passesFilters({ role: "tool", time: "" }, q), false);
 * assert.equal(passesFilters({ role: "user", time: "" }, q), true);
 * ```
 */
export function passesFilters(m: { role: string; time: string }, q: SearchQuery): boolean {
  if (q.role !== null && m.role !== q.role) return false;
  if (q.sinceMs === null && q.untilMs === null) return true;
  const t = parseRfc3339(m.time);
  if (t === null) return false;
  return !((q.sinceMs !== null && t < q.sinceMs) || (q.untilMs !== null && t > q.untilMs));
}

/**
 * Checks each message it is handed: the searched text is the body, with
 * `--tools` then "\n" and the tools' text (when both have some). `accept`
 * picks the messages checked (all, by default).
 */
export class HitCollector implements MessageTextConsumer {
  readonly wantsTools: boolean;
  readonly hits: MessageHit[] = [];
  #heading: MessageHeading | null = null;
  #matcher: TextMatcher | null = null;
  #body = false;
  #tools = false;

  constructor(
    readonly path: string,
    readonly q: SearchQuery,
    readonly accept: (m: MessageHeading) => boolean = () => true,
  ) {
    this.wantsTools = q.tools;
  }

  start(m: MessageHeading): void {
    const wanted = passesFilters(m, this.q) && this.accept(m);
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
): Promise<MessageHit[]> {
  const c = new HitCollector(path, q);
  await readMessageStream(path, c, { start, firstIndex, stats });
  return c.hits;
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
      return {
        hits: [],
        problem: `Cannot read "${file.path}": ${describeSystemError(err)}; skipped it`,
      };
    }
  });
  return {
    hits: results.flatMap((r) => r.hits),
    problems: results.flatMap((r) => r.problem === null ? [] : [r.problem]),
  };
}

/**
 * The hits in `files`, read directly (no index).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanSearch } from "./search.ts";
 *
 * const q = { terms: ["x"], tools: false, role: null, sinceMs: null, untilMs: null };
 * const file = { path: "/nonexistent.jsonl", dir: "d", bytes: 0, mtimeMs: 0 };
 * const r = await scanSearch([file], q, { bytesRead: 0 });
 * assert.deepEqual(r.hits, []);
 * assert.match(r.problems[0], /^Cannot read "\/nonexistent.jsonl": .*; skipped it$/);
 * ```
 */
export async function scanSearch(
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
  pause: SearchPause = () => {},
): Promise<SearchResult> {
  const r = await perFile(files, (file) => fileHits(file.path, q, stats));
  pause("search-hits");
  return r;
}
