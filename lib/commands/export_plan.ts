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
import type { SiteProject } from "../render/site_index.ts";
import { openScratch, type ScratchDatabase } from "../index/store.ts";
import { pageName } from "../io/site_dir.ts";
import { SiteManifests } from "./export_manifest.ts";
import {
  FINISH,
  FORKS,
  type FoundSession,
  LISTED,
  PAGES,
  PAGES_LINKED,
  planned,
  type PlannedPage,
  type PlannedProject,
  type SiteTotals,
} from "./export_plan_rows.ts";

type Row = Record<string, number | string | null>;
type Statement = ReturnType<ScratchDatabase["prepare"]>;

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
   * moment, or two files of one id, the one at the lower place comes first,
   * and at the same place the one whose path sorts last (zot's newest
   * first). Before {@linkcode SitePlan.finish} only.
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
    const forks = (id: string) => this.#db.statement(FORKS).all(id) as Row[];
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

  /** Every page, in the site's order (the projects', each newest first). */
  *pages(): Generator<PlannedPage> {
    for (const g of this.projects()) yield* g.pages;
  }

  /** Lets the database go (its file is removed). */
  close(): void {
    this.#db.close();
  }
}
