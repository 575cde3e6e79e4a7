/**
 * End-to-end tests (the built binary) of "one name, one meaning": `usage`
 * as zot recorded it beside `spend` as `cost` counts it, one money rule,
 * JSON money without float noise, every time of a transcript in one zone,
 * project paths that differ only in Unicode normalisation told apart, and
 * `cost --by session`'s columns, order and limit.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { BIN, exampleWorkdir, run } from "./harness.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { EXAMPLE_NOW, SAMPLES_NOW } from "../helpers/clock.ts";
import { referenceSummary } from "../helpers/zot_reference.ts";
import { displayWidth } from "../../lib/render/width.ts";
import { messageLine, metaLine, renameLine, usageLine, withHomes } from "../helpers/fixtures.ts";

let example = "";
let cleanup = () => Promise.resolve();
before(async () => {
  ({ example, cleanup } = await exampleWorkdir());
});
after(() => cleanup());

const nanos = (usd: number) => Math.round(usd * 1e9);
const zs = (args: string[], env: Record<string, string> = {}) => {
  const r = run(BIN, args, env);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
  return r.out;
};
const json = (args: string[], env: Record<string, string> = {}) =>
  JSON.parse(zs([...args, "--json"], env));

interface LsRow {
  id: string;
  shortId: string;
  path: string;
  parent: string | null;
  usage: Record<string, number>;
  spend: Record<string, number>;
}

/** The fixture homes: name, where, the skip, and the environment that pins their instant. */
const HOMES: [string, () => string, string | false, Record<string, string>][] = [
  ["examples/home", () => example, false, { ZOT_SESSIONS_NOW: EXAMPLE_NOW }],
  ["../shared/samples/home", samplesHome, samplesSkip, { ZOT_SESSIONS_NOW: SAMPLES_NOW }],
];
/** The example home's instant. */
const AT_EXAMPLE = HOMES[0][3];

describe("e2e: recorded usage and spend", () => {
  for (const [name, home, skip, at] of HOMES) {
    it(`${name}: spend.costUsd over ls --all sums to cost --all's total; usage is zot's`, {
      skip,
    }, async () => {
      const list: LsRow[] = json(["ls", "--all", "--home", home()], at);
      const cost = json(["cost", "--all", "--home", home()], at);
      assert.ok(list.length > 3);
      assert.equal(
        list.reduce((sum, s) => sum + nanos(s.spend.costUsd), 0),
        nanos(cost.total.costUsd),
      );
      for (
        const k of [
          "inputTokens",
          "outputTokens",
          "cacheReadTokens",
          "cacheWriteTokens",
          "unpricedTokens",
        ]
      ) {
        assert.equal(list.reduce((sum, s) => sum + s.spend[k], 0), cost.total[k], k);
      }
      // ndjson says the same.
      const nd = zs(["ls", "--all", "--home", home(), "--ndjson"], at).trimEnd().split("\n")
        .map((l) => JSON.parse(l));
      assert.deepEqual(nd.map((s: LsRow) => s.spend), list.map((s) => s.spend));
      // usage: the last cumulative as zot wrote it, read by a plain reader.
      for (const s of list) {
        const ref = referenceSummary(await readFile(s.path, "utf8")).usage;
        assert.deepEqual(s.usage, { ...ref, costUsd: nanos(ref.costUsd) / 1e9 }, s.shortId);
        assert.deepEqual(Object.keys(s).slice(13, 15), ["usage", "spend"], "spend after usage");
      }
      // A session's spend is its cost --by session row.
      const bySession = json(["cost", "--all", "--home", home(), "--by", "session"], at);
      for (const row of bySession.rows) {
        const s = list.find((x) => x.id === row.key)!;
        assert.equal(s.spend.costUsd, row.costUsd, s.shortId);
        assert.equal(s.usage.costUsd, row.recordedCostUsd, s.shortId);
      }
    });
  }

  it("a fork's usage includes its parent's copy; its spend does not", () => {
    const list: LsRow[] = json(["ls", "--all", "--home", example], AT_EXAMPLE);
    const forks = list.filter((s) => s.parent !== null);
    assert.ok(forks.length >= 2);
    for (const f of forks) assert.ok(f.usage.costUsd > f.spend.costUsd, f.shortId);
  });
});

describe("e2e: JSON money has no float noise", () => {
  // zot writes float sums such as 0.11493300000000001 into examples/home and
  // the samples; every amount in every JSON output is a whole number of
  // nanodollars, printed as the decimal it means.
  const moneyIn = (value: unknown, found: number[] = []): number[] => {
    if (Array.isArray(value)) { for (const v of value) moneyIn(v, found); }
    else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (/cost/i.test(k) && typeof v === "number") found.push(v);
        else moneyIn(v, found);
      }
    }
    return found;
  };
  const values = (out: string): unknown[] =>
    /^[[{]\n/.test(out) ? [JSON.parse(out)] : out.trimEnd().split("\n").map((l) => JSON.parse(l));
  for (const [name, home, skip, at] of HOMES) {
    it(name, { skip }, async () => {
      if (name === "examples/home") {
        const f = (json(["ls", "--all", "--home", home()], at) as LsRow[])
          .find((s) => s.shortId === "fb0ec902")!;
        assert.match(await readFile(f.path, "utf8"), /"cost_usd":0\.11493300000000001/);
      }
      const outs = [
        zs(["ls", "--all", "--home", home(), "--json"], at),
        zs(["ls", "--all", "--home", home(), "--ndjson"], at),
        zs(["cost", "--all", "--home", home(), "--json", "--by", "session"], at),
        zs(["cost", "--all", "--home", home(), "--json", "--by", "day,model"], at),
      ];
      for (const s of json(["ls", "--all", "--home", home()], at) as LsRow[]) {
        outs.push(zs(["show", s.path, "--home", home(), "--json"], at));
        outs.push(zs(["tail", s.path, "--home", home(), "--json", "-n", "3"], at));
      }
      let checked = 0;
      for (const out of outs) {
        for (const usd of moneyIn(values(out))) {
          checked++;
          assert.equal(usd, nanos(usd) / 1e9, String(usd));
          assert.match(String(usd), /^\d+(\.\d{1,9})?$/, String(usd));
        }
      }
      assert.ok(checked > 50, `${checked} amounts`);
    });
  }
});

const A = "/home/dev/alpha";
const ID1 = "11111111-1111-4111-8111-111111111111";
const ID2 = "22222222-2222-4222-8222-222222222222";
const ID3 = "33333333-3333-4333-8333-333333333333";
const at = (iso: string) => Date.parse(iso);

describe("e2e: one money rule", () => {
  // $0.0043 in all: under a cent.
  const small = {
    cwd: A,
    name: `20261101-090000-${ID1.slice(0, 8)}.jsonl`,
    mtimeMs: at("2026-11-01T09:01:00Z"),
    lines: [
      metaLine({ id: ID1, cwd: A, started: "2026-11-01T09:00:00Z" }),
      messageLine("user", "tiny", "2026-11-01T09:00:00Z"),
      usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: 0.0043 }),
      messageLine("assistant", "ok", "2026-11-01T09:00:05Z"),
    ],
  };
  it("$0.0043 is <$0.01 in ls, cost and show alike", async () => {
    await withHomes([[small]], ({ home }) => {
      const ls = zs(["ls", "--home", home, "--cwd", A]);
      assert.match(ls, /^11111111\s+\S+ ago\s+2\s+<\$0\.01\s/m);
      const cost = zs(["cost", "--home", home, "--cwd", A, "--by", "session"]);
      assert.match(cost, /^Total +<\$0\.01 in 1 session$/m);
      assert.match(cost, /^11111111\s.*\s<\$0\.01\s+<\$0\.01\s/m);
      assert.match(cost, /^TOTAL\s.*\s<\$0\.01\s+<\$0\.01\s/m);
      const show = zs(["show", "--home", home, "--cwd", A]);
      assert.match(show, /<\$0\.01 this turn · 100 in · 10 out · <\$0\.01 in all/);
      assert.doesNotMatch(ls + cost + show, /\$0\.00\b|\$0\.0043/);
    });
  });
});

describe("e2e: show and tail print every time in one zone", () => {
  // Started 12:05:09Z; messages 21 s and 31 s later, written at +02:00 and
  // -04:00. Before, the header said 12:05:09 (UTC) and the first message
  // 14:05:30 (its hidden offset): two hours apart instead of 21 s.
  const zoned = {
    cwd: A,
    name: `20260922-120509-${ID1.slice(0, 8)}.jsonl`,
    mtimeMs: at("2026-09-22T12:06:00Z"),
    lines: [
      metaLine({ id: ID1, cwd: A, started: "2026-09-22T12:05:09Z" }),
      messageLine("user", "q", "2026-09-22T14:05:30+02:00"),
      messageLine("assistant", "a", "2026-09-22T08:05:40-04:00"),
    ],
  };
  const heads = (out: string) =>
    [...out.matchAll(/^── (?:#\d+ )?(\w+) · ([\d -:]+?) ─+$/gm)].map((m) => `${m[1]} ${m[2]}`);
  const started = (out: string) => /^Started +(.*)$/m.exec(out)?.[1];

  it("show: the local zone ($TZ) by default, --tz, --utc; the header names it", async () => {
    await withHomes([[zoned]], ({ home }) => {
      const base = ["show", "--home", home, "--cwd", A];
      const local = zs(base, { TZ: "America/Los_Angeles" });
      assert.equal(started(local), "2026-09-22 05:05:09 America/Los_Angeles (-07:00)");
      assert.deepEqual(heads(local), ["user 2026-09-22 05:05:30", "assistant 05:05:40"]);
      const utc = zs([...base, "--utc"], { TZ: "America/Los_Angeles" });
      assert.equal(started(utc), "2026-09-22 12:05:09 UTC");
      assert.deepEqual(heads(utc), ["user 2026-09-22 12:05:30", "assistant 12:05:40"]);
      const tokyo = zs([...base, "--tz", "Asia/Tokyo"]);
      assert.equal(started(tokyo), "2026-09-22 21:05:09 Asia/Tokyo (+09:00)");
      assert.deepEqual(heads(tokyo), ["user 2026-09-22 21:05:30", "assistant 21:05:40"]);
      // JSON keeps the instants as written.
      const events = zs([...base, "--json", "--utc"]).trimEnd().split("\n").map((l) =>
        JSON.parse(l)
      );
      assert.deepEqual(events.filter((e) => e.type === "message").map((e) => e.time), [
        "2026-09-22T14:05:30+02:00",
        "2026-09-22T08:05:40-04:00",
      ]);
    });
  });

  it("tail: the same zone rules, named on its first line", async () => {
    await withHomes([[zoned]], ({ home }) => {
      const out = zs(["tail", "--home", home, "--cwd", A, "--tz", "Asia/Tokyo"]);
      assert.match(out, /^==> 11111111-.* · \/home\/dev\/alpha · times in Asia\/Tokyo <==$/m);
      assert.deepEqual(heads(out), ["user 2026-09-22 21:05:30", "assistant 21:05:40"]);
      const utc = zs(["tail", "--home", home, "--cwd", A, "--utc"], { TZ: "Asia/Tokyo" });
      assert.deepEqual(heads(utc), ["user 2026-09-22 12:05:30", "assistant 12:05:40"]);
    });
  });

  it("a bad zone, or --tz with --utc, is a usage error on every verb that takes them", async () => {
    await withHomes([[zoned]], ({ home }) => {
      for (const verb of ["ls", "show", "tail", "cost"]) {
        for (const bad of [["--tz", "Mars/Olympus"], ["--tz", "UTC", "--utc"]]) {
          const r = run(BIN, [verb, "--home", home, "--cwd", A, ...bad]);
          assert.equal(r.code, 2, `${verb} ${bad.join(" ")}: ${r.err}`);
          assert.match(r.err, /^zot-sessions: Cannot use (time zone|--tz with --utc)/);
        }
      }
    });
  });
});

describe("e2e: projects that differ only in Unicode normalisation", () => {
  const nfc = "/home/dev/ünïcode proj".normalize("NFC");
  const nfd = nfc.normalize("NFD");
  const one = (id: string, cwd: string, minute: number) => ({
    cwd,
    name: `20261101-0900${minute}0-${id.slice(0, 8)}.jsonl`,
    mtimeMs: at(`2026-11-01T09:0${minute}:00Z`),
    lines: [
      metaLine({ id, cwd, started: "2026-11-01T09:00:00Z" }),
      messageLine("user", "q", "2026-11-01T09:00:00Z"),
      usageLine({ input_tokens: 10, cost_usd: 0.5 }),
      messageLine("assistant", "a", "2026-11-01T09:00:05Z"),
    ],
  });
  it("tables mark the decomposed one; JSON keeps the paths", async () => {
    await withHomes([[one(ID1, nfc, 1), one(ID2, nfd, 2)]], ({ home }) => {
      const ls = zs(["ls", "--all", "--home", home]);
      assert.match(ls, new RegExp(`^22222222 .*${nfd} \\(NFD\\)  q$`, "m"));
      assert.match(ls, new RegExp(`^11111111 .*${nfc} +q$`, "m"));
      const cost = zs(["cost", "--all", "--home", home, "--by", "project"]);
      assert.match(cost, new RegExp(`^${nfd} \\(NFD\\)\\s+1\\s`, "m"));
      assert.match(cost, new RegExp(`^${nfc}\\s+1\\s`, "m"));
      const show = zs(["show", "--home", home, "--cwd", nfd]);
      assert.match(show, new RegExp(`^Project +${nfd} \\(NFD\\)$`, "m"));
      const list = json(["ls", "--all", "--home", home]);
      assert.deepEqual(list.map((s: { cwd: string }) => s.cwd), [nfd, nfc]);
    });
  });
});

describe("e2e: cost --by session", () => {
  const session = (id: string, title: string | null, cost: number, hour: number) => ({
    cwd: A,
    name: `20261101-0${hour}0000-${id.slice(0, 8)}.jsonl`,
    mtimeMs: at(`2026-11-01T0${hour}:30:00Z`),
    lines: [
      metaLine({ id, cwd: A, started: `2026-11-01T0${hour}:00:00Z` }),
      messageLine("user", `prompt of ${id.slice(0, 1)}`, `2026-11-01T0${hour}:00:00Z`),
      usageLine({ input_tokens: 1000 * hour, output_tokens: 10, cost_usd: cost }),
      messageLine("assistant", "a", `2026-11-01T0${hour}:00:05Z`),
      ...(title ? [renameLine(title)] : []),
    ],
  });
  // Costliest: 2, 1, 3. Newest: 3, 2, 1.
  const home3 = () => [
    session(ID1, "first title", 0.5, 1),
    session(ID2, null, 0.75, 2),
    session(ID3, "third title", 0.25, 3),
  ];
  const ids = (out: string) => [...out.matchAll(/^([0-9a-f]{8}) {2}/gm)].map((m) => m[1]);

  it("shows last activity, project, recorded and title; the TOTAL row fills every column", async () => {
    await withHomes([home3()], ({ home }) => {
      const out = zs(["cost", "--home", home, "--cwd", A, "--by", "session", "--utc"]);
      const lines = out.split("\n");
      const header = lines.find((l) => l.startsWith("SESSION"))!;
      assert.match(
        header,
        /^SESSION +LAST ACTIVITY +INPUT +OUTPUT +CACHE READ +CACHE WRITE +SPEND +RECORDED +PROJECT +TITLE$/,
      );
      assert.match(
        out,
        /^22222222 {2}2026-11-01 02:30 +2\.00k +10 +0 +0 +\$0\.75 +\$0\.75 {2}\/home\/dev\/alpha {2}prompt of 2$/m,
      );
      assert.match(
        out,
        /^11111111 {2}2026-11-01 01:30 .*\$0\.50 +\$0\.50 {2}\/home\/dev\/alpha {2}first title$/m,
      );
      assert.match(
        out,
        /^TOTAL {5}2026-11-01 03:30 +6\.00k +30 +0 +0 +\$1\.50 +\$1\.50 {2}\/home\/dev\/alpha {2}3 sessions$/m,
      );
      assert.deepEqual(ids(out), ["22222222", "11111111", "33333333"]);
      // Last activity in the zone asked for.
      assert.match(
        zs(["cost", "--home", home, "--cwd", A, "--by", "session", "--tz", "Asia/Tokyo"]),
        /^22222222 {2}2026-11-01 11:30 /m,
      );
    });
  });

  it("--sort, --reverse and --limit, in text and JSON", async () => {
    await withHomes([home3()], ({ home }) => {
      const base = ["cost", "--home", home, "--cwd", A, "--by", "session"];
      assert.deepEqual(ids(zs([...base, "--sort", "updated"])), [
        "33333333",
        "22222222",
        "11111111",
      ]);
      assert.deepEqual(ids(zs([...base, "--sort", "updated", "-r"])), [
        "11111111",
        "22222222",
        "33333333",
      ]);
      const cut = zs([...base, "--limit", "2"]);
      assert.deepEqual(ids(cut), ["22222222", "11111111"]);
      assert.match(cut, /^TOTAL .*\$1\.50 .*3 sessions$/m);
      assert.match(cut, /^1 more session not shown \(--limit\)$/m);
      const j = json([...base, "--sort", "started", "-n", "1"]);
      assert.deepEqual(j.rows.map((r: { key: string }) => r.key), [ID3]);
      assert.deepEqual(
        [j.rows[0].title, j.rows[0].firstPrompt, j.rows[0].cwd, j.rows[0].updated],
        ["third title", "prompt of 3", A, "2026-11-01T03:30:00.000Z"],
      );
      assert.equal(j.total.costUsd, 1.5, "the total is every session's");
      const bad = run(BIN, ["cost", "--home", home, "--cwd", A, "--sort", "updated"]);
      assert.equal(bad.code, 2);
    });
  });

  it("at 60 columns no line of the table is wider", () => {
    for (const by of ["session", "model", "project", "day", "day,session"]) {
      const out = zs(["cost", "--all", "--home", example, "--by", by], {
        ...AT_EXAMPLE,
        COLUMNS: "60",
      });
      const table = out.slice(out.indexOf("\n\n") + 2).trimEnd().split("\n");
      assert.ok(table.length > 3);
      for (const l of table) assert.ok(displayWidth(l) <= 60, `${by}: ${l}`);
    }
  });
});
