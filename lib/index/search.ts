/**
 * Finding the messages that match a search: from the files directly, or
 * with the index's search rows proposing candidates. Either way each
 * message's text is checked exactly as it streams from its session file
 * ({@linkcode TextMatcher}), so both ways find the same hits, in memory that
 * does not grow with a message.
 *
 * With the index: one read of the search rows (files and candidates at one
 * moment); then, per file, what the rows cannot vouch for is read directly:
 * a file with no rows, or changed since (compared as the index compares,
 * {@linkcode compareToSaved}), whole; one that grew, from where its rows
 * stop. Candidates are read back at their saved offsets, one line each.
 *
 * @module
 */
import type { ByteCounter } from "../format/lines.ts";
import { describeSystemError } from "../base/errors.ts";
import { mapConcurrent } from "../base/pool.ts";
import { parseRfc3339 } from "../base/time.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import {
  type MessageHeading,
  type MessageTextConsumer,
  readMessageStream,
} from "../transcript/message_text.ts";
import { compareToSaved, fingerprint } from "./index_source.ts";
import { NO_PAUSE, type Pause } from "./pause.ts";
import { ftsPhrases, type Snippet } from "./search_match.ts";
import type { StoredMessage } from "./search_store.ts";
import { isFileProblem } from "./search_update.ts";
import { IndexBusyError, type IndexStore } from "./store.ts";
import { TextMatcher } from "./text_match.ts";
import { RowDamagedError } from "./checksum.ts";

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
 * `--tools` then "\n" and the tools' text (when both have some).
 */
class HitCollector implements MessageTextConsumer {
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

/** The hits in a file from `start` (a line start; `firstIndex`: its next message's index) on. */
async function scanFile(
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

/** The hits among candidates, each read back from its line (one that is not there any more is none). */
async function readBack(
  path: string,
  candidates: StoredMessage[],
  q: SearchQuery,
  stats: ByteCounter,
): Promise<MessageHit[]> {
  const hits: MessageHit[] = [];
  for (const m of candidates) {
    if (!passesFilters(m, q)) continue;
    const same = (h: MessageHeading) =>
      h.offset === m.offset && h.length === m.length && h.index === m.index;
    const c = new HitCollector(path, q, same);
    await readMessageStream(path, c, {
      start: m.offset,
      firstIndex: m.index,
      oneLine: m.length,
      stats,
    });
    hits.push(...c.hits);
  }
  return hits;
}

/** Runs `fn` per file; a file that cannot be read is a warning (skipped), anything else throws. */
async function perFile(
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

/** The hits in `files`, read directly (no index). */
export async function scanSearch(
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
  pause: Pause = NO_PAUSE,
): Promise<SearchResult> {
  const r = await perFile(files, (file) => scanFile(file.path, q, stats));
  pause("search-hits");
  return r;
}

/**
 * The hits in `files`, the index's search rows proposing candidates (rows
 * brought up to date first by the caller, or not: what they lack is read
 * from the files). Throws an error of the database (the caller then reads
 * the files).
 */
export async function indexSearch(
  store: IndexStore,
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
): Promise<SearchResult> {
  const phrases = ftsPhrases(q.terms);
  // No trigram to look for: every message is a candidate, read in order.
  if (phrases === null) return await scanSearch(files, q, stats, store.pause);
  const paths = new Set(files.map((f) => f.path));
  const snap = store.read(() => store.search.snapshot(paths, phrases, q.tools));
  store.pause("search-read");
  const damaged = snap.damaged.map((p) => new RowDamagedError(p).message);
  if (snap.damaged.length > 0) {
    // Their rows go: the next run indexes those files anew.
    try {
      store.write(() => snap.damaged.forEach((p) => store.search.deleteFile(p)));
    } catch (err) {
      if (!(err instanceof IndexBusyError)) throw err;
    }
  }
  const r = await perFile(files, async (file) => {
    const path = file.path;
    const row = snap.files.get(path);
    const fp = await fingerprint(path);
    const how = row ? await compareToSaved(path, row, row.offset, fp, stats) : "changed";
    if (how === "changed") return await scanFile(path, q, stats);
    const hits = await readBack(path, snap.candidates.get(path) ?? [], q, stats);
    if (how === "grown") hits.push(...await scanFile(path, q, stats, row!.offset, row!.nextIndex));
    return hits;
  });
  store.pause("search-hits");
  return { hits: r.hits, problems: [...damaged, ...r.problems] };
}
