/**
 * The kernel embedded in lib/format/json_kernel_wasm.ts is the one
 * kernel/json_kernel.ts compiles to: a change to the AssemblyScript source
 * without `npm run build:kernel` (or `npm run build`) fails here.
 *
 * A check of a build product, not of the runtime: it runs once, under Deno
 * (the compiler takes ~2 s a run).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import process from "node:process";
import { compileKernel, KERNEL_MODULE, kernelModuleText } from "../../scripts/build-kernel.ts";
import { skipBecause } from "../helpers/skips.ts";

const UNDER_BUN = process.versions.bun !== undefined;

describe("the embedded WebAssembly kernel", {
  skip: skipBecause(UNDER_BUN, "a build product: checked once, under Deno"),
}, () => {
  it("lib/format/json_kernel_wasm.ts holds what kernel/json_kernel.ts compiles to", async () => {
    const want = kernelModuleText(await compileKernel());
    const have = await readFile(KERNEL_MODULE, "utf8");
    assert.ok(have === want, "stale: run npm run build:kernel");
  });
});
