/**
 * Transcripts for the `show` and `tail` end-to-end tests: sessions holding
 * every kind of line and block, hostile text, lines over the reader's cap,
 * large files written piece by piece; and ways to run the CLI as a user does
 * (byte-exact output, a chosen working directory, under a pseudo-terminal,
 * with its peak memory measured).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { existsSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { BIN, ROOT } from "../e2e/harness.ts";
import { goJson, messageLine, metaLine, renameLine, usageLine } from "./fixtures.ts";
import { childEnv, type ClockOptions, hasProgram, spawnSync } from "./spawn.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");
const BUN = join(ROOT, "node_modules", ".bin", "bun");

/** The command line of each way the CLI ships. */
export const COMMANDS: Record<"binary" | "deno" | "bun", string[]> = {
  binary: [BIN],
  deno: [DENO, "run", "-A", join(ROOT, "main.ts")],
  bun: [BUN, join(ROOT, "main.ts")],
};

/** How a run ended, with its output as bytes. */
export interface ByteRun {
  code: number | null;
  signal: string | null;
  stdout: Uint8Array;
  out: string;
  err: string;
}

/** How to run the CLI: the runtime, where, and the clock and environment (spawn.ts). */
export interface RunOptions extends ClockOptions {
  runtime?: keyof typeof COMMANDS;
  /** Working directory of the process (default: the repository). */
  cwd?: string;
}

/**
 * The tests' environment (`childEnv` of spawn.ts) with `extra`.
 *
 * @deprecated Only for `tests/e2e/tail_e2e_test.ts`, which still calls
 * node's `spawn` until its rewrite: start processes with spawn.ts instead.
 */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return childEnv({ env: extra });
}

/** Runs the CLI to pipes and keeps stdout as bytes. */
export function runBytes(args: string[], o: RunOptions = {}): ByteRun {
  const [cmd, ...pre] = COMMANDS[o.runtime ?? "binary"];
  const r = spawnSync(cmd, [...pre, ...args], {
    cwd: o.cwd ?? ROOT,
    env: o.env,
    realClock: o.realClock,
    maxBuffer: 256 << 20,
  });
  const stdout = new Uint8Array(r.stdout);
  return {
    code: r.status,
    signal: r.signal,
    stdout,
    out: new TextDecoder().decode(stdout),
    err: r.stderr.toString("utf8"),
  };
}

/** Quotes a word for `sh`. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Whether util-linux `script` is here to give a process a terminal. */
export const HAVE_SCRIPT = hasProgram("script");

/**
 * Runs the binary with stdout and stderr on a pseudo-terminal (util-linux
 * `script -qfec CMD /dev/null`), `columns` wide when given, and returns
 * every byte the terminal was sent.
 */
export function runOnTerminal(
  args: string[],
  env: Record<string, string | undefined> = {},
  columns?: number,
): ByteRun {
  const size = columns === undefined ? "" : `stty cols ${columns} rows 50; exec `;
  const cmd = size + [BIN, ...args].map(shellQuote).join(" ");
  // The command line is one word to `script`: spawn.ts's fixture check is
  // asked about the binary's own arguments first.
  childEnv({ env }, args);
  const r = spawnSync("script", ["-qfec", cmd, "/dev/null"], {
    cwd: ROOT,
    env: { TERM: "xterm-256color", SHELL: "/bin/sh", ...env },
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 20_000,
  });
  const stdout = new Uint8Array(r.stdout);
  return {
    code: r.status,
    signal: r.signal,
    stdout,
    out: new TextDecoder().decode(stdout),
    err: r.stderr.toString("utf8"),
  };
}

/** `/usr/bin/time` (GNU), which reports a child's peak resident set size. */
export const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** Peak RSS in KiB of the binary running `args`, its output thrown away. */
export function peakRssKiB(args: string[], env: Record<string, string | undefined> = {}): number {
  if (!TIME) throw new Error("/usr/bin/time is not installed");
  const r = spawnSync(TIME, ["-f", "PEAK %M", BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 30_000,
  });
  const err = r.stderr.toString("utf8");
  const m = /PEAK (\d+)\s*$/.exec(err);
  if (r.status !== 0 || !m) throw new Error(`${args.join(" ")} failed (${r.status}): ${err}`);
  return Number(m[1]);
}

// ---------------------------------------------------------------------------
// Lines

/** A session uuid whose first 8 characters are `prefix8`. */
export function sessionId(prefix8: string, n = 1): string {
  return `${prefix8}-1111-4222-8333-${n.toString(16).padStart(12, "0")}`;
}

/** zot's file name for a session started at `stamp` (`YYYYMMDD-HHMMSS`). */
export function fileName(id: string, stamp = "20261001-120000"): string {
  return `${stamp}-${id.slice(0, 8)}.jsonl`;
}

/** Standard base64 of `n` deterministic bytes. */
export function base64Of(n: number): string {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 7 + 3) & 0xff;
  let out = "";
  // 3 KiB steps: a multiple of 3, so the pieces join into one valid encoding.
  for (let i = 0; i < n; i += 3072) {
    out += btoa(String.fromCharCode(...bytes.subarray(i, i + 3072)));
  }
  return out;
}

/** `n` numbered lines of tool output, `result line 1` … */
export function numberedLines(n: number, label = "result line"): string {
  return Array.from({ length: n }, (_, i) => `${label} ${i + 1}`).join("\n");
}

/** A session's lines, and what a reader should find in them. */
export interface RichSession {
  lines: string[];
  /** The file's text: the lines, a damaged line inside, a cut last line. */
  text: string;
}

/** Ids of the rich session's tool calls. */
export const CALL = { ls: "call_ls_1", read: "call_read_2", shot: "call_shot_3" } as const;

/** The encrypted reasoning blob of the rich session (never to be shown). */
export const ENCRYPTED = "gAAAAABpSECRETBLOBxyz0123456789==";

/**
 * A session with every kind of line and block: renames, a model switch, a
 * compaction summary, reasoning (summary, encrypted, summary only), tool
 * calls with ok, long and error results, images (user and in a result), an
 * empty message, usage rows, one garbage line in the middle and a last line
 * cut short by a crash.
 */
export function richSession(id: string, cwd: string, o: { parent?: string } = {}): RichSession {
  const t = (s: number) => `2026-10-01T14:00:${String(s).padStart(2, "0")}.5+02:00`;
  const lines = [
    metaLine({
      id,
      cwd,
      started: "2026-10-01T12:00:00.123Z",
      version: "0.1.60",
      ...(o.parent ? { parent: o.parent, fork_point: 2 } : {}),
    }),
    renameLine("Rich session"),
    messageLine("user", [
      { text: "Please look at <this> & that" },
      { mime_type: "image/png", data: base64Of(1200) },
    ], t(1)),
    usageLine({ input_tokens: 1000, output_tokens: 200, cost_usd: 0.01 }),
    messageLine("assistant", [
      { reasoning_id: "rs_1", summary: "Thinking about the screenshot" },
      { reasoning_id: "rs_2", encrypted_content: ENCRYPTED },
      { text: "I will list the files." },
      { id: CALL.ls, name: "bash", arguments: { command: "ls -la", timeout: 30 } },
      { id: CALL.read, name: "read", arguments: { path: "missing.txt" } },
    ], t(2)),
    messageLine("tool", [
      { call_id: CALL.ls, content: [{ text: numberedLines(25) }], is_error: false },
    ], t(3)),
    messageLine("tool", [
      { call_id: CALL.read, content: [{ text: "open missing.txt: no such file" }], is_error: true },
    ], t(4)),
    metaLine({ id, cwd, model: "gpt-5", provider: "openai", started: "2026-10-01T12:00:00.123Z" }),
    messageLine("user", "Summary of the earlier conversation: files were listed.", t(5), {
      compaction: "true",
      tokens_before: "12345",
    }),
    usageLine({ input_tokens: 3000, output_tokens: 500, cost_usd: 0.035 }),
    messageLine("assistant", [
      { id: CALL.shot, name: "screenshot", arguments: null },
    ], t(6)),
    messageLine("tool", [
      {
        call_id: CALL.shot,
        content: [{ mime_type: "image/jpeg", data: base64Of(2500) }, { text: "captured" }],
        is_error: false,
      },
    ], t(7)),
    messageLine("assistant", null, t(8)),
  ];
  const afterGarbage = [
    usageLine({ input_tokens: 3500, output_tokens: 600, cost_usd: 0.04 }),
    messageLine("assistant", [{ text: "All done." }, { summary: "Only a summary here" }], t(9)),
    renameLine("Renamed later"),
    renameLine(""),
  ];
  const garbage = "this line is not JSON {";
  const cut = '{"type":"message","message":{"role":"user","content":[{"text":"cut sho';
  const text = [...lines, garbage, ...afterGarbage].map((l) => l + "\n").join("") + cut;
  return { lines: [...lines, ...afterGarbage], text };
}

/** Hostile text: escape sequences that clear, retitle, write the clipboard. */
export const HOSTILE = {
  clear: "\x1b[2J",
  clipboard: "\x1b]52;c;aGk=\x07",
  title: "\x1b]0;pwned title\x07",
  csi8: "\u009b31m", // an 8-bit CSI
  bidi: "\u202eevil\u202c",
  bell: "\x07",
  backspace: "\b\b\b",
} as const;

/** All of {@linkcode HOSTILE} in one string. */
export const HOSTILE_ALL = Object.values(HOSTILE).join("|");

/** A valid 1×1 PNG, base64. */
export const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/**
 * An imported session (issue 22): its meta line was written on import, six
 * weeks after its first message and 43 s before its last; its first prompt
 * is coloured (`FAIL` in bold red, then a screen clear, which is no colour),
 * its second is an image alone.
 */
export function importedSession(id: string, cwd: string): string[] {
  return [
    metaLine({ id, cwd, started: "2026-11-12T09:00:00Z" }),
    messageLine("user", "\x1b[1;31mFAIL\x1b[0m: 2 tests \x1b[2J", "2026-10-01T09:00:00Z"),
    messageLine("assistant", "Fixed.", "2026-10-01T09:00:05Z"),
    messageLine("user", [{ mime_type: "image/png", data: PNG_1X1 }], "2026-11-12T09:00:00Z"),
    messageLine("assistant", "A green bar.", "2026-11-12T09:00:43Z"),
  ];
}

/** A session with hostile text in its title, prompt, tool output, arguments and model. */
export function hostileSession(id: string, cwd: string): string[] {
  const t = "2026-10-02T09:00:00Z";
  return [
    metaLine({ id, cwd, title: `title ${HOSTILE.title}${HOSTILE.csi8}` }),
    renameLine(`renamed ${HOSTILE.title}${HOSTILE.clear}`),
    messageLine("user", `prompt ${HOSTILE_ALL} end`, t),
    messageLine("assistant", [
      { reasoning_id: "rs", summary: `thinking ${HOSTILE.clipboard}` },
      { text: `reply ${HOSTILE.clear}` },
      {
        id: "call_x",
        name: `bash${HOSTILE.clear}`,
        arguments: { command: `printf '${HOSTILE_ALL}'` },
      },
    ], t),
    messageLine("tool", [
      {
        call_id: "call_x",
        content: [{ text: `output ${HOSTILE_ALL}\nsecond ${HOSTILE.clipboard}` }],
        is_error: false,
      },
    ], t),
    metaLine({ id, cwd, model: `evil-model${HOSTILE.title}`, provider: "openai" }),
    messageLine("assistant", `bye ${HOSTILE.csi8}`, t),
  ];
}

/**
 * The bytes a terminal was sent, minus the tool's own colours (SGR:
 * `ESC [ digits/semicolons m`) and the terminal's line endings: what is
 * left must hold no control character but newline and tab.
 */
export function strayControls(bytes: Uint8Array): string[] {
  const text = new TextDecoder().decode(bytes)
    // deno-lint-ignore no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, "")
    .replaceAll("\r\n", "\n");
  // deno-lint-ignore no-control-regex
  const found = text.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g);
  return (found ?? []).map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// ---------------------------------------------------------------------------
// Big files

/** Writes `text` to an open file, in order. */
async function appendAll(fh: Awaited<ReturnType<typeof open>>, text: string): Promise<void> {
  await fh.write(text);
}

/**
 * Writes a session of about `bytes` bytes turn by turn (never holding it):
 * each turn a prompt, a usage row, a call, a ~8 KB result and a reply. The
 * last turns are numbered so a test can recognise them. Returns the number
 * of turns and message lines written.
 */
export async function writeLargeSession(
  path: string,
  id: string,
  cwd: string,
  bytes: number,
): Promise<{ turns: number; messages: number; size: number }> {
  const fh = await open(path, "w");
  let size = 0;
  let turns = 0;
  try {
    const write = async (line: string) => {
      await appendAll(fh, line + "\n");
      size += Buffer.byteLength(line) + 1;
    };
    await write(metaLine({ id, cwd }));
    const filler = numberedLines(80, "x".repeat(90)); // ~8 KB of result text
    let batch = "";
    while (size < bytes) {
      turns++;
      const t = `2026-10-03T10:00:00.${String(turns).padStart(9, "0")}Z`;
      const turn = [
        messageLine("user", `prompt ${turns}`, t),
        usageLine({ input_tokens: turns * 10, output_tokens: turns, cost_usd: turns / 1000 }),
        messageLine("assistant", [
          { text: `calling ${turns}` },
          { id: `c${turns}`, name: "bash", arguments: { command: `echo ${turns}` } },
        ], t),
        messageLine("tool", [{
          call_id: `c${turns}`,
          content: [{ text: filler }],
          is_error: false,
        }], t),
        usageLine({
          input_tokens: turns * 10 + 5,
          output_tokens: turns + 1,
          cost_usd: turns / 1000 + 0.0005,
        }),
        messageLine("assistant", `reply ${turns}`, t),
      ].map((l) => l + "\n").join("");
      batch += turn;
      size += Buffer.byteLength(turn);
      if (batch.length > 1 << 20) {
        await appendAll(fh, batch);
        batch = "";
      }
    }
    await appendAll(fh, batch);
  } finally {
    await fh.close();
  }
  return { turns, messages: 4 * turns, size };
}

/**
 * A session with lines over the reader's 8 MiB cap: a tool result of
 * `textBytes` of text in 100-byte lines, then a user message with an image
 * of `imageBytes` bytes. Written piece by piece; returns the result's text
 * length in lines.
 */
export async function writeLongLineSession(
  path: string,
  id: string,
  cwd: string,
  textBytes: number,
  imageBytes: number,
): Promise<{ resultLines: number }> {
  const fh = await open(path, "w");
  const t = "2026-10-04T08:00:00Z";
  try {
    await appendAll(fh, metaLine({ id, cwd }) + "\n");
    await appendAll(fh, messageLine("user", "show me the log", t) + "\n");
    await appendAll(
      fh,
      messageLine(
        "assistant",
        [{ id: "big", name: "bash", arguments: { command: "cat log" } }],
        t,
      ) +
        "\n",
    );
    // The tool line, written in pieces: its text is `resultLines` lines of 100 bytes.
    const resultLines = Math.ceil(textBytes / 100);
    await appendAll(
      fh,
      '{"type":"message","message":{"role":"tool","content":[{"call_id":"big","content":[{"text":"',
    );
    let piece = "";
    for (let i = 1; i <= resultLines; i++) {
      piece += bigResultLine(i) + (i < resultLines ? "\\n" : "");
      if (piece.length > 1 << 20) {
        await appendAll(fh, piece);
        piece = "";
      }
    }
    await appendAll(fh, piece + `"}],"is_error":false}],"time":"${t}"}}\n`);
    // The image line: base64 written in pieces (3-byte aligned).
    await appendAll(
      fh,
      '{"type":"message","message":{"role":"user","content":[{"text":"this screenshot"},{"mime_type":"image/png","data":"',
    );
    const step = 3 << 18; // 768 KiB of bytes per piece
    for (let done = 0; done < imageBytes; done += step) {
      await appendAll(fh, base64Of(Math.min(step, imageBytes - done)));
    }
    await appendAll(fh, `"}],"time":"${t}"}}\n`);
    await appendAll(fh, messageLine("assistant", "That log is long.", t) + "\n");
  } finally {
    await fh.close();
  }
  return { resultLines: Math.ceil(textBytes / 100) };
}

/** Line `i` of the big tool result: exactly 100 bytes, recognisable. */
export function bigResultLine(i: number): string {
  return `L${String(i).padStart(7, "0")} `.padEnd(100, "abcdefghij"[i % 10]);
}

// ---------------------------------------------------------------------------
// What `--json` should give, computed from a file without zot-sessions

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The decoded size of a base64 string. */
function decodedBytes(data: unknown): number {
  return Buffer.from(str(data), "base64").length;
}

/** A content block as a `--json` block, by FORMAT.md's rules (first match wins). */
export function expectedBlock(b: Obj): Obj {
  if (str(b.reasoning_id) || str(b.encrypted_content)) {
    return {
      type: "reasoning",
      summary: str(b.summary),
      encrypted: str(b.encrypted_content) !== "",
    };
  }
  if (str(b.name) && str(b.id)) {
    return { type: "tool_call", id: b.id, name: b.name, arguments: b.arguments ?? null };
  }
  if (str(b.call_id)) {
    const inner = Array.isArray(b.content) ? b.content.filter(isObj) : [];
    return {
      type: "tool_result",
      callId: b.call_id,
      content: inner.map((i) =>
        str(i.mime_type)
          ? { type: "image", mimeType: i.mime_type, bytes: decodedBytes(i.data) }
          : { type: "text", text: str(i.text) }
      ),
      isError: b.is_error === true,
    };
  }
  if (str(b.mime_type)) {
    return { type: "image", mimeType: b.mime_type, bytes: decodedBytes(b.data) };
  }
  if (str(b.summary) && !str(b.text)) {
    return { type: "reasoning", summary: b.summary, encrypted: false };
  }
  return { type: "text", text: str(b.text) };
}

/**
 * The NDJSON events `show --json` should print for a file's text: one per
 * line, in order; lines that do not parse as `skipped` (the last one, without
 * its newline, as "truncated last line"), one event with their `count` for
 * such lines in a row with no record between them (blank lines and unknown
 * types are none). Usage deltas are left out (floating point: compare them
 * with a tolerance), and so are renames to "" (ignored).
 */
export function expectedEvents(text: string): Obj[] {
  const lines = text.split("\n");
  const last = lines.pop()!; // "" when the file ends with a newline
  const all = [...lines.map((l) => ({ l, terminated: true })), { l: last, terminated: false }];
  const events: Obj[] = [];
  let index = 0;
  let run: Obj | null = null; // the skipped event that damaged lines add to
  all.forEach(({ l, terminated }, i) => {
    const line = l.endsWith("\r") ? l.slice(0, -1) : l;
    if (line === "") return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      const reason = terminated ? "not valid JSON" : "truncated last line";
      if (run !== null && run.reason === reason) (run.count as number)++;
      else {
        run = { type: "skipped", line: i + 1, reason, count: 1 };
        events.push(run);
      }
      return;
    }
    if (!isObj(v)) return;
    const isRecord = (v.type === "meta" && isObj(v.meta)) ||
      (v.type === "message" && isObj(v.message)) || v.type === "usage" || v.type === "rename";
    if (isRecord) run = null;
    if (v.type === "meta" && isObj(v.meta)) {
      const m = v.meta;
      events.push({
        type: "meta",
        id: str(m.id),
        cwd: str(m.cwd),
        model: str(m.model),
        provider: str(m.provider),
        started: str(m.started),
        version: str(m.version),
        title: str(m.title) || null,
        parent: str(m.parent) || null,
        forkPoint: typeof m.fork_point === "number" && m.fork_point > 0 ? m.fork_point : null,
      });
    } else if (v.type === "message" && isObj(v.message)) {
      const m = v.message;
      const e: Obj = { type: "message", index: index++, role: str(m.role), time: str(m.time) };
      if (isObj(m.meta) && m.meta.compaction === "true") e.compaction = true;
      e.blocks = Array.isArray(m.content) ? m.content.filter(isObj).map(expectedBlock) : [];
      events.push(e);
    } else if (v.type === "usage") {
      events.push({ type: "usage", cumulative: usageCounters(v.cumulative) });
    } else if (v.type === "rename" && str(v.title) !== "") {
      events.push({ type: "rename", title: str(v.title) });
    }
  });
  return events;
}

/**
 * A zot usage object in `--json`'s names, its cost rounded to 1e-9 as every
 * JSON output rounds money (zot writes float noise: 0.031473600000000004).
 */
export function usageCounters(u: unknown): Obj {
  const o = isObj(u) ? u : {};
  const n = (x: unknown) => (typeof x === "number" ? x : 0);
  return {
    inputTokens: n(o.input_tokens),
    outputTokens: n(o.output_tokens),
    cacheReadTokens: n(o.cache_read_tokens),
    cacheWriteTokens: n(o.cache_write_tokens),
    costUsd: Math.round(n(o.cost_usd) * 1e9) / 1e9,
  };
}

/** NDJSON text → values (every line must parse). */
export function parseNdjson(text: string): Obj[] {
  assertNdjson(text);
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

function assertNdjson(text: string): void {
  if (text !== "" && !text.endsWith("\n")) throw new Error("NDJSON output must end with a newline");
}

/**
 * Events as `expectedEvents` describes them: usage deltas dropped, renames
 * to "" dropped.
 */
export function comparable(events: Obj[]): Obj[] {
  return events
    .filter((e) => !(e.type === "rename" && e.title === ""))
    .map((e) => (e.type === "usage" ? { type: "usage", cumulative: e.cumulative } : e));
}

export { goJson, messageLine, metaLine, renameLine, usageLine };
