import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sanitizeForTerminal } from "../../lib/render/sanitize.ts";

describe("sanitizeForTerminal", () => {
  it("shows escape sequences and control characters harmlessly", () => {
    assert.equal(sanitizeForTerminal("\x1b[31mred\x1b[0m"), "␛[31mred␛[0m");
    assert.equal(sanitizeForTerminal("bell\x07 del\x7f c1\x9b"), "bell␇ del␡ c1\\u{9b}");
    assert.equal(sanitizeForTerminal("a\tb\nc"), "a\tb\nc");
    assert.equal(sanitizeForTerminal("a\tb\n\n c\r\n", true), "a b c");
  });
  it("never lets a control character through (property)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), fc.boolean(), (s, single) => {
      const out = sanitizeForTerminal(s, single);
      const allowed = single ? "" : "\n\t";
      for (const ch of out) {
        const c = ch.codePointAt(0)!;
        const control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
          (c >= 0x2066 && c <= 0x2069);
        assert.ok(!control || allowed.includes(ch), JSON.stringify(out));
      }
    }));
  });
});
