/**
 * End-to-end tests of the completion scripts in the real shells: the
 * binary prints each script, bash loads it and its function is driven
 * through COMP_WORDS/COMP_CWORD as bash's completion does, fish answers
 * `complete -C`, and zsh checks the syntax, loads it under compinit and,
 * typed into an interactive zsh under zpty, offers what compadd is given.
 * Session ids come from the binary's `__complete` on the example home.
 *
 * zsh and fish may be missing on a developer's machine (skipped, with the
 * reason recorded); CI installs them (.ci/run), and there a missing shell
 * fails.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { BIN, exampleWorkdir, run } from "./harness.ts";
import { GROUP_KEYS } from "../../lib/cost/report.ts";
import { EXAMPLE_NOW } from "../helpers/clock.ts";
import { needs } from "../helpers/skips.ts";
import { hasProgram, spawnSync } from "../helpers/spawn.ts";

let work = "";
let example = "";
let bin = "";
let cleanup = () => Promise.resolve();
const scripts: Record<string, string> = {};

before(async () => {
  ({ work, example, cleanup } = await exampleWorkdir());
  // The program as a user has it: "zot-sessions" on the PATH.
  bin = join(work, "bin");
  await mkdir(bin);
  await symlink(BIN, join(bin, "zot-sessions"));
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = run(BIN, ["completions", shell]);
    assert.equal(r.code, 0, r.err);
    scripts[shell] = join(work, `completion.${shell}`);
    await writeFile(scripts[shell], r.out);
  }
  await writeFile(join(work, "zsh-setup.zsh"), zshSetup(scripts.zsh));
  await writeFile(join(work, "zsh-capture.zsh"), ZSH_CAPTURE);
});
after(() => cleanup());

/** The skip of a test that needs `shell` (recorded; under CI a missing one fails). */
const needsShell = (shell: string) => needs(shell, hasProgram(shell));

/**
 * Runs a shell with the program on the PATH, in the work directory; the
 * program it runs reads the example home, at its instant.
 */
function shell(program: string, args: string[]) {
  assert.ok(hasProgram(program), `${program} is missing (CI installs it)`);
  const r = spawnSync(program, args, {
    encoding: "utf8",
    cwd: work,
    env: {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      HOME: work,
      ZOT_SESSIONS_NOW: EXAMPLE_NOW,
    },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** What the bash completion function offers for the words (the last one being completed). */
function bashComplete(...words: string[]): string[] {
  const script = `source ${JSON.stringify(scripts.bash)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})
COMP_CWORD=${words.length - 1}
COMP_LINE=${JSON.stringify(words.join(" "))}
COMPREPLY=()
_zot_sessions
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = shell("bash", ["--norc", "--noprofile", "-c", script]);
  assert.equal(r.err, "", r.err);
  assert.equal(r.code, 0);
  return r.out.split("\n").filter(Boolean);
}

describe("e2e: bash completion", () => {
  it("registers itself for zot-sessions", () => {
    const r = shell("bash", [
      "--norc",
      "-c",
      `source ${JSON.stringify(scripts.bash)}; complete -p zot-sessions`,
    ]);
    assert.equal(r.out.trim(), "complete -F _zot_sessions zot-sessions");
  });

  it("completes verbs: s → search, show, statusline; sh → show", () => {
    assert.deepEqual(bashComplete("zot-sessions", "s").sort(), ["search", "show", "statusline"]);
    assert.deepEqual(bashComplete("zot-sessions", "sh"), ["show"]);
    assert.deepEqual(bashComplete("zot-sessions", "--home", example, "c"), [
      "cost",
      "changes",
      "completions",
    ]);
  });

  it("completes --by with the report's keys, also after --by=", () => {
    assert.deepEqual(bashComplete("zot-sessions", "cost", "--by", ""), [...GROUP_KEYS]);
    assert.deepEqual(bashComplete("zot-sessions", "cost", "--by", "=", "mo"), ["month", "model"]);
  });

  it("completes the next key of --by day,<TAB>, and time zones (issue 22, 16)", () => {
    const others = GROUP_KEYS.filter((k) => k !== "day");
    assert.deepEqual(
      bashComplete("zot-sessions", "cost", "--by", "day,"),
      others.map((k) => `day,${k}`),
    );
    assert.deepEqual(bashComplete("zot-sessions", "cost", "--by", "=", "day,mo"), [
      "day,month",
      "day,model",
    ]);
    assert.deepEqual(bashComplete("zot-sessions", "ls", "--tz", "Europe/Be"), [
      "Europe/Belgrade",
      "Europe/Berlin",
    ]);
    assert.deepEqual(bashComplete("zot-sessions", "show", "--tz", "UT"), ["UTC"]);
  });

  it("completes a short id from the home on the line", () => {
    assert.deepEqual(bashComplete("zot-sessions", "--home", example, "show", "8d"), ["8d337e16"]);
    assert.deepEqual(bashComplete("zot-sessions", "tail", "--home", example, "ff"), ["ff937ee3"]);
    assert.deepEqual(
      bashComplete("zot-sessions", "--home", example, "cost", "--session", "4f"),
      ["4fc5eb4f"],
    );
    // search --session takes one (issue 22).
    assert.deepEqual(
      bashComplete("zot-sessions", "--home", example, "search", "x", "--session", "b4"),
      ["b425d583"],
    );
    // resume takes one session (issue 19: it completed nothing).
    assert.deepEqual(bashComplete("zot-sessions", "resume", "--home", example, "ff"), ["ff937ee3"]);
    // Every session of the example home, each once.
    assert.equal(new Set(bashComplete("zot-sessions", "--home", example, "show", "")).size, 10);
  });

  it("completes flags, and nothing for a value that is free text", () => {
    assert.deepEqual(bashComplete("zot-sessions", "ls", "--so"), ["--sort"]);
    // search's grep-like flags (issue 22).
    assert.deepEqual(bashComplete("zot-sessions", "search", "--f").sort(), [
      "--files-with-matches",
      "--forks",
    ]);
    assert.deepEqual(bashComplete("zot-sessions", "search", "--cou"), ["--count"]);
    assert.deepEqual(bashComplete("zot-sessions", "search", "--cont"), ["--context"]);
    assert.deepEqual(bashComplete("zot-sessions", "ls", "--limit", ""), []);
    assert.deepEqual(bashComplete("zot-sessions", "tail", "--role", "a"), ["assistant"]);
    assert.deepEqual(bashComplete("zot-sessions", "completions", ""), ["bash", "zsh", "fish"]);
    // help completes verbs and its topics (issue 22, 8), and --man.
    assert.deepEqual(bashComplete("zot-sessions", "help", "g"), ["gc", "global"]);
    assert.deepEqual(bashComplete("zot-sessions", "help", "e"), ["export", "environment"]);
    // export's directory completes as one.
    assert.deepEqual(bashComplete("zot-sessions", "export", "--html", "/nonexistent-dir-"), []);
    assert.deepEqual(bashComplete("zot-sessions", "help", "--m"), ["--man"]);
  });
});

/** compinit's dump file, in the work directory (see {@linkcode compinitDump}). */
const zcompdump = () => JSON.stringify(join(work, "zcompdump"));
let dumped = false;

/**
 * Initialises the completion system once, as a user's first zsh does: the
 * full `compinit` (1.2 CPU-s: it reads every completion function under
 * fpath) writes its dump, `zcompdump` in the work directory, and every
 * later zsh here starts with `compinit -C -d` from it (0.04 CPU-s), as a
 * user's next ones do. It was a full `compinit -D` in each of the eleven.
 */
function compinitDump(): void {
  if (dumped) return;
  const r = shell("zsh", ["-f", "-c", `autoload -U compinit && compinit -u -d ${zcompdump()}`]);
  assert.deepEqual([r.code, r.err], [0, ""]);
  dumped = true;
}

describe("e2e: zsh completion", () => {
  it("is valid zsh, and loads under compinit", { skip: needsShell("zsh") }, () => {
    const syntax = shell("zsh", ["-n", scripts.zsh]);
    assert.equal(syntax.code, 0, syntax.err);
    compinitDump();
    const loaded = shell("zsh", [
      "-f",
      "-c",
      `autoload -U compinit && compinit -u -C -d ${zcompdump()} && source ${
        JSON.stringify(scripts.zsh)
      } && print -r -- $_comps[zot-sessions]`,
    ]);
    assert.equal(loaded.err, "");
    assert.equal(loaded.out.trim(), "_zot_sessions");
  });
});

/**
 * What the interactive zsh sources: compinit (from its dump), the script, TAB as
 * complete-word, and compadd wrapped to print each match it adds as
 * `match:WORD` (calls that only compute, with -O, -A or -D, pass through).
 * A NUL line before and after the completion frames the output; the shell
 * exits after it.
 */
function zshSetup(script: string): string {
  return `PROMPT=
autoload -U compinit && compinit -u -C -d ${zcompdump()}
source ${JSON.stringify(script)}
bindkey '^I' complete-word
zc-frame() { print -r -- $'\\0' }
compprefuncs=(zc-frame)
comppostfuncs=(zc-frame exit)
zstyle ':completion:*' list-grouped false
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
    builtin compadd "$@"
    return
  fi
  local -a zc_hits
  builtin compadd -A zc_hits "$@"
  local h
  for h in $zc_hits; do print -r -- "match:$h"; done
}
print -r -- zc-ready
`;
}

/** Types "source SETUP", waits for its answer, then the line and a TAB, and prints what is between the frames. */
const ZSH_CAPTURE = `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "source \${0:h}/zsh-setup.zsh"
local line
while zpty -r z line; do [[ $line == zc-ready* ]] && break; done
zpty -w z "$1"$'\\t'
integer frames=0
while zpty -r z line; do
  if [[ $line == *$'\\0'* ]]; then (( frames++ )) && break || continue; fi
  # A line read from the pty ends in CR LF.
  (( frames )) && print -r -- "\${\${line%$'\\n'}%$'\\r'}"
done
zpty -d z
`;

/** What zsh offers when TAB is pressed at the end of `line`. */
function zshComplete(line: string): string[] {
  compinitDump();
  const r = spawnSync("zsh", ["-f", join(work, "zsh-capture.zsh"), line], {
    encoding: "utf8",
    cwd: work,
    env: { PATH: `${bin}:${process.env.PATH ?? ""}`, HOME: work, ZOT_SESSIONS_NOW: EXAMPLE_NOW },
    // Only a safeguard: a broken script would leave zpty waiting.
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l.startsWith("match:")).map((l) => l.slice(6));
}

describe("e2e: zsh completion, typed", () => {
  // Each completion starts an interactive zsh, and the first runs the full
  // compinit: seconds on a loaded machine, over Bun's 5 s default for some.
  const zsh = { skip: needs("zsh", hasProgram("zsh")), timeout: 60_000 };

  it("completes a short id with --home before the verb", zsh, () => {
    assert.deepEqual(zshComplete(`zot-sessions --home ${example} show 8d`), ["8d337e16"]);
  });

  it("completes a short id with --home after the verb (issue 19)", zsh, () => {
    assert.deepEqual(zshComplete(`zot-sessions show --home ${example} 8d`), ["8d337e16"]);
    assert.deepEqual(
      zshComplete(`zot-sessions cost --home ${example} --session 4f`),
      ["4fc5eb4f"],
    );
    assert.deepEqual(zshComplete(`zot-sessions show --home ${example} --fu`), ["--full"]);
  });

  it("completes the next key of --by day,<TAB>, and time zones (issue 22, 16)", zsh, () => {
    assert.deepEqual(
      zshComplete("zot-sessions cost --by day,").sort(),
      GROUP_KEYS.filter((k) => k !== "day").sort(),
    );
    assert.deepEqual(zshComplete("zot-sessions ls --tz Europe/Be"), [
      "Europe/Belgrade",
      "Europe/Berlin",
    ]);
  });

  it("completes a session id for resume (issue 19)", zsh, () => {
    assert.deepEqual(zshComplete(`zot-sessions --home ${example} resume ff`), ["ff937ee3"]);
    assert.deepEqual(zshComplete(`zot-sessions resume --home ${example} ff`), ["ff937ee3"]);
  });
});

describe("e2e: fish completion", () => {
  const noFish = needsShell("fish");
  /** What fish offers for a command line (`value\tdescription` lines). */
  const fishComplete = (line: string) => {
    const r = shell("fish", [
      "--no-config",
      "-c",
      `source ${JSON.stringify(scripts.fish)}; complete -C ${JSON.stringify(line)}`,
    ]);
    assert.equal(r.err, "", r.err);
    return r.out.split("\n").filter(Boolean);
  };

  it("is valid fish", { skip: noFish }, () => {
    const r = shell("fish", ["--no-execute", scripts.fish]);
    assert.equal(r.code, 0, r.err);
  });

  it(
    "completes verbs, --by values, and ids with their descriptions",
    { skip: noFish },
    () => {
      assert.deepEqual(fishComplete("zot-sessions sh"), ["show\tprint one session's conversation"]);
      assert.deepEqual(fishComplete("zot-sessions s").map((l) => l.split("\t")[0]).sort(), [
        "search",
        "show",
        "statusline",
      ]);
      assert.deepEqual(
        fishComplete("zot-sessions cost --by ").map((l) => l.split("\t")[0]).sort(),
        [...GROUP_KEYS].sort(),
      );
      assert.deepEqual(fishComplete(`zot-sessions --home ${example} show 8d`), [
        "8d337e16\t/home/dev/ledger-api · 2026-10-05",
      ]);
      // search --session takes one (issue 22).
      assert.deepEqual(
        bashComplete("zot-sessions", "--home", example, "search", "x", "--session", "b4"),
        ["b425d583"],
      );
      // resume takes one session (issue 19: it completed nothing).
      assert.deepEqual(fishComplete(`zot-sessions resume --home ${example} 8d`), [
        "8d337e16\t/home/dev/ledger-api · 2026-10-05",
      ]);
    },
  );

  it("completes the next key of --by day,<TAB>, and time zones (issue 22, 16)", {
    skip: noFish,
  }, () => {
    const words = (line: string) => fishComplete(line).map((l) => l.split("\t")[0]).sort();
    assert.deepEqual(
      words("zot-sessions cost --by day,"),
      GROUP_KEYS.filter((k) => k !== "day").map((k) => `day,${k}`).sort(),
    );
    assert.deepEqual(words("zot-sessions cost --by=day,mo"), ["--by=day,model", "--by=day,month"]);
    assert.deepEqual(words("zot-sessions ls --tz Europe/Be"), ["Europe/Belgrade", "Europe/Berlin"]);
  });
});
