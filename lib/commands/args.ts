/**
 * Flag parsing: the one import of `node:util`'s `parseArgs` (strict mode), with
 * its errors turned into one-line usage errors.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../base/errors.ts";
import { closest } from "../base/suggest.ts";

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
 * near a known one says which (`--lmit` → did you mean "--limit"?). A value flag takes
 * a following argument that looks like a negative number (`--until -5d`,
 * `-n -1`) as its value, so the flag's own check can say what is wrong with
 * it. `countFlag` names the flag a bare `-N` sets (GNU tail's `-5`);
 * `optionalValues` the value flags whose value may be left out, and their
 * value then (see {@linkcode fillOptionalValues}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./args.ts";
 *
 * const flags = parseFlags(["--limit", "5"], { limit: { type: "string" } }, false);
 * assert.equal(flags.values.limit, "5");
 * assert.throws(
 *   () => parseFlags(["--lmit", "5"], { limit: { type: "string" } }, false),
 *   /Cannot use option "--lmit": unknown option; did you mean "--limit"\?/,
 * );
 * ```
 */
export function parseFlags(
  args: string[],
  options: OptionSpec,
  allowPositionals: boolean,
  countFlag?: string,
  optionalValues: Record<string, string> = {},
): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({
      args: joinDashValues(fillOptionalValues(args, optionalValues), options, countFlag),
      options,
      allowPositionals,
      strict: true,
    });
    return { values: values as ParsedFlags["values"], positionals };
  } catch (err) {
    throw new UsageError(describeParseError(err, options));
  }
}

/**
 * Gives a value flag whose value may be left out (`--watch [SECONDS]`) its
 * value when none follows: `--watch 10` and `--watch=10` stay, a bare
 * `--watch` (the next argument not a number) becomes `--watch=5`.
 * Arguments after `--` are left alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillOptionalValues } from "./args.ts";
 *
 * const optional = { watch: "5" };
 * assert.deepEqual(fillOptionalValues(["--watch", "--all"], optional), ["--watch=5", "--all"]);
 * assert.deepEqual(fillOptionalValues(["--watch", "2.5"], optional), ["--watch", "2.5"]);
 * ```
 */
export function fillOptionalValues(args: string[], optional: Record<string, string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const name = arg.startsWith("--") ? arg.slice(2) : "";
    const given = i + 1 < args.length && /^\d+(\.\d+)?$/.test(args[i + 1]);
    out.push(Object.hasOwn(optional, name) && !given ? `${arg}=${optional[name]}` : arg);
  }
  return out;
}

/**
 * Rewrites `--flag -5d` and `-f -5d` (a value flag, then an argument starting
 * with a dash and a digit) to `--flag=-5d`: parseArgs would otherwise call
 * the value missing. A bare `-N` becomes `--<countFlag>=N`. Arguments after
 * `--` are left alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinDashValues } from "./args.ts";
 *
 * const options = { lines: { type: "string" as const, short: "n" } };
 * assert.deepEqual(joinDashValues(["-n", "-1"], options), ["--lines=-1"]);
 * assert.deepEqual(joinDashValues(["-5"], options, "lines"), ["--lines=5"]);
 * ```
 */
export function joinDashValues(args: string[], options: OptionSpec, countFlag?: string): string[] {
  const valueFlag = (arg: string): string | null => {
    for (const [name, o] of Object.entries(options)) {
      if (o.type === "string" && (arg === `--${name}` || (o.short && arg === `-${o.short}`))) {
        return name;
      }
    }
    return null;
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const name = valueFlag(arg);
    if (name !== null && i + 1 < args.length && /^-\d/.test(args[i + 1])) {
      out.push(`--${name}=${args[++i]}`);
    } else if (countFlag !== undefined && /^-\d+$/.test(arg)) {
      out.push(`--${countFlag}=${arg.slice(1)}`);
    } else {
      out.push(arg);
    }
  }
  return out;
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
 * ```ts
 * import assert from "node:assert/strict";
 * import { intFlag } from "./args.ts";
 *
 * assert.equal(intFlag("--limit", "5", 1), 5);
 * assert.throws(() => intFlag("--limit", "0", 1), /expected a whole number ≥ 1/);
 * ```
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
 * ```ts
 * import assert from "node:assert/strict";
 * import { choiceFlag } from "./args.ts";
 *
 * assert.equal(choiceFlag("--sort", "cost", ["updated", "cost"]), "cost");
 * assert.throws(() => choiceFlag("--sort", "size", ["updated", "cost"]), /one of updated, cost/);
 * ```
 */
export function choiceFlag<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`Cannot parse ${flag} "${text}": expected one of ${choices.join(", ")}`);
  }
  return text as T;
}
