/**
 * Session references as users type them: a uuid, a 4+ character hex prefix,
 * a path, `latest` or `latest~N`. Shared by every verb that picks one session.
 *
 * @module
 */
import { constants } from "node:fs";
import { access, lstat, realpath, stat } from "node:fs/promises";
import { openRegularFile } from "../format/open_file.ts";
import { validate as isUuid } from "uuid";
import { mtimeMsOf, type SessionFile } from "./catalog.ts";
import {
  describeSystemError,
  NoSessionHere,
  PathError,
  RuntimeError,
  UsageError,
} from "../base/errors.ts";
import type { SessionSource } from "./source.ts";
import { listScope, type SessionScope, sessionsElsewhere } from "./scope.ts";
import { idFromFileName, sessionId } from "./info.ts";
import { basename, dirname, isAbsolute, resolve } from "node:path";

/** The names a session file goes by: zot's own, gc's archives, exports. */
const SESSION_NAME = /\.(jsonl|zotsession)(\.gz)?$/;

/** What a reference is, before any file is looked at. Pure. */
export type ParsedRef =
  | { kind: "latest"; n: number }
  | { kind: "path"; path: string }
  | { kind: "id"; prefix: string; full: boolean };

/**
 * Reads a reference's form. Paths are anything with a `/` or a session file
 * extension; ids are hex (dashes allowed), at least 4 characters, or a valid
 * uuid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRef } from "./refs.ts";
 *
 * assert.deepEqual(parseRef("latest~2"), { kind: "latest", n: 2 });
 * assert.deepEqual(parseRef("0E19"), { kind: "id", prefix: "0e19", full: false });
 * assert.deepEqual(parseRef("./x.jsonl"), { kind: "path", path: "./x.jsonl" });
 * ```
 */
export function parseRef(text: string): ParsedRef {
  const latest = /^latest(?:~(\d+))?$/.exec(text);
  if (latest) return { kind: "latest", n: Number(latest[1] ?? 0) };
  if (text.includes("/") || SESSION_NAME.test(text)) {
    return { kind: "path", path: text };
  }
  const lower = text.toLowerCase();
  if (isUuid(lower)) return { kind: "id", prefix: lower, full: true };
  if (/^[0-9a-f][0-9a-f-]{3,}$/.test(lower) && lower.replaceAll("-", "").length >= 4) {
    return { kind: "id", prefix: lower, full: false };
  }
  throw new UsageError(
    `Cannot use session "${text}": expected a session id, an id prefix of 4+ hex characters, a path, or latest~N`,
  );
}

/** Where references are looked up: the scope, and how far. */
export interface RefScope extends SessionScope {
  /** `latest` counts among every project, not only the current one. */
  all: boolean;
  /**
   * A path that is a symbolic link names the file it leads to (verbs that
   * only read). Without it the path is kept as given, and a link is later
   * refused (gc touches no link; readers open no link).
   */
  followLink?: boolean;
}

/**
 * A verb's scope for references, reading the project and the process cwd
 * only when a reference needs them: a deleted current directory fails
 * `show latest`, not `show /abs/x.jsonl` or `show <id> --cwd /p`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refScope } from "./refs.ts";
 * import { FileSource } from "./source.ts";
 *
 * const scope = { homes: ["/h"], cwd: "/src/app", base: "/home/me", source: new FileSource() };
 * const refs = refScope(scope, false);
 * assert.deepEqual([refs.homes, refs.cwd, refs.base, refs.all], [["/h"], "/src/app", "/home/me", false]);
 * ```
 */
export function refScope(scope: SessionScope, all: boolean, followLink = false): RefScope {
  return {
    source: scope.source,
    homes: scope.homes,
    all,
    followLink,
    get cwd() {
      return scope.cwd;
    },
    get base() {
      return scope.base;
    },
  };
}

/**
 * Finds the session file a reference names. Ids and prefixes are looked up
 * in the current project first, then in every project of every home. An
 * ambiguous prefix is a usage error listing the candidates; no match is a
 * runtime error saying where it looked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { projectKey } from "./home.ts";
 * import { resolveRef } from "./refs.ts";
 * import { FileSource } from "./source.ts";
 *
 * // A tiny zot home with one session of the project /src/app.
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const dir = join(home, "sessions", projectKey("/src/app"));
 * await mkdir(dir, { recursive: true });
 * await writeFile(join(dir, "20260922-120509-0e19291e.jsonl"), "");
 * const scope = { source: new FileSource(), homes: [home], cwd: "/src/app", all: false, base: "/" };
 * const file = await resolveRef("0e19", scope);
 * assert.equal(file.path, join(dir, "20260922-120509-0e19291e.jsonl"));
 * await assert.rejects(resolveRef("latest~1", scope), /Cannot find session "latest~1"/);
 * await rm(home, { recursive: true });
 * ```
 */
export async function resolveRef(text: string, scope: RefScope): Promise<SessionFile> {
  const ref = parseRef(text);
  if (ref.kind === "path") {
    const abs = isAbsolute(ref.path) ? resolve(ref.path) : resolve(scope.base, ref.path);
    return await fileAt(abs, ref.path, scope.followLink === true);
  }
  if (ref.kind === "latest") {
    const files = await listScope(scope, scope.all);
    if (ref.n < files.length) return await readable(files[ref.n]);
    const elsewhere = scope.all ? 0 : await sessionsElsewhere(scope);
    throw new NoSessionHere(
      `Cannot find session "${text}": ${files.length} session${files.length === 1 ? "" : "s"} ${
        scope.all ? "under the home" : `for "${scope.cwd}"`
      }`,
      elsewhere,
    );
  }
  for (const everywhere of [false, true]) {
    const matches = await matching(await listScope(scope, everywhere), ref.prefix, scope.source);
    if (matches.length === 1) return await readable(matches[0]);
    if (matches.length > 1) throw await ambiguity(text, matches, scope.source);
  }
  throw new RuntimeError(
    `Cannot find session "${text}": no session id starts with it in ${
      scope.homes.map((h) => `"${h}"`).join(", ")
    }`,
  );
}

/**
 * Files whose id starts with `prefix`. The file name holds the id's first 8
 * characters, which settles most lookups without reading; a longer prefix is
 * checked against the first meta line's full id, and when no name matches,
 * every file's first meta line is read (a file named after another id).
 */
async function matching(
  files: SessionFile[],
  prefix: string,
  source: SessionSource,
): Promise<SessionFile[]> {
  const short = prefix.slice(0, 8);
  const named = files.filter((f) => idFromFileName(f.path).toLowerCase().startsWith(short));
  if (prefix.length <= 8 && named.length > 0) return named;
  const out: SessionFile[] = [];
  for (const f of named.length > 0 ? named : files) {
    const id = (await source.firstMeta(f.path))?.id ?? "";
    if (id.toLowerCase().startsWith(prefix)) out.push(f);
  }
  return out;
}

/**
 * The usage error for a reference several files match, listing them. Files
 * that hold the same session id (a copy of a file) cannot be told apart by
 * more of the id: they are listed by path, and the hint says to name one by
 * its path.
 */
async function ambiguity(
  text: string,
  files: SessionFile[],
  source: SessionSource,
): Promise<UsageError> {
  const shown = await Promise.all(
    files.slice(0, 10).map(async (f) => {
      const s = (await source.scan(f).catch(() => null))?.summary;
      const prompt = (s?.title ?? s?.firstPrompt ?? "").replace(/\s+/g, " ").slice(0, 60);
      const id = sessionId(f.path, s?.firstMeta ?? null);
      return { id, cwd: s?.meta?.cwd ?? f.dir, prompt, path: f.path };
    }),
  );
  const ids = new Set(shown.map((c) => c.id.toLowerCase()));
  const more = files.length > 10 ? `\n  … and ${files.length - 10} more` : "";
  if (ids.size === 1 && files.length <= 10) {
    const lines = shown.map((c) => `  ${c.path}  ${c.cwd}  ${c.prompt}`);
    return new UsageError(
      `Cannot pick session "${text}": ${files.length} files hold session ${shown[0].id}\n${
        lines.join("\n")
      }`,
      "name the file by its path to pick one",
    );
  }
  if (ids.size < shown.length) {
    const lines = shown.map((c) => `  ${c.id}  ${c.path}  ${c.prompt}`);
    return new UsageError(
      `Cannot pick session "${text}": ${files.length} sessions match\n${lines.join("\n")}${more}`,
      "give more of the id, or name the file by its path, to pick one",
    );
  }
  const lines = shown.map((c) => `  ${c.id}  ${c.cwd}  ${c.prompt}`);
  return new UsageError(
    `Cannot pick session "${text}": ${files.length} sessions match\n${lines.join("\n")}${more}`,
    "give more of the id to pick one",
  );
}

/**
 * The file found for an id or `latest`, once it is known to be readable: a
 * refusal names the file (the system error alone would not).
 */
async function readable(file: SessionFile): Promise<SessionFile> {
  try {
    await access(file.path, constants.R_OK);
  } catch (err) {
    throw new PathError("read", file.path, describeSystemError(err));
  }
  return file;
}

/** How much of a file's start is read to see a zot meta line there. */
const META_PEEK_BYTES = 256;

/**
 * Whether a file starts like a zot session: a meta line first
 * (`{"type":"meta"`), as zot writes every session and export. Only the first
 * bytes are read, whatever the file, and never from anything but a regular
 * file (a FIFO would block).
 */
async function startsWithMeta(path: string): Promise<boolean> {
  const { handle } = await openRegularFile(path);
  try {
    const head = new Uint8Array(META_PEEK_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = new TextDecoder().decode(head.subarray(0, bytesRead));
    // Spaces are allowed around the tokens, not lines before it.
    return /^\uFEFF?[ \t]*\{[ \t]*"type"[ \t]*:[ \t]*"meta"[ \t]*[,}]/.test(text);
  } finally {
    await handle.close();
  }
}

/**
 * The file a path reference names. It must be a regular file, and a session
 * by its name (`.jsonl`, `.jsonl.gz`, `.zotsession`) or by its first line (a
 * zot meta line): any other file is refused, so `show /etc/shadow --raw`
 * prints nothing.
 */
async function fileAt(abs: string, path: string, followLink: boolean): Promise<SessionFile> {
  try {
    // A link is resolved here, once: the file it leads to is then read like
    // any other, never through a link (a swap after this is refused).
    if (followLink && (await lstat(abs)).isSymbolicLink()) abs = await realpath(abs);
    const s = await stat(abs);
    if (!s.isFile()) throw new RuntimeError(`Cannot read session "${path}": not a file`);
    await access(abs, constants.R_OK);
    if (!SESSION_NAME.test(abs) && !await startsWithMeta(abs)) {
      throw new RuntimeError(
        `Cannot read session "${path}": not a zot session file (expected a .jsonl, .jsonl.gz or .zotsession name, or a zot meta line first)`,
      );
    }
    return {
      path: abs,
      dir: basename(dirname(abs)),
      bytes: s.size,
      mtimeMs: mtimeMsOf(s),
    };
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    throw new RuntimeError(`Cannot read session "${path}": ${describeSystemError(err)}`);
  }
}
