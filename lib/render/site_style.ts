/**
 * The style sheet of `export --html`'s index page: the session pages'
 * colours (light and dark by `prefers-color-scheme`), system fonts, one
 * table per project.
 *
 * @module
 */
import { PALETTE_CSS } from "./html_style.ts";

/** The index page's CSS (our own text: nothing from a transcript is in it). */
export const SITE_CSS = `${PALETTE_CSS}* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 78rem; padding: 1.5rem 1.25rem 3rem;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 1.55rem; line-height: 1.25; margin: 0 0 .4rem; }
header.site p { margin: .2rem 0; }
header.site .total { font-size: 1.05rem; font-variant-numeric: tabular-nums; }
header.site .zone { color: var(--muted); font-size: .8rem; }
.filter { display: flex; align-items: center; gap: .75rem; margin: 1rem 0 .5rem; }
.filter input {
  flex: 0 1 28rem; font: inherit; padding: .4rem .65rem; color: var(--fg);
  background: var(--card); border: 1px solid var(--line); border-radius: 8px;
}
.filter .count { color: var(--muted); font-size: .85rem; }
section.project { margin: 1.5rem 0; }
section.project h2 { font-size: 1.05rem; margin: 0 0 .4rem; overflow-wrap: anywhere; }
section.project h2 .about { color: var(--muted); font-weight: normal; font-size: .85rem; margin-left: .4rem; }
table {
  width: 100%; border-collapse: collapse; background: var(--card); font-size: .9rem;
  border: 1px solid var(--line); border-radius: 10px; overflow: hidden;
}
th, td { padding: .4rem .7rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
tbody tr:last-child td { border-bottom: none; }
th { color: var(--muted); font-weight: 600; font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; }
td.title { overflow-wrap: anywhere; width: 55%; }
td.id { font: 12.5px/1.6 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); }
td:nth-child(3) { white-space: nowrap; font-variant-numeric: tabular-nums; }
td:nth-child(4) { white-space: nowrap; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.fork {
  font-size: .7rem; color: var(--assistant); border: 1px solid var(--assistant);
  border-radius: 4px; padding: 0 .3rem; margin-left: .35rem; vertical-align: 1px;
}
tbody tr:hover { background: var(--user-bg); }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; text-align: center; }
@media (max-width: 50rem) {
  td.id, th:nth-child(2), td:nth-child(4), th:nth-child(4) { display: none; }
}
`;
