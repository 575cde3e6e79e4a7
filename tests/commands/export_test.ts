/**
 * `export --html DIR` in-process (lib/commands/export.ts and its plan and
 * writer): the pages are show --html's own, the index lists what was
 * exported, a re-export writes only what changed and removes only its own
 * pages, and a directory that is not a site is refused.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  appendFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { messageLine, metaLine, renameLine, tempHome, usageLine } from "../helpers/fixtures.ts";
import { markupProblems } from "../helpers/html_check.ts";
import { runIn } from "../helpers/cli.ts";
import { MANIFEST, openSiteDir, pageName } from "../../lib/io/site_dir.ts";
import { GLOBAL_OPTIONS, makeContext } from "../../lib/commands/context.ts";
import { parseFlags } from "../../lib/commands/args.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { transcriptFlags } from "../../lib/commands/transcript_options.ts";
import { planSite, selectSessions } from "../../lib/commands/export_plan.ts";
import { writeSite } from "../../lib/commands/export_write.ts";

const USER_HOME = "/home/dev";
const A = "/home/dev/alpha";
const B = "/home/dev/<b>&co";
const PARENT = "0e19291e-c841-4742-bbcc-90199e65f26e";
const FORK = "8740d21c-1111-4222-8333-444455556666";
const OTHER = "5a5a5a5a-1111-4222-8333-444455556666";
const HOSTILE = "../../Evil<id>";
const NOW = Date.parse("2026-11-25T12:00:00Z");
const HOUR = 3_600_000;

const session = (id: string, cwd: string, prompt: string, cost: number, more: string[] = []) => [
  metaLine({ id, cwd, started: "2026-11-20T10:00:00Z" }),
  messageLine("user", prompt, "2026-11-20T10:00:01Z"),
  usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: cost }),
  messageLine("assistant", "done", "2026-11-20T10:00:02Z"),
  ...more,
];

const FILES = [
  {
    cwd: A,
    name: "20261120-100000-0e19291e.jsonl",
    lines: session(PARENT, A, "fix the build in /home/dev/alpha", 0.5, [renameLine("build fix")]),
    mtimeMs: NOW - 3 * HOUR,
  },
  {
    cwd: A,
    name: "20261120-110000-8740d21c.jsonl",
    lines: [
      metaLine({ id: FORK, cwd: A, parent: PARENT, fork_point: 2 }),
      ...session(PARENT, A, "fix the build in /home/dev/alpha", 0.5).slice(1),
      messageLine("user", "and the tests", "2026-11-20T11:00:01Z"),
      usageLine({ input_tokens: 200, output_tokens: 20, cost_usd: 0.75 }),
      messageLine("assistant", "green", "2026-11-20T11:00:02Z"),
    ],
    mtimeMs: NOW - 2 * HOUR,
  },
  {
    cwd: B,
    name: "20261120-120000-5a5a5a5a.jsonl",
    lines: session(OTHER, B, "<script>alert(1)</script> & more", 0.125),
    mtimeMs: NOW - 1 * HOUR,
  },
  {
    cwd: B,
    name: "20261120-090000-deadbeef.jsonl",
    lines: session(HOSTILE, B, `"><img src=x onerror=alert(1)>`, 0),
    mtimeMs: NOW - 4 * HOUR,
  },
];

let h: Awaited<ReturnType<typeof tempHome>>;
let work: string;

function cli(args: string[]) {
  return runIn([...args, "--home", h.home], {
    now: NOW,
    processCwd: work,
    userHome: USER_HOME,
    env: { NO_COLOR: "1", TZ: "UTC" },
  });
}

/** Each page of `dir` (name → text), the manifest left out. */
async function pages(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith(".html")) out.set(name, await readFile(join(dir, name), "utf8"));
  }
  return out;
}

/** The modification time of each file of `dir`. */
async function mtimes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of await readdir(dir)) out.set(name, (await stat(join(dir, name))).mtimeMs);
  return out;
}

/** Sets every file of `dir` an hour back, so that a rewrite shows in its mtime. */
async function age(dir: string) {
  for (const name of await readdir(dir)) {
    await utimes(join(dir, name), (NOW - HOUR) / 1000, (NOW - HOUR) / 1000);
  }
}

describe("export --html", () => {
  before(async () => {
    h = await tempHome(FILES);
    work = await mkdtemp(join(tmpdir(), "zot-export-"));
  });
  after(async () => {
    await h.cleanup();
    await rm(work, { recursive: true, force: true });
  });

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
    // The fork's own spend only ($0.75 - $0.50); the hostile session's tokens had no price.
    assert.ok(index.includes("4 sessions in 2 projects · 10 messages · $0.88*"), index);
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

  it("again: writes nothing that did not change, keeps the index as it was", async () => {
    const dir = join(work, "site");
    await age(dir);
    const before = await mtimes(dir);
    const r = await cli(["export", "--html", dir, "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^exported 4 sessions \(0 written, 4 unchanged, 0 removed\)/);
    assert.deepEqual(await mtimes(dir), before);
  });

  it("writes a changed session's page, and a parent's whose forks changed", async () => {
    const dir = join(work, "site");
    await age(dir);
    const before = await mtimes(dir);
    await appendFile(
      h.path(FILES[2]),
      messageLine("user", "one more", "2026-11-20T12:00:03Z") + "\n",
    );
    await utimes(h.path(FILES[2]), (NOW - 50 * 60_000) / 1000, (NOW - 50 * 60_000) / 1000);
    const r = await cli(["export", "--html", dir, "--all"]);
    assert.match(r.out, /^exported 4 sessions \(1 written, 3 unchanged, 0 removed\)/);
    const after = await mtimes(dir);
    const changed = [...after].filter(([n, t]) => before.get(n) !== t).map(([n]) => n).sort();
    assert.deepEqual(changed, [MANIFEST, "index.html", pageName(OTHER)].sort());
    // A retitled fork: its parent's link to it says the new title.
    await appendFile(h.path(FILES[1]), renameLine("tests green") + "\n");
    await utimes(h.path(FILES[1]), (NOW - 2 * HOUR) / 1000, (NOW - 2 * HOUR) / 1000);
    const r2 = await cli(["export", "--html", dir, "--all", "--json"]);
    const report = JSON.parse(r2.out);
    assert.deepEqual([report.written, report.unchanged, report.removed], [2, 2, 0]);
    assert.ok((await readFile(join(dir, pageName(PARENT)), "utf8")).includes(">tests green</a>"));
  });

  it("removes the pages of sessions gone, and only its own pages", async () => {
    const dir = join(work, "site");
    await writeFile(join(dir, "notes.txt"), "mine");
    await writeFile(join(dir, "session-1234.html"), "mine too");
    await rm(h.path(FILES[3]));
    const r = await cli(["export", "--html", dir, "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^exported 3 sessions \(0 written, 3 unchanged, 1 removed\)/);
    const left = await readdir(dir);
    assert.ok(!left.includes(pageName(HOSTILE)));
    assert.ok(left.includes("notes.txt") && left.includes("session-1234.html"));
    // Named sessions: the site holds those alone.
    const named = await cli(["export", "--html", dir, "0e19", "8740"]);
    assert.match(named.out, /^exported 2 sessions \(0 written, 2 unchanged, 1 removed\)/);
    // A manifest edited to name files that are not its pages removes none.
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), "utf8"));
    manifest.pages["notes.txt"] = "x";
    manifest.pages["../escape.html"] = "x";
    await writeFile(join(dir, MANIFEST), JSON.stringify(manifest));
    await writeFile(join(work, "escape.html"), "outside");
    // The parent's page loses its link to the fork: written again.
    const only = await cli(["export", "--html", dir, "0e19"]);
    assert.match(only.out, /^exported 1 session \(1 written, 0 unchanged, 1 removed\)/);
    assert.ok((await readdir(dir)).includes("notes.txt"));
    assert.equal(await readFile(join(work, "escape.html"), "utf8"), "outside");
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

  it("a session that cannot be read for its page is warned about and left out, its old page kept", async () => {
    const dir = join(work, "unreadable");
    const io = memoryIO({ now: NOW, userHome: USER_HOME, processCwd: work });
    const ctx = await makeContext(io, parseFlags(["--home", h.home], GLOBAL_OPTIONS, false));
    const f = transcriptFlags({ values: { html: true }, positionals: [] }, {});
    const selected = await selectSessions(ctx.scope, { all: true, refs: [], sinceMs: null }, "");
    const plan = planSite(selected.found, (cwd) => cwd);
    const first = await writeSite(
      ctx,
      f,
      { maxImageBytes: null },
      dir,
      plan,
      await openSiteDir(dir),
    );
    assert.deepEqual([first.written, first.failed], [3, 0]);
    // The files change, and one cannot be read any more when its page is made.
    for (const p of [PARENT, OTHER]) {
      const file = plan.projects.flatMap((g) => g.pages).find((x) => x.row.id === p)!.file;
      file.mtimeMs += 1000;
    }
    const source = ctx.scope.source;
    const scan = source.scan.bind(source);
    source.scan = (file, onSpend) =>
      file.path === h.path(FILES[0]) ? Promise.reject(new Error("gone")) : scan(file, onSpend);
    const second = await writeSite(
      ctx,
      f,
      { maxImageBytes: null },
      dir,
      plan,
      await openSiteDir(dir),
    );
    assert.deepEqual([second.written, second.unchanged, second.failed, second.removed], [
      1,
      1,
      1,
      0,
    ]);
    assert.match(io.err(), /warning: Cannot read ".*0e19291e\.jsonl": gone; skipped it/);
    assert.ok((await readdir(dir)).includes(pageName(PARENT)), "the old page stays");
    const index = await readFile(join(dir, "index.html"), "utf8");
    assert.ok(index.includes(`href="${pageName(PARENT)}"`));
    await ctx.scope.source.close();
  });

  it("--since keeps the sessions active since then", async () => {
    const r = await cli(["export", "--html", "recent", "--all", "--since", "90m", "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).sessions, 1);
  });
});
