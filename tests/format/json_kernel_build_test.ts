/**
 * The kernel embedded in lib/format/json_kernel_wasm.ts is the one
 * kernel/json_kernel.ts compiles to: a change to the AssemblyScript source
 * without `npm run build:kernel` (or `npm run build`) fails here.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { compileKernel, KERNEL_MODULE, kernelModuleText } from "../../scripts/build-kernel.ts";

describe("the embedded WebAssembly kernel", () => {
  it("lib/format/json_kernel_wasm.ts holds what kernel/json_kernel.ts compiles to", async () => {
    const want = kernelModuleText(await compileKernel());
    const have = await readFile(KERNEL_MODULE, "utf8");
    assert.ok(have === want, "stale: run npm run build:kernel");
  });
});
