/**
 * The manifests of an export, old and new, kept in the plan's scratch
 * database beside its pages (commands/export_plan.ts), not in memory: the
 * old one as read from the directory (`old`), the new one as pages are
 * written or kept (`next`). What a re-export asks of them is SQL over those
 * tables and the plan's `listed` (sessions as added) and `pages` (each
 * once, after the plan is finished). Not a verb.
 *
 * @module
 */
import type { ScratchDatabase } from "../index/store.ts";
import type { Manifest } from "../io/site_manifest.ts";

type Row = Record<string, string | number | null>;

const TABLES = `CREATE TABLE old (name TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE next (name TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID`;

/** The old and new manifests of one export. */
export class SiteManifests {
  /** The index page's key in the old manifest. */
  oldIndex: string | null = null;
  /** The old manifest's version (a new directory's: the current one). */
  oldVersion = 2;
  readonly #db: ScratchDatabase;

  constructor(db: ScratchDatabase) {
    this.#db = db;
    db.exec(TABLES);
  }

  /** Reads the directory's manifest into `old`, a page at a time. */
  async load(m: Manifest): Promise<void> {
    this.oldIndex = m.index;
    this.oldVersion = m.version;
    const put = this.#db.statement("INSERT OR REPLACE INTO old VALUES (?, ?)");
    for await (const [name, key] of m.pages()) put.run(name, key);
  }

  /** The names of the old manifest's pages. */
  *oldNames(): Generator<string> {
    for (const r of this.#db.prepare("SELECT name FROM old ORDER BY name").iterate()) {
      yield String((r as Row).name);
    }
  }

  /** The key of the page `name` in the old manifest, or undefined. */
  oldKey(name: string): string | undefined {
    const r = this.#db.statement("SELECT key FROM old WHERE name = ?").get(name) as Row | undefined;
    return r === undefined ? undefined : String(r.key);
  }

  /**
   * Whether the page `name` is in the old manifest and of no session
   * added at a place before `place` (those asked for): a session kept.
   */
  kept(name: string, place: number): boolean {
    return this.oldKey(name) !== undefined &&
      this.#db.statement("SELECT 1 FROM listed WHERE name = ? AND seq < ?").get(name, place) ===
        undefined;
  }

  /** Whether a page of the old manifest is kept (see {@linkcode SiteManifests.kept}). */
  anyKept(place: number): boolean {
    return this.#db.statement(
      "SELECT 1 FROM old WHERE name NOT IN (SELECT name FROM listed WHERE seq < ?) LIMIT 1",
    ).get(place) !== undefined;
  }

  /** How many pages of the plan the old manifest does not list. */
  newPages(): number {
    const r = this.#db.statement(
      "SELECT COUNT(*) AS n FROM pages WHERE name NOT IN (SELECT name FROM old)",
    ).get() as Row;
    return Number(r.n);
  }

  /**
   * The old manifest with the plan's new pages added under no key, in
   * name order: what is listed before they are written.
   */
  *pending(): Generator<[string, string]> {
    const rows = this.#db.prepare(
      `SELECT name, key FROM old UNION ALL
       SELECT name, '' FROM pages WHERE name NOT IN (SELECT name FROM old) ORDER BY name`,
    ).iterate();
    for (const r of rows) yield [String((r as Row).name), String((r as Row).key)];
  }

  /** Lists the page `name` in the new manifest, under `key`. */
  setNext(name: string, key: string): void {
    this.#db.statement("INSERT OR REPLACE INTO next VALUES (?, ?)").run(name, key);
  }

  /** Whether the new manifest lists `name`. */
  hasNext(name: string): boolean {
    return this.#db.statement("SELECT 1 FROM next WHERE name = ?").get(name) !== undefined;
  }

  /** The new manifest's pages, in name order. */
  *next(): Generator<[string, string]> {
    for (const r of this.#db.prepare("SELECT name, key FROM next ORDER BY name").iterate()) {
      yield [String((r as Row).name), String((r as Row).key)];
    }
  }

  /** Whether the new manifest's pages are the old one's, each under the same key. */
  samePages(): boolean {
    const r = this.#db.prepare(
      `SELECT (SELECT COUNT(*) FROM old) AS o, (SELECT COUNT(*) FROM next) AS n,
       (SELECT COUNT(*) FROM next JOIN old USING (name) WHERE next.key = old.key) AS same`,
    ).get() as Row;
    return r.o === r.n && r.n === r.same;
  }
}
