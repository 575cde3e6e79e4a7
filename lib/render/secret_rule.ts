/**
 * Our one secretlint rule, for the two kinds issue 24 asks for that no
 * maintained secretlint rule covers: Google API keys and `password=`-style
 * assignments. Everything else comes from
 * `@secretlint/secretlint-rule-preset-recommend` (lib/render/secret_scan.ts).
 * It is written in secretlint's rule format, so that it runs beside the
 * preset's rules and could be swapped for a maintained rule if one appears.
 *
 * Both patterns are narrow on purpose: a page with a false positive is
 * harmed less than one with a leak, but code in a transcript is full of
 * `password: string` and `password = os.environ["PW"]`.
 *
 * - **Google API key**: `AIza` and 35 characters of `[0-9A-Za-z_-]`, not
 *   inside a longer token (Google's documented key shape).
 * - **password**: a name ending in `password`, `passwd` or `passphrase`
 *   (`DB_PASSWORD`, `PGPASSWORD`, `user.password`), or `pass`/`pwd` alone
 *   or after a `_`, `.` or `-` (`DB_PASS`, not `bypass`), then `=` or `:`
 *   (quotes around the name and the value allowed, escaped or not, as in
 *   JSON); the value is 6 to 128 characters of letters, digits and
 *   `!#%&*+-./:=?@^_~`, ending there, and has both a letter and a digit.
 *   So `$PW`, `${{ secrets.PW }}`, `<your password>`, `getPassword()`,
 *   `string` and `os.getenv("PW")` are left alone; only the value is
 *   redacted.
 *
 * @module
 */
import type { SecretLintRuleCreator } from "@secretlint/types";

/** What the rule reports, in secretlint's message format. */
const messages = {
  GOOGLE_API_KEY: {
    en: (props: { KEY: string }) => `found Google API key: ${props.KEY}`,
  },
  PASSWORD_ASSIGNMENT: {
    en: (props: { NAME: string }) => `found a value assigned to ${props.NAME}`,
  },
};

const GOOGLE_API_KEY = /(?<![0-9A-Za-z_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g;

const VALUE_CHAR = String.raw`A-Za-z0-9!#%&*+\-./:=?@^_~`;
const QUOTE = String.raw`(?:\\?["'])?`;
/**
 * The end of a password-like name, `=` or `:`, and the value. The regular
 * expression starts at the keyword, which the engine finds fast; the rest
 * of the name is read backwards in code (see `passwordName`).
 */
const PASSWORD_ASSIGNMENT = new RegExp(
  String.raw`(?<keyword>pass(?:word|wd|phrase)?|pwd)${QUOTE}[ \t]*[:=][ \t]*${QUOTE}` +
    `(?<value>[${VALUE_CHAR}]{6,128})(?![${VALUE_CHAR}])`,
  "gi",
);
const NAME_CHAR = /[A-Za-z0-9_.\-]/;

/**
 * The whole name ending in the keyword at `at`, or null when it is not a
 * password's: `pass` and `pwd` must start the name or follow a `_`, `.`
 * or `-` (`DB_PASS`, not `bypass`); `password`, `passwd` and `passphrase`
 * may end any name (`PGPASSWORD`).
 */
function passwordName(content: string, at: number, keyword: string): string | null {
  let from = at;
  while (from > 0 && at - from < 64 && NAME_CHAR.test(content[from - 1])) from--;
  const short = keyword.length <= 4;
  if (short && from < at && !/[_.\-]/.test(content[at - 1])) return null;
  return content.slice(from, at + keyword.length);
}

/**
 * The rule: Google API keys and values assigned to a password-like name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ruleRunner } from "./secret_rules_run.ts";
 * import { secretRule } from "./secret_rule.ts";
 *
 * const content = "export DB_PASSWORD=" + "hunter22" + " # not getPassword()";
 * const reports = await ruleRunner([{ rule: secretRule }])(content);
 * assert.deepEqual(reports.map((r) => content.slice(...r.range)), ["hunter22"]);
 * ```
 */
export const secretRule: SecretLintRuleCreator = {
  messages,
  meta: {
    id: "zot-sessions/google-api-key-and-password",
    recommended: true,
    type: "scanner",
    supportedContentTypes: ["text"],
  },
  create(context) {
    const t = context.createTranslator(messages);
    return {
      file(source) {
        for (const m of source.content.matchAll(GOOGLE_API_KEY)) {
          context.report({
            message: t("GOOGLE_API_KEY", { KEY: m[0] }),
            range: [m.index, m.index + m[0].length],
          });
        }
        for (const m of source.content.matchAll(PASSWORD_ASSIGNMENT)) {
          const { keyword, value } = m.groups!;
          if (!/[A-Za-z]/.test(value) || !/[0-9]/.test(value)) continue;
          const name = passwordName(source.content, m.index, keyword);
          if (name === null) continue;
          const end = m.index + m[0].length;
          context.report({
            message: t("PASSWORD_ASSIGNMENT", { NAME: name }),
            range: [end - value.length, end],
          });
        }
      },
    };
  },
};
