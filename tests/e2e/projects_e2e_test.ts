/**
 * End-to-end tests of zot's own prune, both halves (issue 22, item 17; see
 * harness.ts for how they run): `ls --projects` (one row per project, its
 * spend as `cost` counts it, whether its directory is there) and `gc
 * --orphaned` (the sessions whose project directory is gone, with gc's dry
 * run, grace period, fork rule and lock, the plan saying why and to check).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BIN, run } from "./harness.ts";
import { messageLine, metaLine, usageLine } from "../helpers/fixtures.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import { GC_PAUSE_VARIABLE } from "../../lib/gc/pause.ts";
import { DAY_MS as DAY, fsNow } from "../helpers/clock.ts";
import { fifoNote } from "../helpers/fifo.ts";
import { spawn } from "../helpers/spawn.ts";

const NOW = fsNow();
const id = (n: number) => `${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`;

let work = "";
let here = "";
let gone = "";
let home = "";
/** Session `n`'s path. */
const file = (cwd: string, n: number) =>
  join(home, "sessions", projectKey(cwd), `20260922-120509-${id(n).slice(0, 8)}.jsonl`);

/** Writes session `n` of `cwd`, last written `ageMs` ago. */
async function session(cwd: string, n: number, ageMs: number, lines: string[]): Promise<void> {
  const path = file(cwd, n);
  await mkdir(join(home, "sessions", projectKey(cwd)), { recursive: true });
  await writeFile(path, lines.map((l) => l + "\n").join(""));
  await utimes(path, (NOW - ageMs) / 1000, (NOW - ageMs) / 1000);
}

const turn = (n: number, cost: number) => [
  messageLine("user", `prompt of ${n}`),
  usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: cost }),
  messageLine("assistant", "ok"),
];

before(async () => {
  work = await mkdtemp(join(tmpdir(), "zot-e2e-projects-"));
  here = join(work, "src", "here");
  gone = join(work, "src", "gone");
  home = join(work, "home");
  await mkdir(here, { recursive: true });
  // Project "here": a session and a fork of it, whose copied spend is its parent's.
  await session(here, 1, 5 * DAY, [metaLine({ id: id(1), cwd: here }), ...turn(1, 0.5)]);
  await session(here, 2, 4 * DAY, [
    metaLine({ id: id(2), cwd: here, parent: id(1), fork_point: 2 }),
    ...turn(1, 0.5),
    messageLine("user", "more"),
    usageLine({ input_tokens: 20, output_tokens: 10, cost_usd: 0.8 }),
    messageLine("assistant", "done"),
  ]);
  // Project "gone": an old session, an old parent whose fork is still in its grace period.
  await session(gone, 3, 3 * DAY, [metaLine({ id: id(3), cwd: gone }), ...turn(3, 0.25)]);
  await session(gone, 4, 3 * DAY, [metaLine({ id: id(4), cwd: gone }), ...turn(4, 0.1)]);
  await session(gone, 5, 60_000, [
    metaLine({ id: id(5), cwd: gone, parent: id(4), fork_point: 2 }),
    ...turn(4, 0.1),
  ]);
  // `zot --cwd .` records "." as typed: whether it is gone cannot be told.
  await session(".", 6, 3 * DAY, [metaLine({ id: id(6), cwd: "." }), ...turn(6, 0.05)]);
});
after(() => rm(work, { recursive: true, force: true }));

// Read at the instant the ages above were measured from: under load, minutes
// may pass between writing the home and a run.
const zs = (args: string[], env: Record<string, string> = {}) =>
  run(BIN, [...args, "--home", home], { ZOT_SESSIONS_NOW: new Date(NOW).toISOString(), ...env });

describe("e2e: ls --projects", () => {
  it("lists each project once, its spend as cost counts it, and whether its directory is there", () => {
    const r = zs(["ls", "--projects"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    const lines = r.out.trimEnd().split("\n");
    assert.match(lines[0], /^PROJECT\s+SESSIONS\s+SIZE\s+UPDATED\s+SPEND\s+DIR$/);
    const row = (cwd: string) => lines.find((l) => l.startsWith(cwd + " "));
    assert.match(row(gone)!, /\s3\s+\S+ k?B\s+1m ago\s+\$0\.35\s+gone$/);
    assert.match(row(here)!, /\s2\s+\S+ k?B\s+4d ago\s+\$0\.80\s+exists$/);
    assert.match(row(".")!, /\s1\s+\S+ k?B\s+3d ago\s+\$0\.05\s+\?$/);
    assert.equal(lines.length, 5);
    assert.match(
      lines[4],
      /^gone: not found now \(a directory on a disk or share that is not mounted looks gone too\)$/,
    );

    const json = JSON.parse(zs(["ls", "--projects", "--json"]).out) as {
      cwd: string;
      sessions: number;
      directory: string;
      spend: { costUsd: number };
    }[];
    assert.deepEqual(json.map((p) => [p.cwd, p.sessions, p.directory]), [
      [gone, 3, "gone"],
      [".", 1, "unknown"],
      [here, 2, "exists"],
    ]);
    // Fork-aware: what cost --by project counts, to the nanodollar.
    const cost = JSON.parse(zs(["cost", "--all", "--by", "project", "--json"]).out) as {
      rows: { key: string; costUsd: number }[];
    };
    assert.deepEqual(
      json.map((p) => [p.cwd, p.spend.costUsd]).sort(),
      cost.rows.map((r) => [r.key, r.costUsd]).sort(),
    );
  });

  it("refuses what does not go with it", () => {
    const refused: [string[], string][] = [
      [["--tree"], "Cannot use --tree with --projects: it lists no fork tree"],
      [["--damaged"], "Cannot use --projects with --damaged: choose one"],
      [["--sort", "started"], 'Cannot sort projects by "started": give updated, cost, size'],
    ];
    for (const [args, message] of refused) {
      const r = zs(["ls", "--projects", ...args]);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.err, `zot-sessions: ${message} (see "zot-sessions ls --help")\n`);
    }
  });
});

describe("e2e: gc --orphaned", () => {
  it("the dry run selects the sessions of the gone directory, says why, and says to check", () => {
    const r = zs(["gc", "--orphaned"]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split("\n");
    assert.match(
      lines[0],
      /^Would remove 1 session from every project under .*, freeing \d+ B \(dry run: add --yes to do it\):$/,
    );
    assert.ok(lines[1].includes(file(gone, 3)), lines[1]);
    assert.ok(lines[1].includes(`directory gone: ${gone}`), lines[1]);
    // The parent of a fork still in its grace period stays with it.
    assert.match(
      lines[2],
      /^Kept .*-00000004\.jsonl: parent of kept fork 00000005 \(--allow-orphans removes it\)$/,
    );
    assert.match(lines[3], /^Left .*-00000005\.jsonl: modified 1m ago, within the grace period$/);
    assert.equal(
      lines[4],
      "Check before --yes: a directory on a disk or share that is not mounted looks gone too.",
    );
    assert.equal(lines.length, 5);
    const json = JSON.parse(zs(["gc", "--orphaned", "--json"]).out);
    assert.deepEqual(
      json.sessions.map((
        s: { id: string; reasons: string[]; cwd: string },
      ) => [s.id, s.reasons, s.cwd]),
      [[id(3), ["orphaned"], gone]],
    );
  });

  it("is a policy like the others: not with named sessions", () => {
    const r = zs(["gc", "--orphaned", id(3).slice(0, 8)]);
    assert.equal(r.code, 2);
    assert.match(r.err, /name sessions or give policies, not both/);
  });

  it("holds gc's lock while it works, and --yes archives exactly what the dry run showed", async () => {
    const copy = join(work, "copy");
    await cp(home, copy, { recursive: true, preserveTimestamps: true });
    const archive = join(work, "archive");
    const yes = ["gc", "--orphaned", "--yes", "--archive", archive, "--home", copy];
    // A run paused with the lock held, before any session: a second one does nothing.
    const fifo = fifoNote(work, "orphaned-pause.fifo");
    const child = spawn(BIN, yes, {
      env: { [GC_PAUSE_VARIABLE]: `move:0:${fifo.path}` },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
    const ended = new Promise<string>((res) =>
      child.on("close", (code, signal) => res(`${code} ${signal} ${err}`))
    );
    // The run's end, if it comes first, ends the wait too (a failure, not a hang).
    const note = await Promise.race([fifo.note, ended.then(async (e) => (await fifo.close(), e))]);
    assert.equal(note, "paused move 0\n");
    const second = run(BIN, yes);
    assert.equal(second.code, 0, second.err);
    assert.match(
      second.err,
      new RegExp(`^Another gc \\(pid ${child.pid}\\) is running on ".*"; nothing done\\.\\n$`),
    );
    process.kill(child.pid!, "SIGTERM");
    assert.match(
      await ended,
      /^1 null zot-sessions: Cannot complete the clean-up: interrupted by SIGTERM after 0 of 1 sessions/,
    );
    assert.ok(existsSync(file(gone, 3).replace(home, copy)), "removed by the interrupted run");

    const done = run(BIN, yes);
    assert.equal(done.code, 0, done.err);
    assert.match(done.out, /^Archived 1 session to .*, freeing \d+ B\.\n$/);
    const left = JSON.parse(run(BIN, ["ls", "--all", "--json", "--home", copy]).out) as {
      shortId: string;
    }[];
    assert.deepEqual(left.map((s) => s.shortId).sort(), [
      "00000001",
      "00000002",
      "00000004",
      "00000005",
      "00000006",
    ]);
    assert.ok(
      existsSync(join(archive, "sessions", projectKey(gone), `20260922-120509-00000003.jsonl`)),
    );
  });
});
