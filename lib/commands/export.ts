/**
 * `zot-sessions export --html DIR`: a static site of sessions, an index page
 * and one `show --html` page per session, written again only where a
 * session changed.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import type { FieldDocs } from "../base/field_docs.ts";
import { NoSessionHere, UsageError } from "../base/errors.ts";
import { describeSystemError } from "../base/errors.ts";
import { parseSize } from "../base/size.ts";
import { parseTimeRange } from "../base/time.ts";
import { checkHomes, sessionsElsewhere } from "../sessions/scope.ts";
import { parseRef } from "../sessions/refs.ts";
import type { SessionInfo } from "../sessions/info.ts";
import { INDEX_PAGE, openSiteDir } from "../io/site_dir.ts";
import { browserCommand, startBrowser } from "../io/browser.ts";
import { jsonForTerminal, sanitizeForTerminal } from "../render/sanitize.ts";
import { redactPaths } from "../render/redact.ts";
import { summaryToShow, type TranscriptFlags, transcriptFlags } from "./transcript_options.ts";
import { timeZoneFlag, ZONE_HELP, ZONE_OPTIONS, ZONE_VALUES } from "./zone_flag.ts";
import { reportProblems } from "./problems.ts";
import { SitePlan } from "./export_plan.ts";
import { keptSessions, selectSessions } from "./export_select.ts";
import { type ExportCounts, writeSite } from "./export_write.ts";

/** What `export --json` prints. */
export interface ExportReport extends ExportCounts {
  /** The directory, absolute. */
  dir: string;
  /** Its index page, and the same as a `file://` URL. */
  index: string;
  url: string;
}

/** What each field of `export --json` means (`zot-sessions help json`). */
export const EXPORT_FIELDS: FieldDocs<ExportReport> = {
  sessions: "the sessions the site holds",
  written: "pages written (new, or their session changed)",
  unchanged: "pages left as they were",
  removed: "pages removed: their session is gone (no file of the homes has its id)",
  failed: "sessions left out because they could not be read",
  dir: "the directory, absolute",
  index: "its index page",
  url: "the index page as a file:// URL",
};

/** `export`'s flags, checked. */
interface ExportOptions {
  dir: string;
  f: TranscriptFlags;
  maxImageBytes: number | null;
  all: boolean;
  refs: string[];
  sinceMs: number | null;
  open: boolean;
}

function exportOptions(ctx: Context, flags: ParsedFlags): ExportOptions {
  const v = flags.values;
  if (typeof v.html !== "string") {
    throw new UsageError("Cannot export without --html DIR: the site's directory");
  }
  if (v.html === "") throw new UsageError(`Cannot export to "": give a directory`);
  for (const ref of flags.positionals) parseRef(ref);
  if (v.all === true && flags.positionals.length > 0) {
    throw new UsageError("Cannot use --all with sessions named: choose one");
  }
  // The pages' flags are show --html's: its defaults (--redact-paths on) too.
  const page = { ...v, html: true, json: undefined };
  const f = transcriptFlags({ values: page, positionals: [] }, ctx.env);
  const max = v["max-image-bytes"];
  const since = v.since as string | undefined;
  const sinceMs = since === undefined
    ? null
    : parseTimeRange(since, undefined, ctx.now, timeZoneFlag(flags, ctx.env)).since!.ms;
  return {
    dir: isAbsolute(v.html) ? resolve(v.html) : resolve(ctx.processCwd, v.html),
    f,
    maxImageBytes: typeof max === "string" ? parseSize("--max-image-bytes", max) : null,
    all: v.all === true,
    refs: flags.positionals,
    sinceMs,
    open: v.open === true,
  };
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const o = exportOptions(ctx, flags);
  let counts: ExportCounts;
  await checkHomes(ctx.scope);
  const home = o.f.redactPaths ? ctx.userHome : "";
  // The index's titles are sent with the pages: their secrets go as the pages' do.
  const shown = o.f.redactSecrets ? (s: SessionInfo) => summaryToShow(ctx, o.f, s) : undefined;
  const plan = SitePlan.open((cwd) => home ? redactPaths(cwd, home) : cwd);
  try {
    const problems = await selectSessions(ctx.scope, { ...o, shown }, home, plan, ctx.progress);
    // Sessions named may be of any project: the hint lists every one.
    await reportProblems(ctx, o.all || o.refs.length > 0, problems);
    if (plan.added === 0) {
      const where = o.all ? "under the home" : `for "${ctx.scope.cwd}"`;
      const since = o.sinceMs === null ? "" : ` active since ${flags.values.since}`;
      throw new NoSessionHere(
        `Cannot export to "${o.dir}": no session${since} ${where}`,
        o.all || o.refs.length > 0 ? 0 : await sessionsElsewhere(ctx.scope),
      );
    }
    await plan.manifests.load(await openSiteDir(o.dir));
    // Every session of the catalogue was selected: the site's other pages are of sessions gone.
    const whole = o.all && o.sinceMs === null && o.refs.length === 0;
    if (!whole) await keptSessions(ctx.scope, plan, home, shown);
    plan.finish();
    counts = await writeSite(ctx, o.f, { maxImageBytes: o.maxImageBytes }, o.dir, plan);
  } finally {
    plan.close();
  }
  const index = join(o.dir, INDEX_PAGE);
  const report: ExportReport = { ...counts, dir: o.dir, index, url: pathToFileURL(index).href };
  if (ctx.json) {
    await ctx.stdout.write(
      jsonForTerminal(JSON.stringify(report, null, 2), ctx.stdout.isTTY) + "\n",
    );
  } else if (!ctx.quiet) {
    await ctx.stdout.write(summaryText(report));
  }
  if (o.open) await openIndex(ctx, index);
  return counts.failed > 0 ? 1 : 0;
}

/**
 * The summary: what was done, and where to open the site.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summaryText } from "./export.ts";
 * const r = {
 *   sessions: 12, written: 3, unchanged: 9, removed: 1, failed: 0,
 *   dir: "/tmp/site", index: "/tmp/site/index.html", url: "file:///tmp/site/index.html",
 * };
 * assert.equal(
 *   summaryText(r),
 *   "exported 12 sessions (3 written, 9 unchanged, 1 removed) to /tmp/site\n" +
 *     "open file:///tmp/site/index.html\n",
 * );
 * ```
 */
export function summaryText(r: ExportReport): string {
  const failed = r.failed > 0 ? `, ${r.failed} not readable` : "";
  return `exported ${r.sessions} session${
    r.sessions === 1 ? "" : "s"
  } (${r.written} written, ${r.unchanged} unchanged, ${r.removed} removed${failed}) to ${
    sanitizeForTerminal(r.dir, true)
  }\n` +
    `open ${r.url}\n`;
}

/** `--open`: the index page in the browser; a failure is a warning (the site is written). */
async function openIndex(ctx: Context, index: string): Promise<void> {
  const opener = browserCommand(index, ctx.env, ctx.platform);
  if (typeof opener === "string") return await ctx.warn(`Cannot open "${index}": ${opener}`);
  await startBrowser(opener, ctx.env).catch((err) =>
    ctx.warn(`Cannot run "${opener.program}": ${describeSystemError(err)}`)
  );
}

/** The `export` verb. */
export const exportCommand: Command = {
  name: "export",
  summary: "write a browsable site of sessions (HTML)",
  env: ["BROWSER", "TZ"],
  exitCodes: {
    0: "success: the site is written",
    1: "failure: DIR is not a site this command wrote, or cannot be written; no session to export; or a session could not be read (the others are written)",
  },
  allowPositionals: true,
  options: {
    html: { type: "string" },
    all: { type: "boolean", short: "a" },
    since: { type: "string" },
    open: { type: "boolean" },
    full: { type: "boolean" },
    usage: { type: "boolean" },
    "no-usage": { type: "boolean" },
    "redact-paths": { type: "boolean" },
    "no-redact-paths": { type: "boolean" },
    "redact-secrets": { type: "boolean" },
    "no-redact-secrets": { type: "boolean" },
    "max-image-bytes": { type: "string" },
    ...ZONE_OPTIONS,
  },
  values: { html: "dir", ...ZONE_VALUES },
  positionals: { kind: "session", many: true },
  help: `Usage: zot-sessions export --html DIR [--all | REF...] [options]

Write a site of sessions into DIR: index.html lists the projects, then their
sessions, newest first (title, last activity, model, messages, spend), with
the totals, and a box that filters the rows as you type; each session has
its page, the one show --html writes, with links to the fork it was made
from and to its forks. The pages make no request and work from file:// or
any static web server; the index's one script (allowed by its hash) is only
the filter, and the page works without it.

Run it again and only the pages of sessions that changed are written. The
site keeps the sessions it holds while they exist (--since and REF add to
it); the pages of sessions gone are removed. DIR must be new, empty, or a
site this command wrote (it lists its pages in DIR/.zot-sessions-export.json
and never touches another file of DIR).

Without REF: the sessions of the current project (--cwd DIR for another).
REF: a session id, an id prefix, a path or latest~N, as show takes them.

Options:
      --html DIR         the site's directory (made if missing; a link
                         to a directory is followed)
  -a, --all              every project under the home
      --since WHEN       only sessions active at or after WHEN (7d, 2026-11-01:
                         as ls --since takes it)
      --open             open the index page in the browser ($BROWSER)
      --full             no cutting of tool results and arguments
      --usage, --no-usage  each turn's cost and tokens (default: shown)
      --redact-paths, --no-redact-paths  your home directory shown as ~
                         (default: on)
      --redact-secrets, --no-redact-secrets  keys, tokens and passwords shown
                         as [redacted: KIND], counted on stderr (default: on)
      --max-image-bytes N  an image over N bytes (500kB, 2MB) is a
                         placeholder with its size (default: all shown)
${ZONE_HELP}
      --json             the summary as one object (fields: zot-sessions help
                         json export)

Examples:
  zot-sessions export --html ~/zot-site --all
  zot-sessions export --html site --since 30d --open
  zot-sessions export --html site 0e19 8740`,
  run,
};
