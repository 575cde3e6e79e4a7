/**
 * Tests of lib/transcript/zot_edit.ts: zot's edit replayed as zot's
 * edit.go makes it (each old text once in the text before the call, counted
 * as Go's strings.Count counts; no overlaps; CRLF files matched as LF and
 * written back as CRLF; a BOM set aside), and what a read's text says of
 * the file's last line.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileOfRead, replay } from "../../lib/transcript/zot_edit.ts";

describe("replay", () => {
  it("finds each old text once in the text before the call, and refuses overlaps", () => {
    assert.equal(
      replay("ab", [{ oldText: "b", newText: "a" }, { oldText: "a", newText: "b" }]),
      "ba",
    );
    assert.equal(
      replay("abc", [{ oldText: "ab", newText: "" }, { oldText: "bc", newText: "" }]),
      null,
    );
    assert.equal(replay("abc", [{ oldText: "", newText: "x" }]), null);
    assert.equal(
      replay("ab", [{ oldText: "a", newText: "x" }, { oldText: "a", newText: "y" }]),
      null,
    );
  });

  it("counts occurrences without overlap, as Go's strings.Count does", () => {
    // strings.Count("aaa", "aa") is 1: zot's edit takes it, at the first place.
    assert.equal(replay("aaa", [{ oldText: "aa", newText: "b" }]), "ba");
    assert.equal(replay("aaaa", [{ oldText: "aa", newText: "b" }]), null);
  });

  it("matches a CRLF file as LF and writes every line end back as CRLF", () => {
    const edits = [{ oldText: "a\nb", newText: "A\nB\nnew" }];
    assert.equal(replay("a\r\nb\r\nc\r\n", edits), "A\r\nB\r\nnew\r\nc\r\n");
    // As zot does, a bare LF in a file holding CRLF becomes CRLF too.
    assert.equal(replay("a\r\nb\nc", [{ oldText: "c", newText: "C" }]), "a\r\nb\r\nC");
    // An old text with "\r\n" is not found in the text zot matches against.
    assert.equal(replay("a\r\nb\r\n", [{ oldText: "a\r\nb", newText: "x" }]), null);
  });

  it("sets a BOM aside: it is kept, and no old text can hold it", () => {
    assert.equal(
      replay("\uFEFFone\r\ntwo", [{ oldText: "one\n", newText: "1\n" }]),
      "\uFEFF1\r\ntwo",
    );
    assert.equal(replay("\uFEFFone", [{ oldText: "\uFEFFone", newText: "1" }]), null);
  });
});

describe("fileOfRead", () => {
  it("a read's last \\n may be zot's; a CRLF file's bare one is", () => {
    assert.deepEqual(fileOfRead("p\nq\n"), { text: "p\nq\n", endKnown: false });
    assert.deepEqual(fileOfRead("a\r\nb\r\n"), { text: "a\r\nb\r\n", endKnown: false });
    assert.deepEqual(fileOfRead("a\r\nb\n"), { text: "a\r\nb", endKnown: true });
    assert.deepEqual(fileOfRead(""), { text: "", endKnown: true });
  });
});
