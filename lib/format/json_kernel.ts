/**
 * The JSON check over a stream of lines ({@linkcode JsonCheck}): whether each
 * line is one JSON text, found in the same pass that finds where it ends. Two
 * implementations that give the same answers (a property test holds them to
 * it): the WebAssembly kernel (`kernel/json_kernel.ts`, SIMD, embedded as
 * base64 in `json_kernel_wasm.ts`) when the runtime can run it, else
 * `JsonValidator` in JavaScript after `indexOf` finds the line's end.
 * The interface and the JavaScript check are in json_check.ts, the kernel's
 * in json_wasm_check.ts; this module picks one.
 *
 * Why: the check looks at every byte of every message line, nearly all of a
 * transcript; in JavaScript it ran at 0.5–0.8 GB/s and made a cold `ls` six
 * times as slow as `cat`. The kernel skips the plain runs of strings 64 bytes
 * a step (figures in the commit that added it).
 *
 * @module
 */
import {
  JsCheck,
  type JsonCheck,
  type JsonCheckCounter,
  type JsonKernelKind,
} from "./json_check.ts";
import { loadKernel, WasmCheck } from "./json_wasm_check.ts";

/**
 * Whether this runtime runs the WebAssembly kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasmKernelAvailable } from "./json_kernel.ts";
 * assert.equal(typeof wasmKernelAvailable(), "boolean");
 * ```
 */
export function wasmKernelAvailable(): boolean {
  return loadKernel() !== null;
}

/**
 * A new check: the kernel's when this runtime runs it and `kind` is not
 * `"js"`, else JavaScript's. Bytes checked are added to `counter`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonCheck } from "./json_kernel.ts";
 * const check = jsonCheck();
 * const chunk = new TextEncoder().encode('{"a":[1,2]}\n{"a":\n');
 * assert.equal(check.line(chunk, 0), 11);
 * assert.equal(check.end(), true);
 * assert.equal(check.line(chunk, 12), 17);
 * assert.equal(check.end(), false);
 * ```
 */
export function jsonCheck(counter?: JsonCheckCounter, kind?: JsonKernelKind): JsonCheck {
  const k = kind === "js" ? null : loadKernel();
  return k ? new WasmCheck(k, counter) : new JsCheck(counter);
}
