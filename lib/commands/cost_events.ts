/**
 * `cost --events`: its flags and its output, kept apart from the cost
 * report's. Not a verb: `cost` calls it.
 *
 * @module
 */
import type { OptionSpec, ParsedFlags } from "./args.ts";
import { UsageError } from "../base/errors.ts";

/** The flag declarations. */
export const EVENT_OPTIONS: OptionSpec = {
  events: { type: "boolean" },
  host: { type: "string" },
};

/** Their help lines. */
export const EVENT_HELP =
  `      --events           one JSON object per spend event instead of a report
                         (NDJSON; with --csv, CSV; fields: zot-sessions help
                         json cost)
      --host NAME        with --events: the machine name (default: this one's)`;

/** Report flags that mean nothing for events: refused rather than ignored. */
const REPORT_FLAGS = ["by", "week-start", "sort", "limit", "reverse", "json"];

/**
 * Whether `--events` was asked for, its flags checked: `--host` needs it,
 * and the report's own flags (`--by`, `--sort`, `--json`, …) do not go with
 * it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventsWanted } from "./cost_events.ts";
 * assert.equal(eventsWanted({ values: { events: true, host: "ci-1" }, positionals: [] }), true);
 * assert.throws(() => eventsWanted({ values: { host: "ci-1" }, positionals: [] }), /--host/);
 * ```
 */
export function eventsWanted(flags: ParsedFlags): boolean {
  const v = flags.values;
  if (v.events !== true) {
    if (v.host !== undefined) {
      throw new UsageError(`Cannot use --host "${v.host}": it goes with --events`);
    }
    return false;
  }
  for (const flag of REPORT_FLAGS) {
    if (v[flag] !== undefined) {
      throw new UsageError(
        `Cannot use --${flag} with --events: it shapes the report, not events (--csv for CSV)`,
      );
    }
  }
  if (v.host !== undefined && (typeof v.host !== "string" || v.host.trim() === "")) {
    throw new UsageError(`Cannot use --host "${v.host}": expected a machine name`);
  }
  return true;
}
