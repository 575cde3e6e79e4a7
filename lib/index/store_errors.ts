/**
 * The index database's errors: what opening or writing it can meet (a file
 * that is no database or is damaged, another run holding the write lock),
 * told apart from the system's errors by SQLite's messages.
 *
 * @module
 */

/** Raised when the database file is not one, or fails its check. */
export class IndexDamagedError extends Error {}

/** Another run holds the database's write lock longer than this run waits. */
export class IndexBusyError extends Error {
  constructor(readonly path: string) {
    super(`Cannot update the index "${path}": another run is writing to it (database is locked)`);
  }
}

/**
 * An error of opening the database, as a typed one where it tells what to do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classify, IndexBusyError, IndexDamagedError } from "./store_errors.ts";
 *
 * assert.ok(classify(new Error("database is locked"), "/i.db") instanceof IndexBusyError);
 * assert.ok(classify(new Error("file is not a database"), "/i.db") instanceof IndexDamagedError);
 * const full = new Error("disk I/O error");
 * assert.equal(classify(full, "/i.db"), full);
 * ```
 */
export function classify(err: unknown, path: string): unknown {
  if (err instanceof IndexDamagedError || err instanceof IndexBusyError) return err;
  if (isBusy(err)) return new IndexBusyError(path);
  if (isDamage(err)) return damaged(err);
  return err;
}

function damaged(err: unknown): IndexDamagedError {
  return new IndexDamagedError(err instanceof Error ? err.message : String(err));
}

/**
 * Whether an error is SQLite's "busy"/"locked" (another run holds the database).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isBusy } from "./store_errors.ts";
 *
 * assert.ok(isBusy(new Error("database is locked")));
 * assert.ok(!isBusy(new Error("database disk image is malformed")));
 * ```
 */
export function isBusy(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /\b(SQLITE_BUSY|SQLITE_LOCKED|database is locked|database table is locked)\b/i.test(text);
}

/**
 * Whether an error says the database file is damaged (not busy, not full).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDamage } from "./store_errors.ts";
 *
 * assert.ok(isDamage(new Error("database disk image is malformed")));
 * assert.ok(!isDamage(new Error("database or disk is full")));
 * ```
 */
export function isDamage(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /\b(SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database)\b/i.test(text);
}

/**
 * Whether an error is SQLite's (the database), not the system's or a session file's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IndexBusyError, isSqliteError } from "./store_errors.ts";
 *
 * assert.ok(isSqliteError(new IndexBusyError("/i.db")));
 * assert.ok(isSqliteError(Object.assign(new Error("x"), { code: "ERR_SQLITE_ERROR" })));
 * assert.ok(!isSqliteError(Object.assign(new Error("x"), { code: "ENOENT" })));
 * ```
 */
export function isSqliteError(err: unknown): boolean {
  return (err as { code?: unknown })?.code === "ERR_SQLITE_ERROR" ||
    err instanceof IndexDamagedError || err instanceof IndexBusyError;
}
