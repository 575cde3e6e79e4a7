/**
 * Whether a second core pays for a cold scan (issue 20): every session file
 * of the benchmark's corpus scanned in-process as FileSource does, by the
 * main thread alone (4 files at a time), or by the main thread and one
 * worker taking files from one queue (2 + 2 at a time). Each way runs in a
 * fresh process, so that its peak RSS (VmHWM) is its own; the first file
 * handed to the worker waits for the worker to start, which is counted.
 *
 * Usage: deno run -A bench/workers.ts [--corpus DIR] [--rounds 5]
 *        bun bench/workers.ts
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { mapConcurrent } from "../lib/base/pool.ts";
import { scanFile } from "../lib/scan/session_scan.ts";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

function sessionFiles(home: string): string[] {
  const root = join(home, "sessions");
  const out: string[] = [];
  for (const dir of readdirSync(root).sort()) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      if (name.endsWith(".jsonl")) out.push(join(root, dir, name));
    }
  }
  return out;
}

/** One way, in this process: wall ms and the messages counted (to compare answers). */
async function once(way: string, files: string[]): Promise<{ ms: number; messages: number }> {
  const t = performance.now();
  let messages = 0;
  if (way === "main") {
    const rs = await mapConcurrent(files, 4, (f) => scanFile(f));
    for (const r of rs) messages += r.summary.messages;
    return { ms: performance.now() - t, messages };
  }
  const worker = new Worker(new URL("./scan_worker.ts", import.meta.url).href, { type: "module" });
  const waiting = new Map<number, (m: { summary?: { messages: number } }) => void>();
  worker.onmessage = (e: MessageEvent) => {
    waiting.get(e.data.id)?.(e.data);
    waiting.delete(e.data.id);
  };
  let next = 0;
  const inWorker = async () => {
    while (next < files.length) {
      const id = next++;
      const m = await new Promise<{ summary?: { messages: number } }>((done) => {
        waiting.set(id, done);
        worker.postMessage({ id, path: files[id] });
      });
      messages += m.summary?.messages ?? 0;
    }
  };
  const inMain = async () => {
    while (next < files.length) {
      const r = await scanFile(files[next++]);
      messages += r.summary.messages;
    }
  };
  await Promise.all([inWorker(), inWorker(), inMain(), inMain()]);
  worker.terminate();
  return { ms: performance.now() - t, messages };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const corpus = args.includes("--corpus")
    ? resolve(args[args.indexOf("--corpus") + 1])
    : join(ROOT, "bench", "corpus");
  const files = sessionFiles(
    join(corpus, "home"),
  );
  if (args[0] === "--one") {
    const r = await once(args[1], files);
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    console.log(JSON.stringify({ ...r, hwmKiB: Number(hwm) }));
    return;
  }
  const rounds = Number(args.includes("--rounds") ? args[args.indexOf("--rounds") + 1] : 5);
  const self = fileURLToPath(import.meta.url);
  const runtime = "Deno" in globalThis
    ? [process.execPath, "run", "-A", self]
    : [process.execPath, self];
  const results: Record<string, { ms: number; messages: number; hwmKiB: number }[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const way of ["main", "worker"]) {
      const out = spawnSync(runtime[0], [
        ...runtime.slice(1),
        "--one",
        way,
        ...(args.includes("--corpus") ? ["--corpus", corpus] : []),
      ], { encoding: "utf8" });
      (results[way] ??= []).push(JSON.parse(out.stdout));
    }
  }
  console.log(
    `${
      "Deno" in globalThis ? "Deno" : "Bun"
    }: ${files.length} files, ${rounds} rounds each, fresh process each`,
  );
  for (const [way, rs] of Object.entries(results)) {
    const ms = rs.map((x) => x.ms).sort((a, b) => a - b);
    console.log(
      `  ${way === "main" ? "main thread alone    " : "main thread + worker"}  wall min ${
        ms[0].toFixed(0)
      } ms, median ${ms[ms.length >> 1].toFixed(0)} ms; peak RSS max ${
        (Math.max(...rs.map((x) => x.hwmKiB)) / 1024).toFixed(1)
      } MiB; messages ${rs[0].messages}`,
    );
  }
}

if (import.meta.main) await main();
