/**
 * The index's cache directory for every run a test process starts: one
 * temporary directory per process, removed when it exits. Tests run with no
 * usable HOME; without this every run would warn that it cannot create the
 * default cache (or, as root, create one under a made-up home that all test
 * processes would then share).
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** This process's cache directory (pass as `ZOT_SESSIONS_CACHE`). */
export const TEST_CACHE: string = mkdtempSync(join(tmpdir(), "zot-test-cache-"));

const remove = () => rmSync(TEST_CACHE, { recursive: true, force: true });
// Bun emits the process's "exit"; Deno (one module instance per test file)
// only the global "unload".
process.on("exit", remove);
globalThis.addEventListener?.("unload", remove);
