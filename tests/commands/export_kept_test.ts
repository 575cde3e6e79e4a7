/**
 * A re-export that selects fewer sessions (`--since`, named sessions, one
 * project) keeps the pages of the sessions it already holds while they
 * exist, still listed in the index (their rows read from the catalogue),
 * with forks and parents still linked both ways, a parent's page gaining
 * a link to a new fork; only the page of a session whose file is gone is
 * removed.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { messageLine, metaLine, usageLine } from "../helpers/fixtures.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import {
  A,
  exportHome,
  FILES,
  FORK,
  HOSTILE,
  indexLinks,
  NOW,
  OTHER,
  pages,
  PARENT,
} from "../helpers/export_home.ts";
import { pageName } from "../../lib/io/site_dir.ts";

let h: Awaited<ReturnType<typeof exportHome>>;
let site = "";
const ALL = [OTHER, HOSTILE, FORK, PARENT].map(pageName);

/** The links of a page's `nav.related`: [href, text]. */
function related(html: string): string[][] {
  const nav = /<nav class="related">(.*?)<\/nav>/.exec(html)![1];
  return [...nav.matchAll(/href="([^"]+)">([^<]*)</g)].map((l) => [l[1], l[2]]);
}

describe("export --html again, fewer sessions selected", () => {
  before(async () => {
    h = await exportHome();
    site = join(h.work, "site");
    const r = await h.cli(["export", "--html", site, "--all"]);
    assert.equal(r.code, 0, r.err);
  });
  after(() => h.cleanup());

  it("--since: the older sessions' pages are kept, listed and linked", async () => {
    const before = await pages(site);
    const r = await h.cli(["export", "--html", site, "--all", "--since", "90m"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out.split("\n")[0],
      `exported 4 sessions (0 written, 4 unchanged, 0 removed) to ${site}`,
    );
    const after = await pages(site);
    assert.deepEqual(after, before, "every page, the index too, as it was");
    assert.deepEqual(indexLinks(after.get("index.html")!), ALL);
    assert.ok(after.get("index.html")!.includes("4 sessions in 2 projects"));
  });

  it("named sessions, or one project: the same site", async () => {
    const before = await pages(site);
    for (const args of [["0e19"], ["--cwd", A], ["--all", "--since", "1m"]]) {
      const r = await h.cli(["export", "--html", site, ...args]);
      if (args.includes("1m")) {
        // Nothing active in the last minute: nothing to export, the site left as it was.
        assert.equal(r.code, 1);
        assert.match(r.err, /no session active since 1m/);
      } else {
        assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
        assert.match(r.out, /^exported 4 sessions \(0 written, 4 unchanged, 0 removed\)/);
      }
      assert.deepEqual(await pages(site), before, args.join(" "));
    }
  });

  it("a new fork of a kept parent: the parent's page links to it", async () => {
    const id = "3c3c3c3c-1111-4222-8333-444455556666";
    const dir = join(h.home, "sessions", projectKey(A));
    const path = join(dir, "20261125-115000-3c3c3c3c.jsonl");
    await writeFile(
      path,
      [
        metaLine({ id, cwd: A, parent: PARENT, fork_point: 2 }),
        ...FILES[0].lines.slice(1, 4),
        messageLine("user", "and the docs", "2026-11-25T11:50:00Z"),
        usageLine({ input_tokens: 300, output_tokens: 30, cost_usd: 0.625 }),
      ].map((l) => l + "\n").join(""),
    );
    await utimes(path, (NOW - 10 * 60_000) / 1000, (NOW - 10 * 60_000) / 1000);
    const r = await h.cli(["export", "--html", site, "--all", "--since", "30m"]);
    assert.equal(r.code, 0, r.err);
    // The new fork's page, and its parent's (a new link): the fork's own is unchanged.
    assert.match(r.out, /^exported 5 sessions \(2 written, 3 unchanged, 0 removed\)/);
    const now = await pages(site);
    assert.deepEqual(related(now.get(pageName(PARENT))!), [
      ["index.html", "← All sessions"],
      [pageName(id), "fix the build in ~/alpha"],
      [pageName(FORK), "fix the build in ~/alpha"],
    ]);
    assert.deepEqual(related(now.get(pageName(id))!), [
      ["index.html", "← All sessions"],
      [pageName(PARENT), "build fix"],
    ]);
    assert.deepEqual(related(now.get(pageName(FORK))!), [
      ["index.html", "← All sessions"],
      [pageName(PARENT), "build fix"],
    ]);
    // Its project has the newest session now: it comes first.
    assert.deepEqual(
      indexLinks(now.get("index.html")!),
      [id, FORK, PARENT, OTHER, HOSTILE].map(pageName),
    );
  });

  it("a session whose file is gone loses its page, also with --since", async () => {
    await writeFile(join(site, "notes.txt"), "mine");
    await rm(h.path(FILES[3]));
    const r = await h.cli(["export", "--html", site, "--all", "--since", "30m"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^exported 4 sessions \(\d+ written, \d+ unchanged, 1 removed\)/);
    const left = await readdir(site);
    assert.ok(!left.includes(pageName(HOSTILE)) && left.includes("notes.txt"));
    const index = await readFile(join(site, "index.html"), "utf8");
    assert.ok(!indexLinks(index).includes(pageName(HOSTILE)));
    assert.ok(index.includes("4 sessions in 2 projects"));
  });
});
