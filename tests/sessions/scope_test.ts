/**
 * Where a verb looks for sessions (lib/sessions/scope.ts): the catalogues
 * of the scope's homes, one per home in their order, for the project or for
 * every one (`all`, which never reads the project); their files merged
 * newest first; and the one message for a directory that could not be
 * listed. The walk itself (what is a session file, links, damage) is
 * tests/sessions/catalog_test.ts's.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Catalog } from "../../lib/sessions/catalog.ts";
import { projectKey, sessionsDir } from "../../lib/sessions/home.ts";
import {
  cannotList,
  listCatalogs,
  listingProblems,
  listScope,
  newestFiles,
} from "../../lib/sessions/scope.ts";
import { withDir } from "../helpers/dirs.ts";

const A = "/src/app";
const B = "/src/lib";

/**
 * Two homes: h0 holds a1, a3 of project A and b2 of B; h1 holds c3 of A.
 * The digit is the file's modification time in seconds (a3 and c3 tie).
 */
const FILES: [string, string, string, number][] = [
  ["h0", A, "a1.jsonl", 1],
  ["h0", A, "a3.jsonl", 3],
  ["h0", B, "b2.jsonl", 2],
  ["h1", A, "c3.jsonl", 3],
];

async function withHomes(fn: (dir: string) => Promise<void>) {
  await withDir(async (dir) => {
    for (const [home, cwd, name, seconds] of FILES) {
      const project = join(dir, home, "sessions", projectKey(cwd));
      await mkdir(project, { recursive: true });
      await writeFile(join(project, name), "{}\n");
      await utimes(join(project, name), seconds, seconds);
    }
    await fn(dir);
  });
}

/** A path as `home/project/name`, the project as A or B. */
function short(dir: string, path: string): string {
  const [home, , key, name] = path.slice(dir.length + 1).split("/");
  return `${home}/${key === projectKey(A) ? "A" : "B"}/${name}`;
}

describe("listScope", () => {
  const cases: [string[], string, boolean, string[]][] = [
    // homes, project, all, the files newest first (a tie: the greater path first)
    [["h0"], A, false, ["h0/A/a3.jsonl", "h0/A/a1.jsonl"]],
    [["h0"], B, false, ["h0/B/b2.jsonl"]],
    [["h0"], A, true, ["h0/A/a3.jsonl", "h0/B/b2.jsonl", "h0/A/a1.jsonl"]],
    [["h0", "h1"], A, false, ["h1/A/c3.jsonl", "h0/A/a3.jsonl", "h0/A/a1.jsonl"]],
    [["h1", "h0"], A, false, ["h1/A/c3.jsonl", "h0/A/a3.jsonl", "h0/A/a1.jsonl"]],
    [["h0", "h1"], A, true, [
      "h1/A/c3.jsonl",
      "h0/A/a3.jsonl",
      "h0/B/b2.jsonl",
      "h0/A/a1.jsonl",
    ]],
    [["h1"], B, false, []],
    [["h0", "missing"], A, false, ["h0/A/a3.jsonl", "h0/A/a1.jsonl"]],
    [["missing"], A, true, []],
  ];
  for (const [homes, cwd, all, want] of cases) {
    const project = cwd === A ? "A" : "B";
    const names = want.map((p) => p.split("/")[2]).join(" ") || "nothing";
    it(`${homes.join(" + ")}, ${all ? "--all" : `project ${project}`}: ${names}`, async () => {
      await withHomes(async (dir) => {
        const scope = { homes: homes.map((h) => join(dir, h)), cwd };
        const files = await listScope(scope, all);
        assert.deepEqual(files.map((f) => short(dir, f.path)), want);
      });
    });
  }
});

describe("listCatalogs", () => {
  it("one catalogue per home, in the homes' order: the project's directory, or sessions/", async () => {
    await withHomes(async (dir) => {
      const homes = [join(dir, "h1"), join(dir, "h0")];
      const cases: [boolean, string[], number[]][] = [
        // all, each catalogue's root, how many files each
        [false, homes.map((h) => join(sessionsDir(h), projectKey(A))), [1, 2]],
        [true, homes.map(sessionsDir), [1, 3]],
      ];
      for (const [all, roots, counts] of cases) {
        const catalogs = await listCatalogs({ homes, cwd: A }, all);
        assert.deepEqual(catalogs.map((c) => c.root), roots);
        assert.deepEqual(catalogs.map((c) => c.files.length), counts);
      }
    });
  });

  it("reads the project only when it lists the project's files", async () => {
    await withHomes(async (dir) => {
      let reads = 0;
      const scope = {
        homes: [join(dir, "h0")],
        get cwd() {
          reads++;
          return A;
        },
      };
      await listCatalogs(scope, true);
      assert.equal(reads, 0, "--all");
      await listCatalogs(scope, false);
      assert.equal(reads, 1, "the project");
    });
  });
});

describe("newestFiles, cannotList, listingProblems", () => {
  const file = (path: string, mtimeMs: number) => ({ path, dir: "k", bytes: 0, mtimeMs });
  const catalog = (root: string, files: [string, number][], problems: string[]): Catalog => ({
    root,
    files: files.map(([p, t]) => file(p, t)),
    problems: problems.map((p) => ({ path: p, message: `${p} failed` })),
  });

  const cases: [string, Catalog[], string[], string[]][] = [
    // what, catalogues, newestFiles' paths, listingProblems
    ["none", [], [], []],
    ["one, kept in order", [catalog("/a", [["/a/2", 2], ["/a/1", 1]], [])], ["/a/2", "/a/1"], []],
    [
      "two merged, a tie by the greater path first",
      [catalog("/a", [["/a/2", 2], ["/a/1", 1]], []), catalog("/b", [["/b/2", 2]], [])],
      ["/b/2", "/a/2", "/a/1"],
      [],
    ],
    [
      "problems in the catalogues' order, files still listed",
      [catalog("/a", [["/a/1", 1]], ["/a/x", "/a/y"]), catalog("/b", [], ["/b/z"])],
      ["/a/1"],
      [
        'Cannot list "/a/x": /a/x failed',
        'Cannot list "/a/y": /a/y failed',
        'Cannot list "/b/z": /b/z failed',
      ],
    ],
  ];
  for (const [what, catalogs, files, problems] of cases) {
    it(what, () => {
      assert.deepEqual(newestFiles(catalogs).map((f) => f.path), files);
      assert.deepEqual(listingProblems(catalogs), problems);
      const each = catalogs.flatMap((c) => c.problems.map(cannotList));
      assert.deepEqual(each, problems, "one message each, as cannotList says it");
    });
  }
});
