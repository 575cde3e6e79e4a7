/**
 * The block-kind and compaction rules are written once, in records.ts, in two
 * forms: on a parsed object and on what a streaming reader has seen (the
 * first key, the line's tail). For every kind of block and message zot
 * writes, in zot's key order, the two forms must agree.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  blockKind,
  blockKindByFirstKey,
  decodeRecord,
  isCompaction,
  isCompactionFromEnd,
} from "../../lib/format/record_decode.ts";
import type { MessageRecord } from "../../lib/format/records.ts";
import { goJson, messageLine } from "../helpers/fixtures.ts";

const text = fc.string({ minLength: 1, maxLength: 10 });

/** Blocks as zot writes them: Go struct field order. */
const zotBlock: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  text.map((t) => ({ text: t })),
  fc.tuple(text, text).map(([id, name]) => ({ id, name, arguments: {} })),
  fc.tuple(text, fc.boolean()).map(([c, e]) => ({
    call_id: c,
    content: [{ text: "x" }],
    is_error: e,
  })),
  text.map((d) => ({ mime_type: "image/png", data: d })),
  fc.tuple(text, text).map(([r, s]) => ({ reasoning_id: r, summary: s })),
  text.map((s) => ({ summary: s })),
  text.map((e) => ({ encrypted_content: e })),
);

describe("block rules", () => {
  it("blockKindByFirstKey agrees with blockKind on every block zot writes", () => {
    fc.assert(
      fc.property(zotBlock, (block) => {
        assert.equal(blockKindByFirstKey(Object.keys(block)[0]), blockKind(block));
      }),
    );
  });

  it("isCompactionFromEnd agrees with isCompaction on zot's message lines", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.dictionary(fc.constantFrom("a", "b", "compaction"), fc.constantFrom("true", "no")),
        (compaction, extra) => {
          const meta = compaction ? { ...extra, compaction: "true" } : extra;
          const line = messageLine("user", "hi", "2026-11-01T10:00:00Z", meta);
          const record = decodeRecord(JSON.parse(line)) as MessageRecord;
          assert.equal(isCompactionFromEnd(line), isCompaction(record));
        },
      ),
    );
    // A compaction marker in the text is not one.
    const inText = messageLine("user", '"compaction":"true"', "2026-11-01T10:00:00Z");
    assert.equal(isCompactionFromEnd(inText), false);
    assert.equal(goJson({ a: 1 }), '{"a":1}');
  });
});
