/**
 * The index database's layout: its tables (the search tables too), and the version that says what
 * its rows mean (a database of another version is rebuilt, never read).
 *
 * @module
 */
import { SCAN_FORMAT } from "../scan/session_scan.ts";
import type { SqlDatabase } from "./search_store.ts";

/**
 * The version of the database's layout and of what its rows mean: a file of
 * another version is rebuilt (its rows dropped), never read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { INDEX_VERSION } from "./schema.ts";
 *
 * assert.match(INDEX_VERSION, /^8\./);
 * ```
 */
export const INDEX_VERSION = `8.${SCAN_FORMAT}`;

/**
 * The search tables (part of the index's schema; search_store.ts says what
 * they hold).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SEARCH_SCHEMA } from "./schema.ts";
 *
 * assert.match(SEARCH_SCHEMA, /USING fts5\(/);
 * assert.match(SEARCH_SCHEMA, /tokenize = 'trigram', detail = 'none'/);
 * ```
 */
export const SEARCH_SCHEMA = `
CREATE TABLE search_files (
  path TEXT PRIMARY KEY,
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  ctime_ms REAL NOT NULL,
  head_hash TEXT NOT NULL,
  tail_hash TEXT NOT NULL,
  offset INTEGER NOT NULL,
  next_index INTEGER NOT NULL,
  sum TEXT NOT NULL
);
CREATE TABLE search_messages (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  role TEXT NOT NULL,
  time TEXT NOT NULL,
  pieces INTEGER NOT NULL,
  sum TEXT NOT NULL,
  UNIQUE (path, offset)
);
-- No positions or columns (detail = 'none'), no content: a term is asked
-- for as its trigrams, and every candidate is read back and checked exactly.
CREATE VIRTUAL TABLE search_text USING fts5(
  text, content = '', contentless_delete = 1, tokenize = 'trigram', detail = 'none'
);
CREATE VIRTUAL TABLE search_tools USING fts5(
  text, content = '', contentless_delete = 1, tokenize = 'trigram', detail = 'none'
);
-- A deleted message's trigrams leave the index at once, not at a later merge.
INSERT INTO search_text (search_text, rank) VALUES ('secure-delete', 1);
INSERT INTO search_tools (search_tools, rank) VALUES ('secure-delete', 1);
`;

/**
 * The statements that make the tables: `info` (the version), `files` (a row
 * per session file), `changes` (a row per own edit or write call of each),
 * `damage_warned` (the damaged files a run has warned
 * about line by line, at the size and mtime it met them: a later run over
 * the same damage says it in one line) and the search tables.
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
  -- [the change scan state (transcript/change_scan.ts) at the same offset, the
  -- count of its change rows per edited file (index/own_paths.ts)].
  changes_state TEXT NOT NULL,
  events TEXT NOT NULL,
  -- rowSum of the events, and of every other value with that one.
  events_sum TEXT NOT NULL,
  sum TEXT NOT NULL
);
-- Each edit or write call of a file (changes_table.ts), found by the
-- edited file's absolute path.
CREATE TABLE changes (
  file TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  tool TEXT NOT NULL,
  ok INTEGER NOT NULL,
  aborted INTEGER NOT NULL,
  time TEXT NOT NULL,
  path TEXT NOT NULL,
  absolute TEXT NOT NULL,
  -- 1: a fork's copy of its parent's call.
  inherited INTEGER NOT NULL,
  sum TEXT NOT NULL,
  PRIMARY KEY (file, ordinal)
) WITHOUT ROWID;
CREATE INDEX changes_by_absolute ON changes (absolute);
CREATE TABLE damage_warned (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL
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
