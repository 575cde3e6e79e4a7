/**
 * `zot-sessions search WORDS…`: the messages whose text holds every word, in
 * this project (or all), from the index's search rows (kept up to date on
 * each run) or, without the index, from the files.
 *
 * @module
 */
import { type ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { checkHomes, sessionsElsewhere } from "../sessions/scope.ts";
import { ZONE_OPTIONS, ZONE_VALUES } from "./zone_flag.ts";
import { describeSystemError } from "../base/errors.ts";
import { listCatalogs, listingProblems, newestFiles } from "../sessions/scope.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { sessionId } from "../sessions/info.ts";
import { refScope, resolveRef } from "../sessions/refs.ts";
import { hitOrder, type MessageHit } from "../sessions/search_query.ts";
import { copiesAmong, InstantGroups } from "../sessions/search_forks.ts";
import type { SessionFacts } from "./search_hits.ts";
import { SearchOutput } from "./search_output.ts";
import { ROLES, type SearchOptions, searchOptions, SORTS } from "./search_options.ts";

/**
 * The files searched: the one `--session` names, or the project's (every
 * project's); and, for a project without sessions, how many the others hold.
 */
async function searchedFiles(
  ctx: Context,
  o: SearchOptions,
): Promise<{ files: SessionFile[]; elsewhere: number }> {
  let files: SessionFile[];
  let elsewhere = 0;
  if (o.session !== null) {
    // A path that is a link names the file it leads to: search only reads.
    files = [await resolveRef(o.session, refScope(ctx.scope, o.all, true))];
  } else {
    const catalogs = await listCatalogs(ctx.scope, o.all);
    for (const p of listingProblems(catalogs)) await ctx.warn(p);
    files = newestFiles(catalogs);
    if (!o.all && files.length === 0) elsewhere = await sessionsElsewhere(ctx.scope);
  }
  // A message after --since is in a file modified after it.
  return { files: files.filter((f) => o.sinceMs === null || f.mtimeMs >= o.sinceMs), elsewhere };
}

/**
 * How many of the hits `-n N` leaves out it counts at most, to say how many
 * more there are; past that the search stops and says "at least". Counting every
 * hit of a common word reads and matches all of them: on the bench home,
 * `search the --all -n 20` (4,412 hits) took 5.3 s counting them all and
 * 1.4 s stopping early (measured 2026-12-07, load ~10, warm index).
 */
export const COUNT_AT_MOST = 200;

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const o = searchOptions(flags, ctx.now, ctx.env);
  await checkHomes(ctx.scope);
  const { files, elsewhere } = await searchedFiles(ctx, o);
  const byPath = new Map(files.map((f) => [f.path, f]));
  // Session facts (id, title, project, model, fork) from the source: no
  // re-read of a file the index knows; null when it could not be read.
  const sessions = new Map<string, SessionFacts | null>();
  const sessionOf = async (path: string): Promise<SessionFacts | null> => {
    if (sessions.has(path)) return sessions.get(path)!;
    let facts: SessionFacts | null = null;
    try {
      const s = (await ctx.scope.source.scan(byPath.get(path)!)).summary;
      facts = {
        id: sessionId(path, s.firstMeta),
        parent: s.firstMeta?.parent || null,
        forkPoint: s.firstMeta?.forkPoint ?? null,
        cwd: s.meta?.cwd ?? "",
        title: s.title ?? s.firstPrompt,
        model: `${s.meta?.model ?? ""}\n${s.meta?.provider ?? ""}`.toLowerCase(),
      };
    } catch (err) {
      // Gone since its hits were found (gc, mv): as ls and cost skip it.
      await ctx.warn(`Cannot read "${path}": ${describeSystemError(err)}; skipped it`);
    }
    sessions.set(path, facts);
    return facts;
  };
  // The index's text rows are brought up to date first: a progress line meanwhile.
  const progress = ctx.progress;
  const out = new SearchOutput(ctx, o, flags, progress.clear, elsewhere);
  // Newest first, hits are written as the source finds them, in order. By
  // relevance, every hit is found, then ranked.
  const streamed = o.sort === "recent";
  const ranked: { h: MessageHit; s: SessionFacts; copyOf: string | null }[] = [];
  // A fork's copy of its parent's message is its parent's hit (--forks
  // shows it too); copies are among the hits of their original's instant.
  const groups = new InstantGroups(async (group) => {
    for (const h of group) await sessionOf(h.path);
    const copies = copiesAmong(group, (path) => sessions.get(path) ?? null);
    for (const h of group) {
      const s = sessions.get(h.path);
      const copyOf = copies.get(h) ?? null;
      if (!s || (copyOf !== null && !o.forks)) continue;
      if (o.model !== null && !s.model.includes(o.model)) continue;
      if (streamed) await out.add(h, s, copyOf);
      else ranked.push({ h, s, copyOf });
    }
  });
  let found;
  try {
    // With -n, the hits left out are counted up to COUNT_AT_MOST; past
    // that the search stops ("at least"): -l, --count and relevance
    // order need every hit.
    const counted = streamed && o.limit !== null && !o.files && !o.count;
    found = await ctx.scope.source.search(files, o, {
      onProgress: progress.update,
      score: !streamed,
      onHit: streamed ? (h) => groups.push(h) : undefined,
      limit: counted ? o.limit! + COUNT_AT_MOST : null,
    });
    out.partial = found.count === null;
    if (!streamed) {
      for (const h of found.hits.sort(hitOrder(files))) await groups.push(h);
    }
    await groups.flush();
  } finally {
    await progress.clear();
  }
  // Files that could not be read (streamed: said after the hits; a file
  // gone mid-search fails its read and its scan alike: ctx.warn says it once).
  for (const p of found.problems) await ctx.warn(p);
  for (const r of rank(ranked, files)) await out.add(r.h, r.s, r.copyOf);
  return await out.finish();
}

/**
 * Orders hits by relevance: more occurrences first; then the newest session,
 * then file order. (Newest first, the source gives them in order.)
 */
function rank<T extends { h: MessageHit }>(hits: T[], files: SessionFile[]): T[] {
  const order = new Map(files.map((f, i) => [f.path, i]));
  return hits.sort((x, y) => {
    const [a, b] = [x.h, y.h];
    return b.score - a.score || order.get(a.path)! - order.get(b.path)! || a.index - b.index;
  });
}

/** The `search` verb. */
export const search: Command = {
  name: "search",
  summary: "find messages holding every word, in any session",
  env: ["COLUMNS", "TZ"],
  exitCodes: { 0: "hits found", 1: "no hits (or a failure)" },
  allowPositionals: true,
  options: {
    all: { type: "boolean", short: "a" },
    session: { type: "string" },
    role: { type: "string" },
    tools: { type: "boolean" },
    since: { type: "string" },
    until: { type: "string" },
    model: { type: "string" },
    forks: { type: "boolean" },
    limit: { type: "string", short: "n" },
    sort: { type: "string" },
    "files-with-matches": { type: "boolean", short: "l" },
    count: { type: "boolean" },
    context: { type: "string", short: "C" },
    ...ZONE_OPTIONS,
  },
  values: { role: ROLES, sort: SORTS, session: "session", ...ZONE_VALUES },
  help: `Usage: zot-sessions search WORDS... [options]

Find the messages whose text holds every word, ignoring case, as part of
any word ("transf" finds "Transfers"). Each argument is one term: quote a
phrase ("cart button") to find it as written. The text of a message is its
text and reasoning summaries; with --tools also tool calls (names and
arguments) and tool results. A fork's copy of its parent's messages (those
before its fork point) is the parent's hit, shown once. Exit status: 0 with
hits, 1 with none.

The first search indexes the message text of every session it looks at
(in the index, see "zot-sessions index --help"); later ones read only what
zot appended since. Tool calls and results, most of the bytes, are indexed
by the first search with --tools (it reads every session again). With
--no-index the files are read each time, with the same answers.

Options:
  -a, --all           every project (adds the project to each hit)
      --session REF   only that session: id, id prefix, path, latest or
                      latest~N (its copies of its parent's messages too)
      --role ROLE     only user, assistant or tool messages (tool implies --tools)
      --tools         search tool calls and results too
      --since WHEN    messages at or after WHEN (as for ls)
      --until WHEN    messages at or before WHEN
      --model TEXT    sessions whose model or provider contains TEXT
      --forks         also a fork's copies of its parent's hits, each saying
                      whose copy it is
  -n, --limit N       at most N hits, or sessions with -l (0: all); when
                      there are more, says how many on stderr, with the
                      command that shows them all
      --sort KEY      recent (default: newest message first, as shell
                      history) or relevance (most occurrences first, then
                      the newest session)
  -l, --files-with-matches
                      each session with a hit once: its path (--json: {id,
                      shortId, path, cwd, title})
      --count         how many hits (--json: {hits, sessions})
  -C, --context N     N messages before and after each hit, one line each
      --tz ZONE       the zone of times shown and of dates in --since/--until
      --utc           the same as --tz UTC
      --json          one JSON object per hit: {id, shortId, path, cwd, title,
                      index, role, time, snippet, matches}, with --forks also
                      copyOf, with -C also context: [{index, role, time, text}]

On a terminal (or with COLUMNS) each hit's heading is cut to the width and
its snippet wrapped.

Examples:
  zot-sessions search idempotency
  zot-sessions search "cart button" --all --since 30d
  zot-sessions search retry -C 1 --session latest
  zot-sessions search pytest --tools -l --all
  zot-sessions search pytest --tools --json | jq -r .path`,
  run,
};
