/**
 * A fork's copied history is one hit, its parent's: `/session fork` copies
 * the parent's first `fork_point` message lines byte for byte (FORMAT.md,
 * "Forks"), so a message before a fork's fork point that matches is the
 * same hit in both. A fork's hit is a copy when its parent's session holds
 * the same hit: same index (below the fork point), role, time, snippet and
 * score. Comparing, not only counting, keeps a fork's own messages when
 * `fork_point` counts more than was copied (after repair stubs, a
 * compaction or a trimmed resume), and a fork whose parent is not searched
 * (gone, another project, `--session`) keeps its copies: they are then no
 * other session's. Copies have their parent's time, so they are found
 * among the hits of one instant ({@linkcode InstantGroups}). Pure.
 *
 * @module
 */
import type { MessageHit } from "./search_query.ts";
import { timeMs } from "./search_query.ts";
import { copiedFromParent } from "../scan/ledger.ts";

/** What telling a copy needs of a hit's session. */
export interface ForkFacts {
  /** The session's id (its first meta line's, else from its file name). */
  id: string;
  /** The parent's id (a fork), else null. */
  parent: string | null;
  /** How many of the parent's messages were copied, else null. */
  forkPoint: number | null;
}

/** Whether two hits are the same message, as a copy and its original are. */
function sameHit(a: MessageHit, b: MessageHit): boolean {
  return a.index === b.index && a.role === b.role && a.time === b.time &&
    a.score === b.score && a.snippet.text === b.snippet.text &&
    JSON.stringify(a.snippet.matches) === JSON.stringify(b.snippet.matches);
}

/**
 * The copies among `hits` (all of one instant, or more), each with the id
 * of the session it was copied from; `facts` tells a hit's session (null:
 * unknown, never a copy).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { copiesAmong } from "./search_forks.ts";
 *
 * const hit = (path: string, index: number) => ({
 *   path, index, role: "user", time: "2026-10-05T07:13:03Z", score: 1,
 *   snippet: { text: "add an Idempotency-Key", matches: [[7, 22]] as [number, number][] },
 * });
 * const facts = new Map([
 *   ["/p.jsonl", { id: "8d337e16", parent: null, forkPoint: null }],
 *   ["/f.jsonl", { id: "89166dff", parent: "8d337e16", forkPoint: 12 }],
 * ]);
 * const [parent, fork] = [hit("/p.jsonl", 0), hit("/f.jsonl", 0)];
 * const copies = copiesAmong([fork, parent], (path) => facts.get(path) ?? null);
 * assert.deepEqual([...copies], [[fork, "8d337e16"]]);
 * // Its own message, past the fork point, is no copy.
 * assert.equal(copiesAmong([hit("/f.jsonl", 12), hit("/p.jsonl", 12)], (p) => facts.get(p) ?? null).size, 0);
 * ```
 */
export function copiesAmong(
  hits: MessageHit[],
  facts: (path: string) => ForkFacts | null,
): Map<MessageHit, string> {
  const copies = new Map<MessageHit, string>();
  const forks = hits.filter((h) => {
    const f = facts(h.path);
    return f !== null && f.parent !== null && copiedFromParent(f.forkPoint, h.index);
  });
  if (forks.length === 0) return copies;
  for (const h of forks) {
    const parent = facts(h.path)!.parent!;
    const original = hits.find((o) => o !== h && facts(o.path)?.id === parent && sameHit(o, h));
    if (original !== undefined) copies.set(h, parent);
  }
  return copies;
}

/**
 * Hands on hits that come newest first ({@linkcode hitOrder}) a group at a
 * time, each group the hits of one instant (a fork's copies are among their
 * original's), in the order they came.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InstantGroups } from "./search_forks.ts";
 *
 * const hit = (index: number, time: string) =>
 *   ({ path: "/a", index, role: "user", time, score: 1, snippet: { text: "", matches: [] } });
 * const groups: number[][] = [];
 * const by = new InstantGroups(async (g) => void groups.push(g.map((h) => h.index)));
 * for (const h of [hit(3, "2026-01-01T10:00:00Z"), hit(2, "2026-01-01T11:00:00+01:00"), hit(1, "")]) {
 *   await by.push(h);
 * }
 * await by.flush();
 * assert.deepEqual(groups, [[3, 2], [1]]);
 * ```
 */
export class InstantGroups {
  #group: MessageHit[] = [];
  #ms = 0;

  constructor(readonly onGroup: (hits: MessageHit[]) => Promise<void>) {}

  /** Takes the next hit; hands on the group before it when it is of another instant. */
  async push(h: MessageHit): Promise<void> {
    const ms = timeMs(h.time);
    if (this.#group.length > 0 && ms !== this.#ms) await this.flush();
    this.#ms = ms;
    this.#group.push(h);
  }

  /** Hands on the group held (after the last hit). */
  async flush(): Promise<void> {
    if (this.#group.length === 0) return;
    const group = this.#group;
    this.#group = [];
    await this.onGroup(group);
  }
}
