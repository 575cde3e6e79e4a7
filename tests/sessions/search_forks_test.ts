import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { copiesAmong, type ForkFacts, InstantGroups } from "../../lib/sessions/search_forks.ts";
import type { MessageHit } from "../../lib/sessions/search_query.ts";

const TIME = "2026-10-05T07:13:03Z";
const hit = (path: string, index: number, text = "the retry", time = TIME): MessageHit => ({
  path,
  index,
  role: "user",
  time,
  score: 1,
  snippet: { text, matches: [[4, 9]] },
});
const FACTS = new Map<string, ForkFacts>([
  ["/a", { id: "aaaa", parent: null, forkPoint: null }],
  ["/b", { id: "bbbb", parent: "aaaa", forkPoint: 10 }],
  ["/c", { id: "cccc", parent: "bbbb", forkPoint: 20 }],
]);
const facts = (path: string) => FACTS.get(path) ?? null;

describe("search: a fork's copies", () => {
  it("a chain: each copy is its parent's, the root's is the hit", () => {
    const [a, b, c] = [hit("/a", 3), hit("/b", 3), hit("/c", 3)];
    const copies = copiesAmong([c, b, a], facts);
    assert.deepEqual([...copies].map(([h, p]) => [h.path, p]), [["/c", "bbbb"], ["/b", "aaaa"]]);
  });

  it("not a copy: past the fork point, another text, its parent not searched, facts unknown", () => {
    assert.equal(copiesAmong([hit("/b", 10), hit("/a", 10)], facts).size, 0);
    assert.equal(copiesAmong([hit("/b", 3, "the retry!"), hit("/a", 3)], facts).size, 0);
    assert.equal(copiesAmong([hit("/c", 3), hit("/a", 3)], facts).size, 0);
    assert.equal(copiesAmong([hit("/b", 3), hit("/x", 3)], facts).size, 0);
    assert.equal(copiesAmong([hit("/b", 3), hit("/a", 3)], () => null).size, 0);
  });

  it("groups hits by instant, however the time is written", async () => {
    const groups: string[][] = [];
    const by = new InstantGroups((g) => {
      groups.push(g.map((h) => h.path));
      return Promise.resolve();
    });
    await by.push(hit("/c", 3));
    await by.push(hit("/b", 3, "x", "2026-10-05T09:13:03+02:00"));
    await by.push(hit("/a", 2, "x", "2026-10-05T07:13:02Z"));
    await by.flush();
    await by.flush();
    assert.deepEqual(groups, [["/c", "/b"], ["/a"]]);
  });
});
