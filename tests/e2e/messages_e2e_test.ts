/**
 * End-to-end tests of the messages of faults (issue 9, item 11), with the
 * built binary (see harness.ts): system errors in words and naming their
 * path, unreadable `sessions/`, homes named twice, config keys and BOM,
 * identical ids, path references to files that are not sessions, and a
 * deleted current directory.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  chmod,
  copyFile,
  mkdir,
  readdir,
  readFile,
  rm,
  rmdir,
  symlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { projectKey } from "../../lib/sessions/home.ts";
import { SHOP_CWD } from "../../scripts/make-example-home.ts";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { BIN, exampleWorkdir, type Run, run } from "./harness.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";

/** Every run here reads the example home, or next to it: at its instant. */
const ENV = { ZOT_SESSIONS_NOW: EXAMPLE_NOW };
const zs = (args: string[]) => run(BIN, args, ENV);

/** A raw errno code, as the runtimes put it in their messages. */
const RAW_CODE = /\bE(NOENT|NOTDIR|ISDIR|NAMETOOLONG|EXIST|ACCES|PERM|LOOP|MFILE)\b/;

/** One line on stderr, nothing on stdout, the given exit code. */
function failsWith(r: Run, code: number, err: string, what: string) {
  assert.equal(r.err, `zot-sessions: ${err}\n`, what);
  assert.equal(r.code, code, `${what}: ${r.err}`);
  assert.equal(r.out, "", what);
}

let work = "";
let example = "";
let cleanup = () => Promise.resolve();
before(async () => {
  ({ work, example, cleanup } = await exampleWorkdir());
});
after(() => cleanup());

/** The first session file of the example's web-shop project. */
async function shopSession(): Promise<string> {
  const dir = join(example, "sessions", projectKey(SHOP_CWD));
  return join(dir, (await readdir(dir)).sort()[0]);
}

describe("e2e: system errors are words and name their path", () => {
  it("ENOENT, ENOTDIR, ENAMETOOLONG and EISDIR never reach the user as codes", async () => {
    const dir = join(work, "errno");
    await mkdir(join(dir, "a-dir.jsonl"), { recursive: true });
    await writeFile(join(dir, "file"), "x");
    const long = join(dir, "n".repeat(300), "x.jsonl");
    const cases: [string[], string][] = [
      [
        ["show", join(dir, "missing.jsonl")],
        `Cannot read session "${join(dir, "missing.jsonl")}": no such file or directory`,
      ],
      [
        ["show", join(dir, "file", "x.jsonl")],
        `Cannot read session "${join(dir, "file", "x.jsonl")}": not a directory`,
      ],
      [["tail", long], `Cannot read session "${long}": name too long`],
      [
        ["show", join(dir, "a-dir.jsonl")],
        `Cannot read session "${join(dir, "a-dir.jsonl")}": not a file`,
      ],
      [
        ["gc", "--home", example, "--empty", "--config", dir],
        `Cannot read config "${dir}": not a regular file (a directory)`,
      ],
    ];
    for (const [args, message] of cases) {
      const r = zs(args);
      assert.doesNotMatch(r.err, RAW_CODE, args.join(" "));
      assert.equal(r.err.replace(/ \(see "[^"]+"\)/, ""), `zot-sessions: ${message}\n`);
    }
  });

  it("gc --home FILE exits 1, also when the file is named twice", async () => {
    const file = join(work, "errno-home-file");
    await writeFile(file, "x");
    for (
      const args of [
        ["gc", "--home", file],
        ["gc", "--home", file, "--empty"],
        ["gc", "--home", file, "--home", file, "--empty", "--yes"],
      ]
    ) {
      failsWith(zs(args), 1, `Cannot read zot home "${file}": not a directory`, args.join(" "));
    }
  });

  it("a bad .gz names its path once, in the warning and in the error", async () => {
    const dir = join(example, "sessions", projectKey(SHOP_CWD));
    const gz = join(dir, "20990101-000000-deadbeef.jsonl.gz");
    await writeFile(gz, "not gzip at all\n");
    try {
      const ls = zs(["ls", "--all", "--home", example]);
      assert.equal(ls.code, 0, ls.err);
      assert.equal(
        ls.err,
        `zot-sessions: warning: Cannot read "${gz}": not a valid gzip file (damaged or cut short); skipped it\n`,
      );
      const cost = zs(["cost", "--all", "--home", example]);
      assert.equal(cost.err, ls.err);
      failsWith(
        zs(["show", gz]),
        1,
        `Cannot read "${gz}": not a valid gzip file (damaged or cut short)`,
        "show",
      );
    } finally {
      await rm(gz, { force: true });
    }
  });
});

describe("e2e: a sessions directory that cannot be read is an error, not $0.00", () => {
  it("sessions/ is a file: every reading verb exits 1 naming it", async () => {
    const home = join(work, "home-sessions-file");
    await mkdir(home);
    await writeFile(join(home, "sessions"), "x");
    const message = `Cannot read "${join(home, "sessions")}": not a directory`;
    for (
      const args of [
        ["ls"],
        ["ls", "--all"],
        ["cost"],
        ["cost", "--all", "--json"],
        ["show", "latest"],
        ["show", "0e19"],
        ["tail"],
      ]
    ) {
      failsWith(zs([...args, "--home", home, "--cwd", SHOP_CWD]), 1, message, args.join(" "));
    }
  });

  it(
    "sessions/ without permissions, read as nobody (setpriv): exit 1, permission denied",
    {
      skip: needs("root, to run as nobody", process.getuid?.() === 0) ||
        needs("setpriv (util-linux)", hasProgram("setpriv")),
    },
    async () => {
      // Root reads through any mode bits: run the binary as nobody, in a
      // tree nobody can walk, whose sessions directory has mode 000.
      const tree = join(work, "as-nobody");
      await mkdir(tree);
      await chmod(work, 0o755);
      await chmod(tree, 0o755);
      const home = join(tree, "home");
      const sessions = join(home, "sessions");
      await mkdir(join(sessions, projectKey(SHOP_CWD)), { recursive: true });
      const session = join(tree, "locked.jsonl");
      await copyFile(await shopSession(), session);
      await chmod(home, 0o755);
      await chmod(sessions, 0o000);
      await chmod(session, 0o000);
      const asNobody = (args: string[]) => {
        const r = spawnSync(
          "setpriv",
          ["--reuid=65534", "--regid=65534", "--clear-groups", BIN, ...args],
          { encoding: "utf8", env: ENV, cwd: "/" },
        );
        return { code: r.status, out: r.stdout, err: r.stderr };
      };
      const denied = `Cannot read "${sessions}": permission denied`;
      for (const args of [["ls", "--all"], ["ls"], ["cost"], ["cost", "--all"], ["show"]]) {
        failsWith(asNobody([...args, "--home", home, "--cwd", SHOP_CWD]), 1, denied, args[0]);
      }
      for (const args of [["show", session], ["tail", session], ["cost", "--session", session]]) {
        failsWith(
          asNobody(args),
          1,
          `Cannot read session "${session}": permission denied`,
          args.join(" "),
        );
      }
    },
  );
});

describe("e2e: a home named twice is read once", () => {
  it("--home H --home H, H/ or a link to H lists, costs and cleans one home", async () => {
    const link = join(work, "link-to-example");
    await symlink(example, link);
    const once = zs(["ls", "--all", "--home", example]);
    const costOnce = zs(["cost", "--all", "--json", "--home", example]);
    assert.equal(once.code, 0, once.err);
    for (const other of [example, example + "/", link, join(example, ".")]) {
      const twice = zs(["ls", "--all", "--home", example, "--home", other]);
      assert.equal(twice.out, once.out, other);
      const cost = zs(["cost", "--all", "--json", "--home", example, "--home", other]);
      assert.equal(cost.out, costOnce.out, other);
      // gc takes one home: the same one twice is one.
      const gc = zs(["gc", "--empty", "--home", example, "--home", other]);
      assert.equal(gc.code, 0, gc.err);
    }
  });
});

describe("e2e: the config file", () => {
  it('"constructor", "__proto__" and "toString" are unknown keys, with line and column', async () => {
    for (const key of ["constructor", "__proto__", "toString"]) {
      const path = join(work, `config-${key}.jsonc`);
      await writeFile(path, `{\n  "gc": {\n    "${key}": true\n  }\n}\n`);
      const r = zs(["gc", "--home", example, "--config", path]);
      assert.equal(r.code, 2, r.err);
      assert.match(
        r.err,
        new RegExp(
          `^zot-sessions: Cannot read config "${path}": line 3, column 5: unknown key "gc\\.${key}" \\(known: `,
        ),
      );
    }
  });

  it("a UTF-8 byte order mark at the start is accepted", async () => {
    const path = join(work, "config-bom.jsonc");
    await writeFile(path, '\uFEFF{ "gc": { "empty": true } }\n');
    const r = zs(["gc", "--home", example, "--config", path]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Would remove 1 session /);
    // Positions after the mark are counted as an editor shows them.
    await writeFile(path, '\uFEFF{ "gc": { "empty": 1 } }\n');
    assert.match(
      zs(["gc", "--home", example, "--config", path]).err,
      /: line 1, column 20: "gc.empty" must be a boolean/,
    );
  });
});

describe("e2e: references", () => {
  it("two files with the same full id are listed by path, with a hint to name one", async () => {
    const original = await shopSession();
    const id = JSON.parse((await readFile(original, "utf8")).split("\n")[0]).meta.id as string;
    const copyDir = join(example, "sessions", "0000000000000000");
    await mkdir(copyDir);
    const copy = join(copyDir, original.slice(original.lastIndexOf("/") + 1));
    await copyFile(original, copy);
    try {
      for (const ref of [id, id.slice(0, 8)]) {
        const r = zs(["show", ref, "--home", example, "--cwd", "/elsewhere"]);
        assert.equal(r.code, 2, r.err);
        const lines = r.err.trimEnd().split("\n");
        assert.equal(
          lines[0],
          `zot-sessions: Cannot pick session "${ref}": 2 files hold session ${id}`,
        );
        assert.deepEqual(
          lines.slice(1, 3).map((l) => l.trim().split("  ")[0]).sort(),
          [
            copy,
            original,
          ].sort(),
        );
        assert.equal(
          lines[3],
          'hint: name the file by its path to pick one (see "zot-sessions show --help")',
        );
      }
      const byPath = zs(["show", copy, "--raw"]);
      assert.equal(byPath.out, await readFile(copy, "utf8"));
    } finally {
      await rm(copy, { force: true });
      await rmdir(copyDir);
    }
  });

  it("show --raw and tail --raw print no file that is not a session", async () => {
    const secret = join(work, "secret.txt");
    await writeFile(secret, "root:$6$secret:19000:0:99999:7:::\n");
    const message = `Cannot read session "${secret}": not a zot session file ` +
      "(expected a .jsonl, .jsonl.gz or .zotsession name, or a zot meta line first)";
    for (const args of [["show", "--raw"], ["show"], ["show", "--json"], ["tail", "--raw"]]) {
      failsWith(zs([args[0], secret, ...args.slice(1)]), 1, message, args.join(" "));
    }
    // A session by its first line, whatever its name, is shown.
    const renamed = join(work, "a session.txt");
    const text = [
      metaLine({ id: "5e5510a0-0000-4000-8000-000000000000", cwd: "/p" }),
      messageLine("user", "hello"),
    ].join("\n") + "\n";
    await writeFile(renamed, text);
    const r = zs(["show", renamed, "--raw"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, text);
  });
});

describe("e2e: a deleted current directory", () => {
  let gone = 0;
  /** Runs the binary from a directory the shell deletes first. */
  function fromDeleted(args: string[]): Run {
    const dir = join(work, `gone-${++gone}`);
    const quoted = [BIN, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
    const r = spawnSync(
      "/bin/sh",
      ["-c", `mkdir "$D" && cd "$D" && rmdir "$D" && exec ${quoted}`],
      { encoding: "utf8", env: { ...ENV, D: dir } },
    );
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  it("--version and --help work; a verb that needs the directory says so, exit 1", () => {
    const version = fromDeleted(["--version"]);
    assert.equal(version.code, 0, version.err);
    assert.match(version.out, /^zot-sessions \d/);
    assert.equal(fromDeleted(["ls", "--help"]).code, 0);
    const message = "Cannot find the current directory: it was deleted (use --cwd)";
    for (
      const args of [["ls"], ["cost"], ["show"], ["tail"], ["ls", "--all", "--home", "relative"]]
    ) {
      failsWith(fromDeleted([...args, "--home", example]), 1, message, args.join(" "));
    }
  });

  it("absolute paths, --all and --cwd need no current directory", async () => {
    const here = zs(["ls", "--all", "--home", example]);
    assert.equal(fromDeleted(["ls", "--all", "--home", example]).out, here.out);
    const project = ["--home", example, "--cwd", SHOP_CWD];
    for (const args of [["ls"], ["cost"], ["show"], ["tail"], ["cost", "--all"]]) {
      const r = fromDeleted([...args, ...project]);
      assert.equal(r.code, 0, `${args}: ${r.err}`);
      assert.equal(r.out, zs([...args, ...project]).out, args.join(" "));
    }
    const session = await shopSession();
    assert.equal(fromDeleted(["show", session, "--raw"]).out, await readFile(session, "utf8"));
    assert.equal(fromDeleted(["gc", "--empty", "--home", example]).code, 0);
  });
});

describe("e2e: checked on main before this issue, kept checked", () => {
  it("years 0000–0099 stay in their century", () => {
    const r = zs([
      "cost",
      "--all",
      "--json",
      "--tz",
      "UTC",
      "--since",
      "0050-03-01",
      "--until",
      "0099-12-31",
      "--home",
      example,
    ]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { since: string; until: string };
    assert.equal(j.since, "0050-03-01T00:00:00.000Z");
    assert.equal(j.until, "0099-12-31T23:59:59.999Z");
  });
});
