/**
 * `zot-sessions tail [REF]`: the last messages of a session, found by reading
 * backwards from its end, then (with `-f`) what zot appends.
 *
 * @module
 */
import { intFlag, type ParsedFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { type Context, requireHomes } from "../context.ts";
import { UsageError } from "../errors.ts";
import { followFile } from "../follow.ts";
import { readLinesBackward } from "../lines.ts";
import { decodeUtf8 } from "../records.ts";
import { messageOf, readFirstMeta, readLine } from "../scan.ts";
import { listScope, parseRef, resolveRef } from "../refs.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import { emitFile, TranscriptEmitter } from "../transcript.ts";
import {
  makeSink,
  TRANSCRIPT_HELP,
  TRANSCRIPT_OPTIONS,
  transcriptFlags,
  writeRaw,
} from "./show.ts";

/** Where `tail` starts reading, found backwards from the end. */
export interface TailStart {
  /** Byte offset of the first line to print. */
  offset: number;
  /** Index of the first message printed: 0 from the start, or counted back (-1 is the last). */
  firstIndex: number;
  /** The usage row before the start, so the first printed turn's cost is right. */
  previousUsage: string | null;
  /**
   * False when the look back gave up before finding a usage row or the top
   * of the file: the first row read then only sets the baseline.
   */
  baselineKnown: boolean;
}

/**
 * How far back (bytes) a usage row is looked for before giving up on it: a
 * huge tool result in between must not make tail read the whole file.
 */
const USAGE_LOOKBACK = 4 << 20;

/**
 * Finds where the last `n` messages (not counting tool results, which go
 * with their call) begin, reading only as much of the end as that takes. A
 * usage row right before them is included (it is their first turn's cost).
 *
 * @example
 * await findTailStart("s.jsonl", 10)
 */
export async function findTailStart(path: string, n: number): Promise<TailStart> {
  let counted = 0;
  let messagesAfter = 0;
  let start: number | null = null;
  let includeUsage = true;
  for await (const line of readLinesBackward(path)) {
    const r = readLine(line, () => false);
    const message = messageOf(r);
    if (start === null) {
      if (message) {
        messagesAfter++;
        if (message.role !== "tool" && ++counted === n) start = line.offset;
      }
      continue;
    }
    // Past the start: pick up the usage row just before it, then the one
    // before that to give the first turn's cost its right delta.
    const isUsage = r.kind === "record" && r.record.type === "usage";
    if (includeUsage) {
      includeUsage = false;
      if (isUsage) {
        start = line.offset;
        continue;
      }
    }
    if (isUsage) {
      return {
        offset: start,
        firstIndex: -messagesAfter,
        previousUsage: decodeUtf8(line.bytes),
        baselineKnown: true,
      };
    }
    if (start - line.offset > USAGE_LOOKBACK) {
      return {
        offset: start,
        firstIndex: -messagesAfter,
        previousUsage: null,
        baselineKnown: false,
      };
    }
  }
  // Read back to the top: no usage row before the start, so the baseline is 0.
  if (start === null) return { offset: 0, firstIndex: 0, previousUsage: null, baselineKnown: true };
  return { offset: start, firstIndex: -messagesAfter, previousUsage: null, baselineKnown: true };
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const f = transcriptFlags(flags);
  const v = flags.values;
  const n = v.lines === undefined ? 10 : intFlag("-n", v.lines as string, 1);
  const followLatest = v["follow-latest"] === true;
  const follow = v.follow === true || followLatest;
  if (flags.positionals.length > 1) {
    throw new UsageError(`Cannot tail "${flags.positionals[1]}": give one session`);
  }
  if (f.raw && follow) throw new UsageError("Cannot follow with --raw: use tail -f on the file");
  // A malformed reference is a usage error before any home is looked at.
  parseRef(flags.positionals[0] ?? "latest");
  await requireHomes(ctx, flags);
  const scope = { homes: ctx.homes, cwd: ctx.cwd, all: v.all === true, base: ctx.processCwd };
  const file = await resolveRef(flags.positionals[0] ?? "latest", scope);
  const out = ctx.stdout;
  const sink = makeSink(ctx, f, out, false);
  const flush = async () => {
    const text = sink.take();
    if (text) await out.write(text);
  };
  const note = async (text: string) => {
    if (ctx.json) return; // events only
    await out.write(ctx.palette.dim(`\n${sanitizeForTerminal(text, true)}`) + "\n");
  };

  const start = await findTailStart(file.path, n);
  let emitter = new TranscriptEmitter(sink, start.firstIndex);
  if (start.previousUsage) emitter.seedUsage(start.previousUsage);
  else if (!start.baselineKnown) emitter.previousUsageUnknown();
  const meta = await readFirstMeta(file.path);
  if (meta && !f.raw) await note(`==> ${meta.id} · ${meta.cwd} <==`);
  let offset: number;
  if (f.raw) {
    await writeRaw(file.path, out, start.offset);
    offset = -1;
  } else {
    offset = await emitFile(file.path, emitter, {
      start: start.offset,
      holdUnterminated: follow,
      flush,
    });
  }
  if (!follow) return 0;

  const newest = async () => (await listScope(scope, scope.all))[0]?.path ?? null;
  await followFile(file.path, offset, {
    read: (path, from) => emitFile(path, emitter, { start: from, holdUnterminated: true, flush }),
    restarted: async (_path, why) => {
      await note(`--- the file was ${why}; reading it again from the start ---`);
      emitter = new TranscriptEmitter(sink, 0);
    },
    switchTo: followLatest
      ? async (current) => {
        const latest = await newest();
        if (!latest || latest === current) return null;
        const m = await readFirstMeta(latest);
        await note(`--- a newer session started: ${m?.id ?? latest} ---`);
        emitter = new TranscriptEmitter(sink, 0);
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
  allowPositionals: true,
  options: {
    ...TRANSCRIPT_OPTIONS,
    lines: { type: "string", short: "n" },
    follow: { type: "boolean", short: "f" },
    "follow-latest": { type: "boolean" },
  },
  help: `Usage: zot-sessions tail [REF] [options]

Print the last messages of a session (with their tool results), reading only
the end of the file; with -f, keep printing what zot appends.

REF: a session id, an id prefix, a path, latest (the default) or latest~N.

Options:
  -n, --lines N          the last N messages (default 10)
  -f, --follow           keep following; survives the file being truncated
                         or replaced; Ctrl-C ends
      --follow-latest    follow, and switch to a newer session of the
                         project when one starts
${TRANSCRIPT_HELP}

In --json events, tail counts message indices back from the end: -1 is the
last message at the start of the run.

Examples:
  zot-sessions tail
  zot-sessions tail -n 3 0e19
  zot-sessions tail --follow-latest --no-tools`,
  run,
};
