/**
 * zot-sessions: the entry point. Dispatch only; the work is in `lib/`.
 *
 * @module
 */
import process from "node:process";
import { runCli } from "./lib/cli.ts";
import { processIO } from "./lib/io.ts";

process.exitCode = await runCli(process.argv.slice(2), processIO());
