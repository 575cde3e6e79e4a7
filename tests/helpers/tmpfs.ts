/**
 * A small file system of its own for a test: a tmpfs mounted on a temporary
 * directory, to fill a disk or to cross a file-system boundary. Mounting
 * needs root; CI runs the tests as root, so there they run, and a mount that
 * fails there fails the test. Elsewhere they are skipped, with the reason
 * recorded ({@linkcode tmpfsSkip}).
 *
 * @module
 */
import { mkdtemp, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { needs, skipBecause } from "./skips.ts";
import { spawnSync } from "./spawn.ts";

/** Why a tmpfs cannot be mounted here, or null when it can (root). */
export function tmpfsUnavailable(): string | null {
  if (process.platform !== "linux") return "tmpfs mounts are a Linux test";
  if (process.getuid?.() !== 0) return "mounting a tmpfs needs root (CI runs as root)";
  return null;
}

/**
 * The `skip` option of a test that mounts a tmpfs: not on other systems (by
 * design); elsewhere it needs root, which CI has (so there a missing one
 * fails). Recorded through skips.ts.
 */
export function tmpfsSkip(): string | false {
  return skipBecause(process.platform !== "linux", "tmpfs mounts are a Linux test") ||
    needs("root, to mount a tmpfs", process.getuid?.() === 0);
}

/**
 * Runs `fn` with a fresh tmpfs of `size` (`2m`, `512k`) mounted on a new
 * directory, unmounted and removed afterwards whatever happens.
 *
 * @example
 * await withTmpfs("2m", async (dir) => { ... });
 */
export async function withTmpfs<T>(size: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "zot-tmpfs-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], {
    encoding: "utf8",
  });
  if (mounted.status !== 0) {
    await rmdir(dir);
    throw new Error(`Cannot mount a tmpfs on "${dir}": ${mounted.stderr || mounted.error}`);
  }
  try {
    return await fn(dir);
  } finally {
    // A lazy unmount still detaches it if a child holds a file open.
    if (spawnSync("umount", [dir]).status !== 0) spawnSync("umount", ["-l", dir]);
    await rmdir(dir);
  }
}
