/**
 * The man page renders with groff without a warning, and says everything
 * the help says: every verb, every flag of every verb, the exit codes and
 * the environment. groff may be missing on a developer's machine (skipped,
 * the reason recorded); CI installs it, and there a missing groff fails.
 *
 * Runs under `deno test -A` and `bun test`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COMMANDS, SUMMARY } from "../../lib/cli/run.ts";
import { manPageText } from "../../lib/cli/manpage.ts";
import { ENVIRONMENT } from "../../lib/cli/help.ts";
import { GLOBAL_OPTIONS } from "../../lib/commands/context.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";

const hasGroff = hasProgram("groff");

/** groff's rendering of the page as plain text, and what it said on stderr. */
function render(page: string) {
  const r = spawnSync("groff", ["-man", "-Tutf8", "-ww", "-P", "-cbou"], {
    input: page,
    encoding: "utf8",
    env: { MANWIDTH: "80" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("man page", () => {
  const page = manPageText(COMMANDS, SUMMARY);

  it("renders with groff -man -Tutf8 without warnings", {
    skip: needs("groff", hasGroff),
  }, () => {
    assert.ok(hasGroff, "groff is missing (CI installs it)");
    const r = render(page);
    assert.equal(r.err, "");
    assert.equal(r.code, 0);
    assert.match(r.out, /^ZOT-SESSIONS\(1\) +User Commands +ZOT-SESSIONS\(1\)$/m);
    // Every verb, and each of its flags as it is typed.
    for (const c of COMMANDS) {
      assert.match(r.out, new RegExp(`^   ${c.name}$`, "m"), c.name);
      for (const name of Object.keys(c.options)) {
        const flag = name.length === 1 ? `-${name}` : `--${name}`;
        assert.ok(r.out.includes(flag), `${c.name} ${flag} is not in the page`);
      }
    }
    for (const name of Object.keys(GLOBAL_OPTIONS)) assert.ok(r.out.includes(`--${name}`), name);
    for (const name of Object.keys(ENVIRONMENT)) {
      assert.match(r.out, new RegExp(`^       ${name}\\b`, "m"));
    }
    assert.match(r.out, /^EXIT STATUS$/m);
    // Non-ASCII help text comes out as itself.
    assert.ok(r.out.includes("project… (forks counted once)"));
  });

  it("is ASCII, so that any man reads it", () => {
    assert.match(page, /^[\x20-\x7e\n]*$/);
  });
});
