/**
 * What a search asks ({@linkcode SearchQuery}, {@linkcode SearchRun}) and
 * finds ({@linkcode MessageHit}, {@linkcode SearchResult}), the filters a
 * message passes before its text is read, and the default order of hits,
 * newest first: shared by the direct search (search.ts) and the index's.
 *
 * @module
 */
import { parseRfc3339 } from "../base/time.ts";
import type { SessionFile } from "./catalog.ts";
import type { Snippet } from "./search_match.ts";

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
  /**
   * Hits wanted, newest first ({@linkcode hitOrder}): the search may stop
   * once it holds the first `limit` and one more (which says there are
   * more). Null or absent: every hit.
   */
  limit?: number | null;
  /**
   * Handed each hit in the default order, newest first
   * ({@linkcode hitOrder}), as soon as it is known to come next, instead of
   * collecting it: the result's `hits` is then empty. The index streams
   * (every candidate's time is in its rows: they are read back in order);
   * the files are read whole first (a file's messages may be newer than
   * its last write), then their hits handed on. With a `limit`, at most
   * `limit + 1` hits.
   */
  onHit?: (hit: MessageHit) => Promise<void>;
  /**
   * Count every matching place of a hit (its `score`, for relevance);
   * default true. False: a line too long to parse is read only until its
   * snippet is known, and `score` counts the places read.
   */
  score?: boolean;
}

/** A message that matches. */
export interface MessageHit {
  path: string;
  index: number;
  role: string;
  time: string;
  /** How many separate places match (relevance; see {@linkcode SearchRun.score}). */
  score: number;
  snippet: Snippet;
}

/** The hits, and one warning per file that could not be read (it was skipped). */
export interface SearchResult {
  /**
   * Every hit, in no set order; or, with a `limit` and more hits than that,
   * at least the first `limit + 1` of them, newest first. None when they
   * were handed to {@linkcode SearchRun.onHit}.
   */
  hits: MessageHit[];
  problems: string[];
  /**
   * How many hits there are in all; null with a `limit` and more hits than
   * that (then the search may have stopped early: it is not counted).
   */
  count: number | null;
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
 * import { passesFilters } from "./search_query.ts";
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
 * A message's time in milliseconds for ordering: 0 (the oldest) when it has
 * none that parses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeMs } from "./search_query.ts";
 *
 * assert.equal(timeMs("1970-01-01T00:00:01Z"), 1000);
 * assert.equal(timeMs(""), 0);
 * ```
 */
export function timeMs(time: string): number {
  return parseRfc3339(time) ?? 0;
}

/**
 * The default order of hits, newest first, as in shell history: by message
 * time, then by the session's place in `files` (listed newest first), then
 * the later message first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hitOrder } from "./search_query.ts";
 *
 * const files = [{ path: "/b", dir: "d", bytes: 0, mtimeMs: 2 }, { path: "/a", dir: "d", bytes: 0, mtimeMs: 1 }];
 * const hit = (path: string, index: number, time: string) =>
 *   ({ path, index, time, role: "user", score: 1, snippet: { text: "", matches: [] } });
 * const hits = [hit("/a", 0, "2026-01-01T10:00:00Z"), hit("/b", 0, "2026-01-01T09:00:00+00:00"),
 *   hit("/a", 1, "2026-01-01T10:00:00Z"), hit("/b", 1, "2026-01-01T10:00:00Z")];
 * assert.deepEqual(hits.sort(hitOrder(files)).map((h) => `${h.path}${h.index}`), ["/b1", "/a1", "/a0", "/b0"]);
 * ```
 */
export function hitOrder(
  files: SessionFile[],
): (a: { path: string; index: number; time: string }, b: typeof a) => number {
  const place = new Map(files.map((f, i) => [f.path, i]));
  const times = new Map<string, number>();
  const t = (time: string) => {
    let ms = times.get(time);
    if (ms === undefined) times.set(time, ms = timeMs(time));
    return ms;
  };
  return (a, b) =>
    t(b.time) - t(a.time) || place.get(a.path)! - place.get(b.path)! || b.index - a.index;
}
