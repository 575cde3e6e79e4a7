/** End-to-end tests of `cost` (see harness.ts for how they run). */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { BIN, exampleWorkdir, run, RUNNERS } from "./harness.ts";

let example = "";
/** Points a run at the example home, read at its instant. */
let env: Record<string, string> = {};
let cleanup = () => Promise.resolve();
before(async () => {
  ({ example, env, cleanup } = await exampleWorkdir());
});
after(() => cleanup());

describe("e2e: cost on the example home", () => {
  it("--json is byte-identical from the binary, Deno and Bun, in every grouping", () => {
    for (const by of ["model", "day,model", "session", "week,project", "month"]) {
      const args = [
        "cost",
        "--all",
        "--home",
        example,
        "--json",
        "--tz",
        "Europe/Berlin",
        "--by",
        by,
      ];
      const outs = RUNNERS.map(([name, r]) => {
        const res = r(args, env);
        assert.equal(res.code, 0, `${name} ${by}: ${res.err}`);
        return res.out;
      });
      assert.equal(outs[1], outs[0], `deno differs from the binary for --by ${by}`);
      assert.equal(outs[2], outs[0], `bun differs from the binary for --by ${by}`);
    }
  });

  it("counts each dollar once: forks' copied history is the parent's", () => {
    const r = JSON.parse(
      run(BIN, ["cost", "--all", "--home", example, "--json", "--by", "session"], env).out,
    );
    // Summed independently (Python) over the files: the last cumulative of
    // each session minus each fork's last inherited cumulative.
    assert.equal(r.total.costUsd.toFixed(8), "0.54874555");
    const byId = new Map(r.rows.map((row: { key: string }) => [row.key.slice(0, 8), row]));
    const fork = byId.get("89166dff") as { costUsd: number; recordedCostUsd: number };
    assert.equal(fork.costUsd.toFixed(7), "0.0844443");
    assert.equal(fork.recordedCostUsd.toFixed(7), "0.1375083");
    const grandchild = byId.get("e1af52d0") as { costUsd: number };
    assert.equal(grandchild.costUsd.toFixed(7), "0.0423732");
    // The empty session spent nothing and has no row.
    assert.equal(byId.has("c0a9a28e"), false);
  });

  it("prints the report with a TOTAL row, and exits 0", () => {
    const r = run(BIN, ["cost", "--all", "--home", example, "--by", "project", "--tz", "UTC"], env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^All projects · all time · UTC\nTotal +\$0\.55 in 9 sessions\n/);
    assert.match(r.out, /\nTOTAL +9 .* \$0\.55\n$/);
  });
});
