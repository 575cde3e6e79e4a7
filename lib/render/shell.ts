/**
 * Commands printed for a person to paste into bash or zsh (`resume --print`
 * and its "run it yourself:" line, search's `show` lines). A word may come
 * from a transcript (a project directory, a session id), so it is quoted
 * twice over: the shell must read back exactly that text, and printing it
 * must not act on the terminal. A directory named with OSC 52 (which sets
 * the clipboard) or a screen clear is legal on Linux, and git checks such
 * names out.
 *
 * @module
 */
import { isTerminalControl } from "./sanitize.ts";

// Left bare: nothing bash or zsh expands or splits. Not a first "=" (zsh
// replaces "=ls" with ls's path) nor "~"; "-" and "+" are the caller's
// concern ({@linkcode shellPath}).
const BARE = /^[A-Za-z0-9_\/.,:@%+-][A-Za-z0-9_\/.,:@%+=-]*$/;

const UTF8 = new TextEncoder();

/**
 * One word for bash or zsh. Bare when nothing in it is special; in single
 * quotes when it holds no control character; else in `$'…'`, with every
 * control character (C0, DEL, C1, bidi) written as its UTF-8 bytes in
 * `\xHH` escapes, so that the printed text holds none and the shell still
 * reads back the exact name. `$'…'` is bash's and zsh's (not dash's); the
 * common case, a path without controls, stays in plain POSIX quotes. In
 * `$'…'`, `!` is `\x21` too: an interactive shell's history expansion never
 * sees it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuote } from "./shell.ts";
 *
 * assert.equal(shellQuote("/src/app"), "/src/app");
 * assert.equal(shellQuote("/src/it's here"), "'/src/it'\\''s here'");
 * assert.equal(shellQuote("/src/\x1b]52;c;eA==\x07"), "$'/src/\\x1b]52;c;eA==\\x07'");
 * assert.equal(shellQuote("=ls"), "'=ls'");
 * ```
 */
export function shellQuote(word: string): string {
  if (BARE.test(word)) return word;
  if (![...word].some(isTerminalControl)) return `'${word.replaceAll("'", `'\\''`)}'`;
  let out = "$'";
  for (const c of word) {
    if (c === "\\" || c === "'") out += "\\" + c;
    else if (c === "!") out += "\\x21";
    else if (isTerminalControl(c)) out += hexBytes(c);
    else out += c;
  }
  return out + "'";
}

/** `\xHH` for each UTF-8 byte of `c` (always two digits: `\x1bc` is ESC then `c`). */
function hexBytes(c: string): string {
  return [...UTF8.encode(c)].map((b) => "\\x" + b.toString(16).padStart(2, "0")).join("");
}

/**
 * A path as a command's argument that no command takes for anything but a
 * path: a relative one gets `./` in front, so that `-P` is no option, `-`
 * is not `cd`'s previous directory, `+1` not zsh's directory stack, and
 * `CDPATH` is not searched. Absolute paths, and `.`, `..`, `./…`, `../…`
 * are kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellPath } from "./shell.ts";
 *
 * assert.equal(shellPath("-P"), "./-P");
 * assert.equal(shellPath("/src/app"), "/src/app");
 * assert.equal(shellPath("."), ".");
 * ```
 */
export function shellPath(path: string): string {
  return /^(\/|\.\.?(\/|$))/.test(path) ? path : "./" + path;
}

/**
 * The command that changes into `dir`, as a person pastes it: `cd --`, the
 * path made safe by {@linkcode shellPath}, quoted by {@linkcode shellQuote}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cdCommand } from "./shell.ts";
 *
 * assert.equal(cdCommand("/src/my app"), "cd -- '/src/my app'");
 * assert.equal(cdCommand("-P"), "cd -- ./-P");
 * ```
 */
export function cdCommand(dir: string): string {
  return `cd -- ${shellQuote(shellPath(dir))}`;
}

/**
 * A zot-sessions command as a person pastes it into a shell: each word
 * quoted as needed ({@linkcode shellQuote}), so a path with spaces or a
 * hostile id stays one harmless word.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandLine } from "./shell.ts";
 *
 * assert.equal(
 *   commandLine(["ls", "--all", "--home", "/my zot"]),
 *   "zot-sessions ls --all --home '/my zot'",
 * );
 * ```
 */
export function commandLine(words: readonly string[]): string {
  return ["zot-sessions", ...words.map(shellQuote)].join(" ");
}

/**
 * The hint for sessions found only in other projects: the count and the
 * command that lists them (`words` with `--all`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { elsewhereHint } from "./shell.ts";
 *
 * assert.equal(
 *   elsewhereHint(2, ["ls", "--all", "--home", "/h"]),
 *   'zot-sessions: 2 sessions in other projects: try "zot-sessions ls --all --home /h"\n',
 * );
 * ```
 */
export function elsewhereHint(count: number, words: readonly string[]): string {
  return `zot-sessions: ${count} session${count === 1 ? "" : "s"} in other projects: ` +
    `try "${commandLine(words)}"\n`;
}
