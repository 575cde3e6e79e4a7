/**
 * `gc`'s settings: its flags merged over the config file and checked
 * against each other (no policy is an error, a zero limit is refused, named
 * sessions replace the policies). Not a verb: lib/commands/gc.ts reads them.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { intFlag, type ParsedFlags } from "./args.ts";
import { type Context, expandTilde } from "./context.ts";
import { type GcConfig } from "../gc/config.ts";
import { currentCwd } from "../sessions/home.ts";
import { UsageError } from "../base/errors.ts";
import { type GcPolicy } from "../gc/plan.ts";
import { parseSize } from "../base/size.ts";
import { durationFlag } from "../base/duration.ts";

/** `gc`'s settings, from flags over the config file. */
export interface GcOptions {
  policy: GcPolicy;
  project: string | null;
  /** Sessions named on the command line (then no policy selects). */
  refs: string[];
  yes: boolean;
  quiet: boolean;
  archive: { dir: string; compress: boolean } | null;
}

/**
 * A path as given, resolved against the current directory only when it is
 * relative: an absolute one still works from a deleted directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromHere } from "./gc_options.ts";
 *
 * assert.equal(fromHere({ processCwd: "/src" }, "a/b"), "/src/a/b");
 * assert.equal(fromHere({ processCwd: "/src" }, "/x"), "/x");
 * ```
 */
export function fromHere(ctx: Pick<Context, "processCwd">, path: string): string {
  return isAbsolute(path) ? path : resolve(ctx.processCwd, path);
}

/**
 * The project gc is limited to: `--project` or `--cwd` (the same resolution),
 * or null for every project under the home. Both naming different projects
 * is a usage error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./args.ts";
 * import { GLOBAL_OPTIONS, makeContext } from "./context.ts";
 * import { gcProject } from "./gc_options.ts";
 * import { memoryIO } from "../io/memory_io.ts";
 *
 * const flags = parseFlags(["--cwd", "/src/app"], GLOBAL_OPTIONS, false);
 * const ctx = await makeContext(memoryIO(), flags);
 * assert.equal(await gcProject(ctx, flags, null), "/src/app");
 * await assert.rejects(gcProject(ctx, flags, "/src/other"), /they name different projects/);
 * ```
 */
export async function gcProject(
  ctx: Context,
  flags: ParsedFlags,
  project: string | null,
): Promise<string | null> {
  const cwdGiven = flags.values.cwd !== undefined;
  if (project === null) return cwdGiven ? ctx.scope.cwd : null;
  const cwd = await currentCwd(ctx, project);
  if (cwdGiven && cwd !== ctx.scope.cwd) {
    throw new UsageError(
      `Cannot clean up project "${cwd}" with --cwd "${ctx.scope.cwd}": they name different projects`,
    );
  }
  return cwd;
}

/** The flags that choose sessions by a rule, as opposed to by name. */
const POLICY_FLAGS = ["all-sessions", "empty", "orphaned", "older-than", "keep-last", "max-size"];

/** What to say instead of a zero that would quietly select every session. */
const EVERY_SESSION_HINT =
  "to clean up every session (of the home, or of --project), say so with --all-sessions";

/**
 * Flags over config. No policy at all (neither flag nor config) is a usage
 * error: gc never guesses what to remove. Sessions named on the command line
 * replace the policies: a policy flag beside them is a usage error, and the
 * config's policies do not apply (its grace, archive and orphan settings do).
 * A zero limit (`--older-than 0`, `--keep-last 0`, `--max-size 0`) would
 * select every session without saying so: it is a usage error pointing to
 * `--all-sessions`, which says it. An empty `--archive` is one too (it
 * would archive into the current directory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gcOptions } from "./gc_options.ts";
 *
 * const ctx = { userHome: "/home/me", processCwd: "/", now: Date.parse("2026-11-25T12:00:00Z") };
 * const o = gcOptions({ values: { "older-than": "90d" }, positionals: [] }, {}, ctx);
 * assert.equal(o.policy.olderThanMs, 90 * 86_400_000);
 * // gc never guesses what to remove.
 * assert.throws(() => gcOptions({ values: {}, positionals: [] }, {}, ctx), /without a policy/);
 * ```
 */
export function gcOptions(
  flags: ParsedFlags,
  config: GcConfig,
  ctx: Pick<Context, "userHome" | "processCwd" | "now">,
): GcOptions {
  const v = flags.values;
  const text = (name: string) => v[name] as string | undefined;
  const refs = flags.positionals;
  if (refs.length > 0) {
    const flag = POLICY_FLAGS.find((f) => v[f] !== undefined);
    if (flag !== undefined) {
      throw new UsageError(
        `Cannot clean up "${refs[0]}" with --${flag}: name sessions or give policies, not both`,
      );
    }
    const { empty: _e, olderThan: _o, keepLast: _k, maxSize: _m, ...rest } = config;
    config = rest;
  }
  const olderThan = text("older-than") ?? config.olderThan;
  const keepLast = text("keep-last") !== undefined
    ? intFlag("--keep-last", text("keep-last")!, 0)
    : config.keepLast ?? null;
  if (keepLast !== null && keepLast < 0) {
    throw new UsageError(`Cannot keep the last ${keepLast} sessions`);
  }
  const maxSize = text("max-size") ?? config.maxSize;
  const policy: GcPolicy = {
    all: v["all-sessions"] === true,
    empty: v.empty === true || config.empty === true,
    // A flag only, never from the config: a cron run while a disk is not
    // mounted would find every project on it gone.
    orphaned: v.orphaned === true,
    // Durations in the local zone: "3mo" is three calendar months back.
    olderThanMs: olderThan === undefined ? null : durationFlag("--older-than", olderThan, ctx.now),
    keepLast,
    maxSize: maxSize === undefined ? null : parseSize("--max-size", maxSize),
    graceMs: durationFlag("--grace", text("grace") ?? config.grace ?? "1h", ctx.now),
    allowOrphans: v["allow-orphans"] === true || config.allowOrphans === true,
  };
  // Where a zero came from, as the user wrote it.
  const given = (flag: string, key: keyof GcConfig) =>
    text(flag) !== undefined
      ? `--${flag} "${text(flag)}"`
      : `"${key}": ${JSON.stringify(config[key])} (in the config)`;
  if (policy.olderThanMs === 0) {
    throw new UsageError(
      `Cannot use ${
        given("older-than", "olderThan")
      }: every session is older than 0, so it selects them all`,
      EVERY_SESSION_HINT,
    );
  }
  if (policy.keepLast === 0) {
    throw new UsageError(
      `Cannot use ${given("keep-last", "keepLast")}: keeping none selects every session`,
      EVERY_SESSION_HINT,
    );
  }
  if (policy.maxSize === 0) {
    throw new UsageError(
      `Cannot use ${
        given("max-size", "maxSize")
      }: no session fits in 0 bytes, so it selects them all`,
      EVERY_SESSION_HINT,
    );
  }
  if (
    refs.length === 0 && !policy.all && !policy.empty && !policy.orphaned &&
    policy.olderThanMs === null &&
    policy.keepLast === null && policy.maxSize === null
  ) {
    throw new UsageError(
      "Cannot clean up without a policy: give --empty, --orphaned, --older-than, --keep-last or --max-size (or set them in zot-sessions.jsonc)",
    );
  }
  const archiveDir = text("archive") ?? config.archive;
  if (archiveDir === "") {
    throw new UsageError(
      `Cannot archive to "": an empty name is no directory (give "." to mean the current one)`,
    );
  }
  const compress = v.compress === true || config.compress === true;
  if (compress && archiveDir === undefined) {
    throw new UsageError("Cannot use --compress without --archive DIR");
  }
  return {
    policy,
    project: text("project") ?? null,
    refs,
    yes: v.yes === true,
    quiet: v.quiet === true,
    archive: archiveDir === undefined
      ? null
      : { dir: fromHere(ctx, expandTilde(archiveDir, ctx.userHome)), compress },
  };
}
