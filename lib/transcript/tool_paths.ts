/**
 * The paths zot's file tools take: as the model gave them, relative to the
 * session's cwd or absolute. One file may be named several ways in one
 * session (`a.go`, `./a.go`, `/src/app/a.go`); its absolute form names it
 * once. zot runs on Windows too, so a cwd with a drive letter is joined the
 * Windows way. Nothing is resolved on disk: the transcript's machine may not
 * be this one.
 *
 * @module
 */
import { posix, win32 } from "node:path";

/** Whether `cwd` is a Windows path (a drive letter or a UNC share). */
function isWindowsPath(cwd: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(cwd) || cwd.startsWith("\\\\");
}

/**
 * A tool's `path` joined with the session's cwd and normalised (`.` and
 * `..` segments, doubled separators); an absolute `path` is only
 * normalised. Null when `path` is relative and the cwd is not known (an
 * export keeps no cwd) or not absolute.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { absoluteToolPath } from "./tool_paths.ts";
 *
 * assert.equal(absoluteToolPath("/src/app", "./ledger/round.go"), "/src/app/ledger/round.go");
 * assert.equal(absoluteToolPath("/src/app", "/etc/hosts"), "/etc/hosts");
 * assert.equal(absoluteToolPath("C:\\src\\app", "a.go"), "C:\\src\\app\\a.go");
 * assert.equal(absoluteToolPath("", "a.go"), null);
 * ```
 */
export function absoluteToolPath(cwd: string, path: string): string | null {
  const win = isWindowsPath(cwd) || (cwd === "" && isWindowsPath(path));
  const p = win ? win32 : posix;
  if (p.isAbsolute(path) && (!win || isWindowsPath(path))) return p.normalize(path);
  if (!p.isAbsolute(cwd) || (win && !isWindowsPath(cwd))) return null;
  return p.join(cwd, path);
}

/**
 * The key that names a tool's file within one session: its absolute path
 * when it can be known, else the path normalised as given (an export's
 * relative paths still match each other).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toolPathKey } from "./tool_paths.ts";
 *
 * assert.equal(toolPathKey("/src/app", "a.go"), toolPathKey("/src/app", "/src/app/./a.go"));
 * assert.equal(toolPathKey("", "./a.go"), "a.go");
 * ```
 */
export function toolPathKey(cwd: string, path: string): string {
  return absoluteToolPath(cwd, path) ?? (isWindowsPath(path) ? win32 : posix).normalize(path);
}

/**
 * A tool's `path` as a path inside the session's project directory (its
 * cwd), normalised and with `/` separators: what a patch names it by
 * (`a/…`, `b/…`), so that `git apply` run in the project finds it. Null
 * when the file is outside the project (`../x`, another absolute path) or
 * the project is not known (an export keeps no cwd) and the path is
 * absolute.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectPath } from "./tool_paths.ts";
 *
 * assert.equal(projectPath("/src/app", "/src/app/x/../z.txt"), "z.txt");
 * assert.equal(projectPath("/src/app", "./a.go"), "a.go");
 * assert.equal(projectPath("/src/app", "../other/o.txt"), null);
 * assert.equal(projectPath("C:\\src\\app", "C:\\src\\app\\ui\\a.go"), "ui/a.go");
 * assert.equal(projectPath("", "x/../a.go"), "a.go");
 * ```
 */
export function projectPath(cwd: string, path: string): string | null {
  const win = isWindowsPath(cwd) || (cwd === "" && isWindowsPath(path));
  const p = win ? win32 : posix;
  const abs = absoluteToolPath(cwd, path);
  const rel = abs === null
    ? p.isAbsolute(path) ? null : p.normalize(path)
    : p.isAbsolute(cwd)
    ? p.relative(p.normalize(cwd), abs)
    : null;
  if (rel === null || rel === "" || rel === "." || p.isAbsolute(rel)) return null;
  if (rel === ".." || rel.startsWith(".." + p.sep)) return null;
  return win ? rel.replaceAll("\\", "/") : rel;
}
