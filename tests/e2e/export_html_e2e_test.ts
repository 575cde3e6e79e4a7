/**
 * `export --html DIR` end to end, with the built binary, on the example home
 * and on zot's samples: the index page lists what a reference decoded here
 * from the session files says (tests/e2e/export_reference.ts); every link of
 * every page resolves, forks and parents link both ways; a re-export writes
 * only the page of the session that changed, removes the page of a session
 * gone and keeps a file of the user's. In a browser:
 * export_browser_e2e_test.ts.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, exampleWorkdir, run } from "./harness.ts";
import { pageProjects, refProjects, spendRange } from "./export_reference.ts";
import { EXAMPLE_NOW, SAMPLES_NOW } from "../helpers/clock.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { messageLine } from "../helpers/fixtures.ts";
import { fifoNote } from "../helpers/fifo.ts";

let w: Awaited<ReturnType<typeof exampleWorkdir>>;
/** The example home's site, and the samples' (null without the samples). */
let site = "";
let samplesSite: string | null = null;

/** Runs the binary on the example home, with a cache of its own. */
function zs(args: string[], env: Record<string, string> = w.env) {
  return run(BIN, args, { ...env, ZOT_SESSIONS_CACHE: join(w.work, "cache") });
}

/** Each file of `dir` and its modification time. */
async function mtimes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of await readdir(dir)) out.set(name, (await stat(join(dir, name))).mtimeMs);
  return out;
}

/** Every page of a site: name → HTML. */
async function sitePages(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".html")).sort()) {
    out.set(name, await readFile(join(dir, name), "utf8"));
  }
  return out;
}

/** Checks the index of `dir` against the reference of `home`. */
async function checkIndex(dir: string, home: string) {
  const shown = pageProjects(await readFile(join(dir, "index.html"), "utf8"));
  const ref = await refProjects(home);
  assert.deepEqual(shown.map(([p]) => p), ref.map(([cwd]) => cwd || "(none)"));
  let total = 0;
  for (const [i, [, rows]] of shown.entries()) {
    const expected = ref[i][1];
    assert.equal(rows.length, expected.length);
    for (const [j, row] of rows.entries()) {
      const s = expected[j];
      const where = `${s.path}`;
      assert.equal(row.heading, s.heading, where);
      assert.equal(row.id, s.id.slice(0, 8), where);
      assert.equal(row.model, s.model, where);
      assert.equal(row.messages, s.messages, where);
      assert.equal(row.fork, s.parent !== null, where);
      assert.equal(row.when, new Date(s.mtimeMs).toISOString().slice(0, 16).replace("T", " "));
      const [lo, hi] = spendRange(row.spend);
      assert.ok(
        s.spend >= lo - 1e-9 && s.spend <= hi + 1e-9,
        `${where}: ${row.spend} vs ${s.spend}`,
      );
      assert.ok(row.href !== null && (await stat(join(dir, row.href))).isFile(), where);
      total += s.spend;
    }
  }
  const html = await readFile(join(dir, "index.html"), "utf8");
  const sessions = ref.reduce((n, [, s]) => n + s.length, 0);
  const messages = ref.reduce((n, [, s]) => n + s.reduce((m, x) => m + x.messages, 0), 0);
  const head =
    /<p class="total">(\d+) sessions? in (\d+) projects? · ([\d,]+) messages? · ([^<]*)<\/p>/
      .exec(html)!;
  assert.deepEqual(head.slice(1, 4).map((x) => Number(x.replace(/,/g, ""))), [
    sessions,
    ref.length,
    messages,
  ]);
  const [lo, hi] = spendRange(head[4]);
  assert.ok(total >= lo && total <= hi, `total ${head[4]} vs ${total}`);
}

describe("e2e: export --html", () => {
  before(async () => {
    w = await exampleWorkdir();
    site = join(w.work, "site");
    const r = zs(["export", "--html", site, "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    assert.equal(
      r.out,
      `exported 10 sessions (10 written, 0 unchanged, 0 removed) to ${site}\n` +
        `open ${pathToFileURL(join(site, "index.html")).href}\n`,
    );
    if (!samplesSkip) {
      samplesSite = join(w.work, "samples-site");
      const s = zs(["export", "--html", samplesSite, "--all", "--home", samplesHome()], {
        ZOT_SESSIONS_NOW: SAMPLES_NOW,
      } as Record<string, string>);
      assert.equal(s.code, 0, s.err);
    }
  });
  after(() => w.cleanup());

  it("the index lists the example home as its files say", async () => {
    await checkIndex(site, w.example);
  });

  it("the index lists zot's samples as their files say", { skip: samplesSkip }, async () => {
    await checkIndex(samplesSite!, samplesHome());
  });

  it("every link of every page resolves; forks and parents link both ways", async () => {
    const checked: string[] = [];
    for (const dir of [site, samplesSite].filter((d) => d !== null)) {
      const pages = await sitePages(dir);
      for (const [name, html] of pages) {
        const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
        for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
          if (href.startsWith("#")) assert.ok(ids.has(href.slice(1)), `${name}: ${href}`);
          else {
            assert.match(href, /^[\w.-]+\.html$/, `${name}: ${href} is not a relative page`);
            assert.ok(pages.has(href), `${name}: ${href} is not there`);
          }
        }
        checked.push(name);
      }
    }
    assert.ok(checked.length >= 11);
    if (samplesSite === null) return;
    const pages = await sitePages(samplesSite);
    const named = (prefix: string) =>
      [...pages.keys()].find((n) => n.startsWith(`session-${prefix}`))!;
    const [parent, fork] = [named("0e19291e"), named("8740d21c")];
    const related = (name: string) =>
      [.../<nav class="related">(.*?)<\/nav>/.exec(pages.get(name)!)![1].matchAll(
        /(?:<span class="k">([^<]*)<\/span> )?<a href="([^"]+)">/g,
      )].map((m) => [m[1] ?? "", m[2]]);
    assert.deepEqual(related(fork), [["", "index.html"], ["Fork of", parent]]);
    assert.deepEqual(related(parent), [["", "index.html"], ["Fork", fork]]);
  });

  it("again: only the page of a session that changed; a session gone loses its page", async () => {
    // Through the index, which knows every file unchanged: no session file is read.
    const again = zs(["export", "--html", site, "--all"], { ...w.env, ZOT_SESSIONS_STATS: "1" });
    assert.match(again.out, /^exported 10 sessions \(0 written, 10 unchanged, 0 removed\)/);
    assert.match(again.err, /^zot-sessions: read 0 bytes of session files$/m);
    const old = Date.parse(EXAMPLE_NOW) / 1000 - 3600;
    for (const name of await readdir(site)) await utimes(join(site, name), old, old);
    await writeFile(join(site, "notes.md"), "my own file");
    const before = await mtimes(site);
    const dirs = await readdir(join(w.example, "sessions"));
    const files = (await Promise.all(
      dirs.map(async (d) =>
        (await readdir(join(w.example, "sessions", d))).map((n) =>
          join(w.example, "sessions", d, n)
        )
      ),
    )).flat().sort();
    const [touched, gone] = [files[0], files[files.length - 1]];
    const pageOf = async (path: string) =>
      `session-${JSON.parse((await readFile(path, "utf8")).split("\n")[0]).meta.id}.html`;
    const [touchedPage, gonePage] = [await pageOf(touched), await pageOf(gone)];
    const t = (await stat(touched)).mtimeMs / 1000;
    await appendFile(touched, messageLine("user", "one more thing", "2026-11-20T10:00:00Z") + "\n");
    await utimes(touched, t, t);
    const one = zs(["export", "--html", site, "--all"]);
    assert.match(one.out, /^exported 10 sessions \(1 written, 9 unchanged, 0 removed\)/);
    const after = await mtimes(site);
    const changed = [...after].filter(([n, m]) => before.get(n) !== m).map(([n]) => n).sort();
    assert.deepEqual(changed, [".zot-sessions-export.json", "index.html", touchedPage].sort());
    await rm(gone);
    const removed = zs(["export", "--html", site, "--all"]);
    assert.match(removed.out, /^exported 9 sessions \(\d+ written, \d+ unchanged, 1 removed\)/);
    const left = await readdir(site);
    assert.ok(!left.includes(gonePage) && left.includes("notes.md"));
    assert.equal(await readFile(join(site, "notes.md"), "utf8"), "my own file");
  });

  it("--open hands the index page to $BROWSER", async () => {
    const note = fifoNote(w.work, "opened");
    const stub = join(w.work, "browser");
    await writeFile(stub, `#!/bin/sh\nprintf '%s' "$1" > ${note.path}\n`, { mode: 0o755 });
    const r = zs(["export", "--html", site, "--all", "--open", "-q"], { ...w.env, BROWSER: stub });
    assert.equal(r.code, 0, r.err);
    assert.equal(await note.note, join(site, "index.html"));
  });
});
