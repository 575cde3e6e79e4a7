/**
 * The man page `zot-sessions.1`, from the verbs' own help texts and the
 * help's shared sections (global options, exit codes, environment), so it
 * says what `--help` says. `npm run release` writes it.
 *
 * @module
 */
import type { Command } from "../commands/command.ts";
import { GLOBAL_HELP } from "../commands/context.ts";
import { VERSION } from "../base/version.ts";
import { manPage } from "../render/manpage.ts";
import { alignOptions, ENVIRONMENT, EXIT_CODES } from "./help.ts";

/** Rows of `TERM  description`, aligned. */
function rows(entries: [string, string][]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n");
}

/**
 * The page's roff text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { manPageText } from "./manpage.ts";
 * import { ls } from "../commands/ls.ts";
 * assert.ok(manPageText([ls], "list zot sessions").startsWith('.\\"'));
 * ```
 */
export function manPageText(commands: Command[], summary: string): string {
  return manPage({
    program: "zot-sessions",
    version: VERSION,
    summary,
    verbs: commands.map((c) => ({
      name: c.name,
      summary: c.summary,
      // A verb's own notes on the exit codes follow its help.
      help: alignOptions(
        c.exitCodes ? `${c.help}\n\nExit codes:\n${rows(Object.entries(c.exitCodes))}` : c.help,
      ),
    })),
    sections: [
      ["GLOBAL OPTIONS", alignOptions(GLOBAL_HELP.split("\n").slice(1).join("\n"))],
      ["EXIT STATUS", rows(Object.entries(EXIT_CODES))],
      ["ENVIRONMENT", rows(Object.entries(ENVIRONMENT))],
    ],
  });
}
