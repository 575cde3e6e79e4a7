/**
 * The WebAssembly kernel of the JSON check (AssemblyScript, compiled with SIMD
 * by `scripts/build-kernel.ts` into `lib/format/json_kernel_wasm.ts`): the
 * state machine of `lib/format/json_valid.ts`, byte for byte, with the runs
 * inside strings (nearly all of a transcript's bytes: tool output, base64
 * screenshots) skipped 64 bytes a step, and an optional stop at the first
 * `\n` (a line is checked in the same pass that finds its end).
 *
 * Why: the check in JavaScript ran at 0.5–0.8 GB/s, a third of `ls`'s time;
 * `i8x16.eq`/`i8x16.lt_u` over 16-byte vectors run at several GB/s in Bun
 * and Deno (figures in the commit that added this file).
 *
 * Memory (fixed: the module never grows it, so views of it stay valid): the
 * state at {@link STATE}, the container stack at {@link STACK} (one byte a
 * level), the bytes to check in {@link DATA}.
 * One state at a time: the JavaScript side saves and loads it when it
 * switches between streams.
 *
 * Not part of `lib/`: this is AssemblyScript, not TypeScript for Deno/Bun.
 *
 * @module
 */

// States of the scanner: the same numbers as lib/format/json_valid.ts.
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

const OBJECT: u8 = 1;
const ARRAY: u8 = 2;

/** The state: seven i32 slots (see the S_ offsets). */
const STATE: usize = 16;
const S_STATE: usize = STATE;
const S_IN_KEY: usize = STATE + 4; // 1: the open string is an object key
const S_DEPTH: usize = STATE + 8;
const S_LITERAL: usize = STATE + 12; // 0 true, 1 false, 2 null
const S_AT: usize = STATE + 16; // next byte of the literal, or hex digits left
const S_BOM: usize = STATE + 20; // bytes of a leading BOM seen; -1 once past the start
const S_DEEP: usize = STATE + 24; // 1: stopped before a bracket the stack had no room for

/** The container stack: one byte a level, OBJECT or ARRAY. */
const STACK: usize = 64;
const STACK_BYTES: usize = 1 << 20;
/** Where the bytes to check are copied, a window of them at a time. */
const DATA: usize = STACK + STACK_BYTES;
const DATA_BYTES: usize = 1 << 20;

/** Where the state's slots are. */
export function stateAt(): usize {
  return STATE;
}

/** Where the stack is. */
export function stackAt(): usize {
  return STACK;
}

/** How many levels the stack holds. */
export function stackBytes(): usize {
  return STACK_BYTES;
}

/** Where the bytes to check go. */
export function dataAt(): usize {
  return DATA;
}

/** How many bytes go there at most. */
export function dataBytes(): usize {
  return DATA_BYTES;
}

/** The state of a check that has seen nothing. */
export function reset(): void {
  store<i32>(S_STATE, VALUE);
  store<i32>(S_IN_KEY, 0);
  store<i32>(S_DEPTH, 0);
  store<i32>(S_LITERAL, 0);
  store<i32>(S_AT, 0);
  store<i32>(S_BOM, 0);
  store<i32>(S_DEEP, 0);
}

/** Whether what was checked since {@link reset} is one JSON text. */
export function verdict(): i32 {
  if (load<i32>(S_DEPTH) != 0) return 0;
  const s = load<i32>(S_STATE);
  return <i32> (s == AFTER || s == ZERO || s == INT || s == FRACTION || s == EXP_DIGITS);
}

function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

function isHex(c: u32): bool {
  return c - 0x30 < 10 || (c | 0x20) - 0x61 < 6;
}

function isEscapable(c: u32): bool {
  // A bit for each of " / \ b f n r t u (all below 0x80): no branch to mispredict.
  const low: u64 = (<u64> 1 << 0x22) | (<u64> 1 << 0x2f);
  const high: u64 = (<u64> 1 << (0x5c - 64)) | (<u64> 1 << (0x62 - 64)) | (<u64> 1 << (0x66 - 64)) |
    (<u64> 1 << (0x6e - 64)) | (<u64> 1 << (0x72 - 64)) | (<u64> 1 << (0x74 - 64)) |
    (<u64> 1 << (0x75 - 64));
  const bits = c < 64 ? low : high;
  return c < 128 && ((bits >> <u64> (c & 63)) & 1) != 0;
}

/** Byte `at` of literal `kind` (true, false, null). */
function literalByte(kind: i32, at: i32): u32 {
  if (kind == 0) return (0x65757274 >> (at << 3)) & 0xff; // "true", little-endian
  if (kind == 2) return (0x6c6c756e >> (at << 3)) & 0xff; // "null"
  return at == 4 ? 0x65 : (0x736c6166 >> (at << 3)) & 0xff; // "fals" + "e"
}

function literalLength(kind: i32): i32 {
  return kind == 1 ? 5 : 4;
}

/** The lanes of `v` that end a string's plain run: `"`, `\` and bytes below 0x20. */
function stops(v: v128): v128 {
  return v128.or(
    v128.or(i8x16.eq(v, i8x16.splat(0x22)), i8x16.eq(v, i8x16.splat(0x5c))),
    i8x16.lt_u(v, i8x16.splat(0x20)),
  );
}

/** The 64 bits of `stops` over the 64 bytes from `i`. */
function stopMask(i: usize): u64 {
  return <u64> i8x16.bitmask(stops(v128.load(i))) |
    (<u64> i8x16.bitmask(stops(v128.load(i, 16))) << 16) |
    (<u64> i8x16.bitmask(stops(v128.load(i, 32))) << 32) |
    (<u64> i8x16.bitmask(stops(v128.load(i, 48))) << 48);
}

/** What {@link stringEnd} stopped at. */
let stringStatus = 0;
const AT_QUOTE = 0; // the closing quote
const AT_CONTROL = 1; // a raw control character (a "\n" among them)
const AT_BAD_ESCAPE = 2; // an escape no JSON string may hold
const AT_END = 3; // the end, or an escape too near it to be read here

/** An escape at `p` (its "\\"), with six bytes there: its length, or 0 if no JSON string may hold it. */
function escapeLength(p: usize): usize {
  const e = <u32> load<u8>(p + 1);
  if (e == 0x75) {
    return isHex(<u32> load<u8>(p + 2)) && isHex(<u32> load<u8>(p + 3)) &&
        isHex(<u32> load<u8>(p + 4)) && isHex(<u32> load<u8>(p + 5))
      ? 6
      : 0;
  }
  return isEscapable(e) ? 2 : 0;
}

/**
 * Reads a string's content from `i`, escapes included: returns where it
 * stopped, and why in {@link stringStatus}. 64 bytes a step: one test while
 * none of them ends the plain run; else the bits of the stop bytes are
 * walked, so that escapes close together (`\\n` in tool output, every ~40
 * bytes) do not each start the scan over.
 */
function stringEnd(i: usize, end: usize): usize {
  while (i + 64 <= end) {
    let m = stopMask(i);
    let next = i + 64;
    while (m != 0) {
      const p = i + <usize> ctz(m);
      const c = <u32> load<u8>(p);
      if (c == 0x22) {
        stringStatus = AT_QUOTE;
        return p;
      }
      if (c != 0x5c) {
        stringStatus = AT_CONTROL;
        return p;
      }
      if (p + 6 > end) {
        stringStatus = AT_END;
        return p;
      }
      const n = escapeLength(p);
      if (n == 0) {
        stringStatus = AT_BAD_ESCAPE;
        return p;
      }
      const after = p + n;
      if (after >= i + 64) {
        next = after;
        break;
      }
      m &= ~((<u64> 1 << <u64> (after - i)) - 1); // the escaped bytes are no stops
    }
    i = next;
  }
  // The last bytes, one at a time.
  while (i < end) {
    const c = <u32> load<u8>(i);
    if (c == 0x22) {
      stringStatus = AT_QUOTE;
      return i;
    }
    if (c < 0x20) {
      stringStatus = AT_CONTROL;
      return i;
    }
    if (c == 0x5c) {
      if (i + 6 > end) {
        stringStatus = AT_END;
        return i;
      }
      const n = escapeLength(i);
      if (n == 0) {
        stringStatus = AT_BAD_ESCAPE;
        return i;
      }
      i += n;
      continue;
    }
    i++;
  }
  stringStatus = AT_END;
  return end;
}

/**
 * The first `\n` from `i`, or `end`.
 */
export function newline(i: usize, end: usize): usize {
  const nl = i8x16.splat(0x0a);
  while (i + 64 <= end) {
    const any = v128.or(
      v128.or(i8x16.eq(v128.load(i), nl), i8x16.eq(v128.load(i, 16), nl)),
      v128.or(i8x16.eq(v128.load(i, 32), nl), i8x16.eq(v128.load(i, 48), nl)),
    );
    if (v128.any_true(any)) break;
    i += 64;
  }
  while (i + 16 <= end) {
    const bits = i8x16.bitmask(i8x16.eq(v128.load(i), nl));
    if (bits != 0) return i + <usize> ctz(bits);
    i += 16;
  }
  while (i < end && load<u8>(i) != 0x0a) i++;
  return end < i ? end : i;
}

/**
 * Checks the bytes from `i` to `end` (addresses in this memory), going on from
 * the saved state. With `line` set it stops at the first `\n` (not checked:
 * the line ends before it) and returns where it is; else it reads to `end`.
 * Returns `end` when no `\n` stopped it, or, with the DEEP slot set, where
 * the bracket is that the stack had no room for (nothing from there on read).
 */
export function run(i: usize, end: usize, line: i32): usize {
  let state = load<i32>(S_STATE);
  let inKey = load<i32>(S_IN_KEY);
  let depth = <usize> load<i32>(S_DEPTH);
  let literal = load<i32>(S_LITERAL);
  let at = load<i32>(S_AT);
  let bom = load<i32>(S_BOM);
  let stopped = false; // at a "\n" that ends the line
  // A leading byte order mark is dropped by TextDecoder; part of one is
  // decoded as U+FFFD, which no JSON text may hold outside a string.
  while (bom >= 0 && i < end) {
    const c = <u32> load<u8>(i);
    const want: u32 = bom == 0 ? 0xef : bom == 1 ? 0xbb : 0xbf;
    if (c == want) {
      i++;
      if (++bom == 3) bom = -1;
    } else {
      if (bom > 0) state = FAILED;
      bom = -1;
    }
  }
  while (i < end && state != FAILED) {
    let c = <u32> load<u8>(i);
    if (state == STRING) {
      i = stringEnd(i, end);
      const why = stringStatus;
      if (why == AT_QUOTE) {
        state = inKey ? COLON : AFTER;
        i++;
        continue;
      }
      if (why == AT_END) {
        if (i == end) break;
        // An escape that may span pieces: the slow way.
        state = ESCAPE;
        i++;
        continue;
      }
      // A raw control character ends the line, or the text is not JSON.
      if (why == AT_CONTROL && line && load<u8>(i) == 0x0a) {
        stopped = true;
        break;
      }
      state = FAILED;
      break;
    }
    if (state == ESCAPE) {
      if (!isEscapable(c)) {
        state = FAILED;
        break;
      }
      if (c == 0x75) {
        state = HEX;
        at = 4;
      } else state = STRING;
      i++;
      continue;
    }
    if (state == HEX) {
      if (!isHex(c)) {
        state = FAILED;
        break;
      }
      if (--at == 0) state = STRING;
      i++;
      continue;
    }
    if (state == LITERAL) {
      if (c != literalByte(literal, at)) {
        state = FAILED;
        break;
      }
      if (++at == literalLength(literal)) state = AFTER;
      i++;
      continue;
    }
    if (state == MINUS) {
      if (c == 0x30) state = ZERO;
      else if (c - 0x31 < 9) state = INT;
      else {
        state = FAILED;
        break;
      }
      i++;
      continue;
    }
    if (state == INT) {
      while (isDigit(c)) {
        if (++i == end) break;
        c = <u32> load<u8>(i);
      }
      if (i == end) break;
      state = ZERO; // what may follow an integer part
    }
    if (state == ZERO) {
      if (c == 0x2e) {
        state = DOT;
        i++;
      } else if ((c | 0x20) == 0x65) {
        state = EXP;
        i++;
      } else state = AFTER; // the number ended: this byte is read again
      continue;
    }
    if (state == DOT) {
      if (!isDigit(c)) {
        state = FAILED;
        break;
      }
      state = FRACTION;
      i++;
      continue;
    }
    if (state == FRACTION) {
      while (isDigit(c)) {
        if (++i == end) break;
        c = <u32> load<u8>(i);
      }
      if (i == end) break;
      if ((c | 0x20) == 0x65) {
        state = EXP;
        i++;
      } else state = AFTER;
      continue;
    }
    if (state == EXP) {
      if (c == 0x2b || c == 0x2d) {
        state = EXP_SIGN;
        i++;
        continue;
      }
      state = EXP_SIGN; // a digit must come now
    }
    if (state == EXP_SIGN) {
      if (!isDigit(c)) {
        state = FAILED;
        break;
      }
      state = EXP_DIGITS;
      i++;
      continue;
    }
    if (state == EXP_DIGITS) {
      while (isDigit(c)) {
        if (++i == end) break;
        c = <u32> load<u8>(i);
      }
      if (i == end) break;
      state = AFTER;
      continue;
    }
    // Between tokens: whitespace is skipped; "\n" may end the line.
    if (c == 0x20 || c == 0x09 || c == 0x0d) {
      i++;
      continue;
    }
    if (c == 0x0a) {
      if (line) {
        stopped = true;
        break;
      }
      i++;
      continue;
    }
    if (state == ARRAY_FIRST && c == 0x5d) {
      depth--;
      state = AFTER;
      i++;
      continue;
    }
    if (state == VALUE || state == ARRAY_FIRST) {
      if (c == 0x22) {
        inKey = 0;
        state = STRING;
      } else if (c == 0x7b || c == 0x5b) {
        if (depth == STACK_BYTES) {
          store<i32>(S_DEEP, 1);
          break;
        }
        store<u8>(STACK + depth, c == 0x7b ? OBJECT : ARRAY);
        depth++;
        state = c == 0x7b ? OBJECT_FIRST : ARRAY_FIRST;
      } else if (c == 0x2d) state = MINUS;
      else if (c == 0x30) state = ZERO;
      else if (c - 0x31 < 9) state = INT;
      else if (c == 0x74 || c == 0x66 || c == 0x6e) {
        literal = c == 0x74 ? 0 : c == 0x66 ? 1 : 2;
        at = 1;
        state = LITERAL;
      } else {
        state = FAILED;
        break;
      }
      i++;
      continue;
    }
    if (state == OBJECT_FIRST && c == 0x7d) {
      depth--;
      state = AFTER;
      i++;
      continue;
    }
    if (state == OBJECT_FIRST || state == KEY) {
      if (c != 0x22) {
        state = FAILED;
        break;
      }
      inKey = 1;
      state = STRING;
      i++;
      continue;
    }
    if (state == COLON) {
      if (c != 0x3a) {
        state = FAILED;
        break;
      }
      state = VALUE;
      i++;
      continue;
    }
    // AFTER: "," or the closing bracket of the open container.
    const top: u32 = depth == 0 ? 0 : <u32> load<u8>(STACK + depth - 1);
    if (c == 0x2c && top != 0) state = top == OBJECT ? KEY : VALUE;
    else if ((c == 0x7d && top == OBJECT) || (c == 0x5d && top == ARRAY)) depth--;
    else {
      state = FAILED; // garbage after the value, or a mismatched bracket
      break;
    }
    i++;
  }
  // Not JSON whatever follows: only the line's end is still of interest.
  if (state == FAILED) i = line ? newline(i, end) : end;
  else if (!stopped && load<i32>(S_DEEP) == 0) i = end;
  store<i32>(S_STATE, state);
  store<i32>(S_IN_KEY, inKey);
  store<i32>(S_DEPTH, <i32> depth);
  store<i32>(S_LITERAL, literal);
  store<i32>(S_AT, at);
  store<i32>(S_BOM, bom);
  return i;
}
