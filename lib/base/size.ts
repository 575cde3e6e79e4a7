/**
 * Sizes as users type them: `500MB`, `2GiB`, `1.5G`, `800k`.
 *
 * @module
 */
import { UsageError } from "./errors.ts";

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Bytes from a size: SI units (`kB`, `MB`, `GB`, `TB`, also `k`, `M`, `G`)
 * are powers of 1000, binary units (`KiB`, `MiB`, `GiB`, `TiB`) of 1024.
 * Throws a {@linkcode UsageError} naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSize } from "./size.ts";
 *
 * assert.equal(parseSize("--max-size", "2GiB"), 2 ** 31);
 * assert.equal(parseSize("--max-size", "1.5G"), 1.5e9);
 * ```
 */
export function parseSize(what: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const factor = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || factor === undefined) {
    throw new UsageError(
      `Cannot parse ${what} "${text}": expected a size such as 500MB, 2GiB or 800k`,
    );
  }
  return Math.floor(Number(m[1]) * factor);
}
