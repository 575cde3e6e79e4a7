/**
 * The shell of `show --html`'s page: the head (a Content-Security-Policy
 * that allows inline styles and `data:` images and nothing else), the style
 * sheet (light and dark, screen and print), the session's header, the table
 * of contents of user prompts and the end.
 *
 * @module
 */
import { escapeHtml } from "./html_text.ts";
import { htmlHead } from "./html_head.ts";
import { PAGE_CSS } from "./html_style.ts";

/**
 * No script, font, frame, form, connection or base URL: styles only inline,
 * images only `data:`. Nothing a page holds can reach the network.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The page's header: the session at a glance. Values are transcript text. */
export interface PageHeader {
  /** The heading: the title, else the first prompt, else the id. */
  title: string;
  /** Label and value, in order (labels are ours, values are escaped). */
  facts: [string, string][];
  /** The name of the generator, for the footer (e.g. `zot-sessions 0.2.0`). */
  generator: string;
  /**
   * Links to other pages (`export --html`: the site's index, the fork's
   * parent, its forks), shown under the heading; none on `show --html`'s.
   */
  links?: PageLink[];
}

/**
 * A link to another page of an exported site: a label of ours, a relative
 * target of ours (a file name the exporter made), and text that may be a
 * transcript's (escaped).
 */
export interface PageLink {
  label: string;
  href: string;
  text: string;
}

/** A user prompt in the table of contents. */
export interface TocEntry {
  index: number;
  time: string;
  text: string;
}

/**
 * The page up to the first message: head, style, header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageStart } from "./html_page.ts";
 * const html = pageStart({ title: "<b>", facts: [["Model", "gpt-5"]], generator: "x" });
 * assert.ok(html.startsWith("<!DOCTYPE html>") && html.includes("<h1>&lt;b&gt;</h1>"));
 * const linked = pageStart({
 *   title: "t", facts: [], generator: "x",
 *   links: [{ label: "Fork of", href: "session-0e19.html", text: "<i>fix</i>" }],
 * });
 * assert.ok(linked.includes('<a href="session-0e19.html">&lt;i&gt;fix&lt;/i&gt;</a>'));
 * ```
 */
export function pageStart(h: PageHeader): string {
  const facts = h.facts
    .map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`)
    .join("");
  const links = (h.links ?? []).map((l) =>
    `<li>${l.label ? `<span class="k">${escapeHtml(l.label)}</span> ` : ""}<a href="${
      escapeHtml(l.href)
    }">${escapeHtml(l.text)}</a></li>`
  );
  const nav = links.length === 0 ? "" : `\n<nav class="related"><ul>${links.join("")}</ul></nav>`;
  const head = htmlHead({ csp: PAGE_CSP, generator: h.generator, title: h.title, css: PAGE_CSS });
  return `${head}<body>
<header class="session">
<h1>${escapeHtml(h.title)}</h1>
<dl class="facts">${facts}</dl>${nav}
</header>
<main>
`;
}

/**
 * The rest of the page after the last message: the table of contents (last
 * in the document, so the page streams; the style places it beside the
 * messages, or above them on a narrow screen) and the footer. `more`:
 * prompts left out of the table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageEnd } from "./html_page.ts";
 * const html = pageEnd([{ index: 3, time: "14:03", text: "fix <it>" }], 0, "x");
 * assert.ok(html.includes('<a href="#m-3">'));
 * assert.ok(html.endsWith("</html>\n"));
 * ```
 */
export function pageEnd(toc: TocEntry[], more: number, generator: string): string {
  const items = toc.map((e) =>
    `<li><a href="#m-${e.index}"><span class="when">${escapeHtml(e.time)}</span>${
      escapeHtml(e.text)
    }</a></li>`
  ).join("\n");
  const rest = more > 0 ? `<p class="more">and ${more.toLocaleString("en-US")} more</p>` : "";
  const nav = toc.length === 0
    ? ""
    : `<nav class="toc"><h2>Prompts</h2><ol>\n${items}\n</ol>${rest}</nav>\n`;
  return `</main>
${nav}<footer>Made with ${escapeHtml(generator)} · one file, no scripts, no requests</footer>
</body>
</html>
`;
}
