/**
 * The text of a config file: read safely (a regular file of at most
 * {@linkcode CONFIG_MAX_BYTES}), and what config.ts checks before and after
 * parsing it (comments only, nesting depth, positions).
 *
 * @module
 */
import { UsageError } from "../base/errors.ts";
import { openRegularFile } from "../format/open_file.ts";

/** The text without its comments (does it hold anything?). */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

/** Deepest nesting read; a valid config nests 2 levels. */
export const CONFIG_MAX_DEPTH = 100;

/**
 * Where JSONC text first nests deeper than `limit` (an offset), or -1.
 * Brackets in strings and comments do not count; a string ends at a line
 * break, as jsonc-parser ends one.
 */
export function tooDeepAt(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length; i++) {
        const d = text[i];
        if (d === "\\") i++;
        else if (d === '"' || d === "\n" || d === "\r") break;
      }
    } else if (c === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      if (nl === -1) return -1;
      i = nl;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) return -1;
      i = end + 1;
    } else if (c === "[" || c === "{") {
      if (++depth > limit) return i;
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return -1;
}

/**
 * The largest config read: a config is a few lines, and `--config
 * /dev/zero` once read 10.5 GB in 30 s.
 */
export const CONFIG_MAX_BYTES = 1 << 20;

/**
 * A config file's text: a regular file (links followed: dotfiles are often
 * links) of at most {@linkcode CONFIG_MAX_BYTES}, opened without blocking.
 */
export async function readConfigText(path: string): Promise<string> {
  const { handle, size } = await openRegularFile(path, { followLinks: true });
  try {
    const tooBig = () =>
      new UsageError(
        `Cannot read config "${path}": larger than ${
          CONFIG_MAX_BYTES >> 20
        } MiB; a config is a few lines`,
      );
    if (size > CONFIG_MAX_BYTES) throw tooBig();
    // One byte more than the cap: the file may have grown since the stat.
    const buffer = new Uint8Array(CONFIG_MAX_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > CONFIG_MAX_BYTES) throw tooBig();
    // A byte order mark is kept, as readFile(path, "utf8") kept it.
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(buffer.subarray(0, length));
  } finally {
    await handle.close();
  }
}

/** `line 4, column 5` of an offset (columns count UTF-16 units from 1). */
export function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}
