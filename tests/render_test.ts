import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sanitizeForTerminal } from "../lib/render/sanitize.ts";
import {
  displayWidth,
  padToWidth,
  truncatePathToWidth,
  truncateToWidth,
} from "../lib/render/width.ts";
import { formatBytes, formatCost } from "../lib/render/format.ts";
import { type Column, fitTable, renderTable } from "../lib/render/table.ts";
import { palette } from "../lib/render/color.ts";

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

describe("width", () => {
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
  it("padToWidth() pads by display width", () => {
    assert.equal(padToWidth("日", 4), "日  ");
    assert.equal(padToWidth("7", 3, true), "  7");
  });
});

describe("format", () => {
  it("formatCost() rounds to cents and marks tiny and zero amounts", () => {
    assert.equal(formatCost(0), "-");
    assert.equal(formatCost(0.004), "<$0.01");
    assert.equal(formatCost(0.0717063), "$0.07");
    assert.equal(formatCost(12.4), "$12.40");
  });
  it("formatBytes() uses SI units", () => {
    assert.equal(formatBytes(999), "999 B");
    assert.equal(formatBytes(1_234_567), "1.2 MB");
  });
});

describe("renderTable", () => {
  it("aligns columns and shrinks the flexible one to the width", () => {
    const out = renderTable(
      [{ header: "ID" }, { header: "N", align: "right" }, { header: "TITLE", flex: true }],
      [["a", "1", "x".repeat(50)], ["bb", "22", "short"]],
      { width: 30, palette: palette(false) },
    );
    const lines = out.trimEnd().split("\n");
    assert.deepEqual(lines.map((l) => displayWidth(l) <= 30), [true, true, true]);
    assert.equal(lines[0], "ID   N  TITLE");
    assert.equal(lines[2], "bb  22  short");
    assert.match(lines[1], /^a {4}1 {2}x+…$/);
  });

  const COLUMNS: Column[] = [
    { header: "ID" },
    { header: "N", align: "right", dropOrder: 1 },
    { header: "MODEL", minWidth: 8, dropOrder: 2 },
    { header: "TITLE", flex: true },
  ];
  const NATURAL = [8, 4, 20, 40]; // 78 wide with the gaps

  it("fitTable keeps natural widths when the table fits", () => {
    assert.deepEqual(fitTable(COLUMNS, NATURAL, 78), { widths: NATURAL, shown: [0, 1, 2, 3] });
  });

  it("fitTable shrinks the flexible column first, then it and the others widest first", () => {
    assert.deepEqual(fitTable(COLUMNS, NATURAL, 66).widths, [8, 4, 20, 28]);
    // Past the flexible column's comfortable 20: both shrink, the wider one first.
    assert.deepEqual(fitTable(COLUMNS, NATURAL, 50).widths, [8, 4, 16, 16]);
    assert.deepEqual(fitTable(COLUMNS, NATURAL, 36), {
      widths: [8, 4, 8, 10],
      shown: [0, 1, 2, 3],
    });
  });

  it("fitTable leaves out columns by dropOrder when shrinking is not enough", () => {
    assert.deepEqual(fitTable(COLUMNS, NATURAL, 30), {
      widths: [8, 4, 8, 10],
      shown: [0, 2, 3],
    });
    const narrow = fitTable(COLUMNS, NATURAL, 22);
    assert.deepEqual(narrow.shown, [0, 3]);
    assert.equal(narrow.widths[3], 12);
    // Nothing left to drop: the flexible column goes below its floor rather than wrap.
    assert.deepEqual(fitTable(COLUMNS, NATURAL, 16), { widths: [8, 4, 20, 6], shown: [0, 3] });
  });

  it("renderTable never prints a row wider than the width (property)", () => {
    // ID is never cut nor left out: up to 8 wide, it leaves room for TITLE's header.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string(), fc.string(), fc.string()), {
          maxLength: 5,
        }),
        fc.integer({ min: 16, max: 120 }),
        (rows, width) => {
          const clean = rows.map((r) => r.map((c) => c.replace(/[^\x20-\x7e]/g, "")));
          const out = renderTable(COLUMNS, clean, { width, palette: palette(false) });
          for (const line of out.trimEnd().split("\n")) assert.ok(displayWidth(line) <= width);
        },
      ),
    );
  });
});
