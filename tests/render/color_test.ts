/** When to colour: the flag, the colour environment, then the terminal. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type ColorMode, useColor } from "../../lib/render/color.ts";

describe("colour", () => {
  it("useColor: the flag, then NO_COLOR, FORCE_COLOR, TERM=dumb, then the terminal", () => {
    const cases: [ColorMode, boolean, Record<string, string>, boolean][] = [
      ["auto", true, {}, true],
      ["auto", false, {}, false],
      ["always", false, {}, true],
      ["always", true, { NO_COLOR: "1" }, true],
      ["never", true, { FORCE_COLOR: "1" }, false],
      ["auto", true, { NO_COLOR: "1" }, false],
      ["auto", true, { NO_COLOR: "" }, true],
      ["auto", false, { FORCE_COLOR: "1" }, true],
      ["auto", false, { FORCE_COLOR: "3" }, true],
      ["auto", false, { FORCE_COLOR: "0" }, false],
      ["auto", false, { FORCE_COLOR: "false" }, false],
      ["auto", false, { FORCE_COLOR: "" }, false],
      ["auto", false, { FORCE_COLOR: "1", NO_COLOR: "1" }, false],
      ["auto", true, { TERM: "dumb" }, false],
      ["auto", false, { TERM: "dumb", FORCE_COLOR: "1" }, true],
      ["auto", true, { TERM: "xterm-256color" }, true],
    ];
    for (const [mode, isTTY, env, want] of cases) {
      assert.equal(useColor({ mode, isTTY, env }), want, JSON.stringify({ mode, isTTY, env }));
    }
  });
});
