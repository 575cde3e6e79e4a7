/**
 * The two kinds of failure the CLI knows. Everything below `commands/` throws
 * one of these (or lets a system error through); `cli.ts` alone turns them into
 * a message and an exit code.
 *
 * Messages follow one grammar: `Cannot <do what> "<value>": <detail>`, no
 * final period.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./errors.ts";
 *
 * const err = new UsageError('Cannot parse --limit "x": expected a whole number');
 * assert.equal(err.name, "UsageError");
 * ```
 */
export class UsageError extends Error {
  override name = "UsageError";
  /**
   * What to do about it, printed on a line of its own after the message
   * (which may list candidates on further lines).
   */
  readonly hint?: string;

  constructor(message: string, hint?: string) {
    super(message);
    if (hint !== undefined) this.hint = hint;
  }
}

/**
 * A runtime failure the user can act on (a missing file, a bad session
 * reference). Exit code 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RuntimeError } from "./errors.ts";
 *
 * const err = new RuntimeError('Cannot read "/tmp/x.jsonl": permission denied');
 * assert.ok(err instanceof Error);
 * ```
 */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/**
 * No session matched in the project, where other projects hold some: the
 * CLI adds a hint to try again with `--all` (the command, pasteable). Exit
 * code 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NoSessionHere, RuntimeError } from "./errors.ts";
 *
 * const err = new NoSessionHere('Cannot find session "latest": 0 sessions for "/p"', 3);
 * assert.ok(err instanceof RuntimeError);
 * assert.equal(err.elsewhere, 3);
 * ```
 */
export class NoSessionHere extends RuntimeError {
  override name = "NoSessionHere";
  /** How many sessions the other projects of the homes hold. */
  readonly elsewhere: number;

  constructor(message: string, elsewhere: number) {
    super(message);
    this.elsewhere = elsewhere;
  }
}

/**
 * A failure about one file or directory, carrying the path apart from the
 * detail: a caller that names the path itself (`Cannot read "P": …; skipped
 * it`) takes {@linkcode describeSystemError} of it and gets the detail alone,
 * so no message says the path twice. Exit code 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PathError } from "./errors.ts";
 *
 * const err = new PathError("read", "/tmp/x.jsonl.gz", "not a valid gzip file");
 * assert.equal(err.message, 'Cannot read "/tmp/x.jsonl.gz": not a valid gzip file');
 * assert.equal(err.detail, "not a valid gzip file");
 * ```
 */
export class PathError extends RuntimeError {
  override name = "PathError";
  /** The file or directory the failure is about. */
  readonly path: string;
  /** What went wrong, without the path. */
  readonly detail: string;

  constructor(action: string, path: string, detail: string) {
    super(`Cannot ${action} "${path}": ${detail}`);
    this.path = path;
    this.detail = detail;
  }
}

/**
 * The words for every errno code a file operation can meet, as `strerror`
 * says them (lowercase, no period), so no raw `ENOENT` reaches a user.
 */
const ERRNO_WORDS: Record<string, string> = {
  E2BIG: "argument list too long",
  EACCES: "permission denied",
  EADDRINUSE: "address already in use",
  EAGAIN: "resource temporarily unavailable",
  EBADF: "bad file descriptor",
  EBUSY: "device or resource busy",
  ECANCELED: "operation canceled",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by peer",
  EDQUOT: "disk quota exceeded",
  EEXIST: "already exists",
  EFAULT: "bad address",
  EFBIG: "file too large",
  EINTR: "interrupted",
  EINVAL: "invalid argument",
  EIO: "input/output error",
  EISDIR: "is a directory",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  EMLINK: "too many links",
  ENAMETOOLONG: "name too long",
  ENFILE: "too many open files in the system",
  ENODEV: "no such device",
  ENOENT: "no such file or directory",
  ENOMEM: "out of memory",
  ENOSPC: "no space left on device",
  ENOSYS: "function not implemented",
  ENOTDIR: "not a directory",
  ENOTEMPTY: "directory not empty",
  ENOTSUP: "operation not supported",
  ENXIO: "no such device or address",
  EOPNOTSUPP: "operation not supported",
  EOVERFLOW: "value too large",
  // Linux says "operation not permitted"; to a user it is the same refusal.
  EPERM: "permission denied",
  EPIPE: "broken pipe",
  EROFS: "read-only file system",
  ESPIPE: "illegal seek",
  ESTALE: "stale file handle",
  ETIMEDOUT: "timed out",
  ETXTBSY: "text file busy",
  EXDEV: "on another file system",
};

/**
 * Turns an error into the short detail of a message: words for a system
 * error's code (ENOENT, EACCES, …; never the code itself), the detail alone
 * of a {@linkcode PathError}, else the error's own message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeSystemError } from "./errors.ts";
 * import { readFile } from "node:fs/promises";
 *
 * const err = await readFile("/no/such/file").catch((e) => e);
 * assert.equal(describeSystemError(err), "no such file or directory");
 * ```
 */
export function describeSystemError(err: unknown): string {
  if (err instanceof PathError) return err.detail;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string" && Object.hasOwn(ERRNO_WORDS, code)) return ERRNO_WORDS[code];
  const message = err instanceof Error ? err.message : String(err);
  // An errno code not in the table: the runtimes word the message
  // "ECODE: words, syscall 'path'"; keep the words.
  if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code)) {
    const words = /^E[A-Z0-9]+: ([^,]+)/.exec(message)?.[1];
    return words ? words.toLowerCase() : `system error ${code.toLowerCase()}`;
  }
  return message;
}

/** What a system call was doing, as the verb of a message. */
const SYSCALL_ACTIONS: Record<string, string> = {
  access: "read",
  fstat: "read",
  lstat: "read",
  open: "open",
  opendir: "read",
  read: "read",
  readdir: "read",
  readlink: "read",
  realpath: "read",
  scandir: "read",
  stat: "read",
  statfs: "read",
  copyfile: "copy",
  link: "link",
  symlink: "link",
  mkdir: "create",
  mkdtemp: "create",
  rename: "move",
  rm: "remove",
  rmdir: "remove",
  unlink: "remove",
  chmod: "change",
  fchmod: "change",
  utime: "change",
  futime: "change",
  fsync: "write",
  fdatasync: "write",
  ftruncate: "write",
  write: "write",
};

/**
 * The whole message for a system error that escaped every caller: `Cannot
 * <action> "<path>": <detail>` when the error knows its path (Node, Deno and
 * Bun set `path` and `syscall`), else null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { systemErrorMessage } from "./errors.ts";
 * import { readFile } from "node:fs/promises";
 *
 * const err = await readFile("/no/such/file").catch((e) => e);
 * assert.equal(systemErrorMessage(err), 'Cannot open "/no/such/file": no such file or directory');
 * ```
 */
export function systemErrorMessage(err: unknown): string | null {
  if (err instanceof RuntimeError || err instanceof UsageError) return err.message;
  const e = err as { path?: unknown; syscall?: unknown; code?: unknown } | null;
  if (typeof e?.path !== "string" || typeof e.code !== "string") return null;
  const syscall = typeof e.syscall === "string" ? e.syscall : "";
  const action = Object.hasOwn(SYSCALL_ACTIONS, syscall) ? SYSCALL_ACTIONS[syscall] : "use";
  return `Cannot ${action} "${e.path}": ${describeSystemError(err)}`;
}

/**
 * Whether an error is a session file's (gone, unreadable, not a file), which
 * skips that file, rather than the database's or a bug's, which do not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isFileProblem, RuntimeError } from "./errors.ts";
 *
 * assert.equal(isFileProblem(Object.assign(new Error("gone"), { code: "ENOENT" })), true);
 * assert.equal(isFileProblem(new RuntimeError("Cannot read \"x\": cut short")), true);
 * assert.equal(isFileProblem(new TypeError("a bug")), false);
 * ```
 */
export function isFileProblem(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return err instanceof RuntimeError || (typeof code === "string" && /^E[A-Z0-9]+$/.test(code));
}
