/**
 * Where the index lives: the per-OS cache directory, or the one the user
 * named. Pure: the caller creates it.
 *
 * @module
 */
import { join } from "node:path";

/** What the cache location depends on. */
export interface CacheEnv {
  env: Record<string, string | undefined>;
  platform: string;
  userHome: string;
}

/**
 * The cache directory: `--cache-dir`, else `$ZOT_SESSIONS_CACHE`, else
 * `$XDG_CACHE_HOME/zot-sessions` (default `~/.cache/zot-sessions`),
 * `~/Library/Caches/zot-sessions` on macOS, `%LOCALAPPDATA%\zot-sessions\cache`
 * on Windows. Null when none can be named (no home, no variables).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheDir } from "./location.ts";
 * const env = { env: {}, platform: "linux", userHome: "/home/me" };
 * assert.equal(cacheDir(env), "/home/me/.cache/zot-sessions");
 * assert.equal(cacheDir({ ...env, env: { XDG_CACHE_HOME: "/c" } }), "/c/zot-sessions");
 * ```
 */
export function cacheDir(p: CacheEnv, given?: string): string | null {
  if (given) return given;
  if (p.env.ZOT_SESSIONS_CACHE) return p.env.ZOT_SESSIONS_CACHE;
  if (p.platform === "darwin" && p.userHome) {
    return join(p.userHome, "Library", "Caches", "zot-sessions");
  }
  if (p.platform === "win32") {
    return p.env.LOCALAPPDATA ? join(p.env.LOCALAPPDATA, "zot-sessions", "cache") : null;
  }
  if (p.env.XDG_CACHE_HOME) return join(p.env.XDG_CACHE_HOME, "zot-sessions");
  return p.userHome ? join(p.userHome, ".cache", "zot-sessions") : null;
}

/** The database's file name in the cache directory. */
export const INDEX_FILE = "index.sqlite";
