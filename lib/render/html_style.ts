/**
 * The style sheet of `show --html`'s page: system fonts only (the page makes
 * no request), light and dark by `prefers-color-scheme`, a table of contents
 * beside the messages on a wide screen and above them on a narrow one, and
 * folds opened for print.
 *
 * @module
 */

/**
 * The colours, light and dark (by `prefers-color-scheme`), as custom
 * properties: the session pages' and the exported site's index share them.
 */
export const PALETTE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --fg: #1f2329; --muted: #646c76; --card: #ffffff; --line: #dde1e6;
  --code: #f2f4f7; --user: #2563eb; --user-bg: #eef4ff; --assistant: #7c3aed;
  --tool: #64748b; --error: #c62828; --error-bg: #fdecec; --event: #9a6700;
  --link: #1d4ed8; --del: #9f1c1c; --del-bg: #fdeaea; --ins: #166534; --ins-bg: #e6f6ea;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1115; --fg: #e4e7eb; --muted: #97a0ab; --card: #171a20; --line: #2b3038;
    --code: #1e2229; --user: #6ea1ff; --user-bg: #17223a; --assistant: #b794f6;
    --tool: #8b98a9; --error: #ff7b72; --error-bg: #2c1b1e; --event: #d6a84a;
    --link: #8ab4ff; --del: #ffaba6; --del-bg: #3b1e20; --ins: #8fdca0; --ins-bg: #16311f;
  }
}
`;

/** The page's CSS (our own text: nothing from a transcript is in it). */
export const PAGE_CSS = `${PALETTE_CSS}* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 78rem; padding: 1.5rem 1.25rem 3rem;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  display: grid; grid-template-columns: minmax(0, 1fr) 17rem; column-gap: 2rem;
  grid-template-areas: "head head" "main toc" "foot foot";
}
header.session { grid-area: head; margin-bottom: 1rem; }
main { grid-area: main; min-width: 0; }
nav.toc { grid-area: toc; }
footer { grid-area: foot; margin-top: 2rem; color: var(--muted); font-size: .8rem; text-align: center; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 1.55rem; line-height: 1.25; margin: 0 0 .75rem; overflow-wrap: anywhere; }
dl.facts {
  display: flex; flex-wrap: wrap; gap: .35rem 1.5rem; margin: 0; padding: .75rem 1rem;
  background: var(--card); border: 1px solid var(--line); border-radius: 10px; font-size: .85rem;
}
dl.facts div { display: flex; gap: .4rem; min-width: 0; }
dl.facts dt { color: var(--muted); white-space: nowrap; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
nav.related ul { list-style: none; margin: .6rem 0 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: .3rem 1.5rem; font-size: .85rem; }
nav.related li { overflow-wrap: anywhere; }
nav.toc { position: sticky; top: 1rem; align-self: start; max-height: calc(100vh - 2rem);
  overflow: auto; font-size: .85rem; padding: .25rem 0 0; }
nav.toc h2 { font-size: .75rem; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); margin: .5rem 0; }
nav.toc ol { list-style: none; margin: 0; padding: 0; border-left: 2px solid var(--line); }
nav.toc li a { display: block; padding: .3rem .6rem; color: var(--fg); overflow-wrap: anywhere; }
nav.toc li a:hover { background: var(--card); text-decoration: none; }
nav.toc .when { color: var(--muted); margin-right: .4rem; font-variant-numeric: tabular-nums; }
nav.toc .more { color: var(--muted); margin: .4rem .6rem; }
article.msg {
  position: relative; margin: .9rem 0; padding: .6rem 1rem .75rem; background: var(--card);
  border: 1px solid var(--line); border-left: 4px solid var(--accent, var(--tool));
  border-radius: 8px; scroll-margin-top: 1rem;
}
article.msg:target { box-shadow: 0 0 0 2px var(--accent, var(--tool)); }
article.user { --accent: var(--user); background: var(--user-bg); }
article.assistant { --accent: var(--assistant); }
article.tool { --accent: var(--tool); margin: -.45rem 0 .9rem 1.75rem; padding: .4rem 1rem .5rem; }
/* A result sits under its call: its time to the right, its role said by the place. */
article.tool > .head { position: absolute; right: 1rem; top: .45rem; margin: 0; }
article.tool > .head .role { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
.head { display: flex; align-items: baseline; gap: .6rem; margin-bottom: .3rem; font-size: .8rem; color: var(--muted); }
.role { font-weight: 650; color: var(--accent, var(--tool)); text-transform: capitalize; }
.head a.time { color: var(--muted); font-variant-numeric: tabular-nums; }
.head .note { font-style: italic; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0; }
pre, code { font: 12.5px/1.5 ui-monospace, SFMono-Regular, "Cascadia Mono", Menlo, Consolas, monospace; }
pre { margin: .4rem 0; padding: .55rem .75rem; background: var(--code); border-radius: 6px;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.text pre.code { margin: .5rem 0; }
code { background: var(--code); padding: .05rem .3rem; border-radius: 4px; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
.text code { font-size: .9em; }
pre.diff del, pre.diff ins { display: inline-block; min-width: 100%; text-decoration: none; }
pre.out.diff { background: var(--code); }
pre.diff del { color: var(--del); background: var(--del-bg); }
pre.diff ins { color: var(--ins); background: var(--ins-bg); }
.call { margin: .45rem 0; }
.call-head { font-size: .85rem; }
.call-head .tool { font: 600 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: var(--assistant); }
.call-head .tool::before { content: "▸ "; }
.arg-inline { margin-left: .5rem; }
.k { color: var(--muted); font-size: .8rem; }
.call .arg { margin: .25rem 0 .25rem 1rem; }
.call .arg > .k { display: block; }
details > summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
details > summary .n { margin-left: .3rem; }
.result > summary .tool { font: 600 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--tool); }
.result > summary .tool::before { content: "← "; }
.result.empty { color: var(--muted); font-size: .85rem; }
.result.error > summary, .result.error > .mark { color: var(--error); }
.result.error pre.out { background: var(--error-bg); }
.mark { font-weight: 600; font-size: .85rem; }
pre.out { max-height: none; }
figure.image { margin: .5rem 0; }
figure.image img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figure.image figcaption, .placeholder { color: var(--muted); font-size: .8rem; }
.placeholder { border: 1px dashed var(--line); border-radius: 6px; padding: .4rem .6rem; display: inline-block; }
details.reasoning { margin: .3rem 0; }
details.reasoning .text { color: var(--muted); font-style: italic; }
.encrypted { color: var(--muted); font-size: .85rem; font-style: italic; }
.cost { margin-top: .4rem; color: var(--muted); font-size: .75rem; text-align: right; font-variant-numeric: tabular-nums; }
.event { margin: .9rem 0; text-align: center; color: var(--event); font-size: .85rem; }
.event.damaged { color: var(--error); }
@media (max-width: 62rem) {
  body { grid-template-columns: minmax(0, 1fr); grid-template-areas: "head" "toc" "main" "foot"; }
  nav.toc { position: static; max-height: 16rem; margin-bottom: .5rem; }
  article.tool { margin-left: .75rem; }
}
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #555; --card: #fff; --user-bg: #fff; --code: #f4f4f4; }
  body { display: block; max-width: none; padding: 0; font-size: 11pt; }
  nav.toc, footer { display: none; }
  .head, details > summary, .call-head { break-after: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { list-style: none; }
}
`;
