/**
 * `show --html`: its flags, the page's header from the session summary (as
 * the text header is made), and writing the page, to standard output or to
 * a file (`-o`) that appears whole. Not a verb.
 *
 * @module
 */
import type { ByteCounter } from "../format/line_shape.ts";
import { isAbsolute, resolve } from "node:path";
import type { ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import { sinkChain, summaryToShow, type TranscriptFlags } from "./transcript_options.ts";
import { type FileOutput, openFileOutput } from "../io/file_output.ts";
import type { Output } from "../io/io.ts";
import { UsageError } from "../base/errors.ts";
import { parseSize } from "../base/size.ts";
import type { SessionSummary } from "../scan/summary.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { emitFile } from "../transcript/emit_file.ts";
import { TranscriptEmitter } from "../transcript/emitter.ts";
import { HtmlSink } from "../render/html.ts";
import { pageHeader } from "../render/session_header.ts";
import type { PageLink } from "../render/html_page.ts";
import { type BufferedSink, drain } from "../render/transcript.ts";

/** The flags only `show --html` takes. */
export const HTML_OPTIONS = {
  html: { type: "boolean" },
  output: { type: "string", short: "o" },
  "max-image-bytes": { type: "string" },
} as const;

/** Their help lines. */
export const HTML_HELP =
  `      --html             one self-contained HTML page: no scripts, no requests
  -o, --output FILE      with --html: write the page to FILE (whole or not at all)
      --max-image-bytes N  with --html: an image over N bytes (500kB, 2MB) is
                         a placeholder with its size (default: all shown)`;

/** `show --html`'s own flags, checked. */
export interface HtmlFlags {
  /** The file to write, or null for standard output. */
  output: string | null;
  maxImageBytes: number | null;
}

/**
 * Reads `--html`, `-o` and `--max-image-bytes`; null without `--html`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { htmlFlags } from "./html_output.ts";
 * import { transcriptFlags } from "./transcript_options.ts";
 * const flags = { values: { html: true, output: "s.html" }, positionals: [] };
 * assert.equal(htmlFlags(flags, transcriptFlags(flags, {}))?.output, "s.html");
 * ```
 */
export function htmlFlags(flags: ParsedFlags, f: TranscriptFlags): HtmlFlags | null {
  const v = flags.values;
  if (v.html !== true) {
    for (const [name, flag] of [["output", "-o"], ["max-image-bytes", "--max-image-bytes"]]) {
      if (v[name] !== undefined) {
        throw new UsageError(`Cannot use ${flag} without --html: it is the page's`);
      }
    }
    return null;
  }
  if (f.raw || f.markdown || v.json === true) {
    throw new UsageError("Cannot combine --html with --raw, --markdown or --json: choose one");
  }
  const max = v["max-image-bytes"];
  const output = typeof v.output === "string" && v.output !== "-" ? v.output : null;
  if (output === "") throw new UsageError(`Cannot write the page to "": give a file name`);
  return {
    output,
    maxImageBytes: typeof max === "string" ? parseSize("--max-image-bytes", max) : null,
  };
}

/**
 * Writes the page of a session: to `-o FILE` (in place only once complete),
 * else to standard output, which must not be a terminal. `links`: to other
 * pages (`export --html`'s index, fork parent and forks), under the heading.
 */
export async function writePage(
  ctx: Context,
  f: TranscriptFlags,
  h: HtmlFlags,
  file: SessionFile,
  summary: SessionSummary,
  links: PageLink[] = [],
): Promise<void> {
  if (h.output === null) {
    if (ctx.stdout.isTTY) {
      throw new UsageError(
        "Cannot write a page to a terminal: give -o FILE or redirect the output",
      );
    }
    return await emitPage(ctx, f, h, file, summary, links, ctx.stdout);
  }
  const out = await openFileOutput(
    isAbsolute(h.output) ? h.output : resolve(ctx.processCwd, h.output),
    ctx.pid,
  );
  await writePageTo(ctx, f, h, file, summary, links, out);
}

/**
 * Writes the page of a session to `out`, opened by the caller, and puts it
 * in place (`commit`); on a failure, `abort`s it and throws.
 */
export async function writePageTo(
  ctx: Context,
  f: TranscriptFlags,
  h: Omit<HtmlFlags, "output">,
  file: SessionFile,
  summary: SessionSummary,
  links: PageLink[],
  out: FileOutput,
): Promise<void> {
  try {
    await emitPage(ctx, f, h, file, summary, links, out);
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/** The page, streamed to `out`. */
async function emitPage(
  ctx: Context,
  f: TranscriptFlags,
  h: Omit<HtmlFlags, "output">,
  file: SessionFile,
  summary: SessionSummary,
  links: PageLink[],
  out: Output,
): Promise<void> {
  const home = f.redactPaths ? ctx.userHome : "";
  const page = new HtmlSink({
    header: { ...pageHeader(await summaryToShow(ctx, f, summary), f.tz, home), links },
    full: f.full,
    usage: f.usage,
    tz: f.tz,
    maxImageBytes: h.maxImageBytes,
  });
  const sink = sinkChain(ctx, f, page);
  await emitSink(file.path, page, sink, out, ctx.stats);
}

async function emitSink(
  path: string,
  page: HtmlSink,
  sink: BufferedSink,
  out: Output,
  stats: ByteCounter,
) {
  const flush = async () => {
    const text = await drain(sink);
    if (text) await out.write(text);
  };
  await emitFile(path, new TranscriptEmitter(sink), { flush, stats });
  page.finish();
  await flush();
}
