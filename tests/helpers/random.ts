/**
 * Seeded pseudo-random numbers for tests: the same seed gives the same
 * choices on every run, and a failing run prints its seed.
 *
 * @module
 */

/**
 * A generator of numbers in [0, 1) from a 32-bit seed (mulberry32).
 *
 * @example
 * const next = seeded(42);
 * const k = Math.floor(next() * 10); // the same k on every run
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [lo, hi] from `next`. */
export function between(next: () => number, lo: number, hi: number): number {
  return lo + Math.floor(next() * (hi - lo + 1));
}
