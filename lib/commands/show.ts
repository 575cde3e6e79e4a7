/**
 * `zot-sessions show [REF]`: the whole conversation, streamed.
 *
 * @module
 */
import { type ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { checkHomes } from "../sessions/scope.ts";
import { UsageError } from "../base/errors.ts";
import { parseRef, refScope, resolveRef } from "../sessions/refs.ts";
import { emitFile } from "../transcript/emit_file.ts";
import { TranscriptEmitter } from "../transcript/emitter.ts";
import { redactPaths } from "../render/redact.ts";
import { textHeader } from "../render/session_header.ts";
import { drain } from "../render/transcript.ts";
import { HTML_HELP, HTML_OPTIONS, htmlFlags, writePage } from "./html_output.ts";

import {
  chooseOutput,
  countedFromStart,
  makeSink,
  summaryToShow,
  TRANSCRIPT_HELP,
  TRANSCRIPT_OPTIONS,
  TRANSCRIPT_VALUES,
  transcriptFlags,
  writeRaw,
} from "./transcript_options.ts";

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const f = transcriptFlags(flags, ctx.env);
  const html = htmlFlags(flags, f);
  const ref = flags.positionals[0] ?? "latest";
  if (flags.positionals.length > 1) {
    throw new UsageError(`Cannot show "${flags.positionals[1]}": give one session`);
  }
  parseRef(ref); // a malformed reference is a usage error before any home is looked at
  await checkHomes(ctx.scope);
  // A path that is a link names the file it leads to: show only reads.
  const file = await resolveRef(ref, refScope(ctx.scope, flags.values.all === true, true));
  const countBack = (f.filter.from ?? 0) < 0 || (f.filter.to ?? 0) < 0;
  // The header and a range counted from the end need the whole file's
  // summary: the source's (from the index, with no read of the file).
  const summary = countBack || (!ctx.json && !f.raw)
    ? (await ctx.scope.source.scan(file)).summary
    : null;
  if (countBack) f.filter = countedFromStart(f.filter, summary!.messages);
  if (html) {
    await writePage(ctx, f, html, file, summary!);
    return 0;
  }
  const { out, close } = await chooseOutput(ctx, f);
  try {
    if (f.raw) {
      await writeRaw(file.path, out, 0, ctx.stats);
      return 0;
    }
    const sink = makeSink(ctx, f, out, true, true);
    if (!ctx.json) {
      const shown = await summaryToShow(ctx, f, summary!);
      const text = textHeader(shown, file.path, ctx.palette, f.markdown, f.tz);
      await out.write(f.redactPaths && ctx.userHome ? redactPaths(text, ctx.userHome) : text);
    }
    const emitter = new TranscriptEmitter(sink);
    await emitFile(file.path, emitter, {
      stats: ctx.stats,
      flush: async () => {
        const text = await drain(sink);
        if (text) await out.write(text);
      },
    });
    return 0;
  } finally {
    await close();
  }
}

/** The `show` verb. */
export const show: Command = {
  name: "show",
  summary: "print one session's conversation",
  env: ["PAGER", "TZ"],
  allowPositionals: true,
  options: { ...TRANSCRIPT_OPTIONS, around: { type: "string" }, ...HTML_OPTIONS },
  values: TRANSCRIPT_VALUES,
  positionals: { kind: "session" },
  help: `Usage: zot-sessions show [REF] [options]

Print a session's whole conversation, streaming: a header, then each message
with its role and time, tool calls with their results, images as their type
and size, reasoning summaries, model switches, renames, and each turn's cost.
Every time is shown in one zone (the local one unless --tz or --utc), named
in the header.

REF: a session id, an id prefix (4+ hex characters), a path to a .jsonl,
.jsonl.gz or .zotsession file (another name only if its first line is a zot
meta line), latest (the default) or latest~N (the N-th newest).

Options:
${TRANSCRIPT_HELP}
      --around N         message N, marked ▶, with the two before and after
                         it (what search's hints use)
${HTML_HELP}

Examples:
  zot-sessions show
  zot-sessions show 0e19 --no-tools
  zot-sessions show latest~1 --markdown > session.md
  zot-sessions show 0e19 --html -o session.html
  zot-sessions show 0e19 --json | jq 'select(.type == "usage")'`,
  run,
};
