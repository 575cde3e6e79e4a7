/**
 * `zot-sessions search WORDS…`: the messages whose text holds every word, in
 * this project (or all), from the index's search rows (kept up to date on
 * each run) or, without the index, from the files.
 *
 * @module
 */
import { choiceFlag, intFlag, type ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { checkHomes, sessionsElsewhere } from "../sessions/scope.ts";
import { progressLine } from "./progress.ts";
import { timeZoneFlag, ZONE_OPTIONS, ZONE_VALUES } from "./zone_flag.ts";
import { UsageError } from "../base/errors.ts";
import { parseTimeRange } from "../base/time.ts";
import { listCatalogs, listingProblems, newestFiles } from "../sessions/scope.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { sessionId } from "../sessions/info.ts";
import type { MessageHit, SearchQuery } from "../sessions/search_query.ts";
import { searchTerms } from "../sessions/search_match.ts";
import { describeSystemError } from "../base/errors.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import { allCommand, hitText, type SessionFacts } from "./search_hits.ts";
import { elsewhereHint } from "../render/shell.ts";

const ROLES = ["user", "assistant", "tool"] as const;
const SORTS = ["recent", "relevance"] as const;

/** `search`'s flags, checked and typed. */
export interface SearchOptions extends SearchQuery {
  all: boolean;
  model: string | null;
  /** At most this many hits (null: all, `-n 0`). */
  limit: number | null;
  sort: typeof SORTS[number];
  tz: string;
}

/**
 * Checks and types `search`'s flags and words.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchOptions } from "./search.ts";
 *
 * const o = searchOptions({ values: { role: "tool" }, positionals: ["Transf", "cart button"] }, 0);
 * assert.deepEqual([o.terms, o.tools, o.sort], [["transf", "cart button"], true, "recent"]);
 * assert.equal(searchOptions({ values: { limit: "0" }, positionals: ["x"] }, 0).limit, null);
 * assert.throws(() => searchOptions({ values: {}, positionals: [] }, 0), /give one or more words/);
 * ```
 */
export function searchOptions(
  flags: ParsedFlags,
  nowMs: number,
  env: Record<string, string | undefined> = {},
): SearchOptions {
  const v = flags.values;
  const text = (name: string) => v[name] as string | undefined;
  // Flags first: a bad value is named with the values it may take.
  const role = text("role") === undefined ? null : choiceFlag("--role", text("role")!, ROLES);
  const sort = choiceFlag("--sort", text("sort") ?? "recent", SORTS);
  const terms = searchTerms(flags.positionals);
  if (terms.length === 0) throw new UsageError("Cannot search: give one or more words");
  const tz = timeZoneFlag(flags, env);
  const range = parseTimeRange(text("since"), text("until"), nowMs, tz);
  return {
    terms,
    tools: v.tools === true || role === "tool",
    role,
    sinceMs: range.since?.ms ?? null,
    untilMs: range.until?.ms ?? null,
    all: v.all === true,
    model: text("model")?.toLowerCase() ?? null,
    limit: text("limit") === undefined ? null : intFlag("--limit", text("limit")!, 0) || null,
    sort,
    tz,
  };
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const o = searchOptions(flags, ctx.now, ctx.env);
  await checkHomes(ctx.scope);
  const catalogs = await listCatalogs(ctx.scope, o.all);
  for (const p of listingProblems(catalogs)) await ctx.warn(p);
  // A message after --since is in a file modified after it.
  const files = newestFiles(catalogs)
    .filter((f) => o.sinceMs === null || f.mtimeMs >= o.sinceMs);
  const byPath = new Map(files.map((f) => [f.path, f]));
  // Session facts (id, title, project, model) from the source: no re-read
  // of a file the index knows; null when it could not be read.
  const sessions = new Map<string, SessionFacts | null>();
  const sessionOf = async (path: string): Promise<SessionFacts | null> => {
    if (sessions.has(path)) return sessions.get(path)!;
    let facts: SessionFacts | null = null;
    try {
      const s = (await ctx.scope.source.scan(byPath.get(path)!)).summary;
      facts = {
        id: sessionId(path, s.firstMeta),
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
  const keep = async (h: MessageHit) => {
    const s = await sessionOf(h.path);
    return s !== null && (o.model === null || s.model.includes(o.model)) ? s : null;
  };
  // The index's text rows are brought up to date first: a progress line meanwhile.
  const progress = progressLine(ctx);
  let kept = 0;
  let shown = 0;
  const show = async (h: MessageHit, s: SessionFacts) => {
    kept++;
    if (o.limit !== null && shown >= o.limit) return;
    if (shown++ === 0) await progress.clear();
    await ctx.stdout.write(hitText(ctx, o, h, s));
  };
  // Newest first, hits are written as the source finds them, in order; a
  // search may stop at the limit, but not when hits are dropped by --model
  // after it. By relevance, every hit is found, then ranked.
  const streamed = o.sort === "recent";
  let found;
  try {
    found = await ctx.scope.source.search(files, o, {
      onProgress: progress.update,
      limit: streamed && o.model === null ? o.limit : null,
      score: !streamed,
      onHit: streamed
        ? async (h) => {
          const s = await keep(h);
          if (s !== null) await show(h, s);
        }
        : undefined,
    });
  } finally {
    await progress.clear();
  }
  // Files that could not be read (streamed: said after the hits; a file
  // gone mid-search fails its read and its scan alike: ctx.warn says it once).
  for (const p of found.problems) await ctx.warn(p);
  if (!streamed) {
    const facts = new Map<MessageHit, SessionFacts>();
    for (const h of found.hits) {
      const s = await keep(h);
      if (s !== null) facts.set(h, s);
    }
    for (const h of rank([...facts.keys()], files)) await show(h, facts.get(h)!);
  }
  // How many there are: exact when every hit was found, else more than shown.
  const total = found.count === null ? null : kept;
  if (shown === 0 && !ctx.json && !ctx.quiet) {
    await ctx.stderr.write(
      `No message ${o.all ? "in any project" : `for "${ctx.scope.cwd}"`} holds ${
        o.terms.map((t) => JSON.stringify(t)).join(" and ")
      }${o.tools ? "" : " (tool calls and results not searched: --tools)"}.\n`,
    );
    // A project without sessions: where they are instead.
    const elsewhere = !o.all && catalogs.every((c) => c.files.length === 0)
      ? await sessionsElsewhere(ctx.scope)
      : 0;
    if (elsewhere > 0) {
      const words = ["search", ...flags.positionals, "--all", ...ctx.scopeArgs];
      await ctx.stderr.write(elsewhereHint(elsewhere, words));
    }
  }
  if (o.limit !== null && (total === null || total > o.limit) && !ctx.quiet) {
    await ctx.stderr.write(
      `zot-sessions: ${shown} of ${total ?? `more than ${shown}`} hits shown; all of them: ${
        sanitizeForTerminal(allCommand(flags, ctx.scopeArgs), true)
      }\n`,
    );
  }
  return shown > 0 ? 0 : 1;
}

/**
 * Orders hits by relevance: more occurrences first; then the newest session,
 * then file order. (Newest first, the source gives them in order.)
 */
function rank(hits: MessageHit[], files: SessionFile[]) {
  const order = new Map(files.map((f, i) => [f.path, i]));
  return hits.sort((a, b) =>
    b.score - a.score || order.get(a.path)! - order.get(b.path)! || a.index - b.index
  );
}

/** The `search` verb. */
export const search: Command = {
  name: "search",
  summary: "find messages holding every word, in any session",
  env: ["TZ"],
  exitCodes: { 0: "hits found", 1: "no hits (or a failure)" },
  allowPositionals: true,
  options: {
    all: { type: "boolean", short: "a" },
    role: { type: "string" },
    tools: { type: "boolean" },
    since: { type: "string" },
    until: { type: "string" },
    model: { type: "string" },
    limit: { type: "string", short: "n" },
    sort: { type: "string" },
    ...ZONE_OPTIONS,
  },
  values: { role: ROLES, sort: SORTS, ...ZONE_VALUES },
  help: `Usage: zot-sessions search WORDS... [options]

Find the messages whose text holds every word, ignoring case, as part of
any word ("transf" finds "Transfers"). Each argument is one term: quote a
phrase ("cart button") to find it as written. The text of a message is its
text and reasoning summaries; with --tools also tool calls (names and
arguments) and tool results. Exit status: 0 with hits, 1 with none.

The first search indexes the message text of every session it looks at
(in the index, see "zot-sessions index --help"); later ones read only what
zot appended since. Tool calls and results, most of the bytes, are indexed
by the first search with --tools (it reads every session again). With
--no-index the files are read each time.

Options:
  -a, --all           every project (adds the project to each hit)
      --role ROLE     only user, assistant or tool messages (tool implies --tools)
      --tools         search tool calls and results too
      --since WHEN    messages at or after WHEN (as for ls)
      --until WHEN    messages at or before WHEN
      --model TEXT    sessions whose model or provider contains TEXT
  -n, --limit N       at most N hits (0: all); when there are more, says so
                      on stderr with the command that shows them all
      --sort KEY      recent (default: newest message first, as shell
                      history; with -n it stops after N hits) or relevance
                      (most occurrences first, then the newest session;
                      every candidate is read, so it costs more)
      --tz ZONE       the zone of times shown and of dates in --since/--until
      --utc           the same as --tz UTC
      --json          one JSON object per hit: {id, shortId, path, cwd, title,
                      index, role, time, snippet, matches}

Examples:
  zot-sessions search idempotency
  zot-sessions search "cart button" --all --since 30d
  zot-sessions search pytest --tools --json | jq -r .path`,
  run,
};
