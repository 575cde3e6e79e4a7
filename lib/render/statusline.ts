/**
 * The status line: its default form (`$1.23 today · $0.45 session ·
 * $2.10/h · 72% of $20 daily`), a `--format` template's fields, and
 * `--json`. A figure answered partly from old answers starts with `~`.
 *
 * @module
 */
import { UsageError } from "../base/errors.ts";
import { roundUsd } from "../base/counters.ts";
import type { StatusField, StatusFigures } from "../cost/status.ts";
import { PERIOD_WORDS, usd } from "./budget.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import type { FieldDocs } from "../base/field_docs.ts";

/** The fields of a `--format` template, and what each is (the help lists them). */
export const STATUS_FIELDS: Record<string, string> = {
  today: "spend today, every project",
  session: "the newest session's own spend",
  project: "spend today in this project",
  burn: "spend of the last hour, per hour",
  budget: "the budget nearest its limit",
  budget_pct: "its share used (72%)",
  budget_used: "its spend so far",
  budget_limit: "its limit",
  budget_projected: "its spend at its end, at this pace",
  period: "daily, weekly or monthly",
  id: "the newest session's short id",
  stale: "~ if a figure may be behind",
};

/** A limit as written: whole dollars without cents (`$20`), else with them. */
function limit(x: number): string {
  return Number.isInteger(x) ? `$${x}` : usd(x);
}

/** Each field's text for `s`. */
function fieldTexts(s: StatusFigures): Record<string, string> {
  const mark = (field: StatusField, text: string) => (s.stale.has(field) ? "~" : "") + text;
  const b = s.budget;
  const pct = b ? `${Math.round(100 * b.usedUsd / b.limitUsd)}%` : "";
  return {
    today: mark("today", usd(s.todayUsd)),
    // No session, unless one may be hidden in a file not read yet (stale).
    session: s.sessionId === null && !s.stale.has("session")
      ? ""
      : mark("session", usd(s.sessionUsd)),
    project: mark("project", usd(s.projectUsd)),
    burn: mark("burn", `${usd(s.burnUsdPerHour)}/h`),
    budget: b
      ? mark("budget", `${pct} of ${limit(b.limitUsd)} ${PERIOD_WORDS[b.period].adjective}`)
      : "",
    budget_pct: b ? mark("budget", pct) : "",
    budget_used: b ? mark("budget", usd(b.usedUsd)) : "",
    budget_limit: b ? limit(b.limitUsd) : "",
    budget_projected: b?.projectedUsd != null ? mark("budget", usd(b.projectedUsd)) : "",
    period: b ? PERIOD_WORDS[b.period].adjective : "",
    id: s.sessionId === null ? "" : sanitizeForTerminal(s.sessionId.slice(0, 8), true),
    stale: s.stale.size > 0 ? "~" : "",
  };
}

/**
 * Checks a `--format` template: `{field}` for a field of
 * {@linkcode STATUS_FIELDS}, `{{` and `}}` for braces. A usage error names
 * the first unknown field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTemplate } from "./statusline.ts";
 *
 * checkTemplate("{today} ({burn})");
 * assert.throws(() => checkTemplate("{todya}"), /unknown field "todya"/);
 * ```
 */
export function checkTemplate(template: string): void {
  for (const m of template.matchAll(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g)) {
    if (m[0] === "{{" || m[0] === "}}") continue;
    if (m[1] === undefined || !Object.hasOwn(STATUS_FIELDS, m[1])) {
      const what = m[1] === undefined
        ? `a lone "${m[0]}" (write ${m[0]}${m[0]})`
        : `unknown field "${m[1]}"`;
      throw new UsageError(
        `Cannot use --format "${template}": ${what}; fields: ${
          Object.keys(STATUS_FIELDS).join(", ")
        }`,
      );
    }
  }
}

/**
 * The status line: `template` filled in (checked by
 * {@linkcode checkTemplate}), or the default form, whose parts without a
 * value (no session, no budget) are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { statusText } from "./statusline.ts";
 *
 * const s = {
 *   todayUsd: 1.234, sessionUsd: 0.45, sessionId: "0e19291e-aaaa", projectUsd: 0.5, burnUsdPerHour: 2.1,
 *   budget: { period: "day" as const, project: null, limitUsd: 20, usedUsd: 14.4, projectedUsd: 20, over: false },
 *   stale: new Set<"today">(["today"]),
 * };
 * assert.equal(statusText(s), "~$1.23 today · $0.45 session · $2.10/h · 72% of $20 daily");
 * assert.equal(statusText(s, "{id}: {session} {{x}}"), "0e19291e: $0.45 {x}");
 * ```
 */
export function statusText(s: StatusFigures, template?: string): string {
  const f = fieldTexts(s);
  if (template === undefined) {
    return [`${f.today} today`, f.session && `${f.session} session`, f.burn, f.budget]
      .filter((p) => p !== "").join(" · ");
  }
  return template.replace(
    /\{\{|\}\}|\{([^{}]*)\}/g,
    (all, name: string | undefined) => name === undefined ? all[0] : f[name] ?? "",
  );
}

/**
 * `statusline --json`: `{todayUsd, sessionUsd, sessionId, projectUsd,
 * burnUsdPerHour, budget: {period, limitUsd, usedUsd, projectedUsd, project}
 * | null, stale}`, dollars rounded to nanodollars.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { statusJson } from "./statusline.ts";
 *
 * const s = {
 *   todayUsd: 0.1 + 0.2, sessionUsd: 0, sessionId: null, projectUsd: 0, burnUsdPerHour: 0,
 *   budget: null, stale: new Set<"today">(),
 * };
 * assert.deepEqual(statusJson(s), {
 *   todayUsd: 0.3, sessionUsd: 0, sessionId: null, projectUsd: 0, burnUsdPerHour: 0, budget: null, stale: [],
 * });
 * ```
 */
export function statusJson(s: StatusFigures) {
  const b = s.budget;
  return {
    todayUsd: roundUsd(s.todayUsd),
    sessionUsd: roundUsd(s.sessionUsd),
    sessionId: s.sessionId,
    projectUsd: roundUsd(s.projectUsd),
    burnUsdPerHour: roundUsd(s.burnUsdPerHour),
    budget: b === null ? null : {
      period: b.period,
      limitUsd: b.limitUsd,
      usedUsd: b.usedUsd,
      projectedUsd: b.projectedUsd,
      project: b.project,
    },
    stale: [...s.stale].sort(),
  };
}

/** What each field of `statusline --json` means (`zot-sessions help json statusline`). */
export const STATUS_JSON_FIELDS: FieldDocs<ReturnType<typeof statusJson>> = {
  todayUsd: "spend today over every project, as cost --all --since today counts it",
  sessionUsd: "the project's newest session's own spend (ls --json's spend.costUsd)",
  sessionId: "that session's id, or null",
  projectUsd: "spend today in this project",
  burnUsdPerHour: "spend in the last 60 minutes, over every project",
  budget: "the configured budget nearest its limit: {period, limitUsd, usedUsd, projectedUsd, " +
    "project}, or null",
  stale: "the figures answered from what the index held (a cold cache): they may be behind",
};
