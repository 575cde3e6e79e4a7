/**
 * What a shell completion script is generated from: the verbs, their flags
 * (from the same tables the flags are parsed with), the values a flag takes
 * and what the positionals are. It lives beside the flag tables it describes
 * (args.ts, command.ts, context.ts's globals). Built by the CLI from its
 * verbs; the renderers for bash, zsh and fish (lib/cli/) read only this.
 *
 * @module
 */

/**
 * What a value is, for completion: one of a list (the table the flag's own
 * check uses), several of a list joined by commas (`--by day,model`), a
 * time zone (from {@linkcode CliSpec}'s `zones`), a session reference
 * (short ids from `__complete`), a directory, a file, or free text.
 */
export type ValueKind =
  | readonly string[]
  | { readonly commaList: readonly string[] }
  | "zone"
  | "session"
  | "dir"
  | "file"
  | "text";

/** One flag. */
export interface FlagSpec {
  /** The long name, without dashes (`all`); a one-letter name is a short-only flag (`F`). */
  name: string;
  /** The one-letter alias, if any (`a`). */
  short?: string;
  /** What its value is; undefined for a flag that takes none. */
  value?: ValueKind;
  /** May be given more than once. */
  multiple: boolean;
  /** One line from the help, or "". */
  description: string;
}

/** One verb. */
export interface VerbSpec {
  name: string;
  summary: string;
  flags: FlagSpec[];
  /** What its positionals are; undefined when it takes none. */
  positionals?: Positionals;
}

/** What a verb's positionals are, and whether it takes several. */
export interface Positionals {
  kind: ValueKind;
  many?: boolean;
}

/** The whole command line. */
export interface CliSpec {
  /** The program's name, as installed (`zot-sessions`). */
  program: string;
  verbs: VerbSpec[];
  /** Flags every verb takes (and that may come before the verb). */
  globals: FlagSpec[];
  /** Global flags that take a value (so the verb is found by skipping it). */
  globalValueFlags: string[];
  /** The hidden entry that lists session references (`__complete sessions`). */
  completeEntry: string;
  /** The time zones a `zone` value completes to (IANA names and UTC); none if not given. */
  zones?: readonly string[];
}

/**
 * Every spelling of a flag: `--all` and `-a`, or `-F` for a one-letter name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spellings } from "./completion_spec.ts";
 * assert.deepEqual(spellings({ name: "all", short: "a", multiple: false, description: "" }), ["--all", "-a"]);
 * assert.deepEqual(spellings({ name: "F", multiple: false, description: "" }), ["-F"]);
 * ```
 */
export function spellings(f: FlagSpec): string[] {
  const long = f.name.length === 1 ? `-${f.name}` : `--${f.name}`;
  return f.short ? [long, `-${f.short}`] : [long];
}

/**
 * A shell function name from the program's (`zot-sessions` → `_zot_sessions`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { functionName } from "./completion_spec.ts";
 * assert.equal(functionName("zot-sessions"), "_zot_sessions");
 * ```
 */
export function functionName(program: string): string {
  return "_" + program.replace(/[^A-Za-z0-9]/g, "_");
}

/**
 * Words grouped into lines of at most `width` characters (a longer word
 * alone), for a long list in a script: the zones, say.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wordLines } from "./completion_spec.ts";
 * assert.deepEqual(wordLines(["aa", "bb", "cc"], 5), ["aa bb", "cc"]);
 * ```
 */
export function wordLines(words: readonly string[], width = 92): string[] {
  const out: string[] = [];
  for (const w of words) {
    const last = out.length - 1;
    if (last >= 0 && out[last].length + 1 + w.length <= width) out[last] += " " + w;
    else out.push(w);
  }
  return out;
}
