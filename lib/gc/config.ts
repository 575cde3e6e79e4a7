/**
 * `zot-sessions.jsonc`: default gc policies, so a cron line can be just
 * `zot-sessions gc --yes --quiet`. JSONC (comments and trailing commas)
 * through `jsonc-parser`, the one import of it. Any error names the file,
 * the line and the column, and is a usage error: nothing is touched.
 *
 * @module
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { describeSystemError, UsageError } from "../base/errors.ts";
import { NotRegularFileError, openRegularFile } from "../format/open_file.ts";
import { parseSize } from "../base/size.ts";
import { parseDuration } from "../base/duration.ts";

/** The `gc` section, as written (values checked by the verb). */
export interface GcConfig {
  empty?: boolean;
  olderThan?: string;
  keepLast?: number;
  maxSize?: string;
  grace?: string;
  archive?: string;
  compress?: boolean;
  allowOrphans?: boolean;
}

const GC_KEYS: Record<keyof GcConfig, "boolean" | "string" | "number"> = {
  empty: "boolean",
  olderThan: "string",
  keepLast: "number",
  maxSize: "string",
  grace: "string",
  archive: "string",
  compress: "boolean",
  allowOrphans: "boolean",
};

const isDuration = (v: unknown) =>
  parseDuration(String(v)) === null ? "must be a duration such as 90d, 12h or 4w" : null;
const isSize = (v: unknown) => {
  try {
    parseSize("", String(v));
    return null;
  } catch {
    return "must be a size such as 500MB or 2GiB";
  }
};
const VALUE_CHECKS: Partial<Record<keyof GcConfig, (v: unknown) => string | null>> = {
  olderThan: isDuration,
  grace: isDuration,
  maxSize: isSize,
  keepLast: (v) => (Number(v) < 0 ? "must not be negative" : null),
};

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

/** Deepest nesting read; a valid config nests 2 levels. */
const CONFIG_MAX_DEPTH = 100;

/**
 * Where JSONC text first nests deeper than `limit` (an offset), or -1.
 * Brackets in strings and comments do not count; a string ends at a line
 * break, as jsonc-parser ends one.
 */
function tooDeepAt(text: string, limit: number): number {
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
const CONFIG_MAX_BYTES = 1 << 20;

/**
 * A config file's text: a regular file (links followed: dotfiles are often
 * links) of at most {@linkcode CONFIG_MAX_BYTES}, opened without blocking.
 */
async function readConfigText(path: string): Promise<string> {
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

/** The config file's name in a home. */
export const CONFIG_NAME = "zot-sessions.jsonc";

/** `line 4, column 5` of an offset (columns count UTF-16 units from 1). */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}

/** Every syntax error jsonc-parser reports, in words. */
const SYNTAX_ERRORS: Record<ReturnType<typeof printParseErrorCode>, string> = {
  InvalidSymbol: "unexpected text (not a string, number, true, false or null)",
  InvalidNumberFormat: "not a valid number",
  PropertyNameExpected: "expected a key in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: "expected a colon",
  CommaExpected: "expected a comma",
  CloseBraceExpected: "expected a closing brace",
  CloseBracketExpected: "expected a closing bracket",
  EndOfFileExpected: "expected the end of the file",
  InvalidCommentToken: "not a valid comment",
  UnexpectedEndOfComment: "a comment is not closed",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number is cut short",
  InvalidUnicode: "not a valid \\u escape",
  InvalidEscapeCharacter: "not a valid escape character",
  InvalidCharacter: "a character not allowed in a string",
  "<unknown ParseErrorCode>": "not valid JSONC",
};

/**
 * A syntax error in words.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeSyntaxError } from "./config.ts";
 *
 * assert.equal(describeSyntaxError(6), "expected a comma"); // jsonc-parser's CommaExpected
 * ```
 */
export function describeSyntaxError(code: ParseError["error"]): string {
  return SYNTAX_ERRORS[printParseErrorCode(code)];
}

/**
 * Parses a config's text (a leading byte order mark is skipped). Syntax errors
 * and unknown keys or wrong types are {@linkcode UsageError}s naming the
 * path, line and column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGcConfig } from "./config.ts";
 *
 * const text = '{ "gc": { "empty": true, } // a trailing comma is fine\n}';
 * assert.deepEqual(parseGcConfig(text, "x.jsonc"), { empty: true });
 * assert.throws(() => parseGcConfig('{ "gc": { "emtpy": true } }', "x.jsonc"), /unknown key "gc.emtpy"/);
 * ```
 */
export function parseGcConfig(text: string, path: string): GcConfig {
  // Editors on Windows start UTF-8 files with a byte order mark: not content.
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  // A file of only comments (or nothing) sets nothing.
  if (stripComments(text).trim() === "") return {};
  // jsonc-parser recurses once per level: 200k "[" overflowed the stack.
  const deep = tooDeepAt(text, CONFIG_MAX_DEPTH);
  const tooDeep = (at: string) =>
    new UsageError(
      `Cannot read config "${path}": ${at}nested deeper than ${CONFIG_MAX_DEPTH} levels`,
    );
  if (deep !== -1) throw tooDeep(`${position(text, deep)}: `);
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (err) {
    // What the count above cannot see (the parser's recovery from errors).
    if (err instanceof RangeError) throw tooDeep("");
    throw err;
  }
  if (errors.length > 0) {
    const e = errors[0];
    throw new UsageError(
      `Cannot read config "${path}": ${position(text, e.offset)}: ${describeSyntaxError(e.error)}`,
    );
  }
  if (!root) return {}; // empty, or only comments: no settings
  const at = (n: Node) => `"${path}": ${position(text, n.offset)}`;
  if (root.type !== "object") {
    throw new UsageError(`Cannot read config ${at(root)}: expected an object`);
  }
  const out: GcConfig = {};
  for (const prop of root.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key?.value !== "gc") {
      throw new UsageError(
        `Cannot read config ${at(key ?? prop)}: unknown key "${key?.value}" (expected "gc")`,
      );
    }
    if (value?.type !== "object") {
      throw new UsageError(`Cannot read config ${at(value ?? prop)}: "gc" must be an object`);
    }
    for (const p of value.children ?? []) {
      const [k, v] = p.children ?? [];
      const name = k?.value as keyof GcConfig;
      // Own keys only: "constructor" or "__proto__" is an unknown key, not
      // something found on Object.prototype.
      const type = Object.hasOwn(GC_KEYS, name) ? GC_KEYS[name] : undefined;
      if (!type) {
        throw new UsageError(
          `Cannot read config ${at(k ?? p)}: unknown key "gc.${String(k?.value)}" (known: ${
            Object.keys(GC_KEYS).join(", ")
          })`,
        );
      }
      if (v?.type !== type || (type === "number" && !Number.isInteger(v.value))) {
        throw new UsageError(
          `Cannot read config ${at(v ?? p)}: "gc.${name}" must be a ${
            type === "number" ? "whole number" : type
          }`,
        );
      }
      const problem = VALUE_CHECKS[name]?.(v.value);
      if (problem) {
        throw new UsageError(
          `Cannot read config ${at(v)}: "gc.${name}" ${problem}, not ${JSON.stringify(v.value)}`,
        );
      }
      (out as Record<string, unknown>)[name] = v.value;
    }
  }
  return out;
}

/**
 * Loads a config: `path` if given (it must exist), else the home's
 * `zot-sessions.jsonc` if there is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { loadGcConfig } from "./config.ts";
 *
 * const home = await mkdtemp(join(tmpdir(), "zot-doc-"));
 * const defaultPath = join(home, "zot-sessions.jsonc");
 * assert.deepEqual(await loadGcConfig(undefined, defaultPath), {}); // there is none
 * await writeFile(defaultPath, '{ "gc": { "keepLast": 20 } }');
 * assert.deepEqual(await loadGcConfig(undefined, defaultPath), { keepLast: 20 });
 * await rm(home, { recursive: true });
 * ```
 */
export async function loadGcConfig(
  path: string | undefined,
  defaultPath: string,
): Promise<GcConfig> {
  let text: string;
  try {
    text = await readConfigText(path ?? defaultPath);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (path === undefined && (err as { code?: string }).code === "ENOENT") return {};
    const detail = err instanceof NotRegularFileError ? err.detail : describeSystemError(err);
    throw new UsageError(`Cannot read config "${path ?? defaultPath}": ${detail}`);
  }
  return parseGcConfig(text, path ?? defaultPath);
}
