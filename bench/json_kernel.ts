/**
 * The JSON check alone, in-process: how fast the WebAssembly kernel and the
 * JavaScript fallback find each line's end and check it, over the session
 * files of the benchmark's corpus held in memory (1 MiB chunks, as the
 * reader gives them), next to `indexOf` finding the line ends alone and a
 * copy of the bytes (what feeding the kernel costs). Both checks must give
 * the same verdicts (checked here too).
 *
 * Usage: deno run -A bench/json_kernel.ts [--corpus DIR] [--rounds 5]
 *        bun bench/json_kernel.ts
 *
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import type { JsonKernelKind } from "../lib/format/json_check.ts";
import { jsonCheck } from "../lib/format/json_kernel.ts";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const CHUNK = 1 << 20;

/** Every session file under `home`, read whole. */
async function load(home: string): Promise<Uint8Array[]> {
  const root = join(home, "sessions");
  const out: Uint8Array[] = [];
  for (const dir of (await readdir(root)).sort()) {
    for (const name of (await readdir(join(root, dir))).sort()) {
      if (name.endsWith(".jsonl")) out.push(new Uint8Array(await readFile(join(root, dir, name))));
    }
  }
  return out;
}

/** Checks every line of every file, chunk by chunk; returns the verdicts' digest and valid count. */
function checkAll(files: Uint8Array[], kind: JsonKernelKind): { valid: number; digest: number } {
  let valid = 0;
  let digest = 0;
  const check = jsonCheck(undefined, kind);
  for (const f of files) {
    for (let start = 0; start < f.length; start += CHUNK) {
      const chunk = f.subarray(start, start + CHUNK);
      check.newChunk();
      let pos = 0;
      while (true) {
        const nl = check.line(chunk, pos);
        if (nl === -1) break;
        const ok = check.end();
        if (ok) valid++;
        digest = (digest * 31 + (ok ? start + nl : 1)) | 0;
        pos = nl + 1;
      }
    }
    if (check.end()) valid++;
  }
  return { valid, digest };
}

function lineEnds(files: Uint8Array[]): number {
  let n = 0;
  for (const f of files) {
    for (let start = 0; start < f.length; start += CHUNK) {
      const chunk = f.subarray(start, start + CHUNK);
      let pos = 0;
      while (true) {
        const nl = chunk.indexOf(0x0a, pos);
        if (nl === -1) break;
        n++;
        pos = nl + 1;
      }
    }
  }
  return n;
}

function copyAll(files: Uint8Array[]): number {
  const into = new Uint8Array(CHUNK);
  let n = 0;
  for (const f of files) {
    for (let start = 0; start < f.length; start += CHUNK) {
      into.set(f.subarray(start, start + CHUNK));
      n += into[0];
    }
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      corpus: { type: "string", default: join(ROOT, "bench", "corpus") },
      rounds: { type: "string", default: "5" },
    },
  });
  const files = await load(join(resolve(values.corpus), "home"));
  const bytes = files.reduce((n, f) => n + f.length, 0);
  const rounds = Number(values.rounds);
  const runtime = "Deno" in globalThis
    ? `Deno ${Deno.version.deno}`
    : `Bun ${process.versions.bun}`;
  console.log(
    `${runtime}: ${(bytes / 1e6).toFixed(1)} MB in ${files.length} files, best of ${rounds} ` +
      `(wall and CPU each)`,
  );
  const cases: [string, () => unknown][] = [
    ["kernel (wasm): line ends + check", () => checkAll(files, "wasm")],
    ["fallback (js): indexOf + check", () => checkAll(files, "js")],
    ["indexOf alone (line ends)", () => lineEnds(files)],
    ["copy 1 MiB chunks", () => copyAll(files)],
  ];
  const answers = new Map<string, string>();
  for (const [name, fn] of cases) {
    let best = Infinity;
    let bestCpu = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      const cpu = process.cpuUsage();
      answers.set(name, JSON.stringify(fn()));
      const used = process.cpuUsage(cpu);
      best = Math.min(best, performance.now() - t);
      bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
    }
    console.log(
      `  ${name.padEnd(36)} wall ${best.toFixed(1).padStart(7)} ms ${
        (bytes / 1e6 / best).toFixed(2).padStart(6)
      } GB/s; CPU ${bestCpu.toFixed(1).padStart(7)} ms ${
        (bytes / 1e6 / bestCpu).toFixed(2).padStart(6)
      } GB/s`,
    );
  }
  const [wasm, js] = [answers.get(cases[0][0]), answers.get(cases[1][0])];
  console.log(`  verdicts ${wasm === js ? "identical" : `DIFFER: ${wasm} vs ${js}`}: ${wasm}`);
  if (wasm !== js) process.exitCode = 1;
}

if (import.meta.main) await main();
