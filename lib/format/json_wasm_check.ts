/**
 * The JSON check in the WebAssembly kernel (`kernel/json_kernel.ts`, SIMD,
 * embedded as base64 in `json_kernel_wasm.ts`): its one instance
 * ({@linkcode Kernel}) and the check that runs in it ({@linkcode WasmCheck}).
 *
 * How the kernel is shared: one instance, one memory, one state slot. Each
 * check saves its state (a few numbers and the open brackets) when another
 * takes the slot. The kernel reads bytes in its own memory only: they are
 * copied into a window there, a few KiB at first and more as a line goes on,
 * so that checks taking turns at every line (files read at once) copy little
 * more than they check. (Reading files straight into the kernel's memory
 * saved the copy but cost more: Bun's reads into it took ~40% more system
 * time and more peak memory on the benchmark corpus.)
 * Nesting deeper than the kernel's stack (2^20 levels) goes on in JavaScript
 * for the rest of that line.
 *
 * @module
 */
import { JSON_KERNEL_WASM_BASE64 } from "./json_kernel_wasm.ts";
import { JsonValidator } from "./json_valid.ts";
import { JsCheck, type JsonCheck, type JsonCheckCounter } from "./json_check.ts";

// The state's slots in the kernel's memory (kernel/json_kernel.ts).
const SLOTS = 7;
const S_STATE = 0;
const S_IN_KEY = 1;
const S_DEPTH = 2;
const S_LITERAL = 3;
const S_AT = 4;
const S_BOM = 5;
const S_DEEP = 6;

interface KernelExports {
  memory: WebAssembly.Memory;
  stateAt(): number;
  stackAt(): number;
  dataAt(): number;
  dataBytes(): number;
  run(from: number, end: number, line: number): number;
  verdict(): number;
}

/** The first window, in bytes; each next one of the same line is four times as big. */
const FIRST_WINDOW = 4 << 10;

/**
 * The one instance of the kernel, and who is using its state slot and data
 * window ({@linkcode loadKernel} makes it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadKernel } from "./json_wasm_check.ts";
 *
 * const k = loadKernel();
 * if (k !== null) assert.ok(k.windowBytes > 0);
 * ```
 */
export class Kernel {
  readonly run: (from: number, end: number, line: number) => number;
  readonly verdict: () => number;
  /** The kernel's memory (fixed: never grown, so this view stays valid). */
  readonly memory: Uint8Array;
  readonly slots: Int32Array;
  readonly stackAt: number;
  /** Where bytes from elsewhere are copied to be checked, and how many fit. */
  readonly windowAt: number;
  readonly windowBytes: number;
  /** The check whose state is in the slots. */
  owner: WasmCheck | null = null;
  /** What the data window holds: `chunk[start, end)`, loaded by `by`. */
  windowBy: WasmCheck | null = null;
  windowChunk: Uint8Array | null = null;
  windowStart = 0;
  windowEnd = 0;

  constructor(e: KernelExports) {
    this.run = e.run;
    this.verdict = e.verdict;
    this.memory = new Uint8Array(e.memory.buffer);
    this.slots = new Int32Array(e.memory.buffer, e.stateAt(), SLOTS);
    this.stackAt = e.stackAt();
    this.windowAt = e.dataAt();
    this.windowBytes = e.dataBytes();
  }
}

let kernel: Kernel | null | undefined;

/**
 * The kernel, instantiated once; null if this runtime cannot run it (no WebAssembly, no SIMD).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadKernel } from "./json_wasm_check.ts";
 *
 * const k = loadKernel();
 * assert.equal(loadKernel(), k); // once
 * ```
 */
export function loadKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const text = atob(JSON_KERNEL_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    kernel = new Kernel(instance.exports as unknown as KernelExports);
  } catch {
    kernel = null;
  }
  return kernel;
}

/**
 * The check in the kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadKernel, WasmCheck } from "./json_wasm_check.ts";
 *
 * const k = loadKernel();
 * if (k !== null) {
 *   const counter = { jsonWasmBytes: 0 };
 *   const check = new WasmCheck(k, counter);
 *   const chunk = new TextEncoder().encode('{"a":1}\n');
 *   assert.equal(check.line(chunk, 0), 7);
 *   assert.equal(check.end(), true);
 *   assert.equal(counter.jsonWasmBytes, 7);
 * }
 * ```
 */
export class WasmCheck implements JsonCheck {
  readonly kind = "wasm";
  readonly #k: Kernel;
  readonly #counter?: JsonCheckCounter;
  /** The state while another check has the slots (all zeros: nothing seen). */
  readonly #saved = new Int32Array(SLOTS);
  #stack = new Uint8Array(0);
  /** Set when the nesting outgrew the kernel's stack: this text goes on in JavaScript. */
  #js: JsCheck | null = null;

  constructor(k: Kernel, counter?: JsonCheckCounter) {
    this.#k = k;
    this.#counter = counter;
  }

  line(chunk: Uint8Array, from: number): number {
    return this.#check(chunk, from, true);
  }

  push(bytes: Uint8Array): void {
    this.#check(bytes, 0, false);
  }

  end(): boolean {
    if (this.#js) {
      const valid = this.#js.end();
      this.#js = null;
      return valid;
    }
    const k = this.#k;
    this.#own();
    const valid = k.verdict() === 1;
    k.slots.fill(0);
    return valid;
  }

  newChunk(): void {
    if (this.#k.windowBy === this) this.#k.windowBy = null;
  }

  #check(chunk: Uint8Array, from: number, line: boolean): number {
    if (this.#js) return line ? this.#js.line(chunk, from) : (this.#js.push(chunk), -1);
    const k = this.#k;
    const n = chunk.length;
    if (from >= n) return -1;
    this.#own();
    const mode = line ? 1 : 0;
    let pos = from;
    let want = FIRST_WINDOW;
    while (true) {
      if (
        k.windowBy !== this || k.windowChunk !== chunk || pos < k.windowStart ||
        pos >= k.windowEnd
      ) {
        const end = Math.min(n, pos + want, pos + k.windowBytes);
        k.memory.set(chunk.subarray(pos, end), k.windowAt);
        k.windowBy = this;
        k.windowChunk = chunk;
        k.windowStart = pos;
        k.windowEnd = end;
        want *= 4;
      }
      const base = k.windowAt - k.windowStart;
      const windowEnd = k.windowEnd;
      const stop = k.run(base + pos, base + windowEnd, mode) - base;
      if (stop < windowEnd || windowEnd === n || k.slots[S_DEEP] !== 0) {
        return this.#after(chunk, pos, stop, n, line);
      }
      this.#count(stop - pos);
      pos = windowEnd;
    }
  }

  /** After the kernel stopped at `stop`: the "\n" there, or -1; JavaScript goes on if the stack ran out. */
  #after(chunk: Uint8Array, from: number, stop: number, n: number, line: boolean): number {
    this.#count(stop - from);
    if (this.#k.slots[S_DEEP] !== 0) {
      this.#js = this.#handOver();
      if (!line) {
        this.#js.push(chunk.subarray(stop));
        return -1;
      }
      return this.#js.line(chunk, stop);
    }
    return stop < n ? stop : -1;
  }

  #count(bytes: number): void {
    if (this.#counter) this.#counter.jsonWasmBytes = (this.#counter.jsonWasmBytes ?? 0) + bytes;
  }

  /** Puts this check's state in the kernel's slots, saving the previous owner's. */
  #own(): void {
    const k = this.#k;
    if (k.owner === this) return;
    if (k.owner) k.owner.#save();
    k.slots.set(this.#saved);
    const depth = this.#saved[S_DEPTH];
    if (depth > 0) k.memory.set(this.#stack.subarray(0, depth), k.stackAt);
    k.owner = this;
  }

  #save(): void {
    const k = this.#k;
    this.#saved.set(k.slots);
    const depth = this.#saved[S_DEPTH];
    if (depth > this.#stack.length) this.#stack = new Uint8Array(Math.max(depth, 64));
    this.#stack.set(k.memory.subarray(k.stackAt, k.stackAt + depth));
    k.owner = null;
  }

  /** The kernel's state as a JavaScript check, and the slots freed. */
  #handOver(): JsCheck {
    const k = this.#k;
    const s = k.slots;
    const v = JsonValidator.resume({
      state: s[S_STATE],
      inKey: s[S_IN_KEY] === 1,
      stack: k.memory.slice(k.stackAt, k.stackAt + s[S_DEPTH]),
      literal: s[S_LITERAL],
      at: s[S_AT],
      bom: s[S_BOM],
    });
    s.fill(0);
    return new JsCheck(this.#counter, v);
  }
}
