/**
 * Tests of `show --html` in-process (lib/commands/html_output.ts): its
 * flags, the header made from the session summary, `-o`, the refusal to
 * write a page to a terminal, and `--redact-paths` and its defaults for
 * every form.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { span } from "../../lib/render/session_header.ts";
import { messageLine, metaLine, renameLine, tempHome, usageLine } from "../helpers/fixtures.ts";
import { markupProblems } from "../helpers/html_check.ts";
import { runIn } from "../helpers/cli.ts";

const USER_HOME = "/home/dev";
const CWD = "/home/dev/alpha";
const ID = "0e19291e-c841-4742-bbcc-90199e65f26e";
const NOW = Date.parse("2026-11-25T12:00:00Z");

const LINES = [
  metaLine({ id: ID, cwd: CWD, started: "2026-09-22T12:05:09Z", version: "0.1.60" }),
  messageLine("user", "fix the build in /home/dev/alpha <now>", "2026-09-22T12:05:30Z"),
  usageLine({ input_tokens: 1200, output_tokens: 50, cost_usd: 0.5 }),
  messageLine("assistant", [{ text: "running" }, {
    id: "c1",
    name: "bash",
    arguments: { command: "make -C /home/dev/alpha" },
  }], "2026-09-22T12:05:31Z"),
  messageLine(
    "tool",
    [{ call_id: "c1", content: [{ text: "ok" }], is_error: false }],
    "2026-09-22T12:07:40Z",
  ),
  metaLine({
    id: ID,
    cwd: CWD,
    model: "gpt-5",
    provider: "openai",
    started: "2026-09-22T12:05:09Z",
  }),
  renameLine("build fix"),
];

/** Runs the CLI in-process on a home holding LINES; `work` is the process cwd. */
async function cli(args: string[], o: { tty?: boolean; work?: string } = {}) {
  const h = await tempHome([{
    cwd: CWD,
    name: "20260922-120509-0e19291e.jsonl",
    lines: LINES,
    mtimeMs: NOW,
  }]);
  try {
    return await runIn([...args, "--home", h.home, "--cwd", CWD], {
      now: NOW,
      processCwd: o.work ?? "/",
      tty: o.tty ?? false,
      userHome: USER_HOME,
      env: { PAGER: "cat", NO_COLOR: "1", TZ: "UTC" },
    });
  } finally {
    await h.cleanup();
  }
}

describe("show --html: flags", () => {
  const bad: [string[], RegExp][] = [
    [["-o", "x.html"], /Cannot use -o without --html/],
    [["--max-image-bytes", "1MB"], /Cannot use --max-image-bytes without --html/],
    [["--html", "--markdown"], /Cannot combine --html with --raw, --markdown or --json/],
    [["--html", "--json"], /Cannot combine --html with --raw, --markdown or --json/],
    [["--html", "--raw"], /Cannot combine --html with --raw, --markdown or --json/],
    [["--html", "--max-image-bytes", "lots"], /Cannot parse --max-image-bytes "lots"/],
    [["--redact-paths", "--no-redact-paths"], /Cannot use --redact-paths with --no-redact-paths/],
    [["--redact-paths", "--raw"], /Cannot use --redact-paths with --raw/],
  ];
  for (const [args, message] of bad) {
    it(`${args.join(" ")} is a usage error`, async () => {
      const r = await cli(["show", ...args]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
    });
  }

  it("a page is not written to a terminal", async () => {
    const r = await cli(["show", "--html"], { tty: true });
    assert.equal(r.code, 2);
    assert.match(r.err, /Cannot write a page to a terminal: give -o FILE or redirect the output/);
  });
});

describe("show --html: the page", () => {
  it("has a header from the session summary and only the renderer's markup", async () => {
    const r = await cli(["show", "--html"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(markupProblems(r.out), []);
    assert.ok(r.out.includes("<h1>build fix</h1>"));
    for (
      const [k, v] of [
        ["Project", "~/alpha"],
        ["Model", "claude-sonnet-4-5 (anthropic) → gpt-5 (openai)"],
        ["Started", "2026-09-22 12:05:09 UTC"],
        ["Duration", "2m 10s"], // the messages' span (12:05:30 to 12:07:40), not from the start
        ["Messages", "3"],
        ["Cost", "$0.50 · 1.20k in · 50 out"],
        ["Session", ID],
        ["zot", "0.1.58"], // the latest meta line's, as the text header says
      ]
    ) assert.ok(r.out.includes(`<dt>${k}</dt><dd>${v}</dd>`), `${k}: ${v}`);
  });

  it("shows the home as ~ by default, everywhere; --no-redact-paths keeps it", async () => {
    const page = (await cli(["show", "--html"])).out;
    assert.ok(!page.includes("/home/dev"));
    assert.ok(page.includes("fix the build in ~/alpha &lt;now&gt;"));
    assert.ok(page.includes("<code>make -C ~/alpha</code>"));
    const kept = (await cli(["show", "--html", "--no-redact-paths"])).out;
    assert.ok(kept.includes("<dt>Project</dt><dd>/home/dev/alpha</dd>"));
    assert.ok(kept.includes("<code>make -C /home/dev/alpha</code>"));
  });

  it("-o writes the page to a file, relative to the working directory, and nothing to stdout", async () => {
    const work = await mkdtemp(join(tmpdir(), "zot-html-"));
    try {
      const r = await cli(["show", "--html", "-o", "page.html"], { work });
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, "");
      const page = await readFile(join(work, "page.html"), "utf8");
      assert.ok(page.startsWith("<!DOCTYPE html>") && page.endsWith("</html>\n"));
      assert.deepEqual(await readdir(work), ["page.html"]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it("-o - is standard output", async () => {
    const r = await cli(["show", "--html", "-o", "-"]);
    assert.ok(r.out.startsWith("<!DOCTYPE html>"));
  });

  it("-o into a directory that does not exist fails with one line, leaving nothing", async () => {
    const work = await mkdtemp(join(tmpdir(), "zot-html-"));
    try {
      const r = await cli(["show", "--html", "-o", "no/such/page.html"], { work });
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /^zot-sessions: Cannot write ".*no\/such\/page\.html": no such file or directory\n$/,
      );
      assert.deepEqual(await readdir(work), []);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it("--range and --role choose the messages, as for the other forms", async () => {
    const r = await cli(["show", "--html", "--role", "user"]);
    assert.deepEqual([...r.out.matchAll(/data-role="(\w+)"/g)].map((m) => m[1]), ["user"]);
  });
});

describe("--redact-paths with the other forms", () => {
  it("is on by default with --markdown", async () => {
    const md = (await cli(["show", "--markdown"])).out;
    assert.ok(md.includes("fix the build in ~/alpha"));
    assert.ok(!md.includes("/home/dev"));
    assert.ok(
      (await cli(["show", "--markdown", "--no-redact-paths"])).out.includes("/home/dev/alpha"),
    );
  });

  it("is off by default for text and --json, and on when asked, header too", async () => {
    assert.ok((await cli(["show", "--no-pager"])).out.includes("Project  /home/dev/alpha"));
    const text = (await cli(["show", "--no-pager", "--redact-paths"])).out;
    assert.ok(text.includes("Project  ~/alpha"));
    assert.ok(text.includes("make -C ~/alpha"));
    const json = (await cli(["show", "--json", "--redact-paths"])).out;
    assert.ok(json.includes('"cwd":"~/alpha"'));
    assert.ok((await cli(["show", "--json"])).out.includes('"cwd":"/home/dev/alpha"'));
  });
});

describe("span", () => {
  it("says a duration short", () => {
    assert.deepEqual(
      [0, 45_000, 725_000, 3_725_000, 2 * 86_400_000 + 4 * 3_600_000].map(span),
      ["0s", "45s", "12m 05s", "1h 02m", "2d 4h"],
    );
  });
});

describe("-o keeps an earlier page when the run fails", () => {
  it("a session that cannot be read leaves the old file and no other", async () => {
    const work = await mkdtemp(join(tmpdir(), "zot-html-"));
    try {
      const gz = join(work, "broken.jsonl.gz");
      // A gzip header, then garbage: the first line is unreadable once streaming starts.
      await writeFile(
        gz,
        new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7]),
      );
      await writeFile(join(work, "page.html"), "old");
      const r = await cli(["show", gz, "--html", "-o", "page.html"], { work });
      assert.equal(r.code, 1, r.err);
      assert.equal(await readFile(join(work, "page.html"), "utf8"), "old");
      assert.deepEqual((await readdir(work)).sort(), ["broken.jsonl.gz", "page.html"]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
