/**
 * Shell completion: the `completions` verb, which prints a script generated
 * from the verbs' own flag tables and help (so the two cannot drift), and
 * the hidden `__complete` entry those scripts call for session references.
 *
 * @module
 */
import { type OptionSpec, parseFlags } from "../commands/args.ts";
import { UsageError } from "../base/errors.ts";
import type { Command } from "../commands/command.ts";
import {
  GLOBAL_HELP,
  GLOBAL_OPTIONS,
  GLOBAL_VALUE_FLAGS,
  GLOBAL_VALUES,
  makeContext,
} from "../commands/context.ts";
import type { IO } from "../io/io.ts";
import { zoneNames } from "../commands/zone_flag.ts";
import type { CliSpec, FlagSpec, ValueKind, VerbSpec } from "../commands/completion_spec.ts";
import { bashCompletion } from "./completion_bash.ts";
import { zshCompletion } from "./completion_zsh.ts";
import { fishCompletion } from "./completion_fish.ts";
import { sessionCandidates } from "../sessions/candidates.ts";
import { helpText, optionDescriptions } from "./help.ts";
import { TOPICS } from "./help_topics.ts";

/** The installed program's name. */
export const PROGRAM = "zot-sessions";
/** The hidden entry completion scripts call: `zot-sessions __complete sessions [--home H] -- PREFIX`. */
export const COMPLETE_ENTRY = "__complete";
/** The shells a script is made for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A description short enough for a completion menu. */
function short(text: string): string {
  return text.length > 72 ? text.slice(0, 71).trimEnd() + "…" : text;
}

/** The flags of an option table, described from `help`. */
function flagSpecs(
  options: OptionSpec,
  values: Record<string, ValueKind>,
  help: string,
): FlagSpec[] {
  const described = optionDescriptions(help);
  return Object.entries(options).map(([name, o]) => {
    const long = name.length === 1 ? `-${name}` : `--${name}`;
    return {
      name,
      short: o.short,
      value: o.type === "string" ? values[name] ?? "text" : undefined,
      multiple: o.multiple === true,
      description: short(described.get(long) ?? ""),
    };
  });
}

/**
 * The completion spec of the CLI: every verb's flags (the global ones
 * apart), their values and descriptions, and a `help` verb that completes
 * verb names and help topics.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cliSpec } from "./completions.ts";
 * import { ls } from "../commands/ls.ts";
 * import { show } from "../commands/show.ts";
 * assert.deepEqual(cliSpec([ls, show]).verbs.map((v) => v.name), ["ls", "show", "help"]);
 * ```
 */
export function cliSpec(commands: Command[]): CliSpec {
  const globals = flagSpecs(GLOBAL_OPTIONS, GLOBAL_VALUES, GLOBAL_HELP);
  const globalNames = new Set(Object.keys(GLOBAL_OPTIONS));
  const verbs: VerbSpec[] = commands.map((c) => ({
    name: c.name,
    summary: c.summary,
    // A verb may declare a global flag again (gc's --quiet): listed once, as a global.
    flags: flagSpecs(c.options, c.values ?? {}, helpText(c, "")).filter((f) =>
      !globalNames.has(f.name)
    ),
    positionals: c.positionals,
  }));
  verbs.push({
    name: "help",
    summary: "a command's help, a topic's, or the man page",
    flags: [{ name: "man", multiple: false, description: "the man page, as roff" }],
    positionals: { kind: [...commands.map((c) => c.name), ...Object.keys(TOPICS)] },
  });
  return {
    program: PROGRAM,
    verbs,
    globals,
    globalValueFlags: [...GLOBAL_VALUE_FLAGS],
    completeEntry: COMPLETE_ENTRY,
    zones: zoneNames(),
  };
}

/**
 * The `completions` verb, over the verbs `commands()` gives (read when it
 * runs, so that it can be one of them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { completionsCommand } from "./completions.ts";
 * import { ls } from "../commands/ls.ts";
 * const command = completionsCommand(() => [ls, command]);
 * assert.equal(command.name, "completions");
 * ```
 */
export function completionsCommand(commands: () => Command[]): Command {
  return {
    name: "completions",
    summary: "a completion script for bash, zsh or fish",
    allowPositionals: true,
    options: {},
    positionals: { kind: SHELLS },
    help: `Usage: zot-sessions completions bash|zsh|fish

Print a completion script for the shell: verbs, flags, the values of --by
(after a comma too), --sort, --role, --color…, time zones, and session ids
(with their titles where the shell shows them). It is generated from the
tables that define the flags.

Install (bash, zsh, fish):
  zot-sessions completions bash > ~/.local/share/bash-completion/completions/zot-sessions
  zot-sessions completions zsh > "\${fpath[1]}/_zot-sessions"
  zot-sessions completions fish > ~/.config/fish/completions/zot-sessions.fish

Or load it from the shell's startup file (zsh: after compinit):
  source <(zot-sessions completions bash)
  source <(zot-sessions completions zsh)`,
    run: async (ctx, flags) => {
      const shell = flags.positionals.join(" ");
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(
          shell === ""
            ? "Cannot print a completion script: name the shell (bash, zsh or fish)"
            : `Cannot print a completion script for "${shell}": expected bash, zsh or fish`,
        );
      }
      const render = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion };
      await ctx.stdout.write(render[shell as typeof SHELLS[number]](cliSpec(commands())));
      return 0;
    },
  };
}

/**
 * The hidden entry: `__complete sessions [--home DIR]… [--cwd DIR] -- PREFIX`
 * prints `<short id>\t<title>` lines. It never fails loudly: a shell
 * completing a word has nowhere to show an error, so any failure prints
 * nothing and exits 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runComplete } from "./completions.ts";
 * import { memoryIO } from "../io/memory_io.ts";
 * const io = memoryIO();
 * assert.equal(await runComplete(["sessions", "--home", "/nonexistent", "--", "0e"], io), 0);
 * assert.equal(io.out(), ""); // no sessions there
 * assert.equal(await runComplete(["colours"], memoryIO()), 1); // nothing else completes
 * ```
 */
export async function runComplete(args: string[], io: IO): Promise<number> {
  try {
    const [what, ...rest] = args;
    if (what !== "sessions") return 1;
    const flags = parseFlags(rest, GLOBAL_OPTIONS, true);
    const ctx = await makeContext(io, flags);
    const found = await sessionCandidates(ctx.scope, flags.positionals[0] ?? "");
    await io.stdout.write(found.map((c) => `${c.id}\t${c.description}\n`).join(""));
    await io.stdout.flush?.();
    return 0;
  } catch {
    return 1;
  }
}
