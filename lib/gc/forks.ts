/**
 * Which sessions chosen for removal stay because a fork of them stays: a
 * kept fork needs its parent for its tree, so the parent is kept too, and so
 * on up the chain. Candidates are referred to by their index; the parent
 * links form a graph where each session has at most one parent, so chains
 * may end in a cycle (ids come from files, and files can say anything).
 *
 * Both functions here are linear in the number of candidates (the order of
 * the children lists takes a heap): `--max-size` chooses sessions one at a
 * time, and re-deriving the whole picture after each made gc quadratic.
 *
 * @module
 */

/** What the fork rule needs of a candidate. */
export interface ForkNode {
  id: string;
  parent: string | null;
  bytes: number;
}

/**
 * The parent of each candidate, by index: the candidate whose id the
 * `parent` field names (the last one, when several share an id), or -1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const nodes = [{ id: "a", parent: null }, { id: "b", parent: "a" }, { id: "c", parent: "x" }];
 * assert.deepEqual([...parentLinks(nodes)], [-1, 0, -1]);
 * ```
 */
export function parentLinks(nodes: readonly Omit<ForkNode, "bytes">[]): Int32Array {
  const byId = new Map<string, number>();
  nodes.forEach((c, i) => byId.set(c.id, i));
  const out = new Int32Array(nodes.length).fill(-1);
  nodes.forEach((c, i) => {
    if (c.parent) out[i] = byId.get(c.parent) ?? -1;
  });
  return out;
}

/**
 * The selection while sessions are chosen one at a time. A chosen session is
 * kept when one of its forks is not selected (not chosen, or itself kept);
 * the rest of the chosen are selected. Choosing a session can only add to
 * the selection: it may be selected itself, and then parents it alone kept
 * are selected, up the chain.
 *
 * A count per session of its forks not selected answers this, except on a
 * cycle, where the members would keep each other forever. So a cycle is
 * taken whole: its chosen members are kept while one member is not chosen
 * (everything above a kept session is kept, all the way round) or has a fork
 * off the cycle that is not selected; otherwise all of them are selected.
 */
export class ForkGuard {
  /** The bytes of the selected sessions. */
  selectedBytes = 0;
  readonly #nodes: readonly ForkNode[];
  readonly #parentOf: Int32Array;
  readonly #chosen: Uint8Array;
  readonly #allowOrphans: boolean;
  /** Chosen, but kept for a fork. */
  readonly #kept: Uint8Array;
  /** Forks not selected (on a cycle: those off the cycle). */
  readonly #open: Int32Array;
  /** The cycle a session is on, or -1. */
  readonly #cycleOf: Int32Array;
  readonly #cycles: number[][] = [];
  /** Per cycle: members not chosen, and members with an open fork off the cycle. */
  readonly #unchosen: number[] = [];
  readonly #supported: number[] = [];

  /**
   * Starts from the sessions `chosen` (1 per index, updated in place by
   * {@linkcode ForkGuard.choose}); `allowOrphans` selects every chosen one.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const nodes = [{ id: "p", parent: null, bytes: 5 }, { id: "f", parent: "p", bytes: 7 }];
   * const g = new ForkGuard(nodes, parentLinks(nodes), new Uint8Array([1, 0]), false);
   * assert.equal(g.selectedBytes, 0); // p is kept for f
   * g.choose(1);
   * assert.equal(g.selectedBytes, 12);
   * ```
   */
  constructor(
    nodes: readonly ForkNode[],
    parentOf: Int32Array,
    chosen: Uint8Array,
    allowOrphans: boolean,
  ) {
    const n = nodes.length;
    this.#nodes = nodes;
    this.#parentOf = parentOf;
    this.#chosen = chosen;
    this.#allowOrphans = allowOrphans;
    this.#kept = new Uint8Array(n);
    this.#open = new Int32Array(n);
    this.#cycleOf = new Int32Array(n).fill(-1);
    if (!allowOrphans) {
      // Kept: chosen, on the way up from a session that is not chosen.
      for (let u = 0; u < n; u++) {
        if (chosen[u]) continue;
        for (let p = parentOf[u]; p >= 0 && chosen[p] && !this.#kept[p]; p = parentOf[p]) {
          this.#kept[p] = 1;
        }
      }
      this.#findCycles();
      for (let i = 0; i < n; i++) {
        const p = parentOf[i];
        if (p < 0 || (this.#cycleOf[p] >= 0 && this.#cycleOf[i] === this.#cycleOf[p])) continue;
        if (!chosen[i] || this.#kept[i]) this.#open[p]++;
      }
      this.#cycles.forEach((members, k) => {
        this.#unchosen[k] = members.filter((m) => !chosen[m]).length;
        this.#supported[k] = members.filter((m) => this.#open[m] > 0).length;
      });
    }
    for (let i = 0; i < n; i++) {
      if (chosen[i] && !this.#kept[i]) this.selectedBytes += nodes[i].bytes;
    }
  }

  /**
   * Chooses session `i` (not chosen yet), updating the selection.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const nodes = [{ id: "a", parent: null, bytes: 3 }];
   * const g = new ForkGuard(nodes, parentLinks(nodes), new Uint8Array(1), false);
   * g.choose(0);
   * assert.equal(g.selectedBytes, 3);
   * ```
   */
  choose(i: number): void {
    this.#chosen[i] = 1;
    if (this.#allowOrphans) {
      this.selectedBytes += this.#nodes[i].bytes;
      return;
    }
    const k = this.#cycleOf[i];
    if (k >= 0) {
      if (--this.#unchosen[k] === 0 && this.#supported[k] === 0) this.#selectCycle(k);
      else this.#kept[i] = 1;
    } else if (this.#open[i] > 0) {
      this.#kept[i] = 1;
    } else {
      this.#select(i);
    }
  }

  /** Selects `i` (not on a cycle), then the parents it alone kept. */
  #select(i: number): void {
    for (let x = i;;) {
      this.#kept[x] = 0;
      this.selectedBytes += this.#nodes[x].bytes;
      const p = this.#parentOf[x];
      if (p < 0) return;
      const k = this.#cycleOf[p];
      if (k >= 0) {
        if (--this.#open[p] === 0 && --this.#supported[k] === 0 && this.#unchosen[k] === 0) {
          this.#selectCycle(k);
        }
        return;
      }
      if (--this.#open[p] > 0 || !this.#chosen[p]) return;
      x = p;
    }
  }

  /** Selects every member of cycle `k` (all chosen, none kept any more). */
  #selectCycle(k: number): void {
    for (const m of this.#cycles[k]) {
      this.#kept[m] = 0;
      this.selectedBytes += this.#nodes[m].bytes;
    }
  }

  /** Marks the members of each cycle of parent links (each session has one parent at most). */
  #findCycles(): void {
    const state = new Uint8Array(this.#nodes.length); // 0 new, 1 on this walk, 2 done
    for (let s = 0; s < state.length; s++) {
      const walk: number[] = [];
      let x = s;
      for (; x >= 0 && state[x] === 0; x = this.#parentOf[x]) {
        state[x] = 1;
        walk.push(x);
      }
      if (x >= 0 && state[x] === 1) {
        const members: number[] = [];
        let y = x;
        do {
          this.#cycleOf[y] = this.#cycles.length;
          members.push(y);
          y = this.#parentOf[y];
        } while (y !== x);
        this.#cycles.push(members);
      }
      for (const w of walk) state[w] = 2;
    }
  }
}

/**
 * The chosen sessions kept for their forks, each with the ids of its forks
 * that are not selected, by index. The forks are named in the order a
 * sweep over the candidates, repeated until nothing changes, finds them:
 * first those not chosen, in candidate order; then, sweep by sweep, those
 * that are kept themselves (a sweep reaches a session after the one that
 * made it kept only if it comes later in the order). The sweep itself was
 * quadratic; this replays its order with a heap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const nodes = [{ id: "p", parent: null }, { id: "f", parent: "p" }, { id: "g", parent: "p" }];
 * const kept = keptForForks(nodes, parentLinks(nodes), new Uint8Array([1, 0, 1]));
 * assert.deepEqual([...kept], [[0, ["f"]]]);
 * ```
 */
export function keptForForks(
  nodes: readonly Omit<ForkNode, "bytes">[],
  parentOf: Int32Array,
  chosen: Uint8Array,
): Map<number, string[]> {
  const stride = nodes.length + 1;
  const out = new Map<number, string[]>();
  const named = new Map<number, Set<string>>();
  // Keys: sweep * stride + index, the moment a sweep reaches a session that
  // is not selected and tells its parent.
  const heap = new MinHeap();
  for (let i = 0; i < nodes.length; i++) {
    if (!chosen[i] && parentOf[i] >= 0 && chosen[parentOf[i]]) heap.push(stride + i);
  }
  while (heap.size > 0) {
    const key = heap.pop();
    const i = key % stride;
    const sweep = (key - i) / stride;
    const p = parentOf[i];
    if (p < 0 || !chosen[p]) continue;
    let list = out.get(p);
    if (list === undefined) {
      // p is kept from now on: this sweep reaches it if it comes later.
      list = [];
      out.set(p, list);
      named.set(p, new Set());
      heap.push((p > i ? sweep : sweep + 1) * stride + p);
    }
    const seen = named.get(p)!;
    if (!seen.has(nodes[i].id)) {
      seen.add(nodes[i].id);
      list.push(nodes[i].id);
    }
  }
  return out;
}

/** A binary min-heap of numbers. */
class MinHeap {
  #a: number[] = [];

  get size(): number {
    return this.#a.length;
  }

  push(v: number): void {
    const a = this.#a;
    let i = a.push(v) - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (a[up] <= v) break;
      a[i] = a[up];
      i = up;
    }
    a[i] = v;
  }

  pop(): number {
    const a = this.#a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= a.length) break;
        if (c + 1 < a.length && a[c + 1] < a[c]) c++;
        if (a[c] >= last) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
