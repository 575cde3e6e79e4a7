/**
 * Tests of lib/transcript/file_diffs.ts: a session's own edits replayed on
 * the text it read, as a diff with line numbers that applies; the cases
 * without one (no read, a read the edit does not fit, an aborted call);
 * created files; a fork's inherited calls as the start of its own. What a
 * patch must give is worked out here with `String.replace`, and the patch
 * is applied by `git apply` (skipped without git).
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileChange, FileChangesState } from "../../lib/transcript/file_changes.ts";
import { emptyFileChanges } from "../../lib/transcript/file_changes.ts";
import { fileDiffs, UNNUMBERED } from "../../lib/transcript/file_diffs.ts";
import { patchText } from "../../lib/render/patch.ts";
import { palette } from "../../lib/render/color.ts";
import { lineCounts } from "../e2e/changes_reference.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";
import { needs } from "../helpers/skips.ts";

/** A change with defaults: an own successful edit of a.txt at message 1. */
function change(o: Partial<FileChange>): FileChange {
  return {
    path: "a.txt",
    index: 1,
    tool: "edit",
    ok: true,
    aborted: false,
    time: "",
    inherited: false,
    edits: [],
    content: null,
    before: null,
    ...o,
  };
}

function state(changes: FileChange[], cwd = "/src/app"): FileChangesState {
  return { ...emptyFileChanges(), cwd, changes };
}

const plain = { absolute: false, exact: true, palette: palette(false) };
const noGit = needs("git", hasProgram("git"));

/** What `git apply` of `patch` makes of a.txt holding `base`; null when it refuses. */
function gitApplied(base: string, patch: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), "zot-diffs-"));
  try {
    writeFileSync(join(dir, "a.txt"), base);
    writeFileSync(join(dir, "p.patch"), patch);
    const r = spawnSync("git", ["apply", "p.patch"], { cwd: dir, encoding: "utf8" });
    return r.status === 0 ? readFileSync(join(dir, "a.txt"), "utf8") : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A generated string without control characters (git takes a NUL for binary). */
// deno-lint-ignore no-control-regex -- control characters are what is removed
const printable = (s: string) => s.replace(/[\x00-\x1f\x7f]/g, "");

describe("fileDiffs", () => {
  it(
    "edits replayed on the text read: a patch git apply takes, giving the text edited (property)",
    {
      skip: noGit,
    },
    () => {
      // Lines, unique by their number, so that each chosen old text is found once.
      const file = fc.array(fc.string({ unit: "grapheme-ascii", maxLength: 8 }), { maxLength: 30 })
        .map((ls) => ls.map((l, i) => `${i}:${printable(l)}`));
      const scenario = file.chain((lines) =>
        fc.tuple(
          fc.constant(lines),
          fc.array(
            fc.tuple(
              fc.nat(),
              fc.nat({ max: 3 }),
              fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
            ),
            { maxLength: 4 },
          ),
          fc.boolean(),
        )
      );
      fc.assert(
        fc.property(scenario, ([lines, picks, finalNewline]) => {
          const base = lines.join("\n") + (finalNewline && lines.length ? "\n" : "");
          let text = base;
          const changes: FileChange[] = [];
          picks.forEach(([at, count, add], n) => {
            // Replace whole lines [at, at+count] of the current text with new ones.
            const now = text.split("\n");
            if (now.length === 0 || lines.length === 0) return;
            const from = at % now.length;
            const oldText = now.slice(from, from + count + 1).join("\n");
            if (oldText === "" || text.indexOf(oldText) !== text.lastIndexOf(oldText)) return;
            const newText = add.map((a) => `new${n}:${printable(a)}`).join("\n");
            text = text.replace(oldText, () => newText);
            const edits = [{ oldText, newText }];
            changes.push(change({ index: 2 + n, edits, before: { index: 0, text: base } }));
          });
          if (changes.length === 0) return;
          const [d] = fileDiffs(state(changes));
          assert.equal(d.numbered, true);
          assert.deepEqual({ added: d.added, removed: d.removed }, lineCounts(base, text));
          assert.equal(gitApplied(base, patchText([d], plain)), text);
        }),
        { numRuns: 60 },
      );
    },
  );

  it("a write of a file neither read nor changed before is a creation", () => {
    const [d] = fileDiffs(state([change({ tool: "write", content: "one\ntwo\n" })]));
    assert.deepEqual([d.created, d.added, d.removed, d.numbered], [true, 2, 0, true]);
    assert.match(patchText([d], plain), /^--- \/dev\/null\n\+\+\+ b\/a\.txt\n@@ -0,0 \+1,2 @@\n/);
  });

  it("a write of a file read first is a whole-file change", { skip: noGit }, () => {
    const before = { index: 0, text: "one\ntwo\n" };
    const [d] = fileDiffs(state([change({ tool: "write", content: "one\n2\n", before })]));
    assert.deepEqual([d.created, d.added, d.removed, d.numbered], [false, 1, 1, true]);
    assert.equal(gitApplied(before.text, patchText([d], plain)), "one\n2\n");
  });

  it("without a read, hunks have no line numbers, one a replacement", () => {
    const edits = [{ oldText: "a\nb", newText: "a\nc" }, { oldText: "x", newText: "y" }];
    const [d] = fileDiffs(state([change({ edits })]));
    assert.deepEqual([d.numbered, d.unnumbered, d.added, d.removed], [
      false,
      UNNUMBERED.notRead,
      2,
      2,
    ]);
    assert.equal(
      patchText([d], plain),
      `# no line numbers: ${UNNUMBERED.notRead}\n--- a/a.txt\n+++ b/a.txt\n` +
        "@@ ? @@\n a\n-b\n+c\n@@ ? @@\n-x\n+y\n",
    );
  });

  it("a read the edit does not fit, or an aborted call, loses the line numbers", () => {
    const before = { index: 0, text: "something else\n" };
    const [miss] = fileDiffs(state([change({ edits: [{ oldText: "x", newText: "y" }], before })]));
    assert.deepEqual([miss.numbered, miss.unnumbered], [false, UNNUMBERED.noMatch]);
    const fits = { edits: [{ oldText: "something", newText: "a thing" }], before };
    const [aborted] = fileDiffs(state([
      change(fits),
      change({ index: 3, ok: false, aborted: true, edits: [{ oldText: "else", newText: "more" }] }),
    ]));
    assert.deepEqual([aborted.numbered, aborted.unnumbered, aborted.added], [
      false,
      UNNUMBERED.noResult,
      1,
    ]);
  });

  it("a read zot cut short gives no line numbers, and a write after it is no creation", () => {
    const before = { index: 0, text: null };
    const [edit] = fileDiffs(
      state([change({ edits: [{ oldText: "L1999", newText: "X" }], before })]),
    );
    assert.deepEqual([edit.numbered, edit.unnumbered], [false, UNNUMBERED.cut]);
    assert.match(
      patchText([edit], plain),
      /^# no line numbers: the session's read of the file was cut\n/,
    );
    const [write] = fileDiffs(state([change({ tool: "write", content: "a\nb\n", before })]));
    assert.deepEqual([write.created, write.numbered, write.unnumbered, write.added], [
      false,
      false,
      UNNUMBERED.cut,
      2,
    ]);
  });

  it("a CRLF file's edit is replayed as zot makes it, CRLF kept", () => {
    const before = { index: 0, text: "a\r\nb\r\nc\r\n" };
    const [d] = fileDiffs(
      state([change({ edits: [{ oldText: "a\nb", newText: "A\nB" }], before })]),
    );
    assert.deepEqual([d.numbered, d.added, d.removed], [true, 2, 2]);
    assert.deepEqual(d.hunks[0].lines, ["-a\r", "-b\r", "+A\r", "+B\r", " c\r"]);
  });

  it("the end of a read's last line is a guess, said so only when the diff reaches it", () => {
    const edit = (text: string, oldText: string) =>
      fileDiffs(
        state([change({ edits: [{ oldText, newText: "X" }], before: { index: 0, text } })]),
      )[0];
    const long = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    assert.deepEqual([edit(long, "9").lastLineGuessed, edit(long, "2").lastLineGuessed], [
      true,
      false,
    ]);
    assert.match(
      patchText([edit(long, "9")], plain),
      /^# assumes the last line ends in a newline: /,
    );
    assert.doesNotMatch(patchText([edit(long, "2")], plain), /^#/);
    // A CRLF file's bare last "\n" is zot's: the file has no line end there.
    const crlf = edit("a\r\nb\n", "b");
    assert.deepEqual([crlf.lastLineGuessed, crlf.hunks[0].lines], [false, [
      " a\r",
      "-b",
      "\\ No newline at end of file",
      "+X",
      "\\ No newline at end of file",
    ]]);
    const [created] = fileDiffs(state([change({ tool: "write", content: "w\n" })]));
    assert.equal(created.lastLineGuessed, false);
  });

  it("a text lost counts from the last one known, and a write makes it known again", () => {
    const [created] = fileDiffs(state([
      change({ tool: "write", content: "1\n2\n3\n" }),
      change({ index: 3, edits: [{ oldText: "2", newText: "two" }] }),
      change({ index: 5, ok: false, aborted: true, edits: [{ oldText: "3", newText: "x" }] }),
    ]));
    assert.deepEqual(
      [created.created, created.numbered, created.unnumbered, created.added, created.removed],
      [true, false, UNNUMBERED.noResult, 3, 0],
    );
    assert.equal(
      patchText([created], plain),
      `# no line numbers: ${UNNUMBERED.noResult}\n--- /dev/null\n+++ b/a.txt\n` +
        "@@ ? @@\n+1\n+two\n+3\n",
    );
    const [unread] = fileDiffs(state([
      change({ edits: [{ oldText: "x", newText: "y" }] }),
      change({ index: 3, tool: "write", content: "a\nb\n" }),
      change({ index: 5, edits: [{ oldText: "a", newText: "A" }] }),
    ]));
    assert.deepEqual([unread.numbered, unread.added, unread.removed], [false, 4, 2]);
    assert.deepEqual(unread.hunks.map((h) => h.lines), [["-x", "+y"], ["+a", "+b"], [
      "-a",
      "+A",
      " b",
    ]]);
  });

  it("failed calls are listed, not counted; a file with only failed calls has no hunks", () => {
    const [d] = fileDiffs(state([change({ ok: false, edits: [{ oldText: "x", newText: "y" }] })]));
    assert.deepEqual([d.added, d.removed, d.hunks, d.calls[0].ok], [0, 0, [], false]);
    assert.equal(patchText([d], plain), "");
  });

  it("a fork starts from what its inherited calls made of the file; they are not listed", () => {
    const diffs = fileDiffs(state([
      change({ index: 1, inherited: true, tool: "write", content: "v1\n" }),
      change({ path: "b.txt", index: 2, inherited: true, tool: "write", content: "b\n" }),
      change({ index: 5, edits: [{ oldText: "v1", newText: "v2" }] }),
    ]));
    assert.deepEqual(diffs.map((d) => [d.path, d.created, d.numbered, d.added, d.removed]), [
      ["a.txt", false, true, 1, 1],
    ]);
    assert.deepEqual(diffs[0].calls, [{ index: 5, tool: "edit", ok: true, aborted: false }]);
  });

  it("a read newer than the last change is the file as it then was", () => {
    const [d] = fileDiffs(state([
      change({ index: 1, inherited: true, tool: "write", content: "old\n" }),
      change({
        index: 5,
        edits: [{ oldText: "new", newText: "newer" }],
        before: { index: 3, text: "new\n" },
      }),
    ]));
    assert.deepEqual([d.numbered, d.hunks[0].lines], [true, ["-new", "+newer"]]);
  });

  it("one file named several ways is one file, listed by its first name", () => {
    const diffs = fileDiffs(state([
      change({ path: "./a.txt", index: 1, tool: "write", content: "1\n" }),
      change({ path: "/src/app/a.txt", index: 3, edits: [{ oldText: "1", newText: "2" }] }),
    ]));
    assert.deepEqual(diffs.map((d) => [d.path, d.absolutePath, d.added, d.calls.length]), [
      ["./a.txt", "/src/app/a.txt", 1, 2],
    ]);
  });
});
