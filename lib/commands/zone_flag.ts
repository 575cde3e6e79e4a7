/**
 * `--tz ZONE` and `--utc`: the zone a verb shows times in (and reads dates
 * given without an offset in). The same two flags on every verb that prints
 * or reads times.
 *
 * @module
 */
import type { OptionSpec, ParsedFlags } from "./args.ts";
import { checkTimeZone, localTimeZone } from "../base/calendar.ts";
import { UsageError } from "../base/errors.ts";

/** The flag declarations. */
export const ZONE_OPTIONS: OptionSpec = {
  tz: { type: "string" },
  utc: { type: "boolean" },
};

/** Their help lines (aligned for a 23-column option column). */
export const ZONE_HELP = `      --tz ZONE          time zone for times and dates (IANA name such as
                         Europe/Berlin, or UTC; default: $TZ, else the
                         system's zone)
      --utc              the same as --tz UTC`;

/**
 * The zone asked for: `--tz`, `--utc`, else `$TZ` when it names a zone the
 * runtime knows (a leading `:` as glibc allows is dropped), else the
 * system's zone. A bad `--tz` is a usage error; a `$TZ` the runtime does not
 * know is passed over, as the runtime itself does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeZoneFlag } from "./zone_flag.ts";
 *
 * assert.equal(timeZoneFlag({ values: { utc: true }, positionals: [] }, {}), "UTC");
 * const env = { TZ: ":Europe/Berlin" };
 * assert.equal(timeZoneFlag({ values: {}, positionals: [] }, env), "Europe/Berlin");
 * ```
 */
export function timeZoneFlag(
  flags: ParsedFlags,
  env: Record<string, string | undefined>,
): string {
  const tz = flags.values.tz as string | undefined;
  if (flags.values.utc === true) {
    if (tz !== undefined) throw new UsageError("Cannot use --tz with --utc: choose one");
    return "UTC";
  }
  if (tz !== undefined) return checkTimeZone(tz);
  const fromEnv = env.TZ?.replace(/^:/, "");
  if (fromEnv) {
    try {
      return checkTimeZone(fromEnv);
    } catch {
      // Not an IANA name (a POSIX rule such as EST5EDT): the system's zone.
    }
  }
  return localTimeZone();
}
