/**
 * parseGcConfig's messages: keys that are not own keys, and positions after a
 * byte order mark. (Beside tests/gc/config_test.ts of the gc split; fold it in
 * when both are merged.)
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseGcConfig } from "../../lib/gc/config.ts";
import { UsageError } from "../../lib/base/errors.ts";

describe("the config file", () => {
  for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    it(`"gc.${key}" is an unknown key, not a property of Object.prototype`, () => {
      const text = `{\n  "gc": {\n    "${key}": true\n  }\n}`;
      assert.throws(
        () => parseGcConfig(text, "/c.jsonc"),
        (e) =>
          e instanceof UsageError &&
          e.message.startsWith(
            `Cannot read config "/c.jsonc": line 3, column 5: unknown key "gc.${key}" (known: `,
          ),
      );
    });
  }

  it("skips a leading byte order mark; positions count from after it", () => {
    assert.deepEqual(parseGcConfig('\uFEFF{ "gc": { "empty": true } }', "c.jsonc"), {
      empty: true,
    });
    assert.throws(
      () => parseGcConfig('\uFEFF{ "gc": { "empty": 1 } }', "c.jsonc"),
      /line 1, column 20: "gc.empty" must be a boolean/,
    );
  });
});
