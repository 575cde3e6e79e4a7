/**
 * A cost run (lib/cost/compute.ts) tested through `computeCost` on a source
 * that answers from a table instead of reading the files: which files are
 * counted (the project's or every one, several homes, the same session
 * twice), which of their events (the range), how session rows are ordered
 * and cut, and what is reported as a problem. The homes are real but hold
 * empty files of the given times and sizes: listing them is where choosing
 * starts. What a file's ledger finds (forks' own spend) is tests/scan's.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { computeCost } from "../../lib/cost/compute.ts";
import type { CostOptions } from "../../lib/cost/run_types.ts";
import type { ReportRow } from "../../lib/cost/report.ts";
import type { MetaRecord } from "../../lib/format/records.ts";
import { emptyLedger } from "../../lib/scan/ledger.ts";
import { emptySummary } from "../../lib/scan/session_scan.ts";
import type { SessionFile } from "../../lib/sessions/catalog.ts";
import { projectKey } from "../../lib/sessions/home.ts";
import type { OnSpend, SessionSource } from "../../lib/sessions/source.ts";
import { COST_OPTIONS } from "../helpers/cost_options.ts";
import { withDir } from "../helpers/dirs.ts";

const A = "/src/app";
const B = "/src/lib";
/** Times are hours after this. */
const T0 = Date.parse("2026-11-01T00:00:00Z");
const hour = (h: number) => T0 + h * 3_600_000;

/** A session file, and what a scan of it finds. */
interface Fake {
  name: string;
  /** Which home it is in (0 by default), and under which project (A). */
  home?: number;
  cwd?: string;
  /** Last written, in hours; its size in bytes (1). */
  at: number;
  bytes?: number;
  /** The first meta line's id (else the name's). */
  id?: string;
  /** Spend events: [hour, dollars, input tokens]. */
  spend?: [number, number, number?][];
  /** The cwd of its latest meta line, when it moved. */
  movedTo?: string;
  /** What zot recorded ($); when it started (hours; none: no meta line). */
  recorded?: number;
  started?: number | null;
  damaged?: number;
  /** Scanning it fails with this message. */
  fails?: string;
}

function meta(id: string, cwd: string, startedH: number): MetaRecord {
  const started = new Date(hour(startedH)).toISOString();
  return {
    type: "meta",
    id,
    cwd,
    model: "m",
    provider: "p",
    started,
    version: "",
    title: "",
    parent: "",
    forkPoint: null,
  };
}

/** A source that tells, of each path, what its {@linkcode Fake} says; `read` lists what it was asked. */
class TableSource implements SessionSource {
  readonly read: string[] = [];
  constructor(readonly fakes: Map<string, { label: string; fake: Fake }>) {}

  scan(file: SessionFile, onSpend?: OnSpend) {
    const { label, fake } = this.fakes.get(file.path)!;
    this.read.push(label);
    if (fake.fails) return Promise.reject(new Error(fake.fails));
    const id = fake.id ?? fake.name.replace(/\.jsonl$/, "");
    const cwd = fake.cwd ?? A;
    const ledger = emptyLedger().info;
    ledger.meta = meta(id, cwd, fake.started ?? 0);
    ledger.recorded.costNanos = Math.round((fake.recorded ?? 0) * 1e9);
    ledger.damagedLines = fake.damaged ?? 0;
    if (fake.damaged) ledger.firstDamage = { line: 3, reason: "not JSON" };
    const summary = emptySummary();
    summary.meta = fake.started === null ? null : meta(id, fake.movedTo ?? cwd, fake.started ?? 0);
    summary.title = `title of ${id}`;
    (fake.spend ?? []).forEach(([h, usd, inputTokens = 100], i) => {
      const spend = {
        inputTokens,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costNanos: Math.round(usd * 1e9),
      };
      const e = { timeMs: hour(h), ordinal: i + 1, model: "m", provider: "p", spend };
      onSpend?.(e, ledger);
    });
    return Promise.resolve({ summary, ledger });
  }
  firstMeta() {
    return Promise.resolve(null);
  }
  search(): never {
    throw new Error("not asked");
  }
  changesTo(): never {
    throw new Error("not asked");
  }
  prefetch() {
    return Promise.resolve();
  }
  forget() {
    return Promise.resolve();
  }
  warnedDamage(): Promise<Set<string>> {
    return Promise.resolve(new Set());
  }

  close() {
    return Promise.resolve();
  }
}

/** Writes the fakes' files into two homes under `dir` and runs the cost run on them. */
async function run(dir: string, fakes: Fake[], o: Partial<CostOptions> = {}) {
  const homes = [join(dir, "h0"), join(dir, "h1")];
  const table = new Map<string, { label: string; fake: Fake }>();
  for (const fake of fakes) {
    const home = fake.home ?? 0;
    const sessions = join(homes[home], "sessions", projectKey(fake.cwd ?? A));
    await mkdir(sessions, { recursive: true });
    const path = join(sessions, fake.name);
    await writeFile(path, "x".repeat(fake.bytes ?? 1));
    await utimes(path, hour(fake.at) / 1000, hour(fake.at) / 1000);
    table.set(path, { label: `${home}:${fake.name}`, fake });
  }
  const source = new TableSource(table);
  const progress: number[][] = [];
  const result = await computeCost(
    { source, homes, cwd: A, base: "/" },
    { ...COST_OPTIONS, ...o },
    {
      update: (...p) => void progress.push(p),
      clear: () => Promise.resolve(void progress.push([])),
    },
  );
  return { result, read: source.read.sort(), progress, homes };
}

/** Rows as `key $cost`, children indented. */
function brief(rows: ReportRow[], indent = ""): string[] {
  return rows.flatMap((r) => [
    `${indent}${r.key} $${r.costUsd}`,
    ...brief(r.children ?? [], indent + "  "),
  ]);
}

describe("computeCost: which files and events are counted", () => {
  const cases: {
    why: string;
    fakes: Fake[];
    o?: Partial<CostOptions>;
    want: string[];
    read: string[];
  }[] = [
    {
      why: "the project's files in every home, no other project's",
      fakes: [
        { name: "a.jsonl", at: 1, spend: [[1, 1]] },
        { name: "b.jsonl", cwd: B, at: 1, spend: [[1, 2]] },
        { name: "c.jsonl", home: 1, at: 1, spend: [[1, 3]] },
      ],
      want: ["c $3", "a $1"],
      read: ["0:a.jsonl", "1:c.jsonl"],
    },
    {
      why: "--all: every project's",
      fakes: [
        { name: "a.jsonl", at: 1, spend: [[1, 1]] },
        { name: "b.jsonl", cwd: B, at: 1, spend: [[1, 2]] },
        { name: "c.jsonl", home: 1, at: 1, spend: [[1, 3]] },
      ],
      o: { all: true },
      want: ["c $3", "b $2", "a $1"],
      read: ["0:a.jsonl", "0:b.jsonl", "1:c.jsonl"],
    },
    {
      why: "a file synced into two homes is read once: the newer copy",
      fakes: [
        { name: "s.jsonl", at: 2, spend: [[1, 1]] },
        { name: "s.jsonl", home: 1, at: 3, spend: [[1, 1], [3, 1]] },
      ],
      want: ["s $2"],
      read: ["1:s.jsonl"],
    },
    {
      why: "two copies written at the same time: the bigger one",
      fakes: [
        { name: "s.jsonl", at: 2, bytes: 20, spend: [[1, 1], [2, 1]] },
        { name: "s.jsonl", home: 1, at: 2, bytes: 10, spend: [[1, 1]] },
      ],
      want: ["s $2"],
      read: ["0:s.jsonl"],
    },
    {
      why: "the same session under two names counts once: the newest file's",
      fakes: [
        { name: "s.jsonl", id: "s", at: 2, spend: [[1, 1]] },
        { name: "copy.jsonl", id: "s", at: 3, spend: [[1, 1], [3, 4]] },
        { name: "other.jsonl", id: "s", home: 1, at: 1, spend: [[1, 9]] },
      ],
      want: ["s $5"],
      read: ["0:copy.jsonl", "0:s.jsonl", "1:other.jsonl"],
    },
    {
      why: "files last written before --since are not read; events before it not counted",
      fakes: [
        { name: "old.jsonl", at: 9, spend: [[9, 1]] },
        { name: "new.jsonl", at: 12, spend: [[9, 1], [10, 2], [12, 4]] },
      ],
      o: { sinceMs: hour(10) },
      want: ["new $6"],
      read: ["0:new.jsonl"],
    },
    {
      why: "--since and --until both count the events at their instant",
      fakes: [{ name: "s.jsonl", at: 20, spend: [[9, 1], [10, 2], [15, 4], [16, 8]] }],
      o: { sinceMs: hour(10), untilMs: hour(15) },
      want: ["s $6"],
      read: ["0:s.jsonl"],
    },
    {
      why: "a session with no spend in the range has no row",
      fakes: [
        { name: "s.jsonl", at: 20, spend: [[16, 1]] },
        { name: "t.jsonl", at: 20, spend: [[12, 1]] },
      ],
      o: { untilMs: hour(15) },
      want: ["t $1"],
      read: ["0:s.jsonl", "0:t.jsonl"],
    },
    {
      why: "a session's project is its latest meta line's cwd",
      fakes: [
        { name: "a.jsonl", at: 1, spend: [[1, 1]], movedTo: "/src/moved" },
        { name: "b.jsonl", at: 1, spend: [[1, 2]] },
      ],
      o: { by: ["project"] },
      want: [`${A} $2`, "/src/moved $1"],
      read: ["0:a.jsonl", "0:b.jsonl"],
    },
  ];
  for (const { why, fakes, o, want, read } of cases) {
    it(why, async () => {
      await withDir(async (dir) => {
        const r = await run(dir, fakes, o);
        assert.deepEqual(brief(r.result.rows), want);
        assert.deepEqual(r.read, read);
        assert.deepEqual(r.result.problems.map((p) => p.message), []);
      });
    });
  }

  it("reports a file it cannot read, and damaged lines, and counts the rest", async () => {
    await withDir(async (dir) => {
      const r = await run(dir, [
        { name: "gone.jsonl", at: 3, fails: "EACCES: permission denied" },
        { name: "torn.jsonl", at: 2, damaged: 2, spend: [[1, 1]] },
        { name: "ok.jsonl", at: 1, spend: [[1, 2]] },
      ]);
      const dirA = join(r.homes[0], "sessions", projectKey(A));
      assert.deepEqual(brief(r.result.rows), ["ok $2", "torn $1"]);
      assert.deepEqual(r.result.problems.map((p) => p.message), [
        `Cannot read "${join(dirA, "gone.jsonl")}": EACCES: permission denied; skipped it`,
        `Cannot read 2 lines of "${
          join(dirA, "torn.jsonl")
        }" (first: line 3, not JSON); skipped them`,
      ]);
      // The damage is told apart (warned about once: issue 22), with its file and count.
      assert.deepEqual(
        r.result.problems.map((p) => p.damage && [p.damage.file.path, p.damage.count]),
        [undefined, [join(dirA, "torn.jsonl"), 2]],
      );
      assert.deepEqual(r.progress.at(-2), [3, 3, 3], "files done, of, bytes");
      assert.deepEqual(r.progress.at(-1), [], "cleared once the files are read");
    });
  });

  it("keeps each counted session's events when asked, a session twice once", async () => {
    await withDir(async (dir) => {
      const fakes: Fake[] = [
        { name: "s.jsonl", at: 3, spend: [[1, 1], [2, 2]] },
        { name: "copy.jsonl", id: "s", at: 2, spend: [[2, 1]] },
        { name: "t.jsonl", at: 2, spend: [[1, 4]] },
      ];
      const r = await run(dir, fakes, { events: true, sinceMs: hour(2) });
      const kept = r.result.events!.map((s) => [s.id, s.events.map((e) => e.spend.costNanos)]);
      assert.deepEqual(kept, [["s", [2e9]], ["t", []]]);
      assert.equal((await run(join(dir, "x"), fakes)).result.events, undefined);
    });
  });
});

describe("computeCost: session rows ordered and cut (--sort, --reverse, --limit)", () => {
  // p costs most, q was recorded at most and has most tokens, r was written
  // last, p started last; s has no meta line (no start).
  const fakes: Fake[] = [
    { name: "p.jsonl", at: 1, spend: [[1, 4, 100]], recorded: 1, started: 4 },
    { name: "q.jsonl", at: 2, spend: [[1, 3, 400]], recorded: 4, started: 1 },
    { name: "r.jsonl", at: 4, spend: [[1, 2, 200]], recorded: 3, started: 2 },
    { name: "s.jsonl", at: 3, spend: [[1, 1, 300]], recorded: 2, started: null },
  ];
  const cases: [Partial<CostOptions>, string, number][] = [
    // options, the session rows in order, how many left out
    [{}, "p q r s", 0],
    [{ sort: "recorded" }, "q r s p", 0],
    [{ sort: "tokens" }, "q s r p", 0],
    [{ sort: "updated" }, "r s q p", 0],
    [{ sort: "started" }, "p r q s", 0],
    [{ sort: "updated", reverse: true }, "p q s r", 0],
    [{ sort: "updated", limit: 2 }, "r s", 2],
    [{ reverse: true, limit: 1 }, "s", 3],
    [{ limit: 9 }, "p q r s", 0],
  ];
  for (const [o, want, hidden] of cases) {
    it(`${JSON.stringify(o)}: ${want}${hidden ? `, ${hidden} not shown` : ""}`, async () => {
      await withDir(async (dir) => {
        const { result } = await run(dir, fakes, o);
        assert.equal(result.rows.map((r) => r.key).join(" "), want);
        assert.equal(result.hiddenSessions, hidden);
        assert.equal(result.report.total.spend.costNanos, 10e9, "the total is every session's");
      });
    });
  }

  it("with sessions second, orders and cuts them within each group, the group's sums whole", async () => {
    await withDir(async (dir) => {
      const started = fakes.map((f) => ({ ...f, started: f.started ?? 0 }));
      const { result } = await run(dir, started, {
        by: ["project", "session"],
        sort: "updated",
        limit: 2,
      });
      assert.deepEqual(brief(result.rows), [`${A} $10`, "  r $2", "  s $1"]);
      assert.equal(result.rows[0].sessions, 4);
      assert.equal(result.hiddenSessions, 0);
    });
  });

  it("keeps what a session row shows: title, project, start, last written, recorded", async () => {
    await withDir(async (dir) => {
      const { result } = await run(dir, fakes);
      const q = result.sessions.get("q")!;
      assert.deepEqual(
        [q.title, q.cwd, q.startedMs, q.updatedMs, q.info.recorded.costNanos],
        ["title of q", A, hour(1), hour(2), 4e9],
      );
      assert.equal(result.sessions.get("s")!.startedMs, null);
    });
  });
});
