/**
 * What every verb receives: the IO edges plus the global flags, resolved.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { choiceFlag, type OptionSpec, type ParsedFlags } from "./args.ts";
import { UsageError } from "../base/errors.ts";
import { currentCwd, zotHome } from "../sessions/home.ts";
import type { IO } from "../io/io.ts";
import { COLOR_MODES, type ColorMode, type Palette, palette, useColor } from "../render/color.ts";
import { sanitizeForTerminal } from "../render/sanitize.ts";
import type { ByteCounter } from "../format/line_shape.ts";
import type { SessionScope } from "../sessions/scope.ts";
import { cacheDir } from "../index/location.ts";
import { chooseSource } from "../index/open.ts";
import { NO_PAUSE, type Pause, pauseFrom } from "../index/pause.ts";
import { setBeforeOpen } from "../format/open_file.ts";
import type { Progress } from "../base/progress.ts";
import { progressLine } from "./progress.ts";
import { SecretTally } from "../render/secret_sink.ts";
import type { ValueKind } from "./completion_spec.ts";

/** Flags every verb takes. */
export const GLOBAL_OPTIONS: OptionSpec = {
  home: { type: "string", multiple: true },
  cwd: { type: "string" },
  json: { type: "boolean" },
  color: { type: "string" },
  "no-color": { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  "cache-dir": { type: "string" },
  "no-index": { type: "boolean" },
};

/** What the global value flags take, for shell completion. */
export const GLOBAL_VALUES: Record<string, ValueKind> = {
  home: "dir",
  cwd: "dir",
  color: COLOR_MODES,
  "cache-dir": "dir",
};

/** Global flags that take a value (the verb is found by skipping them). */
export const GLOBAL_VALUE_FLAGS = new Set(["--home", "--cwd", "--color", "--cache-dir"]);

/** The help lines of the global flags, shared by every verb's help. */
export const GLOBAL_HELP = `Global options:
  --home DIR     zot's home (default: $ZOT_HOME, else zot's own default)
  --cwd DIR      the project's directory (default: the current one)
  --json         machine-readable output
  --color WHEN   auto (default: on a terminal), always or never
  --no-color     the same as --color never
  -q, --quiet    no warnings on stderr (errors are still printed)
  --no-index     read the session files directly, not through the index
                 (also ZOT_SESSIONS_NO_INDEX=1)
  --cache-dir DIR  where the index lives (default: $ZOT_SESSIONS_CACHE,
                 else the system's cache directory)
  -h, --help     this help
  --version      print the version`;

/** A verb's view of the run. */
export interface Context extends IO {
  /**
   * Where to look: the homes, the project (its getter throws when the
   * current directory is gone), the process cwd, and `source`, where
   * summaries, spend and hits come from (the files, or the index).
   */
  scope: SessionScope;
  json: boolean;
  color: boolean;
  /** `--quiet`: warnings are not printed. */
  quiet: boolean;
  palette: Palette;
  /** Terminal width for stdout, or undefined when it is not a terminal. */
  width?: number;
  /** Writes a one-line warning to stderr, once per run; nothing with `--quiet`. */
  warn(message: string): Promise<void>;
  /** Bytes read from session files in this run (`ZOT_SESSIONS_STATS=1` prints it). */
  stats: ByteCounter;
  /** `--no-index` or `ZOT_SESSIONS_NO_INDEX=1`: the files are read, the index is not used. */
  noIndex: boolean;
  /**
   * Where the index lives (absolute), or null when no cache directory can be
   * named: the `index` verb opens its own handle there.
   */
  cacheDir: string | null;
  /** The index's test seam (`ZOT_SESSIONS_TEST_PAUSE`, see lib/index/pause.ts). */
  pause: Pause;
  /** The progress line of a long scan, on a terminal (see lib/commands/progress.ts). */
  progress: Progress;
  /**
   * The scope flags the user gave (`--home`, `--cache-dir`, `--cwd`), their
   * paths absolute: what a printed command repeats, so that pasted into a
   * fresh shell it looks where this run looked.
   */
  scopeArgs: string[];
  /**
   * The secrets `--redact-secrets` took out in this run, by kind: said once
   * on stderr at its end (lib/cli/run.ts), however many pages were made.
   */
  secrets: SecretTally;
}

/**
 * Builds the context from the IO and the parsed global flags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./args.ts";
 * import { memoryIO } from "../io/memory_io.ts";
 * import { GLOBAL_OPTIONS, makeContext } from "./context.ts";
 *
 * const io = memoryIO({ env: { NO_COLOR: "1" }, userHome: "/home/me", processCwd: "/src/app" });
 * const ctx = await makeContext(io, parseFlags(["--home", "~/zot"], GLOBAL_OPTIONS, false));
 * assert.deepEqual([ctx.scope.homes, ctx.scope.cwd, ctx.color], [["/home/me/zot"], "/src/app", false]);
 * ```
 */
export async function makeContext(io: IO, flags: ParsedFlags): Promise<Context> {
  const v = flags.values;
  // The process cwd is read only when a relative path needs it: it may have
  // been deleted, which only what depends on it should fail on.
  const pathEnv = {
    env: io.env,
    platform: io.platform,
    userHome: io.userHome,
    get processCwd() {
      return io.processCwd;
    },
  };
  const absolute = (p: string) => isAbsolute(p) ? resolve(p) : resolve(io.processCwd, p);
  const homesGiven = (v.home as string[] | undefined) ?? [];
  const homes = await distinctDirectories(
    (homesGiven.length ? homesGiven : [zotHome(pathEnv)])
      .map((h) => absolute(expandTilde(h, io.userHome))),
  );
  const color = useColor({ isTTY: io.stdout.isTTY, env: io.env, mode: colorMode(v) });
  const quiet = v.quiet === true;
  const warned = new Set<string>();
  const columns = io.stdout.isTTY
    ? io.stdout.columns
    : Number(io.env.COLUMNS) > 0
    ? Number(io.env.COLUMNS)
    : undefined;
  let cwd: string | undefined;
  let cwdError: unknown;
  try {
    cwd = await currentCwd(pathEnv, v.cwd as string | undefined);
  } catch (err) {
    cwdError = err; // thrown by the verb that asks for it
  }
  const stats = { bytesRead: 0 };
  // Warnings quote paths and file content: shown harmlessly. The same
  // file can be met twice in a run (a home given twice, a ref looked up
  // in two scopes): one warning is enough.
  const warn = (message: string): Promise<void> => {
    if (quiet || warned.has(message)) return Promise.resolve();
    warned.add(message);
    return io.stderr.write(`zot-sessions: warning: ${sanitizeForTerminal(message, true)}\n`);
  };
  const givenCache = v["cache-dir"] as string | undefined;
  const dir = cacheDir(io, givenCache ? expandTilde(givenCache, io.userHome) : undefined);
  const pause = pauseFrom(io.env);
  // The point "open": before a session file (not the config, not a lock) is opened.
  setBeforeOpen(
    pause === NO_PAUSE ? undefined : (path) => {
      if (/\.jsonl(\.gz)?$/.test(path)) pause("open");
    },
  );
  const cache = dir === null ? null : absolute(dir);
  const scopeArgs = homes.flatMap((h) => homesGiven.length ? ["--home", h] : []);
  if (v.cwd !== undefined) scopeArgs.push("--cwd", cwd ?? absolute(v.cwd as string));
  if (givenCache && cache !== null) scopeArgs.push("--cache-dir", cache);
  const noIndex = v["no-index"] === true || io.env.ZOT_SESSIONS_NO_INDEX === "1";
  const source = chooseSource({
    dir: cache,
    noIndex,
    stats,
    warn,
    now: io.now,
    uid: io.uid,
    pause,
  });
  const scope: SessionScope = {
    source,
    homes,
    named: homesGiven.length > 0 || Boolean(io.env.ZOT_HOME),
    get cwd(): string {
      if (cwd === undefined) throw cwdError;
      return cwd;
    },
    get base(): string {
      return io.processCwd;
    },
  };
  const own = {
    stats,
    noIndex,
    cacheDir: cache,
    pause,
    scope,
    progress: progressLine(io),
    scopeArgs,
    secrets: new SecretTally(),
    json: v.json === true,
    color,
    quiet,
    palette: palette(color),
    width: columns,
    warn,
  };
  // `io` as it is: a getter (processCwd) is copied, not read.
  return Object.defineProperties(own, Object.getOwnPropertyDescriptors(io)) as typeof own & IO;
}

/**
 * Paths without repeats: the same text, or the same directory by another
 * name (a trailing slash, a symbolic link, a bind mount), which would list
 * every session twice. The first name given is kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, symlink } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { distinctDirectories } from "./context.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * await symlink(home, home + "-link");
 * assert.deepEqual(await distinctDirectories([home, home + "-link", home + "/"]), [home]);
 * await rm(home + "-link");
 * await rm(home, { recursive: true });
 * ```
 */
export async function distinctDirectories(paths: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const path of paths) {
    const s = await stat(path).catch(() => null);
    // Some file systems give no inode number: fall back to the path.
    const key = s && s.ino ? `${s.dev}:${s.ino}` : `path:${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(path);
  }
  return out;
}

/**
 * `--color WHEN`, with `--no-color` as `--color never`; the two disagreeing
 * is a usage error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { colorMode } from "./context.ts";
 *
 * assert.equal(colorMode({ "no-color": true }), "never");
 * assert.equal(colorMode({}), "auto");
 * assert.throws(() => colorMode({ "no-color": true, color: "always" }), /choose one/);
 * ```
 */
export function colorMode(v: ParsedFlags["values"]): ColorMode {
  const given = typeof v.color === "string" ? choiceFlag("--color", v.color, COLOR_MODES) : null;
  if (v["no-color"] !== true) return given ?? "auto";
  if (given !== null && given !== "never") {
    throw new UsageError(`Cannot use --no-color with --color ${given}: choose one`);
  }
  return "never";
}

/**
 * `~` and `~/x` → the user's home; anything else unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expandTilde } from "./context.ts";
 *
 * assert.equal(expandTilde("~/zot", "/home/me"), "/home/me/zot");
 * assert.equal(expandTilde("~bob/zot", "/home/me"), "~bob/zot");
 * ```
 */
export function expandTilde(path: string, userHome: string): string {
  if (userHome && (path === "~" || path.startsWith("~/"))) return userHome + path.slice(1);
  return path;
}
