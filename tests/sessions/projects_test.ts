/**
 * Sessions by project and whether the project's directory is there (issue
 * 22, item 17): what `ls --projects` lists and `gc --orphaned` selects by.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withDir } from "../helpers/dirs.ts";
import { directoryState, groupProjects, listProjects } from "../../lib/sessions/projects.ts";
import type { SessionInfo } from "../../lib/sessions/info.ts";

const spend = (usd: number, unpriced = 0) => ({
  inputTokens: 10,
  outputTokens: 2,
  cacheReadTokens: 1,
  cacheWriteTokens: 3,
  costUsd: usd,
  unpricedTokens: unpriced,
});

function session(id: string, cwd: string, updated: string, usd: number, bytes = 100) {
  return { id, cwd, updated, bytes, spend: spend(usd) } as SessionInfo;
}

describe("directoryState", () => {
  it("tells a directory that is there, gone, or cannot be told", async () => {
    await withDir(async (dir) => {
      await mkdir(join(dir, "here"));
      await writeFile(join(dir, "file"), "");
      await symlink(join(dir, "nowhere"), join(dir, "dangling"));
      await symlink(join(dir, "here"), join(dir, "link"));
      const cases: [string, string][] = [
        [join(dir, "here"), "exists"],
        [join(dir, "link"), "exists"], // zot records the path through links
        [join(dir, "missing"), "gone"],
        [join(dir, "dangling"), "gone"],
        [join(dir, "file"), "gone"], // a file where the directory was
        [join(dir, "file", "below"), "gone"], // ENOTDIR
        [".", "unknown"], // `zot --cwd .` records "." as typed
        ["", "unknown"],
        ["src/app", "unknown"],
      ];
      for (const [path, state] of cases) assert.equal(await directoryState(path), state, path);
    });
  });
});

describe("groupProjects", () => {
  it("sums sessions, bytes and spend per project, newest project first", () => {
    const rows = groupProjects([
      session("a", "/p", "2026-11-03T00:00:00.000Z", 0.1, 10),
      session("b", "/q", "2026-11-02T00:00:00.000Z", 0.5, 20),
      session("c", "/p", "2026-11-01T00:00:00.000Z", 0.2, 30),
    ]);
    assert.deepEqual(rows.map((r) => [r.cwd, r.sessions, r.bytes, r.updated]), [
      ["/p", 2, 40, "2026-11-03T00:00:00.000Z"],
      ["/q", 1, 20, "2026-11-02T00:00:00.000Z"],
    ]);
    // In nanodollars, as cost sums: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
    assert.deepEqual(rows[0].spend, {
      inputTokens: 20,
      outputTokens: 4,
      cacheReadTokens: 2,
      cacheWriteTokens: 6,
      costUsd: 0.3,
      unpricedTokens: 0,
    });
  });

  it("counts a session met twice (two homes) once, its newest file", () => {
    const rows = groupProjects([
      session("a", "/p", "2026-11-03T00:00:00.000Z", 0.1, 10),
      session("a", "/p", "2026-10-03T00:00:00.000Z", 0.05, 5),
    ]);
    assert.deepEqual(rows.map((r) => [r.sessions, r.bytes, r.spend.costUsd]), [[1, 10, 0.1]]);
  });

  it("keeps NFC and NFD spellings apart, as zot's keys do", () => {
    const rows = groupProjects([
      session("a", "/caf\u00e9", "2026-11-03T00:00:00.000Z", 0.1),
      session("b", "/cafe\u0301", "2026-11-02T00:00:00.000Z", 0.1),
    ]);
    assert.equal(rows.length, 2);
  });
});

describe("listProjects", () => {
  it("looks at each project's directory", async () => {
    await withDir(async (dir) => {
      const rows = await listProjects([
        session("a", dir, "2026-11-03T00:00:00.000Z", 0.1),
        session("b", join(dir, "gone"), "2026-11-02T00:00:00.000Z", 0.1),
      ]);
      assert.deepEqual(rows.map((r) => r.directory), ["exists", "gone"]);
    });
  });
});
