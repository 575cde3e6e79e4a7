/**
 * Tests of lib/commands/pick_keys.ts: what each key does in `pick`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Key } from "../../lib/io/keys.ts";
import { pickKey, type PickState, QUIT_CODE } from "../../lib/commands/pick_keys.ts";

const start: PickState = {
  query: "",
  mode: "sessions",
  selected: 0,
  top: 0,
  preview: true,
  confirming: false,
};
const key = (name: string): Key => ({ kind: "key", name } as Key);
const press = (s: PickState, k: Key, count = 50, page = 10) => pickKey(s, k, count, page);

describe("pickKey", () => {
  it("moves with Up/Down, Ctrl-P/Ctrl-N, PgUp/PgDn, within the list", () => {
    let s = start;
    for (const k of ["down", "ctrl-n", "ctrl-j"]) s = press(s, key(k)).state;
    assert.equal(s.selected, 3);
    s = press(s, key("up")).state;
    s = press(s, key("ctrl-p")).state;
    assert.equal(s.selected, 1);
    s = press(s, key("pagedown")).state;
    assert.deepEqual([s.selected, s.top], [11, 2]);
    s = press(s, key("pageup")).state;
    s = press(s, key("pageup")).state;
    assert.deepEqual([s.selected, s.top], [0, 0]);
    s = press(s, key("end")).state;
    assert.deepEqual([s.selected, s.top], [49, 40]);
  });

  it("types into the query and filters again, from the first row", () => {
    const s = press({ ...start, selected: 5, top: 3 }, { kind: "text", text: "pa" });
    assert.deepEqual([s.state.query, s.state.selected, s.state.top, s.command.kind], [
      "pa",
      0,
      0,
      "filter",
    ]);
    assert.equal(press({ ...start, query: "日本" }, key("backspace")).state.query, "日");
    assert.equal(press({ ...start, query: "fix the par" }, key("ctrl-w")).state.query, "fix the ");
    assert.equal(press({ ...start, query: "fix" }, key("ctrl-u")).state.query, "");
    assert.equal(press(start, key("backspace")).command.kind, "draw"); // nothing to delete
  });

  it("Esc and Ctrl-C quit with 130; Tab toggles the preview; Ctrl-S switches mode", () => {
    assert.deepEqual(press(start, key("escape")).command, { kind: "quit", code: QUIT_CODE });
    assert.deepEqual(press(start, key("ctrl-c")).command, { kind: "quit", code: 130 });
    assert.equal(press(start, key("tab")).state.preview, false);
    const text = press(start, key("ctrl-s"));
    assert.deepEqual([text.state.mode, text.command.kind], ["text", "switch-mode"]);
    assert.equal(press(text.state, key("ctrl-s")).state.mode, "sessions");
  });

  it("Enter, Ctrl-Y, Ctrl-O, Ctrl-D act on the selection, and only when there is one", () => {
    const kinds = ["enter", "ctrl-y", "ctrl-o", "ctrl-d"].map((k) =>
      press(start, key(k)).command.kind
    );
    assert.deepEqual(kinds, ["resume", "copy-id", "open-page", "ask-remove"]);
    for (const k of ["enter", "ctrl-y", "ctrl-o", "ctrl-d"]) {
      assert.equal(press(start, key(k), 0).command.kind, "draw");
    }
  });

  it("removes only after y: any other key keeps the session", () => {
    const asked = press(start, key("ctrl-d")).state;
    assert.equal(asked.confirming, true);
    assert.equal(press(asked, { kind: "text", text: "y" }).command.kind, "remove");
    assert.equal(press(asked, { kind: "text", text: "Y" }).command.kind, "remove");
    for (const k of [{ kind: "text", text: "n" }, key("enter"), key("escape")] as Key[]) {
      const after = press(asked, k);
      assert.deepEqual([after.command.kind, after.state.confirming], ["cancel-remove", false]);
    }
  });

  it("keeps the selection in view and within the list, whatever the keys", () => {
    const keys = fc.constantFrom(
      ...["up", "down", "pageup", "pagedown", "home", "end", "ctrl-n", "ctrl-p"].map(key),
    );
    fc.assert(
      fc.property(
        fc.array(keys),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 15 }),
        (ks, count, page) => {
          let s = start;
          for (const k of ks) {
            s = pickKey(s, k, count, page).state;
            assert.ok(s.selected >= 0 && (count === 0 || s.selected < count));
            assert.ok(s.top <= s.selected && s.selected < s.top + page || count === 0);
          }
        },
      ),
    );
  });
});
