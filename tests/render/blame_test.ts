/**
 * Tests of lib/render/blame.ts: `blame`'s table (results, the project with
 * `--all`, the zone, a width, colour) and JSON lines, with titles, ids and
 * paths from a transcript (so untrusted) kept off the terminal's controls.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { palette } from "../../lib/render/color.ts";
import { blameJson, blameText } from "../../lib/render/blame.ts";
import { isTerminalControl } from "../../lib/render/sanitize.ts";
import type { BlameChange } from "../../lib/sessions/blame.ts";

const EVIL = "x\x1b]52;c;AAAA\x07\u009b2J";

/** The control characters of `text` but its newlines. */
const controls = (text: string) => [...text].filter((c) => c !== "\n" && isTerminalControl(c));

function change(o: Partial<BlameChange>): BlameChange {
  return {
    session: "/h/sessions/k/20261006-080319-89166dff.jsonl",
    id: "89166dff-3239-4d9a-8588-80921614d944",
    cwd: "/home/me/src/app",
    title: "idempotency keys",
    ordinal: 0,
    index: 19,
    tool: "edit",
    ok: true,
    aborted: false,
    time: "2026-10-06T10:04:17.5+02:00",
    path: "store/a.go",
    absolute: "/home/me/src/app/store/a.go",
    inherited: false,
    ...o,
  };
}

const SHOW = "zot-sessions show 89166dff --around 19";

describe("blameText", () => {
  it("lists each change with its time in the zone, message, tool and result, then the command", () => {
    const rows = [
      change({}),
      change({ index: 7, tool: "write", ok: false, time: "2026-10-06T07:00:00Z" }),
      change({ index: 3, ok: false, aborted: true, time: "not a time" }),
    ];
    const o = { palette: palette(false), tz: "Europe/Berlin", all: false, showNewest: SHOW };
    assert.equal(
      blameText(rows, o),
      "TIME                 SESSION   MESSAGE  TOOL   RESULT     TITLE\n" +
        "2026-10-06 10:04:17  89166dff  #19      edit   ok         idempotency keys\n" +
        // Seconds shown when :00 too: one width for every time.
        "2026-10-06 09:00:00  89166dff  #7       write  failed     idempotency keys\n" +
        "not a time           89166dff  #3       edit   no result  idempotency keys\n" +
        `\nThe newest in context: ${SHOW}\n`,
    );
  });

  it("with --all names each project (~ for the home), and fits a width by cutting titles", () => {
    const rows = [change({ title: "a title much too long for the width given here" })];
    const o = {
      palette: palette(false),
      tz: "UTC",
      all: true,
      showNewest: SHOW,
      width: 80,
      userHome: "/home/me",
    };
    const [header, row] = blameText(rows, o).split("\n");
    assert.ok(header.endsWith("RESULT  PROJECT    TITLE"), header);
    assert.equal(
      row,
      "2026-10-06 08:04:17  89166dff  #19      edit  ok      ~/src/app  a title much t…",
    );
    assert.ok(row.length <= 80, row);
  });

  it("keeps a transcript's control characters off the terminal, colours only when asked", () => {
    const rows = [change({ title: EVIL, id: EVIL, cwd: EVIL, time: EVIL })];
    const plain = blameText(rows, {
      palette: palette(false),
      tz: "UTC",
      all: true,
      showNewest: SHOW,
    });
    assert.deepEqual(controls(plain), []);
    const coloured = blameText(rows, {
      palette: palette(true),
      tz: "UTC",
      all: false,
      showNewest: SHOW,
    });
    assert.ok(coloured.includes("\x1b[32mok"), coloured);
    const sgr = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g");
    assert.deepEqual(controls(coloured.replace(sgr, "")), []);
  });
});

describe("blameJson", () => {
  it("writes the issue's fields in order, and ok; escapes controls for a terminal only", () => {
    const c = change({ path: EVIL });
    const line = blameJson(c, false);
    assert.deepEqual(Object.keys(JSON.parse(line)), [
      "id",
      "shortId",
      "path",
      "cwd",
      "index",
      "tool",
      "file",
      "time",
      "ok",
    ]);
    assert.equal(JSON.parse(line).file, EVIL);
    assert.equal(JSON.parse(line).path, c.session);
    assert.deepEqual(controls(blameJson(c, true)), []);
    assert.equal(JSON.parse(blameJson(c, true)).file, EVIL);
  });
});
