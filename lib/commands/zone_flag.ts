/**
 * `--tz ZONE` and `--utc`: the zone a verb shows times in (and reads dates
 * given without an offset in). The same two flags on every verb that prints
 * or reads times.
 *
 * @module
 */
import type { OptionSpec, ParsedFlags } from "./args.ts";
import { readlinkSync } from "node:fs";
import { checkTimeZone, localTimeZone } from "../base/calendar.ts";
import { UsageError } from "../base/errors.ts";
import type { ValueKind } from "./completion_spec.ts";

/** The flag declarations. */
export const ZONE_OPTIONS: OptionSpec = {
  tz: { type: "string" },
  utc: { type: "boolean" },
};

/** What `--tz` takes, for shell completion. */
export const ZONE_VALUES: Record<string, ValueKind> = { tz: "zone" };

/**
 * Every zone `--tz` accepts by name, for completion: the runtime's IANA
 * names and UTC, sorted. Asked of the runtime when called (it takes some
 * milliseconds), never at startup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zoneNames } from "./zone_flag.ts";
 * const zones = zoneNames();
 * assert.ok(zones.includes("Europe/Berlin") && zones.includes("UTC"));
 * ```
 */
export function zoneNames(): string[] {
  return [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])].sort();
}

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
  return systemTimeZone();
}

/**
 * The system's zone: UTC when `/etc/localtime` links to one of UTC's names
 * (servers, containers and CI machines mostly run in UTC), else what the
 * runtime says. Why not always the runtime: `Intl.DateTimeFormat()` loads
 * ICU's zone data, 10-16 ms of every run that shows a time (measured
 * 2026-12-07), and UTC's times need none of it (base/calendar.ts).
 */
export function systemTimeZone(link: () => string = () => readlinkSync("/etc/localtime")): string {
  try {
    if (isUtcZoneFile(link())) return "UTC";
  } catch {
    // No such link (Windows, or a copied file): ask the runtime.
  }
  return localTimeZone();
}

/**
 * Whether a path into a zoneinfo database names UTC (`Etc/UTC`, `UCT`,
 * `Universal`, `Zulu`, …), as `/etc/localtime` links to.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isUtcZoneFile } from "./zone_flag.ts";
 *
 * assert.equal(isUtcZoneFile("/usr/share/zoneinfo/Etc/UTC"), true);
 * assert.equal(isUtcZoneFile("../usr/share/zoneinfo/UTC"), true);
 * assert.equal(isUtcZoneFile("/var/db/timezone/zoneinfo/Europe/Berlin"), false);
 * assert.equal(isUtcZoneFile("/usr/share/zoneinfo/Etc/GMT+1"), false);
 * ```
 */
export function isUtcZoneFile(path: string): boolean {
  // Not right/UTC: that clock counts leap seconds.
  return /\/zoneinfo\/(?:posix\/)?(?:Etc\/)?(?:UTC|UCT|Universal|Zulu)$/.test(path);
}
