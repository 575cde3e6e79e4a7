/**
 * End-to-end tests of what `gc` works on, with the built binary (see
 * harness.ts): `--cwd` and `--project` limit it to one project of a home with
 * four, a project or a home that is not there is an error with nothing
 * touched, sessions named by reference, and the plan's wording and titles.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, readlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { projectKey } from "../../lib/sessions/home.ts";
import { sanitizeForTerminal } from "../../lib/render/sanitize.ts";
import { truncateToWidth } from "../../lib/render/width.ts";
import { LEDGER_CWD, SHOP_CWD } from "../../scripts/make-example-home.ts";
import { messageLine, metaLine, renameLine } from "../helpers/fixtures.ts";
import { BIN, exampleWorkdir, type Run, run } from "./harness.ts";
import { DAY_MS as DAY, EXAMPLE_NOW } from "../helpers/clock.ts";

/** The fourth project, beside the example home's three. */
const FOURTH = "/home/dev/fourth project";

/** The binary, on the example home: at its instant. */
const zs = (args: string[]) => run(BIN, args, { ZOT_SESSIONS_NOW: EXAMPLE_NOW });

/** The example home plus a fourth project of three sessions, days older than EXAMPLE_NOW. */
async function fourProjects() {
  const w = await exampleWorkdir();
  const dir = join(w.example, "sessions", projectKey(FOURTH));
  await mkdir(dir);
  for (let n = 1; n <= 3; n++) {
    const id = `4444000${n}-0000-4000-8000-000000000000`;
    const path = join(dir, `20261120-10000${n}-${id.slice(0, 8)}.jsonl`);
    const lines = [
      metaLine({ id, cwd: FOURTH }),
      messageLine("user", `fourth project, prompt ${n}`),
      messageLine("assistant", "ok"),
      renameLine(`fourth \x1b[31m${n}`),
    ];
    await writeFile(path, lines.map((l) => l + "\n").join(""));
    const t = (Date.parse(EXAMPLE_NOW) - (n + 2) * DAY) / 1000;
    await utimes(path, t, t);
  }
  const keys = (await readdir(join(w.example, "sessions"))).sort();
  assert.equal(keys.length, 4, `four projects: ${keys}`);
  return w;
}

/** Names, types, sizes, mtimes, contents' SHA-256 and link targets under `root`. */
async function listing(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, rel: string) {
    for (const name of (await readdir(dir)).sort()) {
      const p = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = await lstat(p);
      if (s.isSymbolicLink()) out.push(`L ${r} -> ${await readlink(p)}`);
      else if (s.isDirectory()) {
        out.push(`D ${r} ${s.mtimeMs}`);
        await walk(p, r);
      } else {
        const sum = createHash("sha256").update(await readFile(p)).digest("hex");
        out.push(`F ${r} ${s.size} ${s.mtimeMs} ${sum}`);
      }
    }
  }
  await walk(root, "");
  return out;
}

function ok(r: Run): string {
  assert.equal(r.code, 0, r.err);
  return r.out;
}

describe("e2e: gc on one project of four", () => {
  for (const flag of ["--cwd", "--project"]) {
    it(`gc ${flag} A --keep-last 1 --yes changes only A's directory`, async () => {
      const w = await fourProjects();
      try {
        const home = w.example;
        const key = projectKey(SHOP_CWD);
        const before = await listing(home);
        const dry = JSON.parse(
          ok(zs(["gc", "--home", home, flag, SHOP_CWD, "--keep-last", "1", "--json"])),
        );
        assert.ok(dry.sessions.length > 0, "something to remove in A");
        const r = zs(["gc", "--home", home, flag, SHOP_CWD, "--keep-last", "1", "--yes", "--json"]);
        const done = JSON.parse(ok(r));
        assert.equal(r.err, "");
        assert.deepEqual(
          done.sessions.map((s: { path: string; result: string }) => [s.path, s.result]),
          dry.sessions.map((s: { path: string }) => [s.path, "removed"]),
        );
        const after = await listing(home);
        // Every other file and directory, byte for byte (the sessions
        // directory's own mtime moves with the lock).
        const others = (l: string[]) =>
          l.filter((e) => !e.includes(`sessions/${key}`) && !e.startsWith("D sessions "));
        assert.deepEqual(others(after), others(before));
        // In A, exactly what the plan named is gone.
        const gone = new Set(
          done.sessions.map((s: { path: string }) => s.path.slice(home.length + 1)),
        );
        const inA = (l: string[]) => l.filter((e) => e.startsWith(`F sessions/${key}/`));
        assert.deepEqual(
          inA(after),
          inA(before).filter((e) => !gone.has(e.split(" ")[1])),
        );
        assert.equal(inA(after).length, 1);
      } finally {
        await w.cleanup();
      }
    });
  }

  it("gc --project /nowhere: exit 2, nothing touched, no lock taken", async () => {
    const w = await fourProjects();
    try {
      const home = w.example;
      const before = await listing(home);
      for (const flag of ["--project", "--cwd"]) {
        const r = zs(["gc", "--home", home, flag, "/nowhere", "--keep-last", "1", "--yes"]);
        assert.equal(r.code, 2, r.err);
        assert.equal(r.out, "");
        assert.match(
          r.err,
          /^zot-sessions: Cannot clean up project "\/nowhere": no zot sessions for it \(looked in "[^"]+"\)/,
        );
        assert.deepEqual(await listing(home), before);
      }
    } finally {
      await w.cleanup();
    }
  });

  it("the plan's first line says what it works on", async () => {
    const w = await fourProjects();
    try {
      const home = w.example;
      const first = (args: string[]) =>
        ok(zs(["gc", "--home", home, "--keep-last", "1", ...args])).split("\n")[0];
      assert.ok(
        first([]).startsWith(
          `Would remove 9 sessions from every project under ${home}, freeing `,
        ),
        first([]),
      );
      assert.ok(
        first(["--project", LEDGER_CWD]).startsWith(
          `Would remove 3 sessions from project ${LEDGER_CWD}, freeing `,
        ),
      );
      assert.equal(
        ok(zs(["gc", "--home", home, "--cwd", FOURTH, "--older-than", "30d"])),
        `Nothing to remove from project ${FOURTH}.\n`,
      );
    } finally {
      await w.cleanup();
    }
  });

  it("the plan shows each session's title or first prompt, sanitised, cut at 60 columns off a terminal", async () => {
    const w = await fourProjects();
    try {
      const home = w.example;
      const ls = JSON.parse(ok(zs(["ls", "--all", "--json", "--home", home])));
      const byPath = new Map<string, { title: string | null; firstPrompt: string | null }>(
        ls.map((s: { path: string }) => [s.path, s]),
      );
      const plan = ok(zs(["gc", "--home", home, "--all-sessions"]));
      const lines = plan.trimEnd().split("\n").slice(1);
      assert.equal(lines.length, 13, plan);
      for (const line of lines) {
        const path = line.trim().split("  ")[0];
        const s = byPath.get(path);
        assert.ok(s, `${path} listed by ls`);
        const text = s.title ?? s.firstPrompt;
        const want = text === null
          ? "(empty session)"
          : truncateToWidth(sanitizeForTerminal(text, true), 60);
        assert.ok(line.endsWith(`every session  ${want}`), `${line}\nwant ${want}`);
      }
      assert.ok(plan.includes("  fourth ␛[31m3\n"), "the escape made visible");
      const j = JSON.parse(ok(zs(["gc", "--home", home, "--all-sessions", "--json"])));
      for (const x of j.sessions) {
        assert.deepEqual([x.title, x.firstPrompt], [
          byPath.get(x.path)!.title,
          byPath.get(x.path)!.firstPrompt,
        ]);
      }
    } finally {
      await w.cleanup();
    }
  });
});

describe("e2e: gc SESSION…", () => {
  it("a dry run names them and touches nothing; --yes removes exactly them", async () => {
    const w = await fourProjects();
    try {
      const home = w.example;
      const before = await listing(home);
      const shop = join(home, "sessions", projectKey(SHOP_CWD));
      const refs = ["c0a9a28e", join(shop, "20261031-235126-4fc5eb4f.jsonl"), "44440002"];
      const dry = zs(["gc", "--home", home, ...refs]);
      const lines = ok(dry).trimEnd().split("\n");
      assert.match(
        lines[0],
        /^Would remove 3 named sessions, freeing .+ \(dry run: add --yes to do it\):$/,
      );
      assert.deepEqual(
        lines.slice(1).map((l) => l.trim().split("  ")[0].split("/").pop()),
        [
          "20261031-235126-4fc5eb4f.jsonl",
          "20261103-150940-c0a9a28e.jsonl",
          "20261120-100002-44440002.jsonl",
        ],
      );
      assert.ok(lines.slice(1).every((l) => / {2}named {2}/.test(l)), dry.out);
      assert.deepEqual(await listing(home), before);

      const r = zs(["gc", "--home", home, ...refs, "--yes"]);
      assert.equal(ok(r).split(",")[0], "Removed 3 sessions");
      const gone = ["4fc5eb4f", "c0a9a28e", "44440002"];
      assert.deepEqual(
        (await listing(home)).filter((e) => e.startsWith("F ")),
        before.filter((e) => e.startsWith("F ") && !gone.some((g) => e.includes(g))),
      );
    } finally {
      await w.cleanup();
    }
  });

  it("refuses a reference outside the sessions tree, and a policy beside references", async () => {
    const w = await fourProjects();
    try {
      const home = w.example;
      const outside = join(w.work, "export.jsonl");
      const src = join(home, "sessions", projectKey(SHOP_CWD), "20261031-235126-4fc5eb4f.jsonl");
      await writeFile(outside, await readFile(src));
      const before = await listing(w.work);
      const r = zs(["gc", "--home", home, outside, "--yes"]);
      assert.equal(r.code, 2, r.err);
      assert.ok(
        r.err.includes(`"${outside}" is not a session file in "${home}/sessions/<16 hex>/"`),
      );
      const mixed = zs(["gc", "--home", home, "c0a9a28e", "--keep-last", "1", "--yes"]);
      assert.equal(mixed.code, 2, mixed.err);
      assert.match(mixed.err, /name sessions or give policies, not both/);
      assert.deepEqual(await listing(w.work), before);
    } finally {
      await w.cleanup();
    }
  });
});

describe("e2e: a home that is not there", () => {
  it("--home /missing, or a file: exit 1 with one line naming it, on every verb", async () => {
    const w = await exampleWorkdir();
    try {
      const file = join(
        w.example,
        "sessions",
        projectKey(SHOP_CWD),
        "20261031-235126-4fc5eb4f.jsonl",
      );
      const missing = join(w.work, "missing");
      for (const home of [missing, file]) {
        for (
          const args of [
            ["ls"],
            ["ls", "--all", "--json"],
            ["show", "latest"],
            ["tail"],
            ["cost", "--all"],
            ["gc", "--keep-last", "1"],
            ["gc", "--keep-last", "1", "--yes", "--quiet"],
          ]
        ) {
          const r = zs([...args, "--home", home]);
          assert.equal(r.code, 1, `${args.join(" ")} --home ${home}: ${r.err}`);
          assert.equal(r.out, "");
          assert.equal(
            r.err,
            `zot-sessions: Cannot read zot home "${home}": ${
              home === file ? "not a directory" : "no such file or directory"
            }\n`,
          );
        }
      }
    } finally {
      await w.cleanup();
    }
  });
});
