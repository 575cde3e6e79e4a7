/**
 * Tests of lib/render/pick_rows.ts and pick_frame.ts: `pick`'s rows and
 * screen at any width.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type PickRow, rowLayout, rowText, sessionRow } from "../../lib/render/pick_rows.ts";
import { frameHeights, pickFrame, wrapLines } from "../../lib/render/pick_frame.ts";
import { palette } from "../../lib/render/color.ts";
import { displayWidth } from "../../lib/render/width.ts";
import type { SessionInfo } from "../../lib/sessions/info.ts";

const row = (title: string, o: Partial<PickRow> = {}): PickRow => ({
  title,
  project: "~/src/web-shop",
  age: "3h ago",
  model: "claude-sonnet-4-5",
  spend: "$12.41",
  dim: false,
  ...o,
});

describe("rowLayout and rowText", () => {
  it("shows every cell on a wide terminal, the title taking the rest", () => {
    const rows = [row("fix the parser")];
    const layout = rowLayout(rows, 100, true);
    const text = rowText(rows[0], layout, false);
    assert.equal(displayWidth(text), 100);
    assert.match(
      text,
      /^ {2}fix the parser +~\/src\/web-shop {2}3h ago {2}claude-sonnet-4-5 {2}\$12\.41$/,
    );
  });

  it("leaves out the model, then the project, then spend and age as it narrows", () => {
    const rows = [row("fix the parser")];
    const shown = (w: number) => {
      const l = rowLayout(rows, w, true);
      return (["project", "age", "model", "spend"] as const).filter((k) => l[k] > 0);
    };
    assert.deepEqual(shown(100), ["project", "age", "model", "spend"]);
    assert.deepEqual(shown(60), ["project", "age", "spend"]);
    assert.deepEqual(shown(40), ["age", "spend"]);
    assert.deepEqual(shown(30), ["age"]);
    assert.deepEqual(shown(20), []);
  });

  it("no project column without --all", () => {
    assert.equal(rowLayout([row("t")], 100, false).project, 0);
  });

  it("cuts wide titles (CJK, emoji) at the column, never wider than the terminal", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 60 }),
        fc.integer({ min: 2, max: 120 }),
        fc.boolean(),
        (title, width, selected) => {
          // deno-lint-ignore no-control-regex
          const clean = title.replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
          const rows = [row(clean), row("日本語のタイトル 🍂")];
          const layout = rowLayout(rows, width, true);
          for (const r of rows) {
            assert.ok(displayWidth(rowText(r, layout, selected)) <= width);
          }
        },
      ),
    );
  });

  it("sessionRow: sanitised to one line, the first prompt dimmed in place of a title", () => {
    const s = {
      title: "a\x1b[31mred\x1b[0m title",
      firstPrompt: null,
      cwd: "/home/me/src/app",
      model: "gpt-5",
      updated: "2026-11-25T11:00:00Z",
      spend: { costUsd: 1.5, unpricedTokens: 0 },
      empty: false,
    } as SessionInfo;
    const r = sessionRow(s, Date.parse("2026-11-25T12:00:00Z"), "/home/me");
    assert.deepEqual(r, {
      title: "a␛[31mred␛[0m title",
      project: "~/src/app",
      age: "1h ago",
      model: "gpt-5",
      spend: "$1.50",
      dim: false,
    });
  });
});

describe("pickFrame", () => {
  const content = (width: number, height: number, preview: boolean) => {
    const rows = Array.from({ length: 30 }, (_, i) => row(`session number ${i}`));
    return {
      width,
      height,
      prompt: "> ",
      query: "a long query ".repeat(10),
      scope: "~/src/web-shop",
      counter: "30/120",
      rows,
      layout: rowLayout(rows, width, true),
      selected: 2,
      empty: "",
      preview: preview
        ? { title: "0e19291e", lines: ["Session  0e19291e", "日本語".repeat(30)] }
        : null,
      status: "",
      palette: palette(false),
    };
  };

  it("is exactly as high as the terminal, no line wider than it, at any size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 200 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        (w, h, preview) => {
          const c = content(w, h, preview);
          c.preview = preview
            ? { title: "0e19291e", lines: c.preview!.lines.flatMap((l) => wrapLines(l, w)) }
            : null;
          const frame = pickFrame(c);
          assert.equal(frame.lines.length, h);
          for (const l of frame.lines) assert.ok(displayWidth(l) <= w, JSON.stringify(l));
          assert.ok(frame.cursor.col < w);
        },
      ),
    );
  });

  it("shows the end of a long query, where one types", () => {
    const frame = pickFrame(content(40, 10, false));
    assert.match(frame.lines[0], /^> .*a long query $/);
    assert.equal(frame.cursor.col, displayWidth(frame.lines[0]));
  });

  it("gives the preview the lower half of the screen, under a rule", () => {
    assert.deepEqual(frameHeights(30, true), { list: 13, preview: 13 });
    const frame = pickFrame(content(40, 30, true));
    assert.match(frame.lines[15], /^── 0e19291e ─+$/);
    assert.equal(frame.lines[16], "Session  0e19291e");
  });

  it("wrapLines cuts between graphemes at the width", () => {
    assert.deepEqual(wrapLines("👍🏽👍🏽👍🏽", 4), ["👍🏽👍🏽", "👍🏽"]);
    assert.deepEqual(wrapLines("a\tb", 4), ["a   ", " b"]);
  });
});
