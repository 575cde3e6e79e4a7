/**
 * `pick` in a real terminal: the binary in a tmux window of the test's
 * own, driven with `send-keys` and read with `capture-pane`, every wait a
 * handshake on what the screen shows (tests/helpers/tmux.ts). Listing,
 * filtering, the preview, Enter running a stub `zot` in the session's
 * directory with its `--session`, `--print` inside `$(…)`, Ctrl-C putting
 * the terminal back, a resize, 40 columns, the other keys, and no
 * terminal at all.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { appendFile, chmod, mkdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { afterEach, describe, it } from "node:test";
import { projectKey } from "../../lib/sessions/home.ts";
import { shellQuote } from "../../lib/render/shell.ts";
import { fsNow } from "../helpers/clock.ts";
import { messageLine, metaLine, tempHome } from "../helpers/fixtures.ts";
import { FAKE_SECRETS } from "../helpers/fake_secrets.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";
import { HAVE_TMUX, startTmux, type Tmux } from "../helpers/tmux.ts";
import { BIN, exampleWorkdir, ROOT, run } from "./harness.ts";
import type { SessionInfo } from "../../lib/sessions/info.ts";

const skip = needs("tmux (Debian's tmux), for a real terminal", HAVE_TMUX);
const q = (s: string) => shellQuote(s);

/** The windows opened by a test, closed after it. */
const open: Tmux[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

/** `pick ARGS` in a window; the script then says how it exited (`exit=N`) and runs `after`. */
async function pickIn(
  args: string,
  env: Record<string, string>,
  o: { columns?: number; rows?: number; cwd?: string; after?: string } = {},
): Promise<Tmux> {
  const script = [
    o.cwd ? `cd ${q(o.cwd)}` : "",
    `${q(BIN)} pick ${args}`,
    'echo "exit=$?"',
    o.after ?? "",
  ].join("\n");
  const t = await startTmux(script, o.columns ?? 100, o.rows ?? 30, { env });
  open.push(t);
  return t;
}

/** The line of the screen holding `text`. */
function lineWith(screen: string, text: string): string {
  const line = screen.split("\n").find((l) => l.includes(text));
  assert.ok(line !== undefined, `no line holds ${JSON.stringify(text)}:\n${screen}`);
  return line;
}

/** The sessions of a home as `ls --all --json` lists them (newest first). */
function lsAll(env: Record<string, string>): SessionInfo[] {
  const r = run(BIN, ["ls", "--all", "--json"], env);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}

/**
 * A home with one session in `<dir>/project` (which exists) last written two
 * hours ago, a stub `zot` and a stub browser on PATH that write what they
 * were given (`zot`: its directory and arguments) to files of `dir`.
 */
async function stubbedHome() {
  const home = await tempHome([]);
  const project = join(home.home, "project");
  await mkdir(project);
  const sessionDir = join(home.home, "sessions", projectKey(project));
  await mkdir(sessionDir, { recursive: true });
  const id = "5e551011-aaaa-4000-8000-000000000001";
  const path = join(sessionDir, "20261101-120000-5e551011.jsonl");
  await writeFile(
    path,
    [
      metaLine({ id, cwd: project, title: "tidy the flaky parser test" }),
      messageLine("user", "the parser test fails one run in ten", "2026-11-01T12:00:00Z"),
      messageLine("assistant", "It races on the temp dir; fixed.", "2026-11-01T12:01:00Z"),
    ].join("\n") + "\n",
  );
  const twoHoursAgo = new Date(fsNow() - 2 * 3_600_000);
  await utimes(path, twoHoursAgo, twoHoursAgo);
  const bin = join(home.home, "bin");
  await mkdir(bin);
  const stub = async (name: string, script: string) => {
    await writeFile(join(bin, name), `#!/bin/sh\n${script}\n`);
    await chmod(join(bin, name), 0o755);
  };
  const record = (file: string) =>
    `{ pwd; for a in "$@"; do printf '%s\\n' "$a"; done; } > ${q(file)}`;
  const zotRecord = join(home.home, "zot-args");
  const browserRecord = join(home.home, "browser-args");
  // zot also says how it found the terminal (cooked, echoing), then reads a
  // line from it: pick must have let go of both.
  await stub(
    "zot",
    [
      record(zotRecord),
      `stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\?icanon' -e '-\\?echo' >> ${q(zotRecord)}`,
      'echo "zot is running"',
      "read answer",
      'echo "zot read: $answer"',
    ].join("\n"),
  );
  await stub("browser", record(browserRecord));
  const env = {
    ZOT_HOME: home.home,
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    BROWSER: join(bin, "browser"),
    ZOT_SESSIONS_NO_INDEX: "1",
  };
  return { home, project, id, path, env, zotRecord, browserRecord };
}

describe("pick in a terminal (tmux)", { skip }, () => {
  it("lists the sessions newest first, with project, age, model and spend", async () => {
    const w = await exampleWorkdir();
    try {
      const t = await pickIn("--all", w.env);
      const screen = await t.waitFor(/10\/10/, "the list");
      const rows = screen.split("\n").slice(2, 12);
      lsAll(w.env).forEach((session, i) => {
        const title = session.empty ? "(empty session)" : session.title ?? session.firstPrompt!;
        assert.ok(rows[i].includes(title.slice(0, 20)), `${rows[i]} is not ${title}`);
      });
      assert.match(rows[0], /^> /); // the newest is selected
      assert.match(
        lineWith(screen, "checkout → /api/v2/cart"),
        /\/home\/dev\/web-shop\s+\d+w ago\s+claude-sonnet-4-5\s+\$0\.11$/,
      );
      t.keys("Escape");
      assert.match(await t.waitFor(/exit=\d+/), /exit=130/);
    } finally {
      await w.cleanup();
    }
  });

  it("filters as one types, and shows the selected session's preview", async () => {
    const w = await exampleWorkdir();
    try {
      const [newest] = lsAll(w.env);
      const t = await pickIn("--all", w.env);
      let screen = await t.waitFor(new RegExp(`^Session {2}${newest.id}$`, "m"), "the preview");
      assert.match(screen, new RegExp(`^── ${newest.shortId} ─+$`, "m"));
      t.type("季節");
      screen = await t.waitFor(/^Session {2}b77c0692-b9aa-4ce3-abe4-5e08012d1209$/m);
      // Its last message, read from the end of the file.
      assert.match(screen, /表示され/);
      t.keys("C-u");
      t.type("cart");
      screen = await t.waitFor(/ 2\/10$/m, "two matches");
      assert.ok(lineWith(screen, "> cart button overlaps price on mobile"));
      assert.ok(lineWith(screen, "  checkout → /api/v2/cart"));
      assert.doesNotMatch(screen, /idempotency/);
      t.keys("Down");
      screen = await t.waitFor(/Session {2}fb0ec902-/, "the second match's preview");
      assert.ok(lineWith(screen, "> checkout → /api/v2/cart"));
      t.keys("Tab");
      screen = await t.waitFor((s) => !s.includes("── "), "the preview hidden");
      t.keys("C-u");
      await t.waitFor(/ 10\/10$/m, "every session again");
      t.keys("C-c");
    } finally {
      await w.cleanup();
    }
  });

  it("Enter runs zot --session PATH in the session's directory", async () => {
    const s = await stubbedHome();
    try {
      const t = await pickIn("", s.env, { cwd: s.project });
      await t.waitFor(/> tidy the flaky parser test/);
      t.keys("Enter");
      await t.waitFor(/^zot is running$/m);
      // While zot runs, the main screen is back, and the keys are zot's.
      assert.equal(t.format("#{alternate_on}"), "0");
      assert.equal(t.format("#{cursor_flag}"), "1");
      t.type("hello");
      t.keys("Enter");
      assert.match(await t.waitFor(/exit=\d+/), /zot read: hello\nexit=0/);
      assert.deepEqual((await readFile(s.zotRecord, "utf8")).split("\n"), [
        s.project,
        "--session",
        s.path,
        "icanon",
        "echo",
        "",
      ]);
    } finally {
      await s.home.cleanup();
    }
  });

  it("resume with no session opens the list on a terminal; Enter resumes the one chosen", async () => {
    const s = await stubbedHome();
    try {
      const script = [`cd ${q(s.project)}`, `${q(BIN)} resume`, 'echo "exit=$?"'].join("\n");
      const t = await startTmux(script, 100, 30, { env: s.env });
      open.push(t);
      await t.waitFor(/> tidy the flaky parser test/);
      t.keys("Enter");
      await t.waitFor(/^zot is running$/m);
      t.type("ok");
      t.keys("Enter");
      assert.match(await t.waitFor(/exit=\d+/), /zot read: ok\nexit=0/);
      assert.deepEqual((await readFile(s.zotRecord, "utf8")).split("\n").slice(0, 3), [
        s.project,
        "--session",
        s.path,
      ]);
    } finally {
      await s.home.cleanup();
    }
  });

  it("--print prints the chosen path, inside $(…)", async () => {
    const s = await stubbedHome();
    try {
      const script = [
        `cd ${q(s.project)}`,
        `p=$(${q(BIN)} pick --print parser)`,
        'echo "exit=$? printed=$p"',
      ].join("\n");
      const t = await startTmux(script, 250, 20, { env: s.env });
      open.push(t);
      await t.waitFor(/> parser\n[\s\S]*1\/1/, "the query given and its match");
      t.keys("Enter");
      const screen = await t.waitFor(/exit=\d+/);
      assert.match(screen, new RegExp(`exit=0 printed=${s.path.replace(/[.]/g, "\\.")}`));
    } finally {
      await s.home.cleanup();
    }
  });

  it("Ctrl-C exits 130 and puts the terminal back", async () => {
    const w = await exampleWorkdir();
    try {
      const after = "stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\?icanon' -e '-\\?echo'";
      const t = await pickIn("--all", w.env, { after });
      await t.waitFor(/10\/10/);
      assert.equal(t.format("#{alternate_on}"), "1");
      t.keys("C-c");
      const screen = await t.waitFor(/exit=\d+\n.*\n.*echo/);
      assert.match(screen, /exit=130\nicanon\necho/);
      assert.equal(t.format("#{alternate_on}"), "0");
      assert.equal(t.format("#{cursor_flag}"), "1");
      // The list was on the alternate screen: none of it is left.
      assert.doesNotMatch(screen, /cart button/);
    } finally {
      await w.cleanup();
    }
  });

  it("follows a resize, and fits 40 columns", async () => {
    const w = await exampleWorkdir();
    try {
      const t = await pickIn("--all", w.env);
      let screen = await t.waitFor(/10\/10/);
      assert.match(lineWith(screen, "checkout →"), /claude-sonnet-4-5\s+\$0\.11$/);
      t.resize(40, 20);
      // Laid out again for 40 columns: the model and the project make room,
      // the spend still ends the row at the last column.
      screen = await t.waitFor((s) => /^ {2}checkout → \S* +\d+w ago +\$0\.11$/m.test(s));
      assert.equal(lineWith(screen, "checkout →").length, 40);
      assert.doesNotMatch(screen, /claude/);
      assert.match(screen, /^ {2}all projects +10\/10$/m);
      t.resize(100, 30);
      await t.waitFor((s) => /claude-sonnet-4-5\s+\$0\.11$/m.test(s), "the model back");
      t.keys("Escape");
    } finally {
      await w.cleanup();
    }
  });

  it("starts at 40 columns", async () => {
    const w = await exampleWorkdir();
    try {
      const t = await pickIn("--all", w.env, { columns: 40, rows: 16 });
      const screen = await t.waitFor(/10\/10/);
      for (const line of screen.split("\n")) assert.ok(line.length <= 40, line);
      assert.match(
        lineWith(screen, "cart button"),
        /^ {2}cart button overlaps p… +\d+w ago +\$0\.05$/,
      );
      assert.match(screen, /enter resume · esc quit · tab preview ·…$/);
      t.keys("Escape");
    } finally {
      await w.cleanup();
    }
  });

  it("Ctrl-Y prints the id; NO_COLOR draws without styles", async () => {
    const w = await exampleWorkdir();
    try {
      const script = `id=$(${q(BIN)} pick --all idempotency key); echo "exit=$? id=$id"`;
      const t = await startTmux(script, 100, 30, { env: { ...w.env, NO_COLOR: "1" } });
      open.push(t);
      await t.waitFor(/> transfers: Idempotency-Key support/);
      // deno-lint-ignore no-control-regex
      assert.doesNotMatch(t.screenWithStyles(), /\x1b\[(1|2|3\d)m/);
      t.keys("C-y");
      assert.match(await t.waitFor(/exit=\d+/), /exit=0 id=8d337e16-e727-41c8-bbe1-971f81aedfd4$/m);
      const coloured = await pickIn("--all", w.env);
      await coloured.waitFor(/10\/10/);
      // deno-lint-ignore no-control-regex
      assert.match(coloured.screenWithStyles(), /\x1b\[1m/);
      coloured.keys("Escape");
    } finally {
      await w.cleanup();
    }
  });

  it("Ctrl-S searches the messages' text", async () => {
    const w = await exampleWorkdir();
    try {
      const t = await pickIn("--all", w.env);
      await t.waitFor(/10\/10/);
      t.keys("C-s");
      await t.waitFor(/^search>/m);
      t.type("Idempotency-Key header");
      const screen = await t.waitFor(/\d+\+? hits?$/m, "hits");
      assert.match(screen, /e1af52d0/);
      t.keys("Escape");
    } finally {
      await w.cleanup();
    }
  });

  it("Ctrl-O writes the page as show --html does (home and secrets taken out) and opens it in $BROWSER", async () => {
    const s = await stubbedHome();
    try {
      const token = FAKE_SECRETS.find((f) => f.kind === "GitHub token")!.text;
      const said = `pushed with ${token} from ${s.project}`;
      const at = new Date(fsNow() - 2 * 3_600_000);
      await appendFile(s.path, messageLine("user", said, "2026-11-01T12:02:00Z") + "\n");
      await utimes(s.path, at, at);
      const t = await pickIn("", { ...s.env, HOME: s.home.home }, { cwd: s.project });
      await t.waitFor(/> tidy the flaky parser test/);
      t.keys("C-o");
      await t.waitFor(/^Opened .*\.html$/m);
      const [, page] = (await readFile(s.browserRecord, "utf8")).split("\n");
      const html = await readFile(page, "utf8");
      assert.match(html, /^<!DOCTYPE html>[\s\S]*tidy the flaky parser test/i);
      assert.ok(!html.includes(token), "the token is not in the page");
      assert.match(html, /pushed with \[redacted: GitHub token\] from ~\/project/);
      t.keys("Escape");
    } finally {
      await s.home.cleanup();
    }
  });

  it("with no session to pick, says so and exits 1", async () => {
    const home = await tempHome([]);
    try {
      const t = await pickIn("", { ZOT_HOME: home.home, ZOT_SESSIONS_NO_INDEX: "1" }, {
        cwd: home.home,
      });
      const screen = await t.waitFor(/exit=\d+/);
      assert.match(
        screen,
        /zot-sessions: Cannot pick a session: no zot sessions for "[^"]+"\nexit=1/,
      );
      assert.equal(t.format("#{alternate_on}"), "0");
    } finally {
      await home.cleanup();
    }
  });

  it("Ctrl-D removes the session after y, through gc's rules", async () => {
    const s = await stubbedHome();
    try {
      const t = await pickIn("", s.env, { cwd: s.project });
      await t.waitFor(/> tidy the flaky parser test/);
      t.keys("C-d");
      await t.waitFor(/^Remove 5e551011 "tidy the flaky parser test"\? y\/N$/m);
      t.type("n");
      await t.waitFor(/^Kept it$/m);
      assert.ok(await stat(s.path));
      t.keys("C-d");
      await t.waitFor(/y\/N$/m);
      t.type("y");
      const screen = await t.waitFor(/^Removed 5e551011$/m);
      assert.match(screen, / 0\/0$/m);
      await assert.rejects(stat(s.path), { code: "ENOENT" });
      t.keys("Escape");
    } finally {
      await s.home.cleanup();
    }
  });
});

/** The README's screens of pick: a block whose first line is `# on a terminal W × H: zot-sessions ARGS`. */
function readmeScreens(): { columns: number; rows: number; args: string; screen: string }[] {
  const text = readFileSync(join(ROOT, "README.md"), "utf8");
  const re = /^```\n# on a terminal (\d+) × (\d+): zot-sessions pick (.*)\n([\s\S]*?)\n```$/gm;
  return [...text.matchAll(re)].map((m) => ({
    columns: Number(m[1]),
    rows: Number(m[2]),
    args: m[3],
    screen: m[4],
  }));
}

describe("pick in the README", { skip }, () => {
  const screens = readmeScreens();
  it("shows a screen of pick", () => assert.ok(screens.length > 0));
  for (const r of screens) {
    it(`is what pick ${r.args} shows at ${r.columns} × ${r.rows}`, async () => {
      const w = await exampleWorkdir();
      try {
        const t = await pickIn(r.args, w.env, { columns: r.columns, rows: r.rows });
        await t.waitFor((s) => s === r.screen, `the README's screen:\n${r.screen}`);
        t.keys("Escape");
      } finally {
        await w.cleanup();
      }
    });
  }
});

describe("pick without a terminal", () => {
  it(
    "is a usage error (exit 2) with a hint, at once",
    { skip: needs("setsid (util-linux)", hasProgram("setsid")) },
    async () => {
      const w = await exampleWorkdir();
      try {
        // setsid: no controlling terminal, even when the tests run in one.
        const r = spawnSync("setsid", ["-w", BIN, "pick", "--all"], {
          env: w.env,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
          timeout: 20_000,
        });
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^zot-sessions: Cannot pick a session: no terminal \(/);
        assert.match(r.stderr, /\nhint: pick draws on the terminal; .*zot-sessions ls/);
      } finally {
        await w.cleanup();
      }
    },
  );
});
