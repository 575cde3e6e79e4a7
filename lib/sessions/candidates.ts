/**
 * Session references for shell completion: short ids with a title, fast.
 * The catalogue gives the files (newest first, the project's before the
 * others'); a file's name gives its short id, so only the files whose name
 * matches what was typed are opened, and of those only the first line (the
 * meta line, with its title) is read.
 *
 * @module
 */
import { idFromFileName } from "./info.ts";
import { listScope, type SessionScope } from "./scope.ts";

/** A completion candidate: a short id and what to show beside it. */
export interface Candidate {
  /**
   * The first 8 characters of the session id (a reference every verb
   * takes), or the whole id when more than 8 were typed.
   */
  id: string;
  /**
   * The title from the first meta line (a rename later in the file is not
   * read: that would mean reading the file), else the project directory,
   * then the day of the last activity (UTC); one line.
   */
  description: string;
}

/** The most candidates offered: a shell shows no more than a screenful anyway. */
const MAX_CANDIDATES = 200;

/**
 * Candidates whose short id starts with `prefix` (any case): the project's
 * sessions first (where `show <id>` looks first), then every other, newest
 * first, each id once. Only ids a reference can name are offered (hex).
 * Without a current directory (the scope's project cannot be read), every
 * project's sessions still complete.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { sessionCandidates } from "./candidates.ts";
 * import { projectKey } from "./home.ts";
 * import { FileSource } from "./source.ts";
 * const home = await mkdtemp(join(tmpdir(), "zs-"));
 * const dir = join(home, "sessions", projectKey("/p"));
 * await mkdir(dir, { recursive: true });
 * const meta = { id: "0e19291e-0000-4000-8000-000000000000", cwd: "/p", title: "Fix it" };
 * await writeFile(join(dir, "20260922-120509-0e19291e.jsonl"), JSON.stringify({ type: "meta", meta }) + "\n");
 * const scope = { source: new FileSource(), homes: [home], cwd: "/p", base: "/" };
 * const [first] = await sessionCandidates(scope, "0e");
 * assert.equal(first.id, "0e19291e");
 * assert.match(first.description, /^Fix it · /);
 * // No current directory: every project's sessions still complete.
 * const noCwd = (): string => {
 *   throw new Error("no current directory");
 * };
 * const gone = { ...scope, get cwd() { return noCwd(); } };
 * assert.equal((await sessionCandidates(gone, "0e"))[0].id, "0e19291e");
 * await rm(home, { recursive: true });
 * ```
 */
export async function sessionCandidates(
  scope: SessionScope,
  prefix: string,
): Promise<Candidate[]> {
  const want = prefix.toLowerCase();
  let here = true;
  try {
    void scope.cwd;
  } catch {
    here = false; // no current directory: every project's sessions still complete
  }
  const files = [
    ...(here ? await listScope(scope, false) : []),
    ...await listScope(scope, true),
  ];
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const file of files) {
    if (out.length >= MAX_CANDIDATES) break;
    const named = idFromFileName(file.path).toLowerCase();
    // zot names files after the id's first 8 characters: the name decides,
    // unless it is not zot's (then the meta line's id does).
    if (/^[0-9a-f]{8}$/.test(named) && !named.startsWith(want.slice(0, 8))) continue;
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const meta = await scope.source.firstMeta(file.path);
    const full = (meta?.id || named).toLowerCase();
    // Past 8 characters the whole id is offered, so that it still matches.
    const id = want.length > 8 ? full : full.slice(0, 8);
    if (!/^[0-9a-f]{8}[0-9a-f-]*$/.test(id) || !id.startsWith(want) || seen.has(id)) continue;
    seen.add(id);
    const day = new Date(file.mtimeMs).toISOString().slice(0, 10);
    out.push({ id, description: oneLine(`${meta?.title || meta?.cwd || file.dir} · ${day}`) });
  }
  return out;
}

/** Text on one line of at most 60 characters, with no control characters. */
function oneLine(text: string): string {
  // deno-lint-ignore no-control-regex -- control characters are what is removed
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, " ")
    .replace(/\s+/g, " ").trim();
  return flat.length > 60 ? flat.slice(0, 59) + "…" : flat;
}
