/**
 * zot-sessions: the entry point. Dispatch only; the work is in `lib/`.
 *
 * @module
 */
import process from "node:process";
import { runCli } from "./lib/cli/run.ts";
import { processIO } from "./lib/io/io.ts";

process.exitCode = await runCli(process.argv.slice(2), processIO());
