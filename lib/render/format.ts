/**
 * Numbers as people read them: costs, sizes, token counts.
 *
 * @module
 */

/**
 * A cost in dollars: `$0.07`, `$12.40`, `<$0.01` for a non-zero amount under a
 * cent, `-` for nothing.
 *
 * @example
 * formatCost(0.0717) // "$0.07"
 */
export function formatCost(usd: number): string {
  if (usd === 0) return "-";
  if (usd > 0 && usd < 0.005) return "<$0.01";
  return "$" + usd.toFixed(2);
}

/**
 * A byte count: `512 B`, `1.2 kB`, `3.4 MB`, `1.1 GB` (SI: powers of 1000,
 * as `ls -h --si` and most file managers show).
 *
 * @example
 * formatBytes(1_234_567) // "1.2 MB"
 */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/**
 * A token count, short: `950`, `12.3k`, `4.56M`, `1.2B`.
 *
 * @example
 * formatTokens(1_234_567) // "1.23M"
 */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 2 : 1)}k`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)}M`;
  return `${(n / 1e9).toFixed(2)}B`;
}
