/**
 * `export --html DIR`'s site in headless Chromium (one launch, driven over
 * the DevTools protocol: tests/helpers/cdp.ts), on the example home: no
 * page logs an error (a CSP violation is one, as a tampered copy of the
 * index shows), the filter hides rows as you type, the index without
 * scripts shows every row and its links work, and light and dark
 * screenshots show a page. Without Chromium these are skipped, the reason
 * recorded, outside CI; with `CI` set they fail.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, exampleWorkdir, run } from "./harness.ts";
import { needs } from "../helpers/skips.ts";
import { decodePng } from "../helpers/png.ts";
import { Browser, type Page } from "../helpers/cdp.ts";
import { findChromium } from "../../scripts/chromium.ts";

const BROWSER = findChromium();
const noBrowser = needs("Chromium (apt-get install -y chromium)", BROWSER !== null);

describe("e2e: export --html in headless Chromium", { skip: noBrowser }, () => {
  let browser: Browser;
  let page: Page;
  let work: Awaited<ReturnType<typeof exampleWorkdir>>;
  let dir = "";
  const url = (name: string) => pathToFileURL(join(dir, name)).href;
  const rows = () =>
    page.eval<{ shown: number; all: number; sections: number; texts: string[] }>(`(() => {
      const rows = [...document.querySelectorAll("tbody tr")];
      const shown = rows.filter((r) => r.offsetParent !== null);
      return {
        shown: shown.length,
        all: rows.length,
        sections: [...document.querySelectorAll("section")].filter((s) => s.offsetParent !== null).length,
        texts: shown.map((r) => (r.closest("section").querySelector("h2").textContent + " " + r.textContent).toLowerCase()),
      };
    })()`);

  before(async () => {
    assert.ok(BROWSER !== null, "Chromium is missing: apt-get install -y chromium (CI runs these)");
    work = await exampleWorkdir();
    dir = join(work.work, "site");
    const r = run(BIN, ["export", "--html", dir, "--all"], {
      ...work.env,
      ZOT_SESSIONS_CACHE: join(work.work, "cache"),
    });
    assert.equal(r.code, 0, r.err);
    browser = await Browser.launch(BROWSER);
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await work?.cleanup();
  });

  it("no page logs an error: the CSP allows the index's script, and nothing is refused", async () => {
    const names = (await readdir(dir)).filter((n) => n.endsWith(".html"));
    assert.equal(names.length, 11);
    for (const name of names) {
      await page.goto(url(name));
      assert.deepEqual(page.errors, [], name);
    }
    await page.goto(url("index.html"));
    assert.equal(await page.eval("document.querySelectorAll('.filter input').length"), 1);
  });

  it("a script the CSP does not allow is refused and logged (the check above can fail)", async () => {
    const html = await readFile(join(dir, "index.html"), "utf8");
    await writeFile(join(dir, "tampered.html"), html.replace("const words", "const wordz"));
    const p = await browser.newPage();
    await p.goto(url("tampered.html"));
    assert.equal(p.errors.length, 1, p.errors.join("\n"));
    assert.match(p.errors[0], /violates the following Content Security Policy directive/);
    assert.equal(await p.eval("document.querySelectorAll('.filter').length"), 0);
    await p.send("Page.close");
  });

  it("the filter hides the rows without every word typed, and shows them all again", async () => {
    await page.goto(url("index.html"));
    const all = await rows();
    assert.deepEqual([all.shown, all.all, all.sections], [10, 10, 3]);
    await page.type(".filter input", "ledger");
    const some = await rows();
    assert.ok(some.shown > 0 && some.shown < 10, JSON.stringify(some));
    for (const t of some.texts) assert.ok(t.includes("ledger"), t);
    assert.equal(some.sections, 1);
    assert.match(
      await page.eval<string>("document.querySelector('.filter .count').textContent"),
      new RegExp(`^${some.shown} of 10 sessions$`),
    );
    await page.type(".filter input", " zzzz-nothing");
    assert.deepEqual([(await rows()).shown, (await rows()).sections], [0, 0]);
    await page.eval(
      `(() => { const i = document.querySelector(".filter input"); i.value = ""; i.dispatchEvent(new Event("input")); })()`,
    );
    assert.equal((await rows()).shown, 10);
  });

  it("without scripts: no filter box, every row shown, and a link opens its page", async () => {
    await page.scripts(false);
    try {
      await page.goto(url("index.html"));
      assert.equal(await page.eval("document.querySelectorAll('.filter').length"), 0);
      const r = await rows();
      assert.deepEqual([r.shown, r.all], [10, 10]);
      const [href, text] = await page.eval<string[]>(
        "(a => [a.getAttribute('href'), a.textContent])(document.querySelector('tbody a'))",
      );
      const loaded = browser.waitFor(
        "the session page",
        (m) => m.sessionId === page.sessionId && m.method === "Page.loadEventFired",
      );
      await page.eval("document.querySelector('tbody a').click()");
      await loaded;
      assert.equal(await page.eval("location.href"), url(href));
      const h1 = await page.eval("document.querySelector('header.session h1').textContent");
      assert.equal(h1, text);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.scripts(true);
    }
  });

  for (const dark of [false, true]) {
    it(`a screenshot of the index (${dark ? "dark" : "light"}) shows a page`, async () => {
      await page.dark(dark);
      await page.goto(url("index.html"));
      const img = decodePng(await page.screenshot());
      assert.deepEqual([img.width, img.height], [1000, 800]);
      const [r, g, b] = img.pixel(0, 0);
      const background = (r + g + b) / 3;
      assert.ok(dark ? background < 60 : background > 200, `background ${background}`);
      const colours = new Set<number>();
      let differ = 0;
      for (let y = 0; y < img.height; y += 2) {
        for (let x = 0; x < img.width; x += 2) {
          const [pr, pg, pb] = img.pixel(x, y);
          colours.add((pr << 16) | (pg << 8) | pb);
          if (Math.abs(pr - r) + Math.abs(pg - g) + Math.abs(pb - b) > 30) differ++;
        }
      }
      assert.ok(differ / (500 * 400) > 0.05, `${differ} pixels differ from the background`);
      assert.ok(colours.size > 50, `only ${colours.size} colours`);
    });
  }
});
