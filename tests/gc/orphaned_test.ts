/**
 * `gc --orphaned`'s marking of candidates (issue 22, item 17): a session is
 * orphaned when every directory it names (its first meta line's, where its
 * file sits, and its latest, where it was last resumed) is gone; never when
 * one is there, cannot be told, or the file cannot be read.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withDir } from "../helpers/dirs.ts";
import { markOrphaned } from "../../lib/gc/orphaned.ts";
import type { GcCandidate } from "../../lib/gc/plan.ts";
import { FileSource } from "../../lib/sessions/source.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";

describe("markOrphaned", () => {
  it("marks a session only when every directory it was started or resumed in is gone", async () => {
    await withDir(async (dir) => {
      const here = join(dir, "here");
      const gone = join(dir, "gone");
      const alsoGone = join(dir, "also-gone");
      await mkdir(here);
      let n = 0;
      /** A session started in `first` and, if given, resumed in `latest`. */
      const session = async (first: string, latest?: string): Promise<GcCandidate> => {
        const id = `${++n}`.padStart(8, "0") + "-0000-4000-8000-000000000000";
        const lines = [metaLine({ id, cwd: first }), messageLine("user", "hi")];
        if (latest !== undefined) lines.push(metaLine({ id, cwd: latest }));
        const path = join(dir, `${n}.jsonl`);
        await writeFile(path, lines.map((l) => l + "\n").join(""));
        return { path, dir: "k", bytes: 0, mtimeMs: 0, id, parent: null, cwd: first, empty: false };
      };
      const c = [
        await session(gone),
        await session(here),
        await session(gone, here), // resumed in a directory that is there: in use
        await session(here, gone),
        await session(gone, alsoGone),
        await session("."),
        { ...(await session(gone)), path: join(dir, "unreadable.jsonl") },
      ];
      await markOrphaned(c, new FileSource());
      assert.deepEqual(c.map((x) => x.projectGone), [
        gone,
        null,
        null,
        null,
        alsoGone, // the latest, as the plan shows the session's project
        null,
        gone, // unreadable: its first meta line's directory decides
      ]);
    });
  });
});
