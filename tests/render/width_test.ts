import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import stringWidth from "string-width";
import {
  codePointWidth,
  displayWidth,
  NARROW_TEXT,
  padToWidth,
  SINGLE_TEXT,
  truncateMiddleToWidth,
  truncateModelToWidth,
  truncatePathToWidth,
  truncateToWidth,
} from "../../lib/render/width.ts";

/**
 * The code points (hex) of `chars` that `width` measures otherwise than
 * string-width, a thousand at a time, each between newlines: a control
 * always ends a grapheme (UAX 29, GB4-5) and is no column wide, so
 * string-width's answer for a batch is the sum of its answers for each. A
 * batch that differs is looked at one character at a time.
 */
function widthsDiffer(chars: string[], width: (ch: string) => number): string[] {
  const differ: string[] = [];
  for (let i = 0; i < chars.length; i += 1000) {
    const batch = chars.slice(i, i + 1000);
    if (batch.reduce((n, ch) => n + width(ch), 0) === stringWidth(batch.join("\n"))) continue;
    for (const ch of batch) {
      if (width(ch) !== stringWidth(ch)) differ.push(ch.codePointAt(0)!.toString(16));
    }
  }
  return differ;
}

describe("width", () => {
  it("the narrow text it measures by length is one column a character, as string-width says", () => {
    const narrow: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (NARROW_TEXT.test(ch)) narrow.push(ch);
    }
    assert.ok(narrow.length > 900, `${narrow.length} characters`);
    const wide = narrow.filter((ch) => stringWidth(ch) !== 1);
    assert.deepEqual(wide.map((ch) => ch.codePointAt(0)!.toString(16)), []);
    // …and none of them joins another: any run of them is as wide as it is long.
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...narrow), { maxLength: 30 }), (chars) => {
        const text = chars.join("");
        assert.equal(displayWidth(text), stringWidth(text));
      }),
    );
  });

  it("the text it sums East Asian widths of gives string-width's answer", () => {
    const single: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (SINGLE_TEXT.test(ch)) single.push(ch);
    }
    assert.ok(single.length > 50_000, `${single.length} characters`);
    assert.deepEqual(widthsDiffer(single, displayWidth), []);
    // None joins another in a grapheme (next to a letter, or to itself), so
    // any run of them adds up.
    const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    const joins = single.filter((ch) =>
      [`a${ch}`, `${ch}a`, `${ch}${ch}`].some((t) => [...segmenter.segment(t)].length !== 2)
    );
    assert.deepEqual(joins.map((ch) => ch.codePointAt(0)!.toString(16)), []);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...single), { maxLength: 30 }), (chars) => {
        const text = chars.join("");
        assert.equal([...segmenter.segment(text)].length, chars.length);
        assert.equal(displayWidth(text), stringWidth(text));
      }),
      { numRuns: 500 },
    );
    // Emoji, astral characters, marks and jamo are not in it: string-width measures them.
    for (const t of ["🍂", "☕", "e\u0301", "\u1100\u1161", "𠀀", "\u200d", "ｶﾞ", "\ud800"]) {
      assert.equal(SINGLE_TEXT.test(t), false, t);
    }
  });

  it("a grapheme of one code point is measured as string-width measures it", () => {
    // Every code point of the planes that have characters (0-3, 14), but
    // the escape bytes (string-width strips sequences they start).
    const chars: string[] = [];
    for (const [from, to] of [[0, 0x3ffff], [0xe0000, 0xeffff]]) {
      for (let cp = from; cp <= to; cp++) {
        if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x1b || cp === 0x9b) continue;
        chars.push(String.fromCodePoint(cp));
      }
    }
    const differ = widthsDiffer(chars, (ch) => codePointWidth(ch, ch.codePointAt(0)!));
    assert.deepEqual(differ, []);
    for (const t of ["🍂 and ☕", "a🇫🇷b", "👩‍💻 x", "👍🏽", "⚠️ done", "1️⃣", "\u1100\u1161", "🇫"]) {
      assert.equal(displayWidth(t), stringWidth(t), t);
    }
  });

  it("measures any text as string-width does (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (text) => {
        assert.equal(displayWidth(text), stringWidth(text));
      }),
      { numRuns: 500 },
    );
  });

  it("measures CJK and emoji as two columns", () => {
    assert.equal(displayWidth("日本語"), 6);
    assert.equal(displayWidth("🚀a"), 3);
    assert.equal(displayWidth("café"), 4);
  });
  it("truncateToWidth() fits any text into the width, never splitting a grapheme (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 40 }), (s, w) => {
        const t = truncateToWidth(s, w);
        assert.ok(displayWidth(t) <= w);
        if (displayWidth(s) <= w) assert.equal(t, s);
        else assert.ok(t.endsWith("…") && s.startsWith(t.slice(0, -1)));
      }),
    );
  });
  it("truncatePathToWidth() keeps a path's end, from a whole name when that costs little", () => {
    const cases: [string, number, string][] = [
      ["/home/dev/web-shop", 30, "/home/dev/web-shop"],
      ["/home/dev/web-shop", 16, "…/dev/web-shop"],
      ["/home/dev/web-shop", 12, "…/web-shop"],
      ["/home/dev/web-shop", 6, "…-shop"],
      ["/home/dev/プロジェクト/café", 14, "…ジェクト/café"],
    ];
    for (const [path, w, want] of cases) assert.equal(truncatePathToWidth(path, w), want);
  });
  it("truncatePathToWidth() fits any text into the width, keeping its end (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 40 }), (s, w) => {
        const t = truncatePathToWidth(s, w);
        assert.ok(displayWidth(t) <= w);
        if (displayWidth(s) <= w) assert.equal(t, s);
        else assert.ok(t.startsWith("…") && s.endsWith(t.slice(1)));
      }),
    );
  });
  it("truncateModelToWidth() drops the vendor, then claude-, and keeps the version", () => {
    const cases: [string, number, string][] = [
      ["claude-sonnet-4-5", 24, "claude-sonnet-4-5"],
      ["claude-sonnet-4-5", 17, "claude-sonnet-4-5"],
      // claude- goes only when the name does not fit with it.
      ["claude-sonnet-4-5", 16, "sonnet-4-5"],
      ["claude-sonnet-4-5", 12, "sonnet-4-5"],
      ["claude-sonnet-4-5", 10, "sonnet-4-5"],
      // Then the middle, before the version.
      ["claude-sonnet-4-5", 9, "sonn…-4-5"],
      ["claude-sonnet-4-5", 8, "son…-4-5"],
      ["claude-sonnet-4-5", 6, "sonne…"],
      ["claude-sonnet-4-5", 1, "…"],
      ["Claude-Opus-4-1", 12, "Opus-4-1"],
      // The vendor first, one prefix at a time, and only what is needed.
      ["anthropic/claude-sonnet-4-5", 27, "anthropic/claude-sonnet-4-5"],
      ["anthropic/claude-sonnet-4-5", 24, "claude-sonnet-4-5"],
      ["anthropic/claude-sonnet-4-5", 12, "sonnet-4-5"],
      ["openrouter/anthropic/claude-opus-4-1", 30, "anthropic/claude-opus-4-1"],
      ["openrouter/anthropic/claude-opus-4-1", 20, "claude-opus-4-1"],
      ["openai/gpt-5", 8, "gpt-5"],
      ["openai/gpt-5", 4, "gpt…"],
      // A date stamp is not the version: the end goes, the version stays.
      ["claude-haiku-4-5-20251001", 24, "haiku-4-5-20251001"],
      ["claude-haiku-4-5-20251001", 12, "haiku-4-5-2…"],
      ["gpt-5.1-codex-mini", 12, "gpt-5.1-cod…"],
      ["gemini-2.5-pro-preview-06-05", 12, "gemini-2.5-…"],
      ["llama3.1:70b", 8, "llama3.…"],
      // No version, no vendor: the end is cut as any text's.
      ["local-llama", 8, "local-l…"],
      // A child row's indent is kept; a header with spaces is no vendor path.
      ["  claude-sonnet-4-5", 12, "  sonnet-4-5"],
      ["  anthropic/claude-sonnet-4-5", 19, "  claude-sonnet-4-5"],
      ["MODEL / PROJECT", 12, "MODEL / PRO…"],
    ];
    for (const [name, w, want] of cases) {
      assert.equal(truncateModelToWidth(name, w), want, `${name} at ${w}`);
    }
  });
  it("truncateModelToWidth() fits any text into the width, unchanged when it fits (property)", () => {
    const name = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.tuple(
        fc.constantFrom("", "anthropic/", "openrouter/anthropic/", "  "),
        fc.constantFrom("claude-", "", "gpt-", "模型-"),
        fc.string({ unit: "grapheme", maxLength: 12 }),
        fc.constantFrom("", "-4-5", "-4-5-20250929", ".1", ":70b"),
      ).map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(name, fc.integer({ min: 0, max: 40 }), (s, w) => {
        const t = truncateModelToWidth(s, w);
        assert.ok(displayWidth(t) <= w, `${JSON.stringify(s)} at ${w}: ${JSON.stringify(t)}`);
        if (displayWidth(s) <= w) assert.equal(t, s);
      }),
    );
  });
  it("truncateMiddleToWidth() cuts a path's middle, keeping its file name", () => {
    const path =
      "/home/me/.local/state/zot/sessions/b6612f11880eb186/20261020-140211-b425d583.jsonl";
    const cases: [number, string][] = [
      [200, path],
      [60, "/home/me/.loca…612f11880eb186/20261020-140211-b425d583.jsonl"],
      [33, "/…/20261020-140211-b425d583.jsonl"],
      [31, "…20261020-140211-b425d583.jsonl"],
      [10, "…583.jsonl"],
    ];
    for (const [w, want] of cases) assert.equal(truncateMiddleToWidth(path, w), want, `${w}`);
    assert.equal(truncateMiddleToWidth("/プロジェクト/café/日本語.jsonl", 16), "/…é/日本語.jsonl");
  });
  it("truncateMiddleToWidth() fits any path, keeping its start and its end (property)", () => {
    const part = fc.string({ unit: "grapheme", maxLength: 12 });
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), fc.integer({ min: 1, max: 60 }), (parts, w) => {
        const s = parts.join("/");
        const t = truncateMiddleToWidth(s, w);
        assert.ok(displayWidth(t) <= w);
        if (displayWidth(s) <= w) return assert.equal(t, s);
        const at = t.indexOf("…");
        assert.ok(s.startsWith(t.slice(0, at)) && s.endsWith(t.slice(at + 1)), `${s} → ${t}`);
        const name = s.slice(s.lastIndexOf("/") + 1);
        if (displayWidth(name) + 2 <= w && s.includes("/")) assert.ok(t.endsWith(`/${name}`));
      }),
    );
  });
  it("padToWidth() pads by display width", () => {
    assert.equal(padToWidth("日", 4), "日  ");
    assert.equal(padToWidth("7", 3, true), "  7");
  });
});
