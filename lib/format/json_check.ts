/**
 * The JSON check over a stream of lines as an interface
 * ({@linkcode JsonCheck}, with its byte counters), and its implementation in
 * JavaScript ({@linkcode JsCheck}); the WebAssembly kernel's is in
 * json_wasm_check.ts, and json_kernel.ts picks one.
 *
 * @module
 */
import { JsonValidator } from "./json_valid.ts";

/** Bytes checked by each implementation: a run's counters (`ZOT_SESSIONS_STATS`). */
export interface JsonCheckCounter {
  /** Bytes checked by the WebAssembly kernel. */
  jsonWasmBytes?: number;
  /** Bytes checked in JavaScript. */
  jsonJsBytes?: number;
}

/** Which implementation checks: the kernel, or JavaScript. */
export type JsonKernelKind = "wasm" | "js";

/**
 * A JSON check fed a stream of bytes: `line()` checks up to the next `\n`,
 * `push()` checks everything given, `end()` says whether all checked since
 * the last `end()` is one JSON text, and starts over.
 */
export interface JsonCheck {
  /** Which implementation this is. */
  readonly kind: JsonKernelKind;
  /**
   * Checks `chunk` from `from` up to its first `\n` (not included), going on
   * from what was checked since the last `end()`. Returns the index of that
   * `\n`, or -1 when the chunk ends first (everything from `from` was checked).
   */
  line(chunk: Uint8Array, from: number): number;
  /** Checks all of `bytes`, a `\n` among them as whitespace. */
  push(bytes: Uint8Array): void;
  /** Whether what was checked since the last `end()` is one JSON text; starts over. */
  end(): boolean;
  /**
   * Says the next `chunk` given may be an array seen before with other bytes
   * in it (a reused buffer): nothing kept from it is trusted.
   */
  newChunk(): void;
}

const LF = 0x0a;

/**
 * The check in JavaScript: `indexOf` for the line's end, then {@linkcode JsonValidator}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsCheck } from "./json_check.ts";
 *
 * const counter = { jsonJsBytes: 0 };
 * const check = new JsCheck(counter);
 * const chunk = new TextEncoder().encode('[1,\n2]');
 * assert.equal(check.line(chunk, 0), 3);
 * assert.equal(check.end(), false);
 * check.push(chunk);
 * assert.equal(check.end(), true); // "\n" is whitespace to push()
 * assert.equal(counter.jsonJsBytes, 3 + 6);
 * ```
 */
export class JsCheck implements JsonCheck {
  readonly kind = "js";
  #v: JsonValidator;
  readonly #counter?: JsonCheckCounter;

  constructor(counter?: JsonCheckCounter, from: JsonValidator = new JsonValidator()) {
    this.#counter = counter;
    this.#v = from;
  }

  line(chunk: Uint8Array, from: number): number {
    const nl = chunk.indexOf(LF, from);
    this.push(chunk.subarray(from, nl === -1 ? chunk.length : nl));
    return nl;
  }

  push(bytes: Uint8Array): void {
    this.#v.push(bytes);
    if (this.#counter) this.#counter.jsonJsBytes = (this.#counter.jsonJsBytes ?? 0) + bytes.length;
  }

  end(): boolean {
    const valid = this.#v.end();
    this.#v = new JsonValidator();
    return valid;
  }

  newChunk(): void {}
}
