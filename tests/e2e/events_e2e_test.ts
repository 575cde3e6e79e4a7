/**
 * End-to-end test of `cost --events` with the engine it is made for: DuckDB
 * (npm `@duckdb/node-api`, offline) reads the events of the example home
 * and of a second, generated home, and its sums by day and by model equal
 * what `cost --by day` / `--by model` report for both homes, to the cent,
 * the nanodollar and the token. The second home holds what must be counted
 * once: a synced copy of an example session, a copy under another name, a
 * fork and a restarted counter.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { BIN, exampleWorkdir, run } from "./harness.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { messageLine, metaLine, usageLine } from "../helpers/fixtures.ts";
import { projectKey } from "../../lib/sessions/home.ts";

let work = "";
let example = "";
let second = "";
let cleanup = () => Promise.resolve();

const CI = "/builds/ci/api";
const S1 = "a1a1a1a1-0000-4000-8000-000000000001";
const S2 = "a2a2a2a2-0000-4000-8000-000000000002";
const S3 = "a3a3a3a3-0000-4000-8000-000000000003";

/** Writes a session into `home`, with `mtime` as its modification time. */
async function put(home: string, cwd: string, name: string, lines: string[], mtime: string) {
  const dir = join(home, "sessions", projectKey(cwd));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), lines.map((l) => l + "\n").join(""));
  const t = Date.parse(mtime) / 1000;
  await utimes(join(dir, name), t, t);
}

/** Copies an example session to `dir` under `name`, keeping its mtime. */
async function copyExample(from: string, dir: string, name: string) {
  await mkdir(dir, { recursive: true });
  await copyFile(from, join(dir, name));
  const s = await stat(from);
  await utimes(join(dir, name), s.atime, s.mtime);
}

async function makeSecondHome(home: string) {
  const s1 = [
    metaLine({
      id: S1,
      cwd: CI,
      model: "gpt-5",
      provider: "openai",
      started: "2026-11-02T22:00:00Z",
    }),
    messageLine("user", "build", "2026-11-02T23:50:00Z"),
    usageLine({ input_tokens: 1200, output_tokens: 300, cache_read_tokens: 50, cost_usd: 0.0421 }),
    messageLine("assistant", "ok", "2026-11-02T23:50:30Z"),
    messageLine("user", "again", "2026-11-03T00:10:00Z"),
    usageLine({ input_tokens: 2000, output_tokens: 500, cache_read_tokens: 90, cost_usd: 0.0777 }),
    usageLine({ input_tokens: 2000, output_tokens: 500, cache_read_tokens: 90, cost_usd: 0.0777 }),
    messageLine("assistant", "ok", "2026-11-03T00:10:30Z"),
    messageLine("user", "restart", "2026-11-03T08:00:00Z"),
    usageLine({ input_tokens: 90, output_tokens: 10, cost_usd: 0.0031 }), // a restarted counter
    messageLine("assistant", "ok", "2026-11-03T08:00:20Z"),
  ];
  await put(home, CI, "20261102-220000-a1a1a1a1.jsonl", s1, "2026-11-03T08:00:20Z");
  // A fork of S1 at its second prompt: the first usage line is S1's.
  const s2 = [
    metaLine({
      id: S2,
      cwd: CI,
      model: "gpt-5",
      provider: "openai",
      started: "2026-11-04T09:00:00Z",
      parent: S1,
      fork_point: 3,
    }),
    ...s1.slice(1, 5),
    usageLine({ input_tokens: 1900, output_tokens: 420, cache_read_tokens: 60, cost_usd: 0.0703 }),
    messageLine("assistant", "forked", "2026-11-04T09:00:10Z"),
    metaLine({ id: S2, cwd: CI, model: "claude-haiku-4-5", provider: "anthropic" }),
    messageLine("user", "cheap now", "2026-11-04T09:30:00Z"),
    usageLine({
      input_tokens: 2400,
      output_tokens: 500,
      cache_write_tokens: 700,
      cost_usd: 0.0811,
    }),
    messageLine("assistant", "ok", "2026-11-04T09:30:10Z"),
  ];
  await put(home, CI, "20261104-090000-a2a2a2a2.jsonl", s2, "2026-11-04T09:30:10Z");
  // A model zot has no price for.
  const s3 = [
    metaLine({ id: S3, cwd: CI, model: "local-llama", provider: "ollama" }),
    messageLine("user", "q", "2026-10-12T10:00:00Z"),
    usageLine({ input_tokens: 800, output_tokens: 80, cost_usd: 0 }),
    messageLine("assistant", "a", "2026-10-12T10:00:10Z"),
  ];
  await put(home, CI, "20261012-100000-a3a3a3a3.jsonl", s3, "2026-10-12T10:00:10Z");
  // Synced: an example session at the same place, and one under another name.
  const ledger = join(example, "sessions", "7468554e6e736f31");
  await copyExample(
    join(ledger, "20261005-071244-8d337e16.jsonl"),
    join(home, "sessions", "7468554e6e736f31"),
    "20261005-071244-8d337e16.jsonl",
  );
  await copyExample(
    join(ledger, "20261006-080319-89166dff.jsonl"),
    join(home, "sessions", projectKey(CI)),
    "copy-of-89166dff.jsonl",
  );
}

before(async () => {
  ({ work, example, cleanup } = await exampleWorkdir());
  second = join(work, "second");
  await makeSecondHome(second);
});
after(() => cleanup());

/** The CLI's output, failing the test on a non-zero exit (the homes' times are fixed: EXAMPLE_NOW). */
function cli(args: string[]): string {
  const r = run(BIN, args, { ZOT_SESSIONS_NOW: EXAMPLE_NOW });
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
  assert.equal(r.err, "", args.join(" "));
  return r.out;
}

type Sums = Map<string, { nanos: number; cents: number; tokens: number[] }>;

/** `cost --by KEY --json` for both homes, rows keyed by the group. */
function costBy(by: string): Sums {
  const report = JSON.parse(
    cli(["--home", example, "--home", second, "cost", "--all", "--utc", "--by", by, "--json"]),
  );
  return new Map(
    report.rows.map((r: Record<string, number> & { key: string }) => [r.key, {
      nanos: Math.round(r.costUsd * 1e9),
      cents: Math.round(r.costUsd * 100),
      tokens: [
        r.inputTokens,
        r.outputTokens,
        r.cacheReadTokens,
        r.cacheWriteTokens,
        r.unpricedTokens,
      ],
    }]),
  );
}

/**
 * What the README tells people to run over a folder of many machines'
 * files: each event once (`DISTINCT ON (eventId)`), summed by `GROUP`.
 */
const QUERY = (files: string, group: string) => `
  SELECT ${group} AS key,
         round(sum(costUsd), 2) AS usd,
         sum(round(costUsd * 1e9)::BIGINT) AS nanos,
         sum(inputTokens) AS input, sum(outputTokens) AS output,
         sum(cacheReadTokens) AS cacheRead, sum(cacheWriteTokens) AS cacheWrite,
         sum(unpricedTokens) AS unpriced
  FROM (SELECT DISTINCT ON (eventId) * FROM read_json_auto('${files}'))
  GROUP BY ALL ORDER BY key`;

async function duckSums(files: string, group: string): Promise<Sums> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const rows = (await c.runAndReadAll(QUERY(files, group))).getRowObjectsJson();
    return new Map(rows.map((r) => [String(r.key), {
      nanos: Number(r.nanos),
      cents: Math.round(Number(r.usd) * 100),
      tokens: [r.input, r.output, r.cacheRead, r.cacheWrite, r.unpriced].map(Number),
    }]));
  } finally {
    c.closeSync();
  }
}

describe("e2e: cost --events in DuckDB", () => {
  it("one run over both homes: DuckDB's sums by day and by model are cost's", async () => {
    const dir = join(work, "events-one");
    await mkdir(dir);
    const ndjson = cli(["--home", example, "--home", second, "cost", "--all", "--events"]);
    await writeFile(join(dir, "all.ndjson"), ndjson);
    const events = ndjson.trimEnd().split("\n").map((l) => JSON.parse(l));
    // Counted once already: no event id twice, and every host is this machine.
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length);
    assert.deepEqual([...new Set(events.map((e) => e.host))], [hostname()]);
    assert.ok(events.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.time)));
    assert.deepEqual(await duckSums(join(dir, "*.ndjson"), "CAST(time AS DATE)"), costBy("day"));
    assert.deepEqual(await duckSums(join(dir, "*.ndjson"), "model"), costBy("model"));
  });

  it("one file per machine, shipped twice: DISTINCT ON (eventId) still sums to cost's", async () => {
    const dir = join(work, "events-many");
    await mkdir(dir);
    const a = cli(["--home", example, "cost", "--all", "--events", "--host", "laptop"]);
    const b = cli(["--home", second, "cost", "--all", "--events", "--host", "ci-runner"]);
    await writeFile(join(dir, "laptop-2026-11-05.ndjson"), a);
    await writeFile(join(dir, "ci-runner-2026-11-05.ndjson"), b);
    await writeFile(join(dir, "ci-runner-again.ndjson"), b); // shipped twice
    assert.deepEqual(await duckSums(join(dir, "*.ndjson"), "CAST(time AS DATE)"), costBy("day"));
    assert.deepEqual(await duckSums(join(dir, "*.ndjson"), "model"), costBy("model"));
  });
});
