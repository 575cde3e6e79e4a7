/**
 * `zot-sessions index`: brings the index up to date with every session under
 * the home(s) and says what it holds. `--rebuild` starts it afresh,
 * `--clear` empties it.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { FieldDocs } from "../base/field_docs.ts";
import type { Context } from "./context.ts";
import { checkHomes } from "../sessions/scope.ts";
import { UsageError } from "../base/errors.ts";
import { openForUpdate } from "../index/open.ts";
import { listCatalogs, listingProblems } from "../sessions/scope.ts";
import { formatBytes } from "../render/format.ts";
import { jsonForTerminal, sanitizeForTerminal } from "../render/sanitize.ts";

/** What `index --json` prints. */
export interface IndexReport {
  path: string;
  /** Session files the index holds of the home(s) asked about. */
  files: number;
  /** Their bytes: what a run without the index reads. */
  bytes: number;
  /** The database's size on disk (with its write-ahead log). */
  indexBytes: number;
  /** Session files it holds in all, of every home it has read. */
  indexFiles: number;
  /** Files of this run answered without reading, read from where they were left, read whole. */
  unchanged: number;
  resumed: number;
  rescanned: number;
  /** Rows dropped because their file is gone. */
  dropped: number;
  seconds: number;
}

/** What each field of `index --json` means (`zot-sessions help json`). */
export const INDEX_FIELDS: FieldDocs<IndexReport> = {
  path: "the database file",
  files: "the session files it holds of the home(s) asked about",
  bytes: "their bytes: what a run without the index reads",
  indexBytes: "the database's size on disk, with its write-ahead log",
  indexFiles: "the session files it holds in all, of every home it has read",
  unchanged: "files of this run answered without reading them",
  resumed: "files read from where the index had left them (zot appended)",
  rescanned: "files read whole (new, or changed in another way)",
  dropped: "rows dropped because their file is gone",
  seconds: "how long the run took",
};

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const v = flags.values;
  if (v.search === true && v.clear === true) {
    throw new UsageError("Cannot use --search with --clear: choose one");
  }
  if (v.rebuild === true && v.clear === true) {
    throw new UsageError("Cannot use --rebuild with --clear: choose one");
  }
  if (ctx.noIndex) {
    throw new UsageError("Cannot update the index with --no-index (or ZOT_SESSIONS_NO_INDEX=1)");
  }
  await checkHomes(ctx.scope);
  const start = ctx.clock();
  // Its own handle, not the run's source: a reason the index cannot be used
  // is this verb's error (exit 1).
  const index = await openForUpdate({
    dir: ctx.cacheDir,
    stats: ctx.stats,
    warn: ctx.warn,
    now: ctx.now,
    uid: ctx.uid,
    pause: ctx.pause,
  });
  let summary;
  let dropped = 0;
  // The files of the homes asked about: what the report counts (one index
  // serves every home it has read).
  const asked = new Set<string>();
  try {
    if (v.clear === true || v.rebuild === true) await index.clear(v.rebuild === true);
    if (v.clear !== true) {
      const catalogs = await listCatalogs(ctx.scope, true);
      for (const p of listingProblems(catalogs)) await ctx.warn(p);
      const files = catalogs.flatMap((c) => c.files);
      for (const f of files) asked.add(f.path);
      const progress = ctx.progress;
      const problems = await index.refresh(files, progress.update);
      await progress.clear();
      for (const p of problems) await ctx.warn(p);
      // Message text, once search has been used (or asked for here).
      if (v.search === true || await index.searchEnabled()) {
        const damaged = await index.refreshSearch(files, progress.update);
        await progress.clear();
        for (const message of damaged) await ctx.warn(message);
      }
      // Rows of files that are gone (removed, renamed) in any home; also
      // saves the rows this run read: the counts below include them.
      dropped = await index.dropGone();
    }
    summary = await index.finish(asked);
  } finally {
    await index.close();
  }
  const report: IndexReport = {
    ...summary,
    dropped,
    seconds: Math.round(ctx.clock() - start) / 1000,
  };
  if (ctx.json) {
    await ctx.stdout.write(
      jsonForTerminal(JSON.stringify(report, null, 2), ctx.stdout.isTTY) + "\n",
    );
    return 0;
  }
  if (ctx.quiet) return 0; // the cron form: warnings and errors only, as gc -q
  const n = (x: number) => x.toLocaleString("en-US");
  const lines = [
    ["Index", sanitizeForTerminal(report.path, true)],
    ["Files", `${n(report.files)} (${formatBytes(report.bytes)} of sessions)`],
    [
      "Size",
      formatBytes(report.indexBytes) +
      (report.indexFiles === report.files
        ? ""
        : ` (with ${n(report.indexFiles - report.files)} files of other homes)`),
    ],
  ];
  if (v.clear !== true) {
    lines.push([
      "Updated",
      `${n(report.rescanned)} read whole, ${n(report.resumed)} read from where they were left, ` +
      `${n(report.unchanged)} unchanged; ${n(report.dropped)} gone`,
    ]);
  }
  lines.push(["Took", `${report.seconds.toFixed(2)} s`]);
  await ctx.stdout.write(
    lines.map(([k, t]) => `${ctx.palette.bold(k.padEnd(8))} ${t}`).join("\n") + "\n",
  );
  return 0;
}

/** The `index` verb. */
export const index: Command = {
  name: "index",
  summary: "bring the index up to date and say what it holds",
  exitCodes: {
    1: "failure: the index cannot be used (a read-only or unusable cache) or saved (another run writing to it for more than 2 s)",
  },
  allowPositionals: false,
  options: {
    rebuild: { type: "boolean" },
    clear: { type: "boolean" },
    search: { type: "boolean" },
  },
  help: `Usage: zot-sessions index [--rebuild | --clear] [--search] [--json]

The index keeps what every session file held when it was last read (its
summary and spend events, where reading stopped) so that ls and cost read
only what zot appended since. It never changes an answer: a file that
changed in any other way is read whole again. Every run of ls, cost, show
and gc keeps it up to date; this brings all of it up to date at once (after
gc in the same cron job, say) and reports its size.

It lives in $XDG_CACHE_HOME/zot-sessions (~/.cache/zot-sessions), or
~/Library/Caches/zot-sessions on macOS, %LOCALAPPDATA%\\zot-sessions\\cache on
Windows; --cache-dir or $ZOT_SESSIONS_CACHE name another place. It holds
paths, sizes, times, each session's title and first prompt, model names and
token counts, the files its edit and write calls changed (for blame: their
paths, message numbers and results, no file text); once "search" has been used (or --search given), also where
each message is and a trigram index of its text (text and reasoning
summaries; tool calls and results too once a search used --tools; no
images) that tells search which messages to read back from the session
files. --clear drops all of it;
search indexes again when next used.

Options:
      --rebuild   forget everything and read every session again
      --clear     empty the index, message text included (the next runs fill
                  it again)
      --search    also index message text for search (done by the first
                  search otherwise)
      --json      the report as one object (fields: zot-sessions help json
                  index)

Files and bytes are those of the home(s) asked about; the index may hold
other homes' too (its Size counts them). With -q: no report, no warnings
(errors still print).

Examples:
  zot-sessions index
  zot-sessions gc --yes --older-than 90d && zot-sessions index --quiet`,
  run,
};
