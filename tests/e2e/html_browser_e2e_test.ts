/**
 * `show --html` in a real browser: headless Chromium (Debian's `chromium`
 * package; `.ci/run` installs it) loads the built binary's pages of every
 * example session and of a hostile one.
 *
 * The page allows no script (its Content-Security-Policy), so the checks run
 * in a wrapper page of the test's own that holds the pages in iframes
 * (`--allow-file-access-from-files` lets it read them) and writes what it
 * finds into its DOM, which `--dump-dom` prints: one article per message
 * with the role `show --json` gives, every image decoded (`naturalWidth >
 * 0`), and no element, attribute or link the transcript asked for.
 * Screenshots, light and dark, are decoded and must show a page.
 *
 * Without Chromium these tests are skipped, the reason recorded, outside
 * CI; with `CI` set they fail. Chromium never runs under libfaketime (it
 * times out there): `runChromium` leaves it out.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, exampleWorkdir } from "./harness.ts";
import { importedSession, parseNdjson, PNG_1X1 } from "../helpers/transcripts.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { needs } from "../helpers/skips.ts";
import { spawnSync } from "../helpers/spawn.ts";
import { messageLine, metaLine, renameLine } from "../helpers/fixtures.ts";
import { decodePng } from "../helpers/png.ts";
import { findChromium, runChromium } from "../../scripts/chromium.ts";

const BROWSER = findChromium();
/** A reason to skip, or false to run (in CI a missing browser fails instead). */
const skip = needs("Chromium (apt-get install -y chromium)", BROWSER !== null);

const SCRIPT = `<script>document.title="pwned"</script>`;
const IMG = `<img src=x onerror="document.title='pwned'">`;
const LINK = `<a href="javascript:alert(1)">link</a>`;
const STYLE = `</style><style>body{display:none}</style>`;
const TITLE = `</title><script>alert(1)</script>`;

/** A session whose every string tries to be markup, script, a link or CSS. */
function hostileSession(): string[] {
  const t = "2026-10-02T09:00:00Z";
  const cwd = "/home/dev/evil";
  return [
    metaLine({ id: "e0e0e0e0-1111-4222-8333-000000000001", cwd }),
    renameLine(TITLE),
    messageLine("user", [
      { text: `${SCRIPT} ${IMG} [click](javascript:alert(1)) ${LINK} ${STYLE}` },
      { mime_type: "image/png", data: PNG_1X1 },
      { mime_type: "image/svg+xml", data: btoa(`<svg onload="alert(1)"/>`) },
      { mime_type: `image/png" onerror="alert(1)`, data: PNG_1X1 },
    ], t),
    messageLine("assistant", [
      { reasoning_id: "r", summary: "<marquee>thinking</marquee>" },
      { text: "```html\n<script>alert(2)</script>\n```\n**<b>bold</b>** `<i>`" },
      {
        id: "c1",
        name: `<svg onload=alert(1)>`,
        arguments: { cmd: "<iframe src=javascript:alert(1)>", html: `</pre>${SCRIPT}\n${STYLE}` },
      },
    ], t),
    messageLine("tool", [{
      call_id: "c1",
      content: [{ text: `</details></article>${SCRIPT}\n${IMG}` }],
      is_error: true,
    }], t),
    metaLine({ id: "e0e0e0e0-1111-4222-8333-000000000001", cwd, model: `<b onmouseover=x>m</b>` }),
  ];
}

/** What the wrapper page finds in each framed page. */
interface Facts {
  title: string;
  articles: [string, string][];
  images: number[];
  tags: string[];
  on: string[];
  hrefs: string[];
  styles: number;
  text: string;
  /** The table of contents' entries, as read. */
  toc: string[];
  /** The header's facts, label and value. */
  facts: [string, string][];
}

/** A page that frames `pages` and writes what it finds in them into `#out`. */
function wrapperPage(pages: string[]): string {
  const frames = pages.map((p) => `<iframe src="${p}" width="1200" height="900"></iframe>`);
  return `<!DOCTYPE html><html><body>${frames.join("")}<pre id="out">pending</pre><script>
window.addEventListener("load", () => {
  const facts = [...document.querySelectorAll("iframe")].map((f) => {
    const d = f.contentDocument;
    const all = [...d.querySelectorAll("*")];
    return {
      title: d.title,
      articles: [...d.querySelectorAll("article")].map((a) => [a.id, a.dataset.role]),
      images: [...d.images].map((i) => i.naturalWidth),
      tags: [...new Set(all.map((e) => e.localName))],
      on: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on"))
        .map((a) => e.localName + " " + a.name)),
      hrefs: [...d.querySelectorAll("[href]")].map((e) => e.getAttribute("href")),
      styles: d.querySelectorAll("style").length,
      text: d.body.textContent,
      toc: [...d.querySelectorAll("nav.toc li")].map((li) => li.textContent),
      facts: [...d.querySelectorAll("dl.facts div")]
        .map((f) => [f.querySelector("dt").textContent, f.querySelector("dd").textContent]),
    };
  });
  document.getElementById("out").textContent = encodeURIComponent(JSON.stringify(facts));
});
</script></body></html>`;
}

/** Runs the binary at the example home's instant (its pages are of it). */
function runBin(args: string[]): string {
  const r = spawnSync(BIN, args, {
    env: { ZOT_SESSIONS_NOW: EXAMPLE_NOW },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

describe("e2e: show --html in headless Chromium", () => {
  let cleanup = () => Promise.resolve();
  let work = "";
  /** Each example session: its file, what --json says, what the browser found. */
  const sessions: { path: string; json: Record<string, unknown>[]; facts?: Facts }[] = [];
  let hostile: Facts;
  let imported: Facts;

  before(async () => {
    if (skip) return;
    assert.ok(BROWSER !== null, "Chromium is missing: apt-get install -y chromium (CI runs these)");
    const w = await exampleWorkdir();
    cleanup = w.cleanup;
    work = w.work;
    const pages = join(work, "pages");
    await mkdir(pages);
    for (const dir of await readdir(join(w.example, "sessions"))) {
      for (const name of await readdir(join(w.example, "sessions", dir))) {
        const path = join(w.example, "sessions", dir, name);
        sessions.push({ path, json: parseNdjson(runBin(["show", path, "--json"])) });
      }
    }
    const names = sessions.map((_, i) => `s${i}.html`);
    sessions.forEach((s, i) => runBin(["show", s.path, "--html", "-o", join(pages, names[i])]));
    const evil = join(work, "hostile.jsonl");
    await writeFile(evil, hostileSession().map((l) => l + "\n").join(""));
    runBin(["show", evil, "--html", "-o", join(pages, "hostile.html")]);
    const old = join(work, "imported.jsonl");
    const lines = importedSession("1a1a1a1a-1111-4222-8333-000000000001", "/home/dev/imported");
    await writeFile(old, lines.map((l) => l + "\n").join(""));
    runBin(["show", old, "--html", "-o", join(pages, "imported.html")]);
    await writeFile(
      join(pages, "wrapper.html"),
      wrapperPage([...names, "hostile.html", "imported.html"]),
    );
    const dom = runChromium(BROWSER, {
      url: pathToFileURL(join(pages, "wrapper.html")).href,
      mode: { dumpDom: true },
      fileAccess: true,
    });
    const out = /<pre id="out">([^<]*)<\/pre>/.exec(dom)?.[1];
    assert.ok(out && out !== "pending", `the wrapper page found nothing: ${dom.slice(0, 500)}`);
    const facts = JSON.parse(decodeURIComponent(out)) as Facts[];
    sessions.forEach((s, i) => s.facts = facts[i]);
    hostile = facts[facts.length - 2];
    imported = facts[facts.length - 1];
  });
  after(() => cleanup());

  it("has one article per message, with the role show --json gives", { skip }, () => {
    assert.equal(sessions.length, 10);
    for (const s of sessions) {
      const messages = s.json.filter((e) => e.type === "message");
      assert.deepEqual(
        s.facts!.articles,
        messages.map((m) => [`m-${m.index}`, m.role]),
        s.path,
      );
    }
  });

  it("decodes every image of the example sessions", { skip }, () => {
    let seen = 0;
    for (const s of sessions) {
      const blocks = s.json.flatMap((e) => (e.blocks ?? []) as Record<string, unknown>[]);
      const images = [...blocks, ...blocks.flatMap((b) => (b.content ?? []) as typeof blocks)]
        .filter((b) => b.type === "image");
      assert.equal(s.facts!.images.length, images.length, s.path);
      for (const w of s.facts!.images) assert.ok(w > 0, `an image not decoded in ${s.path}`);
      seen += images.length;
    }
    assert.ok(seen >= 2, `only ${seen} images in the example sessions`);
  });

  it("renders hostile text as text: no element, attribute or link it asked for", { skip }, () => {
    const h = hostile;
    const asked = ["script", "iframe", "svg", "marquee", "b", "i", "style", "object", "embed"];
    assert.deepEqual(h.tags.filter((t) => asked.includes(t) && t !== "style"), []);
    assert.equal(h.styles, 1, "the page's own style sheet only");
    assert.deepEqual(h.on, []);
    for (const href of h.hrefs) assert.match(href, /^#m-\d+$/);
    assert.equal(h.title, TITLE);
    for (
      const text of [SCRIPT, IMG, LINK, STYLE, "javascript:alert(1)", "<marquee>thinking</marquee>"]
    ) {
      assert.ok(h.text.includes(text), `shown as text: ${text}`);
    }
    // The PNG is shown; the SVG and the image with a hostile type are not.
    assert.deepEqual(h.images, [1]);
    assert.equal(h.articles.length, 3);
  });

  it(
    "shows a prompt's colours as plain text, an image-only prompt as (image), the messages' span",
    {
      skip,
    },
    () => {
      const i = imported;
      assert.equal(i.title, "FAIL: 2 tests ␛[2J");
      assert.deepEqual(i.toc, ["09:00:00FAIL: 2 tests ␛[2J", "09:00:00(image)"]);
      assert.ok(!i.text.includes("\x1b") && !/␛\[[\d;]*m/.test(i.text), i.text);
      assert.deepEqual(i.facts.find(([k]) => k === "Duration"), ["Duration", "42d 0h"]);
      assert.deepEqual(i.images, [1]);
    },
  );

  for (const dark of [false, true]) {
    it(`a screenshot (${dark ? "dark" : "light"}) shows a page`, { skip }, async () => {
      const page = join(work, "pages", "s0.html");
      const png = join(work, `shot-${dark}.png`);
      runChromium(BROWSER!, {
        url: pathToFileURL(page).href,
        mode: { screenshot: png },
        width: 1000,
        height: 800,
        dark,
      });
      const img = decodePng(new Uint8Array(await readFile(png)));
      assert.deepEqual([img.width, img.height], [1000, 800]);
      const [r, g, b] = img.pixel(0, 0);
      const background = (r + g + b) / 3;
      assert.ok(dark ? background < 60 : background > 200, `background ${background}`);
      let differ = 0;
      const colours = new Set<number>();
      for (let y = 0; y < img.height; y += 2) {
        for (let x = 0; x < img.width; x += 2) {
          const [pr, pg, pb] = img.pixel(x, y);
          colours.add((pr << 16) | (pg << 8) | pb);
          if (Math.abs(pr - r) + Math.abs(pg - g) + Math.abs(pb - b) > 30) differ++;
        }
      }
      const share = differ / ((img.width / 2) * (img.height / 2));
      assert.ok(
        share > 0.05,
        `only ${(share * 100).toFixed(1)}% of the screenshot is not background`,
      );
      assert.ok(colours.size > 50, `only ${colours.size} colours`);
    });
  }
});
