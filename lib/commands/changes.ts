/**
 * `zot-sessions changes [REF]`: the files a session changed with zot's
 * `edit` and `write` tools, listed, as JSON, or as a patch.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { checkHomes } from "../sessions/scope.ts";
import { UsageError } from "../base/errors.ts";
import { parseRef, refScope, resolveRef } from "../sessions/refs.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { readFileChanges } from "../transcript/file_changes_read.ts";
import { fileDiffs } from "../transcript/file_diffs.ts";
import { changesJson, changesText, shellNote } from "../render/changes.ts";
import { patchText, patchWarnings } from "../render/patch.ts";
import { commandLine } from "../render/shell.ts";
import { palette } from "../render/color.ts";
import { openFileOutput } from "../io/file_output.ts";
import { isAbsolute, resolve } from "node:path";

const noColour = palette(false);

/**
 * The command that shows the session's tool calls and results: by its short
 * id, or by its path when the id (from the file, untrusted) is no id a
 * reference can name; with the homes, cache and project of this run. A
 * fork's starts at its fork point (`--range N..`): the calls before are its
 * parent's, not counted.
 */
async function showToolsCommand(
  ctx: Context,
  file: SessionFile,
  forkPoint: number | null,
): Promise<string> {
  const short = ((await ctx.scope.source.firstMeta(file.path))?.id ?? "").slice(0, 8);
  const ref = /^[0-9a-f]{8}$/i.test(short) ? short : file.path;
  const range = forkPoint === null ? [] : ["--range", `${forkPoint}..`];
  return commandLine(["show", ref, "--role", "tool", ...range, ...ctx.scopeArgs]);
}

/** Writes `text` to the file `path` (relative to the process's cwd), whole or not at all. */
async function writeWhole(ctx: Context, path: string, text: string): Promise<void> {
  const out = await openFileOutput(
    isAbsolute(path) ? path : resolve(ctx.processCwd, path),
    ctx.pid,
  );
  try {
    await out.write(text);
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const ref = flags.positionals[0] ?? "latest";
  if (flags.positionals.length > 1) {
    throw new UsageError(`Cannot list the changes of "${flags.positionals[1]}": give one session`);
  }
  const patch = flags.values.patch === true;
  const absolute = flags.values.absolute === true;
  if (patch && ctx.json) throw new UsageError("Cannot combine --patch and --json: choose one");
  const output = typeof flags.values.output === "string" && flags.values.output !== "-"
    ? flags.values.output
    : null;
  if (flags.values.output !== undefined && !patch) {
    throw new UsageError("Cannot use -o without --patch: it is the patch's");
  }
  if (output === "") throw new UsageError(`Cannot write the patch to "": give a file name`);
  parseRef(ref); // a malformed reference is a usage error before any home is looked at
  await checkHomes(ctx.scope);
  const file = await resolveRef(ref, refScope(ctx.scope, flags.values.all === true, true));
  const st = await readFileChanges(file.path, { stats: ctx.stats });
  if (st.unreadMessages > 0) {
    await ctx.warn(
      `${st.unreadMessages} message lines of ${file.path} are too long to read: ` +
        "changes made in them are not listed",
    );
  }
  if (st.malformed > 0) {
    await ctx.warn(
      `${st.malformed} edit or write calls of ${file.path} have arguments that cannot be ` +
        "read (no path, or no text): not listed",
    );
  }
  const files = fileDiffs(st);
  const showTools = await showToolsCommand(ctx, file, st.forkPoint);
  if (!ctx.json && !patch) {
    const o = { palette: ctx.palette, absolute, width: ctx.width, shellCommands: st.shellCommands };
    await ctx.stdout.write(changesText(files, { ...o, showTools }));
    return 0;
  }
  if (ctx.json) await ctx.stdout.write(changesJson(files, ctx.stdout.isTTY));
  else {
    const exact = output !== null;
    const colours = exact ? noColour : ctx.palette;
    const text = patchText(files, { absolute, exact, palette: colours });
    if (output === null) await ctx.stdout.write(text);
    else await writeWhole(ctx, output, text);
    for (const w of patchWarnings(files, { absolute, exact })) await ctx.warn(w);
  }
  // The output stays a patch (or JSON) a program reads: the note goes to stderr.
  const note = shellNote(st.shellCommands, showTools);
  if (note && !ctx.quiet) await ctx.stderr.write(note);
  return 0;
}

/** The `changes` verb. */
export const changes: Command = {
  name: "changes",
  summary: "list the files a session changed, or its patch",
  allowPositionals: true,
  positionals: { kind: "session" },
  options: {
    absolute: { type: "boolean" },
    patch: { type: "boolean" },
    output: { type: "string", short: "o" },
    all: { type: "boolean", short: "a" },
  },
  values: { output: "file" },
  help: `Usage: zot-sessions changes [REF] [options]

List the files a session changed with zot's edit and write tools: each
file's path (as the session named it, relative to its project directory),
the lines added and removed, the messages that changed it (#N, as show
numbers them) and whether the session created it. A failed call is marked
and not counted; a call with no result (an aborted turn) is marked "no
result". A fork's copied calls (before its fork point) are its parent's and
not listed. Shell commands may have changed files too: a note at the end
counts them and names the command that shows them.

REF: a session id, an id prefix (4+ hex characters), a path, latest (the
default) or latest~N, as for show.

Options:
      --absolute  paths joined with the session's project directory
      --patch     a unified diff per file: the edits replayed on the text
                  the session read (git apply takes it, on the files as
                  read); a file written before any read is created (from
                  /dev/null); a file never read gets hunks without line
                  numbers (@@ ? @@), listed last: git apply skips them, and
                  stderr says how many
  -o, --output FILE  with --patch: write it to FILE, whole or not at all and
                  byte for byte (on standard output, control characters are
                  shown as symbols such as ␛; stderr names the files that
                  hold some)
      --json      one JSON object per file and line (fields: zot-sessions
                  help json changes)
  -a, --all       latest~N among all projects

Examples:
  zot-sessions changes
  zot-sessions changes 0e19 --absolute
  zot-sessions changes latest~1 --patch -o s.patch && git apply s.patch
  zot-sessions changes 0e19 --json | jq -r 'select(.created) | .path'`,
  run,
};
