/**
 * `export --html DIR` in-process (lib/commands/export.ts and its plan and
 * writer), a first export: the pages are show --html's own, the index lists
 * what was exported, forks and parents link both ways, and a directory that
 * is not a site is refused. Re-exports: export_again_test.ts.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { markupProblems } from "../helpers/html_check.ts";
import {
  exportHome,
  FORK,
  HOSTILE,
  OTHER,
  pages,
  PARENT,
  USER_HOME,
} from "../helpers/export_home.ts";
import { pageName } from "../../lib/io/site_dir.ts";
import { MANIFEST } from "../../lib/io/site_manifest.ts";

let h: Awaited<ReturnType<typeof exportHome>>;
let work: string;
const cli = (args: string[]) => h.cli(args);

describe("export --html", () => {
  before(async () => {
    h = await exportHome();
    work = h.work;
  });
  after(() => h.cleanup());

  it("writes the index and one page per session, named by id, holding only our markup", async () => {
    const r = await cli(["export", "--html", "site", "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    const dir = join(work, "site");
    assert.equal(
      r.out,
      `exported 4 sessions (4 written, 0 unchanged, 0 removed) to ${dir}\n` +
        `open file://${dir}/index.html\n`,
    );
    const site = await pages(dir);
    const names = [PARENT, FORK, OTHER].map(pageName);
    assert.deepEqual([...site.keys()].sort(), [...names, pageName(HOSTILE), "index.html"].sort());
    assert.match(pageName(HOSTILE), /^session-_[0-9a-f]{32}\.html$/);
    for (const [name, html] of site) {
      if (name === "index.html") continue;
      assert.deepEqual(markupProblems(html, { site: true }), [], name);
      assert.ok(!html.includes(USER_HOME), `${name} shows the home: paths are redacted`);
    }
    const index = site.get("index.html")!;
    assert.ok(!index.includes("<script>alert") && !index.includes("<img"));
    assert.ok(index.includes("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert.ok(index.includes("~/&lt;b&gt;&amp;co"), "the project, escaped and redacted");
    // Projects by their newest session, sessions newest first.
    const order = [...index.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, [pageName(OTHER), pageName(HOSTILE), pageName(FORK), pageName(PARENT)]);
    // The fork's own messages and spend only (2 of 4, $0.75 - $0.50), in its row and the
    // total; the hostile session's tokens had no price.
    assert.ok(index.includes("4 sessions in 2 projects · 8 messages · $0.88*"), index);
    const fork = index.split("\n").find((l) => l.includes(`href="${pageName(FORK)}"`))!;
    assert.match(fork, /<td class="n">2<\/td><td class="n">\$0\.25<\/td><\/tr>$/);
    assert.ok(index.includes("messages and spend are each session's own"));
    assert.ok(index.includes("* also unpriced tokens"));
  });

  it("links a fork and its parent both ways, and every page to the index", async () => {
    const site = await pages(join(work, "site"));
    const links = (name: string) =>
      [...site.get(name)!.matchAll(/<nav class="related">(.*?)<\/nav>/g)].flatMap((m) =>
        [...m[1].matchAll(/href="([^"]+)">([^<]*)</g)].map((l) => [l[1], l[2]])
      );
    assert.deepEqual(links(pageName(FORK)), [
      ["index.html", "← All sessions"],
      [pageName(PARENT), "build fix"],
    ]);
    assert.deepEqual(links(pageName(PARENT)), [
      ["index.html", "← All sessions"],
      [pageName(FORK), "fix the build in ~/alpha"],
    ]);
    assert.deepEqual(links(pageName(OTHER)), [["index.html", "← All sessions"]]);
  });

  it("a page is show --html's, but for its links", async () => {
    const dir = join(work, "site");
    for (const extra of [[], ["--no-redact-paths", "--full", "--no-usage", "--utc"]]) {
      const out = join(work, "page.html");
      const show = await cli(["show", PARENT, "--html", "-o", out, ...extra]);
      assert.equal(show.code, 0, show.err);
      const again = await cli(["export", "--html", "same", "--all", ...extra]);
      assert.equal(again.code, 0, again.err);
      const exported = await readFile(join(work, "same", pageName(PARENT)), "utf8");
      const unlinked = exported.replace(/\n<nav class="related">.*?<\/nav>/, "");
      assert.notEqual(unlinked, exported);
      assert.equal(unlinked, await readFile(out, "utf8"), extra.join(" "));
      await rm(join(work, "same"), { recursive: true });
    }
    assert.ok((await readdir(dir)).length > 0);
  });

  it("refuses a directory it did not write, a file, and flags that do not go together", async () => {
    const foreign = join(work, "foreign");
    await mkdir(foreign);
    await writeFile(join(foreign, "a.html"), "x");
    const cases: [string[], number, RegExp][] = [
      [
        ["--html", foreign, "--all"],
        1,
        /Cannot export to ".*foreign": it holds files zot-sessions did not write \(no \.zot-sessions-export\.json\)/,
      ],
      [
        ["--html", join(foreign, "a.html"), "--all"],
        1,
        /Cannot export to ".*a\.html": not a directory/,
      ],
      [["--all"], 2, /Cannot export without --html DIR/],
      [["--html", "x", "--all", "0e19"], 2, /Cannot use --all with sessions named/],
      [["--html", "x", "--all", "--since", "soon"], 2, /Cannot parse --since "soon"/],
      [
        ["--html", "x", "--cwd", "/elsewhere"],
        1,
        /Cannot export to ".*x": no session for "\/elsewhere"/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(["export", ...args]);
      assert.equal(r.code, code, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split("\n").length <= 2, true, r.err);
    }
    // The hint repeats the command over every project, the directory with it.
    const here = await cli(["export", "--html", "x", "--cwd", "/elsewhere"]);
    assert.match(
      here.err,
      /sessions in other projects: try "zot-sessions export --html x --all --home /,
    );
    assert.deepEqual(await readdir(foreign), ["a.html"]);
    await writeFile(join(foreign, MANIFEST), "{not json");
    const bad = await cli(["export", "--html", foreign, "--all"]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /Cannot read ".*\.zot-sessions-export\.json": not a manifest/);
    assert.equal((await readdir(work)).includes("x"), false, "nothing made on a refusal");
  });
});
