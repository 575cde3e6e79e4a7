/**
 * Where zot keeps its files, and which directory is "this project": FORMAT.md's
 * path rules, as zot applies them.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { describeSystemError, RuntimeError } from "../base/errors.ts";

/** What the path rules read from the process; injectable for tests. */
export interface PathEnv {
  env: Record<string, string | undefined>;
  /** `process.platform`. */
  platform: string;
  /** The user's home directory, or "" when unknown. */
  userHome: string;
  /** The process working directory (symlinks resolved, as the OS gives it). */
  processCwd: string;
}

/**
 * zot's home directory: `$ZOT_HOME`, else the per-OS default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zotHome } from "./home.ts";
 *
 * const p = { env: {}, platform: "linux", userHome: "/home/me", processCwd: "/" };
 * assert.equal(zotHome(p), "/home/me/.local/state/zot");
 * assert.equal(zotHome({ ...p, env: { ZOT_HOME: "/srv/zot" } }), "/srv/zot");
 * ```
 */
export function zotHome(p: PathEnv): string {
  const env = p.env;
  if (env.ZOT_HOME) return env.ZOT_HOME;
  if (p.platform === "darwin" && p.userHome) {
    return join(p.userHome, "Library", "Application Support", "zot");
  }
  if (p.platform === "win32") {
    if (env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "zot");
  } else {
    if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, "zot");
    if (p.userHome) return join(p.userHome, ".local", "state", "zot");
  }
  return ".zot";
}

/**
 * The per-cwd directory name: lowercase hex of the first 8 bytes of SHA-256
 * over the cwd string exactly as given (no normalisation of any kind).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectKey } from "./home.ts";
 *
 * assert.equal(projectKey("/home/dev/project-a"), "98bce8e9987b1030");
 * ```
 */
export function projectKey(cwd: string): string {
  return createHash("sha256").update(cwd, "utf8").digest("hex").slice(0, 16);
}

/**
 * The cwd as zot would record it: `$PWD` when it is absolute and names the
 * same directory as `.` (Go's `os.Getwd`), else the process cwd; a `--cwd`
 * value is resolved against that and loses a trailing slash. Symlinks are
 * never resolved: the logical path is the project's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentCwd } from "./home.ts";
 *
 * const p = { env: {}, platform: "linux", userHome: "/home/me", processCwd: "/home/me/src" };
 * assert.equal(await currentCwd(p, "../other/"), "/home/me/other");
 * assert.equal(await currentCwd(p), "/home/me/src");
 * ```
 */
export async function currentCwd(p: PathEnv, given?: string): Promise<string> {
  // An absolute --cwd needs nothing of the process (whose cwd may be gone).
  if (given !== undefined && isAbsolute(given)) return withoutTrailingSlash(given);
  let base = p.processCwd;
  const pwd = p.env.PWD;
  if (pwd && isAbsolute(pwd)) {
    try {
      const [a, b] = await Promise.all([stat(pwd), stat(p.processCwd)]);
      if (a.dev === b.dev && a.ino === b.ino) base = pwd;
    } catch {
      // $PWD names nothing: keep the process cwd, as Go does.
    }
  }
  if (given === undefined) return base;
  // path.resolve cleans "." and ".." lexically, without the file system: no
  // symlink is resolved, which is what zot's naming asks for.
  return withoutTrailingSlash(resolve(base, given));
}

function withoutTrailingSlash(path: string): string {
  let cwd = path;
  while (cwd.length > 1 && (cwd.endsWith("/") || cwd.endsWith("\\"))) {
    cwd = cwd.slice(0, -1);
  }
  return cwd;
}

/** `<home>/sessions`. */
export function sessionsDir(home: string): string {
  return join(home, "sessions");
}

/**
 * Refuses a home that does not exist or is not a directory (a link to one is
 * fine): a named home that is wrong must say so, not read as "no sessions".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkHome } from "./home.ts";
 * import { tmpdir } from "node:os";
 *
 * await checkHome(tmpdir());
 * await assert.rejects(checkHome("/no/such/home"), /Cannot read zot home "\/no\/such\/home"/);
 * ```
 */
export async function checkHome(home: string): Promise<void> {
  let s;
  try {
    s = await stat(home);
  } catch (err) {
    throw new RuntimeError(`Cannot read zot home "${home}": ${describeSystemError(err)}`);
  }
  if (!s.isDirectory()) {
    throw new RuntimeError(`Cannot read zot home "${home}": not a directory`);
  }
}
