/**
 * The exported site's index page (lib/render/site_index.ts) and its pages'
 * names (lib/io/site_dir.ts): the CSP allows exactly the script the page
 * holds, by a hash computed here from the page's own text; transcript text
 * is only ever text; names are safe and distinct for any id.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import {
  FILTER_SCRIPT,
  PROJECT_END,
  projectStart,
  SITE_CSP,
  siteEnd,
  siteRow,
  siteStart,
} from "../../lib/render/site_index.ts";
import { pageName } from "../../lib/io/site_dir.ts";
import {
  manifestHead,
  manifestLines,
  manifestPage,
  parseManifest,
} from "../../lib/io/site_manifest.ts";

const HEADER = {
  projects: 1,
  sessions: 1,
  messages: 3,
  costUsd: 0.5,
  unpricedTokens: 0,
  tz: "UTC",
  generator: "zot-sessions 0.0.0",
};
const HOSTILE = `</td><script>alert(1)</script><a href="javascript:x">'&`;

function page(heading = "t", model = "m", cwd = "/p"): string {
  const row = {
    id: "0e19291e-1",
    parent: "x",
    cwd,
    heading,
    updatedMs: Date.parse("2026-11-03T10:04:59Z"),
    model,
    messages: 3,
    costUsd: 0.5,
    unpricedTokens: 0,
  };
  return siteStart(HEADER) +
    projectStart({ cwd, shown: cwd, sessions: 1, costUsd: 0.5, unpricedTokens: 0 }) +
    siteRow(row, pageName(row.id), "Europe/Berlin") + PROJECT_END + siteEnd(HEADER.generator);
}

describe("the site's index page", () => {
  it("allows its one script by the sha256 of the text between its script tags", () => {
    const html = page();
    const scripts = [...html.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]);
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0], FILTER_SCRIPT);
    const hash = createHash("sha256").update(scripts[0]).digest("base64");
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
    assert.equal(csp, SITE_CSP);
    const directives = new Map(
      csp.split("; ").map((d) => {
        const [name, ...values] = d.split(" ");
        return [name, values];
      }),
    );
    assert.deepEqual(directives.get("script-src"), [`'sha256-${hash}'`]);
    assert.deepEqual(directives.get("default-src"), ["'none'"]);
    assert.ok(!csp.includes("unsafe-eval") && !/script-src[^;]*unsafe-inline/.test(csp));
  });

  it("shows transcript text as text: a title, a model, a project", () => {
    const html = page(HOSTILE, HOSTILE, HOSTILE);
    const body = html.slice(0, html.indexOf("<script>"));
    assert.ok(!body.includes("<script>") && !body.includes('javascript:x"'));
    assert.equal(body.split("&lt;/td&gt;&lt;script&gt;alert(1)").length - 1, 3);
    assert.ok(body.includes("&#39;&amp;"));
    // Only our links: the row's page.
    assert.deepEqual([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]), [
      "session-0e19291e-1.html",
    ]);
  });

  it("rows show the last activity in the zone, a fork mark, no link without a page", () => {
    const html = page();
    assert.ok(html.includes("<td>2026-11-03 11:04</td>"), "Berlin is UTC+1 in November");
    assert.ok(html.includes('<span class="fork">fork</span>'));
    const row = siteRow(
      {
        id: "a",
        parent: null,
        cwd: "/p",
        heading: "h",
        updatedMs: 0,
        model: "m",
        messages: 1,
        costUsd: 0,
        unpricedTokens: 10,
      },
      null,
      "UTC",
    );
    assert.ok(row.startsWith('<tr><td class="title">h</td>') && row.includes(">unpriced<"));
  });
});

describe("the site's page names and manifest", () => {
  it("a name is made of the id alone: safe characters, distinct ids give distinct names", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const [na, nb] = [pageName(a), pageName(b)];
        for (const n of [na, nb]) {
          assert.match(n, /^session-[0-9a-z_-]+\.html$/);
          assert.ok(!n.includes("..") && n.length < 100);
        }
        // Distinct ids, distinct names, also where case is ignored.
        if (a !== b) assert.notEqual(na.toLowerCase(), nb.toLowerCase());
      }),
    );
    const uuid = "0e19291e-c841-4742-bbcc-90199e65f26e";
    assert.equal(pageName(uuid), `session-${uuid}.html`);
  });

  it("the manifest holds names and keys, no path, and reads back only names of its pages", () => {
    const pages: [string, string][] = [["session-a.html", "1"], ["session-b.html", "2"]];
    const lines = [...manifestLines("k", pages)];
    assert.equal(lines.length, 3);
    assert.deepEqual(manifestHead(lines[0]), { index: "k" });
    assert.deepEqual(lines.slice(1).map(manifestPage), pages);
    for (const edited of ["/etc/passwd", "index.html", "session-../x.html"]) {
      assert.equal(manifestPage(JSON.stringify({ page: edited, key: "x" })), null);
    }
    // Version 1, one object, is still read.
    const v1 = JSON.stringify({
      generator: "zot-sessions",
      index: "k",
      pages: { "session-a.html": "1" },
    });
    assert.deepEqual([...parseManifest(v1, "m").pages], [["session-a.html", "1"]]);
    assert.throws(() => parseManifest('{"pages":{}}', "m"), /Cannot read "m": not a manifest/);
  });
});
