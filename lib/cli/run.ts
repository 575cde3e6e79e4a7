/**
 * The one place that finds the verb, parses flags, and turns errors into a
 * message and an exit code: 0 ok, 1 failure, 2 usage.
 *
 * @module
 */
import { index } from "../commands/index_verb.ts";
import { type ParsedFlags, parseFlags } from "../commands/args.ts";
import type { Command } from "../commands/command.ts";
import {
  type Context,
  GLOBAL_HELP,
  GLOBAL_OPTIONS,
  GLOBAL_VALUE_FLAGS,
  makeContext,
} from "../commands/context.ts";
import { helpText } from "./help.ts";
import { environmentHelp, globalHelp, TOPICS } from "./help_topics.ts";
import { jsonHelp } from "./help_json.ts";
import { manPageText } from "./manpage.ts";
import { termRows } from "../render/term_rows.ts";
import { closest } from "../base/suggest.ts";
import {
  describeSystemError,
  NoSessionHere,
  RuntimeError,
  systemErrorMessage,
  UsageError,
} from "../base/errors.ts";
import { type IO, OutputError } from "../io/io.ts";
import { changes } from "../commands/changes.ts";
import { blame } from "../commands/blame.ts";
import { cost } from "../commands/cost.ts";
import { gc } from "../commands/gc.ts";
import { ls } from "../commands/ls.ts";
import { pick } from "../commands/pick.ts";
import { resume } from "../commands/resume.ts";
import { search } from "../commands/search.ts";
import { show } from "../commands/show.ts";
import { exportCommand } from "../commands/export.ts";
import { statusline } from "../commands/statusline.ts";
import { tail } from "../commands/tail.ts";
import { VERSION } from "../base/version.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import { elsewhereHint } from "../render/shell.ts";
import { COMPLETE_ENTRY, completionsCommand, runComplete } from "./completions.ts";

/** Every verb, in the order the help lists them. */
export const COMMANDS: Command[] = [
  ls,
  show,
  exportCommand,
  tail,
  cost,
  gc,
  index,
  search,
  changes,
  blame,
  resume,
  statusline,
  pick,
  completionsCommand(() => COMMANDS),
];

/** What the tool is, in one line (the help's first, the man page's NAME). */
export const SUMMARY = "list, read, cost and clean up zot sessions";

const MAIN_HELP = `zot-sessions ${VERSION}: ${SUMMARY}

Usage: zot-sessions <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join("\n")}

${GLOBAL_HELP}

Help:
${
  termRows([
    ["zot-sessions help <command>", "a command's options (or: <command> --help)"],
    ["zot-sessions help global", TOPICS.global],
    ["zot-sessions help environment", TOPICS.environment],
    ["zot-sessions help json [CMD]", TOPICS.json],
    ["zot-sessions help --man", "the man page, as roff (pipe it to man -l -)"],
  ])
}`;

/**
 * The position of the verb in `argv`: the first argument that is neither a
 * flag nor the value of a global flag. -1 if none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findVerb } from "./run.ts";
 *
 * assert.equal(findVerb(["--home", "h", "ls", "--all"]), 2);
 * assert.equal(findVerb(["--json"]), -1);
 * ```
 */
export function findVerb(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") return -1;
    if (GLOBAL_VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith("-")) return i;
  }
  return -1;
}

/**
 * Runs the CLI on `argv` (without the program name) and returns the exit code.
 * Errors are printed as one line on stderr, or rethrown when `io.throwErrors`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryIO } from "../io/memory_io.ts";
 * import { runCli } from "./run.ts";
 *
 * const io = memoryIO();
 * assert.equal(await runCli(["--version"], io), 0);
 * assert.match(io.out(), /^zot-sessions \d+\.\d+\.\d+\n$/);
 * assert.equal(await runCli(["lss"], io), 2); // a usage error
 * assert.match(io.err(), /Cannot run "lss": unknown command; did you mean "ls"\?/);
 * ```
 */
export async function runCli(argv: string[], io: IO): Promise<number> {
  // The completion scripts' entry: not a verb, never in the help.
  if (argv[0] === COMPLETE_ENTRY) return await runComplete(argv.slice(1), io);
  let command: Command | undefined;
  let flags: ParsedFlags | undefined;
  let ctx: Context | undefined;
  try {
    const at = findVerb(argv);
    const rest = at === -1 ? argv : [...argv.slice(0, at), ...argv.slice(at + 1)];
    if (at !== -1) {
      const name = argv[at];
      command = name === "help" ? undefined : COMMANDS.find((c) => c.name === name);
      if (name === "help") {
        await io.stdout.write(helpTopic(rest) + "\n");
        return await flushed(io, 0);
      }
      if (!command) {
        throw new UsageError(`Cannot run "${name}": unknown command${didYouMean(name)}`);
      }
    }
    flags = parseFlags(
      rest,
      { ...GLOBAL_OPTIONS, ...command?.options },
      command?.allowPositionals ?? false,
      command?.countFlag,
      command?.optionalValues,
    );
    if (flags.values.version) {
      await io.stdout.write(`zot-sessions ${VERSION}\n`);
      return await flushed(io, 0);
    }
    if (flags.values.help || !command) {
      await io.stdout.write(helpOf(command) + "\n");
      return await flushed(io, 0);
    }
    ctx = await makeContext(io, flags);
    let code: number;
    try {
      code = await command.run(ctx, flags);
    } finally {
      await ctx.scope.source.close();
    }
    // What --redact-secrets took out, said once for the run (an export's
    // pages together), on stderr: never in what is sent.
    const redacted = ctx.secrets.summary();
    if (redacted !== null && !ctx.quiet) {
      await io.stdout.flush?.(); // after the output, where both go to a terminal
      await io.stderr.write(`zot-sessions: ${redacted}\n`);
    }
    if (io.env.ZOT_SESSIONS_STATS) {
      // Which JSON check ran (the WebAssembly kernel, or its JavaScript
      // fallback), then the bytes read: that line stays last.
      const { jsonWasmBytes: wasm = 0, jsonJsBytes: js = 0 } = ctx.stats;
      const checked = wasm + js;
      if (checked > 0) {
        await io.stderr.write(
          `zot-sessions: checked ${checked} bytes as JSON: ${wasm} in WebAssembly, ${js} in JavaScript\n`,
        );
      }
      await io.stderr.write(`zot-sessions: read ${ctx.stats.bytesRead} bytes of session files\n`);
    }
    return await flushed(io, code);
  } catch (err) {
    if (io.throwErrors) throw err;
    // A closed pipe (`ls | head -1`) ends quietly, as for `cat` or `git
    // log`; a failed stderr cannot carry a message.
    if (err instanceof OutputError && (err.code === "EPIPE" || err.stream === "stderr")) {
      return err.code === "EPIPE" ? 0 : 1;
    }
    // The message itself may not be writable (stderr on a full disk): the
    // exit code still says it.
    const stderr = {
      write: (text: string) =>
        io.stderr.write(text).then(() => io.stderr.flush?.()).catch(() => {}),
    };
    const where = command ? `zot-sessions ${command.name} --help` : "zot-sessions --help";
    // Messages can quote a transcript (an ambiguity lists titles): never
    // send its control characters to a terminal.
    const safe = (text: string) =>
      text.split("\n").map((l) => sanitizeForTerminal(l, false)).join("\n");
    if (err instanceof UsageError) {
      // A one-line message takes the pointer to the help at its end; after
      // a list (an ambiguous id's candidates) it goes on a line of its own,
      // with the hint, so it is not read as part of the last candidate.
      const see = `(see "${where}")`;
      if (err.hint === undefined && !err.message.includes("\n")) {
        await stderr.write(`zot-sessions: ${safe(err.message)} ${see}\n`);
      } else {
        const hint = err.hint === undefined ? see : `${safe(err.hint)} ${see}`;
        await stderr.write(`zot-sessions: ${safe(err.message)}\nhint: ${hint}\n`);
      }
      return 2;
    }
    if (err instanceof RuntimeError) {
      await stderr.write(`zot-sessions: ${safe(err.message)}\n`);
      if (err instanceof NoSessionHere && err.elsewhere > 0 && command && flags && ctx) {
        // The same command over every project, as the user can paste it.
        const { session, html } = flags.values;
        const words = [
          command.name,
          ...flags.positionals,
          ...(typeof session === "string" ? ["--session", session] : []),
          ...(typeof html === "string" ? ["--html", html] : []), // export's directory
          "--all",
          ...ctx.scopeArgs,
        ];
        await stderr.write(elsewhereHint(err.elsewhere, words));
      }
      return 1;
    }
    // Anything else is a bug or a system failure: one line naming the path
    // when the error knows it, no stack trace unless asked for with
    // ZOT_SESSIONS_DEBUG.
    const text = io.env.ZOT_SESSIONS_DEBUG && err instanceof Error && err.stack
      ? `Cannot complete the command: ${err.stack}`
      : systemErrorMessage(err) ?? `Cannot complete the command: ${describeSystemError(err)}`;
    await stderr.write(`zot-sessions: ${safe(text)}\n`);
    return 1;
  }
}

/** `code`, once the output has reached the system (a failure throws). */
async function flushed(io: IO, code: number): Promise<number> {
  await io.stdout.flush?.();
  await io.stderr.flush?.();
  return code;
}

function helpOf(command: Command | undefined): string {
  return helpText(command, MAIN_HELP);
}

/**
 * What `zot-sessions help ARGS` prints: the man page (`--man`), a topic
 * (`global`, `environment`, `json [VERB]`), a verb's help, or the tool's.
 */
function helpTopic(args: string[]): string {
  if (args.includes("--man")) return manPageText(COMMANDS, SUMMARY).replace(/\n$/, "");
  const [asked, more] = args.filter((a) => !a.startsWith("-"));
  if (asked === "global") return globalHelp();
  if (asked === "environment") return environmentHelp(COMMANDS);
  if (asked === "json") return jsonHelp(more);
  const command = COMMANDS.find((c) => c.name === asked);
  if (asked !== undefined && !command) {
    const near = closest(asked, [...COMMANDS.map((c) => c.name), ...Object.keys(TOPICS)]);
    throw new UsageError(
      `Cannot show help for "${asked}": unknown command or topic` +
        (near === null ? "" : `; did you mean "${near}"?`),
    );
  }
  return helpOf(command);
}

/** `; did you mean "ls"?` for a near verb name, else nothing. */
function didYouMean(name: string): string {
  const near = closest(name, [...COMMANDS.map((c) => c.name), "help"]);
  return near === null ? "" : `; did you mean "${near}"?`;
}
