/**
 * Flag parsing: the one import of `node:util`'s `parseArgs` (strict mode), with
 * its errors turned into one-line usage errors.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.ts";
import { closest } from "./suggest.ts";

/** Option declarations, as `parseArgs` takes them. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags and positionals. */
export interface ParsedFlags {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` strictly against `options`. Unknown flags, missing values and
 * unexpected positionals become a {@linkcode UsageError}; an unknown long flag
 * near a known one says which (`--lmit` → did you mean "--limit"?).
 *
 * @example
 * parseFlags(["--limit", "5"], { limit: { type: "string" } }, false).values.limit // "5"
 */
export function parseFlags(
  args: string[],
  options: OptionSpec,
  allowPositionals: boolean,
): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals,
      strict: true,
    });
    return { values: values as ParsedFlags["values"], positionals };
  } catch (err) {
    throw new UsageError(describeParseError(err, options));
  }
}

function describeParseError(err: unknown, options: OptionSpec): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code ?? "";
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  // "-n, --limit <value>": name the long form.
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? /-\w/.exec(quoted)?.[0] ?? quoted;
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const near = flag.startsWith("--")
        ? closest(flag.slice(2).split("=")[0], Object.keys(options))
        : null;
      return `Cannot use option "${flag}": unknown option${
        near === null ? "" : `; did you mean "--${near}"?`
      }`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /does not take/.test(message)
        ? `Cannot use option "${flag}": it takes no value`
        : `Cannot use option "${flag}": it needs a value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `Cannot use argument "${quoted}": this command takes none`;
  }
  return `Cannot parse arguments: ${message.split("\n")[0]}`;
}

/**
 * A flag value that must be a whole number ≥ `min`.
 *
 * @example
 * intFlag("--limit", "5", 1) // 5
 */
export function intFlag(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`Cannot parse ${flag} "${text}": expected a whole number ≥ ${min}`);
  }
  return Number(text);
}

/**
 * A flag value that must be one of `choices`.
 *
 * @example
 * choiceFlag("--sort", "cost", ["updated", "cost"]) // "cost"
 */
export function choiceFlag<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`Cannot parse ${flag} "${text}": expected one of ${choices.join(", ")}`);
  }
  return text as T;
}
