/**
 * `--redact-secrets` in-process (lib/commands/transcript_options.ts and the
 * dispatcher's note): on by default for `show --markdown` and `--html`, off
 * for text, `--json` and `--raw`; `--no-redact-secrets` and
 * `--redact-secrets` say otherwise; every kind in every place; the count on
 * stderr, once, never in the output.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { transcriptFlags } from "../../lib/commands/transcript_options.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { tempHome } from "../helpers/fixtures.ts";
import { runIn } from "../helpers/cli.ts";
import { FAKE_SECRETS, PLACES, plantedLines } from "../helpers/fake_secrets.ts";

const CWD = "/home/dev/alpha";
const ID = "5ec12e75-1111-4222-8333-000000000001";
const NOW = Date.parse("2026-11-25T12:00:00Z");
/** Every kind, in every place: one line a kind. */
const ALL = FAKE_SECRETS.map((f) => `${f.kind}: ${f.text}`).join("\n");
const COUNT = `zot-sessions: redacted ${FAKE_SECRETS.length * PLACES.length} secrets: ` +
  FAKE_SECRETS.map((f) => f.kind).sort().map((k) => `${PLACES.length} ${k}`).join(", ") + "\n";

let home: Awaited<ReturnType<typeof tempHome>>;
before(async () => {
  home = await tempHome([{
    cwd: CWD,
    name: "20261001-090000-5ec12e75.jsonl",
    lines: plantedLines(ID, CWD, () => ALL),
    mtimeMs: NOW,
  }]);
});
after(() => home.cleanup());

function cli(args: string[]) {
  return runIn([...args, "--home", home.home, "--cwd", CWD], {
    now: NOW,
    processCwd: "/",
    userHome: "/home/dev",
    env: { PAGER: "cat", NO_COLOR: "1", TZ: "UTC" },
  });
}

/** How many of the planted secrets' secret parts `out` shows (JSON-escaped ones too). */
function shown(out: string): string[] {
  return FAKE_SECRETS.filter((f) =>
    out.includes(f.secret) || out.includes(JSON.stringify(f.secret).slice(1, -1)) ||
    out.includes(f.secret.split("\n")[1] ?? "\0")
  ).map((f) => f.kind);
}

describe("--redact-secrets: the defaults", () => {
  for (const form of [["--markdown"], ["--html"]]) {
    it(`show ${form[0]}: every kind in every place, counted on stderr`, async () => {
      const r = await cli(["show", ...form, "--full"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(shown(r.out), []);
      for (const f of FAKE_SECRETS) {
        const n = r.out.split(`[redacted: ${f.kind}]`).length - 1;
        // The page's outline repeats the start of the prompt.
        const want = PLACES.length + (form[0] === "--html" && f === FAKE_SECRETS[0] ? 1 : 0);
        assert.equal(n, want, `${f.kind}: ${n} markers`);
      }
      assert.equal(r.err, COUNT);
      assert.ok(!r.out.includes("zot-sessions: redacted"));
    });
    it(`show ${form[0]} --no-redact-secrets keeps them, and says nothing`, async () => {
      const r = await cli(["show", ...form, "--full", "--no-redact-secrets"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(shown(r.out), FAKE_SECRETS.map((f) => f.kind));
      assert.equal(r.err, "");
    });
  }

  for (const form of [[], ["--json"], ["--raw"]]) {
    it(`show ${form[0] ?? "(text)"} keeps them by default`, async () => {
      const r = await cli(["show", "--no-pager", "--full", ...form]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(shown(r.out), FAKE_SECRETS.map((f) => f.kind));
      assert.equal(r.err, "");
    });
  }

  it("--redact-secrets turns it on for text and --json", async () => {
    for (const form of [[], ["--json"]]) {
      const r = await cli(["show", "--no-pager", "--full", "--redact-secrets", ...form]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(shown(r.out), [], form.join(" "));
      assert.equal(r.err, COUNT);
    }
  });

  it("tail --markdown takes them out too", async () => {
    const r = await cli(["tail", "-n", "10", "--markdown", "--full"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(shown(r.out), []);
    assert.equal(r.err, COUNT);
  });

  it("--quiet leaves the count out", async () => {
    const r = await cli(["show", "--markdown", "--quiet"]);
    assert.deepEqual([r.code, r.err], [0, ""]);
  });
});

describe("--redact-secrets: the header", () => {
  it("a title's secret is taken out of the Markdown and the page's header", async () => {
    const gh = FAKE_SECRETS.find((f) => f.kind === "GitHub token")!;
    const h = await tempHome([{
      cwd: CWD,
      name: "20261001-090000-5ec12e76.jsonl",
      lines: [
        ...plantedLines(ID.replace(/1$/, "2"), CWD, () => "nothing here"),
        `{"title":"rotate ${gh.text}","type":"rename"}`,
      ],
      mtimeMs: NOW,
    }]);
    try {
      for (const form of ["--markdown", "--html"]) {
        const r = await runIn(["show", form, "--home", h.home, "--cwd", CWD], {
          now: NOW,
          processCwd: "/",
          env: { NO_COLOR: "1", TZ: "UTC" },
        });
        assert.ok(!r.out.includes(gh.secret), form);
        assert.ok(r.out.includes("rotate [redacted: GitHub token]"), form);
        // The header's title, and the rename in the transcript.
        assert.equal(r.err, "zot-sessions: redacted 2 secrets: 2 GitHub token\n", form);
      }
    } finally {
      await h.cleanup();
    }
  });
});

describe("--redact-secrets: flags", () => {
  const flags = (values: Record<string, unknown>) =>
    transcriptFlags({ values: values as never, positionals: [] }).redactSecrets;
  it("is on with --markdown and --html, off otherwise, as asked when asked", () => {
    assert.deepEqual(
      [{}, { json: true }, { markdown: true }, { html: true }].map(flags),
      [false, false, true, true],
    );
    assert.equal(flags({ markdown: true, "no-redact-secrets": true }), false);
    assert.equal(flags({ json: true, "redact-secrets": true }), true);
  });
  const bad: [Record<string, unknown>, RegExp][] = [
    [
      { "redact-secrets": true, "no-redact-secrets": true },
      /^Cannot use --redact-secrets with --no-redact-secrets: choose one$/,
    ],
    [
      { "redact-secrets": true, raw: true },
      /^Cannot use --redact-secrets with --raw: the lines are shown as stored$/,
    ],
  ];
  for (const [values, message] of bad) {
    it(`rejects ${Object.keys(values).join(" and ")}`, () => {
      assert.throws(
        () => transcriptFlags({ values: values as never, positionals: [] }),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      );
    });
  }
});
