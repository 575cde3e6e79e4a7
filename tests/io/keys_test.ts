/**
 * Tests of lib/io/keys.ts: what a terminal in raw mode sends, read as keys.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decodeKeys, type Key } from "../../lib/io/keys.ts";

const key = (name: string): Key => ({ kind: "key", name } as Key);
const text = (t: string): Key => ({ kind: "text", text: t });

describe("decodeKeys", () => {
  it("reads arrows and paging keys in both cursor modes, modifiers ignored", () => {
    const table: [string, string][] = [
      ["\x1b[A", "up"],
      ["\x1bOA", "up"],
      ["\x1b[B", "down"],
      ["\x1bOB", "down"],
      ["\x1b[C", "right"],
      ["\x1b[D", "left"],
      ["\x1b[H", "home"],
      ["\x1b[1~", "home"],
      ["\x1b[F", "end"],
      ["\x1b[4~", "end"],
      ["\x1b[5~", "pageup"],
      ["\x1b[6~", "pagedown"],
      ["\x1b[3~", "delete"],
      ["\x1b[Z", "backtab"],
      ["\x1b[1;5A", "up"],
    ];
    for (const [input, name] of table) {
      assert.deepEqual(decodeKeys(input), { keys: [key(name)], rest: "" }, JSON.stringify(input));
    }
  });

  it("reads Enter, Tab, Backspace and the control keys", () => {
    assert.deepEqual(
      decodeKeys("\r\t\x7f\x08\x03\x0e\x10\x13\x0f\x19\x04\x0a").keys,
      [
        "enter",
        "tab",
        "backspace",
        "backspace",
        "ctrl-c",
        "ctrl-n",
        "ctrl-p",
        "ctrl-s",
        "ctrl-o",
        "ctrl-y",
        "ctrl-d",
        "ctrl-j",
      ].map(key),
    );
  });

  it("keeps typed text together, between keys", () => {
    assert.deepEqual(decodeKeys("café\x1b[Bx日本").keys, [
      text("café"),
      key("down"),
      text("x日本"),
    ]);
  });

  it("reads a lone ESC as Escape, two as two, and ESC with a key (Alt) as the key", () => {
    assert.deepEqual(decodeKeys("\x1b").keys, [key("escape")]);
    assert.deepEqual(decodeKeys("\x1b\x1b").keys, [key("escape"), key("escape")]);
    assert.deepEqual(decodeKeys("\x1bb").keys, [text("b")]);
  });

  it("keeps a sequence cut at the end of a read for the next one", () => {
    const first = decodeKeys("ab\x1b[6");
    assert.deepEqual(first, { keys: [text("ab")], rest: "\x1b[6" });
    assert.deepEqual(decodeKeys(first.rest + "~").keys, [key("pagedown")]);
  });

  it("never lets a control character into the text (it is drawn on the query line)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (input) => {
        const { keys } = decodeKeys(input);
        for (const k of keys) {
          if (k.kind !== "text") continue;
          // deno-lint-ignore no-control-regex
          assert.doesNotMatch(k.text, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        }
      }),
    );
  });
});
