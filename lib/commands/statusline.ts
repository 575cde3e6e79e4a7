/**
 * `zot-sessions statusline`: one line of spend for tmux, starship or a
 * shell prompt, fast: through the index, reading at most
 * {@linkcode STATUSLINE_BYTES} of session files (a cold cache answers from
 * what the index holds, `~` marking the figures that may be behind, and the
 * next run catches up). Never a warning: a status bar shows stdout, and a
 * failure leaves it empty, with one line on stderr.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { UsageError } from "../base/errors.ts";
import { parseSize } from "../base/size.ts";
import { statusFigures } from "../cost/status.ts";
import { checkHomes } from "../sessions/scope.ts";
import { checkTemplate, STATUS_FIELDS, statusJson, statusText } from "../render/statusline.ts";
import { configBudgets, resolveBudgets } from "./cost_budget.ts";
import { timeZoneFlag, ZONE_HELP, ZONE_OPTIONS, ZONE_VALUES } from "./zone_flag.ts";

/** Bytes of session files a status run reads at most (`ZOT_SESSIONS_STATUSLINE_BYTES`). */
export const STATUSLINE_BYTES = 32 * 1024 * 1024;

/**
 * The read budget of a status run: `ZOT_SESSIONS_STATUSLINE_BYTES` (a size:
 * `64MB`, `0`), else {@linkcode STATUSLINE_BYTES}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { statuslineBytes } from "./statusline.ts";
 *
 * assert.equal(statuslineBytes({}), 32 * 1024 * 1024);
 * assert.equal(statuslineBytes({ ZOT_SESSIONS_STATUSLINE_BYTES: "1MB" }), 1e6);
 * ```
 */
export function statuslineBytes(env: Record<string, string | undefined>): number {
  const text = env.ZOT_SESSIONS_STATUSLINE_BYTES;
  return text ? parseSize("ZOT_SESSIONS_STATUSLINE_BYTES", text) : STATUSLINE_BYTES;
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  const tz = timeZoneFlag(flags, ctx.env);
  const template = flags.values.format as string | undefined;
  if (template !== undefined) {
    if (ctx.json) throw new UsageError("Cannot use --format with --json: choose one");
    checkTemplate(template);
  }
  const bytes = statuslineBytes(ctx.env);
  await checkHomes(ctx.scope);
  const config = await configBudgets(ctx);
  const project = ctx.scope.cwd;
  const budgets = resolveBudgets(config, ctx.userHome)
    .filter((b) => b.project === null || b.project === project);
  ctx.scope.source.quick?.(bytes);
  const figures = await statusFigures(ctx.scope, {
    nowMs: ctx.now,
    tz,
    weekStart: config.weekStart,
    budgets,
  });
  const text = ctx.json ? JSON.stringify(statusJson(figures)) : statusText(figures, template);
  await ctx.stdout.write(text + "\n");
  return 0;
}

/** The field column of the help: the longest `{field}` and a space. */
const width = Math.max(...Object.keys(STATUS_FIELDS).map((k) => k.length)) + 3;

/** The `statusline` verb. */
export const statusline: Command = {
  name: "statusline",
  summary: "one line of spend for tmux, starship or a prompt",
  env: ["TZ", "ZOT_SESSIONS_STATUSLINE_BYTES"],
  exitCodes: { 1: "failure: nothing on stdout, one line on stderr" },
  allowPositionals: false,
  options: {
    format: { type: "string" },
    ...ZONE_OPTIONS,
  },
  values: { ...ZONE_VALUES },
  help: `Usage: zot-sessions statusline [--cwd DIR] [--format TEMPLATE] [--json]

One line: spend today (every project, as "cost --all --since today"), the
project's newest session's own spend (as "ls" shows it), the burn rate (the
spend of the last 60 minutes, per hour) and, when the config file
(<home>/zot-sessions.jsonc) sets budgets, the one nearest its limit:

  $1.23 today · $0.45 session · $2.10/h · 72% of $20 daily

It reads the index, and at most 32 MiB of session files a run
(ZOT_SESSIONS_STATUSLINE_BYTES): on a cold cache a figure from the index as
it stood starts with "~", and the next run catches up. Never the network;
never a warning.

Options:
      --cwd DIR          the project (default: the current directory)
      --format TEMPLATE  fill in {field}s ({{ and }} for braces), e.g.
                         "{today} · {burn}"; the fields:
${
    Object.entries(STATUS_FIELDS).map(([k, v]) =>
      `                         ${`{${k}}`.padEnd(width)}${v}`
    )
      .join("\n")
  }
      --json             one object (fields: zot-sessions help json statusline)
${ZONE_HELP}

Examples:
  zot-sessions statusline
  zot-sessions statusline --format '{today} {budget}'
  set -g status-right '#(zot-sessions statusline --cwd "#{pane_current_path}")'`,
  run,
};
