/**
 * What the index knows a session file by without reading it: device and
 * inode (which file), size, modification time, and the time of its last
 * status change. The last one cannot be set back by hand: an edit that keeps
 * the size and puts the mtime back (`touch -r`) still changes it. Its
 * precision is the runtime's (Deno gives whole seconds, Bun fractions of a
 * millisecond): two times are compared at the coarser precision of the two
 * ({@linkcode sameCtime}), so one index serves both.
 *
 * @module
 */

/** What identifies a file's bytes without reading them. */
export interface Fingerprint {
  dev: number;
  ino: number;
  size: number;
  /** Whole milliseconds. */
  mtimeMs: number;
  /** Milliseconds, as precise as the runtime gives them. */
  ctimeMs: number;
}

/**
 * Whether two status-change times are the same, at the coarser precision of
 * the two: a time in whole seconds (Deno's) equals any time within that
 * second.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameCtime } from "./fingerprint.ts";
 *
 * assert.ok(sameCtime(1796629514816.18, 1796629514000));
 * assert.ok(!sameCtime(1796629514816.18, 1796629514816.2));
 * assert.ok(!sameCtime(1796629515000, 1796629514000));
 * ```
 */
export function sameCtime(a: number, b: number): boolean {
  if (a === b) return true;
  const whole = (x: number) => x % 1000 === 0;
  return (whole(a) && Math.floor(b / 1000) * 1000 === a) ||
    (whole(b) && Math.floor(a / 1000) * 1000 === b);
}
