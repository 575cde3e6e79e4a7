/**
 * Which sessions `export --html` puts in the site: those asked for this time
 * (the project's, every project's, or those named, `--since` applied), and
 * those the site already holds whose session still exists. A re-export with
 * `--since` or names therefore adds to the site and keeps the rest; only a
 * page whose session is gone from the catalogue (no readable file of the
 * homes has its id) is removed. Each is kept as its index row, read from the
 * catalogue: the row says what the session file says now. Not a verb.
 *
 * @module
 */
import { describeSystemError } from "../base/errors.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { type SessionInfo, sessionInfo } from "../sessions/info.ts";
import { damageWarning, type LoadProblem, loadSessions } from "../sessions/load.ts";
import { refScope, resolveRef } from "../sessions/refs.ts";
import type { SessionScope } from "../sessions/scope.ts";
import { type SiteSession, siteSession } from "../render/site_index.ts";
import { pageName } from "../io/site_dir.ts";
import type { Progress } from "../base/progress.ts";

/** Which sessions to export. */
export interface ExportSelection {
  /** Every project's (else the project's), when no reference is given. */
  all: boolean;
  /** Session references given; none: the project's (or every project's) sessions. */
  refs: string[];
  /** Only files last written at or after this instant (ms), or null. */
  sinceMs: number | null;
  /**
   * The session as its page shows it (`--redact-secrets`: its title and
   * first prompt without secrets), applied before the row's heading is cut,
   * so that no part of a secret is left at the cut.
   */
  shown?: (s: SessionInfo) => Promise<SessionInfo>;
}

/** A session of the site: its file and its index row. */
export interface FoundSession {
  file: SessionFile;
  row: SiteSession;
}

/** The sessions found, newest first, and what was met while reading them. */
export interface Selected {
  found: FoundSession[];
  problems: LoadProblem[];
}

/**
 * Reads the sessions asked for, newest first; `home`, when not "", is shown
 * as `~` in their headings. Named sessions are looked up as `show` looks one
 * up; a file that cannot be read is a problem, and is left out.
 */
export async function selectSessions(
  scope: SessionScope,
  o: ExportSelection,
  home: string,
  progress?: Progress,
): Promise<Selected> {
  const since = (f: SessionFile) => o.sinceMs === null || f.mtimeMs >= o.sinceMs;
  if (o.refs.length === 0) {
    const loaded = await loadRows(scope, {
      all: o.all,
      home,
      progress,
      keep: since,
      shown: o.shown,
    });
    return { found: loaded.found, problems: loaded.problems };
  }
  const found: FoundSession[] = [];
  const problems: LoadProblem[] = [];
  const refs = refScope(scope, o.all, true);
  const seen = new Set<string>();
  for (const ref of o.refs) {
    const file = await resolveRef(ref, refs);
    if (seen.has(file.path) || !since(file)) continue;
    seen.add(file.path);
    try {
      const { summary, ledger } = await scope.source.scan(file);
      const info = sessionInfo(file, summary, ledger);
      const message = damageWarning(file.path, summary.damagedCount, summary.damaged[0]);
      if (message !== null) problems.push({ message, session: info });
      found.push({ file, row: siteSession(await (o.shown?.(info) ?? info), home) });
    } catch (err) {
      problems.push({
        message: `Cannot read "${file.path}": ${describeSystemError(err)}; skipped it`,
      });
    }
  }
  found.sort((a, b) => b.row.updatedMs - a.row.updatedMs);
  return { found, problems };
}

/**
 * The sessions of the site's pages (`pages`: their names, from its
 * manifest) that were not selected and still exist in the catalogue of
 * every project, newest first. Reads the catalogue only when such a page
 * is listed; what it meets there is not reported (those sessions were not
 * asked for).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { FileSource } from "../sessions/source.ts";
 * import { keptSessions } from "./export_select.ts";
 * const home = await mkdtemp(join(tmpdir(), "zs-"));
 * const scope = { source: new FileSource(), homes: [home], cwd: "/p", base: "/" };
 * // A page whose session is in no home: gone, not kept.
 * assert.deepEqual(await keptSessions(scope, ["session-0e19.html"], [], ""), []);
 * await rm(home, { recursive: true });
 * ```
 */
export async function keptSessions(
  scope: SessionScope,
  pages: Iterable<string>,
  selected: FoundSession[],
  home: string,
  shown?: (s: SessionInfo) => Promise<SessionInfo>,
): Promise<FoundSession[]> {
  const wanted = new Set(pages);
  for (const s of selected) wanted.delete(pageName(s.row.id));
  if (wanted.size === 0) return [];
  const keep = (id: string) => wanted.has(pageName(id));
  return (await loadRows(scope, { all: true, home, keepSession: keep, shown })).found;
}

/** The catalogue's sessions as rows, with the files as listed (what the index knows them by). */
async function loadRows(scope: SessionScope, o: {
  all: boolean;
  home: string;
  progress?: Progress;
  keep?: (f: SessionFile) => boolean;
  keepSession?: (id: string) => boolean;
  shown?: (s: SessionInfo) => Promise<SessionInfo>;
}): Promise<Selected> {
  const files = new Map<string, SessionFile>();
  const loaded = await loadSessions(scope, {
    all: o.all,
    fileFilter: (f) => (o.keep?.(f) ?? true) && Boolean(files.set(f.path, f)),
    onProgress: o.progress?.update,
  });
  await o.progress?.clear();
  const found: FoundSession[] = [];
  for (const s of loaded.sessions) {
    if (o.keepSession?.(s.id) ?? true) {
      found.push({ file: files.get(s.path)!, row: siteSession(await (o.shown?.(s) ?? s), o.home) });
    }
  }
  return { found, problems: loaded.problems };
}
