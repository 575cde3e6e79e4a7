/**
 * The checks of `changes` against the reference (changes_reference.ts),
 * shared by its end-to-end tests: `--json` of every session of a home, its
 * shell note, and its `--patch` taken by `git apply` on the text each
 * session read, giving the text the reference replays.
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BIN, run } from "./harness.ts";
import { reference, type RefFile, type SessionRef } from "./changes_reference.ts";
import { spawnSync } from "../helpers/spawn.ts";

/** Every session file of a home, with its reference. */
export async function sessionsOf(home: string): Promise<{ path: string; ref: SessionRef }[]> {
  const out: { path: string; ref: SessionRef }[] = [];
  for (const dir of await readdir(join(home, "sessions"))) {
    for (const name of (await readdir(join(home, "sessions", dir))).sort()) {
      const path = join(home, "sessions", dir, name);
      out.push({ path, ref: reference(await readFile(path, "utf8")) });
    }
  }
  return out;
}

/** What `--json` must say of a file. */
export const jsonOf = (f: RefFile) => ({
  path: f.path,
  absolutePath: f.absolutePath,
  created: f.created,
  added: f.added,
  removed: f.removed,
  numbered: f.numbered,
  changes: f.changes,
});

const NOTE =
  /^(\d+) shell commands? may have changed files: zot-sessions (show \S+ --role tool .*)$/;

/** The shell note a run must print (none when the session ran no shell command). */
export function checkNote(text: string, ref: SessionRef, home: string): string | null {
  const m = text.split("\n").map((l) => NOTE.exec(l)).find((x) => x !== null) ?? null;
  if (ref.shellCommands === 0) {
    assert.equal(m, null, text);
    return null;
  }
  assert.ok(m, `no shell note in ${JSON.stringify(text)}`);
  assert.equal(Number(m[1]), ref.shellCommands);
  // A fork's own messages only: its shell commands are those counted.
  const range = ref.forkPoint > 0 ? ` --range ${ref.forkPoint}..` : "";
  assert.equal(m[2], `show ${ref.id.slice(0, 8)} --role tool${range} --home ${home}`);
  return m[2];
}

/** The files of a patch, each with its text, by the `+++` name. */
export function patchFiles(patch: string): Map<string, string> {
  const lines = patch.split(/(?<=\n)/);
  const chunks: string[][] = [];
  const note = (l: string | undefined) => l?.startsWith("# ") === true;
  lines.forEach((l, i) => {
    // A file starts at its first note ("# …" lines, never a hunk's), else at
    // a "---" line right before a "+++" one.
    const header = l.startsWith("--- ") && lines[i + 1]?.startsWith("+++ ");
    if (!note(lines[i - 1]) && (note(l) || header)) chunks.push([]);
    chunks[chunks.length - 1].push(l);
  });
  const files = new Map<string, string>();
  for (const chunk of chunks) {
    const text = chunk.join("");
    // "+++ b/NAME" inside the project, "+++ /NAME" outside it.
    const name = /^\+\+\+ (?:b\/)?(.*)$/m.exec(text)?.[1];
    assert.ok(name, `no +++ line in ${JSON.stringify(text)}`);
    files.set(name, text);
  }
  return files;
}

/** `git apply --check`, then `git apply`, of `patch` in `dir`; the result of each file. */
export function gitApply(dir: string, patchPath: string): { code: number | null; err: string } {
  const r = spawnSync("sh", ["-c", 'git apply --check "$0" && git apply "$0"', patchPath], {
    cwd: dir,
    encoding: "utf8",
  });
  return { code: r.status, err: r.stderr };
}

/** Checks `changes --json` and `--patch` of every session of `home` against the reference. */
export async function checkHome(home: string, env: Record<string, string>): Promise<number> {
  let checked = 0;
  const work = await mkdtemp(join(tmpdir(), "zot-changes-e2e-"));
  try {
    for (const { path, ref } of await sessionsOf(home)) {
      const json = run(BIN, ["changes", path, "--json", "--home", home], env);
      assert.equal(json.code, 0, json.err);
      const lines = json.out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
      assert.deepEqual(lines, ref.files.map(jsonOf), path);
      checkNote(json.err, ref, home);
      if (ref.files.length === 0) continue;
      const patch = run(BIN, ["changes", path, "--patch", "--home", home], env);
      assert.equal(patch.code, 0, patch.err);
      const byName = patchFiles(patch.out);
      const dir = join(work, String(checked++));
      const shown = ref.files.filter((f) => f.added + f.removed > 0);
      for (const f of shown) {
        const text = byName.get(f.projectPath ?? f.absolutePath ?? f.path);
        assert.ok(text, `${path}: no patch of ${f.path}`);
        assert.equal(text.includes("@@ ? @@"), !f.numbered, text);
        assert.equal(text.startsWith("# no line numbers: "), !f.numbered, text);
        assert.equal(
          /^# outside the project directory: /m.test(text),
          f.projectPath === null,
          text,
        );
        const headers = text.replace(/^(# .*\n)+/, ""); // after its notes
        assert.equal(headers.startsWith("--- /dev/null\n"), f.created, text);
        // The file as the session read it (a created one is not there).
        if (f.numbered && f.projectPath !== null && !f.created) {
          await mkdir(dirname(join(dir, f.projectPath)), { recursive: true });
          await writeFile(join(dir, f.projectPath), f.base!);
        }
      }
      // Files without line numbers come last, and stderr says git apply skips them.
      const unnumbered = shown.filter((f) => !f.numbered).length;
      const firstUnnumbered = patch.out.search(/^# no line numbers: /m);
      assert.ok(
        unnumbered === 0 || !/^@@ -/m.test(patch.out.slice(firstUnnumbered)),
        `${path}: a file with line numbers after one without:\n${patch.out}`,
      );
      const warned = /^zot-sessions: warning: (\d+) files? ha(?:s|ve) no line numbers/m.exec(
        patch.err,
      );
      assert.equal(Number(warned?.[1] ?? 0), unnumbered, patch.err);
      // The patch as printed, but files outside the project (git apply run in
      // it takes none of a patch that names one).
      const inside = shown.filter((f) => f.projectPath !== null);
      const applyText = inside.length === shown.length
        ? patch.out
        : inside.map((f) => byName.get(f.projectPath!)).join("");
      if (!inside.some((f) => f.numbered)) continue;
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "session.patch"), applyText);
      const applied = gitApply(dir, "session.patch");
      assert.equal(applied.code, 0, `${path}: ${applied.err}`);
      for (const f of inside.filter((f) => f.numbered)) {
        const now = await readFile(join(dir, f.projectPath!), "utf8");
        assert.equal(now, f.final, `${path}: ${f.path}`);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return checked;
}
