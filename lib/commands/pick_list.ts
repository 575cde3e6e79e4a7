/**
 * The picker's sessions and their background loading: the first screen
 * shows the newest sessions, read alone; the whole list (`listSessions`, as
 * `ls`) follows, and the filter then covers it all. The fuzzy filter over
 * them, and the sessions removed (Ctrl-D), are kept here too. Not a verb.
 *
 * @module
 */
import { RuntimeError } from "../base/errors.ts";
import type { Context } from "./context.ts";
import { type Listing, listSessions } from "../sessions/listing.ts";
import { newestSessions } from "../sessions/newest.ts";
import type { SessionInfo } from "../sessions/info.ts";
import { FuzzyList, sessionMatchText } from "../sessions/fuzzy.ts";
import { sessionRow } from "../render/pick_rows.ts";
import type { Entry } from "./pick_actions.ts";
import { QUIT_CODE } from "./pick_keys.ts";
import { SIGNAL_NUMBERS, type TerminalEvent } from "../io/tty.ts";

/** What the list needs to know of where it is: the rows' ages and projects, and what to say when empty. */
export interface PickWhere {
  /** Every project's sessions, not only this project's. */
  all: boolean;
  /** This project's directory. */
  cwd: string;
  /** Now, in ms (the rows' ages). */
  now: number;
  /** The user's home (the rows' projects). */
  userHome: string;
}

/**
 * The sessions the picker filters: the first ones, then the whole list once
 * it has come ({@linkcode PickList.take}); `poke` says it came.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "../sessions/info.ts";
 * import type { Listing } from "../sessions/listing.ts";
 * import { PickList } from "./pick_list.ts";
 *
 * const s = (title: string) => ({
 *   title, firstPrompt: null, cwd: "/src", model: "m", shortId: title, path: `/h/${title}.jsonl`,
 *   updated: "2026-11-25T09:00:00Z", spend: { costUsd: 0, unpricedTokens: 0 }, empty: false,
 * }) as SessionInfo;
 * let done: (l: Listing) => void = () => {};
 * const whole = new Promise<Listing>((resolve) => done = resolve);
 * let poked = 0;
 * const where = { all: false, cwd: "/src", now: Date.parse("2026-11-25T12:00:00Z"), userHome: "/h" };
 * const list = new PickList([s("parser")], whole, where, "", () => poked++);
 * assert.deepEqual([list.arrived, list.counter()], [false, "loading…"]);
 * list.remove(list.entries[0].session.path, "");
 * done({ rows: [s("parser"), s("lexer"), s("printer")].map((session) => ({ session, depth: 0, last: [] })),
 *   problems: [], found: 3, looked: ["/h"], elsewhere: 0 } as unknown as Listing);
 * await whole;
 * await Promise.resolve();
 * assert.deepEqual([list.arrived, poked], [true, 1]);
 * const warnings: string[] = [];
 * // The one removed before the whole list came stays gone; the chosen one is found again.
 * assert.equal(list.take("er", warnings, "/h/printer.jsonl"), 1);
 * assert.deepEqual(list.matches.map((e) => e.row.title), ["lexer", "printer"]);
 * assert.equal(list.counter(), "2/2");
 * ```
 */
export class PickList {
  /** Every session on the list. */
  entries: Entry[];
  /** Those the query matches, best first. */
  matches: Entry[];
  /** Whether the whole list is in. */
  loaded = false;
  #fuzzy: FuzzyList<Entry>;
  #whole: { listing: Listing } | { failure: unknown } | null = null;
  /** Sessions removed (Ctrl-D) before the whole list came in. */
  #removed = new Set<string>();

  constructor(
    first: SessionInfo[],
    whole: Promise<Listing>,
    readonly where: PickWhere,
    query: string,
    poke: () => void,
  ) {
    this.entries = first.map((s) => this.#entryOf(s));
    this.#fuzzy = new FuzzyList(this.entries, (e) => sessionMatchText(e.session));
    this.matches = this.#fuzzy.filter(query);
    whole.then((listing) => this.#whole = { listing }, (failure) => this.#whole = { failure })
      .then(poke);
  }

  /**
   * Reads the newest `firstPage` sessions, then starts the whole list.
   * Reads the session files of `ctx`'s scope (see the class's example for
   * one that runs without them).
   */
  static async start(
    ctx: Context,
    all: boolean,
    firstPage: number,
    query: string,
    poke: () => void,
  ): Promise<PickList> {
    const first = await newestSessions(ctx.scope, all, firstPage);
    const whole = listSessions(ctx.scope, {
      all,
      limit: null,
      sinceMs: null,
      untilMs: null,
      model: null,
      sort: "updated",
      reverse: false,
      tree: false,
    });
    const where = { all, cwd: ctx.scope.cwd, now: ctx.now, userHome: ctx.userHome };
    return new PickList(first, whole, where, query, poke);
  }

  #entryOf(session: SessionInfo): Entry {
    return { session, row: sessionRow(session, this.where.now, this.where.userHome) };
  }

  /** Whether the whole list has come (or failed to). */
  get arrived(): boolean {
    return this.#whole !== null;
  }

  /**
   * Takes in the whole list, once it has {@linkcode arrived}: its problems
   * go to `warnings`; a failure to list, or no session at all, is thrown.
   * Answers where the session at `chosen` (a path) now is among the
   * matches, -1 if nowhere.
   */
  take(query: string, warnings: string[], chosen?: string): number {
    if (this.#whole === null || this.loaded) return -1;
    if ("failure" in this.#whole) throw this.#whole.failure;
    const listing = this.#whole.listing;
    this.loaded = true;
    warnings.push(...listing.problems.map((p) => p.message));
    if (listing.rows.length === 0) throw new RuntimeError(this.#noSessions(listing));
    this.entries = listing.rows
      .filter(({ session }) => !this.#removed.has(session.path))
      .map(({ session }) => this.#entryOf(session));
    this.#fuzzy = new FuzzyList(this.entries, (e) => sessionMatchText(e.session));
    this.filter(query);
    return this.matches.findIndex((e) => e.session.path === chosen);
  }

  /** Filters the sessions by `query`. */
  filter(query: string): void {
    this.matches = this.#fuzzy.filter(query);
  }

  /** A removed session leaves the list (and stays out of the whole list when it comes). */
  remove(path: string, query: string): void {
    this.entries = this.entries.filter((e) => e.session.path !== path);
    this.#fuzzy = new FuzzyList(this.entries, (e) => sessionMatchText(e.session));
    this.filter(query);
    this.#removed.add(path);
  }

  /** Right on the info line: how many match of how many, or "loading…" until the whole list is in. */
  counter(): string {
    return this.loaded ? `${this.matches.length}/${this.entries.length}` : "loading…";
  }

  /** Why there is nothing to pick, and where to look instead. */
  #noSessions(listing: Listing): string {
    if (this.where.all) {
      return `Cannot pick a session: no zot sessions under ${
        listing.looked.map((l) => `"${l}"`).join(", ")
      }`;
    }
    const elsewhere = listing.elsewhere > 0
      ? `; ${listing.elsewhere} in other projects: try "zot-sessions pick --all"`
      : "";
    return `Cannot pick a session: no zot sessions for "${this.where.cwd}"${elsewhere}`;
  }
}

/**
 * With nothing to show yet, waits for the whole list to say whether there
 * is anything (until `absorb`, called after each event, is true); meanwhile
 * only leaving is heard. Resolves to null once the list is in, or to the
 * exit code of Esc and Ctrl-C (130) or a signal (128+N).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { TerminalEvent } from "../io/tty.ts";
 * import { untilListed } from "./pick_list.ts";
 *
 * const from = (events: (TerminalEvent | null)[]) => () => Promise.resolve(events.shift() ?? null);
 * const typed: TerminalEvent = { kind: "keys", keys: [{ kind: "text", text: "x" }] };
 * let polls = 0;
 * assert.equal(await untilListed(() => ++polls > 2, from([typed, null])), null);
 * const esc: TerminalEvent = { kind: "keys", keys: [{ kind: "key", name: "escape" }] };
 * assert.equal(await untilListed(() => false, from([typed, esc])), 130);
 * assert.equal(await untilListed(() => false, from([{ kind: "signal", signal: "SIGTERM" }])), 143);
 * ```
 */
export async function untilListed(
  absorb: () => boolean,
  next: () => Promise<TerminalEvent | null>,
): Promise<number | null> {
  while (!absorb()) {
    const event = await next();
    if (event?.kind === "signal") return 128 + SIGNAL_NUMBERS[event.signal];
    const quit = event?.kind === "keys" &&
      event.keys.some((k) => k.kind === "key" && (k.name === "ctrl-c" || k.name === "escape"));
    if (quit) return QUIT_CODE;
  }
  return null;
}
