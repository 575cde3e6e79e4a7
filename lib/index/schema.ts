/**
 * The index database's layout: its tables, and the version that says what
 * its rows mean (a database of another version is rebuilt, never read).
 *
 * @module
 */
import { SCAN_FORMAT } from "../scan/session_scan.ts";
import { SEARCH_SCHEMA, type SqlDatabase } from "./search_store.ts";

/**
 * The version of the database's layout and of what its rows mean: a file of
 * another version is rebuilt (its rows dropped), never read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { INDEX_VERSION } from "./schema.ts";
 *
 * assert.match(INDEX_VERSION, /^5\./);
 * ```
 */
export const INDEX_VERSION = `5.${SCAN_FORMAT}`;

/**
 * The statements that make the tables: `info` (the version), `files` (a row
 * per session file) and the search tables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SCHEMA } from "./schema.ts";
 *
 * assert.match(SCHEMA, /CREATE TABLE files \(\n  path TEXT PRIMARY KEY,/);
 * ```
 */
export const SCHEMA = `
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
  path TEXT PRIMARY KEY,
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  ctime_ms REAL NOT NULL,
  head_hash TEXT NOT NULL,
  tail_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  events TEXT NOT NULL,
  -- rowSum of the events, and of every other value with that one.
  events_sum TEXT NOT NULL,
  sum TEXT NOT NULL
);
${SEARCH_SCHEMA}
`;

/**
 * The names of the tables (virtual tables' shadow tables go with them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TABLES } from "./schema.ts";
 *
 * assert.match(TABLES, /^SELECT name FROM sqlite_schema/);
 * ```
 */
export const TABLES = `SELECT name FROM sqlite_schema WHERE type = 'table'
  AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_text_%'`;

/**
 * The version the database's tables were made for, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { version } from "./schema.ts";
 *
 * const none = { prepare: () => ({ get: () => undefined }) };
 * assert.equal(version(none as never), null);
 * ```
 */
export function version(db: SqlDatabase): string | null {
  const has = db.prepare("SELECT 1 AS x FROM sqlite_schema WHERE name = 'info'").get();
  if (!has) return null;
  const r = db.prepare("SELECT value FROM info WHERE key = 'version'").get() as
    | Record<string, unknown>
    | undefined;
  return (r?.value as string | undefined) ?? null;
}
