/** The catalogue walker: a sessions directory that cannot be listed is an error, not an empty list. */
import { withDir } from "../helpers/dirs.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { listAll, listProject } from "../../lib/sessions/catalog.ts";
import { runCli } from "../../lib/cli/run.ts";
import { PathError } from "../../lib/base/errors.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { projectKey } from "../../lib/sessions/home.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");

describe("a sessions directory that cannot be listed", () => {
  it("is an error naming it, not an empty list; a missing one is empty", async () => {
    await withDir(async (home) => {
      assert.deepEqual((await listAll(home)).files, []);
      assert.deepEqual((await listProject(home, "/p")).files, []);
      await writeFile(join(home, "sessions"), "x");
      for (const list of [() => listAll(home), () => listProject(home, "/p")]) {
        await assert.rejects(
          list(),
          (e) =>
            e instanceof PathError &&
            e.message === `Cannot read "${join(home, "sessions")}": not a directory`,
        );
      }
    });
  });

  it("a project directory that is a file is named itself", async () => {
    await withDir(async (home) => {
      await mkdir(join(home, "sessions"));
      const project = join(home, "sessions", projectKey("/p"));
      await writeFile(project, "x");
      await assert.rejects(
        listProject(home, "/p"),
        (e) => e instanceof PathError && e.message === `Cannot read "${project}": not a directory`,
      );
    });
  });

  it("ls and cost exit 1 instead of listing nothing", async () => {
    await withDir(async (home) => {
      await writeFile(join(home, "sessions"), "x");
      for (const args of [["ls"], ["ls", "--all"], ["cost"], ["cost", "--all"]]) {
        const io = memoryIO({ now: NOW });
        assert.equal(await runCli([...args, "--home", home, "--cwd", "/p"], io), 1);
        assert.equal(io.out(), "");
        assert.equal(
          io.err(),
          `zot-sessions: Cannot read "${join(home, "sessions")}": not a directory\n`,
        );
      }
    });
  });
});
