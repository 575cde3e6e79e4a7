/**
 * Tests of lib/render/secret_redact.ts: spans merged, replaced by markers,
 * and in JSON text (tool arguments) replaced only inside strings so that
 * the text stays the JSON it was.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  jsonPieces,
  JsonViews,
  mergeSpans,
  redactSpans,
  secretMarker,
} from "../../lib/render/secret_redact.ts";
import type { SecretSpan } from "../../lib/render/secret_scan.ts";

describe("mergeSpans and redactSpans", () => {
  it("one marker for overlapping or nested spans; empty spans dropped", () => {
    const spans = mergeSpans([
      { start: 2, end: 5, kind: "a" },
      { start: 3, end: 4, kind: "b" },
      { start: 4, end: 8, kind: "c" },
      { start: 9, end: 9, kind: "d" },
      { start: 10, end: 12, kind: "e" },
    ]);
    assert.deepEqual(spans, [{ start: 2, end: 8, kind: "a" }, { start: 10, end: 12, kind: "e" }]);
    assert.deepEqual(redactSpans("0123456789abcd", spans), {
      text: `01${secretMarker("a")}89${secretMarker("e")}cd`,
      kinds: ["a", "e"],
    });
  });

  it("adjacent spans stay two secrets", () => {
    const spans = mergeSpans([{ start: 0, end: 2, kind: "a" }, { start: 2, end: 4, kind: "b" }]);
    assert.equal(redactSpans("abcd", spans).text, "[redacted: a][redacted: b]");
  });
});

describe("jsonPieces", () => {
  it("keeps quotes and structure, takes escapes whole", () => {
    const json = '{"k":"a\\u00e9b","n":1}';
    // A span from inside the \u escape to past the string's end: the
    // escape whole, the quote and the key "n" kept, "n" itself taken.
    const u = json.indexOf("\\u");
    assert.deepEqual(jsonPieces(json, u + 3, json.indexOf(":1")), [
      [u, json.indexOf('b"') + 1],
      [json.indexOf('"n"') + 1, json.indexOf('"n"') + 2],
    ]);
  });

  it("a span over two strings gives a piece in each", () => {
    const json = '["abc","def"]';
    assert.deepEqual(jsonPieces(json, 2, 10), [[2, 5], [8, 10]]);
  });

  it("an unclosed string (arguments cut short) counts to the end", () => {
    assert.deepEqual(jsonPieces('{"a":"xyz', 6, 9), [[6, 9]]);
  });
});

describe("JsonViews", () => {
  it("looks at the text and at each long enough string, decoded", () => {
    const json = JSON.stringify({ command: 'echo "pw" && ls', n: 1, short: "abc" });
    assert.deepEqual(new JsonViews(json).texts, [json, 'echo "pw" && ls']);
  });

  it("maps a decoded span back over escapes", () => {
    const json = JSON.stringify({ a: 'x\ny\u00e9"SECRET"\tz' });
    const views = new JsonViews(json);
    const decoded = views.texts[1];
    const s = decoded.indexOf("SECRET");
    const [span] = views.spans([[], [{ start: s, end: s + 6, kind: "k" }]]);
    assert.equal(json.slice(span.start, span.end), "SECRET");
  });

  it("whatever spans are found, the text stays valid JSON, only its strings changed", () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(
        value,
        fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.boolean()), { maxLength: 5 }),
        (v, raw) => {
          const json = JSON.stringify(v);
          const views = new JsonViews(json);
          // Spans in any view: the JSON text itself, or a decoded string.
          const found: SecretSpan[][] = views.texts.map(() => []);
          for (const [at, length, inJson] of raw) {
            const k = inJson || views.texts.length === 1 ? 0 : 1 + (at % (views.texts.length - 1));
            const text = views.texts[k];
            const start = at % (text.length + 1);
            found[k].push({ start, end: Math.min(text.length, start + length), kind: "x" });
          }
          const out = redactSpans(json, views.spans(found)).text;
          // Valid, and only strings changed: the same text once every
          // string literal is blanked.
          JSON.parse(out);
          const blank = (t: string) => t.replace(/"(?:[^"\\]|\\.)*"/g, '""');
          assert.equal(blank(out), blank(json));
        },
      ),
      { numRuns: 500 },
    );
  });
});
