/**
 * `cost --watch` in process, on a terminal (a memory IO that says it is
 * one): the report drawn on a cleared screen with the burn rate, drawn
 * again once a session grows, and ended by the stop signal with exit 0.
 * Each step waits for the watcher's next write (a handshake), never for
 * time. That nothing is drawn while nothing changes is shown end to end
 * (tests/e2e/statusline_e2e_test.ts), where the run can be held between
 * two looks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFile } from "node:fs/promises";
import { runCli } from "../../lib/cli/run.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";
import { withHomes } from "../helpers/fixtures.ts";
import { A, NOW, SB1_MORE, STATUS_HOME } from "../helpers/status_home.ts";

const CLEAR = "\x1b[H\x1b[2J";

describe("cost --watch", () => {
  it("redraws the report on a terminal when a session grows; the stop signal ends it with 0", async () => {
    await withHomes([STATUS_HOME()], async (h) => {
      const stop = new AbortController();
      const io = memoryIO({
        now: NOW,
        processCwd: A,
        tty: true,
        columns: 120,
        env: { TZ: "UTC", NO_COLOR: "1" },
        stopSignal: () => stop.signal,
      });
      const writes: string[] = [];
      let wake = () => {};
      const write = io.stdout.write.bind(io.stdout);
      io.stdout.write = async (text) => {
        await write(text);
        writes.push(text);
        wake();
      };
      const nextWrite = (n: number) =>
        new Promise<void>((resolve) => {
          wake = () => writes.length >= n && resolve();
          wake();
        });
      const done = runCli(["cost", "--home", h.home, "--all", "--watch", "0.1"], io);
      await nextWrite(1);
      assert.ok(writes[0].startsWith(CLEAR), JSON.stringify(writes[0].slice(0, 20)));
      assert.match(writes[0], /\nTotal +\$9\.25 in 4 sessions\n/);
      // The last hour: $0.25 + $0.40 + $0.10.
      assert.match(writes[0], /\nBurn rate \$0\.75\/h \(the last 60 minutes\)\n$/);
      await appendFile(h.path(STATUS_HOME()[2]), SB1_MORE);
      await nextWrite(2);
      assert.ok(writes[1].startsWith(CLEAR));
      assert.match(writes[1], /\nTotal +\$9\.30 in 4 sessions\n/);
      assert.match(writes[1], /\nBurn rate \$0\.80\/h/);
      stop.abort("SIGINT");
      assert.equal(await done, 0);
      assert.equal(io.err(), "");
    });
  });

  it("takes SECONDS or none (5); refuses --json and a bad value", async () => {
    const cli = (args: string[]) => {
      const io = memoryIO({ now: NOW, processCwd: A, env: { TZ: "UTC" } });
      return runCli(args, io).then((code) => ({ code, err: io.err() }));
    };
    for (
      const [args, message] of [
        [["--watch", "--json"], /Cannot use --watch with --json: it redraws the report/],
        [["--watch", "0"], /Cannot parse --watch "0": expected seconds, at least 0.1/],
        [["--watch=fast"], /Cannot parse --watch "fast"/],
        [["--watch", "--budget", "5"], /Cannot use --budget with --watch/],
      ] as [string[], RegExp][]
    ) {
      const r = await cli(["cost", "--home", "/nonexistent", ...args]);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.err, message);
    }
  });
});
