/**
 * `search` in memory that does not grow with a message (issue 19, item 12):
 * a session whose tool output is one 62 MB line is searched with
 * `--no-index`, through an empty index (which builds its text index) and
 * through the warm index; each run's peak resident set (GNU time's `%M`,
 * the kernel's `ru_maxrss` of the child) stays within 112 MiB of the
 * binary's own (`--version`'s), and the three print the same hit. (The test
 * said 150 MiB in all when `--version` took 38 MiB; the binary's code has
 * grown it to ~45 MiB since, and a run two years ahead under libfaketime
 * then measured 150.5 MiB: what is tested is that the message does not
 * make memory grow.)
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { messageLine, metaLine } from "../helpers/fixtures.ts";
import { needs, skipBecause } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";
import { BIN } from "./harness.ts";
import { NOW } from "./index_runs.ts";

const UNDER_BUN = process.versions.bun !== undefined;
const MiB = 1 << 20;
/** The tool output's length. */
const OUTPUT_BYTES = 62_000_000;
/** What a search may add to the binary's own peak resident set. */
const GROWTH_KIB = 112 * 1024;
const WORD = "zanzibar";
const TIME = "/usr/bin/time";

/**
 * Writes a session whose one tool result is `bytes` (default `OUTPUT_BYTES`)
 * of build log, `WORD` near its end.
 */
export async function writeSession(path: string, bytes = OUTPUT_BYTES): Promise<void> {
  const f = await open(path, "w");
  try {
    await f.write(
      metaLine({ id: "6a000000-1111-4222-8333-444455556666", cwd: "/p", title: "huge" }) + "\n",
    );
    const head = messageLine("tool", [
      { call_id: "c1", content: [{ text: "@" }], is_error: false },
    ], "2026-11-01T10:00:00Z");
    const [before, afterText] = head.split("@");
    await f.write(before);
    let written = 0;
    let n = 0;
    while (written < bytes) {
      let chunk = "";
      while (chunk.length < MiB) {
        chunk += `step ${String(n++).padStart(8, "0")} ok: compiled module alpha_beta.ts\\n`;
      }
      await f.write(chunk);
      written += chunk.length;
    }
    await f.write(`the ${WORD} step\\n${afterText}\n`);
    await f.write(messageLine("user", `what did the ${WORD} step do?`) + "\n");
  } finally {
    await f.close();
  }
}

/** Runs the binary under GNU time: its output and its peak RSS in KiB. */
function measured(args: string[], cache: string): { out: string; code: number; kib: number } {
  const r = spawnSync(TIME, ["-f", "%M", BIN, ...args], {
    encoding: "utf8",
    env: { ZOT_SESSIONS_NOW: NOW, ZOT_SESSIONS_CACHE: cache },
    maxBuffer: 16 * MiB,
  });
  const lines = r.stderr.trimEnd().split("\n");
  return { out: r.stdout, code: r.status ?? -1, kib: Number(lines[lines.length - 1]) };
}

describe("e2e: search memory with a 62 MB message", {
  skip: skipBecause(UNDER_BUN, "run once, under Deno") || needs("GNU time", hasProgram(TIME)),
}, () => {
  let dir = "";
  let home = "";
  /** The binary's own peak resident set (KiB), at `--version`. */
  let base = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "zot-search-memory-"));
    base = measured(["--version"], join(dir, "no-cache")).kib;
    home = join(dir, "home");
    await mkdir(join(home, "sessions", "aaaaaaaaaaaaaaaa"), { recursive: true });
    await writeSession(
      join(home, "sessions", "aaaaaaaaaaaaaaaa", "20261101-000000-6a000000.jsonl"),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("without --tools, a first build over a 15 MB line stays within 112 MiB of --version", async () => {
    const other = join(dir, "home15");
    await mkdir(join(other, "sessions", "aaaaaaaaaaaaaaaa"), { recursive: true });
    await writeSession(
      join(other, "sessions", "aaaaaaaaaaaaaaaa", "20261101-000000-6a000000.jsonl"),
      15_000_000,
    );
    const q = ["search", "--all", WORD, "--home", other];
    const want = measured([...q, "--no-index"], join(dir, "cache15"));
    const first = measured(q, join(dir, "cache15"));
    assert.equal(want.code, 0);
    assert.match(want.out, /what did the/);
    assert.equal(first.out, want.out);
    for (const r of [want, first]) {
      assert.ok(
        r.kib - base <= GROWTH_KIB,
        `peak RSS ${(r.kib / 1024).toFixed(1)} MiB, ${(base / 1024).toFixed(1)} MiB at --version`,
      );
    }
  });

  it("--no-index, a first build and a warm index each stay within 112 MiB of --version", () => {
    const q = ["search", "--all", "--tools", WORD, "--home", home];
    const cache = join(dir, "cache");
    const runs = {
      "--no-index": measured([...q, "--no-index"], cache),
      "first build": measured(q, cache),
      warm: measured(q, cache),
    };
    const want = runs["--no-index"];
    assert.equal(want.code, 0);
    assert.match(want.out, new RegExp(WORD));
    for (const [name, r] of Object.entries(runs)) {
      assert.equal(r.out, want.out, name);
      assert.ok(
        r.kib - base <= GROWTH_KIB,
        `${name}: peak RSS ${(r.kib / 1024).toFixed(1)} MiB, ${
          (base / 1024).toFixed(1)
        } at --version`,
      );
    }
  });
});
