/**
 * Help screens put together the same way for every verb: the verb's own
 * text, its exit codes, then where the rest is (`help global`, `help
 * environment`, `help json VERB`), as gh does; every option column aligned.
 *
 * @module
 */
import type { Command } from "../commands/command.ts";
import { termRows } from "../render/term_rows.ts";
import { JSON_VERBS } from "./help_json.ts";

/** What each environment variable the tool reads does: the one list of them. */
export const ENVIRONMENT: Record<string, string> = {
  ZOT_HOME: "zot's home, when no --home is given",
  XDG_STATE_HOME: "else the home is $XDG_STATE_HOME/zot (Linux, BSD)",
  LOCALAPPDATA: "else the home is %LOCALAPPDATA%\\zot (Windows)",
  PWD: "names the current project as the shell does (symlinks kept)",
  COLUMNS: "the width to fit (tables, search hits, gc's plan) off a terminal",
  NO_COLOR: "set and not empty: no colours (it beats FORCE_COLOR)",
  FORCE_COLOR: "set, not empty, not 0: colours even into a pipe",
  TERM: "dumb: no colours",
  PAGER: "the pager (default: less -R, with LESS=FRX unless set)",
  BROWSER: "the browser to open a page in (else xdg-open, or open on macOS)",
  TZ: "the time zone, when no --tz is given",
  ZOT_SESSIONS_STATS: "set: report the bytes of session files read, on stderr",
  ZOT_SESSIONS_DEBUG: "set: a stack trace on stderr for an unexpected failure",
  ZOT_SESSIONS_NOW: "an ISO 8601 instant: the clock, for reproducible examples",
  ZOT_SESSIONS_CACHE: "where the index lives, when no --cache-dir is given",
  XDG_CACHE_HOME: "else the index is in $XDG_CACHE_HOME/zot-sessions (Linux, BSD)",
  ZOT_SESSIONS_NO_INDEX: "1: read the session files directly, as --no-index",
  ZOT_SESSIONS_STATUSLINE_BYTES:
    "the most bytes of session files statusline reads a run (default 32MiB)",
  ZOT_SESSIONS_TEST_PAUSE:
    "for tests: POINT=FIFO stops the index code at POINT until a handshake on FIFO",
};

/** Variables every verb reads (the home, the project, colours, debugging). */
export const COMMON_ENV = [
  "ZOT_HOME",
  "XDG_STATE_HOME",
  "LOCALAPPDATA",
  "PWD",
  "NO_COLOR",
  "FORCE_COLOR",
  "TERM",
  "ZOT_SESSIONS_STATS",
  "ZOT_SESSIONS_DEBUG",
  "ZOT_SESSIONS_NOW",
  "ZOT_SESSIONS_CACHE",
  "XDG_CACHE_HOME",
  "ZOT_SESSIONS_NO_INDEX",
];

/** The exit codes every verb shares; a verb may say more about one. */
export const EXIT_CODES: Record<number, string> = {
  0: "success, also when nothing matched",
  1: "failure: a file or session could not be found, read or written",
  2: "usage error: an unknown or contradictory flag, or a bad value",
};

/**
 * The "Exit codes" section of a help screen: the shared codes with the
 * verb's notes on them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exitCodes } from "./help.ts";
 *
 * const codes = exitCodes({ 1: "no such session" });
 * assert.match(codes, /^Exit codes:\n {2}0 {2}success, also when nothing matched\n/);
 * assert.match(codes, /\n {2}1 {2}no such session\n/);
 * ```
 */
export function exitCodes(own?: Record<number, string>): string {
  const codes = { ...EXIT_CODES, ...own };
  return "Exit codes:\n" +
    Object.entries(codes).map(([code, text]) => `  ${code}  ${text}`).join("\n");
}

/**
 * What ends a verb's help: its exit codes, then where the rest is: the
 * global options, the environment variables (naming those only
 * some verbs read that this one does) and its JSON fields.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helpFooter } from "./help.ts";
 *
 * const footer = helpFooter({ name: "show", env: ["PAGER"], exitCodes: { 1: "no such session" } });
 * assert.match(footer, /\n {2}1 {2}no such session\n/);
 * assert.match(footer, /\n {2}zot-sessions help global +options every command takes/);
 * assert.match(footer, /\n {2}zot-sessions help environment +environment variables \(PAGER among them\)/);
 * assert.match(footer, /\n {2}zot-sessions help json show +the fields of its --json output/);
 * ```
 */
export function helpFooter(c: Pick<Command, "name" | "env" | "exitCodes">): string {
  for (const n of c.env ?? []) {
    if (!(n in ENVIRONMENT)) throw new Error(`helpFooter: "${n}" is not in ENVIRONMENT`);
  }
  const own = Object.keys(ENVIRONMENT).filter((n) => c.env?.includes(n) && !COMMON_ENV.includes(n));
  const rows: [string, string][] = [
    ["zot-sessions help global", "options every command takes (--home, -q…)"],
    [
      "zot-sessions help environment",
      `environment variables (${
        own.length ? `${own.join(", ")} among them` : "ZOT_HOME, NO_COLOR…"
      })`,
    ],
  ];
  if (JSON_VERBS.includes(c.name)) {
    rows.push([`zot-sessions help json ${c.name}`, "the fields of its --json output"]);
  }
  return `${exitCodes(c.exitCodes)}\n\nMore help:\n${termRows(rows)}`;
}

/**
 * A verb's whole help screen, or the tool's (`command` undefined, with
 * `main` as its body).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ls } from "../commands/ls.ts";
 * import { helpText } from "./help.ts";
 *
 * const help = helpText(ls, "");
 * assert.match(help, /^Usage: zot-sessions ls \[options\]\n/);
 * assert.match(help, /\nExit codes:\n[^]*\nMore help:\n {2}zot-sessions help global /);
 * assert.doesNotMatch(help, /--cache-dir DIR|ZOT_HOME/); // in help global, help environment
 * ```
 */
export function helpText(command: Command | undefined, main: string): string {
  if (!command) return alignOptions(`${main}\n\n${exitCodes()}`);
  return alignOptions(`${command.help}\n\n${helpFooter(command)}`);
}

/** Flag columns wider than this put their description on the next line. */
const FLAGS_MAX = 24;

interface Row {
  flags: string;
  description: string | null;
}

// Two or more spaces end the flags: "--range A..B" and "-a, --all" hold one.
// Rows start at column 2 or 6: a deeper line goes on with a description,
// even one that starts with a dash ("-f: only what comes next").
const ROW = /^ {1,7}(-\S*(?: \S+)*)(?: {2,}(\S.*))?$/;

function parseRow(line: string): Row | null {
  const m = ROW.exec(line);
  return m ? { flags: m[1], description: m[2] ?? null } : null;
}

function optionRows(text: string): Row[] {
  return text.split("\n").map(parseRow).filter((r): r is Row => r !== null);
}

/**
 * Each flag's description in a help text, by spelling (`--all`, `-a`), with
 * the lines continuing it joined; a flag on two rows keeps the first. What
 * completion scripts show beside a flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optionDescriptions } from "./help.ts";
 * const d = optionDescriptions("  -a, --all    every project\n                 under the home");
 * assert.equal(d.get("-a"), "every project under the home");
 * ```
 */
export function optionDescriptions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: { flags: string[]; text: string } | null = null;
  const flush = () => {
    for (const f of current?.flags ?? []) if (!out.has(f)) out.set(f, current!.text);
    current = null;
  };
  for (const line of text.split("\n")) {
    const row = parseRow(line);
    if (row) {
      flush();
      const flags = [...row.flags.matchAll(/(?:^|[\s,])(--?[A-Za-z][\w-]*)/g)].map((m) => m[1]);
      current = { flags, text: row.description ?? "" };
    } else if (current && /^ {8,}\S/.test(line)) {
      current.text = `${current.text} ${line.trim()}`.trim();
    } else flush();
  }
  flush();
  return out;
}

/** Short-and-long rows start at column 2, long-only rows line up under the long part. */
function indentFlags(flags: string): string {
  return (flags.startsWith("--") ? "      " : "  ") + flags;
}

/**
 * Lines every option row's description (and the lines continuing it) up at
 * one column across the whole help, whoever wrote each section: verbs keep
 * their help as plain text, and stay aligned when a flag is added.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { alignOptions } from "./help.ts";
 *
 * assert.equal(
 *   alignOptions("  -a, --all  every project\n      --since WHEN  from WHEN"),
 *   "  -a, --all         every project\n      --since WHEN  from WHEN",
 * );
 * ```
 */
export function alignOptions(text: string): string {
  const lines = text.split("\n");
  const widths = optionRows(text).map((r) => indentFlags(r.flags).length)
    .filter((w) => w <= FLAGS_MAX);
  if (widths.length === 0) return text;
  const column = Math.max(...widths) + 2;
  const pad = " ".repeat(column);
  const out: string[] = [];
  let inRow = false;
  for (const line of lines) {
    const row = parseRow(line);
    if (row) {
      const flags = indentFlags(row.flags);
      if (row.description === null) out.push(flags);
      else if (flags.length > FLAGS_MAX) out.push(flags, pad + row.description);
      else out.push(flags.padEnd(column) + row.description);
      inRow = true;
      continue;
    }
    // A deeper-indented line right under a row goes on with its description.
    if (inRow && /^ {8,}\S/.test(line)) {
      out.push(pad + line.trimStart());
      continue;
    }
    inRow = false;
    out.push(line);
  }
  return out.join("\n");
}
