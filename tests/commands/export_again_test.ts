/**
 * `export --html DIR` again over a site it wrote (lib/commands/export_write.ts):
 * only what changed is written, the index is kept when its text is the same,
 * the pages of sessions gone are removed (and only its own pages), and a
 * session that cannot be read keeps its old page.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { messageLine, renameLine, tempHome } from "../helpers/fixtures.ts";
import { runIn } from "../helpers/cli.ts";
import {
  age,
  exportHome,
  FILES,
  HOSTILE,
  HOUR,
  mtimes,
  NOW,
  OTHER,
  PARENT,
  USER_HOME,
} from "../helpers/export_home.ts";
import { openSiteDir, pageName } from "../../lib/io/site_dir.ts";
import { MANIFEST } from "../../lib/io/site_manifest.ts";
import { GLOBAL_OPTIONS, makeContext } from "../../lib/commands/context.ts";
import { parseFlags } from "../../lib/commands/args.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { transcriptFlags } from "../../lib/commands/transcript_options.ts";
import { SitePlan } from "../../lib/commands/export_plan.ts";
import { selectSessions } from "../../lib/commands/export_select.ts";
import { writeSite } from "../../lib/commands/export_write.ts";

let h: Awaited<ReturnType<typeof exportHome>>;
let work: string;
const cli = (args: string[]) => h.cli(args);

describe("export --html again", () => {
  before(async () => {
    h = await exportHome();
    work = h.work;
    const r = await cli(["export", "--html", "site", "--all"]);
    assert.equal(r.code, 0, r.err);
  });
  after(() => h.cleanup());

  it("again: writes nothing that did not change, keeps the index as it was", async () => {
    const dir = join(work, "site");
    await age(dir);
    const before = await mtimes(dir);
    const r = await cli(["export", "--html", dir, "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^exported 4 sessions \(0 written, 4 unchanged, 0 removed\)/);
    assert.deepEqual(await mtimes(dir), before);
  });

  it("reads a manifest of version 1 (one JSON object) and writes it again as version 2", async () => {
    const dir = join(work, "site");
    const lines = (await readFile(join(dir, MANIFEST), "utf8")).trimEnd().split("\n");
    const head = JSON.parse(lines[0]);
    const pages = Object.fromEntries(
      lines.slice(1).map((l) => {
        const p = JSON.parse(l);
        return [p.page, p.key];
      }),
    );
    assert.equal(Object.keys(pages).length, 4);
    const v1 = { generator: "zot-sessions", version: 1, index: head.index, pages };
    await writeFile(join(dir, MANIFEST), JSON.stringify(v1, null, 1) + "\n");
    const r = await cli(["export", "--html", dir, "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^exported 4 sessions \(0 written, 4 unchanged, 0 removed\)/);
    assert.equal(await readFile(join(dir, MANIFEST), "utf8"), lines.join("\n") + "\n");
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
    // A manifest edited to name files that are not its pages removes none.
    await appendFile(
      join(dir, MANIFEST),
      '{"page":"notes.txt","key":"x"}\n{"page":"../escape.html","key":"x"}\n',
    );
    await writeFile(join(work, "escape.html"), "outside");
    const only = await cli(["export", "--html", dir, "0e19"]);
    assert.match(only.out, /^exported 3 sessions \(0 written, 3 unchanged, 0 removed\)/);
    assert.ok((await readdir(dir)).includes("notes.txt"));
    assert.equal(await readFile(join(work, "escape.html"), "utf8"), "outside");
  });

  it("a damaged line of the manifest: refused, nothing written or removed, as a damaged manifest was", async () => {
    const dir = join(work, "damaged");
    assert.equal((await cli(["export", "--html", dir, "--all"])).code, 0);
    const path = join(dir, MANIFEST);
    const lines = (await readFile(path, "utf8")).split("\n");
    lines[1] = lines[1].slice(0, 20); // a page's line cut short
    await writeFile(path, lines.join("\n"));
    await age(dir);
    const before = await mtimes(dir);
    const r = await cli(["export", "--html", dir, "--all", "--since", "90m"]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^zot-sessions: Cannot read line 2 of ".*\.zot-sessions-export\.json": not a page of a manifest zot-sessions wrote; remove it, or give another directory\n$/,
    );
    assert.deepEqual(await mtimes(dir), before);
  });

  it("a session that cannot be read for its page is warned about and left out, its old page kept", async () => {
    const dir = join(work, "unreadable");
    const io = memoryIO({ now: NOW, userHome: USER_HOME, processCwd: work });
    const ctx = await makeContext(io, parseFlags(["--home", h.home], GLOBAL_OPTIONS, false));
    const f = transcriptFlags({ values: { html: true }, positionals: [] }, {});
    const planned = async () => {
      const plan = SitePlan.open((cwd) => cwd);
      await selectSessions(ctx.scope, { all: true, refs: [], sinceMs: null }, "", plan);
      await plan.manifests.load(await openSiteDir(dir));
      plan.finish();
      return plan;
    };
    const plan = await planned();
    const first = await writeSite(
      ctx,
      f,
      { maxImageBytes: null },
      dir,
      plan,
    );
    assert.deepEqual([first.written, first.failed], [3, 0]);
    // The files change, and one cannot be read any more when its page is made.
    const touched = [PARENT, OTHER].map((id) =>
      [...plan.pages()].find((x) => x.row.id === id)!.file
    );
    plan.close();
    for (const file of touched) {
      const at = (file.mtimeMs + 1000) / 1000;
      await utimes(file.path, at, at);
    }
    const again = await planned();
    const source = ctx.scope.source;
    const scan = source.scan.bind(source);
    source.scan = (file, onSpend) =>
      file.path === h.path(FILES[0]) ? Promise.reject(new Error("gone")) : scan(file, onSpend);
    const second = await writeSite(
      ctx,
      f,
      { maxImageBytes: null },
      dir,
      again,
    );
    again.close();
    for (const file of touched) await utimes(file.path, file.mtimeMs / 1000, file.mtimeMs / 1000);
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

  it("a session named by its path is exported though it has no meta line, as before", async () => {
    // show --html takes such a file (its id from its name); so does export of it by name.
    const name = "20261101-090000-0a0a0a0a.jsonl";
    const lines = [messageLine("user", "no meta here"), messageLine("assistant", "ok")];
    const d = await tempHome([{ cwd: "/elsewhere", name, mtimeMs: NOW - HOUR, lines }]);
    try {
      const site = join(d.home, "site");
      const r = await runIn([
        "export",
        "--html",
        site,
        d.path({ cwd: "/elsewhere", name, lines, mtimeMs: 0 }),
        "--home",
        d.home,
      ], {
        now: NOW,
        processCwd: work,
        userHome: USER_HOME,
        env: { NO_COLOR: "1", TZ: "UTC", ZOT_SESSIONS_CACHE: join(d.home, "cache") },
      });
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^exported 1 session \(1 written, 0 unchanged, 0 removed\)/);
      assert.ok((await readdir(site)).includes(pageName("0a0a0a0a")));
    } finally {
      await d.cleanup();
    }
  });

  it("warns about a named session's damaged lines once, as --all does, with a hint that lists it", async () => {
    const name = "20261101-090000-dada0001.jsonl";
    const id = "dada0001-1111-4222-8333-444455556666";
    const lines = [
      `{"type":"meta","meta":{"id":"${id}","cwd":"/elsewhere","model":"m","provider":"p","started":"2026-11-01T09:00:00Z"}}`,
      messageLine("user", "hello"),
      `{"type":"message","message":{bad`,
    ];
    const d = await tempHome([{ cwd: "/elsewhere", name, mtimeMs: NOW - HOUR, lines }]);
    try {
      const env = {
        NO_COLOR: "1",
        TZ: "UTC",
        ZOT_SESSIONS_NO_INDEX: "",
        ZOT_SESSIONS_CACHE: join(d.home, "cache"),
      };
      const run = () =>
        runIn(["export", "--html", join(d.home, "site"), "dada0001", "--home", d.home], {
          now: NOW,
          processCwd: work,
          userHome: USER_HOME,
          env,
        });
      const first = await run();
      assert.equal(first.code, 0, first.err);
      assert.match(first.err, /warning: Cannot read line 3 of ".*dada0001\.jsonl": not valid JSON/);
      const again = await run();
      assert.equal(again.code, 0, again.err);
      assert.doesNotMatch(again.err, /Cannot read line/);
      assert.match(
        again.err,
        /1 session has damaged lines \(zot-sessions ls --damaged --all --home /,
      );
    } finally {
      await d.cleanup();
    }
  });
});
