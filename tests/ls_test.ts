// deno-lint-ignore-file no-control-regex -- these tests look for control characters on purpose
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../lib/cli.ts";
import { memoryIO } from "../lib/io.ts";
import { displayWidth } from "../lib/render/width.ts";
import {
  type FixtureSession,
  messageLine,
  metaLine,
  renameLine,
  simpleSession,
  tempHome,
} from "./helpers/fixtures.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const HOUR = 3_600_000;
const A = "/home/dev/alpha";
const B = "/home/dev/βeta";

const ID1 = "11111111-1111-4111-8111-111111111111";
const ID2 = "22222222-2222-4222-8222-222222222222";
const ID3 = "33333333-3333-4333-8333-333333333333";
const ID4 = "44444444-4444-4444-8444-444444444444";
const ID5 = "55555555-5555-4555-8555-555555555555";

function session(
  id: string,
  cwd: string,
  hoursAgo: number,
  lines: string[],
): FixtureSession {
  return {
    cwd,
    name: `20260922-120509-${id.slice(0, 8)}.jsonl`,
    lines,
    mtimeMs: NOW - hoursAgo * HOUR,
  };
}

/** Runs the CLI in-process; returns exit code, stdout, stderr. */
async function cli(
  args: string[],
  opts: { tty?: boolean; columns?: number; env?: Record<string, string> } = {},
) {
  const io = memoryIO({
    now: NOW,
    processCwd: A,
    env: { ...opts.env },
    tty: opts.tty,
    columns: opts.columns,
  });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

async function withHome<T>(
  sessions: FixtureSession[],
  fn: (home: string) => Promise<T>,
): Promise<T> {
  const h = await tempHome(sessions);
  try {
    return await fn(h.home);
  } finally {
    await h.cleanup();
  }
}

const basic = () => [
  session(ID1, A, 5, simpleSession(ID1, A, "first prompt of one", 0.5)),
  session(ID2, A, 1, [...simpleSession(ID2, A, "second", 2), renameLine("Renamed two")]),
  session(ID3, B, 3, simpleSession(ID3, B, "in beta", 0.25)),
  session(ID4, A, 2, [metaLine({ id: ID4, cwd: A })]),
];

describe("ls", () => {
  it("lists this project's sessions newest first, with title or first prompt", async () => {
    await withHome(basic(), async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", A]);
      assert.equal(r.code, 0);
      assert.equal(r.err, "");
      const lines = r.out.trimEnd().split("\n");
      assert.match(lines[0], /^ID\s+UPDATED\s+MSGS\s+COST\s+MODEL\s+TITLE$/);
      assert.equal(lines.length, 4);
      assert.match(lines[1], /^22222222\s+1h ago\s+2\s+\$2\.00\s+claude-sonnet-4-5\s+Renamed two$/);
      assert.match(lines[2], /^44444444\s+2h ago\s+0\s+-\s+claude-sonnet-4-5\s+\(empty session\)$/);
      assert.match(
        lines[3],
        /^11111111\s+5h ago\s+2\s+\$0\.50\s+claude-sonnet-4-5\s+first prompt of one$/,
      );
    });
  });

  it("--all lists every project with its cwd, across projects newest first", async () => {
    await withHome(basic(), async (home) => {
      const r = await cli(["--home", home, "ls", "--all"]);
      assert.equal(r.code, 0);
      const ids = r.out.trimEnd().split("\n").slice(1).map((l) => l.split(/\s+/)[0]);
      assert.deepEqual(ids, ["22222222", "44444444", "33333333", "11111111"]);
      assert.match(r.out, /PROJECT/);
      assert.match(r.out, /\/home\/dev\/βeta\s+in beta/);
    });
  });

  it("orders equal modification times by full path, descending", async () => {
    const s = [
      { ...session(ID1, A, 1, simpleSession(ID1, A, "x")), name: "20260101-000000-aaaaaaaa.jsonl" },
      { ...session(ID2, A, 1, simpleSession(ID2, A, "y")), name: "20260101-000000-bbbbbbbb.jsonl" },
    ];
    await withHome(s, async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", A, "--json"]);
      assert.deepEqual(JSON.parse(r.out).map((x: { id: string }) => x.id), [ID2, ID1]);
    });
  });

  it("--json prints exactly the documented fields", async () => {
    await withHome(basic(), async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", A, "--json"]);
      const list = JSON.parse(r.out);
      assert.equal(list.length, 3);
      assert.deepEqual(Object.keys(list[0]), [
        "id",
        "shortId",
        "path",
        "cwd",
        "dir",
        "started",
        "updated",
        "model",
        "provider",
        "title",
        "firstPrompt",
        "messages",
        "bytes",
        "usage",
        "parent",
        "forkPoint",
        "empty",
        "damagedLines",
      ]);
      assert.deepEqual(list[0].usage, {
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 2,
      });
      assert.equal(list[0].title, "Renamed two");
      assert.equal(list[0].firstPrompt, "second");
      assert.equal(list[0].updated, new Date(NOW - HOUR).toISOString());
      assert.equal(list[0].started, "2026-09-22T12:05:09.776051448Z");
      assert.equal(list[1].empty, true);
      assert.equal(list[1].firstPrompt, null);
      assert.equal(list[2].dir.length, 16);
    });
  });

  it("--ndjson prints one object per line", async () => {
    await withHome(basic(), async (home) => {
      const r = await cli(["ls", "--home", home, "--all", "--ndjson"]);
      const lines = r.out.trimEnd().split("\n");
      assert.equal(lines.length, 4);
      for (const l of lines) assert.equal(typeof JSON.parse(l).id, "string");
    });
  });

  it("filters by --since, --until, --model and cuts with --limit", async () => {
    const s = [
      ...basic(),
      session(ID5, A, 30, [
        metaLine({ id: ID5, cwd: A, model: "gpt-5", provider: "openai" }),
        messageLine("user", "old one"),
      ]),
    ];
    await withHome(s, async (home) => {
      const ids = async (...args: string[]) =>
        JSON.parse((await cli(["ls", "--home", home, "--all", "--json", ...args])).out)
          .map((x: { shortId: string }) => x.shortId);
      assert.deepEqual(await ids("--since", "150m"), ["22222222", "44444444"]);
      assert.deepEqual(await ids("--until", "4h"), ["11111111", "55555555"]);
      assert.deepEqual(await ids("--since", "2026-11-25T00:00:00Z"), [
        "22222222",
        "44444444",
        "33333333",
        "11111111",
      ]);
      assert.deepEqual(await ids("--model", "OPENAI"), ["55555555"]);
      assert.deepEqual(await ids("--model", "sonnet", "--limit", "2"), ["22222222", "44444444"]);
    });
  });

  it("--sort orders biggest first and --reverse flips it", async () => {
    await withHome(basic(), async (home) => {
      const ids = async (...args: string[]) =>
        JSON.parse((await cli(["ls", "--home", home, "--all", "--json", ...args])).out)
          .map((x: { shortId: string }) => x.shortId);
      assert.deepEqual(await ids("--sort", "cost"), [
        "22222222",
        "11111111",
        "33333333",
        "44444444",
      ]);
      assert.deepEqual(await ids("--sort", "cost", "--reverse"), [
        "44444444",
        "33333333",
        "11111111",
        "22222222",
      ]);
      assert.deepEqual((await ids("--sort", "messages")).slice(-1), ["44444444"]);
      assert.deepEqual((await ids("--sort", "size"))[0], "22222222");
    });
  });

  it("--tree puts forks under their parent, and an orphan fork at the root", async () => {
    const fork = (id: string, parent: string, hoursAgo: number) =>
      session(id, A, hoursAgo, [
        metaLine({ id, cwd: A, parent, fork_point: 1 }),
        messageLine("user", `fork ${id.slice(0, 1)}`),
      ]);
    const s = [
      session(ID1, A, 9, simpleSession(ID1, A, "root")),
      fork(ID2, ID1, 1), // child of 1
      fork(ID3, ID2, 2), // grandchild
      fork(ID4, "99999999-9999-4999-8999-999999999999", 3), // parent file gone
    ];
    await withHome(s, async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", A, "--tree"]);
      const ids = r.out.trimEnd().split("\n").slice(1).map((l) => /^\s*(└ )?\S+/.exec(l)![0]);
      assert.deepEqual(ids, ["44444444", "11111111", "└ 22222222", "  └ 33333333"]);
      const json = JSON.parse(
        (await cli(["ls", "--home", home, "--cwd", A, "--tree", "--json"])).out,
      );
      assert.deepEqual(json.map((x: { parent: string | null }) => x.parent?.slice(0, 1) ?? null), [
        "9",
        null,
        "1",
        "2",
      ]);
      assert.equal(json[2].forkPoint, 1);
    });
  });

  it("reports damaged files on stderr and still lists everything else", async () => {
    const truncated = simpleSession(ID2, A, "cut short").join("\n") +
      '\n{"type":"message","message":{"role":"ass';
    const s: FixtureSession[] = [
      session(ID1, A, 1, [
        ...simpleSession(ID1, A, "garbage inside"),
        "this is not json",
        messageLine("user", "after"),
      ]),
      { ...session(ID2, A, 2, []), lines: truncated },
      { ...session(ID3, A, 3, []), lines: "\x00\x01\xff\xfe binary junk \x89PNG\r\n\x1a\n" },
      session(ID4, A, 4, simpleSession(ID4, A, "healthy")),
    ];
    await withHome(s, async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", A, "--json"]);
      assert.equal(r.code, 0);
      const list = JSON.parse(r.out);
      assert.deepEqual(list.map((x: { shortId: string }) => x.shortId), [
        "11111111",
        "22222222",
        "44444444",
      ]);
      assert.equal(list[0].damagedLines, 1);
      assert.equal(list[0].messages, 3);
      assert.equal(list[1].damagedLines, 1);
      assert.equal(list[1].messages, 2);
      assert.equal(list[2].damagedLines, 0);
      const warnings = r.err.trimEnd().split("\n");
      assert.equal(warnings.length, 3, r.err);
      assert.match(
        warnings[0],
        /^zot-sessions: warning: Cannot read line 5 of ".*11111111\.jsonl": not valid JSON; skipped the line$/,
      );
      assert.match(
        warnings[1],
        /^zot-sessions: warning: Cannot read line 5 of ".*22222222\.jsonl": truncated last line/,
      );
      assert.match(
        warnings[2],
        /^zot-sessions: warning: Cannot read ".*33333333\.jsonl": no meta line/,
      );
    });
  });

  it("says where it looked when the project has no sessions, and suggests --all", async () => {
    await withHome(basic(), async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", "/elsewhere"]);
      assert.equal(r.code, 0);
      assert.equal(r.out, "");
      assert.match(
        r.err,
        /^No zot sessions for "\/elsewhere" \(looked in ".*\/sessions\/[0-9a-f]{16}"\)\.\n4 sessions in other projects: try "zot-sessions ls --all"\.\n$/,
      );
    });
  });

  it("prints [] for --json when nothing is found", async () => {
    await withHome([], async (home) => {
      const r = await cli(["ls", "--home", home, "--json"]);
      assert.equal(r.code, 0);
      assert.equal(r.out, "[]\n");
    });
  });

  it("never writes a transcript's control characters to the terminal", async () => {
    const s = [session(ID1, A, 1, [
      ...simpleSession(ID1, A, "x"),
      renameLine("evil \x1b]52;c;aGk=\x07 \x1b[2J title\u202e"),
    ])];
    await withHome(s, async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", A], {
        tty: true,
        env: { NO_COLOR: "1" },
      });
      assert.ok(!/[\x00-\x08\x0b-\x1f\x7f\x9b]/.test(r.out), JSON.stringify(r.out));
      assert.match(r.out, /evil ␛\]52;c;aGk=␇ ␛\[2J title\\u\{202e\}/);
    });
  });

  it("cuts titles to the terminal width, measuring CJK and emoji as two columns", async () => {
    const long = "日本語のタイトル🚀".repeat(12);
    const s = [session(ID1, A, 1, [...simpleSession(ID1, A, "x"), renameLine(long)])];
    await withHome(s, async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", A], {
        tty: true,
        columns: 70,
        env: { NO_COLOR: "1" },
      });
      for (const line of r.out.trimEnd().split("\n")) assert.ok(displayWidth(line) <= 70, line);
      assert.match(r.out, /…$/m);
    });
  });

  it("colours only on a terminal without NO_COLOR or --no-color", async () => {
    await withHome(basic(), async (home) => {
      const args = ["ls", "--home", home, "--cwd", A];
      assert.match((await cli(args, { tty: true })).out, /\x1b\[/);
      assert.doesNotMatch((await cli(args, { tty: true, env: { NO_COLOR: "1" } })).out, /\x1b\[/);
      assert.doesNotMatch((await cli([...args, "--no-color"], { tty: true })).out, /\x1b\[/);
      assert.doesNotMatch((await cli(args)).out, /\x1b\[/);
    });
  });
});

describe("cli", () => {
  const usage = [
    [
      ["ls", "--bogus"],
      /^zot-sessions: Cannot use option "--bogus": unknown option \(see "zot-sessions ls --help"\)\n$/,
    ],
    [["ls", "--limit"], /Cannot use option "--limit": it needs a value/],
    [["ls", "--limit", "0"], /Cannot parse --limit "0": expected a whole number ≥ 1/],
    [["ls", "--since", "yesterday"], /Cannot parse --since "yesterday"/],
    [["ls", "--sort", "name"], /Cannot parse --sort "name": expected one of updated, started/],
    [["ls", "extra"], /Cannot use argument "extra": this command takes none/],
    [
      ["frobnicate"],
      /^zot-sessions: Cannot run "frobnicate": unknown command \(see "zot-sessions --help"\)\n$/,
    ],
  ] as const;
  for (const [args, message] of usage) {
    it(`exits 2 with one line for: ${args.join(" ")}`, async () => {
      const r = await cli([...args]);
      assert.equal(r.code, 2);
      assert.equal(r.out, "");
      assert.match(r.err, message);
      assert.equal(r.err.split("\n").length, 2);
    });
  }

  it("prints help for the tool and for each verb, exit 0", async () => {
    for (const args of [["--help"], ["-h"], [], ["help"], ["help", "ls"], ["ls", "--help"]]) {
      const r = await cli(args);
      assert.equal(r.code, 0, args.join(" "));
      assert.match(r.out, /Usage: zot-sessions/);
      assert.match(r.out, /--home DIR/);
    }
    assert.match((await cli(["ls", "-h"])).out, /--since WHEN/);
  });

  it("--version prints the version", async () => {
    const r = await cli(["--version"]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^zot-sessions \d+\.\d+\.\d+\n$/);
  });

  it("finds the project from $ZOT_HOME and --cwd, with or without a trailing slash", async () => {
    await withHome(basic(), async (home) => {
      const r = await cli(["ls", "--cwd", A + "/", "--json"], { env: { ZOT_HOME: home } });
      assert.equal(JSON.parse(r.out).length, 3);
    });
  });
});
