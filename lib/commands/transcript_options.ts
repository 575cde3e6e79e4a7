/**
 * What `show` and `tail` share: their transcript flags, the sink that renders
 * a transcript in the form asked for, the session header, the pager choice
 * and raw output. Not a verb: a verb never imports another verb.
 *
 * @module
 */
import { choiceFlag, type ParsedFlags } from "./args.ts";
import { type Context } from "./context.ts";
import { UsageError } from "../base/errors.ts";
import type { Output } from "../io/io.ts";
import type { ByteCounter } from "../format/line_shape.ts";
import { readChunks, readLines } from "../format/lines.ts";
import { openPager } from "../io/pager.ts";
import { decodeUtf8 } from "../format/record_peek.ts";
import type { BufferedSink } from "../render/transcript.ts";
import { FilterSink, type TranscriptFilter } from "../render/transcript_filter.ts";
import { JsonSink } from "../render/transcript_json.ts";
import { TextSink } from "../render/transcript_text.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import { RedactSink } from "../render/redact.ts";
import { redactSecretsIn, SecretSink } from "../render/secret_sink.ts";
import type { SessionSummary } from "../scan/summary.ts";
import { findSecrets } from "../render/secret_scan.ts";
import { timeZoneFlag, ZONE_HELP, ZONE_OPTIONS, ZONE_VALUES } from "./zone_flag.ts";

/** Roles `--role` accepts. */
const ROLES = ["user", "assistant", "tool"] as const;

/** What the shared value flags take, for shell completion. */
export const TRANSCRIPT_VALUES = { role: ROLES, ...ZONE_VALUES } as const;

/** `show`'s and `tail`'s shared flags, checked. */
export interface TranscriptFlags {
  filter: TranscriptFilter;
  /** The message `--around` asked for (show), marked in the output; null: none. */
  around: number | null;
  full: boolean;
  usage: boolean;
  raw: boolean;
  markdown: boolean;
  withData: boolean;
  pager: boolean;
  /** The zone every time is shown in. */
  tz: string;
  /** Show the user's home directory as `~` (default: with --markdown and --html). */
  redactPaths: boolean;
  /**
   * Replace secrets (keys, tokens, passwords) with `[redacted: KIND]`
   * (default: with --markdown and --html, and in what `export` writes).
   */
  redactSecrets: boolean;
}

/**
 * Reads the flags `show` and `tail` share; `env` gives the default zone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { transcriptFlags } from "./transcript_options.ts";
 *
 * const f = transcriptFlags({ values: { role: ["user"], range: "2..-1" }, positionals: [] });
 * assert.deepEqual(f.filter, { roles: new Set(["user"]), from: 2, to: -1, tools: true });
 * const near = transcriptFlags({ values: { around: "1" }, positionals: [] });
 * assert.deepEqual([near.filter.from, near.filter.to, near.around], [0, 3, 1]);
 * ```
 */
export function transcriptFlags(
  flags: ParsedFlags,
  env: Record<string, string | undefined> = {},
): TranscriptFlags {
  const v = flags.values;
  const roles = (v.role as string[] | undefined)?.map((r) => choiceFlag("--role", r, ROLES));
  let from: number | null = null;
  let to: number | null = null;
  let around: number | null = null;
  if (typeof v.range === "string") {
    // "5" is one message: 5..5 (and "-1" the last one).
    const range = /^-?\d+$/.test(v.range) ? `${v.range}..${v.range}` : v.range;
    // Negative indices count back from the end: -1 is the last message.
    const m = /^(-?\d*)\.\.(-?\d*)$/.exec(range);
    if (!m || (m[1] === "" && m[2] === "") || m[1] === "-" || m[2] === "-") {
      throw new UsageError(
        `Cannot parse --range "${v.range}": expected A..B, A.., ..B or N (message indices; -1 is the last)`,
      );
    }
    from = m[1] === "" ? null : Number(m[1]);
    to = m[2] === "" ? null : Number(m[2]);
    // An order is known only between two ends counted from the same side.
    if (from !== null && to !== null && (from < 0) === (to < 0) && from > to) {
      throw new UsageError(`Cannot parse --range "${v.range}": ${from} is after ${to}`);
    }
  }
  if (typeof v.around === "string") {
    // show's --around N: message N with two before and two after.
    if (typeof v.range === "string") {
      throw new UsageError("Cannot use --around with --range: choose one");
    }
    if (!/^\d+$/.test(v.around)) {
      throw new UsageError(
        `Cannot parse --around "${v.around}": expected a message index (0 or more)`,
      );
    }
    around = Number(v.around);
    from = Math.max(0, around - 2);
    to = around + 2;
  }
  if (v.usage === true && v["no-usage"] === true) {
    throw new UsageError("Cannot use --usage with --no-usage: choose one");
  }
  if (v["with-data"] === true && v.json !== true) {
    throw new UsageError(
      "Cannot use --with-data without --json: image data is only in JSON events",
    );
  }
  if (v["no-tools"] === true && roles?.includes("tool")) {
    throw new UsageError("Cannot use --no-tools with --role tool: choose one");
  }
  const raw = v.raw === true;
  const markdown = v.markdown === true;
  if ([raw, markdown, v.json === true].filter(Boolean).length > 1) {
    throw new UsageError("Cannot combine --raw, --markdown and --json: choose one");
  }
  if (v["redact-paths"] === true && v["no-redact-paths"] === true) {
    throw new UsageError("Cannot use --redact-paths with --no-redact-paths: choose one");
  }
  if (v["redact-paths"] === true && raw) {
    throw new UsageError("Cannot use --redact-paths with --raw: the lines are shown as stored");
  }
  if (v["redact-secrets"] === true && v["no-redact-secrets"] === true) {
    throw new UsageError("Cannot use --redact-secrets with --no-redact-secrets: choose one");
  }
  if (v["redact-secrets"] === true && raw) {
    throw new UsageError("Cannot use --redact-secrets with --raw: the lines are shown as stored");
  }
  return {
    filter: { roles: roles ? new Set(roles) : null, from, to, tools: v["no-tools"] !== true },
    around,
    full: v.full === true,
    usage: v["no-usage"] !== true,
    raw,
    markdown,
    withData: v["with-data"] === true,
    pager: v["no-pager"] !== true,
    tz: timeZoneFlag(flags, env),
    // A page or Markdown is made to be sent or pasted: no account name in it.
    redactPaths: v["redact-paths"] === true ||
      (v["no-redact-paths"] !== true && (markdown || v.html === true)),
    // The same forms, made to be sent: no key in them.
    redactSecrets: v["redact-secrets"] === true ||
      (v["no-redact-secrets"] !== true && (markdown || v.html === true)),
  };
}

/**
 * A range with ends counted back from the end (-1 is the last of `total`
 * messages) turned into indices from the start, as show numbers messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countedFromStart } from "./transcript_options.ts";
 *
 * const filter = { roles: null, from: -2, to: null, tools: true };
 * assert.deepEqual(countedFromStart(filter, 10), { ...filter, from: 8 });
 * ```
 */
export function countedFromStart(filter: TranscriptFilter, total: number): TranscriptFilter {
  const fromStart = (i: number | null) => (i !== null && i < 0 ? total + i : i);
  return { ...filter, from: fromStart(filter.from), to: fromStart(filter.to) };
}

/** Flag declarations `show` and `tail` share. */
export const TRANSCRIPT_OPTIONS = {
  full: { type: "boolean" },
  "no-tools": { type: "boolean" },
  role: { type: "string", multiple: true },
  range: { type: "string" },
  usage: { type: "boolean" },
  "no-usage": { type: "boolean" },
  raw: { type: "boolean" },
  markdown: { type: "boolean" },
  "with-data": { type: "boolean" },
  "no-pager": { type: "boolean" },
  "redact-paths": { type: "boolean" },
  "no-redact-paths": { type: "boolean" },
  "redact-secrets": { type: "boolean" },
  "no-redact-secrets": { type: "boolean" },
  all: { type: "boolean", short: "a" },
  ...ZONE_OPTIONS,
} as const;

/** The help lines of the shared flags. */
export const TRANSCRIPT_HELP = `      --full             no cutting of tool results and arguments
      --no-tools         hide tool calls and results
      --role ROLE        only user, assistant or tool messages (repeatable)
      --range A..B       message indices A to B (either side optional; N alone
                         is N..N; negative ones count back from the end: -1 is last)
      --usage, --no-usage  each turn's cost and tokens (default: shown)
      --raw              the lines as stored
      --markdown         Markdown, for pasting into an issue (without the
                         file's or the project's path)
      --json             NDJSON events (fields: zot-sessions help json show)
      --with-data        with --json: include image data
      --redact-paths, --no-redact-paths  your home directory shown as ~
                         (default: on with --markdown and --html)
      --redact-secrets, --no-redact-secrets  keys, tokens and passwords shown
                         as [redacted: KIND], counted on stderr (default: on
                         with --markdown and --html)
      --no-pager         do not page on a terminal
  -a, --all              latest~N among all projects
${ZONE_HELP}`;

/**
 * The sink for the chosen form: NDJSON, or text/Markdown for a person.
 * `numbered`: text headers show message numbers (`#N`) and mark `--around`'s
 * message (show, whose indices count from the start).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GLOBAL_OPTIONS, makeContext } from "./context.ts";
 * import { parseFlags } from "./args.ts";
 * import { memoryIO } from "../io/memory_io.ts";
 * import { makeSink, transcriptFlags } from "./transcript_options.ts";
 *
 * const ctx = await makeContext(memoryIO(), parseFlags(["--json"], GLOBAL_OPTIONS, false));
 * const f = transcriptFlags({ values: { json: true }, positionals: [] });
 * const sink = makeSink(ctx, f, ctx.stdout, true);
 * sink.rename("fix the parser");
 * assert.deepEqual(JSON.parse(sink.take()), { type: "rename", title: "fix the parser" });
 * ```
 */
export function makeSink(
  ctx: Context,
  f: TranscriptFlags,
  out: Output,
  header: boolean,
  numbered = false,
): BufferedSink {
  const inner: BufferedSink = ctx.json
    ? new JsonSink({ withData: f.withData, terminal: out.isTTY })
    : new TextSink({
      palette: ctx.palette,
      full: f.full,
      usage: f.usage,
      markdown: f.markdown,
      header,
      tz: f.tz,
      numbered,
      marked: numbered ? f.around : null,
    });
  return sinkChain(ctx, f, inner);
}

/**
 * What every transcript form goes through before its renderer: the filter
 * (`--role`, `--range`, `--no-tools`), then the secrets taken out
 * (`--redact-secrets`, counted in `ctx.secrets`), then the home shown as
 * `~` (`--redact-paths`). `show --html` and `export` make their pages
 * through it too. With secrets taken out, output is held until the sink is
 * settled: take it with `drain`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GLOBAL_OPTIONS, makeContext } from "./context.ts";
 * import { parseFlags } from "./args.ts";
 * import { memoryIO } from "../io/memory_io.ts";
 * import { JsonSink } from "../render/transcript_json.ts";
 * import { drain } from "../render/transcript.ts";
 * import { sinkChain, transcriptFlags } from "./transcript_options.ts";
 *
 * const ctx = await makeContext(memoryIO(), parseFlags([], GLOBAL_OPTIONS, false));
 * const f = transcriptFlags({ values: { "redact-secrets": true }, positionals: [] });
 * const sink = sinkChain(ctx, f, new JsonSink({ withData: false, terminal: false }));
 * sink.rename("token " + "ghp_" + "0123456789abcdefghijklmnopqrstuvwxyz");
 * sink.end?.();
 * assert.equal(JSON.parse(await drain(sink)).title, "token [redacted: GitHub token]");
 * assert.equal(ctx.secrets.summary(), "redacted 1 secret: 1 GitHub token");
 * ```
 */
export function sinkChain(ctx: Context, f: TranscriptFlags, inner: BufferedSink): BufferedSink {
  const home = f.redactPaths && !f.raw ? ctx.userHome : "";
  const paths = home ? new RedactSink(inner, home) : inner;
  const secrets = f.redactSecrets ? new SecretSink(paths, findSecrets, ctx.secrets) : paths;
  return new FilterSink(secrets, f.filter);
}

/**
 * The summary with the secrets of its own text taken out when
 * `--redact-secrets` asks, counted in `ctx.secrets`: the header of a page
 * or of Markdown is made from it. The title, or when there is none the
 * first prompt, which stands for it (counted only then: it is not shown
 * otherwise). Also a session's info, whose index row `export` makes from it.
 */
export async function summaryToShow<
  S extends Pick<SessionSummary, "title" | "firstPrompt">,
>(
  ctx: Context,
  f: TranscriptFlags,
  s: S,
): Promise<S> {
  if (!f.redactSecrets) return s;
  const redact = (t: string) => redactSecretsIn(t, findSecrets, ctx.secrets);
  if (s.title !== null) return { ...s, title: await redact(s.title) };
  return s.firstPrompt === null ? s : { ...s, firstPrompt: await redact(s.firstPrompt) };
}

/**
 * Where output goes: the pager on a terminal (unless `--no-pager`, `--json`,
 * `--raw`), else stdout.
 */
export async function chooseOutput(
  ctx: Context,
  f: TranscriptFlags,
): Promise<{ out: Output; close(): Promise<void> }> {
  if (ctx.stdout.isTTY && f.pager && !ctx.json && !f.raw) {
    const pager = await openPager(ctx.env, ctx.stdout, ctx.warn);
    if (pager) return { out: pager, close: () => pager.close() };
  }
  return { out: ctx.stdout, close: () => Promise.resolve() };
}

/**
 * The lines of a file as stored, from `start`. To a pipe the bytes are copied
 * exactly; on a terminal, control characters are made visible.
 */
export async function writeRaw(
  path: string,
  out: Output,
  start = 0,
  stats?: ByteCounter,
): Promise<void> {
  if (!out.isTTY) {
    for await (const chunk of readChunks(path, { start, stats })) await out.writeBytes(chunk);
    return;
  }
  for await (const line of readLines(path, { start, stats })) {
    const text = decodeUtf8(line.bytes) + (line.truncated ? `… (${line.length} bytes)` : "");
    await out.write(sanitizeForTerminal(text, false) + (line.terminated ? "\n" : ""));
  }
}
