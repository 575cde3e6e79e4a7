/**
 * The tables of `export --html`'s plan (commands/export_plan.ts), in its
 * scratch database, and a page read back from its row: the session as the
 * plan was given it, its links and its key in the old manifest. Not a verb.
 *
 * @module
 */
import type { SessionFile } from "../sessions/catalog.ts";
import type { PageLink } from "../render/html_page.ts";
import type { SiteProject, SiteSession } from "../render/site_index.ts";
import { INDEX_PAGE } from "../io/site_dir.ts";

/** A session of the site: its file and its index row. */
export interface FoundSession {
  file: SessionFile;
  row: SiteSession;
}

/**
 * A session to export: its file, its row, its page's name, its links (the
 * index, the fork's parent when it is exported too, its forks exported),
 * and its key in the old manifest, if it is listed there.
 */
export interface PlannedPage extends FoundSession {
  name: string;
  links: PageLink[];
  oldKey: string | null;
}

/** One project of the index: its heading and its pages, newest first (read as they are iterated). */
export interface PlannedProject {
  project: SiteProject;
  pages: Iterable<PlannedPage>;
}

/** The site's totals, known once the plan (export_plan.ts `SitePlan`) is finished. */
export interface SiteTotals {
  projects: number;
  sessions: number;
  messages: number;
  costUsd: number;
  unpricedTokens: number;
}

type Row = Record<string, number | string | null>;

/** The rows as added: `seq` is their place (with the path, it breaks ties of time). */
export const LISTED = `CREATE TABLE listed (
  seq INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, parent TEXT,
  cwd TEXT NOT NULL, heading TEXT NOT NULL, updated REAL NOT NULL, model TEXT NOT NULL,
  messages INTEGER NOT NULL, cost REAL NOT NULL, nanos INTEGER NOT NULL,
  unpriced INTEGER NOT NULL,
  path TEXT NOT NULL, dir TEXT NOT NULL, bytes INTEGER NOT NULL, mtime REAL NOT NULL,
  dev REAL, ino REAL, ctime REAL);
CREATE INDEX listed_name ON listed (name)`;

/**
 * Each id once (the newest, then the lowest place, then the path last in
 * byte order: zot's newest first; the newest file of a session copied into
 * two homes), numbered in the site's order of time (`pos`, by the same
 * rule); the projects, each first met at its newest session's `pos`. The
 * windows sort only the keys; the rows are joined to them after, written in
 * the site's order (project, then `pos`) so that reading a project's pages
 * back reads neighbouring rows: the page cache is small.
 */
export const FINISH = `CREATE TABLE kept AS
  SELECT r, ROW_NUMBER() OVER (ORDER BY updated DESC, seq, path DESC) AS pos
  FROM (SELECT rowid AS r, updated, seq, path,
      ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated DESC, seq, path DESC) AS k FROM listed)
  WHERE k = 1;
CREATE TABLE projects AS SELECT l.cwd AS cwd, MIN(k.pos) AS first, COUNT(*) AS sessions,
  SUM(l.nanos) AS nanos, SUM(l.unpriced) AS unpriced
  FROM kept k JOIN listed l ON l.rowid = k.r GROUP BY l.cwd;
CREATE TABLE pages AS SELECT k.pos AS pos, l.* FROM kept k JOIN listed l ON l.rowid = k.r
  JOIN projects j ON j.cwd = l.cwd ORDER BY j.first, k.pos;
DROP TABLE kept;
DROP TABLE listed;
CREATE INDEX pages_id ON pages (id);
CREATE INDEX pages_parent ON pages (parent, pos);
CREATE INDEX pages_cwd ON pages (cwd, pos)`;

/** A page's columns, as {@linkcode planned} reads them. */
const COLUMNS = "p.name, p.id, p.parent, p.cwd, p.heading, p.updated, p.model, p.messages, " +
  "p.cost, p.unpriced, p.path, p.dir, p.bytes, p.mtime, p.dev, p.ino, p.ctime";

/** A project's pages, newest first. */
export const PAGES = `SELECT ${COLUMNS} FROM pages p WHERE p.cwd = ? ORDER BY p.pos`;

/** A project's pages with their parent's page, whether they have forks, and their old key. */
export const PAGES_LINKED =
  `SELECT ${COLUMNS}, par.name AS parent_name, par.heading AS parent_heading,
    o.key AS old_key,
    EXISTS (SELECT 1 FROM pages f WHERE f.parent = p.id AND f.id <> f.parent) AS forked
  FROM pages p
  LEFT JOIN pages par ON par.id = p.parent AND p.parent <> p.id
  LEFT JOIN old o ON o.name = p.name
  WHERE p.cwd = ? ORDER BY p.pos`;

/** A page's forks, oldest place first. */
export const FORKS =
  "SELECT name, heading FROM pages WHERE parent = ? AND id <> parent ORDER BY pos";

/** A page from its row (with its parent's page) and its forks' pages; its links only `withLinks`. */
export function planned(r: Row, forks: Row[], withLinks: boolean): PlannedPage {
  return {
    name: String(r.name),
    links: !withLinks ? [] : [
      { label: "", href: INDEX_PAGE, text: "← All sessions" },
      ...(r.parent_name === null || r.parent_name === undefined
        ? []
        : [{ label: "Fork of", href: String(r.parent_name), text: String(r.parent_heading) }]),
      ...forks.map((f) => ({ label: "Fork", href: String(f.name), text: String(f.heading) })),
    ],
    oldKey: r.old_key === null || r.old_key === undefined ? null : String(r.old_key),
    file: fileOf(r),
    row: {
      id: String(r.id),
      parent: r.parent === null ? null : String(r.parent),
      cwd: String(r.cwd),
      heading: String(r.heading),
      updatedMs: Number(r.updated),
      model: String(r.model),
      messages: Number(r.messages),
      costUsd: Number(r.cost),
      unpricedTokens: Number(r.unpriced),
    },
  };
}

/** A page's file from its row: the fields it was added with, and no other. */
function fileOf(r: Row): SessionFile {
  const file: SessionFile = {
    path: String(r.path),
    dir: String(r.dir),
    bytes: Number(r.bytes),
    mtimeMs: Number(r.mtime),
  };
  if (r.dev !== null) file.dev = Number(r.dev);
  if (r.ino !== null) file.ino = Number(r.ino);
  if (r.ctime !== null) file.ctimeMs = Number(r.ctime);
  return file;
}
