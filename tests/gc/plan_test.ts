/**
 * Tests of gc's planner (`planGc`): examples, properties over generated
 * candidates and policies (fast-check), and sessions named on the command
 * line.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type GcCandidate, type GcPlan, type GcPolicy, planGc } from "../../lib/gc/plan.ts";
import { DAY, HOUR, MIN, NOW } from "../helpers/gc_home.ts";

const DIRS = ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"];

function cand(
  id: string,
  mtimeMs: number,
  o: Partial<GcCandidate> = {},
): GcCandidate {
  const dir = o.dir ?? DIRS[0];
  return {
    path: `/h/sessions/${dir}/${id}.jsonl`,
    dir,
    bytes: 100,
    mtimeMs,
    id,
    parent: null,
    cwd: `/p/${dir}`,
    empty: false,
    ...o,
  };
}

const NO_POLICY: GcPolicy = {
  empty: false,
  olderThanMs: null,
  keepLast: null,
  maxSize: null,
  graceMs: HOUR,
  allowOrphans: false,
};

const ids = (p: GcPlan) => p.remove.map((s) => s.file.id);

describe("planGc", () => {
  it("--orphaned selects the sessions whose project directory is gone, with grace and fork rules", () => {
    const gone = { projectGone: "/p/gone" };
    const c = [
      cand("old", NOW - 2 * DAY, gone),
      cand("here", NOW - 2 * DAY, { projectGone: null }),
      cand("fresh", NOW - MIN, gone), // within the grace period
      cand("parent", NOW - 3 * DAY, gone),
      cand("child", NOW - DAY, { projectGone: null, parent: "parent" }), // kept: keeps its parent
      cand("unknown", NOW - 2 * DAY), // not looked at: never selected
    ];
    const p = planGc(c, { ...NO_POLICY, orphaned: true }, NOW);
    assert.deepEqual(ids(p), ["old"]);
    assert.deepEqual(p.remove.map((s) => s.reasons), [["orphaned"]]);
    assert.deepEqual(p.inGrace.map((g) => g.file.id), ["fresh"]);
    assert.deepEqual(p.keptForChildren.map((k) => [k.file.id, k.children]), [["parent", [
      "child",
    ]]]);
    // Without the policy, a gone directory selects nothing.
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, olderThanMs: 30 * DAY }, NOW)), []);
  });

  it("--empty selects exactly the sessions without a message line", () => {
    const c = [
      cand("e1", NOW - 2 * DAY, { empty: true }),
      cand("full", NOW - 2 * DAY),
      cand("e2", NOW - 3 * DAY, { empty: true }),
    ];
    const p = planGc(c, { ...NO_POLICY, empty: true }, NOW);
    assert.deepEqual(ids(p), ["e2", "e1"]);
    assert.deepEqual(p.remove.map((s) => s.reasons), [["empty"], ["empty"]]);
    assert.equal(p.bytes, 200);
    assert.equal(p.homeBytes, 300);
    assert.equal(p.remainingBytes, 100);
  });

  it("--older-than selects by mtime, strictly older than the limit", () => {
    const c = [
      cand("old", NOW - 8 * DAY),
      cand("edge", NOW - 7 * DAY),
      cand("new", NOW - 2 * DAY),
    ];
    const p = planGc(c, { ...NO_POLICY, olderThanMs: 7 * DAY }, NOW);
    assert.deepEqual(ids(p), ["old"]);
    assert.deepEqual(p.remove[0].reasons, ["older-than"]);
  });

  it("--keep-last keeps the newest N of each project and selects the rest", () => {
    const [a, b] = DIRS;
    const c = [
      cand("a1", NOW - 5 * DAY, { dir: a }),
      cand("a2", NOW - 4 * DAY, { dir: a }),
      cand("a3", NOW - 3 * DAY, { dir: a }),
      cand("a4", NOW - 2 * DAY, { dir: a }),
      cand("b1", NOW - 9 * DAY, { dir: b }),
      cand("b2", NOW - 8 * DAY, { dir: b }),
    ];
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, keepLast: 2 }, NOW)), ["a1", "a2"]);
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, keepLast: 1 }, NOW)), [
      "b1",
      "a1",
      "a2",
      "a3",
    ]);
    assert.equal(ids(planGc(c, { ...NO_POLICY, keepLast: 0 }, NOW)).length, 6);
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, keepLast: 9 }, NOW)), []);
  });

  it("--max-size selects oldest first until the home fits, and no more", () => {
    const c = [
      cand("n", NOW - 1 * DAY, { bytes: 400 }),
      cand("o3", NOW - 3 * DAY, { bytes: 300 }),
      cand("o1", NOW - 5 * DAY, { bytes: 100 }),
      cand("o2", NOW - 4 * DAY, { bytes: 200 }),
    ];
    // 1000 bytes, 600 allowed: o1 (100), o2 (200), o3 (300) → 400 left.
    const p = planGc(c, { ...NO_POLICY, maxSize: 600 }, NOW);
    assert.deepEqual(ids(p), ["o1", "o2", "o3"]);
    assert.equal(p.remainingBytes, 400);
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, maxSize: 700 }, NOW)), ["o1", "o2"]);
    assert.deepEqual(ids(planGc(c, { ...NO_POLICY, maxSize: 1000 }, NOW)), []);
  });

  it("combines policies: any one selects, and each reason is listed", () => {
    const c = [
      cand("old-empty", NOW - 30 * DAY, { empty: true }),
      cand("old", NOW - 20 * DAY),
      cand("recent-empty", NOW - 2 * DAY, { empty: true }),
      cand("recent", NOW - 2 * HOUR),
    ];
    const p = planGc(c, { ...NO_POLICY, empty: true, olderThanMs: 10 * DAY, keepLast: 3 }, NOW);
    assert.deepEqual(p.remove.map((s) => [s.file.id, s.reasons]), [
      ["old-empty", ["empty", "older-than", "keep-last"]],
      ["old", ["older-than"]],
      ["recent-empty", ["empty"]],
    ]);
    // max-size counts what the other policies already free.
    const q = planGc(c, { ...NO_POLICY, olderThanMs: 10 * DAY, maxSize: 150 }, NOW);
    assert.deepEqual(q.remove.map((s) => [s.file.id, s.reasons]), [
      ["old-empty", ["older-than"]],
      ["old", ["older-than"]],
      ["recent-empty", ["max-size"]],
    ]);
  });

  it("never selects a file in the grace period; lists it in inGrace", () => {
    const c = [
      cand("fresh-empty", NOW - 30 * MIN, { empty: true }),
      cand("old", NOW - 3 * DAY),
      cand("fresh", NOW - 10 * MIN, { bytes: 5000 }),
    ];
    const p = planGc(c, { ...NO_POLICY, empty: true, keepLast: 0, maxSize: 0 }, NOW);
    assert.deepEqual(ids(p), ["old"]);
    assert.deepEqual(p.inGrace.map((g) => g.file.id), ["fresh-empty", "fresh"]);
    assert.deepEqual(p.inGrace[0].reasons, ["empty", "keep-last"]);
    // A shorter grace lets them go.
    const q = planGc(c, { ...NO_POLICY, empty: true, keepLast: 0, graceMs: 5 * MIN }, NOW);
    assert.deepEqual(ids(q), ["old", "fresh-empty", "fresh"]);
  });

  it("keeps the parent (and grandparent) of a kept fork, and says so; --allow-orphans removes them", () => {
    const c = [
      cand("root", NOW - 10 * DAY),
      cand("mid", NOW - 9 * DAY, { parent: "root" }),
      cand("leaf", NOW - 1 * DAY, { parent: "mid" }),
      cand("other", NOW - 8 * DAY),
    ];
    const policy = { ...NO_POLICY, olderThanMs: 5 * DAY };
    const p = planGc(c, policy, NOW);
    assert.deepEqual(ids(p), ["other"]);
    assert.deepEqual(
      p.keptForChildren.map((k) => [k.file.id, k.children, k.reasons]),
      [["root", ["mid"], ["older-than"]], ["mid", ["leaf"], ["older-than"]]],
    );
    assert.equal(p.remainingBytes, 300);
    const q = planGc(c, { ...policy, allowOrphans: true }, NOW);
    assert.deepEqual(ids(q), ["root", "mid", "other"]);
    assert.deepEqual(q.keptForChildren, []);
    // A fork that is itself selected does not keep its parent.
    const r = planGc(c, { ...policy, olderThanMs: HOUR * 2 }, NOW);
    assert.deepEqual(ids(r), ["root", "mid", "other", "leaf"]);
  });

  it("a fork in the grace period keeps its parent", () => {
    const c = [cand("p", NOW - 10 * DAY), cand("f", NOW - 5 * MIN, { parent: "p" })];
    const p = planGc(c, { ...NO_POLICY, keepLast: 0 }, NOW);
    assert.deepEqual(ids(p), []);
    assert.deepEqual(p.keptForChildren.map((k) => k.file.id), ["p"]);
    assert.deepEqual(p.inGrace.map((k) => k.file.id), ["f"]);
  });

  // BUG: max-size picks the oldest file even when it is the parent of a kept
  // fork; the parent rule then keeps it, and the home stays over the limit
  // although another eligible session ("x") would have made it fit.
  it("--max-size fits the home when an eligible non-parent session can go (parent of a kept fork)", () => {
    const c = [
      cand("p", NOW - 3 * DAY),
      cand("x", NOW - 2 * DAY),
      cand("fork", NOW - 1 * DAY, { parent: "p" }),
    ];
    const plan = planGc(c, { ...NO_POLICY, maxSize: 200 }, NOW);
    assert.ok(
      plan.remainingBytes <= 200,
      `home left at ${plan.remainingBytes} bytes > 200 (removes [${ids(plan)}], keeps ${
        plan.keptForChildren.map((k) => k.file.id)
      } for forks) although removing "x" fits`,
    );
    assert.deepEqual(ids(plan), ["x"]);
  });

  it("does not change its input", () => {
    const c = [
      cand("a", NOW - 3 * DAY, { empty: true }),
      cand("b", NOW - 1 * DAY, { parent: "a" }),
    ];
    const copy = structuredClone(c);
    planGc(c, { ...NO_POLICY, empty: true, keepLast: 0, maxSize: 0 }, NOW);
    assert.deepEqual(c, copy);
  });
});

// Properties over generated candidates and policies.
const candidatesArb = fc.array(
  fc.record({
    dir: fc.constantFrom(...DIRS),
    bytes: fc.integer({ min: 0, max: 1000 }),
    ageMin: fc.integer({ min: 0, max: 60 * 24 * 20 }),
    empty: fc.boolean(),
    parent: fc.option(fc.nat({ max: 30 }), { nil: null }),
  }),
  { maxLength: 25 },
).map((list) =>
  list.map((x, i): GcCandidate => ({
    path: `/h/sessions/${x.dir}/f${String(i).padStart(2, "0")}.jsonl`,
    dir: x.dir,
    bytes: x.bytes,
    mtimeMs: NOW - x.ageMin * MIN,
    id: `id${i}`,
    // Forks name an earlier session (no cycles, as in real homes).
    parent: x.parent !== null && x.parent < i ? `id${x.parent}` : null,
    cwd: `/p/${x.dir}`,
    empty: x.empty,
  }))
);

const policyArb: fc.Arbitrary<GcPolicy> = fc.record({
  empty: fc.boolean(),
  olderThanMs: fc.option(fc.integer({ min: 0, max: 20 * DAY }), { nil: null }),
  keepLast: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  maxSize: fc.option(fc.integer({ min: 0, max: 15_000 }), { nil: null }),
  graceMs: fc.integer({ min: 0, max: 5 * DAY }),
  allowOrphans: fc.boolean(),
});

const inGraceAt = (c: GcCandidate, p: GcPolicy) => c.mtimeMs > NOW - p.graceMs;

describe("planGc properties", () => {
  it("never selects a file modified within the grace period", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, (c, p) => {
        const plan = planGc(c, p, NOW);
        for (const s of plan.remove) assert.ok(!inGraceAt(s.file, p), s.file.id);
        for (const g of plan.inGrace) assert.ok(inGraceAt(g.file, p), g.file.id);
      }),
      { numRuns: 400 },
    );
  });

  it("never selects the parent of a kept session without allowOrphans", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, (c, p) => {
        const plan = planGc(c, { ...p, allowOrphans: false }, NOW);
        const removed = new Set(plan.remove.map((s) => s.file.id));
        for (const x of c) {
          if (removed.has(x.id) || x.parent === null) continue;
          assert.ok(!removed.has(x.parent), `${x.parent} removed, its fork ${x.id} kept`);
        }
        for (const k of plan.keptForChildren) {
          assert.ok(!removed.has(k.file.id));
          for (const child of k.children) {
            assert.equal(c.find((x) => x.id === child)?.parent, k.file.id);
            assert.ok(!removed.has(child));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("max-size leaves the home at most the limit when enough files are eligible", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, fc.boolean(), (c, p, noForks) => {
        // Eligible: out of the grace period, and no parent rule in the way.
        const list = noForks ? c.map((x) => ({ ...x, parent: null })) : c;
        const policy = { ...p, allowOrphans: !noForks || p.allowOrphans };
        const max = policy.maxSize ?? 0;
        const plan = planGc(list, { ...policy, maxSize: max }, NOW);
        const eligible = list.filter((x) => !inGraceAt(x, policy)).reduce((n, x) => n + x.bytes, 0);
        if (plan.homeBytes - eligible <= max) {
          assert.ok(plan.remainingBytes <= max, `${plan.remainingBytes} > ${max}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("keep-last leaves at least min(N, count) sessions per project, the newest", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, fc.integer({ min: 0, max: 6 }), (c, p, n) => {
        const plan = planGc(c, {
          ...NO_POLICY,
          graceMs: p.graceMs,
          allowOrphans: p.allowOrphans,
          keepLast: n,
        }, NOW);
        const removed = new Set(plan.remove.map((s) => s.file));
        for (const dir of DIRS) {
          const all = c.filter((x) => x.dir === dir);
          const kept = all.filter((x) => !removed.has(x));
          assert.ok(kept.length >= Math.min(n, all.length), `${dir}: ${kept.length} kept`);
          const newest = [...all].sort((a, b) =>
            b.mtimeMs - a.mtimeMs || (a.path < b.path ? 1 : -1)
          )
            .slice(0, n);
          for (const x of newest) assert.ok(!removed.has(x), `${x.id} is among the newest ${n}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("without max-size, the selection is the union of each policy's own", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, (c, p) => {
        const base = { ...NO_POLICY, graceMs: p.graceMs, allowOrphans: true };
        const policy = { ...p, maxSize: null, allowOrphans: true };
        const one = (q: Partial<GcPolicy>) => ids(planGc(c, { ...base, ...q }, NOW));
        const union = new Set([
          ...(p.empty ? one({ empty: true }) : []),
          ...(p.olderThanMs !== null ? one({ olderThanMs: p.olderThanMs }) : []),
          ...(p.keepLast !== null ? one({ keepLast: p.keepLast }) : []),
        ]);
        assert.deepEqual(new Set(ids(planGc(c, policy, NOW))), union);
      }),
      { numRuns: 300 },
    );
  });

  it("is consistent: disjoint lists, oldest first, bytes add up", () => {
    fc.assert(
      fc.property(candidatesArb, policyArb, (c, p) => {
        const plan = planGc(c, p, NOW);
        const all = [
          ...plan.remove.map((s) => s.file.id),
          ...plan.keptForChildren.map((k) => k.file.id),
          ...plan.inGrace.map((g) => g.file.id),
        ];
        assert.equal(new Set(all).size, all.length);
        for (const s of plan.remove) assert.ok(s.reasons.length > 0);
        for (let i = 1; i < plan.remove.length; i++) {
          assert.ok(plan.remove[i - 1].file.mtimeMs <= plan.remove[i].file.mtimeMs);
        }
        assert.equal(plan.bytes, plan.remove.reduce((n, s) => n + s.file.bytes, 0));
        assert.equal(plan.homeBytes, c.reduce((n, x) => n + x.bytes, 0));
        assert.equal(plan.remainingBytes, plan.homeBytes - plan.bytes);
      }),
      { numRuns: 300 },
    );
  });
});

describe("planGc with named sessions", () => {
  const policy: GcPolicy = {
    empty: false,
    olderThanMs: null,
    keepLast: null,
    maxSize: null,
    graceMs: 3_600_000,
    allowOrphans: false,
  };
  const cand = (id: string, ageMs: number, o: Partial<GcCandidate> = {}): GcCandidate => ({
    path: `/h/sessions/aaaaaaaaaaaaaaaa/${id}.jsonl`,
    dir: "aaaaaaaaaaaaaaaa",
    bytes: 10,
    mtimeMs: NOW - ageMs,
    id,
    parent: null,
    cwd: "/p",
    empty: false,
    ...o,
  });

  it("selects exactly the named files, with the reason named; grace and fork parents still hold", () => {
    const files = [
      cand("a", DAY),
      cand("b", 2 * DAY),
      cand("c", MIN), // in the grace period
      cand("d", 3 * DAY), // parent of e, which stays
      cand("e", DAY, { parent: "d" }),
    ];
    const named = new Set(["a", "c", "d"].map((id) => `/h/sessions/aaaaaaaaaaaaaaaa/${id}.jsonl`));
    const plan = planGc(files, { ...policy, named }, NOW);
    assert.deepEqual(plan.remove.map((s) => [s.file.id, s.reasons]), [["a", ["named"]]]);
    assert.deepEqual(plan.inGrace.map((g) => g.file.id), ["c"]);
    assert.deepEqual(plan.keptForChildren.map((k) => [k.file.id, k.children]), [["d", ["e"]]]);
    const orphans = planGc(files, { ...policy, named, allowOrphans: true }, NOW);
    assert.deepEqual(orphans.remove.map((s) => s.file.id), ["d", "a"]);
  });
});

/**
 * The planner as it was before it was made linear (quadratic: it re-derived
 * the parents of kept forks by repeated sweeps after every session
 * `--max-size` chose), kept as the reference the fast one must agree with.
 */
function referencePlanGc(candidates: GcCandidate[], p: GcPolicy, nowMs: number): GcPlan {
  const reasons = new Map<GcCandidate, GcPlan["remove"][number]["reasons"]>();
  const choose = (c: GcCandidate, r: GcPlan["remove"][number]["reasons"][number]) => {
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
  if (p.olderThanMs !== null) {
    for (const c of candidates) if (c.mtimeMs < nowMs - p.olderThanMs) choose(c, "older-than");
  }
  if (p.keepLast !== null) {
    const byDir = new Map<string, GcCandidate[]>();
    for (const c of oldestFirst) byDir.set(c.dir, [...(byDir.get(c.dir) ?? []), c]);
    for (const list of byDir.values()) {
      for (const c of list.slice(0, Math.max(0, list.length - p.keepLast))) choose(c, "keep-last");
    }
  }
  const inGraceWindow = (c: GcCandidate) => c.mtimeMs > nowMs - p.graceMs;
  const homeBytes = candidates.reduce((n, c) => n + c.bytes, 0);
  const inGrace: GcPlan["inGrace"] = [];
  const chosen = new Set<GcCandidate>();
  for (const [c, r] of reasons) {
    if (inGraceWindow(c)) inGrace.push({ file: c, reasons: r });
    else chosen.add(c);
  }
  let selected = new Set<GcCandidate>();
  const keptForChildren = new Map<GcCandidate, string[]>();
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const protectParents = () => {
    selected = new Set(chosen);
    keptForChildren.clear();
    if (p.allowOrphans) return;
    let changed = true;
    while (changed) {
      changed = false;
      for (const c of candidates) {
        if (selected.has(c) || !c.parent) continue;
        const parent = byId.get(c.parent);
        if (!parent || !(selected.has(parent) || keptForChildren.has(parent))) continue;
        const children = keptForChildren.get(parent) ?? [];
        if (!children.includes(c.id)) keptForChildren.set(parent, [...children, c.id]);
        if (selected.delete(parent)) changed = true;
      }
    }
  };
  protectParents();
  if (p.maxSize !== null) {
    const selectedBytes = () => [...selected].reduce((n, c) => n + c.bytes, 0);
    for (const c of oldestFirst) {
      if (homeBytes - selectedBytes() <= p.maxSize) break;
      if (inGraceWindow(c) || selected.has(c) || keptForChildren.has(c)) continue;
      choose(c, "max-size");
      chosen.add(c);
      protectParents();
    }
  }
  const remove = oldestFirst.filter((c) => selected.has(c))
    .map((c) => ({ file: c, reasons: reasons.get(c)! }));
  const bytes = remove.reduce((n, s) => n + s.file.bytes, 0);
  return {
    remove,
    keptForChildren: oldestFirst.filter((c) => keptForChildren.has(c)).map((c) => ({
      file: c,
      reasons: reasons.get(c)!,
      children: keptForChildren.get(c)!,
    })),
    inGrace: inGrace.sort((a, b) => a.file.mtimeMs - b.file.mtimeMs),
    bytes,
    homeBytes,
    remainingBytes: homeBytes - bytes,
  };
}

/** A plan with each file replaced by its index among the candidates (files are compared by identity). */
function byIndex(plan: GcPlan, candidates: GcCandidate[]) {
  const at = (f: GcCandidate) => candidates.indexOf(f);
  return {
    remove: plan.remove.map((s) => [at(s.file), s.reasons]),
    keptForChildren: plan.keptForChildren.map((k) => [at(k.file), k.reasons, k.children]),
    inGrace: plan.inGrace.map((g) => [at(g.file), g.reasons]),
    bytes: plan.bytes,
    homeBytes: plan.homeBytes,
    remainingBytes: plan.remainingBytes,
  };
}

// Candidates as a damaged or hand-edited home can have them: ids shared by
// several files, forks of forks, parents that are missing, cycles (a file
// naming itself or a descendant as its parent), equal mtimes and sizes. The
// fewer ids, the more forks and cycles.
const tangledArb = (maxIds: number) =>
  fc.integer({ min: 1, max: maxIds }).chain((ids) =>
    fc.array(
      fc.record({
        id: fc.nat({ max: ids - 1 }),
        parent: fc.option(fc.nat({ max: ids }), { nil: null, freq: 3 }),
        dir: fc.constantFrom(...DIRS),
        name: fc.nat({ max: 60 }),
        bytes: fc.integer({ min: 0, max: 1000 }),
        ageMin: fc.constantFrom(0, 5, 30, 90, 24 * 60, 3 * 24 * 60, 30 * 24 * 60),
        jitter: fc.nat({ max: 3 }),
        empty: fc.boolean(),
      }),
      { maxLength: 60 },
    ).map((list) =>
      list.map((x): GcCandidate => ({
        path: `/h/sessions/${x.dir}/f${x.name}.jsonl`,
        dir: x.dir,
        bytes: x.bytes,
        mtimeMs: NOW - x.ageMin * MIN - x.jitter,
        id: `id${x.id}`,
        parent: x.parent === null ? null : `id${x.parent}`,
        cwd: `/p/${x.dir}`,
        empty: x.empty,
      }))
    )
  );

/** Any policies, sessions named among `candidates` included. */
const anyPolicyArb = (candidates: GcCandidate[]): fc.Arbitrary<GcPolicy> =>
  fc.record({
    all: fc.constantFrom(false, false, false, false, true),
    empty: fc.boolean(),
    olderThanMs: fc.option(fc.integer({ min: 0, max: 40 * DAY }), { nil: null }),
    keepLast: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
    maxSize: fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: null, freq: 1 }),
    graceMs: fc.constantFrom(0, MIN, HOUR, 2 * DAY),
    allowOrphans: fc.boolean(),
    named: fc.option(
      fc.subarray(candidates.map((c) => c.path)).map((paths) => new Set(paths)),
      { nil: undefined, freq: 3 },
    ),
  });

/**
 * `--max-size` alone, or over a few sessions another policy chose: what
 * makes it choose parents of kept forks, forks of chosen parents and members
 * of cycles one at a time, which is where the fast planner does its own
 * bookkeeping.
 */
const maxSizePolicyArb = (candidates: GcCandidate[]): fc.Arbitrary<GcPolicy> =>
  fc.record({
    empty: fc.constantFrom(false, false, true),
    olderThanMs: fc.option(fc.constantFrom(2 * DAY, 20 * DAY), { nil: null, freq: 1 }),
    keepLast: fc.constant(null),
    maxSize: fc.integer({ min: 0, max: candidates.reduce((n, c) => n + c.bytes, 0) }),
    graceMs: fc.constantFrom(0, 0, MIN, HOUR),
    allowOrphans: fc.constantFrom(false, false, false, true),
  });

const samePlan = ([c, p]: [GcCandidate[], GcPolicy]) => {
  assert.deepEqual(byIndex(planGc(c, p, NOW), c), byIndex(referencePlanGc(c, p, NOW), c));
};

describe("planGc against the reference planner", () => {
  it("gives the same plan on generated candidates (also cycles and shared ids) and policies", () => {
    const arb = tangledArb(40).chain((c) => fc.tuple(fc.constant(c), anyPolicyArb(c)));
    fc.assert(fc.property(arb, samePlan), { numRuns: 1500 });
  });

  it("gives the same plan when --max-size chooses among forks and cycles", () => {
    const arb = tangledArb(12).chain((c) => fc.tuple(fc.constant(c), maxSizePolicyArb(c)));
    fc.assert(fc.property(arb, samePlan), { numRuns: 1500 });
  });

  it("gives the same plan on the fork trees gc sees in real homes", () => {
    fc.assert(fc.property(fc.tuple(candidatesArb, policyArb), samePlan), { numRuns: 500 });
  });
});
