/**
 * Characterisation: the exact stdout (and exit code) of every verb, in every
 * output form, on the example home and on zot's own samples, as recorded in
 * tests/fixtures/characterisation/. A change of layout must leave every byte
 * as it was; a change of behaviour re-records with
 * `ZOT_CHARACTERISE=record deno test -A tests/e2e/characterisation_e2e_test.ts`
 * and says so in its commit.
 *
 * Both homes are copied to a temporary directory with fixed mtimes (git keeps
 * none), the clock is pinned, times are in UTC, and the temporary path is
 * written `<HOME>` in the recordings.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { BIN, exampleWorkdir, ROOT, run } from "./harness.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { skipBecause } from "../helpers/skips.ts";

const FIXTURES = join(ROOT, "tests", "fixtures", "characterisation");
const RECORD = process.env.ZOT_CHARACTERISE === "record";
// The runs are of the binary, the same whichever runner runs this file: once
// (under Deno) is enough.
const UNDER_BUN = process.versions.bun !== undefined;
/** Both homes are given the example's times (pinMtimes), so both are read at its instant. */
const ENV = { ZOT_SESSIONS_NOW: EXAMPLE_NOW, TZ: "UTC", NO_COLOR: "1" };

/** The runs, by name: arguments after `--home <HOME>`. */
function cases(ids: string[], projects: string[]): [string, string[]][] {
  const out: [string, string[]][] = [
    ["ls", ["ls", "--all"]],
    ["ls-json", ["ls", "--all", "--json"]],
    ["ls-tree", ["ls", "--all", "--tree"]],
    ["ls-sort-cost", ["ls", "--all", "--sort", "cost", "-r"]],
    // Issue 22, item 17: the homes' project directories are another machine's (gone here).
    ["ls-projects", ["ls", "--projects"]],
    ["ls-projects-json", ["ls", "--projects", "--json"]],
  ];
  for (const by of ["day", "week", "month", "model", "provider", "project", "session"]) {
    out.push([`cost-${by}`, ["cost", "--all", "--by", by]]);
    out.push([`cost-${by}-json`, ["cost", "--all", "--by", by, "--json"]]);
    out.push([`cost-${by}-csv`, ["cost", "--all", "--by", by, "--csv"]]);
  }
  out.push(["cost-month-model", ["cost", "--all", "--by", "month,model"]]);
  for (const id of ids) {
    const s = id.slice(0, 8);
    out.push([`show-${s}`, ["show", id, "--no-pager"]]);
    out.push([`show-${s}-full`, ["show", id, "--no-pager", "--full"]]);
    out.push([`show-${s}-json`, ["show", id, "--json"]]);
    out.push([`show-${s}-markdown`, ["show", id, "--markdown", "--no-pager"]]);
    out.push([`show-${s}-raw`, ["show", id, "--raw"]]);
    out.push([`tail-${s}`, ["tail", id, "-n", "3"]]);
    out.push([`tail-${s}-json`, ["tail", id, "-n", "3", "--json"]]);
    out.push([`cost-session-${s}`, ["cost", "--session", id]]);
  }
  out.push(["gc-plan", ["gc", "--empty", "--keep-last", "1", "--grace", "0"]]);
  out.push(["gc-plan-json", ["gc", "--empty", "--keep-last", "1", "--grace", "0", "--json"]]);
  out.push(["gc-orphaned", ["gc", "--orphaned", "--grace", "0"]]);
  out.push(["gc-orphaned-json", ["gc", "--orphaned", "--grace", "0", "--json"]]);
  for (const [i, p] of projects.entries()) {
    out.push([`ls-project-${i}`, ["ls", "--cwd", p]]);
    out.push([`gc-project-${i}`, ["gc", "--cwd", p, "--older-than", "1d", "--grace", "0"]]);
  }
  return out;
}

/** Session ids and project cwds of a home, read through the tool itself. */
function inventory(home: string): { ids: string[]; projects: string[] } {
  const r = run(BIN, ["ls", "--all", "--json", "--home", home], ENV);
  assert.equal(r.code, 0, r.err);
  const list = JSON.parse(r.out) as { id: string; cwd: string }[];
  return {
    ids: list.map((s) => s.id).sort(),
    projects: [...new Set(list.map((s) => s.cwd))].sort(),
  };
}

/** Gives every session file a fixed, distinct mtime: its name's order. */
async function pinMtimes(home: string): Promise<void> {
  const sessions = join(home, "sessions");
  const files: string[] = [];
  for (const dir of await readdir(sessions)) {
    for (const f of await readdir(join(sessions, dir))) files.push(join(sessions, dir, f));
  }
  files.sort((a, b) => (a.slice(-30) < b.slice(-30) ? -1 : 1));
  for (const [i, f] of files.entries()) {
    const t = new Date(Date.UTC(2026, 9, 1) + i * 86_400_000);
    await utimes(f, t, t);
  }
}

/** The homes, and why one is skipped (zot's samples missing outside CI). */
const HOMES: [string, string | false][] = [
  ["example", false],
  ["samples", samplesSkip],
];

for (const [name, skip] of HOMES) {
  describe(`characterisation: ${name} home`, {
    skip: skipBecause(UNDER_BUN, "run once, under Deno"),
  }, () => {
    let work: Awaited<ReturnType<typeof exampleWorkdir>>;
    before(async () => {
      work = await exampleWorkdir();
    });
    after(() => work.cleanup());

    it("prints exactly what was recorded", { skip }, async () => {
      let home = work.example;
      if (name === "samples") {
        // Under CI, missing samples fail here.
        home = join(work.work, "samples");
        await cp(samplesHome(), home, { recursive: true });
      }
      await pinMtimes(home);
      const { ids, projects } = inventory(home);
      const dir = join(FIXTURES, name);
      if (RECORD) {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
      }
      const seen: string[] = [];
      for (const [key, args] of cases(ids, projects)) {
        const r = run(BIN, [...args, "--home", home], ENV);
        const text = `exit ${r.code}\n${r.out.replaceAll(home, "<HOME>")}`;
        const file = join(dir, `${key}.out`);
        seen.push(`${key}.out`);
        if (RECORD) await writeFile(file, text);
        else {
          assert.ok(existsSync(file), `${file} was never recorded`);
          assert.equal(text, readFileSync(file, "utf8"), `${name}: ${args.join(" ")}`);
        }
      }
      assert.deepEqual((await readdir(dir)).sort(), seen.sort(), "recordings without a run");
    });
  });
}
