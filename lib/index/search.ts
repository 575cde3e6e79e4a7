/**
 * Finding the messages that match a search with the index's search rows
 * proposing candidates, each then checked exactly as it streams from its
 * session file (as `lib/sessions/search.ts` checks every message), so both
 * ways find the same hits.
 *
 * One read of the search rows (files and candidates at one moment); then, per
 * file, what the rows cannot vouch for is read directly: a file with no rows,
 * or changed since (compared as the index compares,
 * {@linkcode compareToSaved}), whole; one that grew, from where its rows
 * stop. Candidates are read back at their saved offsets, one line each.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import type { MessageHeading } from "../transcript/message_text_sink.ts";
import { readMessageStream } from "../transcript/message_text.ts";
import { isFileProblem } from "../base/errors.ts";
import { mapConcurrent } from "../base/pool.ts";
import { fileHits, HitCollector, perFile, scanSearch, skipped } from "../sessions/search.ts";
import {
  hitOrder,
  type MessageHit,
  passesFilters,
  type SearchPause,
  type SearchQuery,
  type SearchResult,
  type SearchRun,
} from "../sessions/search_query.ts";
import { compareToSaved, fingerprint } from "./compare.ts";
import type { SearchSnapshot } from "./search_store.ts";
import type { StoredMessage } from "./search_rows.ts";
import type { IndexStore } from "./store.ts";
import { IndexBusyError } from "./store_errors.ts";
import { RowDamagedError } from "./checksum.ts";
import { updateSearch } from "./search_update.ts";

/**
 * The FTS5 queries that find candidates, one per trigram of every term of
 * three characters or more (the tables keep only which rows hold a trigram,
 * no positions, so a term is asked for as its trigrams, anywhere in the
 * message; the exact check follows). Which table (body, or with tool text)
 * is the caller's choice. A trigram holding a newline is not asked for: the
 * searched text joins body and tools with one, which a piece of one of them
 * does not hold. Null when no trigram is left: then every message is a
 * candidate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ftsPhrases } from "./search.ts";
 *
 * assert.deepEqual(ftsPhrases(['a"bc', "go"]), ['"a""b"', '"""bc"']);
 * assert.deepEqual(ftsPhrases(["絵文字"]), ['"絵文字"']);
 * assert.equal(ftsPhrases(["go", "a\nb"]), null);
 * ```
 */
export function ftsPhrases(terms: string[]): string[] | null {
  const trigrams = new Set<string>();
  for (const t of terms) {
    const points = [...t];
    for (let i = 0; i + 3 <= points.length; i++) trigrams.add(points.slice(i, i + 3).join(""));
  }
  const phrases = [...trigrams].filter((t) => !t.includes("\n"))
    .map((t) => `"${t.replaceAll('"', '""')}"`);
  return phrases.length > 0 ? phrases : null;
}

/** The hits among candidates, each read back from its line (one that is not there any more is none). */
async function readBack(
  candidates: StoredMessage[],
  q: SearchQuery,
  stats: ByteCounter,
  scored: boolean,
): Promise<MessageHit[]> {
  const hits: MessageHit[] = [];
  for (const m of candidates) {
    if (passesFilters(m, q)) hits.push(...await readOne(m, q, stats, scored));
  }
  return hits;
}

/** The candidate's hit, read back from its line: none, or one. */
async function readOne(m: StoredMessage, q: SearchQuery, stats: ByteCounter, scored: boolean) {
  const same = (h: MessageHeading) =>
    h.offset === m.offset && h.length === m.length && h.index === m.index;
  const c = new HitCollector(m.path, q, same, scored);
  await readMessageStream(m.path, c, {
    start: m.offset,
    firstIndex: m.index,
    oneLine: m.length,
    stats,
  });
  return c.hits;
}

/**
 * The search rows of `files` brought up to date first (as far as another
 * run's write lets; a row that failed its checksum is a warning, among the
 * problems), then {@linkcode indexSearch}. An error of the database is
 * thrown: the caller then answers from the files.
 */
export async function updatedSearch(
  store: IndexStore,
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
  run: SearchRun = {},
): Promise<SearchResult> {
  const update = await updateSearch(store, files, stats, run.onProgress, { tools: q.tools });
  const r = await indexSearch(store, files, q, stats, run);
  return { ...r, problems: [...update.damaged, ...r.problems] };
}

/**
 * The hits in `files`, the index's search rows proposing candidates (rows
 * brought up to date first by the caller, or not: what they lack is read
 * from the files). Throws an error of the database (the caller then reads
 * the files), only before any hit is handed on. With a `limit` or an
 * `onHit`, candidates are read back newest first ({@linkcode hitOrder}:
 * their times are in the rows), each hit handed on as soon as it is found,
 * until the first `limit + 1` are.
 */
export async function indexSearch(
  store: IndexStore,
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
  run: SearchRun = {},
): Promise<SearchResult> {
  const scored = run.score ?? true;
  const phrases = ftsPhrases(q.terms);
  // No trigram to look for: every message is a candidate, read in order.
  if (phrases === null) return await scanSearch(files, q, stats, store.pause, run);
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
  if (run.limit != null || run.onHit !== undefined) {
    const r = await newestFirst(snap, files, q, stats, { ...run, scored, pause: store.pause });
    return { ...r, problems: [...damaged, ...r.problems] };
  }
  const r = await perFile(files, async (file) => {
    const path = file.path;
    const row = snap.files.get(path);
    const fp = await fingerprint(path);
    const how = row ? await compareToSaved(path, row, row.offset, fp, stats) : "changed";
    if (how === "changed") return await fileHits(path, q, stats, 0, 0, scored);
    const hits = await readBack(snap.candidates.get(path) ?? [], q, stats, scored);
    if (how === "grown") {
      hits.push(...await fileHits(path, q, stats, row!.offset, row!.nextIndex, scored));
    }
    return hits;
  });
  store.pause("search-hits");
  return { ...r, problems: [...damaged, ...r.problems] };
}

/**
 * {@linkcode indexSearch} newest first: what the rows cannot vouch for is
 * read first (those hits are known), then candidates are read back in order,
 * merged with those hits, until `limit + 1` are found. Each hit is handed to
 * `onHit` as it is found (the pause `search-hits` comes before the first),
 * or collected. A file that cannot be read is skipped, its hits with it:
 * those collected are dropped, those handed on before it failed stay (a
 * file removed in the middle of a search).
 */
async function newestFirst(
  snap: SearchSnapshot,
  files: SessionFile[],
  q: SearchQuery,
  stats: ByteCounter,
  o: SearchRun & { scored: boolean; pause: SearchPause },
): Promise<SearchResult> {
  const limit = o.limit ?? Infinity;
  const order = hitOrder(files);
  const known: MessageHit[] = [];
  const pending: StoredMessage[] = [];
  const failed = new Map<string, string>();
  await mapConcurrent(files, 2, async (file) => {
    const path = file.path;
    try {
      const row = snap.files.get(path);
      const fp = await fingerprint(path);
      const how = row ? await compareToSaved(path, row, row.offset, fp, stats) : "changed";
      if (how === "changed") {
        return void known.push(...await fileHits(path, q, stats, 0, 0, o.scored));
      }
      if (how === "grown") {
        known.push(
          ...await fileHits(path, q, stats, row!.offset, row!.nextIndex, o.scored),
        );
      }
      for (const m of snap.candidates.get(path) ?? []) if (passesFilters(m, q)) pending.push(m);
    } catch (err) {
      if (!isFileProblem(err)) throw err;
      failed.set(path, skipped(path, err));
    }
  });
  known.sort(order);
  pending.sort(order);
  let hits: MessageHit[] = [];
  let found = 0;
  let paused = false;
  const take = async (h: MessageHit) => {
    found++;
    if (o.onHit === undefined) return void hits.push(h);
    if (!paused) o.pause("search-hits");
    paused = true;
    await o.onHit(h);
  };
  let k = 0;
  let p = 0;
  while ((k < known.length || p < pending.length) && found <= limit) {
    if (k < known.length && (p === pending.length || order(known[k], pending[p]) < 0)) {
      const h = known[k++];
      if (!failed.has(h.path)) await take(h);
      continue;
    }
    const m = pending[p++];
    if (failed.has(m.path)) continue;
    let read;
    try {
      read = await readOne(m, q, stats, o.scored);
    } catch (err) {
      if (!isFileProblem(err)) throw err;
      failed.set(m.path, skipped(m.path, err));
      hits = hits.filter((h) => h.path !== m.path);
      if (o.onHit === undefined) found = hits.length;
      continue;
    }
    for (const h of read) await take(h);
  }
  if (!paused) o.pause("search-hits");
  return { hits, problems: [...failed.values()], count: found > limit ? null : found };
}
