/**
 * `zot-sessions pick [QUERY]`: find a session as you type, in a full-screen
 * list on the terminal, and resume it (or print its path). The picker
 * itself is lib/commands/picker.ts.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { QUIT_CODE } from "./pick_keys.ts";
import { runPicker } from "./picker.ts";

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  return await runPicker(ctx, {
    all: flags.values.all === true,
    query: flags.positionals.join(" "),
    print: flags.values.print === true,
  }, flags);
}

/** The `pick` verb. */
export const pick: Command = {
  name: "pick",
  summary: "find a session as you type, then resume it",
  exitCodes: {
    0: "a session was chosen (Enter with --print, Ctrl-Y), or zot's own status after Enter",
    1: "no session to pick, or zot could not be run (the command is printed)",
    2: "usage error, also no terminal to draw on",
    [QUIT_CODE]: "left with Esc or Ctrl-C (as fzf); 128+N on signal N",
  },
  env: ["BROWSER", "TZ"],
  allowPositionals: true,
  options: {
    all: { type: "boolean", short: "a" },
    print: { type: "boolean" },
  },
  help: `Usage: zot-sessions pick [QUERY] [--all] [--print]

A full-screen list of the sessions of this project (every project with
--all), newest first: title or first prompt, project (with --all), age,
model and spend. Typing filters it: every word must match, in any order,
as part of a word, one letter of slack ("prser" finds "parser"), accents
ignored; -word leaves out what holds it, "a phrase" matches as written.
Title, first prompt, project, model and short id are matched. A preview
shows the session's header and its last messages.

It draws on the terminal itself (/dev/tty), not on standard output, so it
works inside $(…); without a terminal it is a usage error (exit 2).

Keys:
  Enter            resume the session in zot, as "resume" does (with
                   --print: print its path)
  Esc, Ctrl-C      quit (exit 130)
  Up/Down, Ctrl-P/Ctrl-N, PgUp/PgDn   move
  Tab              show or hide the preview
  Ctrl-S           full-text mode: the query goes to "search", and the
                   rows are the messages that hold its words
  Ctrl-O           open the session's HTML page in the browser
                   ($BROWSER, else xdg-open or open)
  Ctrl-Y           print the session's id and exit
  Ctrl-D           remove the session, after y/N, by gc's rules (its lock,
                   grace period, kept fork parents; archived when
                   zot-sessions.jsonc names an archive)
  Ctrl-U, Ctrl-W   clear the query, delete its last word

Options:
  -a, --all       every project's sessions
      --print     Enter prints the session's path instead of resuming it

Examples:
  zot-sessions pick
  zot-sessions pick parser --all
  zot --session "$(zot-sessions pick --print)"`,
  run,
};
