/**
 * End-to-end tests of damaged files (issue 9, items 7–9; see harness.ts for
 * how they run): usage rows with impossible numbers, a file ending in
 * megabytes of garbage, and message lines damaged in the middle.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, run } from "./harness.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { messageLine, metaLine, usageLine } from "../helpers/fixtures.ts";
import { referenceSummaryOfBytes } from "../helpers/zot_reference.ts";

let work = "";
before(async () => {
  work = await mkdtemp(join(tmpdir(), "zot-e2e-damage-"));
});
after(() => rm(work, { recursive: true, force: true }));

/** A home holding one session file with these contents; returns the home and the file. */
async function homeWith(name: string, content: string | Uint8Array) {
  const home = join(work, name);
  const dir = join(home, "sessions", "0123456789abcdef");
  await mkdir(dir, { recursive: true });
  const path = join(dir, "20260101-000000-11111111.jsonl");
  await writeFile(path, content);
  return { home, path };
}

const ID = "11111111-2222-4333-8444-555555555555";

describe("e2e: usage rows with impossible numbers", () => {
  let home = "";
  before(async () => {
    const lines = [
      metaLine({ id: ID, cwd: "/p" }),
      messageLine("user", "hi", "2026-01-01T00:00:01Z"),
      usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: 0.5 }),
      messageLine("assistant", "one", "2026-01-01T00:00:02Z"),
      usageLine({ input_tokens: 10, output_tokens: 5, cost_usd: 1e300 }),
      messageLine("assistant", "two", "2026-01-01T00:00:03Z"),
      usageLine({ input_tokens: -10, output_tokens: 5, cost_usd: -3 }),
      messageLine("assistant", "three", "2026-01-01T00:00:04Z"),
      // JSON.stringify cannot write 1e999: put it in as text.
      usageLine({ input_tokens: 20, output_tokens: 9, cost_usd: 7 }).replaceAll(":7}", ":1e999}"),
      messageLine("assistant", "four", "2026-01-01T00:00:05Z"),
      usageLine({ input_tokens: 30, output_tokens: 12, cost_usd: 1.25 }),
      messageLine("assistant", "five", "2026-01-01T00:00:06Z"),
    ];
    ({ home } = await homeWith("numbers", lines.map((l) => l + "\n").join("")));
  });

  it("ls --json: finite usage and spend, the three rows counted as damaged, one warning", () => {
    const r = run(BIN, ["ls", "--all", "--home", home, "--json"]);
    assert.equal(r.code, 0, r.err);
    const [s] = JSON.parse(r.out);
    assert.deepEqual(s.usage, {
      inputTokens: 30,
      outputTokens: 12,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 1.25,
    });
    assert.equal(s.spend.costUsd, 1.25);
    assert.equal(s.damagedLines, 3);
    assert.match(
      r.err,
      /^zot-sessions: warning: Cannot read 3 lines of ".*" \(first: line 5, cumulative\.cost_usd 1e\+300 is out of range\); skipped them\n$/,
    );
  });

  it("cost: totals stay finite and exact in JSON, CSV and the table", () => {
    const json = run(BIN, ["cost", "--all", "--home", home, "--json", "--by", "session"]);
    assert.equal(json.code, 0, json.err);
    const report = JSON.parse(json.out);
    assert.equal(report.total.costUsd, 1.25);
    assert.equal(report.total.inputTokens, 30);
    for (const args of [["--csv"], []]) {
      const r = run(BIN, ["cost", "--all", "--home", home, ...args]);
      assert.equal(r.code, 0, r.err);
      assert.doesNotMatch(r.out, /Infinity|NaN|null|-\$|\$-/, args.join(" "));
      assert.match(r.out, /1\.25/);
    }
  });

  it("show: each impossible row is a skipped line with its reason, and no cost shown is out of range", () => {
    const r = run(BIN, ["show", "--home", home, "--all", ID.slice(0, 8)]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\[line 5 skipped: cumulative\.cost_usd 1e\+300 is out of range\]/);
    assert.match(r.out, /\[line 7 skipped: cumulative\.input_tokens -10 is out of range\]/);
    assert.match(r.out, /\[line 9 skipped: cumulative\.cost_usd Infinity is out of range\]/);
    assert.doesNotMatch(r.out, /Infinity this turn|e\+300 in all|-\$|\$-/);
    // The last row's increase is over the last valid one.
    assert.match(r.out, /\$0\.75 this turn .* \$1\.25 in all/);
  });
});

describe("e2e: a file ending in megabytes of garbage", () => {
  const JUNK_LINES = 300_000;
  let home = "";
  before(async () => {
    const head = [
      metaLine({ id: ID, cwd: "/p" }),
      ...Array.from(
        { length: 6 },
        (_, i) => messageLine(i % 2 ? "assistant" : "user", `m${i}`, `2026-01-01T00:00:0${i}Z`),
      ),
    ];
    // Base64 of pseudo-random bytes, 51 characters a line: a file overwritten
    // with an image, as the probe found (there, 1.3 M lines).
    let x = 12345;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const junk: string[] = [];
    for (let i = 0; i < JUNK_LINES; i++) {
      let line = "";
      for (let k = 0; k < 51; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        line += alphabet[x >>> 26];
      }
      junk.push(line);
    }
    ({ home } = await homeWith("garbage", [...head, ...junk].map((l) => l + "\n").join("")));
  });

  it("tail -n 5 reads a bounded part, prints one marker, and warns that it stopped looking", () => {
    const r = run(BIN, ["tail", "-n", "5", "--home", home, "--all", ID.slice(0, 8)], {
      ZOT_SESSIONS_STATS: "1",
    });
    assert.equal(r.code, 0, r.err);
    const markers = r.out.match(/skipped/g) ?? [];
    assert.equal(markers.length, 1, r.out.slice(0, 2000));
    assert.match(r.out, /\n\[10,000 lines skipped: not valid JSON\]\n/);
    assert.ok(r.out.length < 1000, `${r.out.length} bytes printed`);
    const read = Number(/read (\d+) bytes/.exec(r.err)?.[1]);
    assert.ok(read < 4 << 20, `read ${read} bytes`);
    assert.match(
      r.err,
      /warning: Cannot read ".*" back past 10,000 damaged or blank lines \(.*\) in a row: messages before them are not shown \(show prints them\)/,
    );
  });

  it("show prints the messages and one marker with the count for the garbage", () => {
    const r = run(BIN, ["show", "--home", home, "--all", ID.slice(0, 8)]);
    assert.equal(r.code, 0, r.err);
    assert.equal((r.out.match(/skipped/g) ?? []).length, 1);
    assert.match(r.out, /\n\[300,000 lines skipped from line 8: not valid JSON\]\n$/);
    assert.match(r.out, /\nm5\n/);
    const json = run(BIN, ["show", "--home", home, "--all", ID.slice(0, 8), "--json"]);
    const skipped = json.out.split("\n").filter((l) => l.includes('"skipped"'));
    assert.deepEqual(skipped.map((l) => JSON.parse(l)), [
      { type: "skipped", line: 8, reason: "not valid JSON", count: JUNK_LINES },
    ]);
  });
});

describe("e2e: message lines damaged in the middle", () => {
  it("ls counts them as damaged, as show and the reference do", async () => {
    // zot's own sample when present (under CI it must be), else the
    // example home's richest file.
    const dirs = [
      ...(samplesSkip ? [] : [join(samplesHome(), "sessions")]),
      join(ROOT, "examples/home/sessions"),
    ];
    let source = new Uint8Array(0);
    for (const d of dirs) {
      try {
        for (const key of await readdir(d)) {
          for (const name of await readdir(join(d, key))) {
            const bytes = new Uint8Array(await readFile(join(d, key, name)));
            if (bytes.length > source.length) source = bytes;
          }
        }
      } catch {
        // Not there: the next one.
      }
      if (source.length > 0) break;
    }
    // A control character in the middle of every third message line: its
    // ends are intact, but it is not JSON (zot's reader rejects it too).
    const text = new TextDecoder().decode(source);
    let n = 0;
    const damaged = text.split("\n").map((line) => {
      if (!line.startsWith('{"type":"message"') || n++ % 3 !== 1) return line;
      const mid = Math.floor(line.length / 2);
      return line.slice(0, mid) + "\u0001" + line.slice(mid + 1);
    }).join("\n");
    const bytes = new TextEncoder().encode(damaged);
    const ref = referenceSummaryOfBytes(bytes);
    assert.ok(ref.damaged >= 3, `${ref.damaged} damaged lines made`);
    const { home, path } = await homeWith("bitflip", bytes);

    const ls = run(BIN, ["ls", "--all", "--home", home, "--json"]);
    assert.equal(ls.code, 0, ls.err);
    const [s] = JSON.parse(ls.out);
    assert.deepEqual(
      { messages: s.messages, damaged: s.damagedLines },
      { messages: ref.messages, damaged: ref.damaged },
    );
    const show = run(BIN, ["show", "--home", home, "--json", path]);
    assert.equal(show.code, 0, show.err);
    const events = show.out.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(events.filter((e) => e.type === "message").length, ref.messages);
    assert.equal(
      events.filter((e) => e.type === "skipped").reduce((a, e) => a + e.count, 0),
      ref.damaged,
    );
  });
});
