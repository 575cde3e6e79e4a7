/**
 * `zot-sessions.jsonc`: default gc policies, so a cron line can be just
 * `zot-sessions gc --yes --quiet`. JSONC (comments and trailing commas)
 * through `jsonc-parser`, the one import of it. Any error names the file,
 * the line and the column, and is a usage error: nothing is touched.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { describeSystemError, UsageError } from "./errors.ts";
import { parseSize } from "./size.ts";
import { parseDuration } from "./time.ts";

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
 * describeSyntaxError(6) // "expected a comma" (jsonc-parser's CommaExpected)
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
 * parseGcConfig('{ "gc": { "empty": true, } // trailing comma is fine\n}', "x.jsonc")
 */
export function parseGcConfig(text: string, path: string): GcConfig {
  // Editors on Windows start UTF-8 files with a byte order mark: not content.
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  // A file of only comments (or nothing) sets nothing.
  if (stripComments(text).trim() === "") return {};
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
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
 * await loadGcConfig(undefined, "/home/me/.local/state/zot") // {} when there is none
 */
export async function loadGcConfig(
  path: string | undefined,
  defaultPath: string,
): Promise<GcConfig> {
  let text: string;
  try {
    text = await readFile(path ?? defaultPath, "utf8");
  } catch (err) {
    if (path === undefined && (err as { code?: string }).code === "ENOENT") return {};
    throw new UsageError(
      `Cannot read config "${path ?? defaultPath}": ${describeSystemError(err)}`,
    );
  }
  return parseGcConfig(text, path ?? defaultPath);
}
