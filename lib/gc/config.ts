/**
 * `zot-sessions.jsonc`: default gc policies, so a cron line can be just
 * `zot-sessions gc --yes --quiet`, and spending budgets (budget_config.ts). JSONC (comments and trailing commas)
 * through `jsonc-parser`, the one import of it. Any error names the file,
 * the line and the column, and is a usage error: nothing is touched.
 *
 * @module
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { describeSystemError, UsageError } from "../base/errors.ts";
import { NotRegularFileError } from "../format/open_file.ts";
import { parseSize } from "../base/size.ts";
import { parseDuration } from "../base/duration.ts";
import { type BudgetConfig, type ConfigNode, NO_BUDGETS, parseBudgets } from "./budget_config.ts";
import {
  CONFIG_MAX_DEPTH,
  position,
  readConfigText,
  stripComments,
  tooDeepAt,
} from "./config_text.ts";

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

/** The config file's name in a home. */
export const CONFIG_NAME = "zot-sessions.jsonc";

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

/** The whole config file: gc's policies and the budgets. */
export interface ZotSessionsConfig {
  gc: GcConfig;
  budgets: BudgetConfig;
}

/**
 * Parses a config's text (a leading byte order mark is skipped): gc's
 * section only (see {@linkcode parseConfig} for the whole file).
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
  return parseConfig(text, path).gc;
}

/**
 * Parses a config's text (a leading byte order mark is skipped): the `gc`
 * and `budgets` sections. Syntax errors and unknown keys or wrong types are
 * {@linkcode UsageError}s naming the path, line and column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "./config.ts";
 *
 * const c = parseConfig('{ "budgets": { "daily": 20 }, "gc": { "empty": true } }', "x.jsonc");
 * assert.deepEqual([c.gc, c.budgets.budgets], [{ empty: true }, [{ period: "day", limitUsd: 20, project: null }]]);
 * assert.throws(() => parseConfig('{ "gcc": {} }', "x.jsonc"), /unknown key "gcc" \(expected "gc" or "budgets"\)/);
 * ```
 */
export function parseConfig(text: string, path: string): ZotSessionsConfig {
  const out: ZotSessionsConfig = { gc: {}, budgets: NO_BUDGETS };
  // Editors on Windows start UTF-8 files with a byte order mark: not content.
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  // A file of only comments (or nothing) sets nothing.
  if (stripComments(text).trim() === "") return out;
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
  if (!root) return out; // empty, or only comments: no settings
  const at = (n: Node | ConfigNode) => `"${path}": ${position(text, n.offset)}`;
  if (root.type !== "object") {
    throw new UsageError(`Cannot read config ${at(root)}: expected an object`);
  }
  for (const prop of root.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key?.value === "budgets" && value) {
      out.budgets = parseBudgets(value, at);
      continue;
    }
    if (key?.value !== "gc") {
      throw new UsageError(
        `Cannot read config ${
          at(key ?? prop)
        }: unknown key "${key?.value}" (expected "gc" or "budgets")`,
      );
    }
    if (value?.type !== "object") {
      throw new UsageError(`Cannot read config ${at(value ?? prop)}: "gc" must be an object`);
    }
    out.gc = gcSection(value, at);
  }
  return out;
}

/** The `gc` object's policies, checked. */
function gcSection(value: Node, at: (n: Node) => string): GcConfig {
  const out: GcConfig = {};
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
  return out;
}

/**
 * Loads gc's section of a config: `path` if given (it must exist), else the
 * home's `zot-sessions.jsonc` if there is one.
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
  return (await loadConfig(path, defaultPath)).gc;
}

/**
 * Loads a whole config: `path` if given (it must exist), else the home's
 * `zot-sessions.jsonc` if there is one (none: no settings).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "./config.ts";
 *
 * const none = await loadConfig(undefined, "/nonexistent/zot-sessions.jsonc");
 * assert.deepEqual(none.budgets.budgets, []);
 * ```
 */
export async function loadConfig(
  path: string | undefined,
  defaultPath: string,
): Promise<ZotSessionsConfig> {
  let text: string;
  try {
    text = await readConfigText(path ?? defaultPath);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (path === undefined && (err as { code?: string }).code === "ENOENT") {
      return { gc: {}, budgets: NO_BUDGETS };
    }
    const detail = err instanceof NotRegularFileError ? err.detail : describeSystemError(err);
    throw new UsageError(`Cannot read config "${path ?? defaultPath}": ${detail}`);
  }
  return parseConfig(text, path ?? defaultPath);
}
