// deno-lint-ignore-file no-control-regex -- these tests look for control characters on purpose
/**
 * End-to-end tests of `show`: the built binary (and, where cheap, Deno and
 * Bun) run as a user would, on homes written here. See harness.ts.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN } from "./harness.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { SAMPLES_NOW } from "../helpers/clock.ts";
import { needs } from "../helpers/skips.ts";
import { type FixtureSession, simpleSession, tempHome } from "../helpers/fixtures.ts";
import {
  base64Of,
  bigResultLine,
  CALL,
  comparable,
  ENCRYPTED,
  expectedEvents,
  fileName,
  HAVE_SCRIPT,
  HOSTILE,
  HOSTILE_ALL,
  hostileSession,
  metaLine,
  numberedLines,
  parseNdjson,
  peakRssKiB,
  richSession,
  runBytes,
  runOnTerminal,
  sessionId,
  strayControls,
  TIME,
  usageCounters,
  writeLongLineSession,
} from "../helpers/transcripts.ts";

const ALPHA = "/home/dev/alpha";
const BETA = "/home/dev/beta";
const GAMMA = "/home/dev/gamma"; // no sessions at all

const RICH = sessionId("a1b2c3d4");
const FORK = sessionId("f0f0f0f0");
const ABAB_A = sessionId("abab0001");
const HOSTILE_ID = sessionId("dddd1111");
const ABAB_B = sessionId("abab0002");
const BEEF = sessionId("beef0001");
const CAFE_1 = sessionId("cafe0001");
const CAFE_2 = sessionId("cafe0002");
const ODD_NAME_ID = sessionId("5eed5eed"); // in a file named after another id
const at = (iso: string) => Date.parse(iso);

const rich = richSession(RICH, ALPHA);
const fork = richSession(FORK, ALPHA, { parent: RICH });

/** Newest first in alpha: HOSTILE_ID, ABAB_A, RICH, FORK. Everywhere: ABAB_B, BEEF, then alpha's. */
const SESSIONS: FixtureSession[] = [
  { cwd: ALPHA, name: fileName(RICH), lines: rich.text, mtimeMs: at("2026-10-01T13:00:00Z") },
  {
    cwd: ALPHA,
    name: fileName(FORK, "20261001-100000"),
    lines: fork.text,
    mtimeMs: at("2026-10-01T10:00:00Z"),
  },
  {
    cwd: ALPHA,
    name: fileName(ABAB_A),
    lines: simpleSession(ABAB_A, ALPHA, "abab in alpha"),
    mtimeMs: at("2026-10-02T00:00:00Z"),
  },
  {
    cwd: ALPHA,
    name: fileName(HOSTILE_ID),
    lines: hostileSession(HOSTILE_ID, ALPHA),
    mtimeMs: at("2026-10-03T00:00:00Z"),
  },
  {
    cwd: BETA,
    name: fileName(ABAB_B),
    lines: simpleSession(ABAB_B, BETA, "abab in beta"),
    mtimeMs: at("2026-10-05T00:00:00Z"),
  },
  {
    cwd: BETA,
    name: fileName(BEEF),
    lines: simpleSession(BEEF, BETA, "beef"),
    mtimeMs: at("2026-10-04T00:00:00Z"),
  },
  {
    cwd: BETA,
    name: fileName(CAFE_1),
    lines: hostileSession(CAFE_1, BETA),
    mtimeMs: at("2026-09-01T00:00:00Z"),
  },
  {
    cwd: BETA,
    name: fileName(CAFE_2),
    lines: hostileSession(CAFE_2, BETA),
    mtimeMs: at("2026-09-02T00:00:00Z"),
  },
  {
    cwd: BETA,
    name: "20261001-120000-0badf00d.jsonl",
    lines: simpleSession(ODD_NAME_ID, BETA, "odd name"),
    mtimeMs: at("2026-08-01T00:00:00Z"),
  },
];

let home = "";
let work = "";
let pathOf: (s: FixtureSession) => string = () => "";
let cleanupHome = () => Promise.resolve();
before(async () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" first`);
  ({ home, path: pathOf, cleanup: cleanupHome } = await tempHome(SESSIONS));
  work = await mkdtemp(join(tmpdir(), "zot-show-e2e-"));
});
after(async () => {
  await cleanupHome();
  await rm(work, { recursive: true, force: true });
});

const richPath = () => pathOf(SESSIONS[0]);
const hostilePath = () => pathOf(SESSIONS[3]);

/** `show` in a project of the test home. */
function show(args: string[], cwd = ALPHA, runtime?: "binary" | "deno" | "bun") {
  return runBytes(["show", "--home", home, "--cwd", cwd, ...args], { runtime });
}

/** The id of the session `show REF --json` printed (its first meta event). */
function shownId(args: string[], cwd = ALPHA): string {
  const r = show([...args, "--json"], cwd);
  assert.equal(r.code, 0, `show ${args.join(" ")}: ${r.err}`);
  const first = parseNdjson(r.out)[0];
  assert.equal(first.type, "meta");
  return first.id as string;
}

describe("e2e: show finds the session a reference names", () => {
  it("a full uuid, in this project or another", () => {
    assert.equal(shownId([RICH]), RICH);
    assert.equal(shownId([RICH.toUpperCase()]), RICH);
    assert.equal(shownId([BEEF]), BEEF, "a full id of another project is found everywhere");
  });

  it("a unique prefix of 4+ hex characters, of the file name's id or longer than it", () => {
    assert.equal(shownId(["a1b2"]), RICH);
    assert.equal(shownId(["A1B2C3"]), RICH);
    assert.equal(shownId(["a1b2c3d4-1111-42"]), RICH, "a prefix longer than the file name's id");
    assert.equal(shownId(["beef"]), BEEF, "a prefix found in another project");
    assert.equal(shownId(["0badf0"], BETA), ODD_NAME_ID, "the id part of the file name");
  });

  it("a prefix of the session id when the file name holds another id", () => {
    // The issue: "a unique prefix (4+ hex) of a session id or of the id part of a file name".
    assert.equal(shownId(["5eed5eed"], BETA), ODD_NAME_ID);
  });

  it("searches the current project first, then everywhere", () => {
    assert.equal(shownId(["abab"], ALPHA), ABAB_A);
    assert.equal(shownId(["abab"], BETA), ABAB_B);
  });

  it("an ambiguous prefix is a usage error (exit 2) that lists the candidates", () => {
    for (
      const [ref, cwd, ids] of [
        ["abab", GAMMA, [ABAB_A, ABAB_B]],
        ["cafe", ALPHA, [CAFE_1, CAFE_2]],
      ] as const
    ) {
      const r = show([ref], cwd);
      assert.equal(r.code, 2, `${ref}: ${r.err}`);
      assert.equal(r.out, "");
      assert.match(r.err, new RegExp(`^zot-sessions: Cannot pick session "${ref}": 2 sessions`));
      for (const id of ids) assert.ok(r.err.includes(id), `${id} is listed:\n${r.err}`);
    }
  });

  it("no match says where it looked (exit 1); a bad reference is a usage error", () => {
    const none = show(["0000ffff"]);
    assert.equal(none.code, 1);
    assert.equal(none.out, "");
    assert.match(none.err, /^zot-sessions: Cannot find session "0000ffff": /);
    assert.ok(none.err.includes(home), `names the home it searched: ${none.err}`);
    const bad = show(["not-an-id"]);
    assert.equal(bad.code, 2, bad.err);
    const tooShort = show(["a1b"]);
    assert.equal(tooShort.code, 2, tooShort.err);
  });

  it("latest, latest~N (this project, or all with --all), and no reference", () => {
    assert.equal(shownId([]), HOSTILE_ID, "no reference is latest");
    assert.equal(shownId(["latest"]), HOSTILE_ID);
    assert.equal(shownId(["latest~1"]), ABAB_A);
    assert.equal(shownId(["latest~2"]), RICH);
    assert.equal(shownId(["latest~3"]), FORK);
    assert.equal(shownId(["latest", "--all"]), ABAB_B);
    assert.equal(shownId(["latest~1", "--all"]), BEEF);
    assert.equal(shownId(["latest~2", "-a"]), HOSTILE_ID);
    const past = show(["latest~4"]);
    assert.equal(past.code, 1, past.err);
    assert.match(past.err, /Cannot find session "latest~4": 4 sessions for "\/home\/dev\/alpha"/);
    const empty = show([], GAMMA);
    assert.equal(empty.code, 1, empty.err);
    assert.equal(empty.out, "");
  });

  it("a path to a .jsonl or .zotsession file, absolute or relative to the process", async () => {
    assert.equal(shownId([richPath()], GAMMA), RICH);
    // An export, anywhere on disk: the first meta line with its cwd emptied,
    // later meta lines and unparseable lines dropped.
    const exported = join(work, "shared.zotsession");
    const [first, ...rest] = rich.lines;
    await writeFile(
      exported,
      [
        first.replace(`"cwd":"${ALPHA}"`, '"cwd":""'),
        ...rest.filter((l) => !l.includes('"type":"meta"')),
      ]
        .map((l) => l + "\n").join(""),
    );
    for (const ref of [exported, "shared.zotsession", "./shared.zotsession"]) {
      const r = runBytes(["show", "--home", home, ref, "--no-usage"], { cwd: work });
      assert.equal(r.code, 0, `${ref}: ${r.err}`);
      assert.match(r.out, new RegExp(`^Session +${RICH}\n`));
      assert.match(r.out, /\nProject +\(none\)\n/);
    }
    const copy = join(work, "copy.jsonl");
    await writeFile(copy, rich.text);
    const rel = runBytes(["show", "--home", home, "copy.jsonl", "--json"], { cwd: work });
    assert.equal(rel.code, 0, rel.err);
    assert.equal(parseNdjson(rel.out)[0].id, RICH);
    const missing = show([join(work, "nope.jsonl")]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Cannot read session ".*nope\.jsonl": no such file or directory/);
  });
});

describe("e2e: show prints every kind of line and block", () => {
  it("header, roles and times, text, tools, errors, images, reasoning, switches, renames, costs", () => {
    const r = show([RICH]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    const out = r.out;
    assert.doesNotMatch(out, /\x1b/, "not a terminal: no colour");
    // Header.
    const header = out.slice(0, out.indexOf("\n\n"));
    assert.match(header, new RegExp(`^Session +${RICH}$`, "m"));
    assert.match(header, /^Title +Renamed later$/m, "the last non-empty title");
    assert.match(header, /^Project +\/home\/dev\/alpha$/m);
    assert.match(header, /^Model +gpt-5 \(openai\)$/m, "model and provider of the latest meta");
    // In the local zone (TZ=UTC here), named, as every time of the transcript.
    assert.match(header, /^Started +2026-10-01 12:00:00 UTC$/m);
    assert.match(header, /^zot +0\.1\.\d+$/m);
    assert.match(header, /^Skipped +2 damaged lines$/m);
    assert.doesNotMatch(header, /Fork of/);
    // Messages with role and time, in order.
    const heads = [...out.matchAll(/^── (.+?) · (?:2026-10-01 )?(\d\d:\d\d:\d\d) ─+$/gm)].map((m) =>
      `${m[1]} ${m[2]}`
    );
    // Written at +02:00, shown in the local zone (UTC here), numbered as
    // --range counts (tool messages print under their calls).
    assert.deepEqual(heads, [
      "#0 user 12:00:01",
      "#1 assistant 12:00:02",
      "#4 user · summary of compacted history 12:00:05",
      "#5 assistant 12:00:06",
      "#7 assistant 12:00:08",
      "#8 assistant 12:00:09",
    ]);
    assert.ok(out.includes("Please look at <this> & that\n"), "text, Go's escapes undone");
    // Images by type and size, never their bytes.
    assert.match(out, /\[image\/png, 1\.2 [kK]B\]/);
    assert.match(out, /\[image\/jpeg, 2\.5 [kK]B\]/);
    assert.ok(!out.includes(base64Of(1200).slice(0, 40)), "no image data");
    // Reasoning: the summary; an encrypted blob only as a mark.
    assert.ok(out.includes("Thinking about the screenshot"));
    assert.ok(out.includes("[encrypted reasoning]"));
    assert.ok(!out.includes(ENCRYPTED.slice(0, 12)), "the encrypted blob is never shown");
    assert.ok(out.includes("Only a summary here"), "a block with only a summary is reasoning");
    // Tool calls: name and compact arguments; results under their call.
    const callLs = out.indexOf('bash {"command":"ls -la","timeout":30}');
    const callRead = out.indexOf('read {"path":"missing.txt"}');
    const resultLs = out.indexOf("← bash");
    const resultRead = out.indexOf("← read");
    assert.ok(callLs > 0 && callRead > callLs, "both calls");
    assert.ok(resultLs > callRead && resultRead > resultLs, "results follow their calls");
    assert.ok(out.includes("screenshot null"), "null arguments");
    // A long result: 20 lines, then how many more.
    assert.ok(out.includes("result line 20\n"));
    assert.ok(!out.includes("result line 21"));
    assert.match(out, /… 5 more lines\n/);
    // An error result is marked.
    assert.match(out, /← read #3 ✗ error\n.*open missing\.txt: no such file\n/);
    assert.doesNotMatch(out.slice(resultLs, resultRead), /error/);
    // Model switch, renames, compaction, each turn's cost.
    assert.match(out, /model: gpt-5 \(openai\)/);
    assert.match(out, /renamed: "Rich session"/);
    assert.match(out, /renamed: "Renamed later"/);
    // Money as every table shows it: to the cent, <$0.01 under a cent.
    assert.match(out, /\$0\.01 this turn · 1\.00k in · 200 out · \$0\.01 in all/);
    assert.match(out, /\$0\.03 this turn · 2\.00k in · 300 out · \$0\.04 in all/);
    assert.match(out, /<\$0\.01 this turn · 500 in · 100 out · \$0\.04 in all/);
    // Damaged lines are reported where they were, and the rest still shown.
    assert.match(out, /\[line 14 skipped: not valid JSON\]\n/);
    assert.match(out, /\[line 19 skipped: truncated last line\]\n/);
    assert.ok(out.indexOf("line 14 skipped") < out.indexOf("All done."));
  });

  it("images are shown in the spelling the issue gives: [image/png, 1.2 kB]", () => {
    const r = show([RICH]);
    assert.equal(r.out.match(/\[image\/png[^\]]*\]/)?.[0], "[image/png, 1.2 kB]");
  });

  it("a fork names its parent and fork point", () => {
    const r = show([FORK]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^Fork of +${RICH} at message 2$`, "m"));
  });

  it("--full, --no-tools, --role, --range, --usage/--no-usage, --markdown", () => {
    const full = show([RICH, "--full"]).out;
    assert.ok(full.includes("result line 25\n"));
    assert.doesNotMatch(full, /more lines/);
    assert.match(full, /bash \{\n +"command": "ls -la",\n +"timeout": 30\n +\}/);

    const noTools = show([RICH, "--no-tools"]).out;
    assert.ok(!noTools.includes("▸") && !noTools.includes("←"), noTools);
    assert.ok(!noTools.includes("result line 1"));
    assert.ok(!noTools.includes("captured"));
    assert.ok(noTools.includes("I will list the files."));

    const users = show([RICH, "--role", "user"]).out;
    assert.equal((users.match(/^── /gm) ?? []).length, 2);
    assert.ok(!users.includes("── assistant"));
    const userTool = parseNdjson(show([RICH, "--role", "user", "--role", "tool", "--json"]).out)
      .filter((e) => e.type === "message").map((e) => `${e.index}:${e.role}`);
    assert.deepEqual(userTool, ["0:user", "2:tool", "3:tool", "4:user", "6:tool"]);

    const range = (spec: string) =>
      parseNdjson(show([RICH, "--range", spec, "--json"]).out)
        .filter((e) => e.type === "message").map((e) => e.index);
    assert.deepEqual(range("1..3"), [1, 2, 3]);
    assert.deepEqual(range("7.."), [7, 8]);
    assert.deepEqual(range("..1"), [0, 1]);
    for (const bad of ["3..1", "x", ".."]) {
      assert.equal(show([RICH, "--range", bad]).code, 2, bad);
    }

    assert.ok(!show([RICH, "--no-usage"]).out.includes("this turn"));
    assert.ok(show([RICH, "--usage"]).out.includes("this turn"));
    assert.equal(show([RICH, "--usage", "--no-usage"]).code, 2);
    assert.equal(show([RICH, "--role", "robot"]).code, 2);

    const md = show([RICH, "--markdown"]);
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^# Renamed later\n\n- \*\*Session\*\*: /);
    assert.match(md.out, /\n### `#0` user · 2026-10-01 12:00:01\n/);
    assert.match(md.out, /\n### `#4` user · summary of compacted history · 12:00:05\n/);
    assert.match(md.out, /```json\n\{"command":"ls -la","timeout":30\}\n```/);
    assert.match(md.out, /← read `#3` ✗ error/);
    for (const combo of [["--raw", "--json"], ["--raw", "--markdown"], ["--markdown", "--json"]]) {
      assert.equal(show([RICH, ...combo]).code, 2, combo.join(" "));
    }
  });

  it("--raw to a pipe is the file, byte for byte", async () => {
    for (const path of [richPath(), hostilePath()]) {
      const r = show([path, "--raw"]);
      assert.equal(r.code, 0, r.err);
      assert.ok(Buffer.from(r.stdout).equals(await readFile(path)), `${path} differs`);
    }
  });
});

describe("e2e: show numbers its messages and marks --around's (issue 22)", () => {
  /** Each numbered line: a header (`── #N role`) or a tool message's result (`← name #N`). */
  const numbered = (out: string) =>
    [...out.matchAll(/^(▶|──| {2}) ?(?:#(\d+) \S+ · |← [^#\n]+ #(\d+))/gm)].map((m) =>
      `${m[1] === "▶" ? "▶" : ""}${m[2] ?? m[3]}`
    );

  it("every header and tool result has the index --range, --around and --json use", () => {
    const r = show([RICH]);
    assert.equal(r.code, 0, r.err);
    const json = parseNdjson(show([RICH, "--json"]).out).filter((e) => e.type === "message")
      .map((e) => String(e.index));
    assert.deepEqual(numbered(r.out), json, r.out);
    assert.doesNotMatch(r.out, /▶/, "nothing asked for: nothing marked");
  });

  it("--around N marks message N, a header or a tool message's result, and only it", () => {
    const header = show([RICH, "--around", "5"]);
    assert.equal(header.code, 0, header.err);
    assert.deepEqual(numbered(header.out), ["3", "4", "▶5", "6", "7"]);
    assert.match(header.out, /^▶ #5 assistant · 12:00:06 ─+$/m);
    assert.doesNotMatch(header.out, /\x1b/, "a pipe: the marker alone, no colour");
    const result = show([RICH, "--around", "3"]);
    assert.deepEqual(numbered(result.out), ["1", "2", "▶3", "4", "5"]);
    assert.match(result.out, /^▶ ← read #3 ✗ error$/m);
    // --range shows the same messages, none marked.
    assert.deepEqual(numbered(show([RICH, "--range", "3..7"]).out), ["3", "4", "5", "6", "7"]);
  });

  it("Markdown: the number as code (GitHub links a bare #N), the asked-for one marked", () => {
    const md = show([RICH, "--markdown", "--around", "5"]).out;
    assert.match(md, /\n### `#4` user · summary of compacted history · 2026-10-01 12:00:05\n/);
    assert.match(md, /\n### ▶ `#5` assistant · 12:00:06\n/);
    assert.match(md, /\n← screenshot `#6`\n/);
    assert.equal(md.match(/▶/g)?.length, 1);
  });

  const skip = needs("script (util-linux), for a terminal", HAVE_SCRIPT);
  it("on a terminal the marked line is in reverse video; with NO_COLOR the marker only", {
    skip,
  }, () => {
    const args = ["show", RICH, "--home", home, "--cwd", ALPHA, "--no-pager", "--around", "5"];
    const tty = runOnTerminal(args);
    assert.equal(tty.code, 0, tty.out);
    assert.match(tty.out, /\x1b\[7m\x1b\[1m▶ #5 assistant · 12:00:06 ─+\x1b\[22m\x1b\[27m/);
    assert.equal(tty.out.match(/\x1b\[7m/g)?.length, 1, "one line stands out");
    assert.match(tty.out, /\x1b\[1m── #4 user/, "the others bold as before");
    const plain = runOnTerminal(args, { NO_COLOR: "1" });
    assert.equal(plain.code, 0, plain.out);
    assert.doesNotMatch(plain.out, /\x1b\[/);
    assert.match(plain.out, /^▶ #5 assistant · 12:00:06 ─+\r?$/m);
  });
});

describe("e2e: show --json", () => {
  it("every line of the file, once and in order, with the right block kinds", async () => {
    for (const path of [richPath(), pathOf(SESSIONS[1]), hostilePath()]) {
      const text = await readFile(path, "utf8");
      const r = show([path, "--json"]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, "");
      const got = parseNdjson(r.out);
      assert.deepEqual(comparable(got), expectedEvents(text), path);
      // Deltas: the increase of cumulative over the previous usage row.
      let prev = usageCounters({});
      for (const e of got.filter((e) => e.type === "usage")) {
        const c = e.cumulative as Record<string, number>;
        const d = e.delta as Record<string, number>;
        for (const k of Object.keys(c)) {
          assert.ok(Math.abs(d[k] - (c[k] - (prev[k] as number))) < 1e-9, `${path} delta ${k}`);
        }
        prev = c;
      }
    }
  });

  it("the rich session's events, kind by kind", () => {
    const events = parseNdjson(show([RICH, "--json"]).out);
    assert.deepEqual(events.map((e) => e.type), [
      "meta",
      "rename",
      "message",
      "usage",
      "message",
      "message",
      "message",
      "meta",
      "message",
      "usage",
      "message",
      "message",
      "message",
      "skipped",
      "usage",
      "message",
      "rename",
      ...(events.some((e) => e.type === "rename" && e.title === "") ? ["rename"] : []),
      "skipped",
    ]);
    const messages = events.filter((e) => e.type === "message");
    assert.equal(messages.length, 9);
    const kinds = messages.map((m) =>
      (m.blocks as { type: string }[]).map((b) => b.type).join(",")
    );
    assert.deepEqual(kinds, [
      "text,image",
      "reasoning,reasoning,text,tool_call,tool_call",
      "tool_result",
      "tool_result",
      "text",
      "tool_call",
      "tool_result",
      "",
      "text,reasoning",
    ]);
    assert.equal(messages[4].compaction, true);
    assert.equal(messages[0].compaction, undefined);
    assert.deepEqual(messages[1].blocks, [
      { type: "reasoning", summary: "Thinking about the screenshot", encrypted: false },
      { type: "reasoning", summary: "", encrypted: true },
      { type: "text", text: "I will list the files." },
      {
        type: "tool_call",
        id: CALL.ls,
        name: "bash",
        arguments: { command: "ls -la", timeout: 30 },
      },
      { type: "tool_call", id: CALL.read, name: "read", arguments: { path: "missing.txt" } },
    ]);
    assert.deepEqual(messages[3].blocks, [{
      type: "tool_result",
      callId: CALL.read,
      content: [{ type: "text", text: "open missing.txt: no such file" }],
      isError: true,
    }]);
    assert.deepEqual(messages[2].blocks, [{
      type: "tool_result",
      callId: CALL.ls,
      content: [{ type: "text", text: numberedLines(25) }],
      isError: false,
    }]);
    assert.deepEqual(messages[6].blocks, [{
      type: "tool_result",
      callId: CALL.shot,
      content: [{ type: "image", mimeType: "image/jpeg", bytes: 2500 }, {
        type: "text",
        text: "captured",
      }],
      isError: false,
    }]);
    assert.deepEqual(messages[0].blocks, [
      { type: "text", text: "Please look at <this> & that" },
      { type: "image", mimeType: "image/png", bytes: 1200 },
    ]);
    assert.deepEqual(events.filter((e) => e.type === "skipped"), [
      { type: "skipped", line: 14, reason: "not valid JSON", count: 1 },
      { type: "skipped", line: 19, reason: "truncated last line", count: 1 },
    ]);
    assert.ok(!JSON.stringify(events).includes(ENCRYPTED), "no encrypted blob");
  });

  it("--with-data adds image data, exactly as stored", () => {
    const events = parseNdjson(show([RICH, "--json", "--with-data"]).out);
    const msgs = events.filter((e) => e.type === "message");
    const img = (msgs[0].blocks as Record<string, unknown>[])[1];
    assert.deepEqual(img, {
      type: "image",
      mimeType: "image/png",
      data: base64Of(1200),
      bytes: 1200,
    });
    const inner = ((msgs[6].blocks as Record<string, unknown>[])[0].content as Record<
      string,
      unknown
    >[])[0];
    assert.equal(inner.data, base64Of(2500));
  });

  it("is byte-identical from the binary, Deno and Bun", () => {
    for (const args of [[RICH, "--json"], [HOSTILE_ID, "--json", "--with-data"], [RICH]]) {
      const outs = (["binary", "deno", "bun"] as const).map((rt) => {
        const r = show(args, ALPHA, rt);
        assert.equal(r.code, 0, `${rt}: ${r.err}`);
        return Buffer.from(r.stdout);
      });
      assert.ok(outs[1].equals(outs[0]), `deno differs for ${args.join(" ")}`);
      assert.ok(outs[2].equals(outs[0]), `bun differs for ${args.join(" ")}`);
    }
  });

  it("to a pipe, untrusted text is kept exactly (JSON escapes only)", () => {
    const r = show([HOSTILE_ID, "--json"]);
    assert.ok(
      r.out.includes(HOSTILE.csi8) && r.out.includes(HOSTILE.bidi),
      "C1 and bidi as they are",
    );
    assert.ok(r.out.includes("\\u001b]52;c;aGk=\\u0007"), "C0 as JSON escapes");
    const events = parseNdjson(r.out);
    const prompt = events.find((e) => e.type === "message" && e.role === "user");
    assert.deepEqual(prompt?.blocks, [{ type: "text", text: `prompt ${HOSTILE_ALL} end` }]);
  });

  it("agrees with zot's own sample transcripts", {
    skip: samplesSkip,
  }, async () => {
    const dir = join(samplesHome(), "sessions");
    for (const sub of await readdir(dir)) {
      for (const f of await readdir(join(dir, sub))) {
        const path = join(dir, sub, f);
        const r = runBytes(["show", "--home", home, path, "--json"], {
          env: { ZOT_SESSIONS_NOW: SAMPLES_NOW },
        });
        assert.equal(r.code, 0, `${f}: ${r.err}`);
        assert.deepEqual(
          comparable(parseNdjson(r.out)),
          expectedEvents(await readFile(path, "utf8")),
          f,
        );
      }
    }
  });
});

describe("e2e: show on a terminal never sends the transcript's control characters", () => {
  const skip = needs("script (util-linux), for a terminal", HAVE_SCRIPT);

  const cases: [string, string[], number][] = [
    ["text", ["show", HOSTILE_ID], 0],
    ["text --full", ["show", HOSTILE_ID, "--full"], 0],
    ["--raw", ["show", HOSTILE_ID, "--raw"], 0],
    ["--json", ["show", HOSTILE_ID, "--json", "--with-data"], 0],
    ["--markdown", ["show", HOSTILE_ID, "--markdown"], 0],
    ["an ambiguous prefix's candidate list", ["show", "cafe"], 2],
  ];
  for (const [name, args, code] of cases) {
    it(name, { skip }, () => {
      const r = runOnTerminal([...args, "--home", home, "--cwd", ALPHA, "--no-pager"]);
      assert.equal(r.code, code, r.out);
      assert.ok(r.stdout.length > 200, `printed something: ${r.out}`);
      const stray = [...new Set(strayControls(r.stdout))];
      assert.deepEqual(stray, [], `sent to the terminal: ${JSON.stringify(r.out)}`);
    });
  }

  it("shows escapes visibly, and colours only with SGR codes", { skip }, () => {
    const r = runOnTerminal(["show", HOSTILE_ID, "--home", home, "--cwd", ALPHA, "--no-pager"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /\x1b\[1mSession/, "a terminal: the header is bold");
    assert.ok(r.out.includes("␛[2J"), "ESC shown as a picture");
    assert.ok(r.out.includes("␛]52;c;aGk=␇"), "OSC 52 shown, not sent");
    for (const seq of Object.values(HOSTILE)) assert.ok(!r.out.includes(seq), JSON.stringify(seq));
  });
});

describe("e2e: show streams lines over the 8 MiB cap", () => {
  // Both lines just over the reader's 8 MiB cap: what is streamed is the
  // same at any size past it.
  const TEXT = 10 << 20; // a 10 MiB tool result
  const IMAGE = 9 << 20; // a 9 MiB screenshot (12 MiB of base64)
  let big = "";
  let resultLines = 0;
  before(async () => {
    big = join(work, "big.jsonl");
    ({ resultLines } = await writeLongLineSession(big, sessionId("b16b16b1"), ALPHA, TEXT, IMAGE));
  });

  it("--json holds every chunk of the text and counts the image bytes", () => {
    const r = show([big, "--json"]);
    assert.equal(r.code, 0, r.err);
    const messages = parseNdjson(r.out).filter((e) => e.type === "message");
    assert.deepEqual(messages.map((m) => m.role), [
      "user",
      "assistant",
      "tool",
      "user",
      "assistant",
    ]);
    const result = (messages[2].blocks as Record<string, unknown>[])[0];
    assert.equal(result.type, "tool_result");
    assert.equal(result.callId, "big");
    assert.equal(result.isError, false);
    const content = result.content as { type: string; text: string }[];
    assert.equal(content.length, 1);
    const text = content[0].text;
    assert.equal(text.length, resultLines * 101 - 1);
    const lines = text.split("\n");
    assert.equal(lines.length, resultLines);
    const wrong = lines.findIndex((l, i) => l !== bigResultLine(i + 1));
    assert.equal(wrong, -1, `line ${wrong + 1} of the result is ${lines[wrong]?.slice(0, 20)}`);
    assert.deepEqual(messages[3].blocks, [
      { type: "text", text: "this screenshot" },
      { type: "image", mimeType: "image/png", bytes: IMAGE },
    ]);
    assert.equal(messages[4].time, "2026-10-04T08:00:00Z");
  });

  it("--json --with-data passes the image data through", () => {
    const r = show([big, "--json", "--with-data", "--role", "user"]);
    assert.equal(r.code, 0, r.err);
    const img = (parseNdjson(r.out).filter((e) => e.type === "message")[1].blocks as Record<
      string,
      string
    >[])[1];
    assert.equal(img.data.length, (IMAGE / 3) * 4);
    assert.equal(Buffer.from(img.data, "base64").length, IMAGE);
    assert.equal(img.data.slice(0, 64), base64Of(48));
  });

  it("text: 20 lines of the result, the count of the rest, the image's size", () => {
    const r = show([big]);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes(bigResultLine(20)));
    assert.ok(!r.out.includes(bigResultLine(21)));
    assert.ok(r.out.includes(`… ${resultLines - 20} more lines\n`));
    assert.match(r.out, /\[image\/png, 9\.4 MB\]/);
    assert.ok(r.out.includes("That log is long."));
    assert.doesNotMatch(r.out, /skipped/);
    assert.ok(r.out.length < 20_000, `${r.out.length} characters`);
  });

  it("is byte-identical from the binary, Deno and Bun", () => {
    const outs = (["binary", "deno", "bun"] as const).map((rt) => {
      const r = runBytes(["show", big, "--json"], { runtime: rt });
      assert.equal(r.code, 0, `${rt}: ${r.err}`);
      return Buffer.from(r.stdout);
    });
    assert.ok(outs[1].equals(outs[0]), "deno differs");
    assert.ok(outs[2].equals(outs[0]), "bun differs");
  });

  // Peak RSS is noisy (runs of one file differ by up to ~25 MiB) and the
  // tokenizer's garbage grows it a little with the amount read; holding a
  // line grows it by several times the line. So: the same shape with the
  // text line 40 MiB longer and the image twice as big (+12 MiB of base64),
  // and the growth must stay under the text line's growth.
  const BIGGER_TEXT = TEXT + (40 << 20);
  let bigger = "";
  const minPeak = (args: string[]) => Math.min(peakRssKiB(args), peakRssKiB(args));
  const rssGrowth = (mode: string[]) => {
    const base = minPeak(["show", big, ...mode]);
    const peak = minPeak(["show", bigger, ...mode]);
    const growth = (peak - base) * 1024;
    const lineGrowth = BIGGER_TEXT - TEXT;
    assert.ok(
      growth < lineGrowth,
      `show ${mode.join(" ")}: peak RSS ${base} KiB with a ${TEXT / 2 ** 20} MiB line, ${peak} ` +
        `KiB with a ${BIGGER_TEXT / 2 ** 20} MiB one: +${(growth / 2 ** 20).toFixed(1)} MiB for ` +
        `${lineGrowth / 2 ** 20} MiB ` +
        "more line",
    );
  };
  const noTime = needs("/usr/bin/time (GNU time)", TIME !== null);

  it("peak memory does not grow with the line's size: text", { skip: noTime }, async () => {
    bigger = join(work, "bigger.jsonl");
    await writeLongLineSession(bigger, sessionId("b16b16b2"), ALPHA, BIGGER_TEXT, IMAGE * 2);
    rssGrowth([]);
  });

  it("peak memory does not grow with the line's size: --json", { skip: noTime }, () => {
    rssGrowth(["--json"]);
  });

  // Markdown has --redact-secrets on: the whole text is checked for
  // secrets in windows, never held (issue 24).
  it("peak memory does not grow with the line's size: --markdown, secrets taken out", {
    skip: noTime,
  }, () => {
    rssGrowth(["--markdown"]);
  });

  after(() => rm(bigger, { force: true }));
});

describe("e2e: a meta line alone", () => {
  it("an empty session shows its header and nothing else", async () => {
    const path = join(work, "empty.jsonl");
    await writeFile(path, metaLine({ id: sessionId("e0e0e0e0"), cwd: ALPHA }) + "\n");
    const r = runBytes(["show", path]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /──/);
    const j = runBytes(["show", path, "--json"]);
    assert.deepEqual(parseNdjson(j.out).map((e) => e.type), ["meta"]);
  });
});
