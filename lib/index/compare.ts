/**
 * How a session file stands against what the index saved of it: its
 * fingerprint, and hashes of its first bytes and of those before where
 * reading stopped. The one rule of the index and of the search text
 * ({@linkcode compareToSaved}).
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { RuntimeError } from "../base/errors.ts";
import type { ByteCounter } from "../format/line_shape.ts";
import { readRange } from "../format/lines.ts";
import { isCompressed } from "../format/lines_gzip.ts";
import type { SessionFile } from "../sessions/catalog.ts";
import { type Fingerprint, sameCtime } from "./fingerprint.ts";

/** How many bytes the two hashes cover. */
const HASH_BYTES = 4096;

/** A file's fingerprint, by `stat` (throws as reading it would). */
export async function fingerprint(path: string): Promise<Fingerprint> {
  const s = await stat(path);
  return {
    dev: s.dev,
    ino: s.ino,
    size: s.size,
    mtimeMs: Math.floor(s.mtime.getTime()),
    ctimeMs: s.ctimeMs,
  };
}

/**
 * Whether two fingerprints are the same file, unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameFingerprint } from "./compare.ts";
 *
 * const fp = { dev: 1, ino: 2, size: 3, mtimeMs: 4000, ctimeMs: 5000.5 };
 * assert.ok(sameFingerprint(fp, { ...fp, ctimeMs: 5000 })); // whole seconds (Deno)
 * assert.ok(!sameFingerprint(fp, { ...fp, size: 4 }));
 * ```
 */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs &&
    sameCtime(a.ctimeMs, b.ctimeMs);
}

/**
 * A listed file's fingerprint: the listing's stat when it has one (a second
 * stat was ~10% of a warm `ls`), else a `stat` now. If the file grew since
 * it was listed, what is saved reaches past the saved size, and the next run
 * resumes there (reading nothing new).
 */
export function fileFingerprint(file: SessionFile): Promise<Fingerprint> {
  return file.dev !== undefined && file.ino !== undefined && file.ctimeMs !== undefined
    ? Promise.resolve({
      dev: file.dev,
      ino: file.ino,
      size: file.bytes,
      mtimeMs: file.mtimeMs,
      ctimeMs: file.ctimeMs,
    })
    : fingerprint(file.path);
}

/**
 * How a file stands against what was saved of it (its fingerprint, and
 * hashes of the bytes before `offset`, where reading stopped): `same` when
 * the fingerprint is unchanged (nothing is read); `grown` when zot appended
 * to it (the same file, bigger, its first bytes and those before `offset`
 * as they were: reading may go on from `offset`); `changed` for anything
 * else (replaced, shrunk, rewritten in place, even with the same size): it
 * is read whole. The one rule of the index and of the search text.
 */
export async function compareToSaved(
  path: string,
  saved: Fingerprint & { headHash: string; tailHash: string },
  offset: number,
  fp: Fingerprint,
  stats: ByteCounter,
): Promise<"same" | "grown" | "changed"> {
  if (saved.dev !== fp.dev || saved.ino !== fp.ino) return "changed";
  if (sameFingerprint(saved, fp)) return "same";
  if (fp.size <= saved.size) return "changed";
  const h = await hashes(path, offset, stats).catch(() => null);
  return h && h.head === saved.headHash && h.tail === saved.tailHash ? "grown" : "changed";
}

/** Hashes of the first min(4 KiB, offset) bytes and of the 4 KiB before `offset`. */
export async function hashes(
  path: string,
  offset: number,
  stats: ByteCounter,
): Promise<{ head: string; tail: string }> {
  if (isCompressed(path)) return { head: "", tail: "" }; // never resumed: only the fingerprint counts
  const headLength = Math.min(HASH_BYTES, offset);
  const tailStart = Math.max(0, offset - HASH_BYTES);
  // One read when the two windows touch or overlap (files under 8 KiB).
  const bytes = await readRange(path, 0, tailStart <= headLength ? offset : headLength, stats);
  const head = bytes.subarray(0, headLength);
  const tail = tailStart <= headLength
    ? bytes.subarray(tailStart, offset)
    : await readRange(path, tailStart, offset - tailStart, stats);
  if (head.length !== headLength || tail.length !== offset - tailStart) {
    throw new RuntimeError(`Cannot read "${path}": shorter than the index saw it`);
  }
  return { head: digest(head), tail: digest(tail) };
}

function digest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64");
}
