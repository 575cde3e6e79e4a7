/**
 * Tests of `zot-sessions cost --events`, run in-process (runCli + memoryIO)
 * on temporary homes. Every expected row is written out by hand from the
 * fixture; the comments show the arithmetic.
 *
 * | session | where                    | usage lines (ordinal: Δ, time UTC)                          |
 * | ------- | ------------------------ | ----------------------------------------------------------- |
 * | P       | home 1, project A        | 1: {100, 10} $0.25 11-20 23:30; 2: {200, 20} $0.50 11-21 09:00; 3: repeat |
 * | P'      | home 2, same place, older | P's first four lines only (a stale synced copy)            |
 * | F       | home 1, fork of P at 3   | 1: inherited; 2: {250, 30} $1.00 at 11-21 09:00 (m3, copied) |
 * | U       | home 1, project B        | 1: {500, 50} $0 (unpriced: 550) 11-22 10:00                 |
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { projectKey } from "../../lib/sessions/home.ts";
import {
  type FixtureSession,
  messageLine,
  metaLine,
  tempHome,
  usageLine,
} from "../helpers/fixtures.ts";
import { cliWith } from "../helpers/cli.ts";

const A = "/home/dev/alpha";
const B = "/home/dev/beta";
const P = "11111111-1111-4111-8111-111111111111";
const U = "22222222-2222-4222-8222-222222222222";
const F = "33333333-3333-4333-8333-333333333333";

const P_LINES = [
  metaLine({ id: P, cwd: A, started: "2026-11-20T23:00:00Z" }),
  messageLine("user", "q1", "2026-11-20T23:30:00Z"), // m1
  usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: 0.25 }), // 1
  messageLine("assistant", "a1", "2026-11-20T23:31:00Z"), // m2
  messageLine("user", "q2", "2026-11-21T10:00:00+01:00"), // m3, 09:00Z
  usageLine({ input_tokens: 300, output_tokens: 30, cost_usd: 0.75 }), // 2: Δ {200, 20, $0.50}
  messageLine("assistant", "a2", "2026-11-21T09:00:30Z"), // m4
  usageLine({ input_tokens: 300, output_tokens: 30, cost_usd: 0.75 }), // 3: a repeat, no event
];

const F_LINES = [
  metaLine({ id: F, cwd: A, started: "2026-11-23T11:59:00Z", parent: P, fork_point: 3 }),
  ...P_LINES.slice(1, 5), // m1, usage 1 (inherited), m2, m3
  usageLine({ input_tokens: 350, output_tokens: 40, cost_usd: 1.25 }), // 2: Δ {250, 30, $1.00}
  messageLine("assistant", "fa4", "2026-11-23T12:00:00Z"),
];

const U_LINES = [
  metaLine({ id: U, cwd: B, model: "local-llama", provider: "ollama" }),
  messageLine("user", "q", "2026-11-22T10:00:00Z"),
  usageLine({ input_tokens: 500, output_tokens: 50, cost_usd: 0 }), // 1: unpriced 550
  messageLine("assistant", "a", "2026-11-22T10:00:10Z"),
];

const file = (id: string, cwd: string, mtime: string, lines: string[]): FixtureSession => ({
  cwd,
  name: `20261120-230000-${id.slice(0, 8)}.jsonl`,
  lines,
  mtimeMs: Date.parse(mtime),
});
const pFile = () => file(P, A, "2026-11-21T09:01:00Z", P_LINES);
const HOME1 = () => [
  pFile(),
  file(F, A, "2026-11-23T12:01:00Z", F_LINES),
  file(U, B, "2026-11-22T10:01:00Z", U_LINES),
];
// The same place as P in home 1, written earlier: a stale synced copy.
const HOME2 = () => [file(P, A, "2026-11-20T23:31:00Z", P_LINES.slice(0, 4))];

const cli = cliWith({ processCwd: A, now: Date.parse("2026-11-25T12:00:00Z") });

async function withHomes<T>(fn: (h1: string, h2: string) => Promise<T>): Promise<T> {
  const [h1, h2] = await Promise.all([tempHome(HOME1()), tempHome(HOME2())]);
  try {
    return await fn(h1.home, h2.home);
  } finally {
    await h1.cleanup();
    await h2.cleanup();
  }
}

function row(o: {
  id: string;
  ordinal: number;
  time: string;
  home: string;
  parent?: string;
  cwd: string;
  model?: string;
  provider?: string;
  tokens: [number, number];
  usd: number;
  unpriced?: number;
  host?: string;
}) {
  return {
    eventId: `${o.id}:${o.ordinal}`,
    time: o.time,
    host: o.host ?? "test-host",
    home: o.home,
    sessionId: o.id,
    parent: o.parent ?? null,
    cwd: o.cwd,
    model: o.model ?? "claude-sonnet-4-5",
    provider: o.provider ?? "anthropic",
    inputTokens: o.tokens[0],
    outputTokens: o.tokens[1],
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: o.usd,
    unpricedTokens: o.unpriced ?? 0,
  };
}

/** The four events of the fixture, oldest first (a tie in time: by session id). */
function expected(h1: string, host?: string) {
  return [
    row({
      id: P,
      ordinal: 1,
      time: "2026-11-20T23:30:00.000Z",
      home: h1,
      cwd: A,
      tokens: [100, 10],
      usd: 0.25,
      host,
    }),
    row({
      id: P,
      ordinal: 2,
      time: "2026-11-21T09:00:00.000Z",
      home: h1,
      cwd: A,
      tokens: [200, 20],
      usd: 0.5,
      host,
    }),
    row({
      id: F,
      ordinal: 2,
      time: "2026-11-21T09:00:00.000Z",
      home: h1,
      parent: P,
      cwd: A,
      tokens: [250, 30],
      usd: 1,
      host,
    }),
    row({
      id: U,
      ordinal: 1,
      time: "2026-11-22T10:00:00.000Z",
      home: h1,
      cwd: B,
      model: "local-llama",
      provider: "ollama",
      tokens: [500, 50],
      usd: 0,
      unpriced: 550,
      host,
    }),
  ];
}

const parse = (out: string) => out.trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l));

describe("cost --events", () => {
  it("writes one NDJSON object per spend event: forks and synced copies counted once", async () => {
    await withHomes(async (h1, h2) => {
      const r = await cli(["--home", h1, "--home", h2, "cost", "--all", "--events"]);
      assert.equal(r.err, "");
      assert.equal(r.code, 0);
      assert.deepEqual(parse(r.out), expected(h1));
      // Keys in the documented order.
      assert.deepEqual(Object.keys(parse(r.out)[0]), Object.keys(expected(h1)[0]));
    });
  });

  it("takes the host from the machine, or from --host", async () => {
    await withHomes(async (h1) => {
      const own = await cli(["--home", h1, "cost", "--all", "--events"], { hostname: "laptop-9" });
      assert.deepEqual(parse(own.out), expected(h1, "laptop-9"));
      const named = await cli(["--home", h1, "cost", "--all", "--events", "--host", "ci-7"]);
      assert.deepEqual(parse(named.out), expected(h1, "ci-7"));
    });
  });

  it("keeps to the range, the project and the session asked for", async () => {
    await withHomes(async (h1) => {
      const since = await cli([
        "--home",
        h1,
        "cost",
        "--all",
        "--events",
        "--since",
        "2026-11-21",
        "--utc",
      ]);
      assert.deepEqual(parse(since.out), expected(h1).slice(1));
      const project = await cli(["--home", h1, "--cwd", B, "cost", "--events"]);
      assert.deepEqual(parse(project.out), expected(h1).slice(3));
      const one = await cli(["--home", h1, "cost", "--events", "--session", F.slice(0, 8)]);
      assert.deepEqual(parse(one.out), [expected(h1)[2]]);
    });
  });

  it("writes the same columns as CSV with --csv", async () => {
    await withHomes(async (h1) => {
      const r = await cli(["--home", h1, "cost", "--all", "--events", "--csv"]);
      assert.equal(r.code, 0);
      const lines = r.out.trimEnd().split("\n");
      assert.equal(
        lines[0],
        "eventId,time,host,home,sessionId,parent,cwd,model,provider,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,costUsd,unpricedTokens",
      );
      assert.equal(
        lines[3],
        `${F}:2,2026-11-21T09:00:00.000Z,test-host,${h1},${F},${P},${A},claude-sonnet-4-5,anthropic,250,30,0,0,1,0`,
      );
      assert.equal(lines[1].split(",")[5], ""); // no parent: an empty cell
      assert.equal(lines.length, 5);
    });
  });

  it("keeps every event's id when the session grows", async () => {
    await withHomes(async (h1) => {
      const before = parse((await cli(["--home", h1, "cost", "--all", "--events"])).out);
      const path = join(h1, "sessions", projectKey(A), pFile().name);
      await appendFile(
        path,
        [
          messageLine("user", "q3", "2026-11-24T08:00:00Z"),
          usageLine({ input_tokens: 310, output_tokens: 31, cost_usd: 1 }), // 4: Δ {10, 1, $0.25}
        ].map((l) => l + "\n").join(""),
      );
      const after = parse((await cli(["--home", h1, "cost", "--all", "--events"])).out);
      assert.deepEqual(after.slice(0, 4), before);
      assert.deepEqual(
        after[4],
        row({
          id: P,
          ordinal: 4,
          time: "2026-11-24T08:00:00.000Z",
          home: h1,
          cwd: A,
          tokens: [10, 1],
          usd: 0.25,
        }),
      );
    });
  });

  it("refuses the report's flags, and --host without --events", async () => {
    await withHomes(async (h1) => {
      for (
        const [args, message] of [
          [["--events", "--by", "day"], /--by with --events/],
          [["--events", "--json"], /--json with --events/],
          [["--events", "--sort", "cost"], /--sort with --events/],
          [["--host", "x"], /--host "x": it goes with --events/],
          [["--events", "--host", " "], /--host " ": expected a machine name/],
        ] as const
      ) {
        const r = await cli(["--home", h1, "cost", "--all", ...args]);
        assert.equal(r.code, 2, args.join(" "));
        assert.match(r.err, message);
        assert.equal(r.out, "");
      }
    });
  });
});
