import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  formatBytes,
  formatCost,
  formatProject,
  formatWeek,
  relativeTime,
} from "../../lib/render/format.ts";

const AT = Date.parse("2026-11-25T12:00:00Z");

describe("format", () => {
  it("formatCost(): one rule — cents, <$0.01 under a cent, $0.00 only for zero", () => {
    assert.equal(formatCost(0), "$0.00");
    assert.equal(formatCost(0.0043), "<$0.01");
    assert.equal(formatCost(0.0099), "<$0.01", "under a cent even if it rounds up");
    assert.equal(formatCost(1e-9), "<$0.01");
    assert.equal(formatCost(0.01), "$0.01");
    assert.equal(formatCost(0.0717063), "$0.07");
    assert.equal(formatCost(12.4), "$12.40");
  });
  it("formatCost() with unpriced tokens: unpriced, or marked with *", () => {
    assert.equal(formatCost(0, 120), "unpriced");
    assert.equal(formatCost(0.41, 120), "$0.41*");
    assert.equal(formatCost(0.004, 120), "<$0.01*");
    assert.equal(formatCost(0.41, 0), "$0.41");
  });
  it("formatProject() marks a decomposed (NFD) path and shortens the home", () => {
    const nfc = "/home/dev/ünïcode proj".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    assert.notEqual(nfc, nfd);
    assert.equal(formatProject(nfc), nfc);
    assert.equal(formatProject(nfd), nfd + " (NFD)");
    assert.equal(formatProject("/home/dev/plain"), "/home/dev/plain");
    // Neither form: composed ü, decomposed ï.
    const mixed = "/home/dev/" + "ü".normalize("NFC") + "ï".normalize("NFD");
    assert.equal(formatProject(mixed), mixed + " (not NFC)");
    assert.equal(formatProject("/home/me/x", "/home/me"), "~/x");
    assert.equal(formatProject("/home/me2/x", "/home/me"), "/home/me2/x");
    assert.equal(formatProject("/home/dev/\x1b[2Jx"), "/home/dev/␛[2Jx", "sanitised");
  });
  it("formatWeek() gives a week's key its first day; any other key is itself, made safe", () => {
    const cases: [string, "monday" | "sunday", string][] = [
      ["2026-W42", "monday", "2026-W42 (Oct 12)"],
      ["2026-W42", "sunday", "2026-W42 (Oct 11)"],
      ["2026-W41", "monday", "2026-W41 (Oct 5)"],
      ["2026-W01", "monday", "2026-W01 (Dec 29)"],
      ["2026-W53", "monday", "2026-W53 (Dec 28)"],
      ["2027-W01", "sunday", "2027-W01 (Jan 3)"],
      ["2026-11", "monday", "2026-11"],
      ["\x1b[2J", "monday", "␛[2J"],
    ];
    for (const [key, start, want] of cases) assert.equal(formatWeek(key, start), want);
  });
  it("formatBytes() uses SI units", () => {
    assert.equal(formatBytes(999), "999 B");
    assert.equal(formatBytes(1_234_567), "1.2 MB");
  });
  it("relativeTime() gives short ages", () => {
    const cases: [number, string][] = [
      [0, "now"],
      [45_000, "45s ago"],
      [12 * 60_000, "12m ago"],
      [3 * 3_600_000, "3h ago"],
      [47 * 3_600_000, "47h ago"],
      [5 * 86_400_000, "5d ago"],
      [50 * 86_400_000, "7w ago"],
      [800 * 86_400_000, "2y ago"],
    ];
    for (const [age, want] of cases) assert.equal(relativeTime(AT - age, AT), want);
  });
});
