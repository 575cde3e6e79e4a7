// deno-lint-ignore-file no-control-regex -- these tests look for escape codes on purpose
/**
 * What `zot-sessions cost` prints as text and CSV, run in process on the
 * homes of tests/helpers/cost_home.ts: the header and total lines, the
 * table and its TOTAL row, the unpriced note, colours and bars on a
 * terminal only, CSV's exact bytes and quoting, narrow terminals, project
 * paths that differ only in Unicode normalisation. The sums themselves are
 * tests/cost/report_test.ts's.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { displayWidth } from "../../lib/render/width.ts";
import { messageLine, metaLine, renameLine, usageLine, withHomes } from "../helpers/fixtures.ts";
import type { JsonRow } from "../../lib/render/cost.ts";
import { A, cli, f6, ID7, ID8, inA, inAll, MAIN, session } from "../helpers/cost_home.ts";

describe("cost text and CSV", () => {
  it("text: scope, total with unpriced tokens, tokens, a table with a TOTAL row, no ANSI off a TTY", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", ...inA(h)]);
      assert.equal(r.code, 0);
      assert.equal(r.err, "");
      assert.doesNotMatch(r.out, /\x1b\[/);
      const lines = r.out.split("\n");
      assert.equal(lines[0], "Project /home/dev/alpha · all time · UTC");
      assert.equal(lines[1], "Total   $3.75 in 4 sessions (+ 550 unpriced tokens)");
      assert.equal(lines[2], "Tokens  2.25k input · 240 output · 1.00k cache read · 0 cache write");
      assert.equal(lines[3], "");
      assert.match(
        lines[4],
        /^MODEL\s+SESSIONS\s+INPUT\s+OUTPUT\s+CACHE READ\s+CACHE WRITE\s+SPEND$/,
      );
      assert.match(lines[5], /^claude-sonnet-4-5\s+3\s+750\s+90\s+1\.00k\s+0\s+\$2\.75$/);
      assert.match(lines[6], /^gpt-5\s+1\s+1\.00k\s+100\s+0\s+0\s+\$1\.00$/);
      assert.match(lines[7], /^local-llama\s+1\s+500\s+50\s+0\s+0\s+unpriced$/);
      assert.match(lines[8], /^TOTAL\s+4\s+2\.25k\s+240\s+1\.00k\s+0\s+\$3\.75\*$/);
      assert.equal(lines[9], "* also unpriced tokens: a model zot had no price for");
      assert.equal(lines.length, 11); // and the final newline
    });
  });

  it("text --by session has a RECORDED column; --by day on a TTY draws bars and colours", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", ...inA(h, "--by", "session")]);
      assert.match(
        r.out,
        /^SESSION\s+LAST ACTIVITY\s+INPUT\s+OUTPUT\s+CACHE READ\s+CACHE WRITE\s+SPEND\s+RECORDED\s+PROJECT\s+TITLE$/m,
      );
      const cols = "\\s+2026-11-2\\d \\d\\d:\\d\\d\\s+";
      const tail = "\\s+\\/home\\/dev\\/alpha\\s+q1$";
      assert.match(
        r.out,
        new RegExp(`^44444444${cols}150\\s+20\\s+0\\s+0\\s+\\$0\\.75\\s+\\$2\\.00${tail}`, "m"),
      );
      assert.match(
        r.out,
        new RegExp(`^33333333${cols}300\\s+40\\s+0\\s+0\\s+\\$1\\.25\\s+\\$1\\.50${tail}`, "m"),
      );
      assert.match(
        r.out,
        new RegExp(
          `^22222222${cols}1\\.50k\\s+150\\s+0\\s+0\\s+\\$1\\.00\\*\\s+\\$1\\.00${tail}`,
          "m",
        ),
      );
      // The TOTAL row fills every column: latest activity, the recorded
      // sum, the project, and the number of sessions.
      assert.match(
        r.out,
        /^TOTAL\s+2026-11-23 12:07\s+2\.25k\s+240\s+1\.00k\s+0\s+\$3\.75\*\s+\$5\.25\s+\/home\/dev\/alpha\s+4 sessions$/m,
      );
      const tty = await cli(["cost", ...inA(h, "--by", "day")], { tty: true });
      assert.match(tty.out, /\x1b\[/);
      assert.match(tty.out, /█/);
      const plain = await cli(["cost", ...inA(h, "--by", "day")]);
      assert.doesNotMatch(plain.out, /\x1b\[|█/);
    });
  });

  it("--csv --by day: a header and one row per day, exactly", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", ...inA(h, "--by", "day", "--csv")]);
      assert.equal(r.code, 0);
      assert.equal(
        r.out,
        "day,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
          "2026-11-20,0.25,100,10,0,0,0,1\n" +
          "2026-11-21,1.5,450,50,1000,0,0,2\n" +
          "2026-11-22,1,1500,150,0,0,550,1\n" +
          "2026-11-23,1,200,30,0,0,0,2\n",
      );
    });
  });

  it("--csv --by day,model: both keys on each innermost row", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", ...inA(h, "--by", "day,model", "--csv")]);
      assert.equal(
        r.out,
        "day,model,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
          "2026-11-20,claude-sonnet-4-5,0.25,100,10,0,0,0,1\n" +
          "2026-11-21,claude-sonnet-4-5,1.5,450,50,1000,0,0,2\n" +
          "2026-11-22,gpt-5,1,1000,100,0,0,0,1\n" +
          "2026-11-22,local-llama,0,500,50,0,0,550,1\n" +
          "2026-11-23,claude-sonnet-4-5,1,200,30,0,0,0,2\n",
      );
    });
  });

  it("--csv --all --by project quotes a cwd with a comma and quotes", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli(["cost", ...inAll(h, "--by", "project", "--csv")]);
      assert.equal(
        r.out,
        "project,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,unpricedTokens,sessions\n" +
          "/home/dev/alpha,3.75,2250,240,1000,0,550,4\n" +
          '"/home/dev/b,""q""",0.5,10,5,0,0,0,1\n',
      );
    });
  });
});

describe("cost --by session --limit in text", () => {
  const base = ["cost", "--tz", "UTC", "--by", "session", "--cwd", A];

  it("text: the limit is said, the TOTAL row is every session's", async () => {
    await withHomes([MAIN()], async (h) => {
      const r = await cli([...base, "--home", h.home, "--sort", "updated", "--limit", "2"]);
      assert.equal(r.code, 0, r.err);
      const rows = r.out.split("\n").filter((l) => /^[0-9a-f]{8} /.test(l));
      assert.deepEqual(rows.map((l) => l.slice(0, 8)), ["44444444", "33333333"]);
      assert.match(r.out, /^TOTAL\s.*\$3\.75\*.*4 sessions$/m);
      assert.match(r.out, /^2 more sessions not shown \(--limit\)$/m);
    });
  });
});

describe("cost tables on narrow terminals", () => {
  const P = "/home/dev/a-long-project-name"; // under PROJECT's 32 columns
  const long = (id: string, title: string, mtime: string) =>
    session(id, P, mtime, [
      metaLine({ id, cwd: P, started: "2026-11-24T09:00:00Z" }),
      messageLine("user", "q", "2026-11-24T09:00:00Z"),
      usageLine({
        input_tokens: 123_456,
        output_tokens: 7_890,
        cache_read_tokens: 4_567_890,
        cache_write_tokens: 12_345,
        cost_usd: 1.2345,
      }),
      messageLine("assistant", "a", "2026-11-24T09:00:10Z"),
      renameLine(title),
    ]);
  const HOME = () => [
    long(ID7, "a long title that says what this session was about", "2026-11-24T09:01:00Z"),
    long(ID8, "another long title, about something else entirely", "2026-11-24T09:02:00Z"),
    f6(),
  ];
  const plain = (t: string) => t.replace(/\x1b\[[0-9;]*m/g, "");
  const tableLines = (out: string) => {
    const lines = plain(out).split("\n");
    return lines.slice(lines.findIndex((l) => l === "") + 1).filter((l) => l !== "");
  };

  for (const by of ["session", "model", "project", "day", "day,session", "project,model"]) {
    it(`--by ${by} at 60 columns on a terminal: no line is wider`, async () => {
      await withHomes([HOME()], async (h) => {
        const r = await cli(["cost", ...inAll(h, "--by", by)], {
          tty: true,
          columns: 60,
          env: { NO_COLOR: "1" },
        });
        assert.equal(r.code, 0, r.err);
        for (const l of tableLines(r.out)) {
          assert.ok(displayWidth(l) <= 60, `${displayWidth(l)}: ${l}`);
        }
        const header = tableLines(r.out)[0];
        assert.match(header, /SPEND/, "the money is never dropped");
        if (by === "session") assert.match(header, /^SESSION .*TITLE$/);
        // Wide enough, nothing is dropped.
        const wide = await cli(["cost", ...inAll(h, "--by", by)], {
          tty: true,
          columns: 250,
        });
        assert.match(plain(wide.out), /CACHE WRITE/);
      });
    });
  }

  it("the title shrinks first, before the project and before any column goes", async () => {
    await withHomes([HOME()], async (h) => {
      const args = ["cost", ...inAll(h, "--by", "session")];
      const natural = Math.max(...tableLines((await cli(args)).out).map(displayWidth));
      const r = await cli(args, { tty: true, columns: natural - 10, env: { NO_COLOR: "1" } });
      const lines = tableLines(r.out);
      assert.match(
        lines[0],
        /^SESSION\s+LAST ACTIVITY\s+INPUT\s+OUTPUT\s+CACHE READ\s+CACHE WRITE\s+SPEND\s+RECORDED\s+PROJECT\s+TITLE$/,
      );
      assert.ok(lines.some((l) => l.includes(P + "  ")), "the project whole");
      assert.ok(lines.some((l) => l.endsWith("…")), "a title cut");
      assert.ok(Math.max(...lines.map(displayWidth)) <= natural - 10);
    });
  });
});

describe("cost: project paths in tables", () => {
  it("marks the decomposed one of two projects that differ only in normalisation", async () => {
    const nfc = "/home/dev/ünïcode proj".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    const one = (id: string, cwd: string, mtime: string) =>
      session(id, cwd, mtime, [
        metaLine({ id, cwd }),
        messageLine("user", "q", "2026-11-24T10:00:00Z"),
        usageLine({ input_tokens: 10, cost_usd: 0.5 }),
        messageLine("assistant", "a", "2026-11-24T10:00:10Z"),
      ]);
    await withHomes(
      [[one(ID7, nfc, "2026-11-24T10:01:00Z"), one(ID8, nfd, "2026-11-24T10:02:00Z")]],
      async (h) => {
        const args = ["cost", ...inAll(h)];
        const byProject = await cli([...args, "--by", "project"]);
        assert.match(byProject.out, new RegExp(`^${nfd} \\(NFD\\)\\s+1\\s`, "m"));
        assert.match(byProject.out, new RegExp(`^${nfc}\\s+1\\s`, "m"));
        const bySession = await cli([...args, "--by", "session"]);
        assert.match(bySession.out, new RegExp(`^88888888\\s.*\\s${nfd} \\(NFD\\)\\s+q$`, "m"));
        assert.match(bySession.out, new RegExp(`^77777777\\s.*\\s${nfc}\\s+q$`, "m"));
        const scope = await cli(["cost", "--home", h.home, "--cwd", nfd, "--tz", "UTC"]);
        assert.match(scope.out, new RegExp(`^Project ${nfd} \\(NFD\\) · `));
        // JSON keeps the paths as they are.
        const j = JSON.parse((await cli([...args, "--by", "project", "--json"])).out);
        assert.deepEqual(j.rows.map((row: JsonRow) => row.key).sort(), [nfc, nfd].sort());
      },
    );
  });
});
