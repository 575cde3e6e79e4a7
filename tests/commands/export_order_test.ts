/**
 * The order of `export --html`'s index, against a reference computed here
 * from the files alone (zot's newest first: modification time descending,
 * then the path last in byte order; each session id once, its first file in
 * that order; projects in the order of their newest session): with ties of
 * time inside a project and across projects, and one session copied into
 * two homes, at another time and at the same time.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FixtureSession, messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";
import { runIn } from "../helpers/cli.ts";
import { pageName } from "../../lib/io/site_dir.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const T = NOW - 3_600_000;
const id = (n: number) => `${String(n).repeat(8)}-1111-4222-8333-444455556666`;

/** A session of project `cwd`, its file named by `stamp`, last written at `mtimeMs`. */
const session = (
  n: number,
  cwd: string,
  stamp: string,
  mtimeMs: number,
  copy = "",
): FixtureSession => ({
  cwd,
  name: `${stamp}-${id(n).slice(0, 8)}.jsonl`,
  lines: [
    metaLine({ id: id(n), cwd, started: "2026-11-20T10:00:00Z" }),
    messageLine("user", `session ${n}${copy}`, "2026-11-20T10:00:01Z"),
  ],
  mtimeMs,
});

// Home 1: ties in /a (1, 2), across /a and /b (1, 2, 3), an older one in /b.
const HOME1 = [
  session(1, "/a", "20261120-100000", T),
  session(2, "/a", "20261120-110000", T),
  session(3, "/b", "20261120-120000", T),
  session(4, "/b", "20261120-090000", T - 60_000),
  session(5, "/c", "20261120-080000", T - 120_000),
];
// Home 2: session 1 copied, older; session 4 copied at the same time; 6 new in /c.
const HOME2 = [
  session(1, "/a", "20261120-100000", T - 300_000),
  session(4, "/b", "20261120-090000", T - 60_000, " copy two"),
  session(6, "/c", "20261120-070000", T - 60_000),
];

describe("export --html: the index's order", () => {
  let homes: Awaited<ReturnType<typeof tempHome>>[] = [];
  let work = "";
  before(async () => {
    homes = [await tempHome(HOME1), await tempHome(HOME2)];
    work = await mkdtemp(join(tmpdir(), "zot-export-order-"));
  });
  after(async () => {
    for (const h of homes) await h.cleanup();
    await rm(work, { recursive: true, force: true });
  });

  it("is zot's newest first, each id once, grouped by project in the order of its newest", async () => {
    const files = [HOME1, HOME2].flatMap((sessions, i) =>
      sessions.map((s) => ({ s, path: homes[i].path(s) }))
    );
    // The reference: newest first, then the path last in byte order.
    files.sort((a, b) =>
      b.s.mtimeMs - a.s.mtimeMs ||
      Buffer.compare(Buffer.from(b.path), Buffer.from(a.path))
    );
    const seen = new Set<string>();
    const groups = new Map<string, string[]>();
    for (const { s } of files) {
      const sid = id(Number(s.lines[1].match(/session (\d)/)![1]));
      if (seen.has(sid)) continue;
      seen.add(sid);
      groups.set(s.cwd, [...(groups.get(s.cwd) ?? []), pageName(sid)]);
    }
    const expected = [...groups.values()].flat();
    assert.equal(expected.length, 6);
    const site = join(work, "site");
    const homeArgs = homes.flatMap((h) => ["--home", h.home]);
    const r = await runIn(["export", "--html", site, "--all", ...homeArgs], {
      now: NOW,
      processCwd: work,
      userHome: "/home/dev",
      env: { NO_COLOR: "1", TZ: "UTC" },
    });
    assert.equal(r.code, 0, r.err);
    const index = await readFile(join(site, "index.html"), "utf8");
    const shown = [...index.matchAll(/<a href="(session-[^"]+\.html)"/g)].map((m) => m[1]);
    assert.deepEqual(shown, expected);
    // Of session 4's two copies at the same time, the one first in that order is shown.
    const prompts = files.filter((f) => f.s.name.endsWith(`-${id(4).slice(0, 8)}.jsonl`))
      .map((f) => /"text":"(session 4[^"]*)"/.exec(f.s.lines[1] as string)![1]);
    assert.equal(prompts.length, 2);
    assert.ok(index.includes(`>${prompts[0]}<`), `shows "${prompts[0]}"`);
    assert.ok(!index.includes(`>${prompts[1]}<`), `not "${prompts[1]}"`);
  });
});
