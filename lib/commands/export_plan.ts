/**
 * What `export --html` writes, before a byte is written: the sessions of the
 * site (lib/commands/export_select.ts), each once, grouped by project (newest
 * project first, then newest session first), each with its page's name and
 * its links to its fork parent and its forks, and the totals. Not a verb.
 *
 * The plan keeps its rows on disk, in a scratch database (index/store.ts),
 * not in memory: export's memory stays the same however many sessions the
 * site holds. Its rows are read back one at a time, in the site's order.
 *
 * @module
 */
import { NANOS } from "../base/counters.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import type { PageLink } from "../render/html_page.ts";
import type { SiteProject, SiteSession } from "../render/site_index.ts";
import { openScratch, type ScratchDatabase } from "../index/store.ts";
import { INDEX_PAGE, pageName } from "../io/site_dir.ts";
import { SiteManifests } from "./export_manifest.ts";

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

/** The site's totals, known once the plan is {@linkcode SitePlan.finish}ed. */
export interface SiteTotals {
  projects: number;
  sessions: number;
  messages: number;
  costUsd: number;
  unpricedTokens: number;
}

type Row = Record<string, number | string | null>;
type Statement = ReturnType<ScratchDatabase["prepare"]>;

/** The rows as added: `seq` is their place (it breaks ties of time). */
const LISTED = `CREATE TABLE listed (
  seq INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, parent TEXT,
  cwd TEXT NOT NULL, heading TEXT NOT NULL, updated REAL NOT NULL, model TEXT NOT NULL,
  messages INTEGER NOT NULL, cost REAL NOT NULL, nanos INTEGER NOT NULL,
  unpriced INTEGER NOT NULL,
  path TEXT NOT NULL, dir TEXT NOT NULL, bytes INTEGER NOT NULL, mtime REAL NOT NULL,
  dev REAL, ino REAL, ctime REAL);
CREATE INDEX listed_name ON listed (name)`;

/**
 * Each id once (the newest, then the first added: the newest file of a
 * session copied into two homes), numbered in the site's order of time
 * (`pos`); the projects, each first met at its newest session's `pos`. The
 * windows sort only the keys; the rows are joined to them after.
 */
const FINISH = `CREATE TABLE kept AS SELECT r, ROW_NUMBER() OVER (ORDER BY updated DESC, seq) AS pos
  FROM (SELECT rowid AS r, updated, seq,
      ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated DESC, seq) AS k FROM listed)
  WHERE k = 1;
CREATE TABLE pages AS SELECT kept.pos AS pos, listed.* FROM kept JOIN listed ON listed.rowid = kept.r;
DROP TABLE kept;
DROP TABLE listed;
CREATE INDEX pages_id ON pages (id);
CREATE INDEX pages_parent ON pages (parent, pos);
CREATE INDEX pages_cwd ON pages (cwd, pos);
CREATE TABLE projects AS SELECT cwd, MIN(pos) AS first, COUNT(*) AS sessions,
  SUM(nanos) AS nanos, SUM(unpriced) AS unpriced FROM pages GROUP BY cwd`;

/** A page's columns, as {@linkcode planned} reads them. */
const COLUMNS = "p.name, p.id, p.parent, p.cwd, p.heading, p.updated, p.model, p.messages, " +
  "p.cost, p.unpriced, p.path, p.dir, p.bytes, p.mtime, p.dev, p.ino, p.ctime";

/** A project's pages, newest first. */
const PAGES = `SELECT ${COLUMNS} FROM pages p WHERE p.cwd = ? ORDER BY p.pos`;

/** A project's pages with their parent's page, whether they have forks, and their old key. */
const PAGES_LINKED = `SELECT ${COLUMNS}, par.name AS parent_name, par.heading AS parent_heading,
    o.key AS old_key,
    EXISTS (SELECT 1 FROM pages f WHERE f.parent = p.id AND f.id <> f.parent) AS forked
  FROM pages p
  LEFT JOIN pages par ON par.id = p.parent AND p.parent <> p.id
  LEFT JOIN old o ON o.name = p.name
  WHERE p.cwd = ? ORDER BY p.pos`;

/** A page's forks, oldest place first. */
const FORKS = "SELECT name, heading FROM pages WHERE parent = ? AND id <> parent ORDER BY pos";

/**
 * The whole site, its rows kept on disk. Sessions are added in any order
 * ({@linkcode SitePlan.add}); once {@linkcode SitePlan.finish}ed, it holds
 * each session id once (the newest file of a session copied into two
 * homes), projects in the order of their newest session, sessions newest
 * first, and each page's links: the index, the fork's parent when it is
 * exported too, and the forks exported. `shown` gives a project's
 * directory as the page shows it. {@linkcode SitePlan.close} lets its
 * database go.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SitePlan } from "./export_plan.ts";
 *
 * const row = (id: string, parent: string | null, cwd: string, costUsd: number, updatedMs: number) => ({
 *   id, parent, cwd, heading: id, updatedMs, model: "m", messages: 2, costUsd,
 *   unpricedTokens: 0,
 * });
 * const file = { path: "/f", dir: "d", bytes: 0, mtimeMs: 0 };
 * const plan = SitePlan.open((cwd) => cwd);
 * plan.add({ file, row: row("a", null, "/p", 0.5, 1) }, 0);
 * plan.add({ file, row: row("c", null, "/q", 1, 2) }, 1);
 * plan.add({ file, row: row("b", "a", "/p", 0.25, 3) }, 2);
 * plan.add({ file, row: row("a", null, "/p", 0.5, 0) }, 3); // an older copy of a
 * plan.finish();
 * assert.deepEqual([...plan.projects()].map((p) => [p.project.cwd, [...p.pages].map((s) => s.row.id)]), [
 *   ["/p", ["b", "a"]],
 *   ["/q", ["c"]],
 * ]);
 * const [b, a] = [...plan.pages()];
 * const links = (p: typeof a) => p.links.map((l) => [l.label, l.href]);
 * assert.deepEqual(links(b), [["", "index.html"], ["Fork of", "session-a.html"]]);
 * assert.deepEqual(links(a), [["", "index.html"], ["Fork", "session-b.html"]]);
 * const t = plan.totals;
 * assert.deepEqual([t.projects, t.sessions, t.messages, t.costUsd], [2, 3, 6, 1.75]);
 * plan.close();
 * ```
 */
export class SitePlan {
  readonly #db: ScratchDatabase;
  readonly #shown: (cwd: string) => string;
  #added = 0;
  #nextPlace = 0;
  #totals: SiteTotals | null = null;
  #insert: Statement;
  readonly #statements = new Map<string, Statement>();

  /** The old and new manifests, beside the rows. */
  readonly manifests: SiteManifests;

  private constructor(db: ScratchDatabase, shown: (cwd: string) => string) {
    this.#db = db;
    this.#shown = shown;
    db.exec(LISTED);
    this.manifests = new SiteManifests(db);
    // One transaction for the rows added: no commit after each.
    db.exec("BEGIN");
    this.#insert = db.prepare(
      "INSERT INTO listed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
  }

  /** A new plan, with no session yet. */
  static open(shown: (cwd: string) => string): SitePlan {
    return new SitePlan(openScratch(), shown);
  }

  /** How many sessions were added (before each id is kept once). */
  get added(): number {
    return this.#added;
  }

  /** A place after every place given so far. */
  get nextPlace(): number {
    return this.#nextPlace;
  }

  /**
   * Adds a session at its `place`: of two sessions last active at the same
   * moment, or two files of one id, the one at the lower place comes first.
   * Before {@linkcode SitePlan.finish} only.
   */
  add(s: FoundSession, place: number): void {
    if (this.#totals !== null) throw new Error("SitePlan.add after finish");
    const r = s.row;
    this.#nextPlace = Math.max(this.#nextPlace, place + 1);
    this.#insert.run(
      place,
      r.id,
      pageName(r.id),
      r.parent,
      r.cwd,
      r.heading,
      r.updatedMs,
      r.model,
      r.messages,
      r.costUsd,
      // In nanodollars, as cost sums: the totals are exact to the last digit.
      Math.round(r.costUsd * NANOS),
      r.unpricedTokens,
      s.file.path,
      s.file.dir,
      s.file.bytes,
      s.file.mtimeMs,
      s.file.dev ?? null,
      s.file.ino ?? null,
      s.file.ctimeMs ?? null,
    );
    this.#added++;
  }

  /** Whether a session added so far has the page `name`. */
  hasPage(name: string): boolean {
    if (this.#totals !== null) {
      return this.#sql("SELECT 1 FROM pages WHERE name = ?").get(name) !== undefined;
    }
    return this.#sql("SELECT 1 FROM listed WHERE name = ?").get(name) !== undefined;
  }

  /** Orders what was added into the site; nothing is added after. */
  finish(): void {
    if (this.#totals !== null) return;
    this.#db.exec("COMMIT");
    this.#db.exec(FINISH);
    // The new manifest's rows, one a page, go in one transaction too.
    this.#db.exec("BEGIN");
    const t = this.#db.prepare(
      "SELECT COUNT(*) AS n, SUM(messages) AS m, SUM(nanos) AS c, SUM(unpriced) AS u FROM pages",
    ).get() as Row;
    const p = this.#db.prepare("SELECT COUNT(*) AS n FROM projects").get() as Row;
    this.#totals = {
      projects: Number(p.n),
      sessions: Number(t.n),
      messages: Number(t.m ?? 0),
      costUsd: Number(t.c ?? 0) / NANOS,
      unpricedTokens: Number(t.u ?? 0),
    };
  }

  /** The totals: the sessions (each id once), their messages and spend, the projects. */
  get totals(): SiteTotals {
    if (this.#totals === null) throw new Error("SitePlan.totals before finish");
    return this.#totals;
  }

  /**
   * The projects in the site's order, each with its pages, newest first;
   * without `withLinks`, the pages' links and old keys are left empty (the
   * index page needs only their rows).
   */
  *projects(withLinks = true): Generator<PlannedProject> {
    this.totals;
    const pages = this.#db.prepare(withLinks ? PAGES_LINKED : PAGES);
    const forks = (id: string) => this.#sql(FORKS).all(id) as Row[];
    for (const r of this.#db.prepare("SELECT * FROM projects ORDER BY first").iterate()) {
      const g = r as Row;
      const cwd = String(g.cwd);
      const project: SiteProject = {
        cwd,
        shown: this.#shown(cwd),
        sessions: Number(g.sessions),
        costUsd: Number(g.nanos) / NANOS,
        unpricedTokens: Number(g.unpriced),
      };
      const of = function* () {
        for (const p of pages.iterate(cwd)) {
          const r = p as Row;
          yield planned(r, Number(r.forked ?? 0) ? forks(String(r.id)) : [], withLinks);
        }
      };
      yield { project, pages: of() };
    }
  }

  /** Every page's name. */
  *names(): Generator<string> {
    this.totals;
    for (const r of this.#db.prepare("SELECT name FROM pages").iterate()) {
      yield String((r as Row).name);
    }
  }

  /** Every page, in the site's order (the projects', each newest first). */
  *pages(): Generator<PlannedPage> {
    for (const g of this.projects()) yield* g.pages;
  }

  /** The statement of `sql`, prepared once. */
  #sql(sql: string): Statement {
    let s = this.#statements.get(sql);
    if (s === undefined) this.#statements.set(sql, s = this.#db.prepare(sql));
    return s;
  }

  /** Lets the database go (its file is removed). */
  close(): void {
    this.#db.close();
  }
}

/** A page from its row (with its parent's page) and its forks' pages; its links only `withLinks`. */
function planned(r: Row, forks: Row[], withLinks: boolean): PlannedPage {
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
