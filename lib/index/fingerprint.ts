/**
 * What the index knows a session file by without reading it.
 *
 * @module
 */

/** What identifies a file's bytes without reading them. */
export interface Fingerprint {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}
