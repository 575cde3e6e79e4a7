/**
 * End-to-end tests of hostile files (issue 9, items 4, 5, 6 and 10), each
 * generated here: a line nesting 50k levels, a session file swapped for a
 * FIFO or a link to /dev/zero while a verb runs, a config that never ends,
 * a 50 MB line of tool output, millions of blank and junk lines, and a .gz
 * that expands past its bound. A hang fails by the run's timeout.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createWriteStream } from "node:fs";
import {
  link,
  mkdir,
  mkdtemp,
  open,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { projectKey } from "../../lib/sessions/home.ts";
import { BIN } from "./harness.ts";
import { pausePoint } from "../helpers/pause.ts";
import { fsNow } from "../helpers/clock.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram, spawn, spawnSync } from "../helpers/spawn.ts";
import {
  fileName,
  messageLine,
  metaLine,
  parseNdjson,
  peakRssKiB,
  runBytes,
  sessionId,
  TIME,
  usageLine,
} from "../helpers/transcripts.ts";

const CWD = "/home/dev/hostile";
const KEY = projectKey(CWD);
const T = (s: number) => `2026-10-05T10:00:${String(s).padStart(2, "0")}Z`;

let work = "";
before(async () => {
  work = await mkdtemp(join(tmpdir(), "zot-hostile-"));
});
after(() => rm(work, { recursive: true, force: true }));

/** A fresh home under the work directory; returns it and its project directory. */
async function freshHome(name: string): Promise<{ home: string; dir: string }> {
  const home = join(work, name);
  const dir = join(home, "sessions", KEY);
  await mkdir(dir, { recursive: true });
  return { home, dir };
}

/** Writes a session's lines (strings end with "\n" added) and sets its mtime. */
async function writeSession(path: string, lines: string[], mtimeMs: number): Promise<void> {
  await writeFile(path, lines.map((l) => l + "\n").join(""));
  await utimes(path, mtimeMs / 1000, mtimeMs / 1000);
}

/** A small session: a prompt, a usage row, a reply. */
function small(id: string, prompt: string): string[] {
  return [
    metaLine({ id, cwd: CWD }),
    messageLine("user", prompt, T(1)),
    usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: 0.25 }),
    messageLine("assistant", "ok", T(2)),
  ];
}

/** Runs the binary; a run longer than `timeoutMs` is killed, which fails the test. */
function runBin(
  args: string[],
  timeoutMs = 60_000,
): { code: number | null; out: string; err: string } {
  const r = spawnSync(BIN, args, {
    maxBuffer: 256 << 20,
    timeout: timeoutMs,
    stdio: ["ignore", "pipe", "pipe"],
  });
  assert.equal(r.signal, null, `${args.join(" ")} did not end within ${timeoutMs} ms`);
  return { code: r.status, out: r.stdout.toString("utf8"), err: r.stderr.toString("utf8") };
}

// ---------------------------------------------------------------------------
// Item 4: deep nesting

describe("e2e: a tool call whose arguments nest 50,000 levels", () => {
  const id = sessionId("dee90001");
  let path = "";
  let home = "";
  const LEVELS = 50_000;

  before(async () => {
    const h = await freshHome("deep");
    home = h.home;
    path = join(h.dir, fileName(id));
    // A valid ~100 kB line, between two ordinary messages.
    const deep = '{"type":"message","message":{"role":"assistant","content":[' +
      `{"id":"c1","name":"bash","arguments":${"[".repeat(LEVELS)}${"]".repeat(LEVELS)}}],` +
      `"time":"${T(3)}"}}`;
    await writeSession(path, [
      metaLine({ id, cwd: CWD }),
      messageLine("user", "before the deep line", T(1)),
      deep,
      messageLine("assistant", "after the deep line", T(4)),
    ], Date.parse("2026-10-05T11:00:00Z"));
  });

  for (const mode of [[], ["--markdown"], ["--full"], ["--json"]]) {
    it(`show ${mode.join(" ") || "(text)"} prints it with its arguments cut, and the rest`, () => {
      const r = runBin(["show", path, ...mode]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, "");
      assert.ok(r.out.includes("after the deep line"), r.out.slice(-300));
      if (mode[0] === "--json") {
        const call = parseNdjson(r.out).flatMap((e) => (e.blocks as { type: string }[]) ?? [])
          .find((b) => b.type === "tool_call") as Record<string, unknown>;
        assert.equal(call.argumentsCut, true);
        // Cut where the nesting passes the limit of 512 levels.
        assert.equal(call.arguments, "[".repeat(512));
      } else {
        assert.ok(r.out.includes("[".repeat(300)), "the start of the arguments is shown");
        assert.ok(!r.out.includes("[".repeat(513)), "they are cut at 512 levels");
      }
    });
  }

  it("tail prints it and the rest", () => {
    const r = runBin(["tail", path]);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes("after the deep line"));
  });

  it("show --json is the same from the binary, Deno and Bun (no runtime's stack decides)", () => {
    const outs = (["binary", "deno", "bun"] as const).map((runtime) => {
      const r = runBytes(["show", path, "--json"], { runtime });
      assert.equal(r.code, 0, `${runtime}: signal ${r.signal} ${r.err}`);
      return r.out;
    });
    assert.equal(outs[1], outs[0], "deno differs");
    assert.equal(outs[2], outs[0], "bun differs");
  });

  it("ls and cost count its messages", () => {
    const ls = runBin(["ls", "--home", home, "--all", "--json"]);
    assert.equal(ls.code, 0, ls.err);
    assert.equal(JSON.parse(ls.out)[0].messages, 3);
    const cost = runBin(["cost", "--home", home, "--all"]);
    assert.equal(cost.code, 0, cost.err);
  });
});

// ---------------------------------------------------------------------------
// Item 5: a file swapped for a FIFO or a link to /dev/zero

/** A run of the binary that a test can act on while it runs. */
function startBin(args: string[], env: Record<string, string> = {}) {
  const child = spawn(BIN, args, { stdio: ["ignore", "pipe", "pipe"], env });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, 30_000);
  const done = new Promise<{ code: number | null; out: string; err: string; timedOut: boolean }>(
    (resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, out, err, timedOut });
      });
    },
  );
  return { child, done };
}

const HAVE_MKFIFO = hasProgram("mkfifo");

/**
 * Whether reading a file here updates its access time (relatime does when
 * the access time is older than the change time): how a test knows that
 * a file was read before it was swapped.
 */
async function accessTimeWorks(): Promise<boolean> {
  const probe = join(work, "atime-probe");
  await writeFile(probe, "x");
  await utimes(probe, 1_000_000, fsNow() / 1000);
  await readFile(probe);
  return (await stat(probe)).atimeMs > 1_000_000_000;
}

describe("e2e: a session file swapped while a verb runs", {
  skip: needs("mkfifo", HAVE_MKFIFO),
}, () => {
  const NOW = Date.parse("2026-10-05T12:00:00Z");
  const firstId = sessionId("51000001");
  const victimId = sessionId("f1f0f1f0");
  const otherId = sessionId("0e0e0e0e");
  const emptyId = sessionId("e0e0e0e0");
  let atime = false;
  let attempts = 0;

  before(async () => {
    atime = await accessTimeWorks();
  });

  /** A fresh home: a first session, the victim, then two more that must still be listed. */
  async function swapHome() {
    const { home, dir } = await freshHome(`swap-${++attempts}`);
    await writeSession(join(dir, fileName(firstId)), small(firstId, "first"), NOW);
    const victim = join(dir, fileName(victimId));
    await writeSession(victim, small(victimId, "the victim"), NOW - 50_000);
    await utimes(victim, 1_000_000, (NOW - 50_000) / 1000); // an old access time
    await writeSession(join(dir, fileName(otherId)), small(otherId, "still here"), NOW - 60_000);
    await writeSession(
      join(dir, fileName(emptyId)),
      [metaLine({ id: emptyId, cwd: CWD })],
      NOW - 70_000,
    );
    return { home, victim };
  }

  /**
   * Runs the verb, stopping it where it is about to open its first session
   * file (it has listed them all: the pause point \`open\`), swaps the
   * victim for \`kind\` there, and lets it go on.
   */
  async function runWithSwap(verb: string[], kind: "fifo" | "zero") {
    const { home, victim } = await swapHome();
    const pause = pausePoint(work, "open", `open-${attempts}`);
    const run = startBin([...verb, "--home", home], { ZOT_SESSIONS_TEST_PAUSE: pause.spec });
    assert.equal(await pause.reached(run.child), "open", "the run never opened a session");
    const tmp = `${victim}.tmp`;
    if (kind === "fifo") assert.equal(spawnSync("mkfifo", [tmp]).status, 0);
    else await symlink("/dev/zero", tmp);
    const original = `${victim}.orig`;
    await link(victim, original); // keeps the file, to see whether it was read
    await rename(tmp, victim);
    await pause.resume();
    const r = await run.done;
    assert.ok(!r.timedOut, `${verb.join(" ")} hung with a ${kind} in place of a session`);
    if (atime) assert.ok((await stat(original)).atimeMs <= 1_000_000_000, "read before the swap");
    return { ...r, victim };
  }

  const refusal = (kind: "fifo" | "zero") =>
    kind === "fifo" ? "not a regular file (a FIFO)" : "a symbolic link (not followed)";

  for (const kind of ["fifo", "zero"] as const) {
    const what = kind === "fifo" ? "a FIFO" : "a link to /dev/zero";

    it(`ls warns about ${what} in place of a session, and lists the others`, async () => {
      const r = await runWithSwap(["ls", "--all", "--json"], kind);
      assert.equal(r.code, 0, r.err);
      const warning = r.err.split("\n").filter((l) => l.includes(r.victim));
      assert.equal(warning.length, 1, r.err);
      assert.ok(warning[0].includes(refusal(kind)), warning[0]);
      const ids = (JSON.parse(r.out) as { id: string }[]).map((s) => s.id);
      assert.ok(ids.includes(otherId) && ids.includes(emptyId), ids.join(" "));
      assert.ok(!ids.includes(victimId));
    });

    it(`cost warns about ${what} in place of a session, and counts the others`, async () => {
      const r = await runWithSwap(["cost", "--all", "--json"], kind);
      assert.equal(r.code, 0, r.err);
      const warning = r.err.split("\n").filter((l) => l.includes(r.victim));
      assert.equal(warning.length, 1, r.err);
      assert.ok(warning[0].includes(refusal(kind)), warning[0]);
      assert.equal(JSON.parse(r.out).total.costUsd, 0.5); // the turns of "first" and "still here"
    });

    it(`gc --empty ends with ${what} in place of a session, and finds the empty one`, async () => {
      const r = await runWithSwap(["gc", "--empty", "--json"], kind);
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.includes(emptyId), r.out);
      assert.ok(!r.out.includes(victimId), r.out);
    });
  }
});

// ---------------------------------------------------------------------------
// Item 5: the config file

describe("e2e: a config that is not a small regular file", () => {
  let home = "";
  before(async () => {
    ({ home } = await freshHome("config"));
  });
  const gc = (config: string) => runBin(["gc", "--home", home, "--config", config, "--empty"]);

  it("/dev/zero is refused at once, not read", () => {
    const r = gc("/dev/zero");
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /Cannot read config "\/dev\/zero": not a regular file \(a character device\)/,
    );
  });

  it(
    "a FIFO is refused without waiting for a writer",
    { skip: needs("mkfifo", HAVE_MKFIFO) },
    () => {
      const fifo = join(work, "config.fifo");
      assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
      const r = gc(fifo);
      assert.equal(r.code, 2);
      assert.ok(r.err.includes(`Cannot read config "${fifo}": not a regular file (a FIFO)`), r.err);
    },
  );

  it("a file over 1 MiB is refused", async () => {
    const big = join(work, "big.jsonc");
    await writeFile(big, `{"gc":{}}${" ".repeat(1 << 20)}`);
    const r = gc(big);
    assert.equal(r.code, 2);
    assert.ok(r.err.includes(`Cannot read config "${big}": larger than 1 MiB`), r.err);
  });

  it("200,000 nested brackets are refused with where, not a stack overflow", async () => {
    const deep = join(work, "deep.jsonc");
    await writeFile(deep, `{"gc":${"[".repeat(200_000)}${"]".repeat(200_000)}}`);
    const r = gc(deep);
    assert.equal(r.code, 2);
    assert.ok(
      r.err.includes(
        `Cannot read config "${deep}": line 1, column 106: nested deeper than 100 levels`,
      ),
      r.err,
    );
  });

  it("a link to a config is followed (dotfiles are often links)", async () => {
    const real = join(work, "real.jsonc");
    await writeFile(real, '{"gc":{"empty":true}}');
    const link = join(work, "link.jsonc");
    await symlink(real, link);
    const r = runBin(["gc", "--home", home, "--config", link]);
    assert.equal(r.code, 0, r.err);
  });
});

// ---------------------------------------------------------------------------
// Item 5: a path the user names

describe("e2e: a session named by a path that is a link", () => {
  it("show reads the file the link leads to", async () => {
    const { dir } = await freshHome("named");
    const id = sessionId("11a11a11");
    const real = join(dir, fileName(id));
    await writeSession(real, small(id, "through a link"), fsNow());
    const link = join(work, "named-link.jsonl");
    await symlink(real, link);
    const r = runBin(["show", link, "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes("through a link"));
  });
});

// ---------------------------------------------------------------------------
// Item 6: a 50 MB line of tool output without a newline

describe("e2e: a tool result holding one 50 MB line", () => {
  const id = sessionId("50505050");
  const LINE = 50_000_000;
  let path = "";

  before(async () => {
    const { dir } = await freshHome("long");
    path = join(dir, fileName(id));
    const fh = await open(path, "w");
    try {
      await fh.write(metaLine({ id, cwd: CWD }) + "\n");
      await fh.write(
        messageLine(
          "assistant",
          [{ id: "c1", name: "bash", arguments: { command: "cat x" } }],
          T(1),
        ) +
          "\n",
      );
      // The result's text: "first", the 50 MB line, then "line 3" … "line 30".
      await fh.write(
        '{"type":"message","message":{"role":"tool","content":[{"call_id":"c1","content":[{"text":"first\\n',
      );
      const piece = "0123456789".repeat(100_000);
      for (let done = 0; done < LINE; done += piece.length) await fh.write(piece);
      const rest = Array.from({ length: 28 }, (_, i) => `line ${i + 3}`).join("\\n");
      await fh.write(`\\n${rest}"}],"is_error":false}],"time":"${T(2)}"}}\n`);
      await fh.write(messageLine("assistant", "done reading", T(3)) + "\n");
    } finally {
      await fh.close();
    }
  });

  it("show prints the result's own lines: the long one whole, then the cut", () => {
    const r = runBin(["show", path]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    const result = lines.filter((l) => l.startsWith("   │ "));
    assert.deepEqual(result.map((l) => l.length), [
      "   │ first".length,
      "   │ ".length + LINE,
      ...Array.from({ length: 18 }, (_, i) => `   │ line ${i + 3}`.length),
    ]);
    assert.ok(result[1].endsWith("0123456789"));
    assert.ok(r.out.includes("   … 10 more lines\n"));
    assert.ok(r.out.includes("done reading"));
  });

  it("--json gives the text whole", () => {
    const r = runBin(["show", path, "--json", "--role", "tool"]);
    assert.equal(r.code, 0, r.err);
    const text = (parseNdjson(r.out)[1].blocks as { content: { text: string }[] }[])[0].content[0]
      .text;
    assert.equal(text.split("\n").length, 30);
    assert.equal(text.split("\n")[1].length, LINE);
  });

  for (const mode of [[], ["--markdown"], ["--json"]]) {
    it(`show ${mode.join(" ") || "(text)"} peaks under 100 MiB`, {
      skip: needs("/usr/bin/time (GNU time)", TIME !== null),
    }, () => {
      const peak = peakRssKiB(["show", path, ...mode]);
      assert.ok(peak < 100 * 1024, `peak RSS ${(peak / 1024).toFixed(1)} MiB`);
    });
  }
});

// ---------------------------------------------------------------------------
// Item 10: many short lines, and a .gz that expands past its bound

describe("e2e: millions of blank and junk lines", () => {
  const id = sessionId("b1a4b1a4");
  const BLANK = 2_000_000;
  const JUNK = 1_000_000;
  let home = "";
  let path = "";

  before(async () => {
    const h = await freshHome("short");
    home = h.home;
    path = join(h.dir, fileName(id));
    const fh = await open(path, "w");
    try {
      await fh.write(metaLine({ id, cwd: CWD }) + "\n");
      await fh.write(messageLine("user", "before the junk", T(1)) + "\n");
      await fh.write("\n".repeat(BLANK));
      // Base64-like junk, and a few blank lines among it.
      let block = "";
      for (let i = 0; i < JUNK; i++) {
        block += `Zm9v${i.toString(36)}YmFy\n${i % 1000 === 0 ? "\n" : ""}`;
        if (block.length > 1 << 20) {
          await fh.write(block);
          block = "";
        }
      }
      await fh.write(block);
      await fh.write(messageLine("assistant", "after the junk", T(2)) + "\n");
    } finally {
      await fh.close();
    }
  });

  it("ls counts the junk as damaged and the two messages", () => {
    const r = runBin(["ls", "--home", home, "--all", "--json"]);
    assert.equal(r.code, 0, r.err);
    const [s] = JSON.parse(r.out);
    assert.equal(s.messages, 2);
    assert.equal(s.damagedLines, JUNK);
    assert.ok(
      r.err.includes(`Cannot read ${JUNK} lines of "${path}" (first: line ${BLANK + 3}`),
      r.err,
    );
  });

  it("show prints one marker for the run of junk, not a million", () => {
    const r = runBin(["show", path]);
    assert.equal(r.code, 0, r.err);
    assert.ok(
      r.out.includes(
        `[${JUNK.toLocaleString("en-US")} lines skipped from line ${BLANK + 3}: not valid JSON]`,
      ),
      r.out,
    );
    assert.equal(r.out.match(/^\[.*skipped.*\]$/gm)?.length, 1, "one marker");
    assert.ok(r.out.includes("after the junk"));
  });

  it("show --json gives one skipped event with its count", () => {
    const r = runBin(["show", path, "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(parseNdjson(r.out).filter((e) => e.type === "skipped"), [
      { type: "skipped", line: BLANK + 3, reason: "not valid JSON", count: JUNK },
    ]);
  });
});

describe("e2e: a .gz that expands to more than 100 million lines", () => {
  const bombId = sessionId("b0b0b0b0");
  const okId = sessionId("00c00c00");
  let home = "";
  let bomb = "";

  before(async () => {
    const h = await freshHome("gz");
    home = h.home;
    bomb = join(h.dir, fileName(bombId) + ".gz");
    // 110 million newlines after a meta line: ~110 KB compressed.
    const gzip = createGzip();
    const out = createWriteStream(bomb);
    const done = new Promise<void>((resolve, reject) => {
      out.on("finish", resolve);
      out.on("error", reject);
    });
    gzip.pipe(out);
    gzip.write(metaLine({ id: bombId, cwd: CWD }) + "\n");
    const block = new Uint8Array(1 << 20).fill(0x0a);
    for (let i = 0; i < 105; i++) {
      if (!gzip.write(block)) await new Promise((r) => gzip.once("drain", r));
    }
    gzip.end();
    await done;
    await writeSession(join(h.dir, fileName(okId)), small(okId, "beside the bomb"), fsNow());
  });

  it("ls stops reading it with a warning that names it, and lists the rest", () => {
    const r = runBin(["ls", "--home", home, "--all", "--json"]);
    assert.equal(r.code, 0, r.err);
    const warning = r.err.split("\n").filter((l) => l.includes(bomb));
    assert.equal(warning.length, 1, r.err);
    assert.ok(warning[0].includes("expands to more than 100 million lines"), warning[0]);
    assert.deepEqual((JSON.parse(r.out) as { id: string }[]).map((s) => s.id), [okId]);
  });

  it("show says so and exits 1", () => {
    const r = runBin(["show", bomb]);
    assert.equal(r.code, 1);
    assert.ok(r.err.includes(`"${bomb}": it expands to more than 100 million lines`), r.err);
  });
});
