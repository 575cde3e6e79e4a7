/**
 * The pager: a `$PAGER` that cannot start costs one warning and never the
 * output; `show` on a (fake) terminal with such a pager prints what it would
 * print with `--no-pager`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { runCli } from "../../lib/cli/run.ts";
import type { Output } from "../../lib/io/io.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { missingProgram, openPager } from "../../lib/io/pager.ts";
import { messageLine, renameLine, simpleSession, tempHome } from "../helpers/fixtures.ts";

const PATH = process.env.PATH ?? "/usr/bin:/bin";

function terminal(): Output & { text: string } {
  return {
    isTTY: true,
    columns: 80,
    text: "",
    write(t) {
      this.text += t;
      return Promise.resolve();
    },
    writeBytes(b) {
      this.text += new TextDecoder().decode(b);
      return Promise.resolve();
    },
  };
}

describe("openPager", () => {
  it("does not start a $PAGER whose program is not there: one warning, print directly", async () => {
    const warnings: string[] = [];
    const pager = await openPager({ PAGER: "nosuchpager-zot -R", PATH }, terminal(), (m) => {
      warnings.push(m);
      return Promise.resolve();
    });
    assert.equal(pager, null);
    assert.deepEqual(warnings, [
      'Cannot start pager "nosuchpager-zot -R": "nosuchpager-zot" not found on PATH; printing directly',
    ]);
  });

  it("missingProgram looks the first word up as a shell would, and leaves shell syntax alone", () => {
    assert.equal(missingProgram("nosuchpager-zot", PATH), "not found on PATH");
    assert.equal(missingProgram("/no/such/less -R", PATH), '"/no/such/less" not found');
    assert.equal(missingProgram("sh -c 'exit 0'", PATH), null);
    assert.equal(missingProgram('"nosuchpager-zot"', PATH), null, "quoted: the shell's call");
    assert.equal(missingProgram("LESS=x nosuchpager-zot", PATH), null);
    assert.equal(missingProgram("exec less", PATH), null);
  });

  it("prints everything to the terminal, in order, when the shell cannot run the pager", async () => {
    // sh is found, so the pager starts; it then exits 127 as a shell does
    // for a command it cannot find.
    const out = terminal();
    const warnings: string[] = [];
    const pager = await openPager({ PAGER: "sh -c 'exit 127'", PATH }, out, (m) => {
      warnings.push(m);
      return Promise.resolve();
    });
    assert.ok(pager !== null);
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`);
    for (const line of lines) await pager.write(line);
    await pager.close();
    assert.equal(out.text, lines.join(""));
    assert.deepEqual(warnings, [
      `Cannot start pager "sh -c 'exit 127'": exit status 127; printing directly`,
    ]);
  });

  it("drops nothing and warns nothing when the pager runs", async () => {
    const out = terminal();
    const warnings: string[] = [];
    const pager = await openPager({ PAGER: "cat > /dev/null", PATH }, out, (m) => {
      warnings.push(m);
      return Promise.resolve();
    });
    assert.ok(pager !== null);
    for (let i = 0; i < 100; i++) await pager.write(`line ${i}\n`);
    await pager.close();
    assert.equal(out.text, "", "the pager had it all");
    assert.deepEqual(warnings, []);
  });
});

describe("show with a pager that cannot start", () => {
  it("prints the transcript directly after one warning, exit 0", async () => {
    const A = "/home/dev/alpha";
    const id = "0e19291e-c841-4742-bbcc-90199e65f26e";
    const h = await tempHome([{
      cwd: A,
      name: "20260922-120509-0e19291e.jsonl",
      lines: [...simpleSession(id, A, "hello"), messageLine("user", "more"), renameLine("t")],
      mtimeMs: Date.parse("2026-11-25T11:00:00Z"),
    }]);
    try {
      const run = async (args: string[], env: Record<string, string>) => {
        const io = memoryIO({ tty: true, processCwd: A, env: { NO_COLOR: "1", PATH, ...env } });
        const code = await runCli(["show", "--home", h.home, "--cwd", A, ...args], io);
        return { code, out: io.out(), err: io.err() };
      };
      const direct = await run(["--no-pager"], {});
      assert.match(direct.out, /hello/);
      for (const pager of ["nosuchpager-zot", "sh -c 'exit 127'"]) {
        const r = await run([], { PAGER: pager });
        assert.equal(r.code, 0);
        assert.equal(r.out, direct.out, pager);
        assert.equal(r.err.split("\n").filter((l) => l !== "").length, 1, r.err);
        assert.match(
          r.err,
          /^zot-sessions: warning: Cannot start pager ".*": .*; printing directly\n$/,
        );
      }
    } finally {
      await h.cleanup();
    }
  });
});
