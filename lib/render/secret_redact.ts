/**
 * Putting found secrets out of a text: each becomes `[redacted: KIND]`.
 * Spans that overlap (two rules on one secret) are one secret. In JSON text
 * (a tool call's arguments) the rules look at the text and at each of its
 * strings decoded (where `"` and newlines are themselves again), and a
 * secret is replaced only inside string literals, never through half an
 * escape, so the text stays JSON.
 *
 * @module
 */
import type { SecretSpan } from "./secret_scan.ts";

/**
 * The marker a secret becomes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { secretMarker } from "./secret_redact.ts";
 * assert.equal(secretMarker("GitHub token"), "[redacted: GitHub token]");
 * ```
 */
export function secretMarker(kind: string): string {
  return `${MARK}${kind}]`;
}

const MARK = "[redacted: ";

/**
 * `text` cut to at most `n` characters (then "…"), never through a marker:
 * one the cut would go through is left out whole.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cutBeforeMarker } from "./secret_redact.ts";
 * assert.equal(cutBeforeMarker("key [redacted: Google API key] x", 20), "key …");
 * assert.equal(cutBeforeMarker("short", 20), "short");
 * assert.equal(cutBeforeMarker("abcdefghij", 5), "abcd…");
 * assert.equal(cutBeforeMarker("key [redac", 8), "key …");
 * assert.equal(cutBeforeMarker("a [b] c [d e f", 12), "a [b] c [d …");
 * ```
 */
export function cutBeforeMarker(text: string, n: number): string {
  if (text.length <= n) return text;
  const cut = text.slice(0, n - 1);
  // The text may itself end inside a marker ("[redac"): that is cut too.
  const open = cut.lastIndexOf("[");
  const tail = open < 0 ? "]" : cut.slice(open);
  const inMarker = !tail.includes("]") && (tail.startsWith(MARK) || MARK.startsWith(tail));
  return (inMarker ? cut.slice(0, open) : cut) + "…";
}

/**
 * Spans sorted by start, overlapping ones joined (the first one's kind).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeSpans } from "./secret_redact.ts";
 * const merged = mergeSpans([
 *   { start: 9, end: 12, kind: "b" }, { start: 0, end: 4, kind: "a" }, { start: 2, end: 6, kind: "c" },
 * ]);
 * assert.deepEqual(merged, [{ start: 0, end: 6, kind: "a" }, { start: 9, end: 12, kind: "b" }]);
 * ```
 */
export function mergeSpans(spans: readonly SecretSpan[]): SecretSpan[] {
  const sorted = [...spans].filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** What redacting a text gave: the text, and the kind of each secret taken out. */
export interface Redacted {
  text: string;
  kinds: string[];
}

/**
 * The text with each span replaced by its marker. `spans` must be merged
 * (see {@linkcode mergeSpans}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactSpans } from "./secret_redact.ts";
 * const r = redactSpans("key abc123 here", [{ start: 4, end: 10, kind: "npm token" }]);
 * assert.deepEqual(r, { text: "key [redacted: npm token] here", kinds: ["npm token"] });
 * ```
 */
export function redactSpans(text: string, spans: readonly SecretSpan[]): Redacted {
  if (spans.length === 0) return { text, kinds: [] };
  let out = "";
  let from = 0;
  for (const s of spans) {
    out += text.slice(from, s.start) + secretMarker(s.kind);
    from = s.end;
  }
  return { text: out + text.slice(from), kinds: spans.map((s) => s.kind) };
}

/**
 * The parts of `[start, end)` of a JSON text that are inside string
 * literals, widened to whole escapes (`\n`, `\"`, `\u00e9`): replacing
 * them with text free of `"` and `\` leaves valid JSON valid. A text cut
 * short (an unclosed string) counts its last string to the end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonPieces } from "./secret_redact.ts";
 * const json = '{"a":"x\\ny","b":1}';
 * // From the middle of the escape "\n" to past the closing quote: the
 * // escape whole, the quote kept.
 * assert.deepEqual(jsonPieces(json, 8, 13), [[7, 10]]);
 * ```
 */
export function jsonPieces(json: string, start: number, end: number): [number, number][] {
  const pieces: [number, number][] = [];
  let i = 0;
  while (i < json.length && i < end) {
    if (json[i] !== '"') {
      i++;
      continue;
    }
    // A string literal: its content from i + 1, escapes stepped over whole.
    const open = i + 1;
    let a = -1;
    let b = -1;
    let j = open;
    while (j < json.length && json[j] !== '"') {
      const step = json[j] === "\\" ? (json[j + 1] === "u" ? 6 : 2) : 1;
      const next = Math.min(j + step, json.length);
      // The escape or character [j, next) is taken if it meets the span.
      if (next > start && j < end) {
        if (a === -1) a = j;
        b = next;
      }
      j = next;
    }
    if (a !== -1) pieces.push([a, b]);
    i = j + 1;
  }
  return pieces;
}

/** The strings of a JSON text shorter than this hold no secret: not looked at alone. */
const SHORTEST = 8;

/**
 * What the rules look at in a JSON text: the text itself (a
 * `"password": "…"` pair, a key whose `\n` escapes the private-key rule
 * reads), then each string in it decoded (a command's `password="…"`,
 * whose quotes the text escapes), and how their spans map back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonViews } from "./secret_redact.ts";
 * const json = '{"command":"say \\"pw=s3cret1\\""}';
 * const views = new JsonViews(json);
 * assert.deepEqual(views.texts, [json, 'say "pw=s3cret1"']);
 * // "s3cret1" in the decoded string is characters 21 to 28 of the JSON text.
 * const spans = views.spans([[], [{ start: 8, end: 15, kind: "password" }]]);
 * assert.deepEqual(spans, [{ start: 21, end: 28, kind: "password" }]);
 * ```
 */
export class JsonViews {
  /** The JSON text, then its strings decoded. */
  readonly texts: string[];
  /**
   * For each decoded string, where its runs start: pairs of its index and
   * the JSON text's (a new pair after each escape, and at its end).
   */
  readonly #runs: number[][] = [];

  constructor(readonly json: string) {
    this.texts = [json];
    // The next quote and backslash at or after a place, each looked for
    // again only once passed: no search runs to the end more than once.
    let quote = -1;
    let slash = -1;
    const find = (c: string, j: number) => {
      const at = json.indexOf(c, j);
      return at === -1 ? Infinity : at;
    };
    const next = (j: number) => {
      if (quote < j) quote = find('"', j);
      if (slash < j) slash = find("\\", j);
    };
    for (let i = 0;;) {
      next(i);
      if (quote === Infinity) break;
      let value = "";
      const runs = [0, quote + 1];
      let j = quote + 1;
      for (;;) {
        next(j);
        const stop = Math.min(quote, json.length);
        if (slash >= stop) {
          value += json.slice(j, stop);
          j = stop;
          break;
        }
        value += json.slice(j, slash);
        const e = json[slash + 1] ?? "";
        const code = e === "u" ? parseInt(json.slice(slash + 2, slash + 6), 16) : NaN;
        value += e !== "u"
          ? ESCAPES[e] ?? e
          : Number.isNaN(code)
          ? "\ufffd"
          : String.fromCharCode(code);
        j = Math.min(slash + (e === "u" ? 6 : 2), json.length);
        runs.push(value.length, j);
      }
      if (value.length >= SHORTEST) {
        this.texts.push(value);
        this.#runs.push(runs);
      }
      i = j + 1;
    }
  }

  /** The spans found in {@linkcode texts} (in order) as spans of the JSON text, merged. */
  spans(found: readonly SecretSpan[][]): SecretSpan[] {
    const out: SecretSpan[] = [];
    for (const s of found[0] ?? []) {
      for (const [start, end] of jsonPieces(this.json, s.start, s.end)) {
        out.push({ start, end, kind: s.kind });
      }
    }
    this.#runs.forEach((runs, k) => {
      for (const s of found[k + 1] ?? []) {
        out.push({ start: rawIndex(runs, s.start), end: rawIndex(runs, s.end), kind: s.kind });
      }
    });
    return mergeSpans(out);
  }
}

/** The JSON index of a decoded string's index `at`, from the string's runs. */
function rawIndex(runs: readonly number[], at: number): number {
  // The last run starting at or before `at` (binary search over the pairs).
  let lo = 0;
  let hi = runs.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid * 2] <= at) lo = mid;
    else hi = mid - 1;
  }
  return runs[lo * 2 + 1] + (at - runs[lo * 2]);
}

/** What a JSON escape letter stands for. */
const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
};
