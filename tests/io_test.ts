import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixedNow } from "../lib/io.ts";

describe("fixedNow()", () => {
  it("reads an ISO instant, and nothing else", () => {
    assert.equal(fixedNow("2026-11-25T12:00:00Z"), Date.UTC(2026, 10, 25, 12));
    assert.equal(fixedNow(undefined), undefined);
    assert.equal(fixedNow(""), undefined);
    assert.equal(fixedNow("soon"), undefined);
  });
});
