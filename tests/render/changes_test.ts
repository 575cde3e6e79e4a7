/**
 * Tests of lib/render/changes.ts and lib/render/patch.ts: `changes`' table,
 * JSON lines and patch, with paths and file text from a transcript (so
 * untrusted) kept off the terminal's controls.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { palette } from "../../lib/render/color.ts";
import { changesJson, changesText } from "../../lib/render/changes.ts";
import { patchText, patchWarnings } from "../../lib/render/patch.ts";
import { isTerminalControl } from "../../lib/render/sanitize.ts";
import type { FileDiff } from "../../lib/transcript/file_diffs.ts";

const EVIL = "x\x1b]52;c;AAAA\x07\u009b2J.go";

/** The control characters of `text` but its newlines. */
const controls = (text: string) => [...text].filter((c) => c !== "\n" && isTerminalControl(c));

function file(o: Partial<FileDiff>): FileDiff {
  const path = o.path ?? "a.go";
  return {
    path,
    absolutePath: "/src/app/a.go",
    projectPath: path.replace(/^\.\//, ""),
    created: false,
    added: 1,
    removed: 1,
    calls: [{ index: 3, tool: "edit", ok: true, aborted: false }],
    numbered: true,
    unnumbered: null,
    lastLineGuessed: false,
    hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-a\x1b[2J", "+b"] }],
    ...o,
  };
}

const note = { shellCommands: 2, showTools: "zot-sessions show 0e19291e --role tool" };

describe("changesText", () => {
  it("lists each file with its counts and calls, then the shell note", () => {
    const files = [
      file({}),
      file({
        path: "new.go",
        absolutePath: "/src/app/new.go",
        created: true,
        added: 5,
        removed: 0,
        calls: [
          { index: 7, tool: "write", ok: true, aborted: false },
          { index: 9, tool: "edit", ok: false, aborted: false },
          { index: 11, tool: "edit", ok: false, aborted: true },
        ],
      }),
    ];
    const text = changesText(files, { palette: palette(false), absolute: false, ...note });
    assert.equal(
      text,
      "FILE    ADDED  REMOVED  MESSAGES\n" +
        "a.go       +1       -1  #3\n" +
        "new.go     +5       -0  #7, #9 (failed), #11 (no result) (created)\n" +
        "\n2 shell commands may have changed files: zot-sessions show 0e19291e --role tool\n",
    );
    const abs = changesText(files, { palette: palette(false), absolute: true, ...note });
    assert.match(abs, /^\/src\/app\/new\.go +\+5/m);
  });

  it("makes a path's control characters visible; colours only with a colour palette", () => {
    const o = { absolute: false, shellCommands: 0, showTools: "" };
    const plain = changesText([file({ path: EVIL })], { ...o, palette: palette(false) });
    assert.deepEqual(controls(plain), []);
    assert.match(plain, /x␛\]52;c;AAAA␇\\u\{9b\}2J\.go/);
    const coloured = changesText([file({})], { ...o, palette: palette(true) });
    assert.ok(coloured.includes("\x1b[32m   +1\x1b[39m"), JSON.stringify(coloured));
  });

  it("says so when the session changed no file, and still gives the note", () => {
    const text = changesText([], { palette: palette(false), absolute: false, ...note });
    assert.match(text, /^The session changed no file with edit or write\.\n2 shell commands/);
  });
});

describe("changesJson", () => {
  it("one object a line, C1 controls escaped on a terminal only", () => {
    const files = [file({ path: EVIL })];
    const piped = changesJson(files, false);
    assert.deepEqual(JSON.parse(piped), {
      path: EVIL,
      absolutePath: "/src/app/a.go",
      created: false,
      added: 1,
      removed: 1,
      numbered: true,
      changes: [{ index: 3, tool: "edit", ok: true }],
    });
    assert.ok(piped.includes("\u009b"), "byte-exact to a pipe");
    assert.ok(!changesJson(files, true).includes("\u009b"));
    assert.equal(changesJson([file({}), file({})], false).split("\n").length, 3);
  });
});

describe("patchText", () => {
  it("shows control characters as symbols, a pipe too; exact only to a file, warned of", () => {
    const files = [file({ path: EVIL })];
    const piped = patchText(files, { absolute: false, exact: false, palette: palette(false) });
    assert.deepEqual(controls(piped), []);
    assert.ok(piped.includes("-a␛[2J\n"), piped);
    assert.ok(piped.startsWith(`--- "a/x\\033]52;c;AAAA\\a`), "the name quoted as GNU diff does");
    const exact = patchText(files, { absolute: false, exact: true, palette: palette(false) });
    assert.ok(exact.includes("-a\x1b[2J\n"), exact);
    const shown = patchText(files, { absolute: false, exact: false, palette: palette(true) });
    assert.ok(shown.includes("\x1b[31m-a␛[2J\x1b[39m"), JSON.stringify(shown));
    const sgr = ["\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[39m", "\x1b[1m", "\x1b[22m", "\x1b[2m"];
    assert.deepEqual(controls(sgr.reduce((t, code) => t.replaceAll(code, ""), shown)), []);
    const o = { absolute: false, exact: false };
    assert.deepEqual(patchWarnings(files, o), [
      `the patch of ${EVIL} is not byte-exact: its control characters are shown as symbols ` +
      "(such as ␛); -o FILE writes them as they are",
    ]);
    assert.deepEqual(patchWarnings(files, { ...o, exact: true }), []);
    assert.deepEqual(patchWarnings([file({ hunks: [] })], o), []);
  });

  it("keeps a CRLF file's line ends, and a lone CR is shown", () => {
    const crlf = file({
      hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-a\r", "+b\rc\r"] }],
    });
    const o = { absolute: false, exact: false, palette: palette(false) };
    assert.ok(
      patchText([crlf], o).endsWith("-a\r\n+b␍c\r\n"),
      JSON.stringify(patchText([crlf], o)),
    );
    assert.equal(patchWarnings([crlf], o).length, 1);
    assert.deepEqual(
      patchWarnings([file({ hunks: [{ ...crlf.hunks[0], lines: ["-a\r"] }] })], o),
      [],
    );
  });

  it("names files by absolute path with --absolute, and from /dev/null when created", () => {
    const o = { absolute: true, exact: false, palette: palette(false) };
    assert.match(patchText([file({})], o), /^--- \/src\/app\/a\.go\n\+\+\+ \/src\/app\/a\.go\n/);
    assert.match(
      patchText([file({ created: true, path: "./b.go" })], { ...o, absolute: false }),
      /^--- \/dev\/null\n\+\+\+ b\/b\.go\n/,
    );
  });

  it("names a file outside the project by its absolute path, and says git apply cannot take it", () => {
    const o = { absolute: false, exact: false, palette: palette(false) };
    const outside = file({
      path: "../other/o.go",
      absolutePath: "/src/other/o.go",
      projectPath: null,
    });
    assert.match(
      patchText([outside], o),
      /^# outside the project directory: .*\n--- \/src\/other\/o\.go\n\+\+\+ \/src\/other\/o\.go\n/,
    );
    const inside = file({
      path: "/src/app/x/../z.go",
      absolutePath: "/src/app/z.go",
      projectPath: "z.go",
    });
    assert.match(patchText([inside], o), /^--- a\/z\.go\n\+\+\+ b\/z\.go\n/);
  });

  it("lists files without line numbers last, and warns that git apply skips them", () => {
    const o = { absolute: false, exact: true, palette: palette(false) };
    const unnumbered = file({ path: "u.go", numbered: false, unnumbered: "no read" });
    const files = [file({ path: "a.go" }), unnumbered, file({ path: "b.go" })];
    const names = [...patchText(files, o).matchAll(/^\+\+\+ b\/(.*)$/gm)].map((m) => m[1]);
    assert.deepEqual(names, ["a.go", "b.go", "u.go"]);
    assert.deepEqual(patchWarnings(files, o), [
      "1 file has no line numbers (@@ ? @@): git apply skips it without a word; it is listed last",
    ]);
    assert.deepEqual(patchWarnings([file({})], o), []);
    const two = patchWarnings([unnumbered, unnumbered], o)[0];
    assert.match(two, /^2 files have no line numbers .* skips them .* they are listed last$/);
  });
});
