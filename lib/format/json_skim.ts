/**
 * `JSON.parse` of a JSON text with its long string values left out: each is
 * parsed as a short placeholder, and decoded only if asked for. For the
 * scan, which parses a session's first user message for its first prompt:
 * a prompt with a screenshot is a line of megabytes, nearly all of it one
 * base64 string that nothing the scan keeps reads. Decoded and parsed whole,
 * it was two strings as big as the line (on the benchmark corpus, three such
 * lines added 15-30 MiB to a cold scan's peak, figures in the commit).
 *
 * The text must be one JSON text (checked before: `Line.jsonValid`): its
 * strings are found by their unescaped quotes only. A key is never left out.
 * Placeholders are unique strings; if any string of the text equals one
 * (written with escapes, say), {@linkcode parseSkimmed} says so by returning
 * null, and the caller parses the text whole.
 *
 * @module
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const decoder = new TextDecoder();

/** A text parsed with its long strings left out. */
export interface Skimmed {
  /** What `JSON.parse` gives, long string values replaced by placeholders. */
  value: unknown;
  /** The string a placeholder stands for (decoded now); any other string as it is. */
  restore(s: string): string;
}

/** Whether `b` is JSON whitespace. */
function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * `bytes` (one JSON text) parsed with every string value longer than `min`
 * bytes replaced by a placeholder; null when there is none, or when a string
 * of the text equals a placeholder (then parse it whole).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSkimmed } from "./json_skim.ts";
 * const bytes = new TextEncoder().encode(`{"text":"hi","data":"${"A".repeat(100)}"}`);
 * const s = parseSkimmed(bytes, 50)!;
 * const v = s.value as { text: string; data: string };
 * assert.equal(v.text, "hi");
 * assert.notEqual(v.data, "A".repeat(100));
 * assert.equal(s.restore(v.data), "A".repeat(100));
 * assert.equal(parseSkimmed(bytes, 500), null);
 * ```
 */
export function parseSkimmed(bytes: Uint8Array, min: number): Skimmed | null {
  const spans: number[] = []; // [open quote, close quote] of each long value
  let i = 0;
  while (true) {
    const open = bytes.indexOf(QUOTE, i);
    if (open === -1) break;
    // The closing quote: the next one not escaped by an odd run of backslashes.
    let close = bytes.indexOf(QUOTE, open + 1);
    while (close !== -1) {
      let k = close - 1;
      while (bytes[k] === BACKSLASH) k--;
      if ((close - 1 - k) % 2 === 0) break;
      close = bytes.indexOf(QUOTE, close + 1);
    }
    if (close === -1) return null; // not JSON after all
    if (close - open - 1 > min) {
      let j = close + 1;
      while (j < bytes.length && isSpace(bytes[j])) j++;
      if (bytes[j] !== 0x3a) spans.push(open, close); // not a key
    }
    i = close + 1;
  }
  if (spans.length === 0) return null;
  const tag = `\u0001zot-sessions skimmed ${spans.length}:`;
  const parts: string[] = [];
  let from = 0;
  for (let s = 0; s < spans.length; s += 2) {
    parts.push(decoder.decode(bytes.subarray(from, spans[s] + 1)), tag, String(s >> 1));
    from = spans[s + 1];
  }
  parts.push(decoder.decode(bytes.subarray(from)));
  // "\u0001" is written escaped in the text: JSON allows no raw control
  // character in a string.
  const text = parts.join("").replaceAll("\u0001", "\\u0001");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  // Each placeholder must be met exactly once, and no other string may look
  // like one: else a string of the text could be taken for a left-out one.
  const seen = new Set<string>();
  let clash = false;
  const walk = (v: unknown): void => {
    if (clash) return;
    if (typeof v === "string") {
      if (v.startsWith(tag)) {
        if (seen.has(v)) clash = true;
        seen.add(v);
      }
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k.startsWith(tag)) clash = true;
        walk(x);
      }
    }
  };
  walk(value);
  if (clash || seen.size !== spans.length / 2) return null;
  for (let k = 0; k < spans.length / 2; k++) if (!seen.has(tag + k)) return null;
  return {
    value,
    restore(s: string): string {
      if (!s.startsWith(tag)) return s;
      const k = Number(s.slice(tag.length));
      return JSON.parse(decoder.decode(bytes.subarray(spans[2 * k], spans[2 * k + 1] + 1)));
    },
  };
}
