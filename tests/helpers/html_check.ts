/**
 * What a page of `show --html` may hold, checked from its text: only the
 * tags, attributes, classes and link targets the renderer writes, the style
 * sheet exactly as the renderer has it, image sources that are `data:`
 * base64 of a raster type, and every `&` an entity the renderer writes. A
 * transcript that got markup into the page breaks one of these.
 *
 * @module
 */
import { PAGE_CSP } from "../../lib/render/html_page.ts";
import { PAGE_CSS } from "../../lib/render/html_style.ts";

/** Each tag the renderer writes, with the attributes it gives it. */
const TAGS: Record<string, string[]> = {
  "!doctype": ["html"],
  html: ["lang"],
  head: [],
  meta: ["charset", "http-equiv", "content", "name"],
  title: [],
  style: [],
  body: [],
  header: ["class"],
  h1: [],
  h2: [],
  dl: ["class"],
  div: ["class"],
  dt: [],
  dd: [],
  main: [],
  nav: ["class"],
  ol: [],
  ul: [],
  li: [],
  p: ["class"],
  footer: [],
  article: ["class", "id", "data-role"],
  span: ["class"],
  a: ["class", "href"],
  pre: ["class"],
  code: [],
  strong: [],
  del: [],
  ins: [],
  details: ["class", "open"],
  summary: [],
  figure: ["class"],
  figcaption: [],
  img: ["src", "alt"],
};

/** Every class the renderer uses. */
const CLASSES = new Set(
  ("session facts toc more when msg user assistant tool other head role time note text code " +
    "out diff call call-head arg arg-inline k n result error empty mark image placeholder " +
    "reasoning encrypted cost event damaged compaction related").split(" "),
);

/** What the `<meta>` tags may say. */
const META: Record<string, RegExp> = {
  charset: /^utf-8$/,
  "http-equiv": /^Content-Security-Policy$/,
  name: /^(referrer|viewport|color-scheme|generator)$/,
  content: /^[^<>"]*$/,
};

/** The links of a page: to its messages; on an exported site's page, to its other pages too. */
const HREF = /^#m-\d+$/;
const SITE_HREF = /^(#m-\d+|index\.html|session-[0-9a-z_-]+\.html)$/;

const VALUES: Record<string, RegExp> = {
  id: /^m-\d+$/,
  href: HREF,
  src: /^data:image\/(png|jpeg|gif|webp|avif|bmp);base64,[A-Za-z0-9+/=]*$/,
  lang: /^en$/,
  open: /^$/,
  html: /^$/,
};

const ENTITY = /&(?!(amp|lt|gt|quot|#39);)/;

/**
 * The problems of a page (empty when it holds only what the renderer
 * writes). `site`: a page of `export --html`, which also links to the
 * site's index and to other sessions' pages (by names the exporter makes).
 */
export function markupProblems(html: string, o: { site?: boolean } = {}): string[] {
  const problems: string[] = [];
  const styles = html.split("<style>").length - 1;
  let rest = html;
  if (styles > 0) {
    const start = html.indexOf("<style>") + "<style>".length;
    const end = html.indexOf("</style>", start);
    if (styles !== 1 || html.slice(start, end) !== PAGE_CSS) {
      problems.push("the style sheet is not the renderer's");
    }
    rest = html.slice(0, start) + html.slice(end);
  }
  if (html.includes("<meta http-equiv") && !html.includes(`content="${PAGE_CSP}"`)) {
    problems.push("the Content-Security-Policy is not the renderer's");
  }
  const text = rest.replace(/<[^<>]*>/g, (tag) => {
    problems.push(...tagProblems(tag, o.site === true));
    return "";
  });
  if (/[<>]/.test(text)) problems.push(`a stray < or > in text: ${around(text, /[<>]/)}`);
  if (ENTITY.test(text)) problems.push(`an & that is not an entity: ${around(text, ENTITY)}`);
  return problems;
}

function around(text: string, re: RegExp): string {
  const at = text.search(re);
  return JSON.stringify(text.slice(Math.max(0, at - 30), at + 30));
}

function tagProblems(tag: string, site: boolean): string[] {
  const m = /^<(\/?)([a-zA-Z0-9!]+)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*>$/.exec(tag);
  if (!m) return [`a tag the renderer does not write: ${tag.slice(0, 80)}`];
  const name = m[2].toLowerCase();
  const allowed = TAGS[name];
  if (!allowed) return [`a <${name}> element`];
  if (m[1] === "/") return m[3] === "" ? [] : [`attributes on a closing tag: ${tag}`];
  const out: string[] = [];
  for (const a of m[3].matchAll(/\s+([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
    const [attr, value = ""] = [a[1].toLowerCase(), a[2]];
    if (!allowed.includes(attr)) out.push(`attribute ${attr} on <${name}>`);
    else if (ENTITY.test(value)) out.push(`an & that is not an entity in ${attr}`);
    else if (attr === "class") {
      for (const c of value.split(" ")) if (!CLASSES.has(c)) out.push(`class ${JSON.stringify(c)}`);
    } else if (name === "meta" && !META[attr].test(value)) out.push(`<meta ${attr}="${value}">`);
    else if (
      attr === "href" && site ? !SITE_HREF.test(value) : VALUES[attr]?.test(value) === false
    ) {
      out.push(`${attr}="${value.slice(0, 60)}" on <${name}>`);
    }
  }
  return out;
}
