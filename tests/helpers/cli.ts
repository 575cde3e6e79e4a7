/**
 * The CLI run in process on an in-memory IO (lib/io/io.ts's
 * `memoryIO`): the one helper the verbs' unit tests run it with. A test file
 * makes its own `cli` from its defaults with {@linkcode cliWith}; a helper
 * that builds a home first calls {@linkcode runIn}.
 */
import { runCli } from "../../lib/cli/run.ts";
import { memoryIO } from "../../lib/io/memory_io.ts";

/** What a run's in-memory IO is made of (memoryIO's options). */
export type CliIO = NonNullable<Parameters<typeof memoryIO>[0]>;

/** A run's exit code and what it wrote. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI once with `args` on a memoryIO made of `io`. */
export async function runIn(args: string[], io: CliIO = {}): Promise<CliRun> {
  const mem = memoryIO(io);
  const code = await runCli(args, mem);
  return { code, out: mem.out(), err: mem.err() };
}

/**
 * A `cli(args, over)` whose runs start from `defaults`: `over` replaces
 * them field by field, except `env`, whose variables are added.
 */
export function cliWith(defaults: CliIO): (args: string[], over?: CliIO) => Promise<CliRun> {
  return (args, over = {}) =>
    runIn(args, { ...defaults, ...over, env: { ...defaults.env, ...over.env } });
}
