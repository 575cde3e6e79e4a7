/**
 * Bounded concurrency for per-file work.
 *
 * @module
 */

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the
 * order of `items` in the result. Reading a few files at once hides the
 * latency of each open and read without opening thousands of files together.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapConcurrent } from "./pool.ts";
 *
 * const doubled = await mapConcurrent([1, 2, 3], 2, async (n) => n * 2);
 * assert.deepEqual(doubled, [2, 4, 6]);
 * ```
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
