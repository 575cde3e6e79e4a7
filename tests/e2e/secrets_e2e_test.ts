/**
 * End-to-end tests of `--redact-secrets` (issue 24), the built binary and
 * the CLI under Deno and Bun: every kind in every place taken out of
 * `show --markdown` and `--html`, counted on stderr; a streamed line of
 * 9 MiB with secrets all along it, across the reader's pieces and the
 * redactor's windows; and no secret at all found in the example home and
 * zot's samples (their hashes, UUIDs, images and encrypted reasoning).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, exampleWorkdir, run, RUNNERS } from "./harness.ts";
import { EXAMPLE_NOW, SAMPLES_NOW } from "../helpers/clock.ts";
import { samplesHome, samplesSkip } from "../helpers/samples.ts";
import { metaLine } from "../helpers/fixtures.ts";
import { FAKE_SECRETS, PLACES, plantedLines } from "../helpers/fake_secrets.ts";

const CWD = "/home/dev/alpha";
const ID = "5ec12e75-1111-4222-8333-000000000001";
const ALL = FAKE_SECRETS.map((f) => `${f.kind}: ${f.text}`).join("\n");

/** The note for `n` of each kind. */
function note(n: number): string {
  const kinds = FAKE_SECRETS.map((f) => f.kind).sort().map((k) => `${n} ${k}`);
  return `zot-sessions: redacted ${n * FAKE_SECRETS.length} secrets: ${kinds.join(", ")}\n`;
}

/** The kinds whose secret `out` shows (a private key by any of its lines). */
function shown(out: string): string[] {
  return FAKE_SECRETS.filter((f) => f.secret.split("\n").some((l) => out.includes(l)))
    .map((f) => f.kind);
}

let work = "";
let planted = "";
before(async () => {
  work = await mkdtemp(join(tmpdir(), "zot-secrets-"));
  planted = join(work, "20261001-090000-5ec12e75.jsonl");
  await writeFile(planted, plantedLines(ID, CWD, () => ALL).join("\n") + "\n");
});
after(() => rm(work, { recursive: true, force: true }));

describe("e2e: --redact-secrets", () => {
  for (const [runtime, cli] of RUNNERS) {
    it(`${runtime}: show --markdown and --html take every kind out of every place`, () => {
      for (const form of ["--markdown", "--html"]) {
        const r = cli(["show", planted, form, "--full"], { TZ: "UTC" });
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(shown(r.out), [], form);
        assert.equal(r.out.split("[redacted: GitHub token]").length - 1 >= PLACES.length, true);
        assert.equal(r.err, note(PLACES.length), form);
      }
    });
  }

  it("--no-redact-secrets, and text, --json and --raw by default, keep them", () => {
    const every = FAKE_SECRETS.map((f) => f.kind);
    for (
      const args of [
        ["--markdown", "--no-redact-secrets"],
        ["--html", "--no-redact-secrets"],
        ["--no-pager"],
        ["--json"],
        ["--raw"],
      ]
    ) {
      const r = run(BIN, ["show", planted, "--full", ...args], { TZ: "UTC" });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(shown(r.out), every, args.join(" "));
      assert.equal(r.err, "", args.join(" "));
    }
  });

  it("--redact-secrets with --json: the events hold the markers", () => {
    const r = run(BIN, ["show", planted, "--json", "--redact-secrets"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(shown(r.out), []);
    assert.ok(r.out.includes("\\nGitHub token: [redacted: GitHub token]\\n"));
    assert.equal(r.err, note(PLACES.length));
  });
});

describe("e2e: export --html redacts by default", () => {
  it("no page of the site, the index included, shows a secret; --no-redact-secrets keeps them", async () => {
    // Untitled, so the index names it by its first prompt, cut at 99
    // characters: a token that the cut goes through must not leave its start.
    const untitled = join(work, "20261001-090000-5ec12e76.jsonl");
    const gh = FAKE_SECRETS.find((f) => f.kind === "GitHub token")!;
    const first = "w ".repeat(35) + "token " + gh.text + "\n" + ALL;
    const say = (place: string) => place === "prompt" ? first : ALL;
    const lines = plantedLines(ID.replace(/1$/, "2"), CWD, say);
    await writeFile(untitled, lines.filter((l) => !l.includes('"rename"')).join("\n") + "\n");
    for (const flags of [[], ["--no-redact-secrets"]]) {
      const dir = join(work, `site${flags.length}`);
      const r = run(BIN, ["export", "--html", dir, planted, untitled, "--full", ...flags], {
        TZ: "UTC",
      });
      assert.equal(r.code, 0, r.err);
      const pages = readdirSync(dir).filter((n) => n.endsWith(".html"));
      assert.equal(pages.length, 3, pages.join(" "));
      const site = pages.map((n) => readFileSync(join(dir, n), "utf8")).join("\n");
      const index = readFileSync(join(dir, "index.html"), "utf8");
      if (flags.length === 0) {
        assert.deepEqual(shown(site), []);
        assert.match(index, /\[redacted: /);
        assert.equal(index.includes(gh.secret.slice(0, 12)), false, "a token's start at the cut");
        assert.match(r.err, /^zot-sessions: redacted \d+ secrets: /);
      } else {
        assert.deepEqual(shown(site), FAKE_SECRETS.map((f) => f.kind));
        assert.equal(index.includes(gh.secret.slice(0, 12)), true);
        assert.equal(r.err, "");
      }
    }
  });
});

describe("e2e: --redact-secrets on a streamed line", () => {
  // A tool result of ~9 MiB (over the reader's 8 MiB cap: streamed), with
  // a secret every ~37,000 characters: they fall across the 64 KiB pieces
  // the line is read in and the 256 KiB windows the redactor checks.
  const EVERY = 37_003;
  const COUNT = 255;
  let big = "";
  before(async () => {
    big = join(work, "20261002-090000-5ec12e76.jsonl");
    const fh = await open(big, "w");
    try {
      await fh.write(metaLine({ id: ID.replace(/1$/, "2"), cwd: CWD }) + "\n");
      await fh.write(
        '{"type":"message","message":{"role":"tool","content":[{"call_id":"c1","content":[{"text":"',
      );
      for (let i = 0; i < COUNT; i++) {
        const filler = `line ${i} `.padEnd(99, "x") + "\n";
        const text = filler.repeat(Math.floor(EVERY / 100)) +
          FAKE_SECRETS[i % FAKE_SECRETS.length].text + "\n";
        await fh.write(JSON.stringify(text).slice(1, -1));
      }
      await fh.write('"}],"is_error":false}],"time":"2026-10-02T09:00:00Z"}}\n');
    } finally {
      await fh.close();
    }
  });

  it("takes out every secret, each counted once", () => {
    for (const form of [["--markdown", "--full"], ["--html"]]) {
      const r = run(BIN, ["show", big, ...form], { TZ: "UTC" });
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.length > COUNT * EVERY, `${r.out.length} characters`);
      assert.deepEqual(shown(r.out), [], form.join(" "));
      const markers = r.out.match(/\[redacted: [^\]]+\]/g) ?? [];
      assert.equal(markers.length, COUNT, form.join(" "));
      const kinds = new Map<string, number>();
      for (let i = 0; i < COUNT; i++) {
        const k = FAKE_SECRETS[i % FAKE_SECRETS.length].kind;
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
      }
      const said = [...kinds].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([k, n]) => `${n} ${k}`).join(", ");
      assert.equal(r.err, `zot-sessions: redacted ${COUNT} secrets: ${said}\n`);
    }
  });
});

describe("e2e: no false positives", () => {
  /** Every session file of a home. */
  const sessions = (home: string) =>
    (readdirSync(join(home, "sessions"), { recursive: true }) as string[])
      .filter((p) => p.endsWith(".jsonl")).map((p) => join(home, "sessions", p));

  const check = (home: string, now: string) => {
    const files = sessions(home);
    assert.ok(files.length >= 5, `${files.length} sessions in ${home}`);
    for (const file of files) {
      for (const form of [["--markdown", "--full"], ["--html"]]) {
        const r = run(BIN, ["show", file, ...form], { ZOT_SESSIONS_NOW: now, TZ: "UTC" });
        assert.equal(r.code, 0, r.err);
        assert.equal(r.err, "", `${file} ${form[0]}`);
        assert.ok(!r.out.includes("[redacted:"), `${file} ${form[0]}`);
      }
    }
  };

  it("the example home: every session, as a page and as Markdown", async () => {
    const w = await exampleWorkdir();
    try {
      check(w.example, EXAMPLE_NOW);
    } finally {
      await w.cleanup();
    }
  });

  it("zot's samples: every session, as a page and as Markdown", { skip: samplesSkip }, () => {
    check(samplesHome(), SAMPLES_NOW);
  });
});
