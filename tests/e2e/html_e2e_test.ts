/**
 * End-to-end tests of `show --html` without a browser: a 50 MB screenshot
 * streams into the page in bounded memory (and `--max-image-bytes` leaves
 * it out), a `.zotsession` export and a `.jsonl.gz` archive give the page of
 * the session they hold, and the binary, Deno and Bun write the same page.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { open, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { BIN, exampleWorkdir } from "./harness.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { needs } from "../helpers/skips.ts";
import { spawnSync } from "../helpers/spawn.ts";
import {
  COMMANDS,
  importedSession,
  peakRssKiB,
  sessionId,
  TIME,
  writeLongLineSession,
} from "../helpers/transcripts.ts";
import { markupProblems } from "../helpers/html_check.ts";

/** Runs the CLI, at the example home's instant (the pages here are of it, or near it). */
function runBin(
  args: string[],
  cmd: string[] = [BIN],
): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd[0], [...cmd.slice(1), ...args], {
    env: { ZOT_SESSIONS_NOW: EXAMPLE_NOW },
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The `[id, role]` of each article of a page. */
const articles = (html: string) =>
  [...html.matchAll(/<article class="msg \w+" id="(m-\d+)" data-role="([^"]*)">/g)]
    .map((m) => [m[1], m[2]]);

let work = "";
let example = "";
let cleanup = () => Promise.resolve();
before(async () => {
  const w = await exampleWorkdir();
  ({ work, example, cleanup } = w);
});
after(() => cleanup());

describe("e2e: show --html of a session with a 50 MB screenshot", () => {
  const IMAGE = 50_000_000;
  let path = "";
  before(async () => {
    path = join(work, "big.jsonl");
    await writeLongLineSession(path, sessionId("b16b16b1"), "/home/dev/big", 2000, IMAGE);
  });

  it("streams the image into the page whole", async () => {
    const page = join(work, "big.html");
    const r = runBin(["show", path, "--html", "-o", page]);
    assert.equal(r.code, 0, r.err);
    const base64 = Math.ceil(IMAGE / 3) * 4;
    const size = (await stat(page)).size;
    assert.ok(size > base64 && size < base64 + 200_000, `page of ${size} bytes`);
    // The image's end, its caption, and the message after it.
    const fh = await open(page, "r");
    try {
      const tail = new Uint8Array(6000);
      await fh.read(tail, 0, tail.length, size - tail.length);
      const text = new TextDecoder().decode(tail);
      assert.match(text, /[A-Za-z0-9+/]{100}={0,2}" alt="image\/png · 50\.0 MB">/);
      assert.ok(text.includes("That log is long."));
    } finally {
      await fh.close();
    }
  });

  const noTime = needs("/usr/bin/time (GNU time)", TIME !== null);

  it("makes it in under 100 MiB", { skip: noTime }, () => {
    const peak = peakRssKiB(["show", path, "--html"]);
    assert.ok(peak < 100 * 1024, `peak RSS ${(peak / 1024).toFixed(1)} MiB`);
  });

  it("--max-image-bytes leaves it out, saying its size, also in bounded memory", {
    skip: noTime,
  }, () => {
    const r = runBin(["show", path, "--html", "--max-image-bytes", "1MB"]);
    assert.equal(r.code, 0, r.err);
    assert.ok(
      r.out.includes("[image/png · 50.0 MB: not shown: larger than --max-image-bytes (1.0 MB)]"),
    );
    assert.ok(r.out.length < 1_000_000);
    const peak = peakRssKiB(["show", path, "--html", "--max-image-bytes", "1MB"]);
    assert.ok(peak < 100 * 1024, `peak RSS ${(peak / 1024).toFixed(1)} MiB`);
  });
});

describe("e2e: show --html of an export and an archive", () => {
  const session = () =>
    join(example, "sessions", "b6612f11880eb186", "20261020-140211-b425d583.jsonl");

  it("a .zotsession (cwd emptied) and a .jsonl.gz give the session's messages", async () => {
    const text = await readFile(session(), "utf8");
    const exported = join(work, "cart.zotsession");
    await writeFile(exported, text.replace(/"cwd":"[^"]*"/g, '"cwd":""'));
    const archived = join(work, "20261020-140211-b425d583.jsonl.gz");
    await writeFile(archived, gzipSync(text));
    const want = runBin(["show", session(), "--html"]);
    assert.equal(want.code, 0, want.err);
    assert.equal(articles(want.out).length, 16);
    for (const file of [exported, archived]) {
      const r = runBin(["show", file, "--html"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(articles(r.out), articles(want.out), file);
      assert.deepEqual(markupProblems(r.out), []);
      assert.equal(r.out.match(/<img src="data:image\/png;base64,/g)?.length, 1);
    }
    assert.ok(runBin(["show", exported, "--html"]).out.includes("<dt>Project</dt><dd>(none)</dd>"));
  });
});

describe("e2e: show --html of an imported session with a coloured and an image-only prompt", () => {
  it("takes the colour codes out, names the image, and spans the messages' times", async () => {
    const path = join(work, "imported.jsonl");
    const lines = importedSession(sessionId("1a1a1a1a"), "/home/dev/imported");
    await writeFile(path, lines.map((l) => l + "\n").join(""));
    const r = runBin(["show", path, "--html"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(markupProblems(r.out), []);
    // The codes are gone from the title, the prompt and the table; a screen
    // clear is no colour: it stays, shown as the escaping shows it.
    assert.ok(!r.out.includes("\x1b"));
    assert.doesNotMatch(r.out, /␛\[[\d;]*m/);
    assert.ok(r.out.includes("<h1>FAIL: 2 tests ␛[2J</h1>"));
    assert.ok(r.out.includes('<div class="text">FAIL: 2 tests ␛[2J</div>'));
    const toc = [
      ...r.out.matchAll(/<li><a href="#(m-\d+)"><span class="when">[^<]*<\/span>([^<]*)/g),
    ]
      .map((m) => [m[1], m[2]]);
    assert.deepEqual(toc, [["m-0", "FAIL: 2 tests ␛[2J"], ["m-2", "(image)"]]);
    // From the first message to the last, not from the import (43 s).
    assert.ok(r.out.includes("<dt>Duration</dt><dd>42d 0h</dd>"), r.out.slice(0, 3000));
  });
});

describe("e2e: the same page from every runtime", () => {
  it("binary, Deno and Bun write identical pages", () => {
    const file = join(example, "sessions", "b6612f11880eb186", "20261101-052152-fb0ec902.jsonl");
    const pages = (["binary", "deno", "bun"] as const).map((k) =>
      runBin(["show", file, "--html"], COMMANDS[k])
    );
    for (const p of pages) assert.equal(p.code, 0, p.err);
    assert.equal(pages[1].out, pages[0].out);
    assert.equal(pages[2].out, pages[0].out);
  });
});
