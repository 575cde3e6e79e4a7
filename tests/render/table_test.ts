import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { displayWidth } from "../../lib/render/width.ts";
import { type Column, fitTable, renderTable } from "../../lib/render/table.ts";
import { palette } from "../../lib/render/color.ts";

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
