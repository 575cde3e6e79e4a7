/**
 * `zot-sessions tail [REF]`: the last messages of a session, found by reading
 * backwards from its end, then (with `-f`) what zot appends.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { checkHomes } from "../sessions/scope.ts";
import { UsageError } from "../base/errors.ts";
import { followFile, waitUntil } from "../transcript/follow.ts";
import { findHeadStart, findTailStart, type TailStart } from "../transcript/tail_start.ts";
import { parseRef, refScope, resolveRef } from "../sessions/refs.ts";
import { listScope } from "../sessions/scope.ts";
import { jsonForTerminal, sanitizeForTerminal } from "../render/sanitize.ts";
import { redactPaths } from "../render/redact.ts";
import { formatBytes, normalizationMark } from "../render/format.ts";
import { emitFile } from "../transcript/emit_file.ts";
import { TranscriptEmitter } from "../transcript/emitter.ts";
import { drain } from "../render/transcript.ts";
import {
  makeSink,
  TRANSCRIPT_HELP,
  TRANSCRIPT_OPTIONS,
  TRANSCRIPT_VALUES,
  transcriptFlags,
  writeRaw,
} from "./transcript_options.ts";

/** What `-n` asked for: the last `n` messages, or from message index `from`. */
export type TailLines = { last: number } | { from: number };

/**
 * Reads `-n`: `N` (the last N, 0 for none), `+N` (from message N on,
 * counting from 1 as GNU tail counts lines: `+1` is everything, and index
 * N-1 as `show` numbers messages). Without `-n`: the last 10, or as many as
 * a negative `--range` start reaches back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tailLines } from "./tail.ts";
 *
 * assert.deepEqual(tailLines("+3", null), { from: 2 });
 * assert.deepEqual(tailLines("5", null), { last: 5 });
 * assert.deepEqual(tailLines(undefined, -20), { last: 20 });
 * ```
 */
export function tailLines(text: string | undefined, rangeFrom: number | null): TailLines {
  if (text === undefined) {
    return { last: Math.max(10, rangeFrom !== null && rangeFrom < 0 ? -rangeFrom : 0) };
  }
  const plus = /^\+(\d+)$/.exec(text);
  if (plus) return { from: Math.max(0, Number(plus[1]) - 1) };
  if (!/^\d+$/.test(text)) {
    throw new UsageError(
      `Cannot parse -n "${text}": expected a whole number ≥ 0 (the last N messages) or +N (from message N on)`,
    );
  }
  return { last: Number(text) };
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const f = transcriptFlags(flags, ctx.env);
  const v = flags.values;
  const lines = tailLines(v.lines as string | undefined, f.filter.from);
  const followLatest = v["follow-latest"] === true;
  // -F is GNU's --follow=name --retry, which is what -f does already.
  const follow = v.follow === true || v.F === true || followLatest;
  if (flags.positionals.length > 1) {
    throw new UsageError(`Cannot tail "${flags.positionals[1]}": give one session`);
  }
  if (f.raw && follow) throw new UsageError("Cannot follow with --raw: use tail -f on the file");
  // A malformed reference is a usage error before any home is looked at.
  parseRef(flags.positionals[0] ?? "latest");
  await checkHomes(ctx.scope);
  // A path that is a link names the file it leads to: tail only reads.
  const scope = refScope(ctx.scope, v.all === true, true);
  const ref = flags.positionals[0] ?? "latest";
  const out = ctx.stdout;
  const note = async (text: string) => {
    if (ctx.json) return; // events only
    await out.write(ctx.palette.dim(`\n${sanitizeForTerminal(text, true)}`) + "\n");
  };
  const newest = async () => (await listScope(scope, scope.all))[0]?.path ?? null;

  // --follow-latest where no session exists yet waits for the first one, and
  // reads all of it: everything in it came after tail started.
  let path: string;
  let start: TailStart;
  const waitForFirst = followLatest && ref === "latest" && (await newest()) === null;
  if (waitForFirst) {
    await note(`--- no session yet for ${scope.all ? "any project" : scope.cwd}; waiting ---`);
    const first = await waitUntil(newest, ctx.stopSignal());
    if (first === null) return 0;
    path = first;
    start = { offset: 0, firstIndex: 0, previousUsage: null, baselineKnown: true };
  } else {
    path = (await resolveRef(ref, scope)).path;
    start = "from" in lines
      ? await findHeadStart(path, lines.from, ctx.stats)
      : await findTailStart(path, lines.last, ctx.stats);
  }

  // One sink per file read from its start: the first meta line it meets is
  // the session's (shown as the header), later ones are model switches.
  let sink = makeSink(ctx, f, out, true);
  let emitter = new TranscriptEmitter(sink, start.firstIndex);
  const flush = async () => {
    const text = await drain(sink);
    if (text) await out.write(text);
  };
  const begin = (firstIndex: number) => {
    sink = makeSink(ctx, f, out, true);
    emitter = new TranscriptEmitter(sink, firstIndex);
  };
  if (start.previousUsage) emitter.seedUsage(start.previousUsage);
  else if (!start.baselineKnown) emitter.previousUsageUnknown();
  if (start.stoppedAtJunk) {
    const { lines, bytes } = start.stoppedAtJunk;
    await ctx.warn(
      `Cannot read "${path}" back past ${lines.toLocaleString("en-US")} damaged or blank lines ` +
        `(${formatBytes(bytes)}) in a row: messages before them are not shown (show prints them)`,
    );
  }
  const meta = await ctx.scope.source.firstMeta(path);
  if (meta && !f.raw) {
    await note(`==> ${meta.id} · ${meta.cwd}${normalizationMark(meta.cwd)} · times in ${f.tz} <==`);
    // Starting past the first line: the session's meta still comes first
    // (--json begins with it, as show's does; the text sink keeps it as the
    // header's, so it is no model switch).
    if (start.offset > 0) sink.meta(meta);
  }
  let offset: number;
  if (f.raw) {
    await writeRaw(path, out, start.offset, ctx.stats);
    offset = -1;
  } else {
    offset = await emitFile(path, emitter, {
      start: start.offset,
      holdUnterminated: follow,
      flush,
      stats: ctx.stats,
    });
  }
  if (!follow) return 0;

  await followFile(path, offset, {
    clock: ctx.clock,
    read: (p, from) =>
      emitFile(p, emitter, {
        start: from,
        holdUnterminated: true,
        flush,
        stats: ctx.stats,
      }),
    restarted: async (p, why) => {
      await flush();
      const shown = f.redactPaths && ctx.userHome ? redactPaths(p, ctx.userHome) : p;
      // As GNU tail says it, on stderr, for text and --json alike.
      if (why === "truncated" && !ctx.quiet) {
        await ctx.stderr.write(
          `zot-sessions: ${sanitizeForTerminal(shown, true)}: file truncated\n`,
        );
      }
      // An event of its own: a meta event alone could not be told from a
      // later meta line of zot's. The file's events follow from its start.
      if (ctx.json) {
        await out.write(
          jsonForTerminal(JSON.stringify({ type: why, path: shown }) + "\n", out.isTTY),
        );
      }
      await note(`--- the file was ${why}; reading it again from the start ---`);
      begin(0);
    },
    switchTo: followLatest
      ? async (current) => {
        const latest = await newest();
        if (!latest || latest === current) return null;
        const m = await ctx.scope.source.firstMeta(latest);
        await note(`--- a newer session started: ${m?.id ?? latest} ---`);
        begin(0);
        return latest;
      }
      : undefined,
  }, ctx.stopSignal());
  await flush();
  return 0;
}

/** The `tail` verb. */
export const tail: Command = {
  name: "tail",
  summary: "the last messages of a session; -f follows it live",
  exitCodes: { 0: "success, also when -f is ended with Ctrl-C" },
  env: ["COLUMNS", "TZ"],
  allowPositionals: true,
  countFlag: "lines",
  values: TRANSCRIPT_VALUES,
  positionals: { kind: "session" },
  options: {
    ...TRANSCRIPT_OPTIONS,
    lines: { type: "string", short: "n" },
    follow: { type: "boolean", short: "f" },
    F: { type: "boolean" }, // -F, as in GNU tail
    "follow-latest": { type: "boolean" },
  },
  help: `Usage: zot-sessions tail [REF] [options]

Print the last messages of a session (with their tool results), reading only
the end of the file; with -f, keep printing what zot appends.

REF: a session id, an id prefix, a path, latest (the default) or latest~N.

Options:
  -n, --lines N          the last N messages (default 10); 0 for none (with
                         -f: only what comes next)
  -n, --lines +N         from message N on, counting from 1 (+1: all)
  -N                     the same as -n N (tail -5)
  -f, -F, --follow       keep following; survives the file being truncated
                         ("file truncated" on stderr) or replaced (GNU's
                         -F; --json: a truncated or replaced event); Ctrl-C
                         ends
      --follow-latest    follow, and switch to a newer session of the
                         project when one starts; with no session yet,
                         wait for the first
${TRANSCRIPT_HELP}

Message indices (--json, --range) count back from the end: -1 is the last
message when tail starts; what -f prints after it goes on from 0. With
-n +N they count from the start, as in show (+N starts at index N-1).

Examples:
  zot-sessions tail
  zot-sessions tail -3 0e19
  zot-sessions tail -f -n 0
  zot-sessions tail --range -5..-2
  zot-sessions tail --follow-latest --no-tools`,
  run,
};
