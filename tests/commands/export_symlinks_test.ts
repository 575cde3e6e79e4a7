/**
 * `export --html DIR` never writes through a link in DIR: a page, the index
 * or the manifest whose name is a symbolic link (to a FIFO, a device, a file
 * outside DIR or one inside it) is replaced by a new file renamed over the
 * name; the link's target is never opened for writing. And DIR itself may
 * be a link to a directory, as `cp` and `rsync` take one.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { exportHome, OTHER, PARENT } from "../helpers/export_home.ts";
import { fifoNote } from "../helpers/fifo.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram } from "../helpers/spawn.ts";
import { pageName } from "../../lib/io/site_dir.ts";
import { MANIFEST } from "../../lib/io/site_manifest.ts";

let h: Awaited<ReturnType<typeof exportHome>>;
let site = "";
let outside = "";

/** Replaces `name` in the site by a link to `target`. */
async function linkIn(name: string, target: string) {
  await rm(join(site, name), { force: true });
  await symlink(target, join(site, name));
}

/** Whether `name` in the site is a regular file holding a page. */
async function isPage(name: string): Promise<boolean> {
  const s = await lstat(join(site, name));
  return s.isFile() && (await readFile(join(site, name), "utf8")).startsWith("<!DOCTYPE html>");
}

describe("export --html and links in DIR", () => {
  before(async () => {
    h = await exportHome();
    site = join(h.work, "site");
    outside = join(h.work, "outside");
    await mkdir(outside);
    const r = await h.cli(["export", "--html", site, "--all"]);
    assert.equal(r.code, 0, r.err);
  });
  after(() => h.cleanup());

  // A reader waits on the FIFO, so that a run writing into it does not
  // hang: it shows what was written there ("" once closed, if nothing).
  it("a page's name linked to a FIFO: the link is replaced, the FIFO never written", {
    skip: needs("mkfifo", hasProgram("mkfifo")),
  }, async () => {
    const fifo = fifoNote(outside, "fifo");
    try {
      await linkIn(pageName(PARENT), fifo.path);
      const r = await h.cli(["export", "--html", site, "--all"]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /\(1 written, 3 unchanged, 0 removed\)/);
      assert.ok(await isPage(pageName(PARENT)), "the page is a file of its own now");
      assert.ok((await lstat(fifo.path)).isFIFO());
    } finally {
      await fifo.close();
      // Left a link (the test failed): the next runs must not hang on it.
      const page = join(site, pageName(PARENT));
      if ((await lstat(page)).isSymbolicLink()) await rm(page);
    }
    assert.equal(await fifo.note, "", "nothing was written into the FIFO");
  });

  it("the index linked to a device: replaced, the device left alone", async () => {
    await linkIn("index.html", "/dev/null");
    const r = await h.cli(["export", "--html", site, "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.ok(await isPage("index.html"));
    assert.ok((await lstat("/dev/null")).isCharacterDevice());
  });

  it("links to files outside DIR and inside it: replaced, their files untouched", async () => {
    const theirs = join(outside, "theirs.html");
    await writeFile(theirs, "not yours");
    await writeFile(join(site, "notes.txt"), "mine");
    await linkIn(pageName(OTHER), theirs);
    await linkIn("index.html", join(site, "notes.txt"));
    const r = await h.cli(["export", "--html", site, "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.ok(await isPage(pageName(OTHER)) && await isPage("index.html"));
    assert.equal(await readFile(theirs, "utf8"), "not yours");
    assert.equal(await readFile(join(site, "notes.txt"), "utf8"), "mine");
    assert.deepEqual((await readdir(outside)).sort(), ["fifo", "theirs.html"]);
    assert.ok(!(await readdir(site)).some((n) => n.endsWith(".tmp")), "no hidden file left");
  });

  it("the manifest as a link is not read (nor written through): refused", async () => {
    const copy = join(outside, "manifest.json");
    const text = await readFile(join(site, MANIFEST), "utf8");
    await writeFile(copy, text);
    await linkIn(MANIFEST, copy);
    const r = await h.cli(["export", "--html", site, "--all"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.err,
      `zot-sessions: Cannot read "${
        join(site, MANIFEST)
      }": a symbolic link, not a manifest zot-sessions wrote; remove it, or give another directory\n`,
    );
    assert.equal(await readFile(copy, "utf8"), text);
    await rm(join(site, MANIFEST));
    await writeFile(join(site, MANIFEST), text);
  });

  it("DIR itself may be a link to a directory; a link to a file is named as one", async () => {
    const link = join(h.work, "sitelink");
    await symlink(site, link);
    const r = await h.cli(["export", "--html", "sitelink", "--all"]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^exported 4 sessions \(0 written, 4 unchanged, 0 removed\) to .*sitelink\n/,
    );
    assert.ok((await lstat(link)).isSymbolicLink(), "the link stays a link");
    const toFile = join(h.work, "filelink");
    await symlink(join(site, "index.html"), toFile);
    const bad = await h.cli(["export", "--html", "filelink", "--all"]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /Cannot export to ".*filelink": not a directory\n$/);
  });
});
