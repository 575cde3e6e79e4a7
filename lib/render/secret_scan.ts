/**
 * Finding secrets in text with secretlint's rules: those of
 * `@secretlint/secretlint-rule-preset-recommend` (a maintained set: AWS,
 * GitHub, GitLab, Slack, npm, OpenAI, Anthropic, private keys, credentials
 * in URLs and database URLs, and more) and our one rule
 * (lib/render/secret_rule.ts: Google API keys, `password=`), run by
 * lib/render/secret_rules_run.ts. The rules are loaded on first use, by
 * `import()`: a run that redacts nothing never evaluates them.
 *
 * Each rule goes over the whole text it is given, whatever its length, so
 * many short texts are checked in one call: joined by a separator no rule
 * matches across (a newline, a NUL, a newline).
 *
 * @module
 */
import { secretRule } from "./secret_rule.ts";
import { type RuleReport, ruleRunner } from "./secret_rules_run.ts";

/** A secret in a text: its place (UTF-16 offsets, end exclusive) and kind. */
export interface SecretSpan {
  start: number;
  end: number;
  /** A short readable name: "GitHub token", "private key". */
  kind: string;
}

/** Finds the secrets of many texts at once: one list per text, in order. */
export type FindSecrets = (texts: readonly string[]) => Promise<SecretSpan[][]>;

/** The kinds by secretlint message id, where a rule reports more than one. */
const KIND_BY_MESSAGE: Record<string, string> = {
  AWSAccessKeyID: "AWS access key",
  AWSSecretAccessKey: "AWS secret key",
  AWSAccountID: "AWS account ID",
  IncomingWebhook: "Slack webhook",
  PrivateKeyJSON: "GCP service account key",
  PrivateKeyP12: "GCP service account key",
  GOOGLE_API_KEY: "Google API key",
  PASSWORD_ASSIGNMENT: "password",
};

/** The kinds by the rule's name (its id after `secretlint-rule-`). */
const KIND_BY_RULE: Record<string, string> = {
  "1password": "1Password token",
  anthropic: "Anthropic key",
  aws: "AWS key",
  basicauth: "URL credentials",
  cloudflare: "Cloudflare token",
  "database-connection-string": "database URL",
  databricks: "Databricks token",
  docker: "Docker token",
  figma: "Figma token",
  gcp: "GCP service account key",
  github: "GitHub token",
  gitlab: "GitLab token",
  grafana: "Grafana token",
  groq: "Groq key",
  "hashicorp-vault": "Vault token",
  huggingface: "Hugging Face token",
  linear: "Linear key",
  notion: "Notion token",
  npm: "npm token",
  openai: "OpenAI key",
  privatekey: "private key",
  sendgrid: "SendGrid key",
  shopify: "Shopify token",
  slack: "Slack token",
  stripe: "Stripe key",
  tailscale: "Tailscale key",
  vercel: "Vercel token",
};

/**
 * The readable kind of a secretlint message: by its message id, else by its
 * rule, else the rule's own name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kindOf } from "./secret_scan.ts";
 *
 * assert.equal(kindOf("@secretlint/secretlint-rule-github", "GITHUB_TOKEN"), "GitHub token");
 * assert.equal(kindOf("@secretlint/secretlint-rule-aws", "AWSSecretAccessKey"), "AWS secret key");
 * assert.equal(kindOf("@secretlint/secretlint-rule-new-thing", "X"), "new-thing secret");
 * ```
 */
export function kindOf(ruleId: string, messageId: string): string {
  const rule = ruleId.replace(/^.*secretlint-rule-/, "");
  return KIND_BY_MESSAGE[messageId] ?? KIND_BY_RULE[rule] ?? `${rule} secret`;
}

/** Between texts checked together: no rule's pattern spans a NUL between newlines. */
export const SEPARATOR = "\n\0\n";

/** The most characters checked in one call (a longer text is checked alone). */
const BATCH_CHARS = 1 << 20;
/** A text this long is checked alone. */
const LONG = 16 << 10;

type Lint = (content: string) => Promise<RuleReport[]>;
let linter: Promise<Lint> | null = null;

/** secretlint's recommended rules (without its comment directives) and ours, loaded once. */
function load(): Promise<Lint> {
  linter ??= (async () => {
    const { rules } = await import("@secretlint/secretlint-rule-preset-recommend");
    return ruleRunner([
      // The comment directives rule is left out: a transcript saying
      // "secretlint-disable" must not turn redaction off.
      ...rules.filter((rule) => rule.meta.id !== "@secretlint/secretlint-rule-filter-comments")
        .map((rule) => ({
          rule,
          // AWS access key ids (and account ids) are looked for too: off by
          // default in the rule, they are what scanners flag first.
          options: rule.meta.id === "@secretlint/secretlint-rule-aws"
            ? { enableIDScanRule: true }
            : {},
          // The GCP rule parses the whole text as JSON and reports only an
          // object (a service account's key file): it is not given other
          // texts, whose parse can be long (a window of a line of digits
          // is one huge number: 5 ms each).
          ...(rule.meta.id === "@secretlint/secretlint-rule-gcp"
            ? { only: (content: string) => /^\s*\{/.test(content) }
            : {}),
        })),
      { rule: secretRule },
    ]);
  })();
  return linter;
}

/**
 * Where a message's secret is: the reported range, except for the AWS secret
 * key rule, which reports the key's length from the start of its name
 * (`aws_secret_access_key = wJal…`) and would leave the key's end shown:
 * there the key itself (the message's data) is found from that start.
 */
function spanOf(content: string, m: RuleReport): [number, number] {
  const [start, end] = m.range;
  const key = (m.data as { KEY?: unknown } | undefined)?.KEY;
  if (m.messageId !== "AWSSecretAccessKey" || typeof key !== "string") return [start, end];
  const at = content.indexOf(key, start);
  return at !== -1 && at <= end ? [at, at + key.length] : [start, end];
}

/**
 * Finds the secrets of many texts with secretlint, in as few calls as their
 * size allows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findSecrets } from "./secret_scan.ts";
 *
 * const token = "ghp_" + "0123456789abcdefghijklmnopqrstuvwxyz";
 * const [first, second] = await findSecrets(["no secret here", `use ${token} here`]);
 * assert.deepEqual(first, []);
 * assert.deepEqual(second, [{ start: 4, end: 4 + token.length, kind: "GitHub token" }]);
 * ```
 */
export const findSecrets: FindSecrets = async (texts) => {
  const lint = await load();
  const found: SecretSpan[][] = texts.map(() => []);
  let i = 0;
  while (i < texts.length) {
    // A batch: the short texts from i while they fit, or one long text
    // alone, checked as it is (a copy of a window of a streamed line, made
    // for each, cost show --markdown of 50 MB 3 MiB more peak memory).
    let j = i;
    let size = 0;
    do size += texts[j++].length + SEPARATOR.length; while (
      j < texts.length && texts[j].length < LONG && texts[j - 1].length < LONG &&
      size + texts[j].length <= BATCH_CHARS
    );
    const content = j === i + 1 ? texts[i] : texts.slice(i, j).join(SEPARATOR);
    const messages = await lint(content);
    // Each text's offset in the content, to give spans back to their texts.
    const starts: number[] = [];
    for (let k = i, at = 0; k < j; k++) {
      starts.push(at);
      at += texts[k].length + SEPARATOR.length;
    }
    for (const m of messages) {
      const [s, e] = spanOf(content, m);
      const kind = kindOf(m.ruleId, m.messageId);
      // Spans are clipped to each text they touch (none should cross).
      for (let k = 0; k < starts.length; k++) {
        const from = starts[k];
        const to = from + texts[i + k].length;
        if (e <= from || s >= to) continue;
        found[i + k].push({ start: Math.max(s, from) - from, end: Math.min(e, to) - from, kind });
      }
    }
    i = j;
  }
  return found;
};
