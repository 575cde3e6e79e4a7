import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../../lib/cli/run.ts";
import { fixedNow, type Output, OutputError } from "../../lib/io/io.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";

describe("fixedNow()", () => {
  it("reads an ISO instant, and nothing else", () => {
    assert.equal(fixedNow("2026-11-25T12:00:00Z"), Date.UTC(2026, 10, 25, 12));
    assert.equal(fixedNow(undefined), undefined);
    assert.equal(fixedNow(""), undefined);
    assert.equal(fixedNow("soon"), undefined);
  });
});

describe("memoryIO()'s clock", () => {
  it("starts at its pinned now, whatever the date, and runs forward", async () => {
    for (const now of [Date.UTC(2026, 10, 25, 12), Date.UTC(2031, 0, 1), 0]) {
      const io = memoryIO({ now });
      const first = io.clock();
      assert.ok(first >= now && first - now < 1_000, `${first - now} ms from now`);
      await new Promise((r) => setTimeout(r, 20));
      const later = io.clock();
      assert.ok(later - first >= 15 && later - first < 60_000, `${later - first} ms later`);
    }
    assert.equal(memoryIO().now, Date.UTC(2026, 10, 25, 12), "the default instant");
  });
});

/** An output whose writes fail (at once, or only at the flush after one) with `code`. */
function failing(
  stream: "stdout" | "stderr",
  code: string,
  when: "write" | "flush",
): Output & { text: string } {
  const error = new OutputError(stream, Object.assign(new Error(code), { code }));
  let written = false;
  return {
    isTTY: false,
    text: "",
    write(text) {
      written = true;
      if (when === "write") return Promise.reject(error);
      this.text += text;
      return Promise.resolve();
    },
    writeBytes() {
      written = true;
      return Promise.reject(error);
    },
    flush: () => written ? Promise.reject(error) : Promise.resolve(),
  };
}

describe("runCli() and output that cannot be written", () => {
  it("OutputError says which stream and why, in the one grammar", () => {
    const e = new OutputError("stdout", { code: "ENOSPC" });
    assert.equal(e.message, "Cannot write to standard output: no space left on device");
    assert.equal(e.code, "ENOSPC");
    assert.equal(
      new OutputError("stderr", new Error("odd")).message,
      "Cannot write to standard error: odd",
    );
  });

  for (const when of ["write", "flush"] as const) {
    it(`stdout failing at the ${when}: one line on stderr, exit 1`, async () => {
      const io = memoryIO({ stdout: failing("stdout", "ENOSPC", when) });
      assert.equal(await runCli(["--version"], io), 1);
      assert.equal(
        io.err(),
        "zot-sessions: Cannot write to standard output: no space left on device\n",
      );
    });

    it(`stderr failing at the ${when}: exit 1 all the same, nothing thrown`, async () => {
      const io = memoryIO({ stderr: failing("stderr", "ENOSPC", when) });
      // A usage error keeps its code when its message cannot be written.
      assert.equal(await runCli(["--no-such-flag"], io), 2);
      const quiet = memoryIO({ stderr: failing("stderr", "ENOSPC", when) });
      assert.equal(await runCli(["--version"], quiet), 0, "nothing written there: no failure");
    });

    it(`a closed pipe at the ${when}: exit 0, nothing said`, async () => {
      const io = memoryIO({ stdout: failing("stdout", "EPIPE", when) });
      assert.equal(await runCli(["--version"], io), 0);
      assert.equal(io.err(), "");
    });
  }
});
