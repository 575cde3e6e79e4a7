/**
 * secretlint's rules run on a text, through the rule format's own contract
 * (`SecretLintRuleCreator`: `create(context, options)` gives a `file(source)`
 * handler that calls `context.report`), each rule created once for the run.
 *
 * Why not `@secretlint/core`'s `lintSource`: it sets every rule up again on
 * each call (contexts, translators, an event emitter, a location for each
 * report), and checking a 50 MB line takes some 800 calls. Through it,
 * `show --markdown` of the 50 MB line of tests/e2e/hostile_files_e2e_test.ts
 * peaked at 96 to 104 MiB, past that test's 100 MiB; through this, at 85 to
 * 89 (without redaction: 81 to 89). 700 calls on 80 KiB alone: +13.5 MiB and
 * 0.31 s of CPU through `lintSource`, +6.5 MiB and 0.19 s through this.
 * What `lintSource` adds besides is not needed here: comment directives
 * (left out on purpose: a transcript must not turn redaction off),
 * translated messages, severities, locations.
 *
 * @module
 */
import type {
  SecretLintRuleContext,
  SecretLintRuleCreator,
  SecretLintRuleReportHandler,
  SecretLintSourceCode,
  SecretLintSourceNodeLocation,
  SecretLintSourceNodePosition,
} from "@secretlint/types";

/** What a rule reported: its rule and message ids, data and range. */
export interface RuleReport {
  ruleId: string;
  messageId: string;
  data: unknown;
  range: readonly [number, number];
}

/** A rule and the options it is created with. */
export interface RuleUse {
  // deno-lint-ignore no-explicit-any -- each rule has options of its own
  rule: SecretLintRuleCreator<any>;
  options?: Record<string, unknown>;
  /** Run the rule only on texts this accepts (default: all). */
  only?: (content: string) => boolean;
}

/** A text as secretlint's rules see it: a source with a name, no file behind it. */
class TextSource implements SecretLintSourceCode {
  readonly hasBOM = false;
  readonly filePath = "transcript.txt";
  readonly physicalFilePath = undefined;
  readonly contentType = "text";
  readonly ext = ".txt";
  #lines: number[] | null = null;

  constructor(readonly content: string) {}

  getFilePath(): string {
    return this.filePath;
  }
  getPhysicalFilePath(): undefined {
    return undefined;
  }
  /** Where each line starts (made only if a rule asks for a position). */
  #starts(): number[] {
    if (this.#lines === null) {
      this.#lines = [0];
      for (const m of this.content.matchAll(/\r\n|[\r\n\u2028\u2029]/g)) {
        this.#lines.push(m.index + m[0].length);
      }
    }
    return this.#lines;
  }
  indexToPosition(index: number): SecretLintSourceNodePosition {
    const starts = this.#starts();
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= index) line++;
    return { line: line + 1, column: index - starts[line] };
  }
  positionToIndex(pos: SecretLintSourceNodePosition): number {
    return (this.#starts()[pos.line - 1] ?? this.content.length) + pos.column;
  }
  rangeToLocation(range: readonly [number, number]): SecretLintSourceNodeLocation {
    return { start: this.indexToPosition(range[0]), end: this.indexToPosition(range[1]) };
  }
  locationToRange(loc: SecretLintSourceNodeLocation): [number, number] {
    return [this.positionToIndex(loc.start), this.positionToIndex(loc.end)];
  }
}

/**
 * Creates each scanner rule (for text) once, and returns a function that
 * runs them all on a text, giving what they reported. Calls are run one
 * after another.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ruleRunner } from "./secret_rules_run.ts";
 * import { secretRule } from "./secret_rule.ts";
 *
 * const run = ruleRunner([{ rule: secretRule }]);
 * const [report] = await run("export PGPASSWORD=" + "s3cret99");
 * assert.deepEqual([report.messageId, report.range], ["PASSWORD_ASSIGNMENT", [18, 26]]);
 * ```
 */
export function ruleRunner(uses: readonly RuleUse[]): (content: string) => Promise<RuleReport[]> {
  let reports: RuleReport[] = [];
  const handlers: { handler: SecretLintRuleReportHandler; only?: (c: string) => boolean }[] = [];
  for (const { rule, options, only } of uses) {
    const types = rule.meta.supportedContentTypes;
    if (rule.meta.type !== "scanner" || !(types.includes("text") || types.includes("all"))) {
      continue;
    }
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      createTranslator: () => (messageId, data) => ({
        message: "",
        messageId: String(messageId),
        data,
      }),
      report: (d) =>
        reports.push({
          ruleId: rule.meta.id,
          messageId: d.message.messageId,
          data: d.message.data,
          range: d.range,
        }),
      ignore: () => {},
    };
    handlers.push({ handler: rule.create(context, options ?? {}), only });
  }
  let queue: Promise<unknown> = Promise.resolve();
  const run = async (content: string) => {
    const source = new TextSource(content);
    const mine: RuleReport[] = reports = [];
    for (const { handler, only } of handlers) {
      if (only && !only(content)) continue;
      const pending = handler.file?.(source);
      if (pending) await pending;
    }
    return mine;
  };
  return (content) => {
    const next = queue.then(() => run(content));
    queue = next.catch(() => {});
    return next;
  };
}
