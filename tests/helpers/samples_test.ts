/** The rule for tests that need zot's samples: skip outside CI, fail under CI. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isCi, samplesSkipReason } from "./samples.ts";

describe("samplesSkipReason", () => {
  it("runs the test when the samples are there, in CI or not", () => {
    assert.equal(samplesSkipReason(true, {}), false);
    assert.equal(samplesSkipReason(true, { CI: "true" }), false);
  });

  it("skips with the path outside CI, and runs (to fail) under CI=true", () => {
    const reason = samplesSkipReason(false, {});
    assert.ok(reason && reason.includes("shared/samples/home"), String(reason));
    assert.equal(samplesSkipReason(false, { CI: "true" }), false);
  });

  it("isCi: CI set to anything but empty, 0 or false", () => {
    for (const v of ["true", "1", "yes", "TRUE"]) assert.equal(isCi({ CI: v }), true, v);
    for (const v of [undefined, "", "0", "false", "False"]) assert.equal(isCi({ CI: v }), false);
  });
});
