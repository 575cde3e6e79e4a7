/**
 * The two kinds of failure the CLI knows. Everything below `commands/` throws
 * one of these (or lets a system error through); `cli.ts` alone turns them into
 * a message and an exit code.
 *
 * Messages follow one grammar: `Cannot <do what> "<value>": <detail>`, no
 * final period.
 *
 * @example
 * throw new UsageError('Cannot parse --limit "x": expected a whole number');
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
 * throw new RuntimeError('Cannot read "/tmp/x.jsonl": permission denied');
 */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/**
 * Turns a system error (ENOENT, EACCES, …) into the short detail of a message.
 *
 * @example
 * describeSystemError(err) // "permission denied"
 */
export function describeSystemError(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "not a directory";
    case "ELOOP":
      return "too many symbolic links";
    case "EMFILE":
      return "too many open files";
    case "ENOSPC":
      return "no space left on device";
    case "EDQUOT":
      return "disk quota exceeded";
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
