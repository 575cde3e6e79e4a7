/**
 * Writing `export --html`'s site from its plan: each session's page through
 * `show --html`'s own page writer (one at a time, each file whole or not at
 * all, always a new file renamed over the name: a link at a page's name is
 * replaced, never written through), only where its key changed; then the index page, streamed row by row
 * (and left as it was when its text is the same); then the pages of sessions
 * no longer exported are removed, and the manifest says what is there.
 *
 * A page's key is a hash of what it is made from: the tool's version, the
 * session file as the index knows it (path, size, modification time, inode,
 * status change), the links, and the page flags. Not a verb.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { PathError } from "../base/errors.ts";
import { describeSystemError } from "../base/errors.ts";
import { VERSION } from "../base/version.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { INDEX_PAGE, isFileIn, removePage } from "../io/site_dir.ts";
import { writeManifest } from "../io/site_manifest.ts";
import { openReplacement } from "../io/file_output.ts";
import { PROJECT_END, projectStart, siteEnd, siteRow, siteStart } from "../render/site_index.ts";
import type { Context } from "./context.ts";
import { type HtmlFlags, writePageTo } from "./html_output.ts";
import type { SitePlan } from "./export_plan.ts";
import type { PageLink } from "../render/html_page.ts";
import type { TranscriptFlags } from "./transcript_options.ts";

/** What an export did. */
export interface ExportCounts {
  /** Sessions in the site. */
  sessions: number;
  /** Pages written, left as they were, removed, and not written (a session that could not be read). */
  written: number;
  unchanged: number;
  removed: number;
  failed: number;
}

/** Bytes of the index page gathered before a write. */
const INDEX_CHUNK = 64 * 1024;

/**
 * What the page flags say, as one hash for the pages' keys (made once a
 * run, not once a page): every field of the transcript flags (a field added
 * later counts too), the HTML flags, and the home shown as `~`.
 */
export function flagsKey(f: TranscriptFlags, h: HtmlFlags, home: string): string {
  const text = JSON.stringify([f, h, home], (_k, v) => (v instanceof Set ? [...v].sort() : v));
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The key of a session's page: the tool's version, the file as the index
 * knows it (status change in whole seconds, the precision every runtime
 * gives), its links and the flags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageKey } from "./export_write.ts";
 * const file = { path: "/h/s.jsonl", dir: "d", bytes: 10, mtimeMs: 5 };
 * const key = pageKey(file, [], "flags");
 * assert.match(key, /^[0-9a-f]{64}$/);
 * assert.notEqual(pageKey({ ...file, bytes: 11 }, [], "flags"), key);
 * assert.notEqual(pageKey(file, [{ label: "", href: "index.html", text: "x" }], "flags"), key);
 * ```
 */
export function pageKey(file: SessionFile, links: PageLink[], flags: string): string {
  const ctime = file.ctimeMs === undefined ? null : Math.floor(file.ctimeMs / 1000);
  const made = [VERSION, file.path, file.bytes, file.mtimeMs, file.dev, file.ino, ctime, links];
  return createHash("sha256").update(JSON.stringify([made, flags])).digest("hex");
}

/** Writes the site into `dir` (opened: `plan.manifests` holds its old manifest). */
export async function writeSite(
  ctx: Context,
  f: TranscriptFlags,
  h: Omit<HtmlFlags, "output">,
  dir: string,
  plan: SitePlan,
): Promise<ExportCounts> {
  const counts = {
    sessions: plan.totals.sessions,
    written: 0,
    unchanged: 0,
    removed: 0,
    failed: 0,
  };
  const flags = flagsKey(f, { output: null, ...h }, f.redactPaths ? ctx.userHome : "");
  const m = plan.manifests;
  // Pages about to be written are listed first: a run cut short leaves
  // none that a later run would not know to be its own.
  const pending = m.newPages() > 0;
  if (pending) await writeManifest(dir, m.oldIndex, m.pending(), ctx.pid);
  const missing = new Set<string>();
  let done = 0;
  let bytes = 0;
  for (const p of plan.pages()) {
    const links = p.links;
    const key = pageKey(p.file, links, flags);
    ctx.progress.update(++done, counts.sessions, bytes += p.file.bytes);
    const before = p.oldKey ?? undefined;
    if (before === key && await isFileIn(dir, p.name)) {
      counts.unchanged++;
      m.setNext(p.name, key);
      continue;
    }
    try {
      const { summary } = await ctx.scope.source.scan(p.file);
      const out = await openReplacement(join(dir, p.name), ctx.pid);
      await writePageTo(ctx, f, h, p.file, summary, links, out);
      counts.written++;
      m.setNext(p.name, key);
    } catch (err) {
      // A page that cannot be written into the directory stops the run; a
      // session that cannot be read is left out (its old page kept).
      if (err instanceof PathError && err.path.startsWith(join(dir, "/"))) throw err;
      await ctx.warn(`Cannot read "${p.file.path}": ${describeSystemError(err)}; skipped it`);
      counts.failed++;
      if (before !== undefined && await isFileIn(dir, p.name)) m.setNext(p.name, before);
      else missing.add(p.name);
    }
  }
  await ctx.progress.clear();
  const index = await writeIndex(ctx, f.tz, dir, plan, missing, m.oldIndex);
  for (const name of m.oldNames()) {
    if (m.hasNext(name)) continue;
    if (await removePage(dir, name)) counts.removed++;
  }
  if (pending || index !== m.oldIndex || m.oldVersion !== 2 || !m.samePages()) {
    await writeManifest(dir, index, m.next(), ctx.pid);
  }
  return counts;
}

/**
 * Streams the index page to its file; keeps the file as it was when the
 * text is the same as last time (`oldKey`). Returns the text's key.
 */
async function writeIndex(
  ctx: Context,
  tz: string,
  dir: string,
  plan: SitePlan,
  missing: Set<string>,
  oldKey: string | null,
): Promise<string> {
  const out = await openReplacement(join(dir, INDEX_PAGE), ctx.pid);
  const hash = createHash("sha256");
  let held = "";
  const put = async (text: string) => {
    hash.update(text);
    held += text;
    if (held.length >= INDEX_CHUNK) {
      await out.write(held);
      held = "";
    }
  };
  try {
    const generator = `zot-sessions ${VERSION}`;
    await put(siteStart({ ...plan.totals, tz, generator }));
    for (const { project, pages } of plan.projects(false)) {
      await put(projectStart(project));
      for (const p of pages) await put(siteRow(p.row, missing.has(p.name) ? null : p.name, tz));
      await put(PROJECT_END);
    }
    await put(siteEnd(generator));
    await out.write(held);
    const key = hash.digest("hex");
    if (key === oldKey && await isFileIn(dir, INDEX_PAGE)) await out.abort();
    else await out.commit();
    return key;
  } catch (err) {
    await out.abort();
    throw err;
  }
}
