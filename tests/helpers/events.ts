/**
 * Events a test can wait for in another process instead of sleeping and
 * hoping it got that far: that it read a file (its access time moves), and
 * that it installed its signal handlers (`SigCgt` in /proc/PID/status).
 * Both are Linux habits; where they are not observable the helpers say so
 * and the caller falls back to a generous margin.
 */
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fsNow } from "./clock.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An access time far in the past: any read after it is set moves it (relatime too). */
const OLD_ATIME_S = 1_000_000;

/**
 * Whether reading a file in `dir` moves its access time here (relatime does
 * when the access time is older than the change time; noatime never does).
 */
export async function accessTimeWorks(dir: string): Promise<boolean> {
  const probe = join(dir, "atime-probe");
  await writeFile(probe, "x");
  await utimes(probe, OLD_ATIME_S, fsNow() / 1000);
  await readFile(probe);
  return (await stat(probe)).atimeMs > OLD_ATIME_S * 1000;
}

/**
 * Waits until some process reads `path` from now on: sets its access time
 * far back (keeping its modification time), then polls until a read moves
 * it. Call it after writing what the reader must see: a read that moves the
 * access time started after the write. Fails after `ms`.
 */
export async function waitForRead(path: string, what: string, ms = 10_000): Promise<void> {
  const s = await stat(path);
  await utimes(path, OLD_ATIME_S, s.mtime);
  for (let waited = 0; waited <= ms; waited += 10) {
    if ((await stat(path)).atimeMs > OLD_ATIME_S * 1000) return;
    await sleep(10);
  }
  throw new Error(`nothing read ${path} within ${ms} ms (${what})`);
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Waits until process `pid` catches each of `signals` (its handlers are
 * installed). Returns false, at once, where /proc/PID/status cannot be read
 * (not Linux); fails after `ms` when the handlers do not come.
 */
export async function waitForSignalHandlers(
  pid: number,
  signals: (keyof typeof SIGNAL_NUMBERS)[],
  ms = 10_000,
): Promise<boolean> {
  let last = "";
  for (let waited = 0; waited <= ms; waited += 10) {
    let status: string;
    try {
      status = await readFile(`/proc/${pid}/status`, "utf8");
    } catch {
      return false;
    }
    last = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? "";
    if (last === "") return false;
    const caught = BigInt(`0x${last}`);
    if (signals.every((s) => (caught >> BigInt(SIGNAL_NUMBERS[s] - 1)) & 1n)) return true;
    await sleep(10);
  }
  throw new Error(`process ${pid} did not catch ${signals.join(", ")} within ${ms} ms (${last})`);
}
