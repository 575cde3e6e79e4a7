/**
 * What `pick`'s keys do to the selected session, beyond moving: open its
 * HTML page in the browser (Ctrl-O), remove it through gc's rules
 * (Ctrl-D), and the full-text mode's search (Ctrl-S). Each answers with
 * the line the picker shows on its last row. Not a verb.
 *
 * @module
 */
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import type { Context } from "./context.ts";
import { gcOptions } from "./gc_options.ts";
import { writePage } from "./html_output.ts";
import { transcriptFlags } from "./transcript_options.ts";
import { browserCommand, startBrowser } from "../io/browser.ts";
import { describeSystemError } from "../base/errors.ts";
import { CONFIG_NAME, loadGcConfig } from "../gc/config.ts";
import { removeSession } from "../gc/remove_one.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import type { SessionInfo } from "../sessions/info.ts";
import { sessionsDir } from "../sessions/home.ts";
import { listCatalogs, newestFiles } from "../sessions/scope.ts";
import { searchTerms } from "../sessions/search_match.ts";
import { hitOrder, type MessageHit, timeMs } from "../sessions/search_query.ts";
import type { Palette } from "../render/color.ts";
import { formatProject, relativeTime } from "../render/format.ts";
import type { PickRow } from "../render/pick_rows.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";

/** A session on the list, and its row. */
export interface Entry {
  session: SessionInfo;
  row: PickRow;
}

/**
 * The catalogue's view of a listed session (what `scan` and `resume` take).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "../sessions/info.ts";
 * import { fileOf } from "./pick_actions.ts";
 *
 * const s = { path: "/h/x.jsonl", dir: "d", bytes: 10, updated: "2026-11-25T12:00:00.000Z" } as SessionInfo;
 * assert.deepEqual(fileOf(s), { path: "/h/x.jsonl", dir: "d", bytes: 10, mtimeMs: 1795608000000 });
 * ```
 */
export function fileOf(s: SessionInfo): SessionFile {
  return { path: s.path, dir: s.dir, bytes: s.bytes, mtimeMs: Date.parse(s.updated) };
}

/** Text from a session, for the status line. */
const clean = (text: string) => sanitizeForTerminal(text, true);

/** A name for a file made of an id from a transcript: nothing but letters, digits, - and _. */
const safeName = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64) || "session";

/**
 * Writes the session's HTML page (as `show --html` does, `--redact-paths`
 * and `--redact-secrets` on) to the temporary directory and opens it in the
 * browser; resolves to what to tell.
 */
export async function openPage(ctx: Context, s: SessionInfo): Promise<string> {
  const out = join(tmpdir(), `zot-sessions-${safeName(s.id)}.html`);
  try {
    const file = fileOf(s);
    const { summary } = await ctx.scope.source.scan(file);
    // show --html's page, with its defaults: the home as ~, no secret in it.
    const f = transcriptFlags({ values: { html: true }, positionals: [] }, ctx.env);
    await writePage(ctx, f, { output: out, maxImageBytes: null }, file, summary);
  } catch (err) {
    return `Cannot write the page "${out}": ${clean(messageOf(err))}`;
  }
  const opener = browserCommand(out, ctx.env, ctx.platform);
  if (typeof opener === "string") return `Wrote ${clean(out)}; cannot open it: ${opener}`;
  try {
    await startBrowser(opener, ctx.env);
  } catch (err) {
    return `Cannot run "${clean(opener.program)}": ${describeSystemError(err)}; the page is ${
      clean(out)
    }`;
  }
  return `Opened ${clean(out)}`;
}

/** An error's message, without its class. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : describeSystemError(err);
}

/** The home whose sessions directory holds `path`, or null. */
function homeOf(ctx: Context, path: string): string | null {
  return ctx.scope.homes.find((h) => path.startsWith(sessionsDir(h) + sep)) ?? null;
}

/** gc's settings for removing one session of `home` (its config's grace, orphans, archive). */
async function gcSettings(ctx: Context, home: string, path: string) {
  const config = await loadGcConfig(undefined, join(home, CONFIG_NAME));
  return gcOptions({ values: {}, positionals: [path] }, config, ctx);
}

/** The question Ctrl-D asks: remove (or archive, when the config says so) this session? */
export async function askRemove(ctx: Context, s: SessionInfo, p: Palette): Promise<string> {
  const home = homeOf(ctx, s.path);
  let archive: string | null = null;
  if (home !== null) {
    try {
      archive = (await gcSettings(ctx, home, s.path)).archive?.dir ?? null;
    } catch {
      // A bad config is said when the removal is tried.
    }
  }
  const what = archive === null ? "Remove" : `Archive (to ${clean(archive)})`;
  const title = clean(s.title ?? s.firstPrompt ?? "");
  return p.yellow(`${what} ${clean(s.shortId)}${title ? ` "${title}"` : ""}? y/N`);
}

/**
 * Removes (or archives) the session as `gc PATH --yes` would, with the
 * home's config; says what became of it, and whether it is gone.
 */
export async function removeChosen(
  ctx: Context,
  s: SessionInfo,
): Promise<{ gone: boolean; message: string }> {
  const id = clean(s.shortId);
  const home = homeOf(ctx, s.path);
  if (home === null) {
    return { gone: false, message: `Kept ${id}: not in a home's sessions directory` };
  }
  try {
    const g = await gcSettings(ctx, home, s.path);
    const r = await removeSession(s.path, {
      home,
      policy: g.policy,
      archive: g.archive,
      source: ctx.scope.source,
      pid: ctx.pid,
      clock: ctx.clock,
    });
    if (r.result === "kept") return { gone: false, message: `Kept ${id}: ${clean(r.why)}` };
    if (r.result === "archived") {
      return { gone: true, message: `Archived ${id} to ${clean(r.archivedTo ?? "the archive")}` };
    }
    return { gone: true, message: `Removed ${id}` };
  } catch (err) {
    return { gone: false, message: `Cannot remove ${id}: ${clean(messageOf(err))}` };
  }
}

/** Hits the full-text mode shows (the newest; it says when there are more). */
const HIT_MAX = 200;

/**
 * Ctrl-S's full-text mode: the query goes to the source's search (the
 * index's FTS rows, or the files), newest hits first; one search runs at a
 * time, and a query typed meanwhile is searched when it ends. `poke` tells
 * the picker that hits came.
 */
export class TextSearch {
  /** Grows with each new set of hits (the picker's column widths follow). */
  generation = 0;
  #asked = "";
  #searched: string | null = null;
  #running = false;
  #hits: MessageHit[] = [];
  #more = false;
  #problem = "";
  #files: SessionFile[] | null = null;
  #byPath = new Map<string, SessionInfo>();
  #entries: Entry[] | null = null;

  constructor(readonly ctx: Context, readonly all: boolean, readonly poke: () => void) {}

  /** The sessions hits are shown from (the picker's list): hits in others are left out. */
  sessions(list: SessionInfo[]): void {
    this.#byPath = new Map(list.map((s) => [s.path, s]));
    this.#entries = null;
  }

  /** Searches `query` (now, or when the running search ends). */
  ask(query: string): void {
    this.#asked = query;
    if (!this.#running) void this.#run();
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.#searched !== this.#asked) {
        const query = this.#asked;
        const terms = searchTerms(query.split(/\s+/).filter((w) => w !== ""));
        let hits: MessageHit[] = [];
        let more = false;
        this.#problem = "";
        if (terms.length > 0) {
          try {
            this.#files ??= newestFiles(await listCatalogs(this.ctx.scope, this.all));
            const found = await this.ctx.scope.source.search(
              this.#files,
              { terms, tools: false, role: null, sinceMs: null, untilMs: null },
              { limit: HIT_MAX, score: false },
            );
            hits = found.hits.filter((h) => this.#byPath.has(h.path)).sort(hitOrder(this.#files));
            more = found.count === null || hits.length > HIT_MAX;
            hits = hits.slice(0, HIT_MAX);
          } catch (err) {
            this.#problem = `Cannot search: ${clean(messageOf(err))}`;
          }
        }
        this.#searched = query;
        this.#hits = hits;
        this.#more = more;
        this.#entries = null;
        this.generation++;
        this.poke();
      }
    } finally {
      this.#running = false;
    }
  }

  /** A removed session's hits go. */
  forget(path: string): void {
    this.#byPath.delete(path);
    this.#hits = this.#hits.filter((h) => h.path !== path);
    this.#entries = null;
  }

  /** The hits as rows: the snippet, the project, the message's age, the session's id and the role. */
  entries(
    rowOf: (s: SessionInfo, now: number, home: string) => PickRow,
    ctx: Pick<Context, "now" | "userHome">,
  ): Entry[] {
    this.#entries ??= this.#hits.map((h) => {
      const session = this.#byPath.get(h.path)!;
      const row = rowOf(session, ctx.now, ctx.userHome);
      return {
        session,
        row: {
          ...row,
          title: clean(h.snippet.text),
          project: clean(formatProject(session.cwd, ctx.userHome)),
          age: relativeTime(timeMs(h.time), ctx.now),
          model: clean(session.shortId),
          spend: h.role,
          dim: false,
        },
      };
    });
    return this.#entries;
  }

  /** Right on the info line: how many hits, or that a search is running. */
  counter(): string {
    if (this.#running || this.#searched !== this.#asked) return "searching…";
    const n = this.#hits.length;
    return `${n}${this.#more ? "+" : ""} hit${n === 1 ? "" : "s"}`;
  }

  /** Said in place of the list when there are no hits. */
  emptyMessage(query: string): string {
    if (this.#problem) return this.#problem;
    if (query.trim() === "") {
      return "type words to find in the messages (ctrl-s: back to the sessions)";
    }
    if (this.#running || this.#searched !== this.#asked) return "searching…";
    return "no message holds all of these words";
  }
}
