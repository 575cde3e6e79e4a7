/**
 * Fake secrets of every kind `--redact-secrets` must take out (issue 24):
 * values that match secretlint's rules (and ours) but are plainly made up.
 * Each is built by joining pieces here, so that the repository holds no
 * string a secret scanner (GitHub's push protection among them) would flag.
 */
import { messageLine, metaLine, renameLine } from "./fixtures.ts";

/** A fake secret: the kind it is redacted as, the text holding it, and its secret part. */
export interface FakeSecret {
  kind: string;
  /** The text as written: the secret, maybe with what names it (`DB_PASSWORD=`). */
  text: string;
  /** What must not be seen after redaction. */
  secret: string;
  /** What the text becomes. */
  redacted: string;
}

const j = (...pieces: string[]) => pieces.join("");
const fill = (n: number) => "zotFake0".repeat(Math.ceil(n / 8)).slice(0, n);
const fake = (kind: string, secret: string, before = "", after = ""): FakeSecret => ({
  kind,
  text: before + secret + after,
  secret,
  redacted: `${before}[redacted: ${kind}]${after}`,
});

/** A private key block: BEGIN, base64 lines (an ASN.1 start, `MI`), END. */
export function fakePrivateKey(lines = 8): string {
  const body = Array.from({ length: lines }, (_, i) => j("MII", fill(61), String(i % 10)));
  return j(
    "-----BEGIN ",
    "RSA PRIVATE",
    " KEY-----\n",
    body.join("\n"),
    "\n-----END ",
    "RSA PRIVATE",
    " KEY-----",
  );
}

/** One of each kind the issue names (and AWS's secret key). */
export const FAKE_SECRETS: readonly FakeSecret[] = [
  fake("AWS access key", j("AK", "IA", "ZOTSESSIONSTEST1")),
  fake(
    "AWS secret key",
    j("zotFakeSecret", "Key0123456789abcdefghijklmn"),
    j("aws_secret", "_access_key = "),
  ),
  fake("GitHub token", j("gh", "p_", fill(36))),
  fake("GitLab token", j("gl", "pat-", fill(20))),
  fake("Slack token", j("xo", "xb-", "0000000000-0000000000000-", fill(24))),
  fake("npm token", j("np", "m_", fill(36))),
  fake("OpenAI key", j("sk-", "proj-", fill(74), "T3Blbk", "FJ", fill(74))),
  fake("Anthropic key", j("sk-", "ant-api03-", fill(93), "AA")),
  fake("Google API key", j("AI", "za", "Sy", fill(33))),
  fake("private key", fakePrivateKey()),
  fake("URL credentials", j("https://", "zot:", "fakePassw0rd", "@example.com"), "", "/repo.git"),
  fake("password", j("zotFake", "123"), j("DB_PASS", "WORD=")),
];

/** The places of a transcript a secret can be in, as `sessionLines` puts them. */
export const PLACES = ["prompt", "reasoning summary", "answer", "tool arguments", "tool result"];

/**
 * A session's lines (zot's format) with `say(place)` in each of
 * {@linkcode PLACES}, titled "planted secrets".
 */
export function plantedLines(id: string, cwd: string, say: (place: string) => string): string[] {
  const t = "2026-10-01T09:00:0";
  return [
    metaLine({ id, cwd, started: "2026-10-01T09:00:00Z" }),
    renameLine("planted secrets"),
    messageLine("user", say("prompt"), `${t}1Z`),
    messageLine("assistant", [
      { reasoning_id: "r1", summary: say("reasoning summary"), encrypted_content: "b3BhcXVl" },
      { text: say("answer") },
      { id: "c1", name: "bash", arguments: { command: say("tool arguments") } },
    ], `${t}2Z`),
    messageLine("tool", [{
      call_id: "c1",
      content: [{ text: say("tool result") }],
      is_error: false,
    }], `${t}3Z`),
  ];
}
