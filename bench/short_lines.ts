/**
 * Benchmark: sessions of millions of short lines (issue 9, item 10), next to
 * `wc -l` on the same bytes. Not a test: it prints figures, and checks the
 * answers (exit status 1 if one is wrong).
 *
 * Files, each alone in a home under a temporary directory:
 *
 * - `blank`: a meta line, then 10M empty lines (10 MB);
 * - `junk`: a meta line, then 5M lines of 16 base64 characters (85 MB);
 * - `gz`: a meta line, then 10⁹ empty lines, gzip-compressed (~1 MB; the
 *   issue's file was 4 MB at a lower level); past its 10⁸-line bound.
 *
 * Commands: `wc -l` (for `gz`: `zcat | wc -l`), then the binary's `ls --all
 * --json`, `show`, `show --json` and `cost --all` (output to /dev/null).
 * Each runs once untimed, then `--runs` times; the median is shown, with its
 * ratio to `wc -l`.
 *
 * Usage (repository root, after `npm run build`):
 *
 *     deno run -A bench/short_lines.ts [--runs 3] [--bin dist/zot-sessions]
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createGzip } from "node:zlib";
import { parseArgs } from "node:util";
import { projectKey } from "../lib/sessions/home.ts";

const CWD = "/home/dev/bench";
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    bin: {
      type: "string",
      default: join(import.meta.dirname ?? ".", "..", "dist", "zot-sessions"),
    },
  },
});
const RUNS = Number(values.runs);
const BIN = values.bin;

const meta = (id: string) =>
  JSON.stringify({
    type: "meta",
    meta: {
      id,
      cwd: CWD,
      model: "m",
      provider: "p",
      started: "2026-09-22T12:05:09Z",
      version: "0.1.58",
    },
  });

async function writeBlank(path: string, id: string): Promise<void> {
  const fh = await open(path, "w");
  await fh.write(meta(id) + "\n");
  const block = new Uint8Array(1 << 20).fill(0x0a);
  for (let i = 0; i < 10; i++) await fh.write(block); // 10 × 2^20 lines
  await fh.close();
}

async function writeJunk(path: string, id: string): Promise<void> {
  const fh = await open(path, "w");
  await fh.write(meta(id) + "\n");
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let seed = 1;
  for (let b = 0; b < 50; b++) {
    let out = "";
    for (let i = 0; i < 100_000; i++) {
      for (let j = 0; j < 16; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        out += abc[seed % 64];
      }
      out += "\n";
    }
    await fh.write(out);
  }
  await fh.close();
}

async function writeGzBomb(path: string, id: string): Promise<void> {
  const gzip = createGzip({ level: 9 });
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
  gzip.pipe(out);
  gzip.write(meta(id) + "\n");
  const block = new Uint8Array(1_000_000).fill(0x0a);
  for (let i = 0; i < 1000; i++) {
    if (!gzip.write(block)) await new Promise((r) => gzip.once("drain", r));
  }
  gzip.end();
  await done;
}

/** Runs a shell command; returns seconds and stdout+stderr. */
function time(cmd: string): { s: number; out: string; status: number | null } {
  const t0 = performance.now();
  const r = spawnSync("sh", ["-c", cmd], { encoding: "utf8", maxBuffer: 64 << 20 });
  return { s: (performance.now() - t0) / 1000, out: r.stdout + r.stderr, status: r.status };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const work = await mkdtemp(join(tmpdir(), "zot-short-lines-"));
let failed = false;
const check = (ok: boolean, what: string) => {
  if (!ok) {
    failed = true;
    console.error(`WRONG: ${what}`);
  }
};
try {
  const files: { name: string; path: string; home: string; wc: string }[] = [];
  for (
    const [name, ext, write] of [
      ["blank", ".jsonl", writeBlank],
      ["junk", ".jsonl", writeJunk],
      ["gz", ".jsonl.gz", writeGzBomb],
    ] as const
  ) {
    const home = join(work, name);
    const dir = join(home, "sessions", projectKey(CWD));
    await mkdir(dir, { recursive: true });
    const id = `${
      name.padEnd(8, "0").slice(0, 8).replace(/[^0-9a-f]/g, "b")
    }-1111-4222-8333-000000000001`;
    const path = join(dir, `20260922-120509-${id.slice(0, 8)}${ext}`);
    await write(path, id);
    const wc = ext.endsWith(".gz") ? `zcat '${path}' | wc -l` : `wc -l '${path}'`;
    files.push({ name, path, home, wc });
  }

  // The binary's start-up alone (ls of an empty home): a floor that no
  // file size changes, which small files cannot amortise.
  const emptyHome = join(work, "empty");
  await mkdir(emptyHome);
  const startup = median(
    Array.from({ length: RUNS + 1 }, () => time(`'${BIN}' ls --home '${emptyHome}' --all`).s),
  );
  console.log(`binary: ${BIN}; ${RUNS} runs, median seconds; start-up ${startup.toFixed(3)} s\n`);
  console.log("file   command          seconds   × wc -l   × wc -l without start-up");
  for (const f of files) {
    const cmds: [string, string][] = [
      ["wc -l", f.wc],
      ["ls --json", `'${BIN}' ls --home '${f.home}' --all --json`],
      ["show", `'${BIN}' show '${f.path}' > /dev/null`],
      ["show --json", `'${BIN}' show '${f.path}' --json > /dev/null`],
      ["cost", `'${BIN}' cost --home '${f.home}' --all > /dev/null`],
    ];
    // Untimed first run: warms the page cache; its output is checked.
    const first = cmds.map(([, c]) => time(c));
    const ls = first[1].out;
    if (f.name === "junk") {
      check(/"damagedLines": 5000000/.test(ls), `junk: ls --json ${ls.slice(0, 200)}`);
    }
    if (f.name === "junk") {
      check(first[2].out === "" && first[3].out === "", "junk: show writes nothing to stderr");
    }
    if (f.name === "blank") {
      check(/"damagedLines": 0/.test(ls) && /"messages": 0/.test(ls), "blank: ls");
    }
    if (f.name === "gz") {
      check(/expands to more than 100 million lines/.test(ls), `gz: ${ls.slice(0, 300)}`);
    }
    const runs = cmds.map(() => [] as number[]);
    for (let r = 0; r < RUNS; r++) cmds.forEach(([, c], i) => runs[i].push(time(c).s));
    const base = median(runs[0]);
    cmds.forEach(([label], i) => {
      const m = median(runs[i]);
      const net = i === 0 ? m : Math.max(0, m - startup);
      console.log(
        `${f.name.padEnd(6)} ${label.padEnd(16)} ${m.toFixed(3).padStart(7)}   ${
          (m / base).toFixed(1).padStart(7)
        }   ${(net / base).toFixed(1).padStart(7)}`,
      );
    });
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
if (failed) process.exit(1);
