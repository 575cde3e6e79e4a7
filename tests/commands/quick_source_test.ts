/**
 * The index's quick mode (lib/index/read_budget.ts, `SessionSource.quick`),
 * through the run's source as the context chooses it: within its budget a
 * file is read and saved; beyond it, answered from its row as it stands
 * (a grown file: its old figures) or as empty (no row), and listed stale.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseSource } from "../../lib/index/open.ts";
import { listScope } from "../../lib/sessions/scope.ts";
import { sessionSpend } from "../../lib/scan/ledger.ts";
import { messageLine, withHomes } from "../helpers/fixtures.ts";
import { NOW, SB1_MORE, STATUS_HOME } from "../helpers/status_home.ts";

describe("the index's quick mode", () => {
  it("reads the first file asked for and what fits; answers the rest from rows, stale", async () => {
    const cache = await mkdtemp(join(tmpdir(), "zot-quick-"));
    const source = (quick: number | null) => {
      const s = chooseSource({
        dir: cache,
        noIndex: false,
        stats: { bytesRead: 0 },
        now: NOW,
        warn: (m) => Promise.reject(new Error(m)),
      });
      if (quick !== null) s.quick!(quick);
      return s;
    };
    try {
      await withHomes([STATUS_HOME()], async (h) => {
        const files = await listScope({ homes: [h.home], cwd: "/" }, true);
        const spend = async (s: ReturnType<typeof source>) => {
          const out: number[] = [];
          for (const f of files) out.push(sessionSpend((await s.scan(f)).ledger).costUsd);
          return out;
        };
        // Cold: one byte a run reads only the first file; the others are empty.
        const cold = source(1);
        const first = await spend(cold);
        assert.deepEqual([...cold.stale!()], files.slice(1).map((f) => f.path));
        assert.ok(first[0] > 0 && first.slice(1).every((x) => x === 0), String(first));
        await cold.close();
        // Warm, no budget: every file read, the first answered from its row.
        const full = source(null);
        const all = await spend(full);
        assert.equal(all[0], first[0]);
        assert.deepEqual([...full.stale!()], []);
        await full.close();
        // SB1 grows by $0.05 and another file by a message: a quick run with
        // no bytes to spare reads the other (the first it asks for) and
        // answers SB1 from its row, $0.05 short, stale.
        const sb1 = files.find((f) => f.path.includes("b1b1b1b1"))!;
        const other = files.find((f) => f !== sb1)!;
        await appendFile(sb1.path, SB1_MORE);
        await appendFile(other.path, messageLine("user", "more", "2026-11-25T11:58:00Z") + "\n");
        const now = await listScope({ homes: [h.home], cwd: "/" }, true);
        const grown = now.find((f) => f.path === sb1.path)!;
        const quick = source(1);
        await quick.scan(now.find((f) => f.path === other.path)!);
        const old = sessionSpend((await quick.scan(grown)).ledger).costUsd;
        assert.equal(Math.round(old * 100), 210);
        assert.deepEqual([...quick.stale!()], [sb1.path]);
        await quick.close();
        const caught = source(1);
        assert.equal(
          Math.round(sessionSpend((await caught.scan(grown)).ledger).costUsd * 100),
          215,
        );
        assert.deepEqual([...caught.stale!()], []);
        await caught.close();
      });
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
