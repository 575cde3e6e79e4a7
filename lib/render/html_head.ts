/**
 * The opening of every HTML page zot-sessions writes (`show --html`'s
 * pages, `export --html`'s index): the doctype, and a head with the
 * page's Content-Security-Policy, no referrer, a viewport, both colour
 * schemes, the generator, the title and the inline style sheet.
 *
 * @module
 */
import { escapeHtml } from "./html_text.ts";

/** What a page's head holds; `title` and `generator` are escaped, `csp` and `css` are ours. */
export interface HtmlHead {
  csp: string;
  generator: string;
  title: string;
  css: string;
}

/**
 * The page from `<!DOCTYPE html>` to `</head>`, a newline after it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { htmlHead } from "./html_head.ts";
 * const head = htmlHead({ csp: "default-src 'none'", generator: "x", title: "<t>", css: "p{}" });
 * assert.ok(head.startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"));
 * assert.ok(head.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`));
 * assert.ok(head.endsWith("<title>&lt;t&gt;</title>\n<style>p{}</style>\n</head>\n"));
 * ```
 */
export function htmlHead(h: HtmlHead): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h.csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="${escapeHtml(h.generator)}">
<title>${escapeHtml(h.title)}</title>
<style>${h.css}</style>
</head>
`;
}
