/**
 * Tests of lib/render/shell.ts: words for bash and zsh. The forms are
 * checked by table; then generated words, heavy in controls, quotes and
 * characters the shells expand, are read back by real bash and zsh (one
 * process each for the whole batch), which must give the exact text.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { cdCommand, shellPath, shellQuote } from "../../lib/render/shell.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";

/** C0 controls, DEL, C1 controls, bidi overrides and isolates. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe("shellQuote", () => {
  const table: [string, string][] = [
    ["/src/app", "/src/app"],
    ["a-b_c.d,e:f@g%h+i=j", "a-b_c.d,e:f@g%h+i=j"],
    ["", "''"],
    ["my project", "'my project'"],
    ["it's", "'it'\\''s'"],
    ["$(id)", "'$(id)'"],
    ["=ls", "'=ls'"],
    ["~", "'~'"],
    ["a!b", "'a!b'"],
    ["\x1b]52;c;eA==\x07", "$'\\x1b]52;c;eA==\\x07'"],
    ["\x1bc", "$'\\x1bc'"],
    ["a\nb", "$'a\\x0ab'"],
    ["it's\t\\", "$'it\\'s\\x09\\\\'"],
    ["\x07!", "$'\\x07\\x21'"],
    ["\u009b\u202e", "$'\\xc2\\x9b\\xe2\\x80\\xae'"],
    ["\x7f", "$'\\x7f'"],
    ["café", "'café'"],
  ];
  for (const [word, quoted] of table) {
    it(`${JSON.stringify(word)} → ${quoted}`, () => {
      assert.equal(shellQuote(word), quoted);
    });
  }
});

describe("shellPath and cdCommand", () => {
  const table: [string, string][] = [
    ["/abs/-P", "/abs/-P"],
    ["-P", "./-P"],
    ["-", "./-"],
    ["+1", "./+1"],
    ["~", "./~"],
    ["src", "./src"],
    [".", "."],
    ["..", ".."],
    ["./x", "./x"],
    ["../x", "../x"],
    ["..x", "./..x"],
  ];
  for (const [path, safe] of table) {
    it(`${path} → ${safe}`, () => assert.equal(shellPath(path), safe));
  }

  it("cd -- before the path", () => {
    assert.equal(cdCommand("-P"), "cd -- ./-P");
    assert.equal(cdCommand("/a b"), "cd -- '/a b'");
  });
});

/** Characters that a shell or a terminal treats specially. */
const SPECIAL = [..."\x1b\x07\n\r\t\x7f\u0085\u009b\u202e\u2066'\"\\!$`-+=~*?[]{}#%&|;<> ()^"];

/** Words heavy in special characters, with some of any other (no NUL: no argument holds one). */
const words = fc.array(
  fc.array(
    fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: "binary", maxLength: 2 })),
    { maxLength: 8 },
  ).map((parts) => parts.join("").replaceAll("\0", "").toWellFormed()),
  { minLength: 200, maxLength: 200 },
);

describe("shellQuote in real shells", () => {
  const batch = fc.sample(words, { numRuns: 1, seed: 19 })[0];

  it("holds no control character", () => {
    for (const w of batch) assert.doesNotMatch(shellQuote(w), CONTROL, JSON.stringify(w));
  });

  const shells: [string, string[], string | false][] = [
    ["bash", ["--norc", "--noprofile", "-c"], needs("bash", hasProgram("bash"))],
    ["zsh", ["-f", "-c"], needs("zsh", hasProgram("zsh"))],
  ];
  for (const [shell, flags, skip] of shells) {
    for (const locale of ["C", "C.UTF-8"]) {
      it(`${shell}, LC_ALL=${locale}, reads back ${batch.length} generated words exactly`, {
        skip,
      }, () => {
        const script = `printf '%s\\0' ${batch.map(shellQuote).join(" ")}`;
        const r = spawnSync(shell, [...flags, script], {
          encoding: "utf8",
          env: { LC_ALL: locale },
        });
        assert.equal(r.stderr, "");
        assert.equal(r.status, 0);
        assert.deepEqual(r.stdout.split("\0").slice(0, -1), batch);
      });
    }
  }
});
