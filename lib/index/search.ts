/**
 * Searching message text: the index's search rows brought up to date the
 * way the rest of the index is (a file that grew is read from where its rows
 * stop; one replaced or rewritten is read whole; rows of a file gone are
 * dropped), then candidates from the FTS5 table checked exactly
 * ({@linkcode matchRanges}). Without the index the files are read and
 * checked the same way: the same hits, slower.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import type { ByteCounter } from "../format/lines.ts";
import { mapConcurrent } from "../base/pool.ts";
import { parseRfc3339 } from "../base/time.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { type MessageText, readMessageTexts } from "../transcript/message_text.ts";
import { compareToSaved, fileFingerprint, hashes } from "./index_source.ts";
import { type IndexStore, type StoredMessage } from "./store.ts";
import { ftsQuery, matchRanges } from "./search_match.ts";
import { NO_PAUSE, type Pause } from "./pause.ts";

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
  /** The text that was searched, and where the terms are in it. */
  text: string;
  ranges: [number, number][];
}

/** What bringing the search rows up to date did. */
export interface SearchUpdate {
  unchanged: number;
  resumed: number;
  rescanned: number;
  dropped: number;
}

/** The text a query searches in a message. */
function searchedText(m: { body: string; tools: string }, tools: boolean): string {
  if (!tools || m.tools === "") return m.body;
  return m.body === "" ? m.tools : `${m.body}\n${m.tools}`;
}

/**
 * The hit a message makes, or null: role and time filters, then every term.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchMessage } from "./search.ts";
 *
 * const q = { terms: ["pytest"], tools: false, role: null, sinceMs: null, untilMs: null };
 * const m = { path: "/s.jsonl", index: 3, role: "tool", time: "", body: "", tools: "pytest: 2 passed" };
 * assert.equal(matchMessage(m, q), null);
 * assert.deepEqual(matchMessage(m, { ...q, tools: true })?.ranges, [[0, 6]]);
 * ```
 */
export function matchMessage(m: StoredMessage, q: SearchQuery): MessageHit | null {
  if (q.role !== null && m.role !== q.role) return null;
  if (q.sinceMs !== null || q.untilMs !== null) {
    const t = parseRfc3339(m.time);
    if (t === null) return null;
    if ((q.sinceMs !== null && t < q.sinceMs) || (q.untilMs !== null && t > q.untilMs)) return null;
  }
  const text = searchedText(m, q.tools);
  const ranges = matchRanges(text, q.terms);
  if (ranges === null) return null;
  return { path: m.path, index: m.index, role: m.role, time: m.time, text, ranges };
}

/**
 * Brings the search rows of `files` up to date, and drops the rows of files
 * that are gone. Reads only what was appended to a file since its rows were
 * written.
 */
export async function updateSearch(
  store: IndexStore,
  files: SessionFile[],
  stats: ByteCounter,
  onProgress?: (done: number, total: number, bytes: number) => void,
): Promise<SearchUpdate> {
  const counts: SearchUpdate = { unchanged: 0, resumed: 0, rescanned: 0, dropped: 0 };
  store.enableSearch();
  let done = 0;
  let bytes = 0;
  await mapConcurrent(files, 2, async (file) => {
    try {
      await updateFile(store, file, stats, counts);
    } catch {
      // Unreadable now (removed mid-run, permissions): its old rows, if any,
      // are dropped below when it is gone, else kept for the next run.
    } finally {
      onProgress?.(++done, files.length, bytes += file.bytes);
    }
  });
  const gone: string[] = [];
  for (const path of store.searchPaths()) {
    if (await stat(path).then(() => false, (e) => e?.code === "ENOENT")) gone.push(path);
  }
  if (gone.length > 0) store.write(() => gone.forEach((p) => store.deleteSearch(p)));
  counts.dropped = gone.length;
  return counts;
}

async function updateFile(
  store: IndexStore,
  file: SessionFile,
  stats: ByteCounter,
  counts: SearchUpdate,
): Promise<void> {
  const path = file.path;
  const fp = await fileFingerprint(file);
  const row = store.searchFile(path);
  const how = row ? await compareToSaved(path, row, row.offset, fp, stats) : "changed";
  if (how === "same") {
    counts.unchanged++;
    return;
  }
  // Grown in place (zot appends): read on from where reading stopped.
  const start = how === "grown" ? row!.offset : 0;
  const next = how === "grown" ? row!.nextIndex : 0;
  const found: StoredMessage[] = [];
  const end = await readMessageTexts(path, (ms: MessageText[]) => {
    for (const m of ms) found.push({ path, ...m });
  }, { start, firstIndex: next, stats });
  const h = await hashes(path, end.offset, stats);
  store.pause("search-file");
  if (start > 0) counts.resumed++;
  else counts.rescanned++;
  store.write(() => {
    if (start === 0) store.deleteSearch(path);
    store.addMessages(found);
    store.putSearchFile({
      path,
      ...fp,
      headHash: h.head,
      tailHash: h.tail,
      offset: end.offset,
      nextIndex: end.nextIndex,
    });
  });
}

/** The hits among the index's rows of `files` (brought up to date first by the caller). */
export function querySearch(
  store: IndexStore,
  files: SessionFile[],
  q: SearchQuery,
): MessageHit[] {
  const paths = new Set(files.map((f) => f.path));
  const hits: MessageHit[] = [];
  for (const m of store.searchMessages(ftsQuery(q.terms, q.tools), paths)) {
    const hit = matchMessage(m, q);
    if (hit) hits.push(hit);
  }
  store.pause("search-hits");
  return hits;
}

/** The hits in `files`, read directly (no index). */
export async function scanSearch(
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
  pause: Pause = NO_PAUSE,
): Promise<MessageHit[]> {
  const perFile = await mapConcurrent(files, 2, async (file) => {
    const hits: MessageHit[] = [];
    await readMessageTexts(file.path, (ms) => {
      for (const m of ms) {
        const hit = matchMessage({ path: file.path, ...m }, q);
        if (hit) hits.push(hit);
      }
    }, { stats }).catch(() => null); // unreadable now: no hits from it
    return hits;
  });
  pause("search-hits");
  return perFile.flat();
}
