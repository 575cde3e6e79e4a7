import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkHome,
  currentCwd,
  type PathEnv,
  projectKey,
  zotHome,
} from "../../lib/sessions/home.ts";
import { RuntimeError } from "../../lib/base/errors.ts";
import { cliWith } from "../helpers/cli.ts";

const base: PathEnv = { env: {}, platform: "linux", userHome: "/home/me", processCwd: "/" };

describe("zotHome", () => {
  const cases: [string, Partial<PathEnv>, string][] = [
    ["$ZOT_HOME wins everywhere", {
      env: { ZOT_HOME: "/z", XDG_STATE_HOME: "/x" },
      platform: "darwin",
    }, "/z"],
    ["an empty $ZOT_HOME is ignored", { env: { ZOT_HOME: "" } }, "/home/me/.local/state/zot"],
    ["Linux uses $XDG_STATE_HOME when set", { env: { XDG_STATE_HOME: "/state" } }, "/state/zot"],
    ["Linux falls back to ~/.local/state", {}, "/home/me/.local/state/zot"],
    [
      "macOS uses Application Support",
      { platform: "darwin", env: { XDG_STATE_HOME: "/x" } },
      "/home/me/Library/Application Support/zot",
    ],
    ["no home directory gives .zot", { userHome: "" }, ".zot"],
  ];
  for (const [name, p, want] of cases) {
    it(name, () => assert.equal(zotHome({ ...base, ...p }), want));
  }
  it("Windows uses %LOCALAPPDATA%", () => {
    const got = zotHome({
      ...base,
      platform: "win32",
      env: { LOCALAPPDATA: "C:\\Users\\me\\AppData\\Local" },
    });
    assert.match(got, /AppData.Local.zot$/);
  });
});

describe("projectKey", () => {
  it("is the first 8 bytes of SHA-256 of the cwd, in hex (the samples' key)", () => {
    assert.equal(projectKey("/home/dev/project-a"), "98bce8e9987b1030");
  });
  it("does not normalise: NFC and NFD spellings are different projects", () => {
    const nfc = "/home/dev/café".normalize("NFC");
    const nfd = "/home/dev/café".normalize("NFD");
    assert.notEqual(projectKey(nfc), projectKey(nfd));
    assert.match(projectKey(nfd), /^[0-9a-f]{16}$/);
  });
});

describe("currentCwd", () => {
  it("uses $PWD when it names the same directory (the logical path through a symlink)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zot-cwd-"));
    try {
      await mkdir(join(dir, "real"));
      await symlink(join(dir, "real"), join(dir, "link"));
      const p = { ...base, processCwd: join(dir, "real"), env: { PWD: join(dir, "link") } };
      assert.equal(await currentCwd(p), join(dir, "link"));
      // A stale $PWD (another directory) is ignored.
      assert.equal(await currentCwd({ ...p, env: { PWD: dir } }), join(dir, "real"));
      // A relative --cwd resolves against the logical path, symlinks kept.
      assert.equal(await currentCwd(p, "../link/sub/"), join(dir, "link", "sub"));
    } finally {
      await rm(dir, { recursive: true });
    }
  });
  it("takes an absolute --cwd verbatim but for a trailing slash", async () => {
    assert.equal(await currentCwd(base, "/home/dev/project-a/"), "/home/dev/project-a");
    assert.equal(await currentCwd(base, "/"), "/");
  });
  it("ignores a relative $PWD", async () => {
    assert.equal(await currentCwd({ ...base, processCwd: "/tmp", env: { PWD: "tmp" } }), "/tmp");
  });
});

describe("a home that is not there", () => {
  const VERBS: string[][] = [
    ["ls"],
    ["ls", "--all", "--json"],
    ["show"],
    ["tail"],
    ["cost"],
    ["cost", "--all", "--json"],
    ["gc", "--empty"],
    ["gc", "--keep-last", "1", "--yes"],
  ];
  const cli = cliWith({});

  it("checkHome accepts a directory or a link to one, refuses the rest", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zot-home-check-"));
    try {
      await writeFile(join(dir, "file"), "x");
      await symlink(dir, join(dir, "link"));
      await checkHome(dir);
      await checkHome(join(dir, "link"));
      for (const [p, why] of [["file", "not a directory"], ["nope", "no such file or directory"]]) {
        await assert.rejects(
          checkHome(join(dir, p)),
          (e) =>
            e instanceof RuntimeError &&
            e.message === `Cannot read zot home "${join(dir, p)}": ${why}`,
        );
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  for (const args of VERBS) {
    it(`${args.join(" ")}: a --home or $ZOT_HOME that is missing or a file exits 1, one line`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "zot-home-bad-"));
      try {
        const file = join(dir, "file");
        await writeFile(file, "x");
        for (const home of [join(dir, "missing"), file]) {
          for (
            const r of [
              await cli([...args, "--home", home]),
              await cli(args, { env: { ZOT_HOME: home } }),
            ]
          ) {
            assert.equal(r.code, 1, r.err);
            assert.equal(r.out, "");
            assert.match(r.err, /^zot-sessions: Cannot read zot home "[^"]+": [^\n]+\n$/);
            assert.ok(r.err.includes(`"${home}"`), r.err);
          }
        }
        assert.deepEqual(await readdir(dir), ["file"], "nothing created");
      } finally {
        await rm(dir, { recursive: true });
      }
    });
  }

  it("a usage error is still a usage error (exit 2), whatever the home", async () => {
    for (
      const args of [
        ["ls", "--limit", "x"],
        ["show", "zz"],
        ["tail", "zz"],
        ["cost", "--session", "zz"],
        ["cost", "--by", "nothing"],
        // gc reads its policies from the home's config: only two homes come first.
        ["gc", "--empty", "--home", "/nonexistent/other"],
      ]
    ) {
      const r = await cli([...args, "--home", "/nonexistent/zot"]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    }
  });

  it("zot's own default home may be missing (zot never ran): ls and cost say there is nothing", async () => {
    const r = await cli(["ls", "--json", "--all"]);
    assert.deepEqual([r.code, r.out], [0, "[]\n"]);
    const c = await cli(["cost", "--all", "--json"]);
    assert.equal(c.code, 0, c.err);
  });
});
