/** The rules spawn.ts keeps for every process a test starts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { join } from "node:path";
import process from "node:process";
import { EXAMPLE_NOW, fsNow } from "./clock.ts";
import { childEnv, registerFixture, spawnSync } from "./spawn.ts";
import { ROOT } from "../e2e/harness.ts";

describe("spawn.ts: the environment and clock of a test's processes", () => {
  it("pins ZOT_SESSIONS_NOW to the file system's now by default", () => {
    const before = fsNow();
    const env = childEnv();
    const pinned = Date.parse(env.ZOT_SESSIONS_NOW);
    assert.ok(pinned >= before && pinned <= fsNow(), env.ZOT_SESSIONS_NOW);
    assert.equal(env.HOME, "/nonexistent");
    assert.equal(env.TZ, "UTC");
  });

  it("keeps an instant the test pins, and adds and removes variables", () => {
    const env = childEnv({ env: { ZOT_SESSIONS_NOW: EXAMPLE_NOW, NO_COLOR: "1", TZ: undefined } });
    assert.equal(env.ZOT_SESSIONS_NOW, EXAMPLE_NOW);
    assert.equal(env.NO_COLOR, "1");
    assert.equal("TZ" in env, false);
  });

  it("fails a run whose clock is neither pinned nor released with a reason", () => {
    for (const now of ["", "soon", undefined]) {
      assert.throws(
        () => childEnv({ env: { ZOT_SESSIONS_NOW: now } }),
        /pin the clock to an instant, or say why this run needs the real one/,
      );
    }
    assert.throws(
      () => childEnv({ env: { ZOT_SESSIONS_NOW: EXAMPLE_NOW }, realClock: "because" }),
      /cannot both pin/,
    );
  });

  it("leaves the clock alone for a run that names its reason", () => {
    const env = childEnv({ realClock: "checks what the real clock gives" });
    assert.equal("ZOT_SESSIONS_NOW" in env, false);
  });

  it("fails a run pointed at a fixture with fixed times unless its clock is pinned", () => {
    const home = join(ROOT, "examples", "home");
    assert.throws(() => childEnv({}, ["ls", "--home", home]), /pin ZOT_SESSIONS_NOW/);
    assert.throws(() => childEnv({ env: { ZOT_HOME: home } }), /pin ZOT_SESSIONS_NOW/);
    assert.throws(() => childEnv({}, [`--home=${home}/sessions`]), /pin ZOT_SESSIONS_NOW/);
    registerFixture("/tmp/zot-fixture-of-this-test");
    assert.throws(
      () => childEnv({}, ["ls", "--home", "/tmp/zot-fixture-of-this-test/x"]),
      /pin ZOT_SESSIONS_NOW/,
    );
    assert.doesNotThrow(() => childEnv({ env: { ZOT_SESSIONS_NOW: EXAMPLE_NOW } }, [home]));
    assert.doesNotThrow(() => childEnv({}, ["ls", "--home", "/tmp/elsewhere"]));
  });

  it("passes libfaketime on to the child, unless told not to", () => {
    const saved = { LD_PRELOAD: process.env.LD_PRELOAD, FAKETIME: process.env.FAKETIME };
    process.env.LD_PRELOAD = "/usr/lib/faketime/libfaketime.so.1";
    process.env.FAKETIME = "+731d";
    try {
      assert.equal(childEnv().FAKETIME, "+731d");
      assert.equal(childEnv().LD_PRELOAD, "/usr/lib/faketime/libfaketime.so.1");
      assert.equal("LD_PRELOAD" in childEnv({ withoutFaketime: true }), false);
      assert.equal("FAKETIME" in childEnv({ withoutFaketime: true }), false);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("runs a program with that environment", () => {
    const r = spawnSync("sh", ["-c", 'printf "%s|%s" "$ZOT_SESSIONS_NOW" "$HOME"'], {
      encoding: "utf8",
      env: { ZOT_SESSIONS_NOW: EXAMPLE_NOW },
    });
    assert.equal(r.stdout, `${EXAMPLE_NOW}|/nonexistent`);
  });
});
