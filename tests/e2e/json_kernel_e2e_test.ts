/**
 * End-to-end: the JSON check runs in the WebAssembly kernel embedded in the
 * binary and in the sources under Deno and Bun, and falls back to JavaScript,
 * with the same answers, where the runtime cannot run it (Bun with
 * `BUN_JSC_useWasm=0`, or without SIMD, `BUN_JSC_useWasmSIMD=0`; Deno with
 * `--v8-flags=--jitless`). Told by the
 * line `ZOT_SESSIONS_STATS` adds (see harness.ts for how the runs go).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { exampleWorkdir, ROOT, run, RUNNERS } from "./harness.ts";

const CHECKED =
  /^zot-sessions: checked (\d+) bytes as JSON: (\d+) in WebAssembly, (\d+) in JavaScript$/m;

/** Bytes checked in WebAssembly and in JavaScript, from a run's stderr. */
function checked(err: string): { wasm: number; js: number } {
  const m = CHECKED.exec(err);
  assert.ok(m, `no "checked" line in: ${err}`);
  assert.equal(Number(m[1]), Number(m[2]) + Number(m[3]));
  return { wasm: Number(m[2]), js: Number(m[3]) };
}

describe("e2e: the JSON check's WebAssembly kernel", () => {
  let work: Awaited<ReturnType<typeof exampleWorkdir>>;
  let args: string[] = [];
  before(async () => {
    work = await exampleWorkdir();
    args = ["ls", "--all", "--json", "--no-index", "--home", work.example];
  });
  after(() => work.cleanup());

  it("the binary and the sources under Deno and Bun check every line in WebAssembly", () => {
    for (const [name, runner] of RUNNERS) {
      const r = runner(args, { ...work.env, ZOT_SESSIONS_STATS: "1" });
      assert.equal(r.code, 0, `${name}: ${r.err}`);
      const { wasm, js } = checked(r.err);
      assert.ok(wasm > 10_000, `${name}: ${wasm} bytes in WebAssembly`);
      assert.equal(js, 0, name);
    }
  });

  it("without WebAssembly the check runs in JavaScript, with the same answers", () => {
    const env = { ...work.env, ZOT_SESSIONS_STATS: "1" };
    const [, binary] = RUNNERS[0];
    const want = binary(args, env);
    const deno = join(ROOT, "node_modules", ".bin", "deno");
    const runs = {
      "binary, BUN_JSC_useWasm=0": binary(args, { ...env, BUN_JSC_useWasm: "0" }),
      "binary, BUN_JSC_useWasmSIMD=0": binary(args, { ...env, BUN_JSC_useWasmSIMD: "0" }),
      "deno --v8-flags=--jitless": run(
        deno,
        ["run", "-A", "--v8-flags=--jitless", join(ROOT, "main.ts"), ...args],
        env,
      ),
    };
    for (const [name, r] of Object.entries(runs)) {
      assert.equal(r.code, 0, `${name}: ${r.err}`);
      assert.equal(r.out, want.out, name);
      const { wasm, js } = checked(r.err);
      assert.equal(wasm, 0, name);
      assert.equal(js, checked(want.err).wasm, name);
    }
  });
});
