/**
 * Seeded randomness for tests that want arbitrary-looking choices or bytes
 * (kill points, incompressible padding) without giving up reproducibility:
 * the same seed gives the same sequence on every run and runtime, and a
 * failure names the seed to run it again. (Property tests use fast-check,
 * which has its own seeds.)
 *
 * @module
 */

/**
 * A seeded generator (mulberry32): `next()` is uniform in [0, 1), `int(n)`
 * in 0..n-1, `bytes(n)` n bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "./random.ts";
 *
 * const a = seededRandom(42);
 * const b = seededRandom(42);
 * assert.deepEqual([a.next(), a.int(10)], [b.next(), b.int(10)]);
 * assert.equal(a.bytes(16).length, 16);
 * ```
 */
export function seededRandom(seed: number): {
  seed: number;
  next(): number;
  int(n: number): number;
  bytes(n: number): Uint8Array;
} {
  let state = seed >>> 0;
  const u32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    seed,
    next: () => u32() / 2 ** 32,
    int: (n) => Math.floor((u32() / 2 ** 32) * n),
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const v = u32();
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
      }
      return out;
    },
  };
}
