/**
 * A deterministic, realistically shaped zot home for the benchmark.
 *
 * Lines follow FORMAT.md and zot's writer exactly: key order, Go
 * `encoding/json` escaping (`\u003c`, `\u003e`, `\u0026`), RFC 3339 times with
 * trimmed nanoseconds and local offsets, running totals in both `usage` and
 * `cumulative`, forks that copy the parent's first N message lines with the
 * usage lines between them. The mix of line sizes is what makes a reader slow
 * or fast on real homes: mostly small message and usage rows, tool results of
 * 10–200 KB, base64 screenshots of 1–5 MB (user messages and tool results), a
 * few lines over 8 MiB (a 20 MB tool output, a pasted log), plus the odd
 * shapes: model switches, renames, compaction summaries, `"content":null`,
 * aborted tool calls, duplicate usage rows, empty sessions and one session
 * whose last line a crash cut short.
 *
 * Everything comes from a seeded PRNG, so the same `--size` and `--seed` give
 * byte-identical trees under Deno and Bun. Files are written in streaming
 * fashion through a 1 MiB buffer; no file is ever held in memory (the
 * largest string built is one 1 MiB piece of a long line).
 *
 * @module
 */
import { createHash } from "node:crypto";
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Bumped when the generator's output changes. The stamp also holds a hash of
 * this file, so an edited generator rebuilds the corpus in any case.
 */
export const GENERATOR_VERSION = 1;

/** What to generate, and where. */
export interface CorpusOptions {
  /** Directory holding `home/` and `stamp.json`. */
  dir: string;
  /** Approximate total size of the session files, in bytes. */
  targetBytes: number;
  /** PRNG seed. */
  seed: number;
  /** Rebuild even if the stamp matches. */
  force?: boolean;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** Line count and bytes of one line-size class. */
export interface SizeBucket {
  label: string;
  /** Upper bound in bytes (inclusive), Infinity for the last class. */
  max: number;
  lines: number;
  bytes: number;
}

/** What was generated; saved as `stamp.json` next to `home/`. */
export interface CorpusStats {
  generator: number;
  /** SHA-256 (first 16 hex digits) of this file's source. */
  source: string;
  seed: number;
  targetBytes: number;
  /** Total bytes of the session files. */
  bytes: number;
  projects: number;
  sessions: number;
  forks: number;
  emptySessions: number;
  /** Lines, terminated or not. */
  lines: number;
  /** Complete message lines: what any correct reader must count. */
  messages: number;
  screenshots: number;
  /** Lines longer than 8 MiB. */
  hugeLines: number;
  /** Sessions ending in a line cut short by a crash. */
  truncatedSessions: number;
  histogram: SizeBucket[];
  /** Seconds the generation took. */
  seconds: number;
}

/** A generated (or reused) corpus. */
export interface Corpus {
  /** The zot home to pass as `--home`. */
  home: string;
  stats: CorpusStats;
  /** True when an existing corpus with the same parameters was reused. */
  reused: boolean;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Parses a size such as `200MB`, `1GB`, `1.5G`, `512MiB` or `1000000` into
 * bytes. Decimal units (KB, MB, GB; K, M, G) are powers of 1000, binary ones
 * (KiB, MiB, GiB) powers of 1024.
 *
 * @example
 * parseSize("200MB") // 200_000_000
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)b?\s*$/i.exec(text);
  if (!m) throw new Error(`Cannot read size "${text}": use e.g. 200MB or 1GB`);
  const power = " kmgt".indexOf(m[2].toLowerCase() || " ");
  const base = m[3] ? 1024 : 1000;
  const bytes = Math.round(Number(m[1]) * base ** power);
  if (bytes < 1_000_000) throw new Error(`Cannot use size "${text}": at least 1MB`);
  return bytes;
}

/**
 * Returns the corpus under `options.dir`, generating it unless a stamp with
 * the same generator version, seed and target size says it is already there
 * (and the files on disk still add up to the stamped size).
 *
 * @example
 * const { home, stats } = await ensureCorpus({ dir: "bench/corpus", targetBytes: 200e6, seed: 1 });
 */
export async function ensureCorpus(options: CorpusOptions): Promise<Corpus> {
  const home = join(options.dir, "home");
  const stampPath = join(options.dir, "stamp.json");
  const source = createHash("sha256")
    .update(await readFile(fileURLToPath(import.meta.url)))
    .digest("hex").slice(0, 16);
  if (!options.force) {
    const stamp = await readStamp(stampPath);
    if (
      stamp && stamp.generator === GENERATOR_VERSION && stamp.source === source &&
      stamp.seed === options.seed &&
      stamp.targetBytes === options.targetBytes && await sessionBytes(home) === stamp.bytes
    ) {
      return { home, stats: stamp, reused: true };
    }
  }
  await rm(stampPath, { force: true });
  await rm(home, { recursive: true, force: true });
  await mkdir(join(home, "sessions"), { recursive: true });
  const started = performance.now();
  const stats = await new CorpusWriter(home, options).run();
  stats.source = source;
  stats.seconds = Math.round((performance.now() - started) / 100) / 10;
  await writeFile(stampPath, JSON.stringify(stats, null, 2) + "\n");
  return { home, stats, reused: false };
}

async function readStamp(path: string): Promise<CorpusStats | null> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as CorpusStats;
  } catch {
    return null;
  }
}

/** Sum of the sizes of `home/sessions/*\/*.jsonl`, or -1 if there is no such tree. */
async function sessionBytes(home: string): Promise<number> {
  try {
    let total = 0;
    const root = join(home, "sessions");
    for (const dir of await readdir(root)) {
      for (const name of await readdir(join(root, dir))) {
        if (name.endsWith(".jsonl")) total += (await stat(join(root, dir, name))).size;
      }
    }
    return total;
  } catch {
    return -1;
  }
}

// ---------------------------------------------------------------------------
// Randomness: mulberry32, the same stream in every JS engine.

class Rng {
  #a: number;
  constructor(seed: number) {
    this.#a = seed >>> 0;
  }
  next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Log-uniform in [lo, hi): as many 10–20 KB values as 100–200 KB ones. */
  logUniform(lo: number, hi: number): number {
    return lo * (hi / lo) ** this.next();
  }
  /** A weighted choice: `weights[i]` is the weight of index i. */
  weighted(weights: readonly number[]): number {
    let r = this.next() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
  string(alphabet: string, n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX = "0123456789abcdef";

function uuid(rng: Rng): string {
  const h = rng.string(HEX, 32).split("");
  h[12] = "4";
  h[16] = HEX[8 + rng.int(0, 3)];
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

// ---------------------------------------------------------------------------
// Encoding as Go writes it.

/** JSON as Go's encoding/json writes it: JS key order as built, HTML escaped. */
function goJSON(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/** The inside of a Go JSON string literal (no quotes). */
function goString(text: string): string {
  return goJSON(text).slice(1, -1);
}

/** A user's clock: UTC offset in minutes at an instant (ms), or "Z". */
type Zone = (ms: number) => number | "Z";

const BERLIN: Zone = (ms) =>
  ms >= Date.UTC(2026, 2, 29, 1) && ms < Date.UTC(2026, 9, 25, 1) ? 120 : 60;
const NEW_YORK: Zone = (ms) =>
  ms >= Date.UTC(2026, 2, 8, 7) && ms < Date.UTC(2026, 10, 1, 6) ? -240 : -300;
const TOKYO: Zone = () => 540;
const KOLKATA: Zone = () => 330;
const UTC: Zone = () => "Z";

/** Go's RFC3339Nano: fraction trimmed of trailing zeros, `Z` or `±hh:mm`. */
function formatTime(ms: number, ns: number, zone: Zone): string {
  const off = zone(ms);
  const minutes = off === "Z" ? 0 : off;
  const wall = new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
  const fraction = String((ms % 1000) * 1_000_000 + ns).padStart(9, "0").replace(/0+$/, "");
  let suffix = "Z";
  if (off !== "Z") {
    const abs = Math.abs(off);
    suffix = (off < 0 ? "-" : "+") + String(Math.floor(abs / 60)).padStart(2, "0") + ":" +
      String(abs % 60).padStart(2, "0");
  }
  return wall + (fraction ? "." + fraction : "") + suffix;
}

// ---------------------------------------------------------------------------
// Text material, built once per corpus from the seed.

const WORDS = (
  "account balance cache client config context cursor deploy error event fetch handler index " +
  "invoice ledger limit migration order page parser payload query queue reader record request " +
  "retry router schema server session shard stream table tenant token upload user worker " +
  "buffer commit branch build bundle chart checkout coupon export filter format import layout " +
  "metric module offset option plugin policy report result runner sample script search signal"
).split(" ");
const FUNCS = ["Load", "Parse", "Render", "Apply", "Flush", "Resolve", "Scan", "Merge", "Encode"];
const PATHS = [
  "api/accounts.go",
  "ledger/round.go",
  "store/pg/query.go",
  "web/src/components/Cart.tsx",
  "web/src/pages/checkout.tsx",
  "infra/terraform/main.tf",
  "pipeline/train.py",
  "docs/ARCHITECTURE.md",
  "cmd/ledgerd/main.go",
  "scripts/release.sh",
];

function codeLine(rng: Rng): string {
  const w = () => rng.pick(WORDS);
  const f = () => rng.pick(FUNCS) + w()[0].toUpperCase() + w().slice(1);
  const n = () => rng.int(0, 4096);
  switch (rng.int(0, 15)) {
    case 0:
      return `func ${f()}(ctx context.Context, ${w()} string) (*${f()}, error) {`;
    case 1:
      return `\tif err := ${f()}(ctx, ${w()}); err != nil {`;
    case 2:
      return `\t\treturn nil, fmt.Errorf("${w()} ${w()}: %w", err)`;
    case 3:
      return `    return <div className="${w()}-${w()}">{${w()}.${w()} && <${f()} />}</div>;`;
    case 4:
      return `const ${w()}${f()} = await fetch(\`/api/${w()}/\${id}?limit=${n()}\`);`;
    case 5:
      return `2026-03-14T09:${rng.int(10, 59)}:${rng.int(10, 59)}.${n()}Z INFO  ${w()} ${w()} ` +
        `id=${rng.string(HEX, 12)} took=${n()}ms`;
    case 6:
      return `--- FAIL: Test${f()} (0.0${rng.int(0, 9)}s)`;
    case 7:
      return `ok  \tgithub.com/acme/${w()}-api/${w()}\t0.${n()}s`;
    case 8:
      return `${rng.pick(PATHS)}:${n()}:${rng.int(1, 80)}: ${w()} declared and not used`;
    case 9:
      return `    ${w()}_${w()} = self.${w()}(${w()}, ${w()}=${n()})  # ${w()} ${w()}`;
    case 10:
      return `// 注意: ${w()} は ${w()} の前に呼ぶこと (${n()})`;
    case 11:
      return `  ✓ ${w()} ${w()} renders ${w()} (${n()} ms) — café 🚀`;
    case 12:
      return `drwxr-xr-x  ${rng.int(2, 9)} dev dev  4096 Mar ${rng.int(10, 28)} 09:${
        rng.int(10, 59)
      } ${w()}`;
    case 13:
      return `-rw-r--r--  1 dev dev ${n() * 7} Mar ${rng.int(10, 28)} 10:${
        rng.int(10, 59)
      } ${w()}.${rng.pick(["go", "ts", "py", "md"])}`;
    case 14:
      return `SELECT a.${w()}, b.${w()} FROM ${w()} a LEFT JOIN ${w()} b ON a.id = b.${w()}_id ` +
        `WHERE a.owner_id = $1 AND b.${w()} > ${n()};`;
    default:
      return "";
  }
}

const PROMPTS = [
  "go test ./... is failing in ledger/ after the rounding change. Can you fix it?",
  "Profile the /v1/accounts endpoint; p99 latency went from 40ms to 180ms since Monday.",
  "The invoice table overflows on mobile — see screenshot. What CSS would fix it?",
  "Refactor the <Cart> component so the coupon logic & totals live in a hook.",
  "Why does the nightly export job OOM? Here's the log.",
  "Add a --dry-run flag to scripts/release.sh and document it.",
  "Write table tests for Parse with negative, zero and overflow inputs.",
  "Can you explain what store/pg/query.go does, function by function?",
  "Migrate the terraform state bucket to the new account without downtime.",
  "このテストが時々失敗する理由を調べてください。",
  "Bump the pipeline to Python 3.13 and fix whatever breaks.",
  "Summarise the open TODOs in docs/ARCHITECTURE.md and propose an order.",
];
const FOLLOW_UPS = [
  "Great. Can you commit it?",
  "Also add a test for the empty case.",
  "Run the whole suite with -race.",
  "That didn't work, same error. Look at the config again.",
  "ok, now update the changelog",
  "Use the existing helper instead of a new one.",
  "Revert the last change, it broke the build.",
  "Looks good. What about the other call sites?",
];
const SENTENCES = [
  "Let me look at the failing test first.",
  "I'll start by reading the file to see how the values are computed.",
  "The error comes from the `<nil>` check happening after the dereference.",
  "Tests pass now. The change is limited to the two call sites that used the old helper.",
  "I found the cause: the query runs once per row (N+1). A single JOIN fixes it.",
  "Done — the component now delegates totals & coupons to `useCartTotals()`.",
  "Here's what changed:\n\n- moved the parsing into `Parse`\n- added table tests\n- removed the dead branch",
  "The log shows the heap growing by ~40 MB per batch; the exporter keeps every row in memory.",
  "I'll run the linter before committing.",
];
const TITLES = [
  "fix ledger rounding",
  "accounts p99 regression",
  "cart hook refactor <Cart> & coupons",
  "export OOM",
  "release.sh --dry-run",
  "テストの不安定さ",
  "py3.13 bump",
  "terraform state move 🚚",
];

/** Shared pools: escaped text lines and base64 noise, built once. */
class Material {
  /** Go-escaped text lines (no quotes), for tool output. */
  readonly lines: string[] = [];
  /** Random base64 characters, for images and encrypted reasoning. */
  readonly base64: string;

  constructor(rng: Rng) {
    for (let i = 0; i < 8192; i++) this.lines.push(goString(codeLine(rng)));
    const parts: string[] = [];
    for (let i = 0; i < 256; i++) parts.push(rng.string(BASE64, 4096));
    this.base64 = parts.join(""); // 1 MiB
  }

  /** Escaped text of about `size` bytes, as pieces of at most ~1 MiB. */
  *text(rng: Rng, size: number): Generator<string> {
    let i = rng.int(0, this.lines.length - 1);
    let piece: string[] = [];
    let pieceLength = 0;
    let total = 0;
    while (total < size) {
      const line = this.lines[i];
      i = (i + 1 + (rng.next() < 0.1 ? rng.int(0, 50) : 0)) % this.lines.length;
      piece.push(line);
      pieceLength += line.length + 2;
      total += line.length + 2;
      if (pieceLength >= MiB) {
        yield piece.join("\\n") + "\\n";
        piece = [];
        pieceLength = 0;
      }
    }
    if (piece.length) yield piece.join("\\n");
  }

  /** Escaped text of about `size` bytes, as one string (small sizes only). */
  textString(rng: Rng, size: number): string {
    return [...this.text(rng, size)].join("");
  }

  /** Base64 of about `size` characters (a multiple of 4), in pieces. */
  *image(rng: Rng, size: number, header: string): Generator<string> {
    const length = Math.max(header.length, Math.round(size / 4) * 4);
    yield header;
    let left = length - header.length;
    while (left > 0) {
      const n = Math.min(left, rng.int(64, 256) * KiB);
      const from = rng.int(0, (this.base64.length - n) >> 2) << 2;
      yield this.base64.slice(from, from + n);
      left -= n;
    }
  }

  /** An opaque reasoning blob as OpenAI returns it. */
  encrypted(rng: Rng): string {
    const n = rng.int(140, 1400) * 4;
    const from = rng.int(0, (this.base64.length - n) >> 2) << 2;
    return "gAAAAAB" + this.base64.slice(from, from + n);
  }
}

const PNG_HEADER = "iVBORw0KGgoAAAANSUhEUgAA";
const JPEG_HEADER = "/9j/4AAQSkZJRgABAQAAAQABAAD/";

// ---------------------------------------------------------------------------
// Writing: a 1 MiB buffer filled with TextEncoder.encodeInto, flushed to disk.

const encoder = new TextEncoder();

class FileWriter {
  readonly #file: FileHandle;
  readonly #buffer = new Uint8Array(MiB);
  #used = 0;
  /** Bytes written so far (buffered included): the offset of the next byte. */
  offset = 0;

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  static async create(path: string): Promise<FileWriter> {
    return new FileWriter(await open(path, "w"));
  }

  async write(text: string): Promise<void> {
    let rest = text;
    while (true) {
      const { read, written } = encoder.encodeInto(rest, this.#buffer.subarray(this.#used));
      this.#used += written;
      this.offset += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      await this.flush();
    }
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (bytes.length > this.#buffer.length - this.#used) await this.flush();
    if (bytes.length >= this.#buffer.length) {
      await this.#writeAll(bytes);
    } else {
      this.#buffer.set(bytes, this.#used);
      this.#used += bytes.length;
    }
    this.offset += bytes.length;
  }

  async flush(): Promise<void> {
    if (this.#used === 0) return;
    await this.#writeAll(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#file.close();
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.#file.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
  }
}

// ---------------------------------------------------------------------------
// Sessions.

interface Totals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cost: number;
}

function usageJSON(t: Totals): string {
  return `{"input_tokens":${t.input},"output_tokens":${t.output},"cache_read_tokens":${t.cacheRead},` +
    `"cache_write_tokens":${t.cacheWrite},"cost_usd":${JSON.stringify(t.cost)}}`;
}

interface Model {
  model: string;
  provider: string;
  /** $ per million tokens: input, output, cache read, cache write. */
  price: [number, number, number, number];
}

const MODELS: Model[] = [
  { model: "claude-sonnet-4-5", provider: "anthropic", price: [3, 15, 0.3, 3.75] },
  { model: "claude-opus-4-1", provider: "anthropic", price: [15, 75, 1.5, 18.75] },
  { model: "claude-haiku-4-5", provider: "anthropic", price: [1, 5, 0.1, 1.25] },
  { model: "gpt-5", provider: "openai", price: [1.25, 10, 0.125, 0] },
  { model: "gpt-5-mini", provider: "openai", price: [0.25, 2, 0.025, 0] },
];
const MODEL_WEIGHTS = [50, 10, 8, 25, 7];

interface Project {
  cwd: string;
  key: string;
  zone: Zone;
  weight: number;
  /** Recent sessions that may be forked. */
  recent: ForkSource[];
}

const PROJECTS: Omit<Project, "key" | "recent">[] = [
  { cwd: "/home/dev/ledger-api", zone: BERLIN, weight: 30 },
  { cwd: "/home/dev/web-shop", zone: NEW_YORK, weight: 22 },
  { cwd: "/home/dev/\u30d7\u30ed\u30b8\u30a7\u30af\u30c8/caf\u00e9", zone: TOKYO, weight: 10 },
  { cwd: "/srv/ci/monorepo", zone: UTC, weight: 12 },
  { cwd: "/home/dev/src/github.com/acme/infra", zone: BERLIN, weight: 10 },
  { cwd: "/home/dev/ml-pipeline", zone: KOLKATA, weight: 8 },
  { cwd: "/home/dev/dotfiles", zone: BERLIN, weight: 5 },
  { cwd: "/home/dev/scratch with spaces", zone: NEW_YORK, weight: 3 },
];

/** A message line after which `/session fork` may cut. */
interface ForkPoint {
  /** Message lines up to and including this one. */
  messages: number;
  /** Byte offset just after this line. */
  end: number;
  /** Running totals at that point (the last usage line before it). */
  totals: Totals;
}

/** What a later fork needs of a finished session. */
interface ForkSource {
  path: string;
  id: string;
  model: Model;
  points: ForkPoint[];
  /** Byte ranges [start, end) of the message and usage lines, in order. */
  ranges: [number, number][];
}

type HugeKind = "tool-text" | "user-paste" | "tool-image";

const BUCKETS: [string, number][] = [
  ["≤ 1 KiB", KiB],
  ["1–10 KiB", 10 * KiB],
  ["10–200 KiB", 200 * KiB],
  ["200 KiB–1 MiB", MiB],
  ["1–8 MiB", 8 * MiB],
  ["> 8 MiB", Infinity],
];

class CorpusWriter {
  readonly #home: string;
  readonly #options: CorpusOptions;
  readonly #rng: Rng;
  readonly #material: Material;
  readonly #projects: Project[];
  readonly #stats: CorpusStats;
  /** Global clock (ms): sessions follow each other. */
  #clock = Date.UTC(2026, 0, 5, 8, 0, 0);
  readonly #gapMs: number;
  /** Byte positions at which the next huge line is due, and its kind. */
  readonly #huge: { at: number; kind: HugeKind; size: number }[] = [];
  #truncateAt: number;

  constructor(home: string, options: CorpusOptions) {
    this.#home = home;
    this.#options = options;
    this.#rng = new Rng(options.seed);
    this.#material = new Material(new Rng(options.seed ^ 0x5eed));
    this.#projects = PROJECTS.map((p) => ({
      ...p,
      key: createHash("sha256").update(p.cwd, "utf8").digest("hex").slice(0, 16),
      recent: [],
    }));
    const target = options.targetBytes;
    // About 650 KB per session on average: spread them over ten months.
    this.#gapMs = (300 * 86_400_000) / Math.max(1, target / 650_000);
    const hugeCount = Math.max(2, Math.round(target / 150e6));
    const kinds: HugeKind[] = ["tool-text", "user-paste", "tool-text", "tool-image"];
    for (let k = 0; k < hugeCount; k++) {
      const size = k === 0 ? 20e6 : k === 1 ? 9.5e6 : this.#rng.logUniform(8.6 * MiB, 24e6);
      this.#huge.push({ at: (target * (k + 0.5)) / hugeCount, kind: kinds[k % 4], size });
    }
    this.#truncateAt = target * 0.6;
    this.#stats = {
      generator: GENERATOR_VERSION,
      source: "",
      seed: options.seed,
      targetBytes: target,
      bytes: 0,
      projects: 0,
      sessions: 0,
      forks: 0,
      emptySessions: 0,
      lines: 0,
      messages: 0,
      screenshots: 0,
      hugeLines: 0,
      truncatedSessions: 0,
      histogram: BUCKETS.map(([label, max]) => ({ label, max, lines: 0, bytes: 0 })),
      seconds: 0,
    };
  }

  async run(): Promise<CorpusStats> {
    const target = this.#options.targetBytes;
    let reported = 0;
    const used = new Set<string>();
    while (this.#stats.bytes < target) {
      const project = this.#projects[this.#rng.weighted(this.#projects.map((p) => p.weight))];
      if (!used.has(project.key)) {
        used.add(project.key);
        await mkdir(join(this.#home, "sessions", project.key), { recursive: true });
      }
      await this.#session(project);
      if (this.#stats.bytes - reported >= 100e6) {
        reported = this.#stats.bytes;
        this.#options.log?.(`  generated ${(reported / 1e6).toFixed(0)} MB`);
      }
    }
    this.#stats.projects = used.size;
    // Histogram bounds as JSON-safe numbers.
    for (const b of this.#stats.histogram) if (b.max === Infinity) b.max = Number.MAX_SAFE_INTEGER;
    return this.#stats;
  }

  /** How many bytes the next session should get (before it stops adding turns). */
  #budget(): number {
    const r = this.#rng;
    switch (r.weighted([3, 42, 47, 8])) {
      case 0:
        return 0; // empty session
      case 1:
        return r.logUniform(3e3, 60e3);
      case 2:
        return r.logUniform(60e3, 1.5e6);
      default:
        return r.logUniform(1.5e6, 10e6);
    }
  }

  async #session(project: Project): Promise<void> {
    const r = this.#rng;
    this.#clock += Math.round(r.logUniform(0.05, 4) * this.#gapMs / 1.2);
    const budget = this.#budget();
    let parent: ForkSource | null = null;
    let point: ForkPoint | null = null;
    if (budget > 0 && project.recent.length > 0 && r.chance(0.08)) {
      parent = r.pick(project.recent);
      const points = parent.points.filter((p) => p.end <= 8 * MiB);
      point = points.length ? r.pick(points) : null;
      if (!point) parent = null;
    }
    const s = new SessionWriter(this, project, this.#clock, r.int(0, 999_999), parent, point);
    await s.open();
    if (budget === 0) {
      this.#stats.emptySessions++;
      if (r.chance(0.2)) await s.usageLine(); // an aborted first request
    } else {
      let first = true;
      const truncate = this.#stats.bytes >= this.#truncateAt;
      if (truncate) this.#truncateAt = Infinity;
      while (first || s.written < budget) {
        await s.turn(first, budget);
        first = false;
      }
      if (truncate) {
        await s.truncatedLine();
        this.#stats.truncatedSessions++;
      }
    }
    const source = await s.close();
    this.#stats.sessions++;
    if (parent) this.#stats.forks++;
    if (source) {
      project.recent.push(source);
      if (project.recent.length > 4) project.recent.shift();
    }
    this.#clock = Math.max(this.#clock, s.clock);
  }

  // Shared state the session writer reaches for.
  get rng(): Rng {
    return this.#rng;
  }
  get material(): Material {
    return this.#material;
  }
  get home(): string {
    return this.#home;
  }

  /** Counts a finished line of `length` bytes (without its `\n`). */
  countLine(length: number, terminated: boolean): void {
    const s = this.#stats;
    s.lines++;
    s.bytes += length + (terminated ? 1 : 0);
    const bucket = s.histogram.find((b) => length <= b.max)!;
    bucket.lines++;
    bucket.bytes += length;
    if (length > 8 * MiB) s.hugeLines++;
  }
  countMessage(): void {
    this.#stats.messages++;
  }
  countScreenshot(): void {
    this.#stats.screenshots++;
  }
  /** Counts copied bytes (fork), whose lines were counted when first written. */
  countCopy(lines: number[], messages: number): void {
    for (const length of lines) this.countLine(length, true);
    this.#stats.messages += messages;
  }

  /** The huge line due now, if the corpus has grown past its position. */
  takeHuge(kind: HugeKind): { kind: HugeKind; size: number } | null {
    const next = this.#huge[0];
    if (!next || next.kind !== kind || this.#stats.bytes < next.at) return null;
    return this.#huge.shift()!;
  }
  /** True when a huge line of `kind` is due (to route the next turn to it). */
  hugeDue(kind: HugeKind): boolean {
    const next = this.#huge[0];
    return !!next && next.kind === kind && this.#stats.bytes >= next.at;
  }
}

/** One session file being written: zot's bookkeeping, line by line. */
class SessionWriter {
  readonly #g: CorpusWriter;
  readonly #r: Rng;
  readonly #project: Project;
  readonly id: string;
  readonly #started: number;
  readonly #startedNs: number;
  readonly #path: string;
  #file!: FileWriter;
  #model: Model;
  readonly #firstModel: Model;
  readonly #parent: ForkSource | null;
  readonly #point: ForkPoint | null;
  #totals: Totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, cost: 0 };
  /** Context window tokens, and how much of it is cached. */
  #context = 5873;
  #cached = 0;
  #messages = 0;
  #lastTime = 0;
  clock: number;
  readonly #points: ForkPoint[] = [];
  readonly #ranges: [number, number][] = [];
  #forkable = true;

  constructor(
    g: CorpusWriter,
    project: Project,
    started: number,
    startedNs: number,
    parent: ForkSource | null,
    point: ForkPoint | null,
  ) {
    this.#g = g;
    this.#r = g.rng;
    this.#project = project;
    this.id = uuid(this.#r);
    this.#started = started;
    this.#startedNs = startedNs;
    this.clock = started;
    this.#parent = parent;
    this.#point = point;
    this.#model = parent ? parent.model : MODELS[this.#r.weighted(MODEL_WEIGHTS)];
    this.#firstModel = this.#model;
    const stamp = new Date(started).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(
      0,
      15,
    );
    this.#path = join(g.home, "sessions", project.key, `${stamp}-${this.id.slice(0, 8)}.jsonl`);
  }

  /** Bytes written so far. */
  get written(): number {
    return this.#file.offset;
  }

  async open(): Promise<void> {
    this.#file = await FileWriter.create(this.#path);
    const meta: Record<string, unknown> = {
      id: this.id,
      cwd: this.#project.cwd,
      model: this.#model.model,
      provider: this.#model.provider,
      started: formatTime(this.#started, this.#startedNs, UTC),
      version: this.#r.pick(["0.1.58", "0.1.60", "0.1.61", "0.2.0"]),
    };
    if (this.#parent && this.#point) {
      meta.parent = this.#parent.id;
      meta.fork_point = this.#point.messages;
    }
    await this.#line("meta", [`{"type":"meta","meta":${goJSON(meta)}}`]);
    if (this.#parent && this.#point) await this.#copyFork(this.#parent, this.#point);
  }

  /** `/session fork`: the parent's message and usage lines up to the point, verbatim. */
  async #copyFork(parent: ForkSource, point: ForkPoint): Promise<void> {
    const from = await open(parent.path, "r");
    try {
      const lines: number[] = [];
      // Each copied range: where it starts in the parent and in this file.
      const copied: { parent: number; child: number; length: number }[] = [];
      for (const [start, rangeEnd] of parent.ranges) {
        if (start >= point.end) break;
        const end = Math.min(rangeEnd, point.end);
        const bytes = new Uint8Array(end - start);
        let done = 0;
        while (done < bytes.length) {
          const { bytesRead } = await from.read(bytes, done, bytes.length - done, start + done);
          if (bytesRead === 0) throw new Error(`Cannot fork "${parent.path}": short read`);
          done += bytesRead;
        }
        const offset = this.#file.offset;
        await this.#file.writeBytes(bytes);
        copied.push({ parent: start, child: offset, length: bytes.length });
        let lineStart = 0;
        for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) {
          lines.push(i - lineStart);
          lineStart = i + 1;
        }
      }
      const first = copied[0];
      const last = copied[copied.length - 1];
      this.#ranges.push([first.child, last.child + last.length]);
      this.#g.countCopy(lines, point.messages);
      this.#messages = point.messages;
      this.#totals = { ...point.totals };
      // The parent's fork points inside the copy, at their offsets in this file.
      for (const p of parent.points) {
        if (p.messages > point.messages) break;
        const c = copied.find((c) => p.end > c.parent && p.end <= c.parent + c.length)!;
        this.#points.push({ ...p, totals: { ...p.totals }, end: c.child + (p.end - c.parent) });
      }
      this.#context = 5873 + Math.min(150_000, Math.round(point.end / 4));
      this.#cached = 0;
    } finally {
      await from.close();
    }
  }

  #time(): string {
    this.#lastTime = this.clock;
    return formatTime(this.clock, this.#r.int(0, 999_999), this.#project.zone);
  }

  #wait(lo: number, hi: number): void {
    this.clock += Math.round(this.#r.logUniform(lo, hi) * 1000);
  }

  async #line(kind: string, parts: Iterable<string>): Promise<void> {
    const start = this.#file.offset;
    for (const p of parts) await this.#file.write(p);
    await this.#file.write("\n");
    const end = this.#file.offset;
    this.#g.countLine(end - start - 1, true);
    if (kind === "message" || kind === "usage") {
      const last = this.#ranges[this.#ranges.length - 1];
      if (last && last[1] === start) last[1] = end;
      else this.#ranges.push([start, end]);
    }
  }

  async #message(
    role: string,
    content: Iterable<string> | null,
    meta?: Record<string, string>,
    forkPoint = false,
  ): Promise<void> {
    const time = this.#time();
    function* parts(): Generator<string> {
      yield `{"type":"message","message":{"role":"${role}","content":`;
      if (content === null) yield "null";
      else yield* content;
      yield `,"time":"${time}"`;
      if (meta) yield `,"meta":${goJSON(meta)}`;
      yield "}}";
    }
    await this.#line("message", parts());
    this.#messages++;
    this.#g.countMessage();
    if (forkPoint) {
      this.#points.push({
        messages: this.#messages,
        end: this.#file.offset,
        totals: { ...this.#totals },
      });
    }
  }

  /** A model call: charge it and write the usage row (running totals twice). */
  async usageLine(outputTokens = 0, repeat = false): Promise<void> {
    if (!repeat) {
      const [pin, pout, pread, pwrite] = this.#model.price;
      const t = this.#totals;
      const fresh = this.#context - this.#cached;
      const input = this.#r.int(1, 12);
      if (this.#model.provider === "openai") {
        t.input += input + fresh;
        t.cacheRead += this.#cached;
        t.cost += ((input + fresh) * pin + this.#cached * pread) / 1e6;
      } else {
        t.input += input;
        t.cacheRead += this.#cached;
        t.cacheWrite += fresh;
        t.cost += (input * pin + this.#cached * pread + fresh * pwrite) / 1e6;
      }
      t.output += outputTokens;
      t.cost += (outputTokens * pout) / 1e6;
      this.#cached = this.#context;
      this.#context += outputTokens;
    }
    const u = usageJSON(this.#totals);
    await this.#line("usage", [`{"type":"usage","usage":${u},"cumulative":${u}}`]);
  }

  #addContext(bytes: number): void {
    this.#context += Math.min(30_000, Math.round(bytes / 3.6));
  }

  /** One user turn: prompt, a few tool calls, a final reply. */
  async turn(first: boolean, budget: number): Promise<void> {
    const r = this.#r;
    const g = this.#g;
    if (!first) this.#wait(15, 900);
    // Compaction when the context window fills up.
    if (this.#context > 160_000) {
      const before = this.#context;
      const summary = goString(
        "Summary of the conversation so far: " + r.pick(SENTENCES) + " " + r.pick(SENTENCES),
      ) + "\\n\\n" + this.#g.material.textString(r, r.int(1500, 6000));
      await this.#message("user", [`[{"text":"${summary}"}]`], {
        compaction: "true",
        tokens_before: String(before),
      });
      this.#context = 5873 + 2000;
      this.#cached = 0;
    }
    // The user's message.
    const prompt = goString(first ? r.pick(PROMPTS) : r.pick([...FOLLOW_UPS, ...PROMPTS]));
    const blocks: Iterable<string>[] = [];
    const paste = first ? g.takeHuge("user-paste") : null;
    if (paste) {
      blocks.push([`{"text":"${prompt}"}`]);
      blocks.push(wrap(`{"text":"`, g.material.text(r, paste.size), `"}`));
    } else if (r.chance(budget > 1.5e6 ? 0.03 : 0.004)) {
      // A pasted screenshot, occasionally with no words at all.
      if (!r.chance(0.15)) blocks.push([`{"text":"${prompt}"}`]);
      const jpeg = r.chance(0.3);
      blocks.push(
        wrap(
          `{"mime_type":"${jpeg ? "image/jpeg" : "image/png"}","data":"`,
          g.material.image(r, r.logUniform(1e6, 5e6), jpeg ? JPEG_HEADER : PNG_HEADER),
          `"}`,
        ),
      );
      g.countScreenshot();
    } else {
      blocks.push([`{"text":"${prompt}"}`]);
    }
    this.#addContext(paste ? 30_000 * 4 : prompt.length);
    await this.#message("user", list(blocks), undefined, true);
    if (this.#r.chance(0.04) && !first) {
      await this.#rename();
    }

    // Tool calls.
    const calls = Math.min(40, 1 + Math.floor(r.logUniform(1, 12)));
    for (let c = 0; c < calls; c++) {
      if (c > 0 && this.written > budget && !g.hugeDue("tool-text") && !g.hugeDue("tool-image")) {
        break;
      }
      this.#wait(0.5, 8);
      const out = r.int(40, 600);
      await this.usageLine(out);
      const lead: string[] = [];
      if (this.#model.provider === "openai" && r.chance(0.6)) {
        lead.push(
          `{"reasoning_id":"rs_${r.string(HEX, 48)}","summary":"${
            goString("**" + r.pick(WORDS) + "**\n\n" + r.pick(SENTENCES))
          }","encrypted_content":"${g.material.encrypted(r)}"}`,
        );
      }
      if (r.chance(0.4)) lead.push(`{"text":"${goString(r.pick(SENTENCES))}"}`);
      const callId = this.#model.provider === "openai"
        ? "call_" + r.string(BASE62, 24)
        : "toolu_01" + r.string(BASE62, 22);
      const [name, args] = this.#toolCall();
      const call = `{"id":"${callId}","name":"${name}","arguments":${goJSON(args)}}`;
      await this.#message("assistant", ["[", [...lead, call].join(","), "]"]);
      if (r.chance(0.01)) return; // aborted: a call without a result, turn over
      this.#wait(0.05, 30);
      await this.#toolResult(callId, name === "bash" ? String(args.command) : null, budget);
    }

    // The final reply.
    this.#wait(0.5, 10);
    const out = r.int(20, 400);
    await this.usageLine(out);
    if (r.chance(0.003)) {
      await this.#message("assistant", null, undefined, true);
    } else {
      const text = goString(r.pick(SENTENCES) + (r.chance(0.3) ? "\n\n" + r.pick(SENTENCES) : ""));
      await this.#message("assistant", [`[{"text":"${text}"}]`], undefined, true);
    }
    if (r.chance(0.03)) await this.usageLine(0, true); // flushed again, unchanged
    if (first && r.chance(0.3)) await this.#rename();
    if (r.chance(0.02)) await this.#switchModel();
  }

  #toolCall(): [string, Record<string, unknown>] {
    const r = this.#r;
    const path = r.pick(PATHS);
    switch (r.weighted([45, 30, 15, 10])) {
      case 0:
        return ["bash", {
          command: r.pick([
            "go test ./...",
            "npm run build 2>&1 | tail -50",
            `grep -rn "${r.pick(WORDS)}" .`,
            "git log --oneline -20 && git status",
            "python -m pytest -x -q",
            "terraform plan -no-color",
          ]),
        }];
      case 1:
        return ["read", { path }];
      case 2:
        return ["edit", {
          path,
          edits: [{ oldText: codeLine(r), newText: codeLine(r) }],
        }];
      default:
        return ["write", { path, content: [codeLine(r), codeLine(r), codeLine(r)].join("\n") }];
    }
  }

  /** A tool's result; zot's bash tool echoes the command and ends with its status. */
  async #toolResult(callId: string, command: string | null, budget: number): Promise<void> {
    const r = this.#r;
    const g = this.#g;
    const head = command === null ? "" : goString(`$ ${command}\n\n`);
    const tail = (exit: number) =>
      command === null ? "" : `\\n\\n[exit ${exit}]  Took ${(r.int(1, 300) / 10).toFixed(1)}s`;
    const huge = g.takeHuge("tool-text") ?? g.takeHuge("tool-image");
    let body: Iterable<string>;
    let size: number;
    let isError = false;
    if (huge?.kind === "tool-image") {
      size = huge.size;
      body = wrap(
        `[{"mime_type":"image/png","data":"`,
        g.material.image(r, size, PNG_HEADER),
        `"}]`,
      );
      g.countScreenshot();
    } else if (huge) {
      size = huge.size;
      body = wrap(`[{"text":"${head}`, g.material.text(r, size), `${tail(0)}"}]`);
    } else {
      // Small sessions hold small results; large ones the whole range.
      const cap = Math.max(2e3, budget / 3);
      const kind = r.weighted([50, 12, 35, 1.5, 0.2]);
      const screenshot = kind === 4 && cap > 1e6;
      size = screenshot ? r.logUniform(1e6, 5e6) : Math.min(
        cap,
        kind === 0
          ? r.logUniform(80, 3e3)
          : kind === 1
          ? r.logUniform(3e3, 10e3)
          : kind === 2
          ? r.logUniform(10e3, 200e3)
          : r.logUniform(200e3, 1e6),
      );
      if (screenshot) {
        body = wrap(
          `[{"mime_type":"image/png","data":"`,
          g.material.image(r, size, PNG_HEADER),
          `"}]`,
        );
        g.countScreenshot();
      } else {
        isError = command !== null && r.chance(0.08);
        body = [`[{"text":"${head}`, g.material.textString(r, size), `${tail(isError ? 1 : 0)}"}]`];
      }
    }
    this.#addContext(size);
    await this.#message(
      "tool",
      wrap(`[{"call_id":"${callId}","content":`, body, `,"is_error":${isError}}]`),
    );
  }

  async #rename(): Promise<void> {
    const r = this.#r;
    const title = r.chance(0.08) ? "" : r.pick(TITLES);
    await this.#line("rename", [`{"title":${goJSON(title)},"type":"rename"}`]);
  }

  /** `/model`: a meta line with the new model and no title. */
  async #switchModel(): Promise<void> {
    const r = this.#r;
    let next = this.#model;
    while (next === this.#model) next = MODELS[r.weighted(MODEL_WEIGHTS)];
    this.#model = next;
    this.#cached = 0;
    const meta = {
      id: this.id,
      cwd: this.#project.cwd,
      model: next.model,
      provider: next.provider,
      started: formatTime(this.#started, this.#startedNs, UTC),
      version: "0.1.61",
    };
    await this.#line("meta", [`{"type":"meta","meta":${goJSON(meta)}}`]);
  }

  /** A crash while writing: the first bytes of an assistant line, no newline. */
  async truncatedLine(): Promise<void> {
    this.#wait(0.5, 5);
    const whole = `{"type":"message","message":{"role":"assistant","content":[{"text":"${
      goString(this.#r.pick(SENTENCES))
    }"}],"time":"${this.#time()}"}}`;
    const cut = whole.slice(0, this.#r.int(40, whole.length - 3));
    const start = this.#file.offset;
    await this.#file.write(cut);
    this.#g.countLine(this.#file.offset - start, false);
    this.#forkable = false;
  }

  /** Closes the file, sets its mtime to the last write; returns it as a fork source. */
  async close(): Promise<ForkSource | null> {
    await this.#file.close();
    const last = Math.max(this.#lastTime, this.#started);
    await utimes(this.#path, last / 1000, last / 1000);
    this.clock = Math.max(this.clock, last);
    if (!this.#forkable || this.#points.length === 0) return null;
    return {
      path: this.#path,
      id: this.id,
      model: this.#firstModel,
      points: this.#points,
      ranges: this.#ranges,
    };
  }
}

function* wrap(head: string, body: Iterable<string>, tail: string): Generator<string> {
  yield head;
  yield* body;
  yield tail;
}

/** Blocks → a JSON array, piece by piece. */
function* list(blocks: Iterable<string>[]): Generator<string> {
  yield "[";
  let first = true;
  for (const b of blocks) {
    if (!first) yield ",";
    first = false;
    yield* b;
  }
  yield "]";
}
