// deno-lint-ignore-file no-control-regex -- these tests look for control characters on purpose
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../lib/cli/run.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { displayWidth } from "../../lib/render/width.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import {
  type FixtureSession,
  messageLine,
  metaLine,
  renameLine,
  simpleSession,
  tempHome,
  usageLine,
} from "../helpers/fixtures.ts";
import { cliWith } from "../helpers/cli.ts";

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

const cli = cliWith({ now: NOW, processCwd: A });

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
      assert.match(lines[0], /^ID\s+UPDATED\s+MSGS\s+SPEND\s+MODEL\s+TITLE$/);
      assert.equal(lines.length, 4);
      assert.match(lines[1], /^22222222\s+1h ago\s+2\s+\$2\.00\s+claude-sonnet-4-5\s+Renamed two$/);
      assert.match(
        lines[2],
        /^44444444\s+2h ago\s+0\s+\$0\.00\s+claude-sonnet-4-5\s+\(empty session\)$/,
      );
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
        "spend",
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
      assert.deepEqual(list[0].spend, {
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 2,
        unpricedTokens: 0,
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
        /^No zot sessions for "\/elsewhere" \(looked in ".*\/sessions\/[0-9a-f]{16}"\)\.\n4 sessions in other projects: try "zot-sessions ls --all --home \/\S+ --cwd \/elsewhere"\.\n$/,
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

describe("ls on a narrow terminal", () => {
  const LONG = "/home/developer/projects/some-client/a-rather-long-project-name";
  const wide = () => [
    session(ID1, LONG, 1, [
      ...simpleSession(ID1, LONG, "a first prompt long enough to be cut on any terminal"),
      renameLine("a title long enough to be cut on any terminal at all, surely"),
    ]),
    session(ID2, A, 2, [
      metaLine({ id: ID2, cwd: A, model: "claude-sonnet-4-5-20250929-extended", provider: "x" }),
      messageLine("user", "short"),
    ]),
  ];
  const fits = (out: string, columns: number) => {
    for (const line of out.trimEnd().split("\n")) {
      assert.ok(displayWidth(line) <= columns, `${displayWidth(line)} > ${columns}: ${line}`);
    }
  };

  it("at 60 columns no row wraps: MSGS and MODEL go, PROJECT shortens, ID and TITLE stay", async () => {
    await withHome(wide(), async (home) => {
      const r = await cli(["ls", "--home", home, "--all"], {
        tty: true,
        columns: 60,
        env: { NO_COLOR: "1" },
      });
      assert.equal(r.code, 0, r.err);
      fits(r.out, 60);
      const [header, first] = r.out.split("\n");
      assert.match(header, /^ID\s+UPDATED\s+SPEND\s+PROJECT\s+TITLE$/);
      assert.match(first, /^11111111 .* …[\w-]*project-name {2}a title long.*…$/);
    });
  });

  it("shortens MODEL before it leaves out any column, and keeps every row in the width", async () => {
    await withHome(wide(), async (home) => {
      for (const columns of [100, 80, 70, 60, 50, 40, 30]) {
        for (const all of [[], ["--all"]]) {
          const r = await cli(["ls", "--home", home, "--cwd", A, ...all], {
            tty: true,
            columns,
            env: { NO_COLOR: "1" },
          });
          fits(r.out, columns);
          assert.match(r.out, /^ID\s+/, `${columns}`);
          assert.match(r.out.split("\n")[0], /TITLE$/, `${columns}`);
        }
      }
      const r = await cli(["ls", "--home", home, "--cwd", A], { tty: true, columns: 60 });
      assert.match(r.out, /MODEL/);
      // claude- goes before the version is cut (issue 22, item 9).
      assert.match(r.out, / sonnet-4-5-20250929-… /);
      assert.doesNotMatch(r.out, /claude-sonn/);
    });
  });

  it("uses COLUMNS when the output is not a terminal, and no limit without it", async () => {
    await withHome(wide(), async (home) => {
      const narrow = await cli(["ls", "--home", home, "--all"], { env: { COLUMNS: "60" } });
      fits(narrow.out, 60);
      const pipe = await cli(["ls", "--home", home, "--all"]);
      assert.match(pipe.out, /^ID\s+UPDATED\s+MSGS\s+SPEND\s+MODEL\s+PROJECT\s+TITLE$/m);
      assert.ok(pipe.out.includes("…/a-rather-long-project-name"), pipe.out);
      assert.ok(pipe.out.includes("a title long enough to be cut on any terminal at all, surely"));
    });
  });
});

describe("ls warnings", () => {
  const damaged = () => [
    session(ID1, A, 1, simpleSession(ID1, A, "healthy in alpha")),
    session(ID2, B, 2, [...simpleSession(ID2, B, "damaged in beta"), "{not json"]),
    session(ID3, A, 3, [
      metaLine({ id: ID3, cwd: A, model: "gpt-5", provider: "openai" }),
      messageLine("user", "damaged in alpha"),
      "{not json either",
    ]),
  ];
  const warned = (err: string) => err.split("\n").filter((l) => l.includes("warning:"));

  it("warns about a damaged file only when it is in scope", async () => {
    await withHome(damaged(), async (home) => {
      const alpha = await cli(["ls", "--home", home, "--cwd", A]);
      assert.equal(alpha.code, 0);
      assert.deepEqual(warned(alpha.err).length, 1, alpha.err);
      assert.match(alpha.err, /33333333\.jsonl/);
      assert.doesNotMatch(alpha.err, /22222222/, "beta's file is not in alpha's scope");
      const sonnet = await cli(["ls", "--home", home, "--cwd", A, "--model", "sonnet"]);
      assert.equal(sonnet.err, "", "the gpt-5 session is filtered out: no warning about it");
      const all = await cli(["ls", "--home", home, "--all"]);
      assert.equal(warned(all.err).length, 2, all.err);
    });
  });

  it("warns once per run, even when a file is met twice", async () => {
    await withHome(damaged(), async (home) => {
      const r = await cli(["ls", "--home", home, "--home", home, "--all"]);
      assert.equal(warned(r.err).length, 2, r.err);
    });
  });

  it("--quiet and -q, before or after the verb, silence the warnings but not the output", async () => {
    await withHome(damaged(), async (home) => {
      const loud = await cli(["ls", "--home", home, "--all"]);
      for (const args of [["ls", "--quiet"], ["ls", "-q"], ["-q", "ls"]]) {
        const r = await cli([...args, "--home", home, "--all"]);
        assert.equal(r.code, 0);
        assert.equal(r.err, "", args.join(" "));
        assert.equal(r.out, loud.out);
      }
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
    [["ls", "--since", "next week"], /Cannot parse --since "next week"/],
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
      // The global options: in the tool's help, or pointed to from a verb's.
      assert.match(r.out, /--home DIR|zot-sessions help global/);
    }
    assert.match((await cli(["help", "global"])).out, /--home DIR/);
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

describe("ls: recorded usage and spend", () => {
  // P spends $1 (100 in). F forks P at message 2: its first usage row is the
  // copy of P's, then it spends $0.50 more (cumulative $1.50, 150 in). L is
  // a model with no price: 40 tokens at $0.
  const P = ID1;
  const F = ID2;
  const L = ID3;
  const forks = () => [
    session(P, A, 3, [
      metaLine({ id: P, cwd: A }),
      messageLine("user", "parent"),
      usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: 1 }),
      messageLine("assistant", "ok"),
    ]),
    session(F, A, 2, [
      metaLine({ id: F, cwd: A, parent: P, fork_point: 2 }),
      messageLine("user", "parent"),
      usageLine({ input_tokens: 100, output_tokens: 10, cost_usd: 1 }),
      messageLine("assistant", "ok"),
      messageLine("user", "fork"),
      usageLine({ input_tokens: 150, output_tokens: 20, cost_usd: 1.5 }),
      messageLine("assistant", "ok"),
    ]),
    session(L, B, 1, [
      metaLine({ id: L, cwd: B, model: "local-llama", provider: "ollama" }),
      messageLine("user", "local"),
      usageLine({ input_tokens: 30, output_tokens: 10, cost_usd: 0 }),
      messageLine("assistant", "ok"),
    ]),
  ];

  it("usage stays as zot recorded it; spend is the session's own, as cost counts it", async () => {
    await withHome(forks(), async (home) => {
      const list = JSON.parse((await cli(["ls", "--home", home, "--all", "--json"])).out);
      const byId = new Map(list.map((s: { id: string }) => [s.id, s]));
      const fork = byId.get(F) as Record<string, Record<string, number>>;
      assert.deepEqual(fork.usage, {
        inputTokens: 150,
        outputTokens: 20,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 1.5,
      });
      assert.deepEqual(fork.spend, {
        inputTokens: 50,
        outputTokens: 10,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.5,
        unpricedTokens: 0,
      });
      const local = byId.get(L) as Record<string, Record<string, number>>;
      assert.equal(local.spend.costUsd, 0);
      assert.equal(local.spend.unpricedTokens, 40);

      const cost = JSON.parse((await cli(["cost", "--home", home, "--all", "--json"])).out);
      const nanos = (x: number) => Math.round(x * 1e9);
      const spent = list.reduce(
        (sum: number, s: { spend: { costUsd: number } }) => sum + nanos(s.spend.costUsd),
        0,
      );
      assert.equal(spent, nanos(cost.total.costUsd));
      const recorded = list.reduce(
        (sum: number, s: { usage: { costUsd: number } }) => sum + nanos(s.usage.costUsd),
        0,
      );
      assert.notEqual(recorded, spent, "the recorded totals count the fork's copy twice");
      for (const k of ["inputTokens", "outputTokens", "unpricedTokens"]) {
        assert.equal(
          list.reduce((sum: number, s: { spend: Record<string, number> }) => sum + s.spend[k], 0),
          cost.total[k],
          k,
        );
      }
    });
  });

  it("the table's SPEND column and --sort cost use the spend, in the one money format", async () => {
    await withHome(forks(), async (home) => {
      const r = await cli(["ls", "--home", home, "--all", "--sort", "cost"]);
      const lines = r.out.trimEnd().split("\n");
      assert.match(lines[0], /^ID\s+UPDATED\s+MSGS\s+SPEND\s+MODEL\s+PROJECT\s+TITLE$/);
      assert.match(lines[1], /^11111111\s+3h ago\s+2\s+\$1\.00\s/);
      assert.match(lines[2], /^22222222\s+2h ago\s+4\s+\$0\.50\s/);
      assert.match(lines[3], /^33333333\s+1h ago\s+2\s+unpriced\s/);
    });
  });

  it("JSON money has no float noise: zot's 0.11493300000000001 is 0.114933", async () => {
    const s = [session(ID1, A, 1, [
      metaLine({ id: ID1, cwd: A }),
      messageLine("user", "q"),
      usageLine({ input_tokens: 10, cost_usd: 0.1 }),
      messageLine("assistant", "a"),
      messageLine("user", "q"),
      // As zot's float sum writes it.
      usageLine({ input_tokens: 20, cost_usd: 0.11493300000000001 }),
      messageLine("assistant", "a"),
    ])];
    await withHome(s, async (home) => {
      const r = await cli(["ls", "--home", home, "--cwd", A, "--json"]);
      assert.ok(!/\.\d{10,}/.test(r.out), r.out);
      const [one] = JSON.parse(r.out);
      assert.equal(one.usage.costUsd, 0.114933);
      assert.equal(one.spend.costUsd, 0.114933);
      const nd = await cli(["ls", "--home", home, "--cwd", A, "--ndjson"]);
      assert.ok(!/\.\d{10,}/.test(nd.out), nd.out);
      const show = await cli(["show", "--home", home, "--cwd", A, "--json"]);
      assert.ok(!/\.\d{10,}/.test(show.out), show.out);
      const usage = show.out.trimEnd().split("\n").map((l) => JSON.parse(l))
        .filter((e) => e.type === "usage");
      assert.deepEqual(usage.map((e) => [e.delta.costUsd, e.cumulative.costUsd]), [
        [0.1, 0.1],
        [0.014933, 0.114933],
      ]);
    });
  });

  it("marks the decomposed one of two projects that differ only in normalisation", async () => {
    const nfc = "/home/dev/ünïcode proj".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    const s = [
      session(ID1, nfc, 1, simpleSession(ID1, nfc, "composed")),
      session(ID2, nfd, 2, simpleSession(ID2, nfd, "decomposed")),
    ];
    await withHome(s, async (home) => {
      const r = await cli(["ls", "--home", home, "--all"]);
      const rows = r.out.trimEnd().split("\n").slice(1);
      assert.ok(rows[0].includes(nfc + "  ") && !rows[0].includes("(NFD)"), rows[0]);
      assert.ok(rows[1].includes(nfd + " (NFD)"), rows[1]);
      // JSON keeps the paths as they are.
      const j = JSON.parse((await cli(["ls", "--home", home, "--all", "--json"])).out);
      assert.deepEqual(j.map((x: { cwd: string }) => x.cwd), [nfc, nfd]);
    });
  });

  it("--tz and --utc set the zone of --since dates", async () => {
    // Sessions last active at 2026-11-24T23:30Z and 2026-11-25T00:30Z.
    const s = [
      session(ID1, A, 12.5, simpleSession(ID1, A, "late on the 24th (UTC)")),
      session(ID2, A, 11.5, simpleSession(ID2, A, "early on the 25th (UTC)")),
    ];
    await withHome(s, async (home) => {
      const ids = async (...args: string[]) =>
        JSON.parse((await cli(["ls", "--home", home, "--cwd", A, "--json", ...args])).out)
          .map((x: { shortId: string }) => x.shortId);
      assert.deepEqual(await ids("--since", "2026-11-25", "--utc"), ["22222222"]);
      // In Berlin both are on the 25th (00:30 and 01:30).
      assert.deepEqual(await ids("--since", "2026-11-25", "--tz", "Europe/Berlin"), [
        "22222222",
        "11111111",
      ]);
      const bad = await cli(["ls", "--home", home, "--tz", "Nowhere/Atall"]);
      assert.equal(bad.code, 2);
    });
  });
});

describe("a damaged .gz", () => {
  it("is named once in ls's warning", async () => {
    const h = await tempHome([{
      cwd: "/p",
      name: "20260922-120509-deadbeef.jsonl.gz",
      lines: "not gzip\n",
      mtimeMs: NOW,
    }]);
    try {
      const io = memoryIO({ now: NOW });
      assert.equal(await runCli(["ls", "--all", "--home", h.home], io), 0);
      const path = join(h.home, "sessions", projectKey("/p"), "20260922-120509-deadbeef.jsonl.gz");
      assert.equal(
        io.err().split("\n")[0],
        `zot-sessions: warning: Cannot read "${path}": not a valid gzip file (damaged or cut short); skipped it`,
      );
      assert.equal(io.err().split(path).length, 2, "the path once");
    } finally {
      await h.cleanup();
    }
  });
});

describe("terminal safety of ids and JSON", () => {
  it("ls shows a hostile session id without its escape sequences", async () => {
    const id = "\x1b[2J\x1b]0;PWN\x07-x";
    const h = await tempHome([{
      cwd: "/p",
      name: "20260922-120509-abcdabcd.jsonl",
      lines: [metaLine({ id, cwd: "/p" }), messageLine("user", "hi")],
      mtimeMs: NOW,
    }]);
    try {
      const io = memoryIO({ now: NOW, tty: true, env: { NO_COLOR: "1" } });
      assert.equal(await runCli(["ls", "--home", h.home, "--cwd", "/p"], io), 0);
      assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(io.out()), JSON.stringify(io.out()));
      const json = memoryIO({ now: NOW, tty: true });
      await runCli(["ls", "--home", h.home, "--cwd", "/p", "--json"], json);
      assert.equal(JSON.parse(json.out())[0].id, id); // the same JSON value
    } finally {
      await h.cleanup();
    }
  });
});

describe("ls with nothing to show", () => {
  it("does not count this project's own files as other projects'", async () => {
    const h = await tempHome([
      { cwd: "/p", name: "20260922-120509-aaaaaaaa.jsonl", lines: "garbage\n", mtimeMs: NOW },
      {
        cwd: "/q",
        name: "20260922-120509-bbbbbbbb.jsonl",
        lines: simpleSession("b", "/q", "x"),
        mtimeMs: NOW,
      },
    ]);
    try {
      const io = memoryIO({ now: NOW, env: {} });
      assert.equal(await runCli(["ls", "--home", h.home, "--cwd", "/p"], io), 0);
      assert.match(io.err(), /\n1 session in other projects/);
    } finally {
      await h.cleanup();
    }
  });
});
