/**
 * The scope flags a user gave (`--all`, `--home`, `--cwd`, `--cache-dir`),
 * as words to paste: a command a hint prints must look where the run
 * looked, from any directory, in a fresh shell.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import { shellQuote } from "../render/shell.ts";

/**
 * The scope flags of this run, shell-quoted, each path absolute: `--all`
 * when `all`, then every home when `--home` was given, `--cwd` and
 * `--cache-dir` when given. Empty when none was (a leading space
 * otherwise, to append to a command).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./args.ts";
 * import { GLOBAL_OPTIONS, makeContext } from "./context.ts";
 * import { memoryIO } from "../io/memory_io.ts";
 * import { scopeFlags } from "./scope_flags.ts";
 *
 * const flags = parseFlags(["--home", "my zot", "--cwd", "/src/app"], GLOBAL_OPTIONS, false);
 * const ctx = await makeContext(memoryIO({ processCwd: "/home/me" }), flags);
 * assert.equal(scopeFlags(ctx, flags, true), " --all --home '/home/me/my zot' --cwd /src/app");
 * assert.equal(scopeFlags(ctx, parseFlags([], GLOBAL_OPTIONS, false), false), "");
 * ```
 */
export function scopeFlags(
  ctx: Pick<Context, "scope" | "cacheDir">,
  flags: ParsedFlags,
  all: boolean,
): string {
  const v = flags.values;
  const words: string[] = [];
  if (all) words.push("--all");
  if (((v.home as string[] | undefined) ?? []).length > 0) {
    for (const home of ctx.scope.homes) words.push("--home", shellQuote(home));
  }
  if (v.cwd !== undefined) words.push("--cwd", shellQuote(ctx.scope.cwd));
  if (v["cache-dir"] !== undefined && ctx.cacheDir !== null) {
    words.push("--cache-dir", shellQuote(ctx.cacheDir));
  }
  return words.map((w) => " " + w).join("");
}
