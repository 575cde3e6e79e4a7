// deno-lint-ignore-file no-control-regex -- these tests look for control characters on purpose
/** End-to-end tests of `ls` (see harness.ts for how they run). */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  chmod,
  chown,
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { projectKey } from "../../lib/sessions/home.ts";
import { BIN, exampleWorkdir, ROOT, run, RUNNERS } from "./harness.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { EXAMPLE_NOW, SAMPLES_NOW } from "../helpers/clock.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";
import { messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";

/** The example home's times are fixed: it is read at its instant. */
const AT_EXAMPLE = { ZOT_SESSIONS_NOW: EXAMPLE_NOW };

let work = "";
let example = "";
let cleanup = () => Promise.resolve();
before(async () => {
  ({ work, example, cleanup } = await exampleWorkdir());
});
after(() => cleanup());

/**
 * What the example home holds, computed independently of zot-sessions (a
 * separate Python check over the generated files), newest first. Costs are
 * zot's last `cumulative.cost_usd` rounded to 1e-9 (zot writes float noise
 * such as 0.11493300000000001; JSON output rounds it away).
 */
const EXAMPLE = [
  ["c0a9a28e", "/home/dev/web-shop", null, 0, 0, null, null],
  [
    "fb0ec902",
    "/home/dev/web-shop",
    "checkout → /api/v2/cart",
    23,
    0.114933,
    null,
    null,
  ],
  ["4fc5eb4f", "/home/dev/web-shop", null, 12, 0.0692556, null, null],
  [
    "b425d583",
    "/home/dev/web-shop",
    "cart button overlaps price on mobile",
    16,
    0.05023395,
    null,
    null,
  ],
  [
    "b77c0692",
    "/home/dev/プロジェクト/café",
    "季節限定メニュー 🍂",
    10,
    0.01273675,
    null,
    null,
  ],
  [
    "ff937ee3",
    "/home/dev/プロジェクト/café",
    "メニューの価格表示を円に ☕🍰",
    14,
    0.04141125,
    null,
    null,
  ],
  [
    "ac04b01f",
    "/home/dev/ledger-api",
    "statements: slow pagination & missing index",
    12,
    0.0753924,
    null,
    null,
  ],
  ["e1af52d0", "/home/dev/ledger-api", null, 30, 0.14094195, "89166dff", 25],
  [
    "89166dff",
    "/home/dev/ledger-api",
    "idempotency: key column + 24h expiry",
    28,
    0.1375083,
    "8d337e16",
    16,
  ],
  [
    "8d337e16",
    "/home/dev/ledger-api",
    "transfers: Idempotency-Key support",
    18,
    0.0579651,
    null,
    null,
  ],
] as const;

describe("e2e: ls on the example home", () => {
  it("the committed examples/home is what the script writes", async () => {
    for (const dir of await readdir(join(example, "sessions"))) {
      for (const f of await readdir(join(example, "sessions", dir))) {
        const want = await readFile(join(example, "sessions", dir, f));
        const got = await readFile(join(ROOT, "examples", "home", "sessions", dir, f));
        assert.ok(
          want.equals(got),
          `examples/home/sessions/${dir}/${f} is stale: rerun the script`,
        );
      }
    }
  });

  it("--json is byte-identical from the binary, Deno and Bun", () => {
    const outs = RUNNERS.map(([name, r]) => {
      const res = r(["ls", "--all", "--home", example, "--json"], AT_EXAMPLE);
      assert.equal(res.code, 0, `${name}: ${res.err}`);
      assert.equal(res.err, "", name);
      return res.out;
    });
    assert.equal(outs[1], outs[0], "deno differs from the binary");
    assert.equal(outs[2], outs[0], "bun differs from the binary");
  });

  it("gives every field FORMAT.md implies, in zot's order", () => {
    const list = JSON.parse(run(BIN, ["ls", "--all", "--home", example, "--json"], AT_EXAMPLE).out);
    assert.deepEqual(
      list.map((s: Record<string, unknown>) => [
        s.shortId,
        s.cwd,
        s.title,
        s.messages,
        (s.usage as { costUsd: number }).costUsd,
        (s.parent as string | null)?.slice(0, 8) ?? null,
        s.forkPoint,
      ]),
      EXAMPLE,
    );
    for (const s of list) {
      assert.equal(s.dir, projectKey(s.cwd));
      assert.equal(s.path, join(example, "sessions", s.dir, s.path.split("/").pop()));
      assert.equal(s.damagedLines, 0);
      assert.equal(s.empty, s.messages === 0);
    }
  });

  it("prints a table with a PROJECT column, and exits 0", () => {
    const r = run(BIN, ["ls", "--all", "--home", example], AT_EXAMPLE);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ID\s+UPDATED\s+MSGS\s+SPEND\s+MODEL\s+PROJECT\s+TITLE\n/);
    assert.match(
      r.out,
      /\nfb0ec902 .* 23 +\$0\.11 +claude-sonnet-4-5 +\/home\/dev\/web-shop +checkout → \/api\/v2\/cart\n/,
    );
    assert.doesNotMatch(r.out, /\x1b/); // not a terminal: no colour
  });

  it("exits 2 on a usage error and 0 with a hint when the project has no sessions", () => {
    const bad = run(BIN, ["ls", "--sort", "nope"], AT_EXAMPLE);
    assert.equal(bad.code, 2);
    assert.equal(bad.out, "");
    assert.match(bad.err, /^zot-sessions: Cannot parse --sort "nope".*\n$/);
    const none = run(BIN, ["ls", "--home", example, "--cwd", "/no/such/project"], AT_EXAMPLE);
    assert.equal(none.code, 0);
    assert.match(
      none.err,
      /No zot sessions for "\/no\/such\/project".*\n10 sessions in other projects: try "zot-sessions ls --all --home \/\S+ --cwd \/no\/such\/project"/s,
    );
  });
});

describe("e2e: ls --tree", () => {
  /** The ID column: 12 characters (the deepest row's guide and id). */
  const idColumn = (out: string) =>
    out.trimEnd().split("\n").map((l) => [...l].slice(0, 12).join("").trimEnd());

  it("draws ├, │ and └ as tree does: a parent with two children, the first with a child", async () => {
    const cwd = "/home/dev/forks";
    const ids = ["11111111", "22222222", "33333333", "44444444"].map((p) =>
      `${p}-1111-4111-8111-111111111111`
    );
    const [root, first, grandchild, second] = ids;
    const session = (id: string, minutes: number, parent?: string) => ({
      cwd,
      name: `20261101-0${minutes}0000-${id.slice(0, 8)}.jsonl`,
      lines: [
        metaLine({ id, cwd, ...(parent ? { parent, fork_point: 1 } : {}) }),
        messageLine("user", `session ${id.slice(0, 1)}`),
      ],
      mtimeMs: Date.parse(EXAMPLE_NOW) - (10 - minutes) * 60_000,
    });
    // Newest first: the second child, the grandchild, the first child, the root.
    const h = await tempHome([
      session(root, 1),
      session(first, 2, root),
      session(grandchild, 3, first),
      session(second, 4, root),
    ]);
    try {
      const r = run(BIN, ["ls", "--home", h.home, "--cwd", cwd, "--tree"], AT_EXAMPLE);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(idColumn(r.out), [
        "ID",
        "11111111",
        "├ 44444444",
        "└ 22222222",
        "  └ 33333333",
      ]);
      // The first child is not the last: its line goes on past its own child.
      const other = await tempHome([
        session(root, 1),
        session(first, 4, root),
        session(grandchild, 3, first),
        session(second, 2, root),
      ]);
      try {
        const r2 = run(BIN, ["ls", "--home", other.home, "--cwd", cwd, "--tree"], AT_EXAMPLE);
        assert.equal(r2.code, 0, r2.err);
        assert.deepEqual(
          idColumn(r2.out),
          ["ID", "11111111", "├ 22222222", "│ └ 33333333", "└ 44444444"],
        );
      } finally {
        await other.cleanup();
      }
    } finally {
      await h.cleanup();
    }
  });
});

describe("e2e: ls on sessions written by zot", () => {
  it("agrees with zot's picker field by field and in zot's order", {
    skip: samplesSkip,
  }, async () => {
    const home = join(work, "samples");
    await cp(samplesHome(), home, { recursive: true });
    const dir = join(home, "sessions", "98bce8e9987b1030");
    // Git keeps no mtimes: give each file its own, in an order unlike the names'
    // (newest first: 81271fae, 7c871929, 0e19291e, 1b1adf59, 8740d21c).
    const files = (await readdir(dir)).sort();
    const order = [2, 0, 4, 1, 3];
    for (const [i, f] of files.entries()) {
      await chmod(join(dir, f), 0o644);
      const t = Date.parse("2026-11-01T00:00:00Z") / 1000 + order[i] * 3600;
      await utimes(join(dir, f), t, t);
    }
    const outs = RUNNERS.map(([, r]) =>
      r(["ls", "--home", home, "--cwd", "/home/dev/project-a", "--json"], {
        ZOT_SESSIONS_NOW: SAMPLES_NOW,
      }).out
    );
    assert.equal(outs[1], outs[0]);
    assert.equal(outs[2], outs[0]);
    const list = JSON.parse(outs[0]);
    // Expected values read off the files with a plain JSON reader following FORMAT.md
    // (costs rounded to 1e-9, as every JSON output rounds money).
    assert.deepEqual(
      list.map((s: Record<string, unknown>) => [
        s.shortId,
        s.messages,
        (s.usage as { costUsd: number }).costUsd,
        s.model,
        s.provider,
        s.title,
        (s.firstPrompt as string | null)?.slice(0, 30) ?? null,
        s.started,
      ]),
      [
        [
          "81271fae",
          18,
          0.2602294,
          "claude-opus-4-1",
          "anthropic",
          null,
          "Profile the /v1/accounts endpo",
          "2026-09-30T23:53:10.950652877Z",
        ],
        [
          "7c871929",
          0,
          0,
          "claude-sonnet-4-5",
          "anthropic",
          null,
          null,
          "2026-10-25T01:30:07.43189054Z",
        ],
        [
          "0e19291e",
          20,
          0.0717063,
          "claude-sonnet-4-5",
          "anthropic",
          "ledger: banker's rounding <bug #42> & tests",
          "go test ./... is failing in le",
          "2026-09-22T12:05:09.776051448Z",
        ],
        [
          "1b1adf59",
          8,
          0.07213575,
          "claude-sonnet-4-5",
          "anthropic",
          null,
          "The invoice table overflows on",
          "2026-10-08T09:20:40.948007532Z",
        ],
        [
          "8740d21c",
          20,
          0.0875826,
          "claude-sonnet-4-5",
          "anthropic",
          null,
          "go test ./... is failing in le",
          "2026-09-23T07:30:02.768125035Z",
        ],
      ],
    );
    assert.equal(list[4].parent, "0e19291e-c841-4742-bbcc-90199e65f26e");
    assert.equal(list[4].forkPoint, 11);
  });
});

describe("e2e: damaged files", () => {
  const isRoot = process.getuid?.() === 0;
  it("an unreadable file is reported and the rest listed (run as an unprivileged user)", {
    skip: skipBecause(process.getuid === undefined, "no POSIX users here") ||
      // Root reads anything: drop to "nobody" with setpriv to make permissions bite.
      (isRoot && needs("setpriv (util-linux), to drop root", hasProgram("setpriv"))),
  }, async () => {
    const box = await mkdtemp(join(tmpdir(), "zot-perm-"));
    try {
      await chmod(box, 0o755);
      const bin = join(box, "zot-sessions");
      await copyFile(BIN, bin);
      await chmod(bin, 0o755);
      // The index's cache, the user's own.
      const cache = join(box, "cache");
      await mkdir(cache, { mode: 0o700 });
      if (isRoot) await chown(cache, 65534, 65534);
      const home = join(box, "home");
      await cp(example, home, { recursive: true });
      const dir = join(home, "sessions", "7468554e6e736f31");
      const locked = join(dir, "20261012-132031-ac04b01f.jsonl");
      await chmod(locked, 0o000);
      const r = spawnSync(
        isRoot ? "setpriv" : bin,
        [
          ...(isRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups", bin] : []),
          "ls",
          "--all",
          "--home",
          home,
          "--json",
        ],
        {
          encoding: "utf8",
          env: { ...AT_EXAMPLE, ZOT_SESSIONS_CACHE: cache },
        },
      );
      assert.equal(r.status, 0, r.stderr);
      const ids = JSON.parse(r.stdout).map((s: { shortId: string }) => s.shortId);
      assert.equal(ids.length, 9);
      assert.ok(!ids.includes("ac04b01f"));
      assert.equal(
        r.stderr,
        `zot-sessions: warning: Cannot read "${locked}": permission denied; skipped it\n`,
      );
      assert.equal((await stat(locked)).mode & 0o777, 0);
    } finally {
      await rm(box, { recursive: true, force: true });
    }
  });
});
