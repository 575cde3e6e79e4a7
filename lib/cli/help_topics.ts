/**
 * The help topics beside the verbs': `help global` (the options every verb
 * takes) and `help environment` (the variables read); `help json` is in
 * help_json.ts. Each is plain text.
 *
 * @module
 */
import type { Command } from "../commands/command.ts";
import { GLOBAL_HELP } from "../commands/context.ts";
import { termRows } from "../render/term_rows.ts";
import { alignOptions, COMMON_ENV, ENVIRONMENT } from "./help.ts";

/** The topics, by name, each with what it shows (the tool's help lists them). */
export const TOPICS: Record<string, string> = {
  global: "options every command takes (--home, -q…)",
  environment: "environment variables",
  json: "the fields of --json output",
};

/**
 * `help global`: the global options, and that they go anywhere on the line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { globalHelp } from "./help_topics.ts";
 * assert.match(globalHelp(), /^ {6}--home DIR +zot's home/m);
 * ```
 */
export function globalHelp(): string {
  return alignOptions(`Global options: every command takes them, before or after its name
("zot-sessions --home H ls" is "zot-sessions ls --home H"). A command's help
lists its own.

${GLOBAL_HELP.split("\n").slice(1).join("\n")}`);
}

/**
 * `help environment`: every variable read, the commands named after those
 * only some commands read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { environmentHelp } from "./help_topics.ts";
 * const show = { name: "show", env: ["PAGER"] } as never;
 * assert.match(environmentHelp([show]), /^ {2}PAGER +for show: the pager /m);
 * ```
 */
export function environmentHelp(commands: Command[]): string {
  const rows = Object.entries(ENVIRONMENT).map(([name, text]): [string, string] => {
    if (COMMON_ENV.includes(name)) return [name, text];
    const by = commands.filter((c) => c.env?.includes(name)).map((c) => c.name);
    return [name, by.length ? `for ${by.join(", ")}: ${text}` : text];
  });
  return `Environment variables: every command reads them, but those marked "for" the
commands that read them.

${termRows(rows)}`;
}
