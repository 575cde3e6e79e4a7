import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sanitizeForTerminal } from "../../lib/render/sanitize.ts";
import {
  displayWidth,
  padToWidth,
  truncatePathToWidth,
  truncateToWidth,
} from "../../lib/render/width.ts";
import { formatBytes, formatCost, formatProject } from "../../lib/render/format.ts";
import { type Column, fitTable, renderTable } from "../../lib/render/table.ts";
import { palette } from "../../lib/render/color.ts";

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
  it("formatCost(): one rule — cents, <$0.01 under a cent, $0.00 only for zero", () => {
    assert.equal(formatCost(0), "$0.00");
    assert.equal(formatCost(0.0043), "<$0.01");
    assert.equal(formatCost(0.0099), "<$0.01", "under a cent even if it rounds up");
    assert.equal(formatCost(1e-9), "<$0.01");
    assert.equal(formatCost(0.01), "$0.01");
    assert.equal(formatCost(0.0717063), "$0.07");
    assert.equal(formatCost(12.4), "$12.40");
  });
  it("formatCost() with unpriced tokens: unpriced, or marked with *", () => {
    assert.equal(formatCost(0, 120), "unpriced");
    assert.equal(formatCost(0.41, 120), "$0.41*");
    assert.equal(formatCost(0.004, 120), "<$0.01*");
    assert.equal(formatCost(0.41, 0), "$0.41");
  });
  it("formatProject() marks a decomposed (NFD) path and shortens the home", () => {
    const nfc = "/home/dev/ünïcode proj".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    assert.notEqual(nfc, nfd);
    assert.equal(formatProject(nfc), nfc);
    assert.equal(formatProject(nfd), nfd + " (NFD)");
    assert.equal(formatProject("/home/dev/plain"), "/home/dev/plain");
    // Neither form: composed ü, decomposed ï.
    const mixed = "/home/dev/" + "ü".normalize("NFC") + "ï".normalize("NFD");
    assert.equal(formatProject(mixed), mixed + " (not NFC)");
    assert.equal(formatProject("/home/me/x", "/home/me"), "~/x");
    assert.equal(formatProject("/home/me2/x", "/home/me"), "/home/me2/x");
    assert.equal(formatProject("/home/dev/\x1b[2Jx"), "/home/dev/␛[2Jx", "sanitised");
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

describe("fitTable with shrink ranks", () => {
  const cols = (): Column[] => [
    { header: "NAME", minWidth: 6, shrinkRank: 1 },
    { header: "A", align: "right", dropOrder: 2 },
    { header: "B", align: "right", dropOrder: 1 },
    { header: "COST", align: "right" },
    { header: "TITLE", flex: true, minWidth: 5, shrinkRank: 0 },
  ];
  const rows = [["a-long-model-name", "1111", "2222", "$1.00", "a title of some length"]];
  const natural = [17, 4, 4, 5, 22]; // 60 wide with the gaps
  const width = (w: number | undefined) =>
    Math.max(
      ...renderTable(cols(), rows, { width: w, palette: palette(false) }).trimEnd().split("\n")
        .map(displayWidth),
    );
  const headers = (f: ReturnType<typeof fitTable>) => f.shown.map((i) => cols()[i].header);

  it("keeps everything when it fits or when there is no width", () => {
    assert.deepEqual(fitTable(cols(), natural, 200), { widths: natural, shown: [0, 1, 2, 3, 4] });
    const out = renderTable(cols(), rows, { palette: palette(false) });
    const [head, row] = out.trimEnd().split("\n");
    assert.deepEqual(head.split(/\s+/), ["NAME", "A", "B", "COST", "TITLE"]);
    assert.deepEqual(row.split(/ {2,}/), rows[0]);
    assert.equal(width(undefined), 60);
  });

  it("shrinks the title first, then names, then drops columns in order, never the rest", () => {
    // Natural: 17 + 4 + 4 + 5 + 22 + 8 gaps = 60.
    const t = fitTable(cols(), natural, 50);
    assert.deepEqual(t, { widths: [17, 4, 4, 5, 12], shown: [0, 1, 2, 3, 4] });
    const n = fitTable(cols(), natural, 40);
    assert.deepEqual(headers(n), ["NAME", "A", "B", "COST", "TITLE"]);
    assert.equal(width(40), 40);
    const d = fitTable(cols(), natural, 30);
    assert.deepEqual(headers(d), ["NAME", "A", "COST", "TITLE"]);
    assert.ok(width(30) <= 30, String(width(30)));
    const dd = fitTable(cols(), natural, 20);
    assert.deepEqual(headers(dd), ["NAME", "COST", "TITLE"]);
    assert.deepEqual(dd.shown.map((i) => rows[0][i]), [
      "a-long-model-name",
      "$1.00",
      "a title of some length",
    ]);
  });

  it("cuts a name down to its minWidth, header too, before a column is dropped", () => {
    const columns: Column[] = [
      { header: "MODEL / PROJECT", minWidth: 12 },
      { header: "N", align: "right", dropOrder: 1 },
    ];
    assert.deepEqual(fitTable(columns, [20, 4], 18), { widths: [12, 4], shown: [0, 1] });
  });
});
