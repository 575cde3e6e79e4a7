/**
 * Text from a transcript is untrusted: a tool's output or a prompt may carry
 * escape sequences that move the cursor, change the title, or write to the
 * clipboard (OSC 52). Before such text reaches a terminal, every control
 * character is made visible instead.
 *
 * @module
 */

// C0 controls, DEL, C1 controls; plus bidirectional overrides and isolates,
// which can make a line display as something other than what it holds.
const CONTROL_CLASS = "[\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]";
const CONTROL = new RegExp(CONTROL_CLASS, "g");
const ONE_CONTROL = new RegExp(`^${CONTROL_CLASS}$`);

/**
 * Whether `char` (one character) is one that {@linkcode sanitizeForTerminal}
 * makes visible: a C0 or C1 control, DEL, or a bidirectional override or
 * isolate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTerminalControl } from "./sanitize.ts";
 *
 * assert.equal(isTerminalControl("\x1b"), true);
 * assert.equal(isTerminalControl("\u202e"), true);
 * assert.equal(isTerminalControl("é"), false);
 * ```
 */
export function isTerminalControl(char: string): boolean {
  return ONE_CONTROL.test(char);
}

/**
 * Makes control characters visible: ESC shows as `␛`, other C0 controls as
 * their Unicode "control picture" (`␇`), C1 and bidi controls as `\u{…}`.
 * Newline and tab are kept unless `singleLine`, where any run of whitespace
 * becomes one space (table cells).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sanitizeForTerminal } from "./sanitize.ts";
 *
 * assert.equal(sanitizeForTerminal("\x1b[31mred\x1b[0m"), "␛[31mred␛[0m");
 * assert.equal(sanitizeForTerminal("a\n  b", true), "a b");
 * ```
 */
export function sanitizeForTerminal(text: string, singleLine = false): string {
  if (singleLine) text = text.replace(/[\t\n\r\v\f ]+/g, " ").trim();
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (!singleLine && (c === "\n" || c === "\t")) return c;
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return `\\u{${code.toString(16)}}`;
  });
}

/**
 * JSON text made safe for a terminal while staying the same JSON: C1 and
 * bidi controls (which JSON.stringify leaves raw) become `\u` escapes. To a
 * pipe, the text is returned as it is (byte-exact output).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonForTerminal } from "./sanitize.ts";
 *
 * const json = JSON.stringify({ t: "\u009b2J" });
 * assert.equal(jsonForTerminal(json, true), '{"t":"\\u009b2J"}');
 * assert.equal(jsonForTerminal(json, false), json);
 * ```
 */
export function jsonForTerminal(json: string, terminal: boolean): string {
  if (!terminal) return json;
  return json.replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}
