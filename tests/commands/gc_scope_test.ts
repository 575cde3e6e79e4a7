/**
 * Tests of what `gc` works on: one project (`--project` or `--cwd`) or every
 * project of the home, sessions named by reference, and how the plan shows
 * them (first line, titles cut to the width). In-process, on temporary homes.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, symlink, unlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { projectKey } from "../../lib/sessions/home.ts";
import { displayWidth } from "../../lib/render/width.ts";
import {
  cli,
  DAY,
  fileName,
  fn,
  left,
  MIN,
  NOW,
  sess as session,
  type SessOpts,
  treeSnapshot,
  uuid,
  withHome,
} from "../helpers/gc_home.ts";

const A = "/home/dev/alpha";
const B = "/home/dev/beta";
const C = "/home/dev/gamma";
const KA = projectKey(A);
const KB = projectKey(B);
const KC = projectKey(C);

/** Session `n` of `cwd`, modified `ageMs` ago: a prompt and a reply, maybe a title. */
const sess = (n: number, cwd: string, ageMs: number, o: SessOpts = {}) =>
  session(n, cwd, ageMs, { prompt: `prompt ${n}`, noUsage: true, ...o });

/** Three projects: A has 3 sessions, B 2, C 1; all out of the grace period. */
const three = () => [
  sess(1, A, 30 * DAY),
  sess(2, A, 20 * DAY),
  sess(3, A, 10 * DAY),
  sess(4, B, 25 * DAY),
  sess(5, B, 5 * DAY),
  sess(6, C, 15 * DAY),
];

/** Every entry under `root` (names, sizes, mtimes, modes, contents, link targets). */
const tree = async (root: string) => (await treeSnapshot(root)).listing;

describe("gc scope: one project or every project", () => {
  for (const flag of ["--cwd", "--project"]) {
    it(`${flag} limits gc to that project; the others stay byte for byte`, async () => {
      await withHome(three(), async (home) => {
        // All but project A, and the sessions directory (the lock comes and goes there).
        const others = async () =>
          (await tree(home)).split("\n").filter((l) =>
            !l.includes(KA) && !l.startsWith("D sessions ")
          ).join("\n");
        const before = await others();
        const r = await cli(["gc", "--home", home, flag, A, "--keep-last", "1", "--yes"]);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.out.split(",")[0], "Removed 2 sessions");
        assert.deepEqual(await left(home), [fn(KB, 4), fn(KB, 5), fn(KC, 6), fn(KA, 3)].sort());
        assert.equal(await others(), before);
      });
    });

    it(`${flag} is relative to the current directory, as zot names a project`, async () => {
      await withHome(three(), async (home) => {
        const r = await cli(["gc", "--home", home, flag, "beta/", "--all-sessions", "--yes"], {
          processCwd: "/home/dev",
        });
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 2), fn(KA, 3), fn(KC, 6)].sort());
      });
    });
  }

  it("--cwd and --project naming the same project agree; different ones are a usage error", async () => {
    await withHome(three(), async (home) => {
      const before = await tree(home);
      const bad = await cli([
        "gc",
        "--home",
        home,
        "--cwd",
        A,
        "--project",
        B,
        "--all-sessions",
        "--yes",
      ]);
      assert.equal(bad.code, 2, bad.err);
      assert.match(
        bad.err,
        /Cannot clean up project "\/home\/dev\/beta" with --cwd "\/home\/dev\/alpha"/,
      );
      assert.equal(await tree(home), before);
      const ok = await cli(
        ["gc", "--home", home, "--cwd", A, "--project", "alpha", "--all-sessions", "--yes"],
        { processCwd: "/home/dev" },
      );
      assert.equal(ok.code, 0, ok.err);
      assert.deepEqual(await left(home), [fn(KB, 4), fn(KB, 5), fn(KC, 6)].sort());
    });
  });

  it("a project with no sessions is exit 2, nothing touched, no lock taken", async () => {
    await withHome(three(), async (home) => {
      const before = await tree(home);
      for (const flag of ["--cwd", "--project"]) {
        for (const extra of [[], ["--yes"], ["--yes", "--quiet", "--json"]]) {
          const r = await cli([
            "gc",
            "--home",
            home,
            flag,
            "/nowhere",
            "--all-sessions",
            ...extra,
          ]);
          assert.equal(r.code, 2, r.err);
          assert.equal(r.out, "");
          assert.equal(
            r.err,
            `zot-sessions: Cannot clean up project "/nowhere": no zot sessions for it (looked in "${
              join(home, "sessions", projectKey("/nowhere"))
            }") (see "zot-sessions gc --help")\n`,
          );
          assert.equal(await tree(home), before);
        }
      }
    });
    // Also in a home that has no sessions directory at all.
    await withHome([], async (home) => {
      const r = await cli(["gc", "--home", home, "--project", A, "--empty", "--yes"]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /no zot sessions for it/);
      assert.deepEqual(await readdir(home), []);
    });
  });

  it("the plan's first line says what it works on", async () => {
    await withHome(three(), async (home) => {
      const first = async (args: string[]) =>
        (await cli(["gc", "--home", home, "--no-color", ...args])).out.split("\n")[0];
      assert.match(
        await first(["--keep-last", "1"]),
        new RegExp(
          `^Would remove 3 sessions from every project under ${home}, freeing .+ \\(dry run`,
        ),
      );
      assert.match(
        await first(["--keep-last", "1", "--project", A]),
        /^Would remove 2 sessions from project \/home\/dev\/alpha, freeing /,
      );
      assert.match(
        await first(["--keep-last", "1", "--cwd", B, "--archive", "/tmp/arch"]),
        /^Would archive 1 session from project \/home\/dev\/beta to \/tmp\/arch, freeing /,
      );
      assert.equal(
        await first(["--older-than", "90d"]),
        `Nothing to remove from every project under ${home}.`,
      );
      assert.equal(
        await first(["--older-than", "90d", "--cwd", C]),
        `Nothing to remove from project ${C}.`,
      );
      const j = JSON.parse(
        (await cli(["gc", "--home", home, "--keep-last", "1", "--cwd", B, "--json"])).out,
      );
      assert.deepEqual([j.home, j.project], [home, B]);
    });
  });
});

describe("gc SESSION…", () => {
  it("a dry run lists the named sessions (reason named) and touches nothing; --yes removes only them", async () => {
    await withHome(three(), async (home, path) => {
      const s = three();
      const before = await tree(home);
      const named = ["gc", "--home", home, "00000002", path(s[3]), "latest~1", "--no-color"];
      // latest~N counts in the current project: C has one session.
      const none = await cli([...named, "--yes"], { processCwd: C });
      assert.equal(none.code, 1, none.err);
      assert.match(none.err, /Cannot find session "latest~1": 1 session for "\/home\/dev\/gamma"/);
      // With a project given, every name must be one of its sessions.
      const other = await cli([...named, "--cwd", A, "--yes"]);
      assert.equal(other.code, 2, other.err);
      assert.match(
        other.err,
        /"[^"]+00000004\.jsonl" is not a session of project "\/home\/dev\/alpha"/,
      );
      assert.equal(await tree(home), before);

      const plan = await cli(named, { processCwd: A });
      assert.equal(plan.code, 0, plan.err);
      const lines = plan.out.trimEnd().split("\n");
      // latest~1 of A is session 2 again: named twice, listed once.
      assert.match(
        lines[0],
        /^Would remove 2 named sessions, freeing .+ \(dry run: add --yes to do it\):$/,
      );
      assert.ok(lines[1].includes(path(s[3])) && lines[1].endsWith("  named  prompt 4"), lines[1]);
      assert.ok(lines[2].includes(path(s[1])) && lines[2].endsWith("  named  prompt 2"), lines[2]);
      assert.equal(lines.length, 3);
      assert.equal(await tree(home), before);

      const j = JSON.parse((await cli([...named, "--json"], { processCwd: A })).out);
      assert.deepEqual(
        j.sessions.map((x: { id: string; reasons: string[] }) => [x.id, x.reasons]),
        [
          [uuid(4), ["named"]],
          [uuid(2), ["named"]],
        ],
      );

      const done = await cli([...named, "--yes"], { processCwd: A });
      assert.equal(done.code, 0, done.err);
      assert.equal(done.err, "");
      assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 3), fn(KB, 5), fn(KC, 6)].sort());
    });
  });

  it("refuses anything but a session file in the sessions tree, before any lock", async () => {
    await withHome(three(), async (home, path) => {
      const s = three();
      const outside = join(home, "export.jsonl");
      await copyFile(path(s[0]), outside);
      await writeFile(join(home, "sessions", KA, "20260922-120509-aaaaaaaa.jsonl.gz"), "x");
      await symlink(path(s[5]), join(home, "sessions", KA, "20260922-120509-bbbbbbbb.jsonl"));
      const old = (NOW - 9 * DAY) / 1000;
      await mkdir(join(home, "elsewhere"));
      await copyFile(path(s[1]), join(home, "elsewhere", "x.jsonl"));
      await symlink(join(home, "elsewhere"), join(home, "sessions", "0123456789abcdef"));
      await utimes(outside, old, old);
      const before = await tree(home);
      for (
        const ref of [
          outside,
          join(home, "sessions", KA, "20260922-120509-aaaaaaaa.jsonl.gz"),
          join(home, "sessions", KA, "20260922-120509-bbbbbbbb.jsonl"),
          join(home, "sessions", "0123456789abcdef", "x.jsonl"),
        ]
      ) {
        const r = await cli(["gc", "--home", home, ref, "--yes"]);
        assert.equal(r.code, 2, `${ref}: ${r.err}`);
        assert.ok(
          r.err.includes(`is not a session file in "${join(home, "sessions")}/<16 hex>/"`),
          r.err,
        );
        assert.equal(await tree(home), before, ref);
      }
      // The same file reached through a link to the home is fine.
      const link = `${home}-link`;
      await symlink(home, link);
      try {
        const r = await cli([
          "gc",
          "--home",
          home,
          join(link, "sessions", KC, fileName(6)),
          "--yes",
        ]);
        assert.equal(r.code, 0, r.err);
        assert.ok(!existsSync(path(s[5])));
      } finally {
        await unlink(link);
      }
    });
  });

  it("names and policies are not mixed; the config's policies do not apply to names", async () => {
    await withHome(three(), async (home) => {
      const before = await tree(home);
      for (
        const p of [["--empty"], ["--older-than", "1d"], ["--keep-last", "1"], ["--max-size", "1"]]
      ) {
        const r = await cli(["gc", "--home", home, "00000001", ...p, "--yes"]);
        assert.equal(r.code, 2, r.err);
        assert.match(
          r.err,
          /Cannot clean up "00000001" with --[a-z-]+: name sessions or give policies, not both/,
        );
      }
      assert.equal(await tree(home), before);
      await writeFile(
        join(home, "zot-sessions.jsonc"),
        `{ "gc": { "keepLast": 0, "grace": "1m" } }`,
      );
      const r = await cli(["gc", "--home", home, "00000001", "--yes"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        await left(home),
        [fn(KA, 2), fn(KA, 3), fn(KB, 4), fn(KB, 5), fn(KC, 6)].sort(),
      );
    });
  });

  it("a named session kept for safety (a kept fork's parent, the grace period) is warned about, exit 1", async () => {
    const s = [sess(1, A, 9 * DAY), sess(2, A, 8 * DAY, { parent: 1 }), sess(3, A, 10 * MIN)];
    await withHome(s, async (home) => {
      const dry = await cli(["gc", "--home", home, "00000001", "00000003", "--no-color"]);
      assert.equal(dry.code, 0, dry.err);
      assert.match(
        dry.out,
        /^Nothing to remove of the 2 named sessions\.\nKept .*00000001.*: parent of kept fork 00000002 .*\nLeft .*00000003.*within the grace period\n$/,
      );
      const r = await cli(["gc", "--home", home, "00000001", "00000003", "--yes"]);
      assert.equal(r.code, 1);
      assert.match(r.err, /warning: Kept "[^"]+00000001\.jsonl": parent of kept fork 00000002/);
      assert.match(
        r.err,
        /warning: Left "[^"]+00000003\.jsonl": modified .*, within the grace period/,
      );
      assert.match(r.err, /Cannot remove 2 of the named sessions: kept, as warned above\n$/);
      assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 2), fn(KA, 3)]);
      const o = await cli(["gc", "--home", home, "00000001", "--yes", "--allow-orphans"]);
      assert.equal(o.code, 0, o.err);
      assert.deepEqual(await left(home), [fn(KA, 2), fn(KA, 3)]);
    });
  });
});

describe("gc plan: titles", () => {
  const long = "a very long first prompt that goes on and on ".repeat(5).trim();
  const cases = () => [
    sess(1, A, 9 * DAY, { title: "the \x1b[2J title\u202e", prompt: "not shown" }),
    sess(2, A, 8 * DAY, { prompt: long }),
    sess(3, A, 7 * DAY),
  ];

  it("shows the title, else the first prompt, sanitised; cut at 60 columns off a terminal", async () => {
    await withHome(cases(), async (home) => {
      const r = await cli(["gc", "--home", home, "--keep-last", "1", "--no-color"]);
      const lines = r.out.trimEnd().split("\n");
      assert.ok(lines[1].endsWith("beyond the newest kept  the ␛[2J title\\u{202e}"), lines[1]);
      const cut = lines[2].slice(lines[2].indexOf("beyond the newest kept") + 24);
      assert.equal(displayWidth(cut), 60);
      assert.ok(cut.endsWith("…") && long.startsWith(cut.slice(0, -1)), cut);
      const j = JSON.parse((await cli(["gc", "--home", home, "--keep-last", "1", "--json"])).out);
      assert.deepEqual(j.sessions.map((x: { title: string | null }) => x.title), [
        "the \x1b[2J title\u202e",
        null,
      ]);
      assert.equal(j.sessions[1].firstPrompt, long);
    });
  });

  it("on a terminal, each row fits the width, the title cut to what it leaves", async () => {
    await withHome(cases(), async (home) => {
      for (const columns of [200, 160, 100, 60]) {
        const r = await cli(["gc", "--home", home, "--keep-last", "1"], { tty: true, columns });
        // deno-lint-ignore no-control-regex
        const rows = r.out.replace(/\x1b\[[0-9;]*m/g, "").split("\n").slice(1, 3);
        for (const row of rows) assert.ok(displayWidth(row) <= columns, `${columns}: ${row}`);
        const at = rows[1].indexOf("a very long");
        if (columns >= 100) {
          const title = rows[1].slice(at);
          assert.ok(at > 0 && title.endsWith("…") && long.startsWith(title.slice(0, -1)), title);
          assert.equal(displayWidth(rows[1]), columns, `${columns}: ${rows[1]}`);
        } else assert.equal(at, -1, `no room for the title at ${columns}: ${rows[1]}`);
      }
    });
  });
});
