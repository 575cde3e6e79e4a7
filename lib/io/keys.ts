/**
 * What a terminal in raw mode sends, read as keys: printable text, control
 * keys (`ctrl-c`), and the escape sequences of arrows and paging keys in
 * both cursor modes (`ESC [ A`, `ESC O A`), modifiers ignored. Pure: the
 * terminal itself is lib/io/tty.ts.
 *
 * @module
 */

/** A key that is not text. */
export type KeyName =
  | "up"
  | "down"
  | "left"
  | "right"
  | "home"
  | "end"
  | "pageup"
  | "pagedown"
  | "enter"
  | "tab"
  | "backtab"
  | "escape"
  | "backspace"
  | "delete"
  | `ctrl-${string}`;

/** One key press: text typed, or a named key. */
export type Key = { kind: "text"; text: string } | { kind: "key"; name: KeyName };

/** The final byte of a CSI sequence with no number, and its key. */
const CSI_LETTERS: Record<string, KeyName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
  Z: "backtab",
};

/** `ESC [ N ~` sequences, by N. */
const CSI_TILDE: Record<string, KeyName> = {
  "1": "home",
  "7": "home",
  "4": "end",
  "8": "end",
  "3": "delete",
  "5": "pageup",
  "6": "pagedown",
};

/** A control character's key: Enter, Tab, Backspace, or `ctrl-<letter>`. */
function controlKey(code: number): KeyName | null {
  // Enter sends CR in raw mode; LF is Ctrl-J.
  if (code === 0x0d) return "enter";
  if (code === 0x09) return "tab";
  if (code === 0x08 || code === 0x7f) return "backspace";
  if (code >= 0x01 && code <= 0x1a) return `ctrl-${String.fromCharCode(code + 0x60)}`;
  return null; // NUL, ctrl-\ ] ^ _: nothing the picker uses
}

/**
 * The keys in `input` (text read from the terminal), and what is left over:
 * an escape sequence cut at the end of the read, to be put in front of the
 * next one. A lone ESC at the end is the Escape key (terminals send a
 * sequence in one write); ESC before another character (Alt and a key) is
 * read as that key alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeKeys } from "./keys.ts";
 *
 * assert.deepEqual(decodeKeys("ab\x1b[B\x0e\x1b").keys, [
 *   { kind: "text", text: "ab" },
 *   { kind: "key", name: "down" },
 *   { kind: "key", name: "ctrl-n" },
 *   { kind: "key", name: "escape" },
 * ]);
 * assert.deepEqual(decodeKeys("\x1b[6").rest, "\x1b[6");
 * ```
 */
export function decodeKeys(input: string): { keys: Key[]; rest: string } {
  const keys: Key[] = [];
  let text = "";
  const push = (k: Key) => {
    if (text !== "") keys.push({ kind: "text", text });
    text = "";
    keys.push(k);
  };
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    const code = c.charCodeAt(0);
    if (c === "\x1b") {
      if (i + 1 === input.length) {
        push({ kind: "key", name: "escape" });
        i++;
        continue;
      }
      const next = input[i + 1];
      if (next === "[" || next === "O") {
        // CSI: parameters (digits, ;) then one final byte; SS3: one letter.
        let j = i + 2;
        if (next === "[") { while (j < input.length && /[0-9;]/.test(input[j])) j++; }
        if (j >= input.length) {
          if (text !== "") keys.push({ kind: "text", text });
          return { keys, rest: input.slice(i) };
        }
        const final = input[j];
        const params = input.slice(i + 2, j).split(";")[0];
        const name = final === "~" ? CSI_TILDE[params] : CSI_LETTERS[final];
        if (name) push({ kind: "key", name });
        i = j + 1;
        continue;
      }
      if (next === "\x1b") {
        push({ kind: "key", name: "escape" });
        i++;
        continue;
      }
      i++; // Alt and a key: the key
      continue;
    }
    if (code < 0x20 || code === 0x7f) {
      const name = controlKey(code);
      if (name) push({ kind: "key", name });
      i++;
      continue;
    }
    // C1 controls and bidi overrides never reach the query: it is drawn.
    if (
      (code >= 0x80 && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    ) {
      i++;
      continue;
    }
    text += c;
    i++;
  }
  if (text !== "") keys.push({ kind: "text", text });
  return { keys, rest: "" };
}
