/**
 * What `export --html` writes, before a byte is written: the sessions of the
 * site (lib/commands/export_select.ts), each once, grouped by project (newest
 * project first, then newest session first), each with its page's name and
 * its links to its fork parent and its forks, and the totals. Not a verb.
 *
 * @module
 */
import { NANOS } from "../base/counters.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import type { PageLink } from "../render/html_page.ts";
import type { SiteProject, SiteSession } from "../render/site_index.ts";
import { INDEX_PAGE, pageName } from "../io/site_dir.ts";
import type { FoundSession } from "./export_select.ts";

/** A session to export: its file, its row and its page's name (links: {@linkcode pageLinks}). */
export interface PlannedPage {
  file: SessionFile;
  row: SiteSession;
  name: string;
}

/** One project of the index: its heading and its pages, newest first. */
export interface PlannedProject {
  project: SiteProject;
  pages: PlannedPage[];
}

/**
 * The whole site. Per session it holds the row and the file alone; the
 * links are made when a page is written, from the fork parents and the
 * forks of the sessions exported.
 */
export interface SitePlan {
  projects: PlannedProject[];
  sessions: number;
  messages: number;
  costUsd: number;
  unpricedTokens: number;
  /** Each session exported, by id. */
  byId: Map<string, PlannedPage>;
  /** The forks exported of each session exported that has some. */
  forks: Map<string, PlannedPage[]>;
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
 * import { pageLinks, planSite } from "./export_plan.ts";
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
 * const links = (p: typeof a) => pageLinks(plan, p).map((l) => [l.label, l.href]);
 * assert.deepEqual(links(b), [["", "index.html"], ["Fork of", "session-a.html"]]);
 * assert.deepEqual(links(a), [["", "index.html"], ["Fork", "session-b.html"]]);
 * assert.deepEqual([plan.sessions, plan.messages, plan.costUsd], [3, 6, 1.75]);
 * ```
 */
export function planSite(found: FoundSession[], shown: (cwd: string) => string): SitePlan {
  const byId = new Map<string, PlannedPage>();
  for (const { file, row } of found) {
    if (!byId.has(row.id)) byId.set(row.id, { file, row, name: pageName(row.id) });
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
    byId,
    forks,
  };
}

/**
 * A page's links: the index, the fork's parent when it is exported too,
 * and its forks exported.
 */
export function pageLinks(plan: SitePlan, p: PlannedPage): PageLink[] {
  const parent = p.row.parent === null || p.row.parent === p.row.id
    ? undefined
    : plan.byId.get(p.row.parent);
  return [
    { label: "", href: INDEX_PAGE, text: "← All sessions" },
    ...(parent ? [{ label: "Fork of", href: parent.name, text: parent.row.heading }] : []),
    ...(plan.forks.get(p.row.id) ?? []).map((f) => ({
      label: "Fork",
      href: f.name,
      text: f.row.heading,
    })),
  ];
}
