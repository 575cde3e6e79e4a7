/**
 * The index's cache directory under strain (issue 19, §2 and §3): a full
 * disk is not damage. Every answer through the index is compared with the
 * same run with `--no-index`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { needs } from "../helpers/skips.ts";
import { tmpfsUnavailable, withTmpfs } from "../helpers/tmpfs.ts";
import { writeWordyHome } from "../helpers/wordy_home.ts";
import { DB, NOW, zs } from "./index_runs.ts";

const UNDER_BUN = process.versions.bun !== undefined;

describe("e2e: the index's cache directory", { skip: UNDER_BUN && "run once, under Deno" }, () => {
  let dir = "";
  let home: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "zot-index-cache-"));
    const h = await writeWordyHome(join(dir, "home"), {
      seed: 19,
      sessions: 30,
      turns: 20,
      nowMs: Date.parse(NOW),
    });
    home = ["--home", h.home];
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("a full cache disk: the same answers, at most one warning a run, the index kept", {
    skip: needs("a tmpfs (root)", tmpfsUnavailable() === null),
  }, async () => {
    await withTmpfs("1m", async (cache) => {
      const questions = [
        ["ls", "--all", "--json", ...home],
        ["search", "--all", "--tools", "index", ...home],
        ["cost", "--all", "--json", "--by", "day", ...home],
        ["search", "--all", "retry", "timeout", ...home],
      ];
      const full =
        /^zot-sessions: warning: Cannot update the index ".*\/index\.sqlite": database or disk is full; reading the files directly$/;
      let warned = 0;
      for (const round of [1, 2]) {
        for (const q of questions) {
          const r = zs(q, cache);
          const direct = zs([...q, "--no-index"], cache);
          const what = `round ${round}: ${q.join(" ")}`;
          assert.equal(r.out, direct.out, `${what}: stdout`);
          assert.equal(r.code, direct.code, `${what}: exit code (${r.err})`);
          if (r.err !== direct.err) {
            const [first, ...rest] = r.err.split("\n");
            assert.match(first, full, what);
            assert.equal(rest.join("\n"), direct.err, `${what}: one warning`);
            warned++;
          }
        }
      }
      assert.ok(warned > 0, "the disk filled up");
      assert.deepEqual(
        (await readdir(cache)).filter((f) => f.includes("damaged")),
        [],
        "nothing moved aside",
      );
      assert.ok((await readdir(cache)).includes(DB), "the index is kept");
    });
  });
});
