/**
 * Headless Chromium, as the browser tests and `scripts/screenshot-html.ts`
 * run it: Debian's `chromium` package (`apt-get install -y chromium`), or
 * the program named by `$CHROMIUM`. Each run gets a fresh profile directory,
 * removed afterwards, so runs share nothing.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import process from "node:process";

/**
 * The variables through which libfaketime (`faketime -f '+731d' …`, the
 * test suite's shifted-clock run) reaches a program: Chromium under it
 * times out, so it never gets them.
 */
const FAKETIME_VARS = /^(LD_PRELOAD|FAKETIME|FAKETIME_.*|DONT_FAKE_MONOTONIC)$/;

/**
 * `env` without libfaketime's variables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutFaketime } from "./chromium.ts";
 *
 * const env = withoutFaketime({ PATH: "/bin", LD_PRELOAD: "libfaketime.so.1", FAKETIME: "+1d" });
 * assert.deepEqual(env, { PATH: "/bin" });
 * ```
 */
export function withoutFaketime(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !FAKETIME_VARS.test(k)));
}

/**
 * The flags of every headless run (this module's, and the DevTools driver
 * of the browser tests, tests/helpers/cdp.ts): headless, no sandbox (root
 * in a container), no GPU, no /dev/shm, no extensions, no first-run or
 * default-browser prompts, no scroll bars in screenshots. Each run adds its
 * own profile directory, window, mode and URL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HEADLESS_FLAGS } from "./chromium.ts";
 * assert.equal(HEADLESS_FLAGS[0], "--headless");
 * assert.ok(HEADLESS_FLAGS.includes("--no-sandbox"));
 * ```
 */
export const HEADLESS_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-extensions",
  "--no-first-run",
  "--no-default-browser-check",
  "--hide-scrollbars",
];

/** Names the browser goes by, in the order they are looked for on `$PATH`. */
const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/**
 * The browser to run: `$CHROMIUM` when set, else the first of
 * {@linkcode NAMES} on `$PATH`; null when there is none.
 *
 * @example
 * const browser = findChromium(); // "/usr/bin/chromium" or null
 */
export function findChromium(): string | null {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of NAMES) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

/** How to run the browser once. */
export interface ChromiumRun {
  /** The page: a `file://` URL. */
  url: string;
  /** `--dump-dom` (the DOM after load, on stdout) or `--screenshot=PATH`. */
  mode: { dumpDom: true } | { screenshot: string };
  width?: number;
  height?: number;
  /** Emulate a dark system theme (`prefers-color-scheme: dark`). */
  dark?: boolean;
  /** Let a `file://` page read other `file://` pages (a test's wrapper page). */
  fileAccess?: boolean;
}

/**
 * Runs headless Chromium once, never under libfaketime (see
 * {@linkcode withoutFaketime}); returns its stdout (the DOM with `dumpDom`).
 * Throws with its stderr's end when it fails or outlives `timeoutMs`.
 *
 * @example
 * const dom = runChromium(browser, { url: "file:///tmp/p.html", mode: { dumpDom: true } });
 */
export function runChromium(browser: string, r: ChromiumRun, timeoutMs = 90_000): string {
  const profile = mkdtempSync(join(tmpdir(), "zot-chromium-"));
  try {
    const args = [
      ...HEADLESS_FLAGS,
      `--user-data-dir=${profile}`,
      `--window-size=${r.width ?? 1280},${r.height ?? 1000}`,
      ...(r.dark ? ["--force-dark-mode"] : []),
      ...(r.fileAccess ? ["--allow-file-access-from-files"] : []),
      ...("dumpDom" in r.mode ? ["--dump-dom"] : [`--screenshot=${r.mode.screenshot}`]),
      r.url,
    ];
    // Through `env -u`: Deno's spawnSync adds this process's environment
    // to the one it is given (denoland/deno#27343, fixed for spawn only),
    // so leaving libfaketime's variables out of `env` is not enough.
    const unset = Object.keys(process.env).filter((k) => FAKETIME_VARS.test(k))
      .flatMap((k) => ["-u", k]);
    const p = spawnSync("/usr/bin/env", [...unset, browser, ...args], {
      encoding: "utf8",
      timeout: timeoutMs,
      maxBuffer: 256 << 20,
      env: { ...withoutFaketime(process.env), HOME: profile },
    });
    if (p.status !== 0 || p.error) {
      const why = p.error?.message ?? `exit ${p.status ?? p.signal}`;
      throw new Error(`${browser} failed (${why}): ${(p.stderr ?? "").slice(-2000)}`);
    }
    return p.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
