/**
 * Which sessions `ls` shows and in which order: the filters that need a
 * session's summary (`--model`), the sort keys, `--limit`, and the fork
 * tree. Pure.
 *
 * @module
 */
import type { SessionInfo } from "./info.ts";

/** Orders `--sort` accepts. */
export const SORT_KEYS = ["updated", "started", "cost", "messages", "size"] as const;
type SortKey = typeof SORT_KEYS[number];

/**
 * A row of `ls`: the session, its depth in the fork tree (0 without
 * `--tree`), and for each level from 1 to `depth` whether the row's
 * ancestor at that level (the row itself at its own) is the last of its
 * siblings: what tells `├` from `└`, and `│` from a blank.
 */
export interface TreeRow {
  session: SessionInfo;
  depth: number;
  last: boolean[];
}

/** Which sessions to show, in which order: `ls`'s filters, checked and typed. */
export interface SessionSelection {
  all: boolean;
  limit: number | null;
  sinceMs: number | null;
  untilMs: number | null;
  model: string | null;
  sort: SortKey;
  reverse: boolean;
  tree: boolean;
}

const SORT_VALUE: Record<SortKey, (s: SessionInfo) => number> = {
  updated: (s) => Date.parse(s.updated),
  started: (s) => (s.started ? Date.parse(s.started) : 0),
  // The number the table shows: the session's own spend, as `cost` counts it.
  cost: (s) => s.spend.costUsd,
  messages: (s) => s.messages,
  size: (s) => s.bytes,
};

/**
 * The sessions the filters keep (`--model`; the time filters apply to files
 * before they are read), in the order given. Pure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "./info.ts";
 * import { filterSessions, type SessionSelection } from "./select.ts";
 *
 * const options: SessionSelection = {
 *   all: false, limit: null, sinceMs: null, untilMs: null, model: "sonnet", sort: "updated",
 *   reverse: false, tree: false,
 * };
 * const session = (id: string, model: string) => ({ id, model, provider: "p" }) as SessionInfo;
 * const kept = filterSessions([session("a", "claude-sonnet-4-5"), session("b", "gpt-5")], options);
 * assert.deepEqual(kept.map((s) => s.id), ["a"]);
 * ```
 */
export function filterSessions(sessions: SessionInfo[], o: SessionSelection): SessionInfo[] {
  const needle = o.model?.toLowerCase();
  if (needle === undefined) return sessions;
  return sessions.filter((s) =>
    s.model.toLowerCase().includes(needle) || s.provider.toLowerCase().includes(needle)
  );
}

/**
 * Filters, sorts and limits a newest-first list as the options say. Biggest
 * first for every key; ties keep zot's order. Pure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "./info.ts";
 * import { selectSessions, type SessionSelection } from "./select.ts";
 *
 * const options: SessionSelection = {
 *   all: false, limit: 2, sinceMs: null, untilMs: null, model: null, sort: "cost",
 *   reverse: false, tree: false,
 * };
 * const session = (id: string, costUsd: number) =>
 *   ({ id, parent: null, spend: { costUsd } }) as SessionInfo;
 * const rows = selectSessions([session("a", 1), session("b", 3), session("c", 2)], options);
 * assert.deepEqual(rows.map((r) => r.session.id), ["b", "c"]);
 * ```
 */
export function selectSessions(
  sessions: SessionInfo[],
  o: SessionSelection,
): TreeRow[] {
  let list = filterSessions(sessions, o);
  if (o.sort !== "updated") {
    const value = SORT_VALUE[o.sort];
    list = list.map((s, i) => ({ s, i, v: value(s) }))
      .sort((a, b) => b.v - a.v || a.i - b.i)
      .map((x) => x.s);
  }
  if (o.reverse) list.reverse();
  const rows = o.tree ? forkTree(list) : list.map((session) => ({ session, depth: 0, last: [] }));
  return o.limit === null ? rows : rows.slice(0, o.limit);
}

/**
 * Orders sessions as a fork tree: each child right under its parent, indented
 * one level more; a child whose parent is not in the list is a root. Siblings
 * keep the list's order; each row says which of its levels end a list of
 * siblings ({@linkcode TreeRow}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SessionInfo } from "./info.ts";
 * import { forkTree } from "./select.ts";
 *
 * const session = (id: string, parent: string | null = null) => ({ id, parent }) as SessionInfo;
 * const rows = forkTree([session("fork", "root"), session("other"), session("root")]);
 * assert.deepEqual(rows.map((r) => [r.session.id, r.depth]), [
 *   ["other", 0],
 *   ["root", 0],
 *   ["fork", 1], // right under its parent
 * ]);
 * assert.deepEqual(rows[2].last, [true]); // its parent's last child
 * ```
 */
export function forkTree(list: SessionInfo[]): TreeRow[] {
  const ids = new Set(list.map((s) => s.id));
  const children = new Map<string, SessionInfo[]>();
  const roots: SessionInfo[] = [];
  for (const s of list) {
    if (s.parent && s.parent !== s.id && ids.has(s.parent)) {
      const c = children.get(s.parent) ?? [];
      c.push(s);
      children.set(s.parent, c);
    } else roots.push(s);
  }
  const out: TreeRow[] = [];
  const seen = new Set<SessionInfo>();
  const visit = (s: SessionInfo, last: boolean[]) => {
    if (seen.has(s)) return;
    seen.add(s);
    out.push({ session: s, depth: last.length, last });
    // A child already shown (a parent cycle) is not one of the rows below.
    const kids = (children.get(s.id) ?? []).filter((c) => !seen.has(c));
    kids.forEach((c, i) => visit(c, [...last, i === kids.length - 1]));
  };
  for (const r of roots) visit(r, []);
  // A parent cycle (hand-edited files) has no root: it starts at its first
  // member in the list, and each member is shown once.
  for (const s of list) visit(s, []);
  return out;
}
