import { describe, it } from "node:test";
import { A, cli, ID, LINES } from "../helpers/transcript_cli.ts";
import assert from "node:assert/strict";
import { messageLine, metaLine } from "../helpers/fixtures.ts";

describe("show", () => {
  it("--range counts negative indices back from the end: -1 is the last message", async () => {
    const indices = async (range: string) => {
      const r = await cli(["show", "--json", "--range", range]);
      assert.equal(r.code, 0, r.err);
      return r.out.trimEnd().split("\n").map((l) => JSON.parse(l))
        .filter((e) => e.type === "message").map((e) => e.index);
    };
    // Three messages: 0 (user), 1 (assistant), 2 (tool).
    assert.deepEqual(await indices("-2..-1"), [1, 2]);
    assert.deepEqual(await indices("-1.."), [2]);
    assert.deepEqual(await indices("..-3"), [0]);
    assert.deepEqual(await indices("1..-2"), [1]);
    assert.deepEqual(await indices("-9..0"), [0]);
  });

  it("shows the latest session by default, with header, turns, results and cost", async () => {
    const r = await cli(["show"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Session {2}0e19291e-c841-4742-bbcc-90199e65f26e\nTitle {4}build fix\n/);
    assert.match(r.out, /── #0 user · 2026-09-22 14:05:30 /);
    assert.match(r.out, /▸ bash \{"command":"make"\}\n/);
    assert.match(r.out, /\$0\.50 this turn · 10 in · 5 out · \$0\.50 in all\n/);
    assert.match(r.out, /← bash #2\n {3}│ ok\n/);
    assert.match(r.out, /✎ renamed: "build fix"/);
  });

  it("never writes the transcript's escape sequences, and --raw to a pipe is byte-exact", async () => {
    const text = await cli(["show", "--no-pager"], true);
    assert.ok(!text.out.includes("\x1b"), JSON.stringify(text.out));
    assert.match(text.out, /fix ␛\[2Jthe build/);
    const raw = await cli(["show", "--raw"]);
    assert.equal(raw.out, LINES.map((l) => l + "\n").join(""));
  });

  it("--json prints one event per line with message indices from 0", async () => {
    const r = await cli(["show", "--json"]);
    const events = r.out.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => e.type), [
      "meta",
      "message",
      "usage",
      "message",
      "message",
      "rename",
    ]);
    assert.deepEqual(events.filter((e) => e.type === "message").map((e) => e.index), [0, 1, 2]);
    assert.deepEqual(events[3].blocks, [
      { type: "text", text: "running" },
      { type: "tool_call", id: "c1", name: "bash", arguments: { command: "make" } },
    ]);
    assert.deepEqual(events[4].blocks, [
      {
        type: "tool_result",
        callId: "c1",
        content: [{ type: "text", text: "ok" }],
        isError: false,
      },
    ]);
  });

  it("--no-tools and --role filter messages; the usage row goes with its reply", async () => {
    const r = await cli(["show", "--json", "--role", "user"]);
    assert.deepEqual(r.out.trimEnd().split("\n").map((l) => JSON.parse(l).type), [
      "meta",
      "message",
      "rename",
    ]);
    const t = await cli(["show", "--no-tools"]);
    assert.doesNotMatch(t.out, /bash/);
    assert.match(t.out, /running/);
  });

  it("--range N shows message N alone; a rename shows only next to the range", async () => {
    const types = async (range: string) =>
      (await cli(["show", "--json", "--range", range])).out.trimEnd().split("\n")
        .map((l) => JSON.parse(l)).map((e) => e.type === "message" ? e.index : e.type);
    assert.deepEqual(await types("1"), ["meta", "usage", 1]);
    assert.deepEqual(await types("2"), ["meta", 2, "rename"], "the rename follows message 2");
    assert.deepEqual(await types("0..1"), ["meta", 0, "usage", 1]);
    assert.doesNotMatch((await cli(["show", "--range", "0"])).out, /renamed/);
    assert.match((await cli(["show", "--range", "1.."])).out, /renamed: "build fix"/);
  });

  it("--markdown leaves out the file's and the project's absolute paths", async () => {
    const text = await cli(["show"]);
    assert.match(text.out, /^File +\/.*0e19291e\.jsonl$/m);
    assert.match(text.out, /^Project +\/home\/dev\/alpha$/m);
    const md = await cli(["show", "--markdown"]);
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^- \*\*Session\*\*: 0e19291e-c841-4742-bbcc-90199e65f26e$/m);
    assert.doesNotMatch(md.out, /\*\*(File|Project)\*\*/);
    assert.ok(!md.out.includes(A), "no project path");
    assert.ok(!md.out.includes("zot-home-"), "no path of the home");
  });

  it("exits 1 naming the reference when no session matches", async () => {
    const r = await cli(["show", "ffff"]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^zot-sessions: Cannot find session "ffff": no session id starts with it in "/,
    );
  });
});

describe("show and tail: every time in one zone", () => {
  // Started at 12:05:09Z; the messages come 21 s and 31 s later, written
  // with two different offsets (zot writes the machine's local time).
  const ZONED = [
    metaLine({ id: ID, cwd: A, started: "2026-09-22T12:05:09Z" }),
    messageLine("user", "q", "2026-09-22T14:05:30+02:00"),
    messageLine("assistant", "a", "2026-09-22T08:05:40-04:00"),
  ];
  const heads = (out: string) =>
    [...out.matchAll(/^── (?:#\d+ )?(\w+) · ([\d -:]+?) ─+$/gm)].map((m) => `${m[1]} ${m[2]}`);
  const started = (out: string) => /^Started +(.*)$/m.exec(out)?.[1];

  it("--utc: the header and the messages in UTC, the zone named", async () => {
    const r = await cli(["show", "--utc"], false, {}, ZONED);
    assert.equal(r.code, 0, r.err);
    assert.equal(started(r.out), "2026-09-22 12:05:09 UTC");
    assert.deepEqual(heads(r.out), ["user 2026-09-22 12:05:30", "assistant 12:05:40"]);
  });

  it("--tz ZONE: the same instants in that zone, with its offset in the header", async () => {
    const r = await cli(["show", "--tz", "Asia/Tokyo"], false, {}, ZONED);
    assert.equal(r.code, 0, r.err);
    assert.equal(started(r.out), "2026-09-22 21:05:09 Asia/Tokyo (+09:00)");
    assert.deepEqual(heads(r.out), ["user 2026-09-22 21:05:30", "assistant 21:05:40"]);
  });

  it("by default, the user's zone from $TZ", async () => {
    const r = await cli(["show"], false, { TZ: "America/New_York" }, ZONED);
    assert.equal(started(r.out), "2026-09-22 08:05:09 America/New_York (-04:00)");
    assert.deepEqual(heads(r.out), ["user 2026-09-22 08:05:30", "assistant 08:05:40"]);
    const md = await cli(["show", "--markdown"], false, { TZ: "America/New_York" }, ZONED);
    assert.match(md.out, /^- \*\*Started\*\*: 2026-09-22 08:05:09 America\/New_York \(-04:00\)$/m);
    assert.match(md.out, /^### `#1` assistant · 08:05:40$/m);
  });

  it("tail shows its times in the zone and names it", async () => {
    const r = await cli(["tail", "--utc"], false, {}, ZONED);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^==> .* · \/home\/dev\/alpha · times in UTC <==$/m);
    assert.deepEqual(heads(r.out), ["user 2026-09-22 12:05:30", "assistant 12:05:40"]);
  });

  it("--json keeps each time as written", async () => {
    const r = await cli(["show", "--json", "--utc"], false, {}, ZONED);
    const times = r.out.trimEnd().split("\n").map((l) => JSON.parse(l))
      .filter((e) => e.type === "message").map((e) => e.time);
    assert.deepEqual(times, ["2026-09-22T14:05:30+02:00", "2026-09-22T08:05:40-04:00"]);
  });

  it("rejects an unknown zone and --tz with --utc", async () => {
    const bad = await cli(["show", "--tz", "Mars/Olympus"], false, {}, ZONED);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Cannot use time zone "Mars\/Olympus"/);
    const both = await cli(["tail", "--tz", "UTC", "--utc"], false, {}, ZONED);
    assert.equal(both.code, 2);
    assert.match(both.err, /Cannot use --tz with --utc/);
  });
});
