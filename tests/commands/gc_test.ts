/**
 * Tests of the `gc` verb run in-process on temporary homes: usage errors, the
 * dry run, policies from flags and from zot-sessions.jsonc, the grace period,
 * fork parents, links and odd files, the lock, the archive.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { LOCK_NAME } from "../../lib/gc/lock.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { metaLine } from "../helpers/fixtures.ts";
import {
  cli,
  DAY,
  DEAD_PID,
  fileName,
  fn,
  HOUR,
  left,
  liveProcess,
  MIN,
  NOW,
  sess,
  treeSnapshot,
  uuid,
  withHome,
} from "../helpers/gc_home.ts";

const A = "/home/dev/alpha";
const B = "/home/dev/beta";
const KA = projectKey(A);
const KB = projectKey(B);

const mixed = () => [
  sess(1, A, 40 * DAY, { empty: true }),
  sess(2, A, 30 * DAY),
  sess(3, A, 20 * DAY, { pad: 3000 }),
  sess(4, A, 2 * DAY),
  sess(5, B, 50 * DAY),
  sess(6, B, 3 * HOUR, { empty: true }),
  sess(7, B, 10 * MIN, { empty: true }),
];

describe("gc (in-process)", () => {
  it("without a policy (no flag, no config) is a usage error", async () => {
    await withHome(mixed(), async (home) => {
      const before = await treeSnapshot(home);
      for (const extra of [[], ["--yes"], ["--grace", "0m", "--archive", "/tmp/x"]]) {
        const r = await cli(["gc", "--home", home, ...extra]);
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, /Cannot clean up without a policy/);
        assert.equal(r.out, "");
      }
      assert.equal((await treeSnapshot(home)).hash, before.hash);
    });
  });

  it("refuses bad values with exit 2: durations, sizes, counts, --compress alone, two homes", async () => {
    await withHome(mixed(), async (home) => {
      const before = await treeSnapshot(home);
      for (
        const args of [
          ["--older-than", "90 days"],
          ["--max-size", "lots"],
          ["--keep-last", "x"],
          ["--keep-last", "1.5"],
          ["--empty", "--grace", "soon"],
          ["--empty", "--compress"],
          // Another directory: the same home named twice is one home.
          ["--empty", "--home", join(home, "sessions")],
          ["--empty", "stray"],
        ]
      ) {
        const r = await cli(["gc", "--home", home, "--yes", ...args]);
        assert.equal(r.code, 2, `${args}: ${r.err}`);
        assert.match(r.err, /^zot-sessions: Cannot /, args.join(" "));
      }
      assert.equal((await treeSnapshot(home)).hash, before.hash);
    });
  });

  it("refuses a zero limit, which would select every session without saying so; --all-sessions says it", async () => {
    await withHome(mixed(), async (home) => {
      const before = await treeSnapshot(home);
      for (
        const [args, said] of [
          [["--older-than", "0"], '--older-than "0"'],
          [["--older-than", "0d"], '--older-than "0d"'],
          [["--keep-last", "0"], '--keep-last "0"'],
          [["--max-size", "0"], '--max-size "0"'],
          [["--max-size", "0B", "--empty"], '--max-size "0B"'],
        ]
      ) {
        for (const yes of [[], ["--yes"]]) {
          const r = await cli(["gc", "--home", home, ...args, ...yes]);
          assert.equal(r.code, 2, `${args}: ${r.err}`);
          assert.ok(r.err.startsWith(`zot-sessions: Cannot use ${said}: `), r.err);
          assert.match(r.err, /\nhint: to clean up every session .* say so with --all-sessions/);
          assert.equal(r.out, "");
        }
      }
      await writeFile(join(home, "zot-sessions.jsonc"), '{ "gc": { "keepLast": 0 } }');
      const r = await cli(["gc", "--home", home, "--yes"]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /^zot-sessions: Cannot use "keepLast": 0 \(in the config\): /);
      await rm(join(home, "zot-sessions.jsonc"));
      assert.equal((await treeSnapshot(home)).hash, before.hash);
      const all = await cli(["gc", "--home", home, "--all-sessions", "--json"]);
      assert.equal(all.code, 0, all.err);
      const plan = JSON.parse(all.out);
      // Every session but #7, modified 10 minutes ago (within the grace period).
      assert.deepEqual(plan.sessions.map((x: { id: string }) => x.id.slice(0, 8)).sort(), [
        "00000001",
        "00000002",
        "00000003",
        "00000004",
        "00000005",
        "00000006",
      ]);
      assert.ok(
        plan.sessions.every((x: { reasons: string[] }) => x.reasons.includes("all-sessions")),
      );
      const named = await cli(["gc", "--home", home, "--all-sessions", "latest"]);
      assert.equal(named.code, 2);
      assert.match(named.err, /Cannot clean up "latest" with --all-sessions/);
    });
  });

  it("refuses an archive that is empty, the home, or inside its sessions directory", async () => {
    await withHome(mixed(), async (home) => {
      const before = await treeSnapshot(home);
      const elsewhere = await mkdtemp(join(tmpdir(), "zot-link-"));
      try {
        await symlink(home, join(elsewhere, "home-link"));
        for (
          const [archive, why] of [
            ["", /Cannot archive to "": an empty name is no directory/],
            [
              home,
              /Cannot archive to ".*": it is the home ".*", whose sessions it would hold twice/,
            ],
            [home + "/", /it is the home/],
            [join(elsewhere, "home-link"), /it is the home/],
            [join(home, "sessions"), /it is inside the sessions directory/],
            [join(home, "sessions", KA, "old"), /it is inside the sessions directory/],
          ] as const
        ) {
          for (const compress of [[], ["--compress"]]) {
            const r = await cli([
              "gc",
              "--home",
              home,
              "--all-sessions",
              "--yes",
              "--archive",
              archive,
              ...compress,
            ]);
            assert.equal(r.code, 2, `${archive}: ${r.err}`);
            assert.match(r.err, why);
          }
        }
        assert.equal((await treeSnapshot(home)).hash, before.hash);
        // Inside the home but beside the sessions: that is fine.
        const r = await cli([
          "gc",
          "--home",
          home,
          "--all-sessions",
          "--archive",
          join(home, "archive"),
        ]);
        assert.equal(r.code, 0, r.err);
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
    });
  });

  it("a dry run changes nothing (the whole tree hashed), whatever the policies", async () => {
    // A path that does not exist, in a directory of the test's own.
    const parent = await mkdtemp(join(tmpdir(), "zot-arch-never-"));
    const arch = join(parent, "archive");
    try {
      await withHome(mixed(), async (home) => {
        await writeFile(join(home, "sessions", LOCK_NAME + ".not-mine"), "x");
        const before = await treeSnapshot(home);
        const runs = [
          ["--empty"],
          ["--older-than", "1d"],
          ["--all-sessions"],
          ["--max-size", "1"],
          [
            "--empty",
            "--older-than",
            "1d",
            "--keep-last",
            "1",
            "--max-size",
            "1k",
            "--grace",
            "0m",
          ],
          ["--all-sessions", "--archive", arch, "--compress", "--allow-orphans"],
          ["--all-sessions", "--json"],
          ["--all-sessions", "--quiet"],
        ];
        for (const args of runs) {
          const r = await cli(["gc", "--home", home, ...args]);
          assert.equal(r.code, 0, `${args}: ${r.err}`);
          if (!args.includes("--quiet")) assert.ok(r.out.length > 0);
          assert.equal((await treeSnapshot(home)).listing, before.listing, args.join(" "));
        }
        assert.ok(!existsSync(arch), "a dry run does not create the archive");
      });
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it("the dry run says what would go, why, and how many bytes", async () => {
    await withHome(mixed(), async (home, path) => {
      const r = await cli(["gc", "--home", home, "--empty", "--older-than", "25d", "--no-color"]);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trimEnd().split("\n");
      assert.ok(
        lines[0].startsWith(
          `Would remove 4 sessions from every project under ${home}, freeing `,
        ) && lines[0].endsWith(" (dry run: add --yes to do it):"),
        lines[0],
      );
      const m = mixed();
      // Each with its reasons, then its first prompt (or that it is empty),
      // in aligned columns.
      assert.ok(lines[1].includes(path(m[4])), lines[1]);
      assert.match(lines[1], /older than the limit +prompt 5$/);
      assert.ok(lines[2].includes(path(m[0])), lines[2]);
      assert.match(lines[2], /empty, older than the limit {2}\(empty session\)$/);
      assert.ok(lines[3].includes(path(m[1])) && lines[3].includes(A), lines[3]);
      assert.match(lines[3], /older than the limit +prompt 2$/);
      assert.ok(lines[4].includes(path(m[5])), lines[4]);
      assert.match(lines[4], /empty +\(empty session\)$/);
      const titles = lines.slice(1, 5).map((l) => l.search(/(prompt \d|\(empty session\))$/));
      assert.equal(new Set(titles).size, 1, "the titles line up");
      assert.match(lines[5], /^Left .*00000007.*within the grace period$/);
      assert.equal(lines.length, 6);

      const j = JSON.parse(
        (await cli(["gc", "--home", home, "--empty", "--older-than", "25d", "--json"])).out,
      );
      assert.equal(j.dryRun, true);
      assert.equal(j.action, "remove");
      let total = 0;
      for (const x of [m[4], m[0], m[1], m[5]]) total += (await stat(path(x))).size;
      assert.equal(j.bytes, total);
      assert.deepEqual(
        j.sessions.map((x: { bytes: number }) => x.bytes).reduce((a: number, b: number) => a + b),
        total,
      );
      assert.deepEqual(
        j.sessions.map((x: { id: string; reasons: string[] }) => [x.id, x.reasons]),
        [
          [uuid(5), ["older-than"]],
          [uuid(1), ["empty", "older-than"]],
          [uuid(2), ["older-than"]],
          [uuid(6), ["empty"]],
        ],
      );
      assert.deepEqual(j.inGrace.map((x: { path: string }) => x.path), [path(m[6])]);
      assert.ok(!("result" in j.sessions[0]));
      assert.deepEqual([j.home, j.project], [home, null]);
      assert.deepEqual(
        j.sessions.map((x: { title: unknown; firstPrompt: unknown }) => [x.title, x.firstPrompt]),
        [[null, "prompt 5 "], [null, null], [null, "prompt 2 "], [null, null]],
      );
    });
  });

  const policies: [string, string[], string[]][] = [
    ["--empty", ["--empty"], [fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 5), fn(KB, 7)]],
    ["--older-than", ["--older-than", "25d"], [fn(KA, 3), fn(KA, 4), fn(KB, 6), fn(KB, 7)]],
    ["--keep-last", ["--keep-last", "1"], [fn(KA, 4), fn(KB, 7)]],
    // 2 kB allowed: the oldest go until it fits; #3 (3 kB) must go too.
    ["--max-size", ["--max-size", "2kB"], [fn(KA, 4), fn(KB, 6), fn(KB, 7)]],
    [
      "--max-size (all fits)",
      ["--max-size", "1MiB"],
      [fn(KA, 1), fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 5), fn(KB, 6), fn(KB, 7)],
    ],
    [
      "--empty --older-than",
      ["--empty", "--older-than", "25d"],
      [fn(KA, 3), fn(KA, 4), fn(KB, 7)],
    ],
    ["--keep-last --empty", ["--keep-last", "2", "--empty"], [
      fn(KA, 3),
      fn(KA, 4),
      fn(KB, 7),
    ]],
    ["--older-than --max-size", ["--older-than", "35d", "--max-size", "2kB"], [
      fn(KA, 4),
      fn(KB, 6),
      fn(KB, 7),
    ]],
  ];
  for (const [name, args, remaining] of policies) {
    it(`--yes ${name} removes what it selects and nothing else`, async () => {
      await withHome(mixed(), async (home) => {
        const r = await cli(["gc", "--home", home, "--yes", ...args]);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.err, "");
        assert.match(r.out, /^Removed \d+ sessions?, freeing [\d.]+ [kM]?B\.\n$/);
        assert.deepEqual(await left(home), remaining);
      });
    });
  }

  it("--project limits gc to one project", async () => {
    await withHome(mixed(), async (home) => {
      const r = await cli(["gc", "--home", home, "--yes", "--all-sessions", "--project", B]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 7)]);
      // Relative to the process cwd, as --cwd is.
      const q = await cli(
        ["gc", "--home", home, "--yes", "--all-sessions", "--project", "alpha"],
        {
          processCwd: "/home/dev",
        },
      );
      assert.equal(q.code, 0, q.err);
      assert.deepEqual(await left(home), [fn(KB, 7)]);
    });
  });

  it("never touches a file in the grace period (default 1h); --grace changes it", async () => {
    const s = [sess(1, A, 30 * MIN, { empty: true }), sess(2, A, 90 * MIN, { empty: true })];
    await withHome(s, async (home) => {
      let r = await cli(["gc", "--home", home, "--yes", "--empty"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await left(home), [fn(KA, 1)]);
      r = await cli(["gc", "--home", home, "--yes", "--empty", "--grace", "2h"]);
      assert.deepEqual(await left(home), [fn(KA, 1)]);
      r = await cli(["gc", "--home", home, "--yes", "--empty", "--grace", "10m"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await left(home), []);
    });
  });

  it("--quiet prints nothing on success, dry run or not; errors still go to stderr", async () => {
    await withHome(mixed(), async (home) => {
      let r = await cli(["gc", "--home", home, "--quiet", "--all-sessions"]);
      assert.deepEqual([r.code, r.out, r.err], [0, "", ""]);
      r = await cli(["gc", "--home", home, "--yes", "--quiet", "--all-sessions"]);
      assert.deepEqual([r.code, r.out, r.err], [0, "", ""]);
      assert.deepEqual(await left(home), [fn(KB, 7)]);
      r = await cli(["gc", "--home", home, "--yes", "--quiet"]);
      assert.equal(r.code, 2);
      assert.equal(r.out, "");
      assert.match(r.err, /without a policy/);
    });
  });

  it("--yes --json reports each file's result", async () => {
    await withHome(mixed(), async (home) => {
      const r = await cli(["gc", "--home", home, "--yes", "--json", "--older-than", "35d"]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.dryRun, false);
      assert.deepEqual(
        j.sessions.map((x: Record<string, unknown>) => [x.id, x.result, x.detail, x.archivedTo]),
        [[uuid(5), "removed", null, null], [uuid(1), "removed", null, null]],
      );
    });
  });

  it("keeps the parent of a kept fork, and says so; --allow-orphans removes it", async () => {
    const s = [sess(1, A, 30 * DAY), sess(2, A, 2 * DAY, { parent: 1 }), sess(3, A, 31 * DAY)];
    await withHome(s, async (home) => {
      const r = await cli(["gc", "--home", home, "--older-than", "7d", "--no-color"]);
      assert.match(r.out, /^Would remove 1 session from every project under /);
      assert.match(
        r.out,
        /\nKept .*00000001.*: parent of kept fork 00000002 \(--allow-orphans removes it\)\n/,
      );
      const j = JSON.parse((await cli(["gc", "--home", home, "--older-than", "7d", "--json"])).out);
      assert.deepEqual(j.keptForChildren, [{
        path: join(home, "sessions", KA, fileName(1)),
        id: uuid(1),
        children: [uuid(2)],
      }]);
      await cli(["gc", "--home", home, "--older-than", "7d", "--yes"]);
      assert.deepEqual(await left(home), [fn(KA, 1), fn(KA, 2)]);
      await cli(["gc", "--home", home, "--older-than", "7d", "--yes", "--allow-orphans"]);
      assert.deepEqual(await left(home), [fn(KA, 2)]);
    });
  });

  it("considers only regular *.jsonl files directly in sessions/<16 hex>/", async () => {
    await withHome(mixed(), async (home) => {
      const dir = join(home, "sessions");
      const oldT = (NOW - 60 * DAY) / 1000;
      const extra = [
        join(dir, KA, "archived.jsonl.gz"),
        join(dir, KA, "notes.txt"),
        join(dir, KA, "sub", "deep.jsonl"),
        join(dir, "not-a-key", "x.jsonl"),
        join(dir, "0123456789abcde", "x.jsonl"),
        join(dir, "0123456789abcdef0", "x.jsonl"),
        join(dir, "ABCDEF0123456789", "x.jsonl"),
        join(dir, "loose.jsonl"),
      ];
      for (const p of extra) {
        await mkdir(join(p, ".."), { recursive: true });
        await writeFile(p, metaLine({ id: uuid(99), cwd: A }) + "\n");
        await utimes(p, oldT, oldT);
      }
      await mkdir(join(dir, KB, "dir.jsonl"));
      await utimes(join(dir, KB, "dir.jsonl"), oldT, oldT);
      const r = await cli([
        "gc",
        "--home",
        home,
        "--yes",
        "--all-sessions",
        "--empty",
        "--grace",
        "0m",
      ]);
      assert.equal(r.code, 0, r.err);
      for (const p of extra) assert.ok(existsSync(p), p);
      assert.ok(existsSync(join(dir, KB, "dir.jsonl")));
      for (const x of mixed()) {
        assert.ok(!existsSync(join(dir, projectKey(x.cwd), x.name)), x.name);
      }
      assert.deepEqual((await readdir(join(dir, KA))).sort(), [
        "archived.jsonl.gz",
        "notes.txt",
        "sub",
      ]);
    });
  });

  it("reports a symbolic link, never follows it, and leaves its target alone", async () => {
    const outside = await mkdtemp(join(tmpdir(), "zot-outside-"));
    try {
      await withHome(mixed(), async (home) => {
        const dir = join(home, "sessions");
        const target = join(outside, "precious.jsonl");
        await writeFile(target, metaLine({ id: uuid(98), cwd: A }) + "\n");
        await utimes(target, (NOW - 90 * DAY) / 1000, (NOW - 90 * DAY) / 1000);
        await mkdir(join(outside, "proj"));
        await writeFile(join(outside, "proj", "x.jsonl"), "");
        await utimes(join(outside, "proj", "x.jsonl"), 1, 1);
        await symlink(target, join(dir, KA, "link.jsonl"));
        await symlink(join(outside, "proj"), join(dir, "0123456789abcdef"));
        const before = await treeSnapshot(outside);
        const dry = await cli([
          "gc",
          "--home",
          home,
          "--all-sessions",
          "--empty",
          "--grace",
          "0m",
          "--no-color",
        ]);
        assert.match(dry.out, /\nSkipped .*\/link\.jsonl: a symbolic link \(not followed\)\n/);
        assert.match(dry.out, /\nSkipped .*\/0123456789abcdef: a symbolic link \(not followed\)\n/);
        const r = await cli([
          "gc",
          "--home",
          home,
          "--yes",
          "--all-sessions",
          "--empty",
          "--grace",
          "0m",
        ]);
        assert.equal(r.code, 0, r.err);
        assert.match(
          r.err,
          /warning: Cannot clean ".*\/link\.jsonl": a symbolic link \(not followed\); skipped it/,
        );
        assert.match(r.err, /warning: Cannot clean ".*\/0123456789abcdef": a symbolic link/);
        assert.equal((await treeSnapshot(outside)).listing, before.listing);
        assert.deepEqual(await left(home), [`${KA}/link.jsonl`]);
        assert.ok((await lstat(join(dir, "0123456789abcdef"))).isSymbolicLink());
      });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("takes over a stale lock with a warning, and leaves no lock behind", async () => {
    await withHome(mixed(), async (home) => {
      const lock = join(home, "sessions", LOCK_NAME);
      await writeFile(lock, `${DEAD_PID}\n`);
      const r = await cli(["gc", "--home", home, "--yes", "--older-than", "35d"]);
      assert.equal(r.code, 0, r.err);
      assert.equal(
        r.err,
        `zot-sessions: warning: took over the lock of gc pid ${DEAD_PID}, which is gone\n`,
      );
      assert.match(r.out, /^Removed 2 sessions/);
      assert.ok(!existsSync(lock));
      assert.deepEqual(
        (await readdir(join(home, "sessions"))).filter((n) => n.startsWith(".")),
        [],
      );
    });
  });

  it("a live lock makes a second run do nothing and exit 0 with a message", async () => {
    const holder = liveProcess();
    try {
      await withHome(mixed(), async (home) => {
        const lock = join(home, "sessions", LOCK_NAME);
        await writeFile(lock, `${holder.pid}\n`);
        const before = await treeSnapshot(home);
        const r = await cli(["gc", "--home", home, "--yes", "--all-sessions"]);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.out, "");
        assert.equal(
          r.err,
          `Another gc (pid ${holder.pid}) is running on "${home}"; nothing done.\n`,
        );
        assert.equal((await treeSnapshot(home)).listing, before.listing);
        // The holder dies: its lock is stale now.
        await holder.stop();
        const again = await cli(["gc", "--home", home, "--yes", "--all-sessions"]);
        assert.equal(again.code, 0, again.err);
        assert.match(again.err, new RegExp(`took over the lock of gc pid ${holder.pid}`));
        assert.deepEqual(await left(home), [fn(KB, 7)]);
      });
    } finally {
      await holder.stop();
    }
  });

  it("a home without sessions is nothing to clean", async () => {
    const home = await mkdtemp(join(tmpdir(), "zot-empty-home-"));
    try {
      let r = await cli(["gc", "--home", home, "--empty"]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, `Nothing to remove from every project under ${home}.\n`);
      r = await cli(["gc", "--home", home, "--empty", "--yes"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await readdir(home), []);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("archives, and --archive --compress output is read back by ls, show and cost", async () => {
    const s = [
      sess(1, A, 10 * DAY, { cost: 0.5 }),
      sess(2, A, 9 * DAY, { cost: 1.25 }),
      sess(3, B, 8 * DAY, { cost: 2 }),
    ];
    for (const compress of [false, true]) {
      const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
      try {
        await withHome(s, async (home) => {
          const costArgs = ["cost", "--all", "--json", "--by", "session", "--tz", "UTC"];
          const costBefore = JSON.parse((await cli([...costArgs, "--home", home])).out);
          const showBefore =
            (await cli(["show", "--home", home, "--cwd", A, "00000002", "--json"])).out;
          const r = await cli([
            "gc",
            "--home",
            home,
            "--yes",
            "--older-than",
            "1d",
            "--archive",
            arch,
            ...(compress ? ["--compress"] : []),
          ]);
          assert.equal(r.code, 0, r.err);
          assert.equal(r.out.split(",")[0], `Archived 3 sessions to ${arch}`);
          assert.deepEqual(await left(home), []);
          const ext = compress ? ".jsonl.gz" : ".jsonl";
          assert.deepEqual(
            (await left(arch)).sort(),
            [fn(KA, 1), fn(KA, 2), fn(KB, 3)].map((x) => x.replace(/\.jsonl$/, ext)).sort(),
          );
          const ls = JSON.parse((await cli(["ls", "--all", "--json", "--home", arch])).out);
          assert.deepEqual(ls.map((x: { id: string }) => x.id), [uuid(3), uuid(2), uuid(1)]);
          assert.ok(ls.every((x: { path: string }) => x.path.endsWith(ext)));
          assert.deepEqual(JSON.parse((await cli([...costArgs, "--home", arch])).out), costBefore);
          const showAfter =
            (await cli(["show", "--home", arch, "--cwd", A, "00000002", "--json"])).out;
          assert.equal(showAfter.replaceAll(arch, "H"), showBefore.replaceAll(home, "H"));
        });
      } finally {
        await rm(arch, { recursive: true, force: true });
      }
    }
  });

  it("reports a file that fails, goes on with the rest, and exits 1", async () => {
    const arch = await mkdtemp(join(tmpdir(), "zot-arch-"));
    try {
      await withHome(mixed(), async (home) => {
        await mkdir(join(arch, "sessions", KA), { recursive: true });
        await writeFile(join(arch, "sessions", KA, fileName(2)), "older copy");
        const r = await cli([
          "gc",
          "--home",
          home,
          "--yes",
          "--older-than",
          "25d",
          "--archive",
          arch,
        ]);
        assert.equal(r.code, 1);
        assert.match(r.err, new RegExp(`warning: Cannot archive ".*${fileName(2)}": `));
        assert.match(r.err, /Cannot complete the clean-up: 1 file failed\n$/);
        assert.match(r.out, /^Archived 2 sessions to /);
        assert.deepEqual(await left(home), [fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 6), fn(KB, 7)]);
        assert.equal(await readFile(join(arch, "sessions", KA, fileName(2)), "utf8"), "older copy");
      });
    } finally {
      await rm(arch, { recursive: true, force: true });
    }
  });
});

describe("gc config (in-process)", () => {
  it("takes its policies from the home's zot-sessions.jsonc; flags override them", async () => {
    await withHome(mixed(), async (home) => {
      const arch = join(home, "..", `zot-arch-cfg-${process.pid}`);
      await writeFile(
        join(home, "zot-sessions.jsonc"),
        `{ "gc": { "olderThan": "45d", "empty": true, "grace": "4h", "archive": "~/arch", "compress": true } } // cron`,
      );
      try {
        // Dry run: the plan follows the config.
        let j = JSON.parse((await cli(["gc", "--home", home, "--json"], { userHome: arch })).out);
        assert.equal(j.archive, join(arch, "arch"));
        assert.equal(j.compress, true);
        assert.deepEqual(j.sessions.map((x: { id: string }) => x.id), [uuid(5), uuid(1)]);
        // Flags win: a shorter age and a shorter grace.
        j = JSON.parse(
          (await cli(["gc", "--home", home, "--json", "--older-than", "25d", "--grace", "1h"], {
            userHome: arch,
          })).out,
        );
        assert.deepEqual(j.sessions.map((x: { id: string }) => x.id), [
          uuid(5),
          uuid(1),
          uuid(2),
          uuid(6),
        ]);
        const r = await cli(["gc", "--home", home, "--yes", "--quiet"], { userHome: arch });
        assert.deepEqual([r.code, r.out, r.err], [0, "", ""]);
        assert.deepEqual(await left(home), [fn(KA, 2), fn(KA, 3), fn(KA, 4), fn(KB, 6), fn(KB, 7)]);
        assert.deepEqual(await left(join(arch, "arch")), [fn(KA, 1) + ".gz", fn(KB, 5) + ".gz"]);
      } finally {
        await rm(arch, { recursive: true, force: true });
      }
    });
  });

  it("a config value that does not parse is a usage error, and nothing is touched", async () => {
    for (
      const [text, re] of [
        ['{ "gc": { "olderThan": "90 days" } }', /"90 days"/],
        ['{ "gc": { "maxSize": "big" } }', /"big"/],
        ['{ "gc": { "keepLast": -1 } }', /-1/],
        ['{ "gc": { "grace": "1 hour", "empty": true } }', /"1 hour"/],
        ['{ "gc": { "empty": true, "compress": true } }', /--compress/],
      ] as const
    ) {
      await withHome(mixed(), async (home) => {
        await writeFile(join(home, "zot-sessions.jsonc"), text);
        const before = await treeSnapshot(home);
        const r = await cli(["gc", "--home", home, "--yes"]);
        assert.equal(r.code, 2, `${text}: ${r.err}`);
        assert.match(r.err, re, text);
        assert.equal((await treeSnapshot(home)).hash, before.hash, text);
      });
    }
  });

  it("--config PATH names another file", async () => {
    await withHome(mixed(), async (home) => {
      const cfg = join(home, "other.jsonc");
      await writeFile(cfg, `{ "gc": { "keepLast": 1, } }`);
      const r = await cli(["gc", "--home", home, "--yes", "--config", cfg]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(await left(home), [fn(KA, 4), fn(KB, 7)]);
      const missing = await cli([
        "gc",
        "--home",
        home,
        "--yes",
        "--config",
        join(home, "nope.jsonc"),
      ]);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /Cannot read config ".*nope\.jsonc"/);
    });
  });

  const broken: [string, string, string, RegExp][] = [
    [
      "a syntax error",
      '{\n  "gc": {\n    "olderThan": "1d"\n    "empty": true\n  }\n}\n',
      "line 4, column 5",
      /: expected a comma/,
    ],
    [
      "an unknown key",
      '{\n  "gc": {\n    "olderThan": "1d",\n    "maxAge": "1d"\n  }\n}\n',
      "line 4, column 5",
      /unknown key "gc\.maxAge"/,
    ],
    [
      "an unknown section",
      '{ "gc": { "empty": true },\n  "ls": {} }',
      "line 2, column 3",
      /unknown key "ls"/,
    ],
    [
      "a wrong type",
      '{ "gc": { "keepLast": "50" } }',
      "line 1, column 23",
      /"gc\.keepLast" must be a whole number/,
    ],
  ];
  for (const [name, text, pos, re] of broken) {
    it(`a config with ${name} exits 2 naming file, line, column; changes nothing`, async () => {
      await withHome(mixed(), async (home) => {
        const cfg = join(home, "zot-sessions.jsonc");
        await writeFile(cfg, text);
        const before = await treeSnapshot(home);
        for (const extra of [[], ["--older-than", "1d"], ["--quiet"]]) {
          const r = await cli(["gc", "--home", home, "--yes", ...extra]);
          assert.equal(r.code, 2, r.err);
          assert.equal(r.out, "");
          assert.ok(r.err.includes(`Cannot read config "${cfg}": ${pos}: `), r.err);
          assert.match(r.err, re);
        }
        assert.equal((await treeSnapshot(home)).listing, before.listing);
      });
    });
  }
});
