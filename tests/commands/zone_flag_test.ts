import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { localTimeZone } from "../../lib/base/calendar.ts";
import { isUtcZoneFile, systemTimeZone, timeZoneFlag } from "../../lib/commands/zone_flag.ts";

describe("the system's time zone", () => {
  it("is UTC when /etc/localtime links to one of UTC's names, without asking the runtime", () => {
    for (
      const link of [
        "/usr/share/zoneinfo/Etc/UTC",
        "/usr/share/zoneinfo/UTC",
        "../usr/share/zoneinfo/Etc/Universal",
        "/var/db/timezone/zoneinfo/Zulu",
        "/usr/share/zoneinfo/posix/Etc/UCT",
      ]
    ) {
      assert.equal(systemTimeZone(() => link), "UTC", link);
    }
  });

  it("is the runtime's for any other zone, a missing link, or a leap-second clock", () => {
    const none = () => {
      throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    };
    for (
      const link of [
        () => "/usr/share/zoneinfo/Europe/Berlin",
        () => "/usr/share/zoneinfo/Etc/GMT+1",
        () => "/usr/share/zoneinfo/right/UTC",
        () => "/usr/share/zoneinfo/UTC/extra",
        none,
      ]
    ) {
      assert.equal(systemTimeZone(link), localTimeZone());
    }
    assert.equal(isUtcZoneFile("/usr/share/zoneinfo/Etc/UTC"), true);
  });

  it("is what --tz, --utc and $TZ leave to it", () => {
    assert.equal(timeZoneFlag({ values: {}, positionals: [] }, {}), systemTimeZone());
    assert.equal(timeZoneFlag({ values: {}, positionals: [] }, { TZ: "Asia/Tokyo" }), "Asia/Tokyo");
  });
});
