/**
 * End-to-end tests of `changes` on sessions built here the way zot's tools
 * write them (its read cuts a long file short and ends a last line without
 * one with "\n"; its edit matches CRLF files as LF and without their BOM):
 * each checked against the reference (changes_check.ts) and, where its
 * patch claims line numbers, by `git apply` on the file as it really was.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BIN, run } from "./harness.ts";
import { checkHome, gitApply, patchFiles } from "./changes_check.ts";
import { SAMPLES_NOW } from "../helpers/clock.ts";
import { hasProgram } from "../helpers/spawn.ts";
import { needs } from "../helpers/skips.ts";
import { messageLine, metaLine, withHomes } from "../helpers/fixtures.ts";

const CWD = "/src/app";
const T = "2026-11-01T09:00:00Z";
const ENV = { ZOT_SESSIONS_NOW: SAMPLES_NOW, NO_COLOR: "1" };
const noGit = needs("git", hasProgram("git"));

/** A session's lines: its meta line, a prompt, then one turn a call. */
function session(id: string, calls: [string, Record<string, unknown>, string][], cwd = CWD) {
  const lines = [metaLine({ id, cwd }), messageLine("user", "go", T)];
  calls.forEach(([name, args, result], i) => {
    lines.push(messageLine("assistant", [{ id: `c${i}`, name, arguments: args }], T));
    if (result !== "(none)") {
      const block = { call_id: `c${i}`, content: [{ text: result }], is_error: false };
      lines.push(messageLine("tool", [block], T));
    }
  });
  return { cwd, name: `20261101-090000-${id.slice(0, 8)}.jsonl`, lines, mtimeMs: 0 };
}

/** `changes REF` with these arguments on `home`. */
const changes = (home: string, ...args: string[]) =>
  run(BIN, ["changes", ...args, "--home", home], ENV);

/**
 * `git apply --check`, then `git apply`, of `patch` in a directory holding
 * `files` (path → bytes); the exit code, stderr, and the files after (and
 * those `created`).
 */
async function applyTo(files: Record<string, string>, patch: string, created: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), "zot-changes-apply-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    await writeFile(join(dir, "s.patch"), patch);
    const r = gitApply(dir, "s.patch");
    const after: Record<string, string> = {};
    for (const path of [...Object.keys(files), ...created]) {
      after[path] = await readFile(join(dir, path), "utf8");
    }
    return { ...r, after };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `L${from + i}\n`).join("");

describe("changes on zot's cut reads", { skip: noGit }, () => {
  it("a read zot cut at 2000 lines is not the file: no line numbers, and why", async () => {
    const cut = lines(1, 2000) + "... [truncated at 2000 lines]\n";
    const s = session("0c0700c1-0000-4000-8000-000000000001", [
      ["read", { path: "big.txt" }, cut],
      ["edit", { path: "big.txt", edits: [{ oldText: "L1999\n", newText: "X1999\n" }] }, "ok"],
      ["read", { path: "big2.txt" }, cut],
      ["write", { path: "big2.txt", content: lines(1, 2500).replace("L5\n", "X5\n") }, "ok"],
    ]);
    await withHomes([[s]], async (h) => {
      await checkHome(h.home, ENV);
      const patch = changes(h.home, "0c0700c1", "--patch");
      assert.equal(patch.code, 0, patch.err);
      const why = "# no line numbers: the session's read of the file was cut\n";
      assert.equal(patch.out.split(why).length, 3, patch.out);
      assert.ok(!patch.out.includes("truncated at"), "the marker is no line of the file");
      const json = changes(h.home, "0c0700c1", "--json").out.trim().split("\n").map((l) =>
        JSON.parse(l)
      );
      assert.deepEqual(json.map((f) => [f.path, f.created, f.added, f.removed]), [
        ["big.txt", false, 1, 1],
        ["big2.txt", false, 2500, 0],
      ]);
    });
  });
});

describe("changes on files zot's edit treats apart", { skip: noGit }, () => {
  // The files as they were on disk, and what zot's read gave of them.
  const disk = {
    "crlf.txt": "a\r\nb\r\nc\r\n",
    "bom.txt": "\uFEFFone\ntwo\n",
    "crlf-unended.txt": "a\r\nb",
    "unended.txt": "1\n2\n3\n4\n5\n6\n7\n8\nlast",
    "unended-end.txt": "p\nq",
  };
  const read = (t: string) => t.endsWith("\n") ? t : t + "\n";
  const edit = (path: keyof typeof disk, oldText: string, newText: string) =>
    [
      ["read", { path }, read(disk[path])],
      ["edit", { path, edits: [{ oldText, newText }] }, "ok"],
    ] as [string, Record<string, unknown>, string][];
  const s = session("0c0700c2-0000-4000-8000-000000000002", [
    ...edit("crlf.txt", "a\nb", "A\nB"),
    ...edit("bom.txt", "one", "ONE"),
    ...edit("crlf-unended.txt", "a", "A"),
    ...edit("unended.txt", "2", "two"),
    ...edit("unended-end.txt", "q", "Q"),
  ]);

  it("CRLF, a BOM, a last line without end: patches git apply takes on the real files", async () => {
    await withHomes([[s]], async (h) => {
      await checkHome(h.home, ENV);
      const patch = changes(h.home, "0c0700c2", "--patch");
      assert.equal(patch.code, 0, patch.err);
      const byName = patchFiles(patch.out);
      assert.ok(!patch.out.includes("@@ ? @@"), patch.out);
      const want = {
        "crlf.txt": "A\r\nB\r\nc\r\n",
        "bom.txt": "\uFEFFONE\ntwo\n",
        "crlf-unended.txt": "A\r\nb",
        "unended.txt": "1\ntwo\n3\n4\n5\n6\n7\n8\nlast",
      } as const;
      for (const [path, after] of Object.entries(want)) {
        const file = byName.get(path)!;
        // Small files: the diff reaches the last line, and says its end is a guess.
        const guess = path !== "unended.txt" && path !== "crlf-unended.txt";
        assert.equal(file.startsWith("# assumes the last line ends in a newline: "), guess, file);
        const applied = await applyTo({ [path]: disk[path as keyof typeof disk] }, file);
        assert.equal(applied.code, 0, `${path}: ${applied.err}`);
        assert.equal(applied.after[path], after, path);
      }
      // The diff reaches a last line whose end the read does not show: said so.
      const guessed = byName.get("unended-end.txt")!;
      assert.match(guessed, /^# assumes the last line ends in a newline: /);
      assert.equal((await applyTo({ "unended-end.txt": "p\nq\n" }, guessed)).code, 0);
      assert.notEqual(
        (await applyTo({ "unended-end.txt": disk["unended-end.txt"] }, guessed)).code,
        0,
      );
    });
  });
});

describe("changes on a file whose text is lost", { skip: noGit }, () => {
  it("counts from the last text known, and --json says the counts are not exact", async () => {
    const s = session("0c0700c3-0000-4000-8000-000000000003", [
      ["write", { path: "n.txt", content: "1\n2\n3\n" }, "ok"],
      ["edit", { path: "n.txt", edits: [{ oldText: "2", newText: "two" }] }, "ok"],
      ["edit", { path: "n.txt", edits: [{ oldText: "3", newText: "three" }] }, "(none)"],
      ["write", { path: "w.txt", content: "w\n" }, "ok"],
    ]);
    await withHomes([[s]], async (h) => {
      await checkHome(h.home, ENV);
      const json = changes(h.home, "0c0700c3", "--json").out.trim().split("\n").map((l) =>
        JSON.parse(l)
      );
      assert.deepEqual(json.map((f) => [f.path, f.created, f.added, f.removed, f.numbered]), [
        ["n.txt", true, 3, 0, false],
        ["w.txt", true, 1, 0, true],
      ]);
      const patch = changes(h.home, "0c0700c3", "--patch").out;
      assert.ok(patch.includes("--- /dev/null\n+++ b/n.txt\n@@ ? @@\n+1\n+two\n+3\n"), patch);
    });
  });
});

describe("changes on absolute and roundabout paths", { skip: noGit }, () => {
  it("names a file in the project by its path there (git apply takes it), one outside by its absolute path", async () => {
    const cwd = "/home/dev/proj";
    const s = session("0c0700c4-0000-4000-8000-000000000004", [
      ["read", { path: "/home/dev/proj/src/x.go" }, "package x\n"],
      ["edit", { path: "/home/dev/proj/src/x.go", edits: [{ oldText: "x", newText: "y" }] }, "ok"],
      ["read", { path: "x/../z.txt" }, "z\n"],
      ["edit", { path: "x/../z.txt", edits: [{ oldText: "z", newText: "Z" }] }, "ok"],
      ["read", { path: "../other/o.txt" }, "o\n"],
      ["edit", { path: "../other/o.txt", edits: [{ oldText: "o", newText: "O" }] }, "ok"],
    ], cwd);
    await withHomes([[s]], async (h) => {
      await checkHome(h.home, ENV);
      const patch = changes(h.home, "0c0700c4", "--patch");
      assert.equal(patch.code, 0, patch.err);
      const byName = patchFiles(patch.out);
      assert.deepEqual([...byName.keys()], ["src/x.go", "z.txt", "/home/dev/other/o.txt"]);
      assert.match(byName.get("src/x.go")!, /^(# .*\n)*--- a\/src\/x\.go\n\+\+\+ b\/src\/x\.go\n/);
      assert.match(
        byName.get("/home/dev/other/o.txt")!,
        /^# outside the project directory: .*\n(# .*\n)*--- \/home\/dev\/other\/o\.txt\n/,
      );
      assert.match(
        patch.err,
        /^zot-sessions: warning: 1 file is outside the session's project directory: /m,
      );
      const inside = byName.get("src/x.go")! + byName.get("z.txt")!;
      const applied = await applyTo({ "src/x.go": "package x\n", "z.txt": "z\n" }, inside);
      assert.equal(applied.code, 0, applied.err);
      assert.deepEqual(applied.after, { "src/x.go": "package y\n", "z.txt": "Z\n" });
    });
  });
});

describe("changes --patch with files without line numbers", { skip: noGit }, () => {
  it("lists them last and warns: git apply skips them and still exits 0", async () => {
    const s = session("0c0700c5-0000-4000-8000-000000000005", [
      ["read", { path: "r.txt" }, "a\nb\nc\n"],
      ["edit", { path: "r.txt", edits: [{ oldText: "b", newText: "B" }] }, "ok"],
      ["edit", { path: "u.txt", edits: [{ oldText: "x\n", newText: "y\n" }] }, "ok"],
      ["read", { path: "s.txt" }, "s\n"],
      ["edit", { path: "s.txt", edits: [{ oldText: "s", newText: "S" }] }, "ok"],
    ]);
    await withHomes([[s]], async (h) => {
      await checkHome(h.home, ENV);
      const patch = changes(h.home, "0c0700c5", "--patch");
      assert.equal(patch.code, 0, patch.err);
      assert.deepEqual([...patchFiles(patch.out).keys()], ["r.txt", "s.txt", "u.txt"]);
      assert.match(
        patch.err,
        /^zot-sessions: warning: 1 file has no line numbers \(@@ \? @@\): git apply skips it without a word; it is listed last$/m,
      );
      // What the warning is for: git apply takes the rest, says nothing of u.txt, exits 0.
      const applied = await applyTo(
        { "r.txt": "a\nb\nc\n", "s.txt": "s\n", "u.txt": "x\n" },
        patch.out,
      );
      assert.deepEqual([applied.code, applied.err], [0, ""]);
      assert.deepEqual(applied.after, { "r.txt": "a\nB\nc\n", "s.txt": "S\n", "u.txt": "x\n" });
    });
  });
});

describe("changes --patch of texts holding escape sequences", { skip: noGit }, () => {
  const esc = "\x1b]0;PWNED\x07\x1b[2J\u009b2J";
  const s = session("0c0700c6-0000-4000-8000-000000000006", [
    ["write", { path: "evil.txt", content: `line${esc}\n` }, "ok"],
    ["read", { path: "b.txt" }, "one\ntwo\nthree\n"],
    ["edit", { path: "b.txt", edits: [{ oldText: "two", newText: `TWO${esc}` }] }, "ok"],
    ["read", { path: "plain.txt" }, "p\n"],
    ["edit", { path: "plain.txt", edits: [{ oldText: "p", newText: "P" }] }, "ok"],
  ]);

  it("never writes them raw to standard output, a pipe too; -o FILE has the exact bytes", async () => {
    await withHomes([[s]], async (h) => {
      const piped = changes(h.home, "0c0700c6", "--patch");
      assert.equal(piped.code, 0, piped.err);
      // deno-lint-ignore no-control-regex -- control characters are what must not be there
      assert.doesNotMatch(piped.out, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      assert.match(piped.out, /^\+TWO␛\]0;PWNED␇␛\[2J\\u\{9b\}2J$/m);
      const warned = piped.err.split("\n").filter((l) => l.includes("is not byte-exact"));
      assert.deepEqual(warned.map((l) => /the patch of (\S+) is/.exec(l)?.[1]), [
        "evil.txt",
        "b.txt",
      ]);
      const dir = await mkdtemp(join(tmpdir(), "zot-changes-o-"));
      try {
        const out = join(dir, "s.patch");
        const written = changes(h.home, "0c0700c6", "--patch", "-o", out);
        assert.equal(written.code, 0, written.err);
        assert.equal(written.out, "");
        assert.doesNotMatch(written.err, /byte-exact/);
        const exact = await readFile(out, "utf8");
        assert.equal(
          exact.replaceAll(esc, "ESC"),
          piped.out.replaceAll("␛]0;PWNED␇␛[2J\\u{9b}2J", "ESC"),
        );
        const before = { "b.txt": "one\ntwo\nthree\n", "plain.txt": "p\n" };
        const applied = await applyTo(before, exact, ["evil.txt"]);
        assert.equal(applied.code, 0, applied.err);
        assert.deepEqual(applied.after, {
          "b.txt": `one\nTWO${esc}\nthree\n`,
          "plain.txt": "P\n",
          "evil.txt": `line${esc}\n`,
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      const usage = changes(h.home, "0c0700c6", "-o", "x.patch");
      assert.deepEqual([usage.code, usage.err.split(" (see")[0]], [
        2,
        "zot-sessions: Cannot use -o without --patch: it is the patch's",
      ]);
    });
  });
});
