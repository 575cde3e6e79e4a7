/** End-to-end tests of `cost` (see harness.ts for how they run). */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { BIN, exampleWorkdir, run, RUNNERS } from "./harness.ts";
import { messageLine, metaLine, tempHome, usageLine } from "../helpers/fixtures.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";

let example = "";
/** Points a run at the example home, read at its instant. */
let env: Record<string, string> = {};
let cleanup = () => Promise.resolve();
before(async () => {
  ({ example, env, cleanup } = await exampleWorkdir());
});
after(() => cleanup());

describe("e2e: cost on the example home", () => {
  it("--json is byte-identical from the binary, Deno and Bun, in every grouping", () => {
    for (const by of ["model", "day,model", "session", "week,project", "month"]) {
      const args = [
        "cost",
        "--all",
        "--home",
        example,
        "--json",
        "--tz",
        "Europe/Berlin",
        "--by",
        by,
      ];
      const outs = RUNNERS.map(([name, r]) => {
        const res = r(args, env);
        assert.equal(res.code, 0, `${name} ${by}: ${res.err}`);
        return res.out;
      });
      assert.equal(outs[1], outs[0], `deno differs from the binary for --by ${by}`);
      assert.equal(outs[2], outs[0], `bun differs from the binary for --by ${by}`);
    }
  });

  it("counts each dollar once: forks' copied history is the parent's", () => {
    const r = JSON.parse(
      run(BIN, ["cost", "--all", "--home", example, "--json", "--by", "session"], env).out,
    );
    // Summed independently (Python) over the files: the last cumulative of
    // each session minus each fork's last inherited cumulative.
    assert.equal(r.total.costUsd.toFixed(8), "0.54874555");
    const byId = new Map(r.rows.map((row: { key: string }) => [row.key.slice(0, 8), row]));
    const fork = byId.get("89166dff") as { costUsd: number; recordedCostUsd: number };
    assert.equal(fork.costUsd.toFixed(7), "0.0844443");
    assert.equal(fork.recordedCostUsd.toFixed(7), "0.1375083");
    const grandchild = byId.get("e1af52d0") as { costUsd: number };
    assert.equal(grandchild.costUsd.toFixed(7), "0.0423732");
    // The empty session spent nothing and has no row.
    assert.equal(byId.has("c0a9a28e"), false);
  });

  it("prints the report with a TOTAL row, and exits 0", () => {
    const r = run(BIN, ["cost", "--all", "--home", example, "--by", "project", "--tz", "UTC"], env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^All projects · all time · UTC\nTotal +\$0\.55 in 9 sessions\n/);
    assert.match(r.out, /\nTOTAL +9 .* \$0\.55\n$/);
  });
});

describe("e2e: cost's periods say their days (issue 22, item 11)", () => {
  const cost = (args: string[], extra: Record<string, string> = {}) => {
    const r = run(BIN, ["cost", "--all", "--home", example, "--tz", "UTC", ...args], {
      ...env,
      ...extra,
    });
    assert.equal(r.code, 0, r.err);
    return r.out;
  };

  it("--by week rows show the day the week starts, and fit 80 columns", () => {
    const text = cost(["--by", "week"], { COLUMNS: "80" });
    const weeks = text.split("\n").filter((l) => /^2026-W/.test(l)).map((l) => l.slice(0, 17));
    assert.deepEqual(weeks, [
      "2026-W41 (Oct 5) ",
      "2026-W42 (Oct 12)",
      "2026-W43 (Oct 19)",
      "2026-W44 (Oct 26)",
    ]);
    assert.match(
      text,
      /\nWEEK {15}SESSIONS {2}INPUT {2}OUTPUT {2}CACHE READ {2}CACHE WRITE {2}SPEND\n/,
    );
    for (const line of text.split("\n")) assert.ok(line.length <= 80, line);
    const sunday = cost(["--by", "week,model", "--week-start", "sunday"]);
    assert.match(sunday, /^2026-W42 \(Oct 11\) +3 /m);
    assert.match(sunday, /^2026-W45 \(Nov 1\) +2 /m);
  });

  it("--json gives every day, week and month row its start and end, at either depth", () => {
    type Row = { key: string; start?: string; end?: string; children?: Row[] };
    const rows = (by: string, extra: string[] = []) =>
      (JSON.parse(cost(["--by", by, "--json", ...extra])) as { rows: Row[] }).rows;
    const span = (r: Row) => [r.key, r.start, r.end];
    assert.deepEqual(rows("week").map(span), [
      ["2026-W41", "2026-10-05", "2026-10-11"],
      ["2026-W42", "2026-10-12", "2026-10-18"],
      ["2026-W43", "2026-10-19", "2026-10-25"],
      ["2026-W44", "2026-10-26", "2026-11-01"],
    ]);
    assert.deepEqual(rows("week", ["--week-start", "sunday"]).map(span)[0], [
      "2026-W41",
      "2026-10-04",
      "2026-10-10",
    ]);
    assert.deepEqual(rows("month").map(span), [
      ["2026-10", "2026-10-01", "2026-10-31"],
      ["2026-11", "2026-11-01", "2026-11-30"],
    ]);
    for (const day of rows("day")) assert.deepEqual(span(day), [day.key, day.key, day.key]);
    // The period's days beside its key, in --json's order.
    const first = rows("day")[0];
    assert.deepEqual(Object.keys(first).slice(0, 4), ["key", "start", "end", "costUsd"]);
    // A period as the second key: its rows are children; the model rows have no days.
    for (const model of rows("model,month")) {
      assert.equal(model.start, undefined);
      for (const month of model.children ?? []) {
        assert.deepEqual(span(month), [month.key, `${month.key}-01`, month.end]);
        assert.match(month.end ?? "", /^2026-1[01]-3[01]$/);
      }
    }
  });
});

describe("e2e: cost --by session --csv has --json's session columns (issue 22, item 12)", () => {
  /** RFC 4180 rows (quoted cells may hold `,`, `""` and newlines). */
  const parseCsv = (text: string): string[][] => {
    const rows: string[][] = [];
    const cell = /("(?:[^"]|"")*"|[^,\n]*)(,|\n)/y;
    let row: string[] = [];
    for (let m; (m = cell.exec(text)) !== null;) {
      row.push(m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]);
      if (m[2] === "\n") {
        rows.push(row);
        row = [];
      }
      if (cell.lastIndex === text.length) break;
    }
    return rows;
  };

  it("title, project, last activity and zot's recorded total, as --json has them", () => {
    const args = ["cost", "--all", "--home", example, "--by", "session"];
    const csv = run(BIN, [...args, "--csv"], env);
    assert.equal(csv.code, 0, csv.err);
    const [header, ...rows] = parseCsv(csv.out);
    assert.deepEqual(header, [
      "session",
      "costUsd",
      "inputTokens",
      "outputTokens",
      "cacheReadTokens",
      "cacheWriteTokens",
      "unpricedTokens",
      "sessions",
      "recordedCostUsd",
      "title",
      "cwd",
      "updated",
    ]);
    type Row = { key: string; recordedCostUsd: number; title: string | null; cwd: string };
    const json = JSON.parse(run(BIN, [...args, "--json"], env).out) as {
      rows: (Row & { updated: string })[];
    };
    assert.equal(rows.length, 9);
    assert.deepEqual(
      rows.map((r) => [r[0], Number(r[8]), r[9], r[10], r[11]]),
      json.rows.map((r) => [r.key, r.recordedCostUsd, r.title ?? "", r.cwd, r.updated]),
    );
    // The fork: its own spend, and zot's total with its parent's copy.
    assert.deepEqual(rows.find((r) => r[0].startsWith("89166dff"))?.slice(8), [
      "0.1375083",
      "idempotency: key column + 24h expiry",
      "/home/dev/ledger-api",
      "2026-10-06T08:11:12.909Z",
    ]);
  });
});

describe("e2e: narrow MODEL columns keep the version (issue 22, item 9)", () => {
  const MODELS = ["anthropic/claude-sonnet-4-5", "claude-haiku-4-5-20251001", "gpt-5"];
  const CWD = "/home/dev/a-rather-long-project-name";
  let home = "";
  let done = () => Promise.resolve();
  before(async () => {
    const at = Date.parse("2026-11-01T09:00:00Z");
    ({ home, cleanup: done } = await tempHome(MODELS.map((model, i) => {
      const id = `${i + 1}`.repeat(8) + "-0000-4000-8000-000000000000";
      return {
        cwd: CWD,
        name: `20261101-09000${i}-${id.slice(0, 8)}.jsonl`,
        lines: [
          metaLine({ id, cwd: CWD, model, started: "2026-11-01T09:00:00Z" }),
          messageLine("user", `prompt ${i}`, "2026-11-01T09:00:01Z"),
          usageLine({ input_tokens: 10, cost_usd: 0.3 - i * 0.1 }),
          messageLine("assistant", "ok", "2026-11-01T09:00:02Z"),
        ],
        mtimeMs: at + i * 60_000,
      };
    })));
  });
  after(() => done());

  const zs = (columns: number, args: string[]) => {
    const r = run(BIN, ["--no-index", "--home", home, "--cwd", CWD, ...args], {
      COLUMNS: String(columns),
      ZOT_SESSIONS_NOW: EXAMPLE_NOW,
    });
    assert.equal(r.code, 0, r.err);
    const table = r.out.slice(r.out.search(/^(ID|MODEL|PROJECT) /m));
    for (const line of table.split("\n")) assert.ok(line.length <= columns, line);
    return r.out;
  };
  /** The first cell of each row of the table, from its header to TOTAL. */
  const keys = (out: string) => {
    const rows = out.split("\n");
    const header = rows.findIndex((l) => /^(MODEL|PROJECT)/.test(l));
    return rows.slice(header + 1).filter((l) => l !== "" && !l.startsWith("TOTAL"))
      .map((l) => l.split(/ {2,}/)[0].trimEnd() || l.match(/^ +\S+/)![0]);
  };

  it("cost --by model: the vendor goes first, then claude-, before any cut", () => {
    assert.deepEqual(keys(zs(200, ["cost", "--all", "--by", "model"])), MODELS);
    assert.deepEqual(keys(zs(60, ["cost", "--all", "--by", "model"])), [
      "sonnet-4-5",
      "haiku-4-5-20251…",
      "gpt-5",
    ]);
  });

  it("cost --by project,model: model rows shortened as models, the project as a path", () => {
    const out = zs(50, ["cost", "--all", "--by", "project,model"]);
    assert.match(out, /^\/home\/dev\/a-rathe… /m);
    assert.match(out, /^ {2}sonnet-4-5 /m);
    assert.match(out, /^ {2}haiku-4-5-20251… /m);
  });

  it("ls: the MODEL column shortens a model the same way", () => {
    // MODEL is at most 24 wide on any terminal: "anthropic/claude-sonnet-4-5" is 27.
    const wide = zs(200, ["ls"]);
    assert.match(wide, /^11111111 .* claude-sonnet-4-5 +prompt 0$/m);
    assert.match(wide, /^22222222 .* haiku-4-5-20251001 +prompt 1$/m);
    const out = zs(56, ["ls"]);
    assert.match(out, /^ID +UPDATED +MSGS +SPEND +MODEL +TITLE$/m);
    assert.match(out, /^11111111 .* sonnet-4-5 +prompt 0$/m);
    assert.match(out, /^22222222 .* haiku-4-5-202… +prompt 1$/m);
  });
});
