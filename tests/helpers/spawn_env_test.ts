/**
 * spawn.ts gives a child exactly the environment it says: the base, the
 * test's overrides (`undefined` removes one), libfaketime's variables unless
 * left out, and nothing else of the test process's, under Deno and Bun,
 * from `spawn` and `spawnSync` alike.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClockOptions, FAKETIME_HANDOFF, faketimeVars, spawn, spawnSync } from "./spawn.ts";

/** The environment `env(1)` was started with, as a map. */
function parse(text: string): Map<string, string> {
  return new Map(
    text.split("\n").filter(Boolean).map((
      l,
    ) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

function viaSpawnSync(o: ClockOptions): Map<string, string> {
  const r = spawnSync("env", [], { encoding: "utf8", ...o });
  assert.equal(r.status, 0, r.stderr);
  return parse(r.stdout);
}

function viaSpawn(o: ClockOptions): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const c = spawn("env", [], { stdio: ["ignore", "pipe", "inherit"], ...o });
    let out = "";
    c.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
    c.on("error", reject);
    c.on("close", () => resolve(parse(out)));
  });
}

/** Runs `fn` with `vars` set in this process's environment, then restores it. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

for (const [name, run] of [["spawnSync", viaSpawnSync], ["spawn", viaSpawn]] as const) {
  describe(`spawn.ts ${name}: the child's environment`, () => {
    it("is the base and the overrides, nothing else of the test process's", async () => {
      await withEnv({ ZOT_TEST_LEAK: "from the test process", NO_COLOR: "1" }, async () => {
        const env = await run({ env: { EXTRA: "x", HOME: undefined } });
        assert.equal(env.get("EXTRA"), "x");
        assert.equal(env.get("TZ"), "UTC");
        assert.ok(env.has("ZOT_SESSIONS_NOW") && env.has("ZOT_SESSIONS_CACHE"));
        assert.equal(env.has("ZOT_TEST_LEAK"), false, "a variable of the test process leaked");
        assert.equal(env.has("NO_COLOR"), false, "a variable of the test process leaked");
        assert.equal(env.has("HOME"), false, "HOME: undefined removes it");
      });
    });

    it("passes libfaketime's variables on, unless withoutFaketime", async () => {
      await withEnv({ FAKETIME_ZOT_TEST: "+0d" }, async () => {
        assert.equal((await run({})).get("FAKETIME_ZOT_TEST"), "+0d");
        assert.equal((await run({ withoutFaketime: true })).has("FAKETIME_ZOT_TEST"), false);
      });
    });

    it("has no ZOT_SESSIONS_NOW with realClock, even if the test process has one", async () => {
      await withEnv({ ZOT_SESSIONS_NOW: "2020-01-01T00:00:00Z" }, async () => {
        const env = await run({ realClock: "this test checks that the clock is released" });
        assert.equal(env.has("ZOT_SESSIONS_NOW"), false);
      });
    });
  });
}

describe("spawn.ts and libfaketime handed down by npm test", () => {
  it("faketimeVars() takes this process's variables, else those handed to it", () => {
    const handed = { LD_PRELOAD: "/lib/libfaketime.so.1", FAKETIME: "+731d" };
    assert.deepEqual(faketimeVars({ [FAKETIME_HANDOFF]: JSON.stringify(handed) }), handed);
    assert.deepEqual(
      faketimeVars({ FAKETIME: "+1d", [FAKETIME_HANDOFF]: JSON.stringify(handed) }),
      { FAKETIME: "+1d" },
    );
    assert.deepEqual(faketimeVars({ PATH: "/bin" }), {});
    assert.deepEqual(
      faketimeVars({ FAKETIME: "+1d", FAKETIME_SHARED: "/faketime_sem_1 /faketime_shm_1" }),
      { FAKETIME: "+1d" },
      "never the wrapper's shared memory",
    );
  });

  it("gives the handed variables to a child, but not to Deno", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zot-fake-deno-"));
    try {
      // A stand-in named deno that prints its environment.
      const deno = join(dir, "deno");
      writeFileSync(deno, "#!/bin/sh\nexec env\n");
      chmodSync(deno, 0o755);
      const handed = JSON.stringify({ FAKETIME_ZOT_TEST: "+731d" });
      await withEnv({ [FAKETIME_HANDOFF]: handed }, () => {
        // This process's own variables when it runs under libfaketime, else the handed ones.
        const want = faketimeVars();
        assert.ok(Object.keys(want).length > 0);
        const child = viaSpawnSync({});
        for (const [k, v] of Object.entries(want)) assert.equal(child.get(k), v, k);
        const r = spawnSync(deno, [], { encoding: "utf8" });
        const got = parse(r.stdout);
        for (const k of Object.keys(want)) assert.equal(got.has(k), false, `${k} reached Deno`);
        return Promise.resolve();
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
