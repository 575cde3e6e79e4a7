/**
 * The pool of chunk buffers the line readers and the splitter share.
 *
 * Chunk buffers of finished reads are reused: a run reads hundreds of files
 * four at a time, and a fresh 1 MiB buffer per file left hundreds of MiB of
 * garbage for the collector, which the resident set showed.
 *
 * @module
 */
import { LINE_DEFAULTS } from "./line_shape.ts";

const FREE_BUFFERS: Uint8Array[] = [];
const FREE_BUFFERS_KEPT = 8;

/**
 * A buffer of at least `size` bytes: the smallest freed one that is big
 * enough (no zeroing, and its pages are there already: in a virtual machine
 * the first touch of a fresh page is what a new buffer costs most), else a
 * new one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { giveBuffer, takeBuffer } from "./chunk_pool.ts";
 *
 * const a = takeBuffer(3000);
 * assert.ok(a.length >= 3000);
 * giveBuffer(a);
 * // `a` again, or a freed one between the two sizes: never a bigger one.
 * const b = takeBuffer(3000);
 * assert.ok(b.length >= 3000 && b.length <= a.length);
 * ```
 */
export function takeBuffer(size: number): Uint8Array {
  let best = -1;
  for (let i = 0; i < FREE_BUFFERS.length; i++) {
    const n = FREE_BUFFERS[i].length;
    if (n >= size && (best === -1 || n < FREE_BUFFERS[best].length)) best = i;
  }
  return best === -1 ? new Uint8Array(size) : FREE_BUFFERS.splice(best, 1)[0];
}

/**
 * Gives a buffer back to the pool: no view of it may be in use any more.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { giveBuffer, takeBuffer } from "./chunk_pool.ts";
 *
 * const huge = new Uint8Array(4 << 20);
 * giveBuffer(huge); // bigger than a chunk: let go, not kept
 * assert.notEqual(takeBuffer(2 << 20), huge);
 * ```
 */
export function giveBuffer(buffer: Uint8Array): void {
  // A buffer bigger than a chunk (a long line's) is let go: kept, it stayed
  // resident while show built a 50 MB line's text (peak 111-115 MiB instead
  // of 84-88).
  if (buffer.length > LINE_DEFAULTS.chunkSize + 1) return;
  if (FREE_BUFFERS.length < FREE_BUFFERS_KEPT) FREE_BUFFERS.push(buffer);
  else {
    // Keep the biggest: they serve every size.
    const smallest = FREE_BUFFERS.reduce(
      (m, b, i) => (b.length < FREE_BUFFERS[m].length ? i : m),
      0,
    );
    if (FREE_BUFFERS[smallest].length < buffer.length) FREE_BUFFERS[smallest] = buffer;
  }
}
