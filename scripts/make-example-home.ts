/**
 * Writes `examples/home/`: a small, deterministic zot home (three projects,
 * ten sessions) for docs, demos and tests.
 *
 * Every line is shaped the way zot's own writer shapes it (FORMAT.md and the
 * real transcripts in `shared/samples/`): same key order, Go `encoding/json`
 * escaping, Go time formatting, zot's usage bookkeeping (both `usage` and
 * `cumulative` hold the running total) and zot's fork copying. The content
 * covers the edge cases a reader must get right: forks and a fork of a fork,
 * renames (one to `""`, one followed by a model switch), a model switch,
 * tool calls with an error result, images, reasoning blocks, a compaction
 * summary, `"content":null`, duplicate usage rows, an empty session, a CJK and
 * emoji title, a non-ASCII cwd, a session spanning midnight UTC at a month
 * end and one whose local clock goes backwards across a DST change.
 *
 * Usage (both runtimes must produce byte-identical trees):
 *
 *     deno run -A scripts/make-example-home.ts [OUTDIR]
 *     bun scripts/make-example-home.ts [OUTDIR]
 *
 * OUTDIR defaults to `examples/home` in the repository. Only
 * `OUTDIR/sessions` is deleted and rewritten. File modification times are set
 * to each session's last message (git does not keep mtimes, so rerun the
 * script, or set mtimes in the test, when ordering matters).
 *
 * @module
 */

import { mkdir, rm, utimes, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { projectKey } from "../lib/sessions/home.ts";

/** The cwd of the Go service project (clock: Europe/Berlin). */
export const LEDGER_CWD = "/home/dev/ledger-api";
/** The cwd of the web shop project (clock: America/New_York). */
export const SHOP_CWD = "/home/dev/web-shop";
/**
 * The non-ASCII cwd (clock: Asia/Tokyo), spelled with escapes so that it is
 * NFC no matter how an editor normalises this file: the per-cwd key hashes the
 * exact code points, and NFD would be a different project.
 */
export const CAFE_CWD = "/home/dev/\u30d7\u30ed\u30b8\u30a7\u30af\u30c8/caf\u00e9";

/**
 * Deletes `outDir/sessions` (and nothing else), then writes the example
 * sessions into it with their modification times set to their last message.
 */
export async function makeExampleHome(outDir: string): Promise<void> {
  const sessionsDir = join(outDir, "sessions");
  await rm(sessionsDir, { recursive: true, force: true });
  await mkdir(sessionsDir, { recursive: true });
  for (const session of buildSessions()) await session.writeTo(sessionsDir);
}

// ---------------------------------------------------------------------------
// Encoding: JSON and times exactly as Go writes them.

type Block = { [key: string]: unknown };

/**
 * JSON.stringify already matches Go's output for our values (same key order
 * as constructed, raw UTF-8, shortest float form); Go additionally escapes
 * HTML-sensitive characters and the JS line separators.
 */
export function goJSON(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

const NS_PER_S = 1_000_000_000n;

/** Parses a UTC RFC 3339 time into nanoseconds since the epoch. */
function instant(utc: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(utc);
  if (!m) throw new Error(`not a UTC RFC 3339 time: ${utc}`);
  const seconds = BigInt(Date.parse(m[1] + "Z") / 1000);
  return seconds * NS_PER_S + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/**
 * Go's RFC3339Nano: trailing zeros of the fraction trimmed (the dot too when
 * nothing is left), `Z` for UTC, else the numeric offset.
 */
function formatTime(t: bigint, offsetMinutes: number | "Z"): string {
  const off = offsetMinutes === "Z" ? 0 : offsetMinutes;
  const wall = new Date(Number(t / NS_PER_S) * 1000 + off * 60_000)
    .toISOString()
    .slice(0, 19);
  const fraction = (t % NS_PER_S).toString().padStart(9, "0").replace(
    /0+$/,
    "",
  );
  let zone = "Z";
  if (offsetMinutes !== "Z") {
    const abs = Math.abs(off);
    zone = (off < 0 ? "-" : "+") +
      String(Math.floor(abs / 60)).padStart(2, "0") + ":" +
      String(abs % 60).padStart(2, "0");
  }
  return wall + (fraction ? "." + fraction : "") + zone;
}

/** The user's UTC offset in minutes at an instant. */
type Zone = (t: bigint) => number;

// Real DST rules of 2026, so message offsets are what zot would have written.
const BERLIN_DST_END = instant("2026-10-25T01:00:00Z");
const NEW_YORK_DST_END = instant("2026-11-01T06:00:00Z");
const BERLIN: Zone = (t) => t < BERLIN_DST_END ? 120 : 60;
const NEW_YORK: Zone = (t) => t < NEW_YORK_DST_END ? -240 : -300;
const TOKYO: Zone = () => 540;

// ---------------------------------------------------------------------------
// Deterministic randomness (ids, sub-second jitter, small token counts). A
// seeded integer PRNG gives the same stream in every JS engine.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomString(rng: () => number, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
  return s;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

// ---------------------------------------------------------------------------
// A tiny PNG encoder (palette colour, stored deflate blocks), so the image
// blocks hold real, decodable PNGs without node:zlib: CompressionStream output
// could differ between runtimes and break byte-identical trees.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function chunk(type: string, data: number[]): number[] {
  const body = new Uint8Array([
    ...Array.from(type, (c) => c.charCodeAt(0)),
    ...data,
  ]);
  return [...u32(data.length), ...body, ...u32(crc32(body))];
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

type Rect = [x: number, y: number, w: number, h: number, colour: number];

/** A `width`×`height` palette PNG: background colour 0, rects painted in order. */
function png(
  width: number,
  height: number,
  palette: [number, number, number][],
  rects: Rect[],
): Uint8Array {
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(0); // filter type None
    for (let x = 0; x < width; x++) {
      let colour = 0;
      for (const [rx, ry, rw, rh, c] of rects) {
        if (x >= rx && x < rx + rw && y >= ry && y < ry + rh) colour = c;
      }
      raw.push(colour);
    }
  }
  if (raw.length > 0xffff) throw new Error("image too big for one block");
  let a = 1, b = 0; // Adler-32 of the raw bytes
  for (const v of raw) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  // zlib header (deflate, 32K window, no dictionary), then one final stored
  // block: BFINAL=1 BTYPE=00, LEN and its complement NLEN, the raw bytes.
  const len = raw.length;
  const header = [0x78, 0x01, 0x01, len & 0xff, len >>> 8];
  const nlen = [~len & 0xff, (~len >>> 8) & 0xff];
  const zlib = [...header, ...nlen, ...raw, ...u32(((b << 16) | a) >>> 0)];
  return new Uint8Array([
    ...PNG_SIGNATURE,
    ...chunk("IHDR", [...u32(width), ...u32(height), 8, 3, 0, 0, 0]),
    ...chunk("PLTE", palette.flat()),
    ...chunk("IDAT", zlib),
    ...chunk("IEND", []),
  ]);
}

// A phone-width product card whose "Add to cart" button (blue) sits on top of
// the price (green): the bug the user reports in the web-shop session.
const CARD_SCREENSHOT = png(
  72,
  48,
  [
    [238, 238, 238], // page
    [255, 255, 255], // card
    [200, 200, 200], // border
    [222, 196, 160], // product photo
    [40, 40, 40], // product name
    [30, 140, 70], // price
    [37, 99, 235], // button
    [255, 255, 255], // button label
  ],
  [
    [4, 2, 64, 44, 2],
    [5, 3, 62, 42, 1],
    [9, 6, 54, 20, 3],
    [9, 29, 34, 3, 4],
    [9, 36, 18, 5, 5],
    [22, 35, 40, 8, 6],
    [28, 38, 28, 2, 7],
  ],
);

// The café's top page after adding the autumn menu: banner (brown/orange)
// with two item cards below.
const BANNER_SCREENSHOT = png(
  64,
  40,
  [
    [250, 246, 240], // page
    [120, 72, 40], // banner
    [236, 150, 60], // banner text
    [255, 255, 255], // card
    [190, 140, 90], // mont blanc
    [170, 120, 80], // hojicha latte
  ],
  [
    [0, 0, 64, 14, 1],
    [8, 5, 40, 4, 2],
    [4, 18, 26, 18, 3],
    [34, 18, 26, 18, 3],
    [8, 21, 18, 10, 4],
    [38, 21, 18, 10, 5],
  ],
);

// ---------------------------------------------------------------------------
// Sessions

/**
 * USD per million tokens (list prices; the sonnet and gpt-5 rows reproduce
 * the costs in zot's real sample transcripts exactly).
 */
interface Price {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const PRICES: Record<string, Price> = {
  "claude-sonnet-4-5": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  "claude-haiku-4-5": { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  "gpt-5": { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 },
};

/** System prompt plus tool schemas: what every request sends before the chat. */
const SYSTEM_TOKENS = 5873;
/** Prompt caches are gone after about five minutes without a request. */
const CACHE_TTL = 300n * NS_PER_S;

interface Totals {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
}

interface Entry {
  kind: "meta" | "message" | "usage" | "rename";
  line: string;
  /** message lines: their time */
  time?: bigint;
  /** message lines: what they add to the context window */
  tokens?: number;
  /** usage lines: the running total they hold */
  totals?: Totals;
}

interface SessionInfo {
  id: string;
  cwd: string;
  model: string;
  provider: string;
  /** UTC, as zot writes it */
  started: string;
  version: string;
  zone: Zone;
  title?: string;
}

interface ForkOf {
  parent: SessionWriter;
  point: number;
}

/** Rough token count of message content; images cost a flat amount. */
function tokensOf(blocks: Block[] | null): number {
  let n = 0;
  for (const b of blocks ?? []) {
    if ("mime_type" in b) n += 1100;
    else if ("call_id" in b) n += 8 + tokensOf(b.content as Block[]);
    else n += Math.ceil(JSON.stringify(b).length / 3.6);
  }
  return n;
}

/**
 * Edit-tool result text: the changed lines with `-`/`+` and unchanged
 * leading/trailing lines as context, like zot's edit tool prints.
 */
function diffText(oldText: string, newText: string): string {
  const a = oldText.split("\n"), b = newText.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head && tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) tail++;
  return [
    ...a.slice(0, head).map((l) => " " + l),
    ...a.slice(head, a.length - tail).map((l) => "-" + l),
    ...b.slice(head, b.length - tail).map((l) => "+" + l),
    ...a.slice(a.length - tail).map((l) => " " + l),
  ].join("\n") + "\n";
}

/** Options of one assistant turn that runs a tool. */
interface ActOptions {
  /** seconds the model takes before the reply is complete */
  think?: number;
  /** seconds the tool runs */
  took?: number;
  /** blocks before the tool call (reasoning, a sentence) */
  lead?: Block[];
}

/**
 * Builds one session file line by line, keeping zot's bookkeeping: a usage
 * line (running totals in both fields) before every assistant message, prompt
 * cache reads/writes, and a clock that advances realistically.
 */
class SessionWriter {
  readonly entries: Entry[] = [];
  private readonly rng: () => number;
  private readonly startedAt: bigint;
  private now: bigint;
  private model: string;
  private provider: string;
  private totals: Totals = {
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
  };
  private context = SYSTEM_TOKENS;
  private cached = 0;
  private lastCall: bigint | undefined;

  constructor(readonly info: SessionInfo, fork?: ForkOf) {
    this.rng = mulberry32(parseInt(info.id.slice(0, 8), 16));
    this.startedAt = instant(info.started);
    this.now = this.startedAt;
    this.model = info.model;
    this.provider = info.provider;
    this.pushMeta(info.title, fork);
    if (fork) this.copyFrom(fork);
  }

  /** `/session fork` at message `point`, started at `started` (UTC). */
  fork(point: number, id: string, started: string, version: string) {
    return new SessionWriter(
      // Model and provider come from the parent's first meta line.
      { ...this.info, id, started, version, title: undefined },
      { parent: this, point },
    );
  }

  private pushMeta(title?: string, fork?: ForkOf): void {
    const meta: Block = {
      id: this.info.id,
      cwd: this.info.cwd,
      model: this.model,
      provider: this.provider,
      started: formatTime(this.startedAt, "Z"),
      version: this.info.version,
    };
    if (title) meta.title = title;
    if (fork) {
      meta.parent = fork.parent.info.id;
      meta.fork_point = fork.point;
    }
    this.entries.push({ kind: "meta", line: goJSON({ type: "meta", meta }) });
  }

  /**
   * zot's fork copy: the parent's first `point` message lines and the usage
   * lines between them, verbatim; no renames, no later meta lines. The
   * running total continues from the last copied usage line.
   */
  private copyFrom({ parent, point }: ForkOf): void {
    let copied = 0;
    for (const e of parent.entries) {
      if (copied === point) break;
      if (e.kind === "message") {
        copied++;
        this.entries.push(e);
        this.context += e.tokens ?? 0;
      } else if (e.kind === "usage") {
        this.entries.push(e);
        this.totals = { ...e.totals! };
      }
    }
    if (copied !== point) throw new Error(`fork point ${point} past the end`);
  }

  /** Lets `seconds` (plus a sub-second jitter) pass. */
  wait(seconds: number): void {
    this.now += BigInt(Math.round(seconds * 1e9)) +
      BigInt(Math.floor(this.rng() * 1e9));
  }

  private pushMessage(
    role: string,
    content: Block[] | null,
    meta?: Record<string, string>,
  ): void {
    const message: Block = {
      role,
      content,
      time: formatTime(this.now, this.info.zone(this.now)),
    };
    if (meta) message.meta = meta;
    const tokens = tokensOf(content);
    this.context += tokens;
    this.entries.push({
      kind: "message",
      line: goJSON({ type: "message", message }),
      time: this.now,
      tokens,
    });
  }

  private pushUsage(): void {
    // Two objects, not one shared: zot marshals two structs with equal values.
    this.entries.push({
      kind: "usage",
      line: goJSON({
        type: "usage",
        usage: { ...this.totals },
        cumulative: { ...this.totals },
      }),
      totals: { ...this.totals },
    });
  }

  /**
   * One model request: adds its tokens and cost to the running total and
   * writes the usage line. Anthropic writes everything new to the prompt
   * cache; OpenAI caches automatically (reads only, in 128-token steps).
   */
  private charge(output: number): void {
    const price = PRICES[this.model];
    if (this.lastCall === undefined || this.now - this.lastCall > CACHE_TTL) {
      this.cached = 0;
    }
    let input: number, read: number, write: number;
    if (price.cacheWrite > 0) {
      input = 1 + Math.floor(this.rng() * 6);
      read = this.cached;
      write = Math.max(0, this.context - read - input);
    } else {
      read = this.cached >= 1024 ? Math.floor(this.cached / 128) * 128 : 0;
      input = this.context - read;
      write = 0;
    }
    const cost = (input * price.input + output * price.output +
      read * price.cacheRead + write * price.cacheWrite) / 1e6;
    this.totals.input_tokens += input;
    this.totals.output_tokens += output;
    this.totals.cache_read_tokens += read;
    this.totals.cache_write_tokens += write;
    this.totals.cost_usd += cost;
    this.cached = this.context;
    this.lastCall = this.now;
    this.pushUsage();
  }

  /** A user prompt `after` seconds after the previous line. */
  user(
    content: string | Block[],
    after = 25,
    meta?: Record<string, string>,
  ): void {
    this.wait(after);
    this.pushMessage(
      "user",
      typeof content === "string" ? [{ text: content }] : content,
      meta,
    );
  }

  /**
   * An assistant reply: the usage line of the request first (zot writes it
   * before the reply it paid for), then the message. `hidden` counts
   * reasoning tokens that are billed but not shown.
   */
  assistant(content: string | Block[], think = 3, hidden = 0): void {
    const blocks = typeof content === "string" ? [{ text: content }] : content;
    this.wait(0.4);
    this.charge(tokensOf(blocks) + hidden);
    this.wait(think);
    this.pushMessage("assistant", blocks);
  }

  /** A reply that runs one tool, followed by the tool's result. */
  act(
    name: string,
    args: Block,
    result: string | Block[],
    isError: boolean,
    opts: ActOptions = {},
  ): void {
    const call: Block = {
      id: this.provider === "openai"
        ? "call_" + randomString(this.rng, BASE62, 24)
        : "toolu_01" + randomString(this.rng, BASE62, 22),
      name,
      arguments: args,
    };
    const hidden = (opts.lead ?? []).some((b) => "reasoning_id" in b)
      ? 250 + Math.floor(this.rng() * 500)
      : 0;
    this.assistant([...(opts.lead ?? []), call], opts.think ?? 2.5, hidden);
    this.wait(opts.took ?? 0.05);
    this.pushMessage("tool", [{
      call_id: call.id,
      content: typeof result === "string" ? [{ text: result }] : result,
      is_error: isError,
    }]);
  }

  /** zot's bash tool: command echo, output, exit status and duration. */
  bash(
    command: string,
    output: string,
    took: number,
    opts: ActOptions & { exit?: number } = {},
  ): void {
    const exit = opts.exit ?? 0;
    const text = `$ ${command}\n\n${output}\n\n[exit ${exit}]  Took ${took.toFixed(1)}s`;
    this.act("bash", { command }, text, exit !== 0, { ...opts, took });
  }

  read(path: string, body: string | Block[], opts: ActOptions = {}): void {
    this.act("read", { path }, body, false, opts);
  }

  /** zot's write tool echoes what it wrote. */
  write(path: string, content: string, opts: ActOptions = {}): void {
    this.act("write", { path, content }, content, false, opts);
  }

  edit(path: string, oldText: string, newText: string, opts: ActOptions = {}) {
    this.act(
      "edit",
      { path, edits: [{ oldText, newText }] },
      diffText(oldText, newText),
      false,
      opts,
    );
  }

  /** An OpenAI reasoning item: a readable summary and an opaque blob. */
  reasoning(summary: string): Block {
    const blob = new Uint8Array(420 + Math.floor(this.rng() * 240));
    for (let i = 0; i < blob.length; i++) {
      blob[i] = Math.floor(this.rng() * 256);
    }
    return {
      reasoning_id: "rs_" + randomString(this.rng, "0123456789abcdef", 48),
      summary,
      encrypted_content: "gAAAAAB" + base64(blob),
    };
  }

  rename(title: string): void {
    this.entries.push({ kind: "rename", line: goJSON({ title, type: "rename" }) });
  }

  /** `/model`: zot appends a meta line with the new model and no title. */
  switchModel(model: string, provider: string): void {
    this.model = model;
    this.provider = provider;
    this.cached = 0; // another model's cache is cold
    this.pushMeta();
  }

  /** zot rewrites the current total when it flushes (on quit or resume). */
  flush(): void {
    this.pushUsage();
  }

  /**
   * A request cancelled by the user (Esc) before any token was reported:
   * the usage line repeats the total and the reply has no content at all.
   */
  aborted(after = 1.2): void {
    this.wait(0.4);
    this.pushUsage();
    this.wait(after);
    this.pushMessage("assistant", null);
  }

  /**
   * `/compact`: one summarisation request, then a synthetic user message with
   * the summary that replaces the history in the context window.
   */
  compact(summary: string): void {
    const before = this.context;
    this.wait(2);
    this.charge(tokensOf([{ text: summary }]));
    this.wait(14);
    this.context = SYSTEM_TOKENS;
    this.cached = 0;
    this.pushMessage("user", [{ text: summary }], {
      compaction: "true",
      tokens_before: String(before),
    });
  }

  /** Writes the file and sets its mtime to the last message (or start). */
  async writeTo(sessionsDir: string): Promise<void> {
    const dir = join(sessionsDir, projectKey(this.info.cwd));
    await mkdir(dir, { recursive: true });
    const stamp = formatTime(this.startedAt, "Z");
    const name = stamp.slice(0, 10).replaceAll("-", "") + "-" +
      stamp.slice(11, 19).replaceAll(":", "") + "-" + this.info.id.slice(0, 8) +
      ".jsonl";
    const path = join(dir, name);
    await writeFile(path, this.entries.map((e) => e.line).join("\n") + "\n");
    let last = this.startedAt;
    for (const e of this.entries) {
      if (e.kind === "message" && e.time! > last) last = e.time!;
    }
    // Whole milliseconds: what every runtime's utimes round-trips exactly.
    const mtime = new Date(Number(last / 1_000_000n));
    await utimes(path, mtime, mtime);
  }
}

const lines = (...l: string[]): string => l.join("\n");

// ---------------------------------------------------------------------------
// ledger-api: a root session, a fork of it, a fork of that fork, and a
// session that is renamed and then switches anthropic → openai.

const TRANSFERS_GO = lines(
  "package api",
  "",
  "import (",
  '\t"encoding/json"',
  '\t"net/http"',
  "",
  '\t"github.com/acme/ledger-api/ledger"',
  ")",
  "",
  "type createTransferRequest struct {",
  '\tFrom   string `json:"from"`',
  '\tTo     string `json:"to"`',
  '\tAmount int64  `json:"amount"` // minor units',
  "}",
  "",
  "func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) {",
  "\tvar req createTransferRequest",
  "\tif err := json.NewDecoder(r.Body).Decode(&req); err != nil {",
  '\t\twriteError(w, http.StatusBadRequest, "invalid JSON body")',
  "\t\treturn",
  "\t}",
  "\tif req.Amount <= 0 || req.From == req.To {",
  '\t\twriteError(w, http.StatusUnprocessableEntity, "invalid transfer")',
  "\t\treturn",
  "\t}",
  "\tt, err := s.store.CreateTransfer(r.Context(), req.From, req.To, ledger.Amount(req.Amount))",
  "\tif err != nil {",
  "\t\twriteError(w, http.StatusInternalServerError, err.Error())",
  "\t\treturn",
  "\t}",
  "\twriteJSON(w, http.StatusCreated, t)",
  "}",
  "",
);

const CREATE_CALL =
  "\tt, err := s.store.CreateTransfer(r.Context(), req.From, req.To, ledger.Amount(req.Amount))";

const MIGRATION_0014 = lines(
  "CREATE TABLE idempotency_keys (",
  "    owner_id     uuid        NOT NULL,",
  "    key          text        NOT NULL,",
  "    request_hash bytea       NOT NULL,",
  "    status_code  int         NOT NULL,",
  "    response     jsonb       NOT NULL,",
  "    created_at   timestamptz NOT NULL DEFAULT now(),",
  "    PRIMARY KEY (owner_id, key)",
  ");",
  "",
);

function ledgerSessions(): SessionWriter[] {
  const root = new SessionWriter({
    id: "8d337e16-e727-41c8-bbe1-971f81aedfd4",
    cwd: LEDGER_CWD,
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    started: "2026-10-05T07:12:44.318220567Z",
    version: "0.1.60",
    zone: BERLIN,
  });
  root.user(
    "POST /v1/transfers creates duplicate transfers when the mobile app retries after a timeout. Add support for an `Idempotency-Key` header so a retry gets the original response instead of moving the money twice.",
    19,
  );
  root.read("api/transfers.go", TRANSFERS_GO, {
    lead: [{ text: "Let me look at the handler first." }],
  });
  root.bash(
    "ls store/migrations | tail -n 3",
    "0011_accounts_owner_idx.sql\n0012_statements_view.sql\n0013_transfer_status.sql",
    0.0,
    {
      lead: [{
        text: "There is no idempotency storage yet. Checking the latest migration number:",
      }],
    },
  );
  root.write("store/migrations/0014_idempotency_keys.sql", MIGRATION_0014, {
    think: 6,
    lead: [{
      text:
        "I'll keep keys per owner together with a hash of the request body, so a key reused with a different body can be rejected (422) instead of silently replaying the old response.",
    }],
  });
  root.edit(
    "api/transfers.go",
    CREATE_CALL,
    lines(
      '\tkey := r.Header.Get("Idempotency-Key")',
      '\tif key != "" {',
      "\t\tprev, err := s.store.LookupIdempotent(r.Context(), ownerID(r), key, hashRequest(req))",
      "\t\tif errors.Is(err, store.ErrKeyMismatch) {",
      "\t\t\twriteError(w, http.StatusUnprocessableEntity, err.Error())",
      "\t\t\treturn",
      "\t\t}",
      "\t\tif prev != nil {",
      '\t\t\tw.Header().Set("Idempotent-Replayed", "true")',
      "\t\t\twriteRaw(w, prev.StatusCode, prev.Response)",
      "\t\t\treturn",
      "\t\t}",
      "\t}",
      CREATE_CALL,
    ),
    { think: 9 },
  );
  root.bash(
    "go test ./api/...",
    lines(
      "# github.com/acme/ledger-api/api [github.com/acme/ledger-api/api.test]",
      "api/transfers.go:33:21: undefined: store.ErrKeyMismatch",
      "FAIL\tgithub.com/acme/ledger-api/api [build failed]",
      "FAIL",
    ),
    3.8,
    { exit: 1 },
  );
  root.edit(
    "store/errors.go",
    lines(
      "var (",
      '\tErrNotFound = errors.New("store: not found")',
      ")",
    ),
    lines(
      "var (",
      '\tErrNotFound    = errors.New("store: not found")',
      '\tErrKeyMismatch = errors.New("store: idempotency key reused with a different request")',
      ")",
    ),
    {
      lead: [{
        text: "The sentinel error doesn't exist yet; adding it next to `ErrNotFound`.",
      }],
    },
  );
  root.bash(
    "go test ./...",
    lines(
      "ok  \tgithub.com/acme/ledger-api/api\t0.388s",
      "ok  \tgithub.com/acme/ledger-api/ledger\t0.004s",
      "?   \tgithub.com/acme/ledger-api/cmd/ledgerd\t[no test files]",
      "ok  \tgithub.com/acme/ledger-api/store\t2.915s",
    ),
    6.1,
  );
  root.assistant(
    lines(
      "Done. `POST /v1/transfers` now honours `Idempotency-Key`:",
      "",
      "- first request: runs the transfer, stores status and body under `(owner_id, key)`",
      "- retry with the same body: replays the stored response with `Idempotent-Replayed: true`",
      "- same key, different body: `422` (`store.ErrKeyMismatch`)",
      "",
      "Migration `0014_idempotency_keys.sql` adds the table. All tests pass.",
    ),
    7,
  );
  root.rename("transfers: Idempotency-Key support");
  root.user(
    "What happens if two requests with the same key arrive at the same time?",
    214,
  );
  root.assistant(
    lines(
      "Right now both can miss the lookup and both run the transfer. To close the race, claim the key first, in the same transaction as the transfer:",
      "",
      "```sql",
      "INSERT INTO idempotency_keys (owner_id, key, request_hash, status_code, response)",
      "VALUES ($1, $2, $3, 0, 'null')",
      "ON CONFLICT DO NOTHING",
      "RETURNING key",
      "```",
      "",
      "The loser gets no row back, waits on the winner's row (`SELECT ... FOR UPDATE`) and replays its stored response once it commits. Want me to implement that with a test that fires 20 concurrent requests?",
    ),
    11,
  );
  // The user quit here: zot flushed the unchanged total once more.
  root.flush();
  // `/rename` with an empty title: zot ignores it, the title stays.
  root.rename("");

  const fork = root.fork(
    16,
    "89166dff-3239-4d9a-8588-80921614d944",
    "2026-10-06T08:03:19.90412Z",
    "0.1.60",
  );
  fork.user(
    "Let's try a simpler design instead: put the key on the transfers row itself, with a partial unique index, instead of a separate table.",
    41,
  );
  fork.edit(
    "store/migrations/0014_idempotency_keys.sql",
    MIGRATION_0014.trimEnd(),
    lines(
      "ALTER TABLE transfers",
      "    ADD COLUMN idempotency_key text,",
      "    ADD COLUMN request_hash    bytea;",
      "",
      "CREATE UNIQUE INDEX transfers_owner_idempotency_key",
      "    ON transfers (owner_id, idempotency_key)",
      "    WHERE idempotency_key IS NOT NULL;",
    ),
    {
      think: 5,
      lead: [{
        text:
          "Fine by me: the transfer row itself becomes the stored response, so there is nothing to keep in sync.",
      }],
    },
  );
  fork.edit(
    "store/transfers.go",
    lines(
      "\tconst q = `INSERT INTO transfers (owner_id, from_account, to_account, amount)",
      "\t\tVALUES ($1, $2, $3, $4) RETURNING id, created_at`",
    ),
    lines(
      "\tconst q = `INSERT INTO transfers (owner_id, from_account, to_account, amount, idempotency_key, request_hash)",
      "\t\tVALUES ($1, $2, $3, $4, NULLIF($5, ''), $6)",
      "\t\tON CONFLICT (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING",
      "\t\tRETURNING id, created_at`",
    ),
    { think: 7 },
  );
  fork.bash(
    "go test ./...",
    lines(
      "ok  \tgithub.com/acme/ledger-api/api\t0.402s",
      "ok  \tgithub.com/acme/ledger-api/ledger\t0.004s",
      "?   \tgithub.com/acme/ledger-api/cmd/ledgerd\t[no test files]",
      "ok  \tgithub.com/acme/ledger-api/store\t3.120s",
    ),
    6.4,
  );
  fork.assistant(
    "Switched to a nullable `idempotency_key` column on `transfers` with a partial unique index; `INSERT ... ON CONFLICT DO NOTHING` returns no row for a duplicate, and the handler then loads and replays the existing transfer. Tests pass.",
    5,
  );
  fork.user(
    "Keys should stop mattering after 24h, otherwise a client can never reuse one. Add that.",
    380,
  );
  fork.write(
    "store/cleanup.go",
    lines(
      "package store",
      "",
      'import "context"',
      "",
      "// ExpireIdempotencyKeys forgets keys older than 24h so clients may reuse them.",
      "// A partial index predicate cannot reference now(), hence a periodic job.",
      "func (s *Store) ExpireIdempotencyKeys(ctx context.Context) (int64, error) {",
      "\tres, err := s.db.ExecContext(ctx, `UPDATE transfers SET idempotency_key = NULL",
      "\t\tWHERE idempotency_key IS NOT NULL AND created_at < now() - interval '24 hours'`)",
      "\tif err != nil {",
      "\t\treturn 0, err",
      "\t}",
      "\treturn res.RowsAffected()",
      "}",
      "",
    ),
    { think: 8 },
  );
  fork.assistant(
    "Added `store.ExpireIdempotencyKeys`; `cmd/ledgerd` should call it hourly (a `time.Ticker` next to the existing metrics loop). An index predicate can't use `now()`, so expiry has to be a job or done lazily at insert time.",
    6,
  );
  fork.rename("idempotency: key column + 24h expiry");

  // A fork of the fork, at its second prompt: it inherits the grandparent's
  // first 16 messages plus the fork's own first turn (and that turn's spend).
  const forkOfFork = fork.fork(
    25,
    "e1af52d0-708b-4b54-a8e0-62eaf47d2b1b",
    "2026-10-07T12:44:02.5130771Z",
    "0.1.60",
  );
  forkOfFork.edit(
    "store/transfers.go",
    "\t\tON CONFLICT (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING",
    lines(
      "\t\tON CONFLICT (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
      "\t\tDO UPDATE SET idempotency_key = EXCLUDED.idempotency_key",
      "\t\tWHERE transfers.created_at < now() - interval '24 hours'",
    ),
    {
      think: 9,
      lead: [{
        text:
          "A background job is one more moving part. Alternative: expire lazily. On conflict, take over the key only if the existing row is older than 24h; otherwise the insert still returns nothing and we replay.",
      }],
    },
  );
  forkOfFork.bash(
    "go test -run TestIdempotency -count=1 -v ./store/",
    lines(
      "=== RUN   TestIdempotencyReplay",
      "--- PASS: TestIdempotencyReplay (0.21s)",
      "=== RUN   TestIdempotencyExpiredKeyIsReusable",
      "--- PASS: TestIdempotencyExpiredKeyIsReusable (0.18s)",
      "PASS",
      "ok  \tgithub.com/acme/ledger-api/store\t0.611s",
    ),
    2.7,
  );
  forkOfFork.assistant(
    "Lazy expiry is in: a key older than 24h is taken over by the new transfer inside the same `INSERT`, so no job is needed and there is no window where an expired key still blocks. Both idempotency tests pass.",
    5,
  );

  const switched = new SessionWriter({
    id: "ac04b01f-f30b-4297-b6ba-35e657dfc4b0",
    cwd: LEDGER_CWD,
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    started: "2026-10-12T13:20:31.07765302Z",
    version: "0.1.60",
    zone: BERLIN,
  });
  switched.user(
    "GET /v1/accounts/{id}/statements takes ~4s for accounts with more than 10k entries. Find out why.",
    23,
  );
  switched.bash(
    `psql "$DATABASE_URL" -c "EXPLAIN ANALYZE SELECT * FROM entries WHERE account_id = 'a7f3c2e0-5d1b-4c8e-9f2a-6b0d3e1c7a54' ORDER BY posted_at DESC OFFSET 9800 LIMIT 200"`,
    lines(
      "                                   QUERY PLAN",
      "---------------------------------------------------------------------------------",
      " Limit  (cost=48211.16..48211.66 rows=200 width=96) (actual time=3921.552..3921.571 rows=200 loops=1)",
      "   ->  Sort  (cost=48186.66..48218.91 rows=12900 width=96) (actual time=3920.884..3921.327 rows=10000 loops=1)",
      "         Sort Key: posted_at DESC",
      "         Sort Method: external merge  Disk: 1400kB",
      "         ->  Seq Scan on entries  (cost=0.00..47310.00 rows=12900 width=96) (actual time=0.031..3902.118 rows=12893 loops=1)",
      "               Filter: (account_id = 'a7f3c2e0-5d1b-4c8e-9f2a-6b0d3e1c7a54'::uuid)",
      "               Rows Removed by Filter: 1987107",
      " Planning Time: 0.214 ms",
      " Execution Time: 3922.410 ms",
      "(9 rows)",
    ),
    4.2,
    { lead: [{ text: "Let me look at the query plan for a large account." }] },
  );
  switched.assistant(
    lines(
      "Two problems:",
      "",
      "1. There is no index on `entries(account_id, posted_at)`, so every page is a sequential scan over 2M rows.",
      "2. `OFFSET` pagination sorts and throws away the first 9,800 rows on every request, so deep pages get slower and slower.",
      "",
      "An index fixes (1) immediately; (2) needs keyset pagination: `WHERE (posted_at, id) < ($2, $3) ORDER BY posted_at DESC, id DESC LIMIT $4`.",
    ),
    9,
  );
  switched.rename("statements: slow pagination & missing index");
  // The rename comes before the model switch: zot's own picker then shows no
  // title, a correct reader still shows the renamed one.
  switched.switchModel("gpt-5", "openai");
  switched.user(
    "Switching to GPT-5 for a second opinion: is keyset pagination worth the API change, or is the index enough?",
    95,
  );
  switched.bash(
    'grep -rn "offset" docs/api.md clients/ios/Sources/StatementsAPI.swift',
    lines(
      "docs/api.md:212:    GET /v1/accounts/{id}/statements?offset=0&limit=200",
      'clients/ios/Sources/StatementsAPI.swift:48:        .appending(queryItems: [.init(name: "offset", value: String(offset)), .init(name: "limit", value: "200")])',
    ),
    0.1,
    {
      think: 12,
      lead: [
        switched.reasoning(
          "**Checking who depends on offset**\n\nBefore recommending an API change I should see whether clients page with offset today and how deep they go.",
        ),
        { text: "Let me check how clients page today." },
      ],
    },
  );
  switched.assistant(
    [
      switched.reasoning(
        "**Weighing index vs keyset**\n\nWith the index, page 1 drops to milliseconds, but OFFSET 9800 still walks 10k index entries per request; the iOS client pages sequentially, so a cursor fits.",
      ),
      {
        text: lines(
          "Do both, in that order:",
          "",
          "- **Now:** add the index (`CREATE INDEX CONCURRENTLY entries_account_posted ON entries (account_id, posted_at DESC, id DESC)`). That takes page 1 from ~4s to a few ms.",
          "- **Next:** deep pages still cost O(offset) with an index. The iOS app only ever pages forward, so add an opaque `cursor` parameter alongside `offset` and deprecate `offset` once the app ships cursor support.",
        ),
      },
    ],
    18,
    610,
  );
  switched.user("Agreed. Write the migration.", 140);
  switched.write(
    "store/migrations/0015_entries_account_posted_idx.sql",
    lines(
      "-- +migrate notransaction",
      "-- CONCURRENTLY cannot run inside a transaction block.",
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS entries_account_posted",
      "    ON entries (account_id, posted_at DESC, id DESC);",
      "",
    ),
    {
      think: 7,
      lead: [
        switched.reasoning(
          "**Migration runner wraps files in a transaction**\n\nNeed the notransaction directive or CONCURRENTLY fails.",
        ),
      ],
    },
  );
  switched.assistant(
    [
      switched.reasoning("**Done**"),
      {
        text:
          "Added `0015_entries_account_posted_idx.sql`. It opts out of the runner's transaction because `CREATE INDEX CONCURRENTLY` refuses to run inside one; on the 2M-row table expect the build to take a minute or two without blocking writes.",
      },
    ],
    6,
    180,
  );

  return [root, fork, forkOfFork, switched];
}

// ---------------------------------------------------------------------------
// web-shop: an image and an aborted reply, a compacted session resumed across
// the end of US daylight saving time, a session over midnight UTC at the end
// of October, and an empty session.

const PRODUCT_CARD_TSX = lines(
  'import styles from "./ProductCard.module.css";',
  'import { formatPrice } from "../lib/money";',
  'import type { Product } from "../types";',
  "",
  "export function ProductCard({ product, onAdd }: { product: Product; onAdd: () => void }) {",
  "  return (",
  "    <article className={styles.card}>",
  '      <img src={product.image} alt="" className={styles.thumb} />',
  "      <h3 className={styles.name}>{product.name}</h3>",
  "      <div className={styles.footer}>",
  "        <span className={styles.price}>{formatPrice(product.price)}</span>",
  "        <button className={styles.add} onClick={onAdd}>Add to cart</button>",
  "      </div>",
  "    </article>",
  "  );",
  "}",
  "",
);

const FOOTER_CSS_OLD = lines(
  ".footer {",
  "  position: relative;",
  "  height: 40px;",
  "}",
  "",
  ".add {",
  "  position: absolute;",
  "  right: 0;",
  "  bottom: 0;",
  "  width: 140px;",
  "}",
);

const FOOTER_CSS_NEW = lines(
  ".footer {",
  "  display: flex;",
  "  flex-wrap: wrap;",
  "  align-items: center;",
  "  justify-content: space-between;",
  "  gap: 8px;",
  "}",
  "",
  ".add {",
  "  flex: 0 0 auto;",
  "}",
);

const CART_TS_OLD = lines(
  'import type { Cart, CartItem } from "../types";',
  "",
  "export async function getCart(): Promise<Cart> {",
  '  const res = await fetch("/api/cart", { credentials: "include" });',
  "  return res.json();",
  "}",
  "",
  "export async function addItem(sku: string, qty = 1): Promise<Cart> {",
  '  const res = await fetch("/api/cart/items", {',
  '    method: "POST",',
  '    headers: { "Content-Type": "application/json" },',
  "    body: JSON.stringify({ sku, qty }),",
  "  });",
  "  return res.json();",
  "}",
  "",
  "export async function updateQuantity(item: CartItem, qty: number): Promise<Cart> {",
  '  const res = await fetch(`/api/cart/items/${item.id}?qty=${qty}`, { method: "PUT" });',
  "  return res.json();",
  "}",
  "",
);

const CART_TS_NEW = lines(
  'import type { Cart, CartItem } from "../types";',
  "",
  "// /api/v2/cart speaks `quantity`; the rest of the app keeps using `qty`.",
  'type V2Cart = Omit<Cart, "items"> & { items: (Omit<CartItem, "qty"> & { quantity: number })[] };',
  "",
  "async function v2(path: string, init?: RequestInit): Promise<Cart> {",
  "  const res = await fetch(`/api/v2/cart${path}`, {",
  '    credentials: "include",',
  '    headers: { "Content-Type": "application/json" },',
  "    ...init,",
  "  });",
  "  if (!res.ok) throw new Error(`cart: ${res.status} ${res.statusText}`);",
  "  const cart = (await res.json()) as V2Cart;",
  "  return { ...cart, items: cart.items.map(({ quantity, ...i }) => ({ ...i, qty: quantity })) };",
  "}",
  "",
  'export const getCart = () => v2("");',
  "export const addItem = (sku: string, qty = 1) =>",
  '  v2("/items", { method: "POST", body: JSON.stringify({ sku, quantity: qty }) });',
  "export const updateQuantity = (item: CartItem, qty: number) =>",
  '  v2(`/items/${item.id}`, { method: "PATCH", body: JSON.stringify({ quantity: qty }) });',
  "export const checkout = (cartId: string) =>",
  '  v2(`/${cartId}/checkout`, { method: "POST" });',
  "",
);

function shopSessions(): SessionWriter[] {
  const image = new SessionWriter({
    id: "b425d583-f142-4602-9215-c07485cb2fa4",
    cwd: SHOP_CWD,
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    started: "2026-10-20T14:02:11.640293118Z",
    version: "0.1.60",
    zone: NEW_YORK,
  });
  image.user(
    [
      {
        text:
          'The "Add to cart" button overlaps the price on narrow screens (screenshot attached). Can you fix the product card layout?',
      },
      { mime_type: "image/png", data: base64(CARD_SCREENSHOT) },
    ],
    48,
  );
  image.read("src/components/ProductCard.tsx", PRODUCT_CARD_TSX, {
    lead: [{
      text:
        "In the screenshot the button covers the price. Let me look at the card's markup and styles.",
    }],
  });
  image.read(
    "src/components/ProductCard.module.css",
    FOOTER_CSS_OLD + "\n",
  );
  image.edit(
    "src/components/ProductCard.module.css",
    FOOTER_CSS_OLD,
    FOOTER_CSS_NEW,
    {
      think: 6,
      lead: [{
        text:
          "The button is absolutely positioned with a fixed 140px width, so on a 320px-wide card it lands on top of the price. A wrapping flex row fixes that:",
      }],
    },
  );
  image.bash(
    "npm run lint && npx vitest run src/components/ProductCard",
    lines(
      "> web-shop@2.3.0 lint",
      "> eslint src --max-warnings 0",
      "",
      "",
      " RUN  v3.2.4 /home/dev/web-shop",
      "",
      " ✓ src/components/ProductCard.test.tsx (3 tests) 41ms",
      "",
      " Test Files  1 passed (1)",
      "      Tests  3 passed (3)",
    ),
    7.9,
  );
  image.assistant(
    "Fixed: the card footer is now a wrapping flex row, so below ~300px the button moves under the price instead of covering it. Lint and the ProductCard tests pass.",
    4,
  );
  image.user("Do the same for the wishlist card.", 66);
  image.aborted();
  image.user(
    "oops, pressed Esc by accident — go ahead with the wishlist card.",
    9,
  );
  image.edit(
    "src/components/WishlistCard.module.css",
    lines(".actions {", "  position: relative;", "  height: 40px;", "}"),
    lines(
      ".actions {",
      "  display: flex;",
      "  flex-wrap: wrap;",
      "  align-items: center;",
      "  justify-content: space-between;",
      "  gap: 8px;",
      "}",
    ),
  );
  image.assistant(
    "Same change applied to `WishlistCard.module.css` (its footer is called `.actions`).",
    3,
  );
  image.rename("cart button overlaps price on mobile");

  const compacted = new SessionWriter({
    id: "fb0ec902-cae8-443e-99bf-6815b1b7d0a4",
    cwd: SHOP_CWD,
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    started: "2026-11-01T05:21:52.19230004Z",
    version: "0.1.61",
    zone: NEW_YORK,
  });
  compacted.user(
    "We're moving checkout off the legacy /api/cart endpoints onto /api/v2/cart. Start with src/api/cart.ts: what has to change?",
    31,
  );
  compacted.read("src/api/cart.ts", CART_TS_OLD);
  compacted.bash(
    "curl -s localhost:4000/api/v2/openapi.json | jq '.paths | keys'",
    lines(
      "[",
      '  "/api/v2/cart",',
      '  "/api/v2/cart/items",',
      '  "/api/v2/cart/items/{itemId}",',
      '  "/api/v2/cart/{cartId}/checkout"',
      "]",
    ),
    0.3,
    {
      lead: [{
        text: "Three functions, all on v1 paths. Let me see what v2 offers before mapping them.",
      }],
    },
  );
  compacted.assistant(
    lines(
      "Mapping:",
      "",
      "| v1 | v2 |",
      "| --- | --- |",
      "| `GET /api/cart` | `GET /api/v2/cart` |",
      "| `POST /api/cart/items` `{sku, qty}` | `POST /api/v2/cart/items` `{sku, quantity}` |",
      "| `PUT /api/cart/items/:id?qty=` | `PATCH /api/v2/cart/items/{itemId}` `{quantity}` |",
      "| (checkout posted from the page) | `POST /api/v2/cart/{cartId}/checkout` |",
      "",
      "v2 renames `qty` to `quantity` and returns errors as non-2xx with a JSON body, which the current code ignores.",
    ),
    12,
  );
  compacted.user(
    "Good. Do it, but keep the function signatures the same so callers don't change.",
    150,
  );
  compacted.write("src/api/cart.ts", CART_TS_NEW, { think: 14 });
  compacted.bash(
    "npx tsc --noEmit && npx vitest run src/api",
    lines(
      " RUN  v3.2.4 /home/dev/web-shop",
      "",
      " ❯ src/api/cart.test.ts (4 tests | 1 failed) 58ms",
      "   × addItem > sends the sku and quantity 12ms",
      "     → expected { sku: 'A-113', qty: 2 } to deeply equal { sku: 'A-113', quantity: 2 }",
      "",
      " Test Files  1 failed (1)",
      "      Tests  1 failed | 3 passed (4)",
    ),
    5.6,
    { exit: 1 },
  );
  compacted.edit(
    "src/api/cart.test.ts",
    '    expect(JSON.parse(init.body)).toEqual({ sku: "A-113", qty: 2 });',
    '    expect(JSON.parse(init.body)).toEqual({ sku: "A-113", quantity: 2 });',
    {
      lead: [{
        text:
          "The test still asserts the v1 request body; the code is right, the expectation is stale.",
      }],
    },
  );
  compacted.bash(
    "npx tsc --noEmit && npx vitest run src/api",
    lines(
      " RUN  v3.2.4 /home/dev/web-shop",
      "",
      " ✓ src/api/cart.test.ts (4 tests) 49ms",
      "",
      " Test Files  1 passed (1)",
      "      Tests  4 passed (4)",
    ),
    5.2,
  );
  compacted.assistant(
    "All green. `src/api/cart.ts` now talks to v2 only; signatures are unchanged and `checkout(cartId)` is new.",
    4,
  );
  // Quit at 01:26 EDT, flushed; resumed 45 minutes later at 01:11 EST (US
  // daylight saving time ended at 06:00Z, so local times go backwards), and
  // resuming flushes the seeded total again: identical usage lines in a row.
  compacted.flush();
  compacted.wait(2700);
  compacted.flush();
  compacted.compact(
    lines(
      "Summary of the conversation so far:",
      "",
      "- Goal: move checkout from the legacy `/api/cart` endpoints to `/api/v2/cart` without changing the signatures exported by `src/api/cart.ts`.",
      "- Done: rewrote `src/api/cart.ts` on top of a `v2()` helper (`getCart`, `addItem`, `updateQuantity`, new `checkout(cartId)`); v2 uses `quantity`, mapped to our `qty`; updated the stale expectation in `src/api/cart.test.ts`. `npx tsc --noEmit && npx vitest run src/api` passes.",
      "- Open: `src/pages/Checkout.tsx` still posts to the legacy `/api/cart/checkout` directly.",
    ),
  );
  compacted.user(
    "Now the checkout page: it still posts to /api/cart/checkout directly.",
    70,
  );
  compacted.bash(
    'grep -n "/api/cart" src/pages/Checkout.tsx',
    lines(
      '7:import { getCart } from "../api/cart";',
      '41:    const res = await fetch("/api/cart/checkout", { method: "POST", credentials: "include" });',
      "42:    if (res.status >= 400 && res.status < 500) setError(await res.text());",
    ),
    0.0,
  );
  compacted.edit(
    "src/pages/Checkout.tsx",
    lines(
      '    const res = await fetch("/api/cart/checkout", { method: "POST", credentials: "include" });',
      "    if (res.status >= 400 && res.status < 500) setError(await res.text());",
    ),
    lines(
      "    try {",
      "      await checkout(cart.id);",
      "    } catch (e) {",
      "      setError(e instanceof Error ? e.message : String(e));",
      "    }",
    ),
    { think: 5 },
  );
  compacted.assistant(
    "`Checkout.tsx` now calls `checkout(cart.id)` from `src/api/cart.ts` (add it to the import on line 7) and shows the v2 error message; nothing in `src/` references `/api/cart` any more.",
    4,
  );
  compacted.rename("checkout → /api/v2/cart");

  const monthEnd = new SessionWriter({
    id: "4fc5eb4f-072c-42de-bc3f-bc7915b7e514",
    cwd: SHOP_CWD,
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    started: "2026-10-31T23:51:26.88431Z",
    version: "0.1.60",
    zone: NEW_YORK,
  });
  monthEnd.user(
    "Finance wants the October sales export tonight. Add `GET /admin/reports/sales.csv?month=2026-10`.",
    14,
  );
  monthEnd.read(
    "src/server/routes/admin.ts",
    lines(
      'import { Router } from "express";',
      'import { requireAdmin } from "../auth";',
      'import { db } from "../db";',
      "",
      "export const admin = Router();",
      "admin.use(requireAdmin);",
      "",
      'admin.get("/orders/:id", async (req, res) => {',
      "  res.json(await db.order.findUniqueOrThrow({ where: { id: req.params.id } }));",
      "});",
      "",
    ),
  );
  monthEnd.edit(
    "src/server/routes/admin.ts",
    lines(
      'admin.get("/orders/:id", async (req, res) => {',
      "  res.json(await db.order.findUniqueOrThrow({ where: { id: req.params.id } }));",
      "});",
    ),
    lines(
      'admin.get("/orders/:id", async (req, res) => {',
      "  res.json(await db.order.findUniqueOrThrow({ where: { id: req.params.id } }));",
      "});",
      "",
      "// Months are UTC: finance closes the books on UTC midnight.",
      'admin.get("/reports/sales.csv", async (req, res) => {',
      '  const m = /^(\\d{4})-(\\d{2})$/.exec(String(req.query.month ?? ""));',
      '  if (!m) return res.status(400).send("month must be YYYY-MM");',
      "  const from = new Date(Date.UTC(+m[1], +m[2] - 1, 1));",
      "  const to = new Date(Date.UTC(+m[1], +m[2], 1));",
      "  const orders = await db.order.findMany({",
      "    where: { placedAt: { gte: from, lt: to } },",
      "    include: { customer: true },",
      '    orderBy: { placedAt: "asc" },',
      "  });",
      '  res.type("text/csv").attachment(`sales-${m[1]}-${m[2]}.csv`);',
      '  res.write("order_id,placed_at,customer,total_cents,currency\\n");',
      "  for (const o of orders) {",
      '    res.write([o.id, o.placedAt.toISOString(), csv(o.customer.name), o.totalCents, o.currency].join(",") + "\\n");',
      "  }",
      "  res.end();",
      "});",
    ),
    {
      think: 16,
      lead: [{
        text:
          "Adding the route next to the other admin endpoints. The month is interpreted in UTC, so the report is the same whoever runs it:",
      }],
    },
  );
  monthEnd.bash(
    "curl -s 'localhost:4000/admin/reports/sales.csv?month=2026-10' -H \"Authorization: Bearer $ADMIN_TOKEN\" | head -n 4",
    lines(
      "order_id,placed_at,customer,total_cents,currency",
      "ord_8KQ2,2026-10-01T00:04:51.000Z,Dana Whitfield,4598,USD",
      'ord_8KQ7,2026-10-01T00:19:03.000Z,"Bread & Butter Co., LLC",23150,USD',
      "ord_8KR1,2026-10-01T01:02:44.000Z,Sam <sam@example.com>,1299,USD",
    ),
    1.4,
    { think: 4 },
  );
  monthEnd.assistant(
    "The export works; quotes and commas in customer names are escaped by `csv()`. One thing to tell finance: orders placed after 8 pm New York time on Oct 31 are already November in UTC, so they will be in next month's file.",
    6,
  );
  // The user checks the file with finance; the reply comes after midnight UTC.
  monthEnd.user("Perfect, ship it.", 655);
  monthEnd.bash(
    "git add -A && git commit -qm 'admin: monthly sales CSV export' && git push -q origin main && git log -1 --oneline",
    "9c1e4b7 admin: monthly sales CSV export",
    3.3,
  );
  monthEnd.assistant(
    "Pushed `9c1e4b7` to main; the deploy pipeline picks it up from there.",
    2,
  );

  // Opened and closed without a prompt: only the meta line (zot would prune it).
  const empty = new SessionWriter({
    id: "c0a9a28e-ab33-45cc-b3b9-fb4c2add9ff1",
    cwd: SHOP_CWD,
    model: "gpt-5",
    provider: "openai",
    started: "2026-11-03T15:09:40.2245Z",
    version: "0.1.61",
    zone: NEW_YORK,
  });

  return [image, compacted, monthEnd, empty];
}

// ---------------------------------------------------------------------------
// プロジェクト/café: Japanese conversation, a CJK+emoji title from a rename,
// and one title that comes from the first meta line; an image in a tool result.

const MENU_TS_OLD = lines(
  "export const menu: MenuItem[] = [",
  '  { id: "blend", name: "本日のブレンド", price: 450 },',
  '  { id: "cake-set", name: "ケーキセット", price: 900 },',
  "];",
);

function cafeSessions(): SessionWriter[] {
  const yen = new SessionWriter({
    id: "ff937ee3-5179-4aee-8eef-ae78ed5dd267",
    cwd: CAFE_CWD,
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    started: "2026-10-15T01:30:05.551908233Z",
    version: "0.1.60",
    zone: TOKYO,
  });
  yen.user(
    "メニューページの価格が「$450.0」みたいに表示されてる。円表示（税込、例: ¥495）に直して。",
    37,
  );
  yen.read(
    "src/lib/price.ts",
    lines(
      "export function formatPrice(amount: number): string {",
      '  return "$" + amount.toFixed(1);',
      "}",
      "",
    ),
    {
      lead: [{
        text: "価格のフォーマット処理を確認します。",
      }],
    },
  );
  yen.bash(
    'grep -rln "formatPrice" src',
    "src/lib/price.ts\nsrc/components/MenuItem.astro\nsrc/pages/index.astro",
    0.0,
  );
  yen.edit(
    "src/lib/price.ts",
    lines(
      "export function formatPrice(amount: number): string {",
      '  return "$" + amount.toFixed(1);',
      "}",
    ),
    lines(
      'const yen = new Intl.NumberFormat("ja-JP", { style: "currency", currency: "JPY" });',
      "",
      "/** 税抜価格 → 税込の円表記（10%、1円未満切り捨て） */",
      "export function formatPrice(amount: number): string {",
      "  return yen.format(Math.floor(amount * 1.1));",
      "}",
    ),
    {
      think: 7,
      lead: [{
        text: "`Intl.NumberFormat` で円表記にし、税込価格（10%、1円未満切り捨て）を計算します。",
      }],
    },
  );
  yen.bash(
    "npm test -- price",
    lines(
      " ✓ src/lib/price.test.ts (2 tests) 6ms",
      "",
      " Test Files  1 passed (1)",
      "      Tests  2 passed (2)",
    ),
    2.2,
  );
  yen.assistant(
    '直しました。`formatPrice(450)` は `￥495` を返します（`ja-JP` の通貨記号は全角の ￥ です）。半角の ¥ がよければ `currencyDisplay: "narrowSymbol"` を指定します。',
    5,
  );
  yen.rename(
    "メニューの価格表示を円に ☕🍰",
  );
  yen.user(
    "ありがとう！ついでにケーキセットの説明文、英語版も追加して。",
    96,
  );
  yen.edit(
    "src/data/menu.ts",
    MENU_TS_OLD.split("\n")[2],
    '  { id: "cake-set", name: "ケーキセット", nameEn: "Cake set", descriptionEn: "Today\'s cake with coffee or tea", price: 900 },',
  );
  yen.assistant(
    "英語版を追加しました: “Cake set — Today's cake with coffee or tea”。",
    3,
  );

  const autumn = new SessionWriter({
    id: "b77c0692-b9aa-4ce3-abe4-5e08012d1209",
    cwd: CAFE_CWD,
    model: "claude-haiku-4-5",
    provider: "anthropic",
    started: "2026-10-16T06:02:40.0731Z",
    version: "0.1.60",
    zone: TOKYO,
    title: "季節限定メニュー 🍂",
  });
  autumn.user(
    "秋の限定メニュー（モンブラン、ほうじ茶ラテ）を追加して、トップページのバナーも差し替えて。",
    29,
  );
  autumn.read("src/data/menu.ts", MENU_TS_OLD + "\n");
  autumn.edit(
    "src/data/menu.ts",
    "];",
    lines(
      '  { id: "mont-blanc", name: "和栗のモンブラン", price: 680, seasonal: "autumn" },',
      '  { id: "hojicha-latte", name: "ほうじ茶ラテ", price: 520, seasonal: "autumn" },',
      "];",
    ),
  );
  autumn.bash(
    "npx astro build && npx playwright screenshot --viewport-size=640,400 http://localhost:4321/ /tmp/top.png",
    lines(
      "06:04:12 [build] 4 page(s) built in 1.82s",
      "06:04:12 [build] Complete!",
      "Capturing screenshot into /tmp/top.png",
    ),
    9.4,
    {
      lead: [{
        text: "バナーは `seasonal` の項目から自動で作られるので、ビルドして確認します。",
      }],
    },
  );
  autumn.read("/tmp/top.png", [{
    mime_type: "image/png",
    data: base64(BANNER_SCREENSHOT),
  }]);
  autumn.assistant(
    "バナーに「秋限定 モンブラン & ほうじ茶ラテ」が表示され、下に2品のカードが並んでいます。",
    4,
  );

  return [yen, autumn];
}

function buildSessions(): SessionWriter[] {
  return [...ledgerSessions(), ...shopSessions(), ...cafeSessions()];
}

if (import.meta.main) {
  const arg = process.argv[2];
  const outDir = arg ? resolve(arg) : fileURLToPath(new URL("../examples/home", import.meta.url));
  await makeExampleHome(outDir);
  console.log(`wrote ${join(outDir, "sessions")}`);
}
