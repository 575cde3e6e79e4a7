/**
 * What `gc` would remove, and why: a pure function of the candidates, the
 * policies and the time. Nothing here touches the disk.
 *
 * @module
 */
import type { SessionFile } from "../sessions/catalog.ts";
import { ForkGuard, keptForForks, parentLinks } from "./forks.ts";

/**
 * A session file gc may consider (a regular `*.jsonl` in
 * `sessions/<16-hex>/`, as the catalogue found it), with what its first meta
 * line says.
 */
export interface GcCandidate extends SessionFile {
  id: string;
  parent: string | null;
  cwd: string;
  /** No message line (known only when `--empty` asked for a scan). */
  empty: boolean;
  /**
   * The project directory found gone (known only when `--orphaned` asked):
   * every directory the session was started or resumed in is gone.
   */
  projectGone?: string | null;
}

/** Why a session is selected. */
export type GcReason =
  | "empty"
  | "older-than"
  | "keep-last"
  | "max-size"
  | "named"
  | "all-sessions"
  | "orphaned";

/** The policies, resolved to numbers. */
export interface GcPolicy {
  /** Select every session (`--all-sessions`: asked for in so many words). */
  all?: boolean;
  empty: boolean;
  /** Select sessions whose project directory is gone (`projectGone`). */
  orphaned?: boolean;
  /** Select sessions last active more than this long ago (ms). */
  olderThanMs: number | null;
  /** Per project, keep the newest N. */
  keepLast: number | null;
  /** Select oldest first until the whole home fits (bytes). */
  maxSize: number | null;
  /** Never touch a file modified within this long (ms). */
  graceMs: number;
  /** Remove a parent even if a kept fork points to it. */
  allowOrphans: boolean;
  /** Select these files (by path), named on the command line. */
  named?: ReadonlySet<string>;
}

/** A selected session and the policies that chose it. */
export interface GcSelection {
  file: GcCandidate;
  reasons: GcReason[];
}

/** The plan: what goes, what a policy chose but is kept, and why. */
export interface GcPlan {
  remove: GcSelection[];
  /** Chosen by a policy, kept because kept forks name it as their parent. */
  keptForChildren: { file: GcCandidate; reasons: GcReason[]; children: string[] }[];
  /** Chosen by a policy, but modified within the grace period. */
  inGrace: { file: GcCandidate; reasons: GcReason[] }[];
  bytes: number;
  /** The size of all candidates, and what stays after the plan. */
  homeBytes: number;
  remainingBytes: number;
}

/**
 * Plans a gc. A session is selected when any chosen policy selects it;
 * files modified within the grace period are never selected (they are listed
 * in `inGrace`); a parent of a kept fork is kept unless `allowOrphans`.
 * `--max-size` goes oldest first until the remaining total fits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planGc } from "./plan.ts";
 *
 * const DAY = 86_400_000;
 * const now = Date.parse("2026-11-25T12:00:00Z");
 * const session = (id: string, days: number, parent: string | null = null) => ({
 *   path: `/h/sessions/k/${id}.jsonl`, dir: "k", bytes: 100, mtimeMs: now - days * DAY,
 *   id, parent, cwd: "/a", empty: false,
 * });
 * const policy = {
 *   empty: false, olderThanMs: 90 * DAY, keepLast: null, maxSize: null, graceMs: 0,
 *   allowOrphans: false,
 * };
 * const plan = planGc([session("a", 120), session("b", 100), session("c", 5, "b")], policy, now);
 * assert.deepEqual(plan.remove.map((s) => s.file.id), ["a"]);
 * // b is old enough, but c, a fork of it, is kept: so b stays too.
 * assert.deepEqual(plan.keptForChildren.map((k) => [k.file.id, k.children]), [["b", ["c"]]]);
 * ```
 */
export function planGc(candidates: GcCandidate[], p: GcPolicy, nowMs: number): GcPlan {
  const reasons = new Map<GcCandidate, GcReason[]>();
  const choose = (c: GcCandidate, r: GcReason) => {
    const list = reasons.get(c) ?? [];
    if (!list.includes(r)) list.push(r);
    reasons.set(c, list);
  };
  const oldestFirst = [...candidates].sort((a, b) =>
    a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
  if (p.named) { for (const c of candidates) if (p.named.has(c.path)) choose(c, "named"); }
  if (p.all) { for (const c of candidates) choose(c, "all-sessions"); }
  if (p.empty) { for (const c of candidates) if (c.empty) choose(c, "empty"); }
  if (p.orphaned) { for (const c of candidates) if (c.projectGone) choose(c, "orphaned"); }
  if (p.olderThanMs !== null) {
    for (const c of candidates) if (c.mtimeMs < nowMs - p.olderThanMs) choose(c, "older-than");
  }
  if (p.keepLast !== null) {
    const byDir = new Map<string, GcCandidate[]>();
    for (const c of oldestFirst) {
      const list = byDir.get(c.dir);
      if (list) list.push(c);
      else byDir.set(c.dir, [c]);
    }
    for (const list of byDir.values()) {
      // Newest last in oldestFirst: all but the last N go.
      for (const c of list.slice(0, Math.max(0, list.length - p.keepLast))) choose(c, "keep-last");
    }
  }
  const inGraceWindow = (c: GcCandidate) => c.mtimeMs > nowMs - p.graceMs;
  const homeBytes = candidates.reduce((n, c) => n + c.bytes, 0);
  const inGrace: GcPlan["inGrace"] = [];
  // What the policies chose (outside the grace period), by index. Of that,
  // what goes once parents of kept forks are kept: see forks.ts.
  const index = new Map(candidates.map((c, i) => [c, i]));
  const chosen = new Uint8Array(candidates.length);
  for (const [c, r] of reasons) {
    if (inGraceWindow(c)) inGrace.push({ file: c, reasons: r });
    else chosen[index.get(c)!] = 1;
  }
  const parentOf = parentLinks(candidates);
  // --max-size last: oldest first, past what must stay (in grace, or a
  // kept fork's parent), until the rest fits.
  if (p.maxSize !== null) {
    const guard = new ForkGuard(candidates, parentOf, chosen, p.allowOrphans);
    for (const c of oldestFirst) {
      if (homeBytes - guard.selectedBytes <= p.maxSize) break;
      const i = index.get(c)!;
      if (inGraceWindow(c) || chosen[i]) continue;
      choose(c, "max-size");
      guard.choose(i);
    }
  }
  const keptForChildren = p.allowOrphans
    ? new Map<number, string[]>()
    : keptForForks(candidates, parentOf, chosen);
  const selected = (c: GcCandidate) => {
    const i = index.get(c)!;
    return chosen[i] === 1 && !keptForChildren.has(i);
  };

  const remove = oldestFirst.filter(selected).map((c) => ({ file: c, reasons: reasons.get(c)! }));
  const bytes = remove.reduce((n, s) => n + s.file.bytes, 0);
  return {
    remove,
    keptForChildren: oldestFirst.filter((c) => keptForChildren.has(index.get(c)!)).map((c) => ({
      file: c,
      reasons: reasons.get(c)!,
      children: keptForChildren.get(index.get(c)!)!,
    })),
    inGrace: inGrace.sort((a, b) => a.file.mtimeMs - b.file.mtimeMs),
    bytes,
    homeBytes,
    remainingBytes: homeBytes - bytes,
  };
}
