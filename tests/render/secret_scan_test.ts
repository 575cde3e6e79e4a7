/**
 * Tests of lib/render/secret_scan.ts and secret_rule.ts: secretlint's
 * preset and our rule find every kind issue 24 names, exactly where it is,
 * with a readable kind; what only looks random (hashes, UUIDs, base64)
 * and code that merely mentions a password are left alone.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { findSecrets, kindOf, SEPARATOR } from "../../lib/render/secret_scan.ts";
import { FAKE_SECRETS, fakePrivateKey } from "../helpers/fake_secrets.ts";

/** The secrets found in one text, as [kind, the text found]. */
async function found(text: string): Promise<[string, string][]> {
  const [spans] = await findSecrets([text]);
  return spans.map((s) => [s.kind, text.slice(s.start, s.end)]);
}

describe("findSecrets: every kind", () => {
  for (const f of FAKE_SECRETS) {
    it(`${f.kind}: the secret itself, nothing around it`, async () => {
      assert.deepEqual(await found(`see ${f.text} here`), [[f.kind, f.secret]]);
    });
  }

  it("many texts in one call: each its own spans, offsets within it", async () => {
    const texts = ["nothing", ...FAKE_SECRETS.map((f) => `>${f.text}<`), ""];
    const spans = await findSecrets(texts);
    assert.equal(spans.length, texts.length);
    assert.deepEqual(spans[0], []);
    assert.deepEqual(spans[spans.length - 1], []);
    FAKE_SECRETS.forEach((f, i) => {
      const t = texts[i + 1];
      assert.deepEqual(
        spans[i + 1].map((s) => [s.kind, t.slice(s.start, s.end)]),
        [[f.kind, f.secret]],
      );
    });
  });

  it("no secret is found across the separator of texts checked together", async () => {
    const key = fakePrivateKey();
    const half = key.indexOf("\n", key.length / 2);
    const spans = await findSecrets([key.slice(0, half), key.slice(half)]);
    assert.deepEqual(spans, [[], []]);
    assert.ok(SEPARATOR.includes("\0"));
  });

  it("in JSON text: a private key with \\n escapes, a password pair", async () => {
    const key = fakePrivateKey();
    const json = JSON.stringify({ content: key, password: "zotFake" + "123" });
    assert.deepEqual(await found(json), [
      ["private key", JSON.stringify(key).slice(1, -1)],
      ["password", "zotFake123"],
    ]);
  });

  it("the AWS secret key rule's range is moved onto the key", async () => {
    const aws = FAKE_SECRETS.find((f) => f.kind === "AWS secret key")!;
    assert.deepEqual(await found(`export ${aws.text.toUpperCase().replace(/ /g, "")}`), [[
      "AWS secret key",
      aws.secret.toUpperCase(),
    ]]);
  });

  it('"secretlint-disable" in a transcript does not turn redaction off', async () => {
    const gh = FAKE_SECRETS.find((f) => f.kind === "GitHub token")!;
    const text = `// secretlint-disable\n${gh.text}\n// secretlint-disable-next-line\n${gh.text}`;
    assert.equal((await found(text)).length, 2);
  });
});

describe("findSecrets: no false positives", () => {
  const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
  const base64 = fc.uint8Array({ minLength: 1, maxLength: 3000 })
    .map((b) => Buffer.from(b).toString("base64"));

  it("hashes, UUIDs and base64 (an image's data) are not secrets", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(hex(40), hex(64), fc.uuid(), base64), { minLength: 1, maxLength: 8 }),
        async (parts) => {
          const text = parts.join(" ");
          assert.deepEqual(await found(text), [], text.slice(0, 200));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("code and prose about passwords, keys and URLs", async () => {
    const texts = [
      "password: string;",
      "const password = getPassword(input);",
      "password=$DB_PASSWORD",
      'password: "${{ secrets.DB_PASSWORD }}"',
      "password=<your password>",
      "password: process.env.PASSWORD",
      "bypass=abc12345 compass:north123",
      "passwordless: true; PASSWORD_MIN_LENGTH=12",
      "ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519",
      "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
      "git clone https://github.com/zot/zot.git && curl https://user@example.com/x",
      "postgres://localhost:5432/app mysql://root@127.0.0.1/db",
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "commit 0e19291ec8414742bbcc90199e65f26e0e19291e",
      "AIza is how Google keys start; sk-ant- is Anthropic's prefix",
    ];
    for (const t of texts) assert.deepEqual(await found(t), [], t);
  });
});

describe("kindOf", () => {
  it("names a kind by message, by rule, else by the rule's name", () => {
    assert.equal(kindOf("@secretlint/secretlint-rule-aws", "AWSAccessKeyID"), "AWS access key");
    assert.equal(kindOf("@secretlint/secretlint-rule-slack", "IncomingWebhook"), "Slack webhook");
    assert.equal(kindOf("@secretlint/secretlint-rule-privatekey", "PrivateKey"), "private key");
    assert.equal(kindOf("@secretlint/secretlint-rule-brand-new", "TOKEN"), "brand-new secret");
  });
});
