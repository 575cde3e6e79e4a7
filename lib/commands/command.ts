/**
 * The shape of a verb: its flags, its help, and what it does.
 *
 * @module
 */
import type { OptionSpec, ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import type { Positionals, ValueKind } from "./completion_spec.ts";

/** One verb of the CLI (`ls`, `show`, …). */
export interface Command {
  name: string;
  /** One line for the tool's help. */
  summary: string;
  /** The verb's help text, without the global options, exit codes or environment. */
  help: string;
  /** Environment variables this verb reads beyond the common ones (see `help.ts`). */
  env?: string[];
  /** What this verb's exit codes mean, where it says more than `help.ts`'s. */
  exitCodes?: Record<number, string>;
  options: OptionSpec;
  allowPositionals: boolean;
  /** The flag a bare `-N` sets, as GNU tail's `-5` is `-n 5`. */
  countFlag?: string;
  /** Value flags whose value may be left out, and the value then (`--watch` is `--watch 5`). */
  optionalValues?: Record<string, string>;
  /**
   * For shell completion: what a value flag takes, by option name, given as
   * the very table the flag's check uses; a value flag not named takes text.
   */
  values?: Record<string, ValueKind>;
  /** For shell completion: what the positionals are. */
  positionals?: Positionals;
  /** Does the work; returns the exit code. Never prints errors itself. */
  run(ctx: Context, flags: ParsedFlags): Promise<number>;
}
