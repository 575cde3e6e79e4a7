/**
 * `search`'s flags, checked and typed ({@linkcode searchOptions}): the words,
 * where and what to search, and the output forms (`-l`, `--count`, `-C`).
 * Not a verb: `search` calls it.
 *
 * @module
 */
import { choiceFlag, intFlag, type ParsedFlags } from "./args.ts";
import { timeZoneFlag } from "./zone_flag.ts";
import { UsageError } from "../base/errors.ts";
import { parseTimeRange } from "../base/time.ts";
import { parseRef } from "../sessions/refs.ts";
import type { SearchQuery } from "../sessions/search_query.ts";
import { searchTerms } from "../sessions/search_match.ts";

/** The roles `--role` takes. */
export const ROLES = ["user", "assistant", "tool"] as const;
/** The orders `--sort` takes. */
export const SORTS = ["recent", "relevance"] as const;

/** `search`'s flags, checked and typed. */
export interface SearchOptions extends SearchQuery {
  all: boolean;
  model: string | null;
  /** At most this many hits, or sessions with `-l` (null: all, `-n 0`). */
  limit: number | null;
  sort: typeof SORTS[number];
  tz: string;
  /** `--session REF`: only that session (null: the project, or every one). */
  session: string | null;
  /** `--forks`: a fork's copies of its parent's messages are hits too. */
  forks: boolean;
  /** `-l`: each session with a hit, once. */
  files: boolean;
  /** `--count`: how many hits. */
  count: boolean;
  /** `-C N`: N messages before and after each hit (null: none). */
  context: number | null;
}

/**
 * Checks and types `search`'s flags and words.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchOptions } from "./search_options.ts";
 *
 * const o = searchOptions({ values: { role: "tool" }, positionals: ["Transf", "cart button"] }, 0);
 * assert.deepEqual([o.terms, o.tools, o.sort], [["transf", "cart button"], true, "recent"]);
 * assert.equal(searchOptions({ values: { limit: "0" }, positionals: ["x"] }, 0).limit, null);
 * assert.equal(searchOptions({ values: { context: "2" }, positionals: ["x"] }, 0).context, 2);
 * assert.throws(() => searchOptions({ values: {}, positionals: [] }, 0), /give one or more words/);
 * const both = { values: { "files-with-matches": true, count: true }, positionals: ["x"] };
 * assert.throws(() => searchOptions(both, 0), /Cannot use -l with --count/);
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
  const context = text("context") === undefined ? null : intFlag("-C", text("context")!, 0);
  const files = v["files-with-matches"] === true;
  const count = v.count === true;
  if (files && count) throw new UsageError("Cannot use -l with --count: choose one");
  if (context !== null && (files || count)) {
    throw new UsageError(`Cannot use -C with ${files ? "-l" : "--count"}: it shows no message`);
  }
  if (count && text("limit") !== undefined) {
    throw new UsageError("Cannot use -n with --count: it counts every hit");
  }
  const session = text("session") ?? null;
  if (session !== null) parseRef(session); // a malformed reference is a usage error
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
    session,
    forks: v.forks === true,
    files,
    count,
    context,
  };
}
