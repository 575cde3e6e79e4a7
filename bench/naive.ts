/**
 * The naive reference reader the benchmark compares zot-sessions with: what a
 * reader like zot's own Go one does (read each line, unmarshal it whole). It
 * lists `<home>/sessions/*\/*.jsonl`, reads every file in 1 MiB chunks, splits
 * it into lines, decodes each line to a string and `JSON.parse`s it, and
 * counts the `message` lines. One file at a time, no shortcuts.
 *
 * Usage: `bun bench/naive.ts <home>` (also runs under `deno run -A`). Prints
 * one JSON object: `{"files","lines","messages","invalid","bytes"}`.
 *
 * @module
 */
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";

/** What the naive reader counted. */
export interface NaiveCounts {
  files: number;
  /** Non-empty lines. */
  lines: number;
  /** Lines that parse to an object whose `type` is "message". */
  messages: number;
  /** Lines that are not valid JSON (a crash-truncated last line, say). */
  invalid: number;
  bytes: number;
}

const decoder = new TextDecoder();

/**
 * Parses every line of every session file under `home`.
 *
 * @example
 * const counts = await countNaively("bench/corpus/home");
 */
export async function countNaively(home: string): Promise<NaiveCounts> {
  const counts: NaiveCounts = { files: 0, lines: 0, messages: 0, invalid: 0, bytes: 0 };
  const root = join(home, "sessions");
  const dirs = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const dir of dirs) {
    const names = (await readdir(join(root, dir), { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith(".jsonl")).map((e) => e.name).sort();
    for (const name of names) {
      counts.files++;
      await countFile(join(root, dir, name), counts);
    }
  }
  return counts;
}

async function countFile(path: string, counts: NaiveCounts): Promise<void> {
  const file = await open(path, "r");
  try {
    const buffer = new Uint8Array(1 << 20);
    let pending: Uint8Array[] = [];
    while (true) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      counts.bytes += bytesRead;
      const chunk = buffer.subarray(0, bytesRead);
      let from = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
        const part = chunk.subarray(from, nl);
        if (pending.length) {
          pending.push(part);
          countLine(concat(pending), counts);
          pending = [];
        } else countLine(part, counts);
        from = nl + 1;
      }
      if (from < chunk.length) pending.push(chunk.slice(from));
    }
    if (pending.length) countLine(concat(pending), counts);
  } finally {
    await file.close();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function countLine(bytes: Uint8Array, counts: NaiveCounts): void {
  let text = decoder.decode(bytes);
  if (text.endsWith("\r")) text = text.slice(0, -1);
  if (text === "") return;
  counts.lines++;
  try {
    const value = JSON.parse(text);
    if (value !== null && typeof value === "object" && value.type === "message") counts.messages++;
  } catch {
    counts.invalid++;
  }
}

if (import.meta.main) {
  const home = process.argv[2];
  if (!home) {
    process.stderr.write("usage: bun bench/naive.ts <home>\n");
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(await countNaively(home)) + "\n");
}
