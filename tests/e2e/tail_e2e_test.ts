/**
 * End-to-end tests of `tail`: the last messages read from the end of the
 * file, and `-f` following a file that this test appends to, truncates and
 * replaces. See harness.ts for how the CLI runs.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import {
  appendFile,
  mkdir,
  mkdtemp,
  rename,
  rm,
  truncate,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { projectKey } from "../../lib/sessions/home.ts";
import { BIN } from "./harness.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { fsNow, SAMPLES_NOW } from "../helpers/clock.ts";
import { needs, skipNow } from "../helpers/skips.ts";
import { type ChildProcess, spawn } from "../helpers/spawn.ts";
import { tempHome } from "../helpers/fixtures.ts";
import { accessTimeWorks, waitForRead, waitForSignalHandlers } from "../helpers/events.ts";
import {
  COMMANDS,
  comparable,
  expectedEvents,
  fileName,
  HAVE_SCRIPT,
  hostileSession,
  messageLine,
  metaLine,
  parseNdjson,
  richSession,
  runBytes,
  runOnTerminal,
  sessionId,
  strayControls,
  usageLine,
  writeLargeSession,
} from "../helpers/transcripts.ts";

const PROJECT = "/home/dev/tailing";
const RICH = sessionId("7a117a11");
const HOSTILE_ID = sessionId("bad0bad0");
const rich = richSession(RICH, PROJECT);

let home = "";
let work = "";
let cleanupHome = () => Promise.resolve();
let oneMetaHome = "";
let cleanupOneMeta = () => Promise.resolve();
before(async () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" first`);
  ({ home, cleanup: cleanupHome } = await tempHome([
    {
      cwd: PROJECT,
      name: fileName(RICH),
      lines: rich.text,
      mtimeMs: Date.parse("2026-10-01T13:00:00Z"),
    },
    {
      cwd: PROJECT,
      name: fileName(HOSTILE_ID),
      lines: hostileSession(HOSTILE_ID, PROJECT),
      mtimeMs: Date.parse("2026-09-01T13:00:00Z"),
    },
  ]));
  work = await mkdtemp(join(tmpdir(), "zot-tail-e2e-"));
  atime = await accessTimeWorks(work);
  const oneMeta = sessionId("0e19aaaa");
  ({ home: oneMetaHome, cleanup: cleanupOneMeta } = await tempHome([{
    cwd: "/home/dev/one-meta",
    name: fileName(oneMeta),
    lines: [
      metaLine({ id: oneMeta, cwd: "/home/dev/one-meta" }),
      say("user", "ONE"),
      usageLine({ input_tokens: 5, cost_usd: 0.002 }),
      say("assistant", "TWO"),
    ],
    mtimeMs: Date.parse("2026-10-01T13:00:00Z"),
  }]));
});
after(async () => {
  await cleanupHome();
  await cleanupOneMeta();
  await rm(work, { recursive: true, force: true });
});

function tail(args: string[], runtime?: "binary" | "deno" | "bun", env?: Record<string, string>) {
  return runBytes(["tail", "--home", home, "--cwd", PROJECT, ...args], { runtime, env });
}

const messagesOf = (out: string) => parseNdjson(out).filter((e) => e.type === "message");

describe("e2e: tail -n", () => {
  it("the last N messages with their tool results, indexed back from the end", () => {
    const r = tail([RICH, "-n", "3", "--json"]);
    assert.equal(r.code, 0, r.err);
    const all = comparable(expectedEvents(rich.text)).filter((e) => e.type === "message");
    const got = messagesOf(r.out);
    // The last three that are not tool results: 5 (with its result 6), 7, 8.
    assert.deepEqual(got.map((m) => m.index), [-4, -3, -2, -1]);
    assert.deepEqual(
      got.map((m) => m.blocks),
      all.slice(5).map((m) => m.blocks),
    );
    // The first printed turn's cost is its own, not the running total.
    const usage = parseNdjson(r.out).find((e) => e.type === "usage")!;
    assert.equal((usage.delta as { costUsd: number }).costUsd, 0.025);
  });

  it("defaults to 10, and prints the session's id and project first", () => {
    const r = tail([RICH]);
    assert.equal(r.code, 0, r.err);
    assert.ok(
      r.out.startsWith(`\n==> ${RICH} · ${PROJECT} · times in UTC <==\n`),
      r.out.slice(0, 200),
    );
    assert.equal(messagesOf(tail([RICH, "--json"]).out).length, 9, "all 9: fewer than 10 exist");
    assert.equal(messagesOf(tail(["--json", "-n", "1"]).out).length, 1, "latest by default");
  });

  it("reports damaged lines, without a line number it cannot know", () => {
    // The garbage line is line 14 of 19 and the cut last line 19, but tail
    // read only the end: counting lines from the top would mean reading all
    // of it, so `line` is null (show gives the numbers).
    const skipped = parseNdjson(tail([RICH, "-n", "3", "--json"]).out)
      .filter((e) => e.type === "skipped");
    assert.deepEqual(skipped.map((e) => [e.line, e.reason]), [
      [null, "not valid JSON"],
      [null, "truncated last line"],
    ]);
  });

  it("rejects -n -1, -n x, --raw with -f, and two references (exit 2)", () => {
    for (const bad of [["-n", "-1"], ["-n", "x"], ["--lines=-3"], ["-n", "+"]]) {
      const r = tail([RICH, ...bad]);
      assert.equal(r.code, 2, bad.join(" "));
      assert.match(r.err, /: expected a whole number ≥ 0 \(the last N messages\) or \+N/);
    }
    assert.equal(tail([RICH, "-f", "--raw"]).code, 2);
    assert.equal(tail([RICH, RICH]).code, 2);
    assert.equal(tail(["0000ffff"]).code, 1);
  });

  it("--raw prints the last lines as stored", () => {
    const r = tail([RICH, "-n", "1", "--raw"]);
    assert.equal(r.code, 0, r.err);
    const lines = rich.text.split("\n");
    assert.equal(r.out, lines.slice(-5).join("\n"), "usage row, reply, two renames, the cut line");
  });

  it("on a terminal, sends none of the transcript's control characters", {
    skip: needs("util-linux script", HAVE_SCRIPT),
  }, () => {
    for (const extra of [[], ["--raw"], ["--json"]]) {
      const r = runOnTerminal([
        "tail",
        HOSTILE_ID,
        "--home",
        home,
        "--cwd",
        PROJECT,
        "--no-pager",
        ...extra,
      ]);
      assert.equal(r.code, 0, r.out);
      assert.ok(r.out.includes("prompt"), r.out);
      assert.deepEqual(
        strayControls(r.stdout),
        [],
        `tail ${extra.join(" ")}: ${JSON.stringify(r.out)}`,
      );
    }
  });
});

describe("e2e: tail like GNU tail", () => {
  const showMessages = () => {
    const r = runBytes(["show", RICH, "--json", "--home", home, "--cwd", PROJECT]);
    assert.equal(r.code, 0, r.err);
    return messagesOf(r.out);
  };

  it("-n 0 prints no message, only the session's header", () => {
    const text = tail([RICH, "-n", "0"]);
    assert.equal(text.code, 0, text.err);
    assert.doesNotMatch(text.out, /^── /m);
    assert.ok(text.out.includes(`==> ${RICH} · ${PROJECT} · times in UTC <==`), text.out);
    const json = tail([RICH, "-n", "0", "--json"]);
    assert.deepEqual(messagesOf(json.out), []);
  });

  it("-N is -n N", () => {
    for (const n of ["1", "3", "5"]) {
      const short = tail([RICH, `-${n}`, "--json"]);
      assert.equal(short.code, 0, short.err);
      assert.equal(short.out, tail([RICH, "-n", n, "--json"]).out, `-${n}`);
      assert.ok(messagesOf(short.out).length >= Number(n));
    }
  });

  it("-n +N starts at message N counting from 1, numbered as show numbers them", () => {
    const all = showMessages();
    for (const n of [1, 3, 9, 10, 20]) {
      const r = tail([RICH, "-n", `+${n}`, "--json"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        messagesOf(r.out),
        all.filter((m) => (m.index as number) >= n - 1),
        `+${n}`,
      );
    }
    assert.equal(messagesOf(tail([RICH, "-n", "+1", "--json"]).out).length, all.length);
  });

  it("--json starts with the session's meta event, wherever reading starts", () => {
    for (const n of ["1", "3", "100", "+4", "0"]) {
      const events = parseNdjson(tail([RICH, "-n", n, "--json"]).out);
      assert.equal(events[0].type, "meta", `-n ${n}`);
      assert.equal(events[0].id, RICH);
      assert.equal(events[0].cwd, PROJECT);
      // The session's first meta line, and once: a later one is a model switch.
      assert.equal(events[0].model, "claude-sonnet-4-5");
      assert.ok(events.slice(1).every((e) => e.type !== "meta" || e.model === "gpt-5"), `-n ${n}`);
    }
  });

  it("prints no model switch for the session's first meta line; a real switch still shows", () => {
    // A session with one meta line (see before()): its model is no switch.
    const id = sessionId("0e19aaaa");
    const project = "/home/dev/one-meta";
    for (const n of ["100", "2", "1", "+1", "+2"]) {
      const r = runBytes(["tail", id, "-n", n, "--home", oneMetaHome, "--cwd", project]);
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.includes("TWO says hello"), r.out);
      assert.doesNotMatch(r.out, /⇄|model:/, `-n ${n}: ${r.out}`);
    }
    // The rich session switches to gpt-5 in the middle: shown once.
    const rich = tail([RICH, "-n", "100"]);
    assert.equal(rich.out.match(/⇄ model: /g)?.length, 1, rich.out);
    assert.match(rich.out, /⇄ model: gpt-5 \(openai\)/);
  });

  it("on zot's own sample, tail -n 100 prints no model switch line", {
    skip: samplesSkip,
  }, () => {
    const r = runBytes([
      "tail",
      "0e19291e",
      "-n",
      "100",
      "--home",
      samplesHome(),
      "--cwd",
      "/home/dev/project-a",
    ], { env: { ZOT_SESSIONS_NOW: SAMPLES_NOW } });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^── user · /m);
    assert.doesNotMatch(r.out, /⇄/);
  });

  it("--range with negative indices picks among tail's indices, reaching back past 10", () => {
    const pick = (range: string, ...more: string[]) => {
      const r = tail([RICH, "--json", "--range", range, ...more]);
      assert.equal(r.code, 0, r.err);
      return messagesOf(r.out).map((m) => m.index);
    };
    assert.deepEqual(pick("-3..-2"), [-3, -2]);
    assert.deepEqual(pick("-2.."), [-2, -1]);
    assert.deepEqual(pick("..-8"), [-9, -8]);
    // The same messages as show's --range, counted from the start.
    const all = showMessages();
    const r = tail([RICH, "--json", "--range=-4..-2"]);
    assert.deepEqual(
      messagesOf(r.out).map((m) => m.blocks),
      all.slice(-4, -1).map((m) => m.blocks),
    );
    // Within what -n read when -n is given.
    assert.deepEqual(pick("-9..", "-n", "1"), [-1]);
  });
});

describe("e2e: tail -n on a 50 MB session reads only its end", () => {
  const BIG_ID = sessionId("b1ab1ab1");
  let bigHome = "";
  let size = 0;
  let turns = 0;
  before(async () => {
    bigHome = join(work, "bighome");
    const dir = join(bigHome, "sessions", projectKey(PROJECT));
    await mkdir(dir, { recursive: true });
    ({ size, turns } = await writeLargeSession(join(dir, fileName(BIG_ID)), BIG_ID, PROJECT, 50e6));
  });

  const bigTail = (ref: string[], args: string[], runtime?: "binary" | "deno" | "bun") =>
    runBytes(["tail", "--home", bigHome, "--cwd", PROJECT, ...ref, ...args], {
      runtime,
      env: { ZOT_SESSIONS_STATS: "1" },
    });
  const bytesRead = (err: string) => {
    const m = /^zot-sessions: read (\d+) bytes of session files$/m.exec(err);
    assert.ok(m, `no stats line in: ${err}`);
    return Number(m[1]);
  };

  it("the last messages, right, from a few MB at most", () => {
    assert.ok(size >= 50e6);
    const outs: string[] = [];
    for (const runtime of ["binary", "deno", "bun"] as const) {
      const r = bigTail([], ["-n", "3", "--json"], runtime);
      outs.push(r.out);
      assert.equal(r.code, 0, `${runtime}: ${r.err}`);
      const read = bytesRead(r.err);
      assert.ok(read < 4e6, `${runtime} read ${read} of ${size} bytes`);
      const got = messagesOf(r.out);
      assert.deepEqual(got.map((m) => [m.index, m.role]), [
        [-4, "user"],
        [-3, "assistant"],
        [-2, "tool"],
        [-1, "assistant"],
      ]);
      assert.deepEqual(got[0].blocks, [{ type: "text", text: `prompt ${turns}` }]);
      assert.deepEqual(got[3].blocks, [{ type: "text", text: `reply ${turns}` }]);
    }
    assert.equal(outs[1], outs[0], "deno differs from the binary");
    assert.equal(outs[2], outs[0], "bun differs from the binary");
  });

  it("default 10, text and by id prefix: still only the end", () => {
    const r = bigTail(["b1ab"], []);
    assert.equal(r.code, 0, r.err);
    assert.ok(bytesRead(r.err) < 4e6, r.err);
    // 10 messages that are not tool results: the last three turns and one reply before them.
    assert.equal((r.out.match(/^── /gm) ?? []).length, 10);
    assert.ok(r.out.includes(`\nreply ${turns - 3}\n`));
    assert.ok(!r.out.includes(`prompt ${turns - 3}\n`));
  });

  it("by full session id: still only the end", () => {
    const r = bigTail([BIG_ID], ["-n", "1"]);
    assert.equal(r.code, 0, r.err);
    const read = bytesRead(r.err);
    assert.ok(read < 4e6, `tail ${BIG_ID} read ${read} of ${size} bytes`);
  });
});

// ---------------------------------------------------------------------------
// Following

/** A running `tail -f` and what it printed so far. */
interface Follower {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function startFollow(args: string[], runtime: keyof typeof COMMANDS = "binary"): Follower {
  const [cmd, ...pre] = COMMANDS[runtime];
  const child = spawn(cmd, [...pre, "tail", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => (out += d));
  child.stderr!.on("data", (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal }))
  );
  return { child, out: () => out, err: () => err, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a read moves a file's access time here (set in `before`). */
let atime = false;

/**
 * The follower tests wait for tail to have read a file through its access
 * time (events.ts): where reads do not move it, they cannot know, so they
 * are skipped (under CI, they fail: CI's file system keeps access times).
 */
function needsAccessTimes(t: { skip(message?: string): void }): boolean {
  if (atime) return true;
  skipNow(t, "needs access times that move on read (relatime)", { needs: true });
  return false;
}

/**
 * Waits until the follower has read `path` as it is now (its access time
 * moves): from then on, what it makes of those bytes is decided.
 */
async function followerReads(path: string, what: string): Promise<void> {
  await waitForRead(path, what);
}

/**
 * Waits until `f`'s output satisfies `ok`, checking each time it prints;
 * fails after `ms` (a bound for a hang, not a guess at how long it takes).
 */
async function waitFor(f: Follower, what: string, ok: (out: string) => boolean, ms = 8000) {
  for (let waited = 0; waited < ms; waited += 50) {
    if (ok(f.out())) return;
    if (f.child.exitCode !== null) break;
    await sleep(50);
  }
  if (ok(f.out())) return;
  assert.fail(`timed out waiting for ${what}; stdout:\n${f.out()}\nstderr:\n${f.err()}`);
}

/** Stops a follower with `signal` and returns how it ended (within 5 s). */
async function stop(f: Follower, signal: "SIGTERM" | "SIGINT") {
  // process.kill, not child.kill: Deno's child.kill reports the child as
  // killed by the signal whatever the child's real exit status is.
  process.kill(f.child.pid!, signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), 5000)));
  const end = await Promise.race([f.exited, timeout]);
  clearTimeout(timer);
  assert.ok(end, `did not end within 5 s of ${signal}`);
  return end;
}

function kill(f: Follower | null) {
  if (!f || f.child.exitCode !== null || f.child.signalCode !== null) return;
  try {
    process.kill(f.child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

const T = "2026-10-05T10:00:00Z";
const say = (role: string, marker: string) => messageLine(role, `${marker} says hello`, T);
const count = (out: string, s: string) => out.split(s).length - 1;

describe("e2e: tail -f", () => {
  it(
    "prints each appended message once, waits for a line's newline, survives truncation and replacement, ends on SIGTERM with 0",
    {
      timeout: 30_000,
    },
    async (t) => {
      if (!needsAccessTimes(t)) return;
      const dir = join(work, "follow");
      await mkdir(dir, { recursive: true });
      const path = join(dir, "live.jsonl");
      const id = sessionId("f011f011");
      await writeFile(
        path,
        [metaLine({ id, cwd: PROJECT }), say("user", "MSG-1"), say("assistant", "MSG-2")].map((l) =>
          l + "\n"
        ).join(""),
      );
      let f: Follower | null = null;
      try {
        f = startFollow([path, "-f", "--home", home]);
        await waitFor(f, "the first two messages", (o) => o.includes("MSG-2"));

        // Half a line, a pause, the rest: printed once, when complete.
        const line3 = usageLine({ input_tokens: 5, cost_usd: 0.002 }) + "\n" +
          say("assistant", "MSG-3");
        const cut = line3.length - 20;
        await appendFile(path, line3.slice(0, cut));
        // Once tail has read the half line, it must print nothing of it:
        // the checks at the end (each message once, in order, nothing
        // skipped as damaged) see anything it made of it.
        await followerReads(path, "a half-written line");
        await appendFile(path, line3.slice(cut) + "\n");
        await waitFor(f, "the completed third message", (o) => o.includes("MSG-3"));
        await appendFile(path, say("user", "MSG-4").slice(0, 30));
        await followerReads(path, "the first 30 bytes of MSG-4");
        await appendFile(
          path,
          say("user", "MSG-4").slice(30) + "\n" + say("assistant", "MSG-5") + "\n",
        );
        await waitFor(f, "messages 4 and 5", (o) => o.includes("MSG-5"));

        // Truncated, then written again from the start.
        await truncate(path, 0);
        await waitFor(f, "the truncation notice", (o) => /truncated/.test(o));
        await appendFile(
          path,
          [metaLine({ id, cwd: PROJECT }), say("user", "MSG-6")].map((l) => l + "\n").join(""),
        );
        await waitFor(f, "the message after truncation", (o) => o.includes("MSG-6"));

        // Replaced by a rename, as an editor or a rotation does.
        const next = join(dir, "next.tmp");
        await writeFile(
          next,
          [metaLine({ id, cwd: PROJECT }), say("user", "MSG-7")].map((l) => l + "\n").join(""),
        );
        await rename(next, path);
        await waitFor(f, "the replaced file's message", (o) => o.includes("MSG-7"));
        await appendFile(path, say("assistant", "MSG-8") + "\n");
        await waitFor(f, "a message appended to the replacement", (o) => o.includes("MSG-8"));

        const end = await stop(f, "SIGTERM");
        assert.deepEqual(end, { code: 0, signal: null }, f.err());
        const out = f.out();
        const markers = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `MSG-${n} says hello`);
        for (const m of markers) {
          assert.equal(
            count(out, m),
            1,
            `${m} printed ${count(out, m)} times:\n${out}`,
          );
        }
        const at = markers.map((m) => out.indexOf(m));
        assert.deepEqual([...at].sort((a, b) => a - b), at, `out of order:\n${out}`);
        assert.match(out, /the file was truncated/);
        assert.match(out, /the file was replaced/);
        assert.ok(out.indexOf("truncated") < at[5] && out.indexOf("replaced") < at[6]);
        assert.doesNotMatch(out, /skipped/, "no half line was read as damaged");
        // GNU tail's words, on stderr; a replacement is only the line above.
        assert.equal(f.err(), `zot-sessions: ${path}: file truncated\n`);
      } finally {
        kill(f);
      }
    },
  );

  it(
    "--json follows as NDJSON events, indices going on from -1",
    { timeout: 15_000 },
    async (t) => {
      if (!needsAccessTimes(t)) return;
      const path = join(work, "follow-json.jsonl");
      const id = sessionId("f011f012");
      // zot is writing J-2 when tail starts: its first half is there, unterminated.
      const j2 = say("user", "J-2");
      await writeFile(
        path,
        [metaLine({ id, cwd: PROJECT }), say("user", "J-0"), say("assistant", "J-1")]
          .map((l) => l + "\n").join("") + j2.slice(0, 40),
      );
      let f: Follower | null = null;
      try {
        f = startFollow([path, "-f", "-n", "1", "--json"]);
        await waitFor(f, "the last message", (o) => o.includes("J-1"));
        await followerReads(path, "the half-written J-2");
        await appendFile(path, j2.slice(40) + "\n" + say("assistant", "J-3").slice(0, 50));
        await waitFor(f, "the completed message", (o) => o.includes("J-2"));
        await followerReads(path, "the first 50 bytes of J-3");
        await appendFile(path, say("assistant", "J-3").slice(50) + "\n");
        await waitFor(f, "the appended message", (o) => o.includes("J-3"));
        const end = await stop(f, "SIGINT");
        assert.deepEqual(end, { code: 0, signal: null }, f.err());
        const events = parseNdjson(f.out());
        assert.deepEqual(
          events.map((e) => e.type === "message" ? [e.index, e.role, e.blocks] : [e.type]),
          [
            ["meta"],
            [-1, "assistant", [{ type: "text", text: "J-1 says hello" }]],
            [0, "user", [{ type: "text", text: "J-2 says hello" }]],
            [1, "assistant", [{ type: "text", text: "J-3 says hello" }]],
          ],
          "no skipped event for the half-written lines",
        );
      } finally {
        kill(f);
      }
    },
  );

  it(
    "--json: a truncated and a replaced file are events of their own, then the file's events again",
    { timeout: 20_000 },
    async (t) => {
      if (!needsAccessTimes(t)) return;
      const dir = join(work, "follow-json-restart");
      await mkdir(dir, { recursive: true });
      const path = join(dir, "live.jsonl");
      const id = sessionId("f011f013");
      const file = (...lines: string[]) => lines.map((l) => l + "\n").join("");
      await writeFile(path, file(metaLine({ id, cwd: PROJECT }), say("user", "R-1")));
      let f: Follower | null = null;
      try {
        f = startFollow([path, "-f", "--json"]);
        await waitFor(f, "the first message", (o) => o.includes("R-1"));
        await truncate(path, 0);
        await waitFor(f, "the truncated event", (o) => o.includes('"type":"truncated"'));
        await waitFor(f, "the notice on stderr", () => f!.err().includes("file truncated"));
        await appendFile(path, file(metaLine({ id, cwd: PROJECT }), say("user", "R-2")));
        await waitFor(f, "the message after truncation", (o) => o.includes("R-2"));
        const next = join(dir, "next.tmp");
        await writeFile(
          next,
          file(metaLine({ id, cwd: PROJECT, model: "gpt-5" }), say("user", "R-3")),
        );
        await rename(next, path);
        await waitFor(f, "the replacement's message", (o) => o.includes("R-3"));
        const end = await stop(f, "SIGTERM");
        assert.deepEqual(end, { code: 0, signal: null }, f.err());
        const events = parseNdjson(f.out());
        assert.deepEqual(
          events.map((e) =>
            e.type === "message"
              ? [e.index, (e.blocks as { text: string }[])[0].text]
              : e.type === "meta"
              ? ["meta", e.model]
              : [e.type, e.path]
          ),
          [
            ["meta", "claude-sonnet-4-5"],
            [-1, "R-1 says hello"],
            ["truncated", path],
            ["meta", "claude-sonnet-4-5"],
            [0, "R-2 says hello"],
            ["replaced", path],
            ["meta", "gpt-5"],
            [0, "R-3 says hello"],
          ],
        );
        assert.equal(f.err(), `zot-sessions: ${path}: file truncated\n`, "once, and only it");
      } finally {
        kill(f);
      }
    },
  );

  for (const runtime of ["binary", "deno", "bun"] as const) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it(`${runtime}: ${signal} ends -f cleanly with status 0`, { timeout: 15_000 }, async () => {
        let f: Follower | null = null;
        try {
          f = startFollow(["--home", home, "--cwd", PROJECT, RICH, "-f", "-n", "1"], runtime);
          await waitFor(f, "the last message", (o) => o.includes("All done."), 10_000);
          // Following once it catches the signals.
          assert.ok(
            await waitForSignalHandlers(f.child.pid!, ["SIGINT", "SIGTERM"]),
            "/proc/PID/status tells when the handlers are in (Linux)",
          );
          const end = await stop(f, signal);
          assert.deepEqual(end, { code: 0, signal: null }, f.err());
          assert.equal(f.err(), "");
        } finally {
          kill(f);
        }
      });
    }
  }

  it(
    "-f -n 0 prints exactly the messages appended after it started",
    { timeout: 20_000 },
    async () => {
      const path = join(work, "follow-zero.jsonl");
      const id = sessionId("f0110000");
      await writeFile(
        path,
        [
          metaLine({ id, cwd: PROJECT }),
          say("user", "OLD-1"),
          usageLine({ input_tokens: 5, cost_usd: 0.25 }),
          say("assistant", "OLD-2"),
        ].map((l) => l + "\n").join(""),
      );
      let f: Follower | null = null;
      try {
        f = startFollow([path, "-f", "-n", "0", "--json"]);
        // The meta event is written once the start is fixed: from then on,
        // whatever is appended is "after it started".
        await waitFor(f, "the meta event", (o) => o.includes('"type":"meta"'));
        await appendFile(
          path,
          [
            say("user", "NEW-1"),
            usageLine({ input_tokens: 9, cost_usd: 0.75 }),
            say("assistant", "NEW-2"),
          ].map((l) => l + "\n").join(""),
        );
        await waitFor(f, "the two appended messages", (o) => o.includes("NEW-2"));
        const end = await stop(f, "SIGTERM");
        assert.deepEqual(end, { code: 0, signal: null }, f.err());
        const events = parseNdjson(f.out());
        assert.deepEqual(
          events.map((e) => e.type === "message" ? [e.index, e.role, e.blocks] : [e.type]),
          [
            ["meta"],
            [0, "user", [{ type: "text", text: "NEW-1 says hello" }]],
            ["usage"],
            [1, "assistant", [{ type: "text", text: "NEW-2 says hello" }]],
          ],
        );
        // The appended turn's own cost: the baseline is the usage row before.
        const usage = events.find((e) => e.type === "usage")!;
        assert.equal((usage.delta as { costUsd: number }).costUsd, 0.5);
      } finally {
        kill(f);
      }
    },
  );

  it("-F follows as -f does", { timeout: 20_000 }, async () => {
    const path = join(work, "follow-F.jsonl");
    const id = sessionId("f011ffff");
    await writeFile(
      path,
      [metaLine({ id, cwd: PROJECT }), say("user", "F-1")].map((l) => l + "\n").join(""),
    );
    let f: Follower | null = null;
    try {
      f = startFollow([path, "-F"]);
      await waitFor(f, "the first message", (o) => o.includes("F-1 says"));
      await appendFile(path, say("assistant", "F-2") + "\n");
      await waitFor(f, "the appended message", (o) => o.includes("F-2 says"));
      const end = await stop(f, "SIGTERM");
      assert.deepEqual(end, { code: 0, signal: null }, f.err());
    } finally {
      kill(f);
    }
  });

  it("--follow-latest in a project with no session yet waits for the first one", {
    timeout: 20_000,
  }, async () => {
    const project = "/home/dev/not-yet";
    const id = sessionId("f1125700");
    const h = await tempHome([]);
    let f: Follower | null = null;
    try {
      f = startFollow(["--home", h.home, "--cwd", project, "--follow-latest"]);
      await waitFor(f, "the waiting note", (o) => o.includes("waiting"));
      assert.match(f.out(), /no session yet for \/home\/dev\/not-yet/);
      // zot creates the project's directory with its first session.
      const dir = join(h.home, "sessions", projectKey(project));
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, fileName(id, "20261005-100000")),
        [metaLine({ id, cwd: project }), say("user", "FIRST-1")].map((l) => l + "\n").join(""),
      );
      await waitFor(f, "the first session's message", (o) => o.includes("FIRST-1"));
      await appendFile(
        join(dir, fileName(id, "20261005-100000")),
        say("assistant", "FIRST-2") + "\n",
      );
      await waitFor(f, "a message appended to it", (o) => o.includes("FIRST-2"));
      const end = await stop(f, "SIGTERM");
      assert.deepEqual(end, { code: 0, signal: null }, f.err());
      const out = f.out();
      assert.ok(out.indexOf(`==> ${id} · ${project} <==`) < out.indexOf("FIRST-1"), out);
      assert.doesNotMatch(out, /⇄/, "the session's meta is its header, no model switch");
      assert.equal(f.err(), "");
    } finally {
      kill(f);
      await h.cleanup();
    }
  });

  it("--follow-latest switches to a newer session of the project, with a separator", {
    timeout: 20_000,
  }, async () => {
    const project = "/home/dev/switching";
    const first = sessionId("1a7e1a7e");
    const second = sessionId("2a7e2a7e");
    const h = await tempHome([{
      cwd: project,
      name: fileName(first, "20261005-090000"),
      lines: [metaLine({ id: first, cwd: project }), say("user", "OLD-1")],
      mtimeMs: fsNow() - 60_000,
    }]);
    let f: Follower | null = null;
    try {
      f = startFollow(["--home", h.home, "--cwd", project, "--follow-latest"]);
      await waitFor(f, "the first session", (o) => o.includes("OLD-1"));
      const firstPath = join(
        h.home,
        "sessions",
        projectKey(project),
        fileName(first, "20261005-090000"),
      );
      await appendFile(firstPath, say("assistant", "OLD-2") + "\n");
      await waitFor(f, "a message appended to the first session", (o) => o.includes("OLD-2"));
      const secondPath = join(
        h.home,
        "sessions",
        projectKey(project),
        fileName(second, "20261005-100000"),
      );
      await writeFile(
        secondPath,
        [metaLine({ id: second, cwd: project }), say("user", "NEW-1")].map((l) => l + "\n").join(
          "",
        ),
      );
      const later = (fsNow() + 5_000) / 1000;
      await utimes(secondPath, later, later);
      await waitFor(f, "the newer session", (o) => o.includes("NEW-1"));
      await appendFile(secondPath, say("assistant", "NEW-2") + "\n");
      await waitFor(f, "a message appended to the newer session", (o) => o.includes("NEW-2"));
      const end = await stop(f, "SIGTERM");
      assert.deepEqual(end, { code: 0, signal: null }, f.err());
      const out = f.out();
      const sep = out.indexOf(`--- a newer session started: ${second} ---`);
      assert.ok(sep !== -1, out);
      assert.ok(out.indexOf("OLD-2") < sep && sep < out.indexOf("NEW-1"), out);
      for (const m of ["OLD-1", "OLD-2", "NEW-1", "NEW-2"]) {
        assert.equal(count(out, `${m} says`), 1, out);
      }
    } finally {
      kill(f);
      await h.cleanup();
    }
  });
});
