/**
 * The man page `zot-sessions.1`, from the verbs' own help texts and the
 * help's shared sections (global options, JSON fields, exit codes,
 * environment), so it says what `--help` says, and the files it reads and
 * writes. `zot-sessions help --man` prints it; `npm run release` ships it.
 *
 * @module
 */
import type { Command } from "../commands/command.ts";
import { GLOBAL_HELP } from "../commands/context.ts";
import { VERSION } from "../base/version.ts";
import { manPage } from "../render/manpage.ts";
import { alignOptions, ENVIRONMENT, EXIT_CODES } from "./help.ts";
import { jsonHelp } from "./help_json.ts";
import { CONFIG_NAME } from "../gc/config.ts";
import { LOCK_NAME } from "../gc/lock.ts";
import { INDEX_FILE } from "../index/location.ts";

/**
 * The FILES section: where zot's sessions are, and the files zot-sessions
 * keeps beside them (gc's config and lock) and in its cache (the index).
 */
const FILES = `  <home>/sessions/<key>/*.jsonl  zot's session files, one directory per project
        (<key>: 16 hex characters of the SHA-256 of its path); read only, but
        for gc. <home> is --home, else $ZOT_HOME, else $XDG_STATE_HOME/zot or
        ~/.local/state/zot; ~/Library/Application Support/zot on macOS,
        %LOCALAPPDATA%\\zot on Windows
  <home>/${CONFIG_NAME}  gc's default policies (gc --config names another file)
  <home>/sessions/${LOCK_NAME}  held while gc runs: one gc at a time per home
  <cache>/${INDEX_FILE}  the index (with its -wal and -shm files; a damaged one is
        moved aside as ${INDEX_FILE}.damaged-<time> and removed after 7 days).
        <cache> is --cache-dir, else $ZOT_SESSIONS_CACHE, else
        $XDG_CACHE_HOME/zot-sessions or ~/.cache/zot-sessions;
        ~/Library/Caches/zot-sessions on macOS,
        %LOCALAPPDATA%\\zot-sessions\\cache on Windows. zot-sessions index --clear
        empties it; removing the directory removes everything it holds`;

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
      ["JSON OUTPUT", jsonHelp()],
      ["EXIT STATUS", rows(Object.entries(EXIT_CODES))],
      ["ENVIRONMENT", rows(Object.entries(ENVIRONMENT))],
      ["FILES", FILES],
    ],
  });
}
