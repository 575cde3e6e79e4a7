/**
 * What `export --html` writes, before a byte is written: the sessions asked
 * for (the project's, every project's, or those named), each once, grouped by
 * project (newest project first, then newest session first), each with its
 * page's name, its links to its fork parent and its forks, and the totals.
 * Not a verb.
 *
 * @module
 */
import { NANOS } from "../base/counters.ts";
import { describeSystemError } from "../base/errors.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { sessionInfo } from "../sessions/info.ts";
import { damageWarning, type LoadProblem, loadSessions } from "../sessions/load.ts";
import { refScope, resolveRef } from "../sessions/refs.ts";
import type { SessionScope } from "../sessions/scope.ts";
import type { PageLink } from "../render/html_page.ts";
import { type SiteProject, type SiteSession, siteSession } from "../render/site_index.ts";
import { INDEX_PAGE, pageName } from "../io/site_dir.ts";
import type { Progress } from "../base/progress.ts";

/** Which sessions to export. */
export interface ExportSelection {
  /** Every project's (else the project's), when no reference is given. */
  all: boolean;
  /** Session references given; none: the project's (or every project's) sessions. */
  refs: string[];
  /** Only files last written at or after this instant (ms), or null. */
  sinceMs: number | null;
}

/** A session to export: its file, its row, its page and the page's links. */
export interface PlannedPage {
  file: SessionFile;
  row: SiteSession;
  name: string;
  links: PageLink[];
}

/** One project of the index: its heading and its pages, newest first. */
export interface PlannedProject {
  project: SiteProject;
  pages: PlannedPage[];
}

/** The whole site. */
export interface SitePlan {
  projects: PlannedProject[];
  sessions: number;
  messages: number;
  costUsd: number;
  unpricedTokens: number;
}

/** A session found, and what was met while reading it. */
export interface Selected {
  found: { file: SessionFile; row: SiteSession }[];
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
  const found: Selected["found"] = [];
  if (o.refs.length === 0) {
    // The catalogue's files, kept as listed (with what the index knows them by).
    const files = new Map<string, SessionFile>();
    const loaded = await loadSessions(scope, {
      all: o.all,
      fileFilter: (f) => since(f) && Boolean(files.set(f.path, f)),
      onProgress: progress?.update,
    });
    await progress?.clear();
    for (const s of loaded.sessions) {
      found.push({ file: files.get(s.path)!, row: siteSession(s, home) });
    }
    return { found, problems: loaded.problems };
  }
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
      found.push({ file, row: siteSession(info, home) });
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
 * Groups the sessions (newest first) into the site: each session id once
 * (the newest file of a session copied into two homes), projects in the
 * order of their newest session, and each page's links: the index, the
 * fork's parent when it is exported too, and the forks exported. `shown`
 * gives a project's directory as the page shows it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planSite } from "./export_plan.ts";
 *
 * const row = (id: string, parent: string | null, cwd: string, costUsd: number) => ({
 *   id, parent, cwd, heading: id, updatedMs: 0, model: "m", messages: 2, costUsd,
 *   unpricedTokens: 0,
 * });
 * const file = { path: "/f", dir: "d", bytes: 0, mtimeMs: 0 };
 * const plan = planSite([
 *   { file, row: row("b", "a", "/p", 0.25) },
 *   { file, row: row("c", null, "/q", 1) },
 *   { file, row: row("a", null, "/p", 0.5) },
 * ], (cwd) => cwd);
 * assert.deepEqual(plan.projects.map((p) => [p.project.cwd, p.pages.map((s) => s.row.id)]), [
 *   ["/p", ["b", "a"]],
 *   ["/q", ["c"]],
 * ]);
 * const [b, a] = plan.projects[0].pages;
 * assert.deepEqual(b.links.map((l) => [l.label, l.href]), [["", "index.html"], ["Fork of", "session-a.html"]]);
 * assert.deepEqual(a.links.map((l) => [l.label, l.href]), [["", "index.html"], ["Fork", "session-b.html"]]);
 * assert.deepEqual([plan.sessions, plan.messages, plan.costUsd], [3, 6, 1.75]);
 * ```
 */
export function planSite(
  found: { file: SessionFile; row: SiteSession }[],
  shown: (cwd: string) => string,
): SitePlan {
  const byId = new Map<string, PlannedPage>();
  for (const { file, row } of found) {
    if (!byId.has(row.id)) byId.set(row.id, { file, row, name: pageName(row.id), links: [] });
  }
  const forks = new Map<string, PlannedPage[]>();
  for (const p of byId.values()) {
    const parent = p.row.parent;
    if (parent === null || parent === p.row.id || !byId.has(parent)) continue;
    forks.set(parent, [...(forks.get(parent) ?? []), p]);
  }
  const projects = new Map<string, PlannedProject & { nanos: number }>();
  let nanos = 0;
  let messages = 0;
  let unpriced = 0;
  for (const p of byId.values()) {
    const parent = p.row.parent === null || p.row.parent === p.row.id
      ? undefined
      : byId.get(p.row.parent);
    p.links = [
      { label: "", href: INDEX_PAGE, text: "← All sessions" },
      ...(parent ? [{ label: "Fork of", href: parent.name, text: parent.row.heading }] : []),
      ...(forks.get(p.row.id) ?? []).map((f) => ({
        label: "Fork",
        href: f.name,
        text: f.row.heading,
      })),
    ];
    let g = projects.get(p.row.cwd);
    if (!g) {
      const project = {
        cwd: p.row.cwd,
        shown: shown(p.row.cwd),
        sessions: 0,
        costUsd: 0,
        unpricedTokens: 0,
      };
      g = { project, pages: [], nanos: 0 };
      projects.set(p.row.cwd, g);
    }
    g.pages.push(p);
    g.project.sessions++;
    // In nanodollars, as cost sums: the totals are exact to the last digit.
    const n = Math.round(p.row.costUsd * NANOS);
    g.nanos += n;
    g.project.costUsd = g.nanos / NANOS;
    g.project.unpricedTokens += p.row.unpricedTokens;
    nanos += n;
    messages += p.row.messages;
    unpriced += p.row.unpricedTokens;
  }
  return {
    projects: [...projects.values()].map(({ project, pages }) => ({ project, pages })),
    sessions: byId.size,
    messages,
    costUsd: nanos / NANOS,
    unpricedTokens: unpriced,
  };
}
