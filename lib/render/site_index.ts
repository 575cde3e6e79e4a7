/**
 * `export --html`'s `index.html`: the projects, then their sessions newest
 * first (title, last activity, model, messages, spend), and the totals. It is
 * written in pieces ({@linkcode siteStart}, {@linkcode projectStart},
 * {@linkcode siteRow}, {@linkcode projectEnd}, {@linkcode siteEnd}) so that
 * the exporter streams it row by row. Every string from a transcript (titles,
 * projects, models, ids) goes through {@linkcode escapeHtml}; links are file
 * names the exporter made.
 *
 * The one script, {@linkcode FILTER_SCRIPT}, filters the rows as you type. It
 * adds the filter box itself, so the page without scripts shows every row and
 * no dead input; the Content-Security-Policy allows it by its hash and allows
 * nothing else.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { clockIn } from "../base/calendar.ts";
import { copiedMessages } from "../scan/ledger.ts";
import type { SessionInfo } from "../sessions/info.ts";
import { escapeHtml } from "./html_text.ts";
import { htmlHead } from "./html_head.ts";
import { formatCost, UNPRICED_NOTE } from "./format.ts";
import { redactPaths } from "./redact.ts";
import { projectFact, sessionHeading } from "./session_header.ts";
import { SITE_CSS } from "./site_style.ts";

/** What a row of the index shows of a session: little, as the exporter keeps one per session. */
export interface SiteSession {
  id: string;
  parent: string | null;
  /** The project as zot recorded it (the latest meta line's cwd): the rows' group. */
  cwd: string;
  /**
   * What its page's heading says (the title, else the first prompt, cut,
   * else the id); the home shown as `~` when asked.
   */
  heading: string;
  /** Last activity (the file's mtime), ms since the epoch. */
  updatedMs: number;
  model: string;
  /** The session's own messages (a fork's copy of its parent's left out), as its spend. */
  messages: number;
  /** The session's own spend (a fork's copy of its parent's left out), as `cost` counts it. */
  costUsd: number;
  unpricedTokens: number;
}

/**
 * The row's facts of a session; `home`, when not "", is shown as `~` in
 * the heading.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "../sessions/info.ts";
 * import { siteSession } from "./site_index.ts";
 *
 * const s = {
 *   id: "0e19291e-1", parent: null, forkPoint: null, cwd: "/home/me/app", title: null,
 *   firstPrompt: "fix   /home/me/app/x.go", updated: "2026-11-03T10:00:00.000Z",
 *   model: "gpt-5", messages: 4, spend: { costUsd: 0.5, unpricedTokens: 0 },
 * } as unknown as SessionInfo;
 * assert.equal(siteSession(s, "/home/me").heading, "fix ~/app/x.go");
 * // A fork at 3: its first 3 messages are its parent's.
 * assert.equal(siteSession({ ...s, parent: "p", forkPoint: 3 }, "").messages, 1);
 * ```
 */
export function siteSession(s: SessionInfo, home: string): SiteSession {
  const heading = sessionHeading(s.title, s.firstPrompt, s.id);
  return {
    id: s.id,
    parent: s.parent,
    cwd: s.cwd,
    heading: home ? redactPaths(heading, home) : heading,
    updatedMs: Date.parse(s.updated),
    model: s.model,
    messages: s.messages - copiedMessages(s.forkPoint, s.messages),
    costUsd: s.spend.costUsd,
    unpricedTokens: s.spend.unpricedTokens,
  };
}

/**
 * Filters the rows as you type: every word must be in the row's text or its
 * project's. It makes the box, so without scripts there is none.
 */
export const FILTER_SCRIPT = `
(() => {
  const sections = [...document.querySelectorAll("section.project")];
  const rows = sections.flatMap((s) => {
    const project = s.querySelector("h2").textContent;
    return [...s.querySelectorAll("tbody tr")]
      .map((tr) => ({ tr, text: (project + " " + tr.textContent).toLowerCase() }));
  });
  const box = document.createElement("div");
  box.className = "filter";
  const input = document.createElement("input");
  input.type = "search";
  input.placeholder = "Filter: title, project, model, id";
  input.setAttribute("aria-label", "Filter sessions");
  const count = document.createElement("span");
  count.className = "count";
  box.append(input, count);
  document.querySelector("main").before(box);
  const apply = () => {
    const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const r of rows) {
      r.tr.hidden = !words.every((w) => r.text.includes(w));
      if (!r.tr.hidden) shown++;
    }
    for (const s of sections) s.hidden = !s.querySelector("tbody tr:not([hidden])");
    count.textContent = words.length ? shown + " of " + rows.length + " sessions" : "";
  };
  input.addEventListener("input", apply);
  apply();
})();
`;

/**
 * The script's hash as a CSP source (`'sha256-…'`), computed from the exact
 * text the page holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scriptSource } from "./site_index.ts";
 * assert.equal(scriptSource(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
 * ```
 */
export function scriptSource(script: string): string {
  return `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;
}

/**
 * The index page's policy: its own inline style, its one script by hash,
 * nothing else (no request, no other script, no form, no base URL).
 */
export const SITE_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src ${
  scriptSource(FILTER_SCRIPT)
}; base-uri 'none'; form-action 'none'`;

/** The index page's header: the totals and the zone its times are in. */
export interface SiteHeader {
  projects: number;
  sessions: number;
  messages: number;
  costUsd: number;
  unpricedTokens: number;
  tz: string;
  /** The name of the generator (`zot-sessions 0.2.0`). */
  generator: string;
}

const count = (n: number, one: string) =>
  `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

/**
 * The page up to the first project: head, style, the totals.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SITE_CSP, siteStart } from "./site_index.ts";
 * const html = siteStart({
 *   projects: 1, sessions: 2, messages: 30, costUsd: 1.5, unpricedTokens: 0, tz: "UTC",
 *   generator: "zot-sessions",
 * });
 * assert.ok(html.includes(`content="${SITE_CSP}"`));
 * assert.ok(html.includes("2 sessions in 1 project · 30 messages · $1.50"));
 * ```
 */
export function siteStart(h: SiteHeader): string {
  const total = `${count(h.sessions, "session")} in ${count(h.projects, "project")} · ${
    count(h.messages, "message")
  } · ${formatCost(h.costUsd, h.unpricedTokens)}`;
  const head = htmlHead({
    csp: SITE_CSP,
    generator: h.generator,
    title: "zot sessions",
    css: SITE_CSS,
  });
  return `${head}<body>
<header class="site">
<h1>zot sessions</h1>
<p class="total">${escapeHtml(total)}</p>
<p class="zone">Last activity in ${
    escapeHtml(h.tz)
  }; messages and spend are each session's own (a fork's copy of its parent's left out).</p>${
    h.unpricedTokens > 0 ? `\n<p class="zone">${escapeHtml(UNPRICED_NOTE)}</p>` : ""
  }
</header>
<main>
`;
}

/** A project's heading: its directory as shown, how many sessions, their spend. */
export interface SiteProject {
  /** The project directory as zot recorded it; `shown` with the home as `~` when asked. */
  cwd: string;
  shown: string;
  sessions: number;
  costUsd: number;
  unpricedTokens: number;
}

/**
 * A project's section up to its first row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectStart } from "./site_index.ts";
 * const html = projectStart({ cwd: "/a<b", shown: "/a<b", sessions: 1, costUsd: 0, unpricedTokens: 0 });
 * assert.ok(html.includes("<h2>/a&lt;b <span"));
 * ```
 */
export function projectStart(p: SiteProject): string {
  const about = `${count(p.sessions, "session")} · ${formatCost(p.costUsd, p.unpricedTokens)}`;
  return `<section class="project">
<h2>${escapeHtml(projectFact(p.cwd, p.shown))} <span class="about">${escapeHtml(about)}</span></h2>
<table>
<thead><tr><th>Session</th><th>Id</th><th>Last activity</th><th>Model</th><th class="n">Messages</th><th class="n">Spend</th></tr></thead>
<tbody>
`;
}

/**
 * One session's row; `href` is its page's file name, or null when it has no
 * page (it could not be written). `fork`: it is a fork (of a session shown or not).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { siteRow } from "./site_index.ts";
 * const s = {
 *   id: "0e19291e-aa", parent: null, cwd: "/p", heading: "<script>", updatedMs: 0,
 *   model: "gpt-5", messages: 3, costUsd: 0.25, unpricedTokens: 0,
 * };
 * const html = siteRow(s, "session-0e19291e-aa.html", "UTC");
 * assert.ok(html.includes('<a href="session-0e19291e-aa.html">&lt;script&gt;</a>'));
 * assert.ok(html.includes("<td>1970-01-01 00:00</td>"));
 * ```
 */
export function siteRow(s: SiteSession, href: string | null, tz: string): string {
  const c = clockIn(s.updatedMs, tz);
  const title = href === null
    ? escapeHtml(s.heading)
    : `<a href="${escapeHtml(href)}">${escapeHtml(s.heading)}</a>`;
  const fork = s.parent ? ` <span class="fork">fork</span>` : "";
  return `<tr><td class="title">${title}${fork}</td><td class="id">${
    escapeHtml(s.id.slice(0, 8))
  }</td><td>${escapeHtml(`${c.date} ${c.time.slice(0, 5)}`)}</td><td>${
    escapeHtml(s.model)
  }</td><td class="n">${s.messages.toLocaleString("en-US")}</td><td class="n">${
    escapeHtml(formatCost(s.costUsd, s.unpricedTokens))
  }</td></tr>\n`;
}

/** The end of a project's section. */
export const PROJECT_END = "</tbody>\n</table>\n</section>\n";

/**
 * The end of the page: the footer and the filter script.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FILTER_SCRIPT, siteEnd } from "./site_index.ts";
 * assert.ok(siteEnd("x").endsWith(`<script>${FILTER_SCRIPT}</script>\n</body>\n</html>\n`));
 * ```
 */
export function siteEnd(generator: string): string {
  return `</main>
<footer>Made with ${escapeHtml(generator)} · static files, no requests</footer>
<script>${FILTER_SCRIPT}</script>
</body>
</html>
`;
}
