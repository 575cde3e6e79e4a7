/**
 * Whether bytes are one JSON text — what `JSON.parse` of their UTF-8 decoding
 * would accept — checked without decoding or building anything.
 *
 * Why: `ls` and `cost` count a message line from its first and last bytes and
 * never parse it (nearly all of a transcript's bytes are message lines). A
 * line damaged in the middle (a flipped bit, a lost byte) still has zot's
 * ends, so it was counted as a message while `show`, which parses, skipped
 * it. zot's own picker unmarshals every line, so a line that is not JSON is
 * not a message. This check makes the fast path agree with a parse at a
 * fraction of its cost: one pass over the bytes, nothing allocated per line
 * but this object (figures in the commit that added it).
 *
 * What decoding changes is accounted for: bytes ≥ 0x80 are fine inside a
 * string (invalid UTF-8 becomes U+FFFD there, still a valid string) and an
 * error outside one (U+FFFD is no JSON token). Nesting depth is not limited:
 * the container stack is a byte array, not the call stack.
 *
 * A leading byte order mark is skipped, as TextDecoder skips it.
 *
 * {@linkcode JsonValidator} takes the bytes in pieces (a line too long to
 * hold is checked as it streams past); {@linkcode isJsonValid} takes them at
 * once.
 *
 * Why one module of ~440 lines: it is one state machine (the scanner's
 * states and byte tables, and the one class that runs them, its `push` loop
 * ~190 lines on its own as the hottest code of a cold run), which a one-shot
 * check and a resumable streaming one both run whole.
 *
 * @module
 */

// States of the scanner.
const VALUE = 0; // a value must start
const ARRAY_FIRST = 1; // after "[": a value or "]"
const OBJECT_FIRST = 2; // after "{": a key or "}"
const KEY = 3; // after "," in an object: a key
const COLON = 4; // after a key
const AFTER = 5; // after a value: "," or a closing bracket, or the end
const STRING = 6;
const ESCAPE = 7; // after "\" in a string
const HEX = 8; // inside "\uXXXX"
const MINUS = 9; // after "-": a digit must follow
const ZERO = 10; // a number's leading 0
const INT = 11; // digits of the integer part
const DOT = 12; // after ".": a digit must follow
const FRACTION = 13;
const EXP = 14; // after "e": sign or digit
const EXP_SIGN = 15; // after "e+": a digit must follow
const EXP_DIGITS = 16;
const LITERAL = 17; // inside true, false or null
const FAILED = 18;

const OBJECT = 1;
const ARRAY = 2;

const TRUE = new Uint8Array([0x74, 0x72, 0x75, 0x65]);
const FALSE = new Uint8Array([0x66, 0x61, 0x6c, 0x73, 0x65]);
const NULL = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]);
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/** Bytes that end the plain run of a string: `"`, `\` and control characters. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[0x22] = 1;
STRING_STOP[0x5c] = 1;

/** The characters that may follow `\` in a string. */
const ESCAPABLE = new Uint8Array(256);
for (const c of '"\\/bfnrtu') ESCAPABLE[c.charCodeAt(0)] = 1;

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Reads a string's content from `i`: the index of its closing quote; `n` if
 * the piece ends first; -1 if it cannot be JSON; `-2 - k` for an escape at
 * `k` too near the end to be read here.
 */
function stringEnd(b: Uint8Array, dv: DataView, i: number, n: number): number {
  while (true) {
    // Four bytes at a time while none of them ends the plain run: the "has a
    // byte less than" bit trick, for < 0x20, and == 0x22 or 0x5c after XOR.
    while (i + 4 <= n) {
      const w = dv.getUint32(i, true);
      const q = w ^ 0x22222222;
      const s = w ^ 0x5c5c5c5c;
      if (
        ((((w - 0x20202020) & ~w) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) &
          0x80808080) !== 0
      ) break;
      i += 4;
    }
    while (i < n && STRING_STOP[b[i]] === 0) i++;
    if (i === n) return n;
    const c = b[i];
    if (c === 0x22) return i;
    if (c !== 0x5c) return -1; // a raw control character
    if (i + 6 > n) return -2 - i;
    const e = b[i + 1];
    if (e === 0x75) {
      if (!isHex(b[i + 2]) || !isHex(b[i + 3]) || !isHex(b[i + 4]) || !isHex(b[i + 5])) return -1;
      i += 6;
    } else if (ESCAPABLE[e] === 1) i += 2;
    else return -1;
  }
}

/**
 * A check's state, to go on from (see {@linkcode JsonValidator.resume}): the
 * WebAssembly kernel (lib/format/json_kernel.ts) keeps the same states, and
 * hands a text over when its nesting outgrows the kernel's stack.
 */
export interface ValidatorState {
  /** The scanner's state, numbered as here and in kernel/json_kernel.ts. */
  state: number;
  /** The open string is an object key. */
  inKey: boolean;
  /** The open containers, outermost first: 1 an object, 2 an array. */
  stack: Uint8Array;
  /** In a literal: 0 true, 1 false, 2 null. */
  literal: number;
  /** The literal's next byte, or the hex digits left of a `\u` escape. */
  at: number;
  /** Bytes of a leading byte order mark seen; -1 once past the start. */
  bom: number;
}

const LITERALS = [TRUE, FALSE, NULL];

/**
 * A JSON syntax check fed in pieces: `push` each piece, then `end()` says
 * whether the whole was one JSON text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonValidator } from "./json_valid.ts";
 *
 * const enc = new TextEncoder();
 * const v = new JsonValidator();
 * v.push(enc.encode('{"a":'));
 * v.push(enc.encode("[1,2]}"));
 * assert.equal(v.end(), true);
 * ```
 */
export class JsonValidator {
  #state = VALUE;
  #inKey = false; // the open string is an object key
  #stack = new Uint8Array(16);
  #depth = 0;
  #literal: Uint8Array = TRUE;
  #at = 0; // next byte of the literal, or hex digits left
  #bom = 0; // bytes of a leading byte order mark seen; -1 once past the start
  /**
   * A check that goes on from `s`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { JsonValidator } from "./json_valid.ts";
   * // Inside an array, after a value, before the start of any byte order mark.
   * const v = JsonValidator.resume({ state: 5, inKey: false, stack: new Uint8Array([2]), literal: 0, at: 0, bom: -1 });
   * v.push(new TextEncoder().encode(",2]"));
   * assert.equal(v.end(), true);
   * ```
   */
  static resume(s: ValidatorState): JsonValidator {
    const v = new JsonValidator();
    v.#state = s.state;
    v.#inKey = s.inKey;
    v.#stack = new Uint8Array(Math.max(16, s.stack.length * 2));
    v.#stack.set(s.stack);
    v.#depth = s.stack.length;
    v.#literal = LITERALS[s.literal] ?? TRUE;
    v.#at = s.at;
    v.#bom = s.bom;
    return v;
  }

  /** Set once the bytes cannot be JSON whatever follows. */
  get failed(): boolean {
    return this.#state === FAILED;
  }

  /** Checks the next piece of the text. */
  push(b: Uint8Array): void {
    let state = this.#state;
    if (state === FAILED) return;
    const n = b.length;
    let i = 0;
    // A leading byte order mark is dropped by TextDecoder; part of one is
    // decoded as U+FFFD, which no JSON text may hold outside a string.
    while (this.#bom >= 0 && i < n) {
      if (b[i] === BOM[this.#bom]) {
        i++;
        if (++this.#bom === BOM.length) this.#bom = -1;
      } else {
        if (this.#bom > 0) state = this.#state = FAILED;
        this.#bom = -1;
      }
    }
    if (state === FAILED) return;
    let dv: DataView | null = null;
    scan: while (i < n) {
      let c = b[i];
      switch (state) {
        case STRING: {
          dv ??= new DataView(b.buffer, b.byteOffset, n);
          const r = stringEnd(b, dv, i, n);
          if (r >= 0) {
            if (r === n) break scan;
            state = this.#inKey ? COLON : AFTER;
            i = r + 1;
            continue;
          }
          if (r === -1) {
            state = FAILED;
            break scan;
          }
          state = ESCAPE; // one that may span pieces: the slow way
          i = -r - 2 + 1;
          continue;
        }
        case ESCAPE:
          if (ESCAPABLE[c] === 0) {
            state = FAILED;
            break scan;
          }
          if (c === 0x75) {
            state = HEX;
            this.#at = 4;
          } else state = STRING;
          i++;
          continue;
        case HEX:
          if (!isHex(c)) {
            state = FAILED;
            break scan;
          }
          if (--this.#at === 0) state = STRING;
          i++;
          continue;
        case LITERAL:
          if (c !== this.#literal[this.#at]) {
            state = FAILED;
            break scan;
          }
          if (++this.#at === this.#literal.length) state = AFTER;
          i++;
          continue;
        case MINUS:
          if (c === 0x30) state = ZERO;
          else if (c >= 0x31 && c <= 0x39) state = INT;
          else {
            state = FAILED;
            break scan;
          }
          i++;
          continue;
        case INT:
          while (c >= 0x30 && c <= 0x39) {
            if (++i === n) break scan;
            c = b[i];
          }
          // falls through: what may follow an integer part
        case ZERO:
          if (c === 0x2e) {
            state = DOT;
            i++;
          } else if (c === 0x65 || c === 0x45) {
            state = EXP;
            i++;
          } else state = AFTER; // the number ended: this byte is read again
          continue;
        case DOT:
          if (c < 0x30 || c > 0x39) {
            state = FAILED;
            break scan;
          }
          state = FRACTION;
          i++;
          continue;
        case FRACTION:
          while (c >= 0x30 && c <= 0x39) {
            if (++i === n) break scan;
            c = b[i];
          }
          if (c === 0x65 || c === 0x45) {
            state = EXP;
            i++;
          } else state = AFTER;
          continue;
        case EXP:
          if (c === 0x2b || c === 0x2d) {
            state = EXP_SIGN;
            i++;
            continue;
          }
          // falls through: a digit must come now
        case EXP_SIGN:
          if (c < 0x30 || c > 0x39) {
            state = FAILED;
            break scan;
          }
          state = EXP_DIGITS;
          i++;
          continue;
        case EXP_DIGITS:
          while (c >= 0x30 && c <= 0x39) {
            if (++i === n) break scan;
            c = b[i];
          }
          state = AFTER;
          continue;
      }
      // Between tokens: whitespace is skipped.
      if (isSpace(c)) {
        i++;
        continue;
      }
      i++;
      switch (state) {
        case ARRAY_FIRST:
          if (c === 0x5d) {
            this.#depth--;
            state = AFTER;
            continue;
          }
          // falls through: a value
        case VALUE:
          state = this.#value(c);
          if (state === FAILED) break scan;
          continue;
        case OBJECT_FIRST:
          if (c === 0x7d) {
            this.#depth--;
            state = AFTER;
            continue;
          }
          // falls through: a key
        case KEY:
          if (c !== 0x22) {
            state = FAILED;
            break scan;
          }
          this.#inKey = true;
          state = STRING;
          continue;
        case COLON:
          if (c !== 0x3a) {
            state = FAILED;
            break scan;
          }
          state = VALUE;
          continue;
        case AFTER: {
          const top = this.#depth === 0 ? 0 : this.#stack[this.#depth - 1];
          if (c === 0x2c && top !== 0) state = top === OBJECT ? KEY : VALUE;
          else if ((c === 0x7d && top === OBJECT) || (c === 0x5d && top === ARRAY)) {
            this.#depth--;
          } else {
            state = FAILED; // garbage after the value, or a mismatched bracket
            break scan;
          }
          continue;
        }
      }
    }
    this.#state = state;
  }

  /** The state after the first byte of a value. */
  #value(c: number): number {
    switch (c) {
      case 0x22:
        this.#inKey = false;
        return STRING;
      case 0x7b:
        this.#open(OBJECT);
        return OBJECT_FIRST;
      case 0x5b:
        this.#open(ARRAY);
        return ARRAY_FIRST;
      case 0x2d:
        return MINUS;
      case 0x30:
        return ZERO;
      case 0x74:
        return this.#startLiteral(TRUE);
      case 0x66:
        return this.#startLiteral(FALSE);
      case 0x6e:
        return this.#startLiteral(NULL);
    }
    return c >= 0x31 && c <= 0x39 ? INT : FAILED;
  }

  #startLiteral(literal: Uint8Array): number {
    this.#literal = literal;
    this.#at = 1;
    return LITERAL;
  }

  #open(kind: number): void {
    if (this.#depth === this.#stack.length) {
      const grown = new Uint8Array(this.#stack.length * 2);
      grown.set(this.#stack);
      this.#stack = grown;
    }
    this.#stack[this.#depth++] = kind;
  }

  /** Whether everything pushed was exactly one JSON value (with whitespace around). */
  end(): boolean {
    if (this.#depth !== 0) return false;
    const s = this.#state;
    return s === AFTER || s === ZERO || s === INT || s === FRACTION || s === EXP_DIGITS;
  }
}

/**
 * Whether `bytes` are one JSON text, as `JSON.parse(new TextDecoder().decode(bytes))`
 * would accept them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isJsonValid } from "./json_valid.ts";
 *
 * const enc = new TextEncoder();
 * assert.equal(isJsonValid(enc.encode('{"type":"message"}')), true);
 * assert.equal(isJsonValid(enc.encode('{"type":"mess"age"}')), false);
 * ```
 */
export function isJsonValid(bytes: Uint8Array): boolean {
  const v = new JsonValidator();
  v.push(bytes);
  return v.end();
}
