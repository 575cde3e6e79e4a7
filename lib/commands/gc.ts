/**
 * `zot-sessions gc`: cleaning up sessions safely, by hand and from cron. A
 * dry run unless `--yes`.
 *
 * @module
 */
import { join, resolve } from "node:path";
import process from "node:process";
import { intFlag, type ParsedFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { type Context, expandTilde, requireHomes } from "../context.ts";
import { CONFIG_NAME, type GcConfig, loadGcConfig } from "../config.ts";
import { describeSystemError, RuntimeError, UsageError } from "../errors.ts";
import { checkSessionsDir, listGcCandidates } from "../gc_candidates.ts";
import { executeGc, type GcOutcome } from "../gc_exec.ts";
import { type GcPlan, type GcPolicy, planGc } from "../gc_plan.ts";
import { currentCwd, projectKey, sessionsDir } from "../home.ts";
import { acquireLock } from "../lock.ts";
import { parseSize } from "../size.ts";
import { parseDuration, relativeTime } from "../time.ts";
import { formatBytes } from "../render/format.ts";
import { jsonForTerminal, sanitizeForTerminal } from "../render/sanitize.ts";

/** `gc`'s settings, from flags over the config file. */
export interface GcOptions {
  policy: GcPolicy;
  project: string | null;
  yes: boolean;
  quiet: boolean;
  archive: { dir: string; compress: boolean } | null;
}

function duration(what: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null) {
    throw new UsageError(
      `Cannot parse ${what} "${text}": expected a duration such as 90m, 12h, 7d or 4w`,
    );
  }
  return ms;
}

/**
 * Flags over config. No policy at all (neither flag nor config) is a usage
 * error: gc never guesses what to remove.
 *
 * @example
 * gcOptions({ values: { "older-than": "90d" }, positionals: [] }, {}, ctx)
 */
export function gcOptions(
  flags: ParsedFlags,
  config: GcConfig,
  ctx: Pick<Context, "userHome" | "processCwd">,
): GcOptions {
  const v = flags.values;
  const text = (name: string) => v[name] as string | undefined;
  const olderThan = text("older-than") ?? config.olderThan;
  const keepLast = text("keep-last") !== undefined
    ? intFlag("--keep-last", text("keep-last")!, 0)
    : config.keepLast ?? null;
  if (keepLast !== null && keepLast < 0) {
    throw new UsageError(`Cannot keep the last ${keepLast} sessions`);
  }
  const maxSize = text("max-size") ?? config.maxSize;
  const policy: GcPolicy = {
    empty: v.empty === true || config.empty === true,
    olderThanMs: olderThan === undefined ? null : duration("--older-than", olderThan),
    keepLast,
    maxSize: maxSize === undefined ? null : parseSize("--max-size", maxSize),
    graceMs: duration("--grace", text("grace") ?? config.grace ?? "1h"),
    allowOrphans: v["allow-orphans"] === true || config.allowOrphans === true,
  };
  if (
    !policy.empty && policy.olderThanMs === null && policy.keepLast === null &&
    policy.maxSize === null
  ) {
    throw new UsageError(
      "Cannot clean up without a policy: give --empty, --older-than, --keep-last or --max-size (or set them in zot-sessions.jsonc)",
    );
  }
  const archiveDir = text("archive") ?? config.archive;
  const compress = v.compress === true || config.compress === true;
  if (compress && archiveDir === undefined) {
    throw new UsageError("Cannot use --compress without --archive DIR");
  }
  return {
    policy,
    project: text("project") ?? null,
    yes: v.yes === true,
    quiet: v.quiet === true,
    archive: archiveDir === undefined
      ? null
      : { dir: resolve(ctx.processCwd, expandTilde(archiveDir, ctx.userHome)), compress },
  };
}

const REASON_TEXT: Record<string, string> = {
  empty: "empty",
  "older-than": "older than the limit",
  "keep-last": "beyond the newest kept",
  "max-size": "over the size limit",
};

function planText(
  plan: GcPlan,
  o: GcOptions,
  ctx: Context,
  skipped: { path: string; reason: string }[],
): string {
  const p = ctx.palette;
  const clean = (t: string) => sanitizeForTerminal(t, true);
  const n = `${plan.remove.length} session${plan.remove.length === 1 ? "" : "s"}`;
  const verb = o.archive ? `archive ${n} to ${o.archive.dir}` : `remove ${n}`;
  let out = plan.remove.length === 0
    ? `Nothing to ${o.archive ? "archive" : "remove"}.\n`
    : `Would ${verb}, freeing ${formatBytes(plan.bytes)} (dry run: add --yes to do it):\n`;
  for (const s of plan.remove) {
    out += `  ${clean(s.file.path)}  ${p.dim(clean(s.file.cwd || "?"))}  ${
      formatBytes(s.file.bytes)
    }  ${relativeTime(s.file.mtimeMs, ctx.now)}  ${
      s.reasons.map((r) => REASON_TEXT[r]).join(", ")
    }\n`;
  }
  for (const k of plan.keptForChildren) {
    out += p.yellow(
      `Kept ${clean(k.file.path)}: parent of kept fork${k.children.length === 1 ? "" : "s"} ${
        clean(k.children.map((c) => c.slice(0, 8)).join(", "))
      } (--allow-orphans removes it)`,
    ) + "\n";
  }
  for (const g of plan.inGrace) {
    out += p.dim(
      `Left ${clean(g.file.path)}: modified ${
        relativeTime(g.file.mtimeMs, ctx.now)
      }, within the grace period`,
    ) + "\n";
  }
  for (const s of skipped) out += p.dim(`Skipped ${clean(s.path)}: ${s.reason}`) + "\n";
  return out;
}

function planJson(
  plan: GcPlan,
  o: GcOptions,
  skipped: { path: string; reason: string }[],
  outcomes: GcOutcome[] | null,
) {
  const byPath = new Map(outcomes?.map((x) => [x.file.path, x]) ?? []);
  return {
    dryRun: outcomes === null,
    action: o.archive ? "archive" : "remove",
    archive: o.archive?.dir ?? null,
    compress: o.archive?.compress ?? false,
    bytes: plan.bytes,
    sessions: plan.remove.map((s) => {
      const x = byPath.get(s.file.path);
      return {
        path: s.file.path,
        id: s.file.id,
        cwd: s.file.cwd,
        bytes: s.file.bytes,
        updated: new Date(s.file.mtimeMs).toISOString(),
        reasons: s.reasons,
        ...(x
          ? { result: x.result, detail: x.detail ?? null, archivedTo: x.archivedTo ?? null }
          : {}),
      };
    }),
    keptForChildren: plan.keptForChildren.map((k) => ({
      path: k.file.path,
      id: k.file.id,
      children: k.children,
    })),
    inGrace: plan.inGrace.map((g) => ({
      path: g.file.path,
      updated: new Date(g.file.mtimeMs).toISOString(),
    })),
    skipped,
  };
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  if (ctx.homes.length > 1) {
    throw new UsageError("Cannot clean several homes at once: give one --home");
  }
  const home = ctx.homes[0];
  await requireHomes(ctx, flags);
  const configPath = flags.values.config as string | undefined;
  const config = await loadGcConfig(
    configPath === undefined ? undefined : resolve(ctx.processCwd, configPath),
    join(home, CONFIG_NAME),
  );
  const o = gcOptions(flags, config, ctx);
  const dir = sessionsDir(home);
  // The project named as --cwd names it: relative to here, no symlink resolved.
  const onlyDir = o.project === null ? null : projectKey(await currentCwd(ctx, o.project));

  // Refuse a sessions directory that is a link before anything is written
  // in it (the lock too). A home without one has nothing to clean: no lock.
  const exists = await checkSessionsDir(dir);
  let lock: Awaited<ReturnType<typeof acquireLock>> | null = null;
  if (o.yes && exists) {
    try {
      lock = await acquireLock(dir, process.pid);
    } catch (err) {
      throw new RuntimeError(`Cannot lock "${dir}" for gc: ${describeSystemError(err)}`);
    }
  }
  if (lock && !lock.acquired) {
    if (!o.quiet) {
      await ctx.stderr.write(
        `Another gc (pid ${lock.holder}) is running on "${home}"; nothing done.\n`,
      );
    }
    return 0;
  }
  try {
    if (lock?.acquired && lock.tookOverFrom !== null) {
      await ctx.warn(`took over the lock of gc pid ${lock.tookOverFrom}, which is gone`);
    }
    const { candidates, skipped } = await listGcCandidates(dir, onlyDir, o.policy.empty);
    const plan = planGc(candidates, o.policy, ctx.now);
    for (const s of skipped) {
      if (o.yes) await ctx.warn(`Cannot clean "${s.path}": ${s.reason}; skipped it`);
    }
    if (!o.yes) {
      if (ctx.json) {
        const json = JSON.stringify(planJson(plan, o, skipped, null), null, 2);
        await ctx.stdout.write(jsonForTerminal(json, ctx.stdout.isTTY) + "\n");
      } else if (!o.quiet) await ctx.stdout.write(planText(plan, o, ctx, skipped));
      return 0;
    }
    let failed = 0;
    const outcomes = await executeGc(
      plan.remove.map((s) => s.file),
      dir,
      o.archive,
      o.policy.graceMs,
      () => Date.now(),
      async (x) => {
        if (x.result === "failed") {
          failed++;
          await ctx.warn(
            `Cannot ${o.archive ? "archive" : "remove"} "${x.file.path}": ${x.detail}`,
          );
        } else if (x.result === "skipped") {
          await ctx.warn(`Left "${x.file.path}": ${x.detail}`);
        }
      },
    );
    const done = outcomes.filter((x) => x.result === "removed" || x.result === "archived");
    const freed = done.reduce((n, x) => n + x.file.bytes, 0);
    if (ctx.json) {
      const json = JSON.stringify(planJson(plan, o, skipped, outcomes), null, 2);
      await ctx.stdout.write(jsonForTerminal(json, ctx.stdout.isTTY) + "\n");
    } else if (!o.quiet) {
      const n = `${done.length} session${done.length === 1 ? "" : "s"}`;
      const what = o.archive ? `Archived ${n} to ${o.archive.dir}` : `Removed ${n}`;
      await ctx.stdout.write(`${what}, freeing ${formatBytes(freed)}.\n`);
    }
    if (failed > 0) {
      throw new RuntimeError(
        `Cannot complete the clean-up: ${failed} file${failed === 1 ? "" : "s"} failed`,
      );
    }
    return 0;
  } finally {
    if (lock?.acquired) await lock.release();
  }
}

/** The `gc` verb. */
export const gc: Command = {
  name: "gc",
  summary: "clean up sessions safely (a dry run unless --yes)",
  allowPositionals: false,
  options: {
    empty: { type: "boolean" },
    "older-than": { type: "string" },
    "keep-last": { type: "string" },
    "max-size": { type: "string" },
    project: { type: "string" },
    yes: { type: "boolean", short: "y" },
    quiet: { type: "boolean", short: "q" },
    archive: { type: "string" },
    compress: { type: "boolean" },
    grace: { type: "string" },
    "allow-orphans": { type: "boolean" },
    config: { type: "string" },
  },
  help: `Usage: zot-sessions gc [policies] [options]

Remove (or archive) sessions that a policy selects. Without --yes it only
prints what it would do. A session is selected when any policy selects it.

Policies (at least one, here or in zot-sessions.jsonc):
      --empty            sessions with no message (what zot's prune removes)
      --older-than DUR   last activity more than DUR ago (90m, 12h, 7d, 4w)
      --keep-last N      per project, keep the newest N
      --max-size SIZE    oldest first until the home fits (500MB, 2GiB)

Options:
      --project CWD      only that project
  -y, --yes              do it (default: a dry run)
  -q, --quiet            print nothing on success (for cron)
      --archive DIR      move to DIR/sessions/<key>/ instead of deleting
      --compress         with --archive: store .jsonl.gz (read by ls/show/cost)
      --grace DUR        never touch files modified this recently (default 1h)
      --allow-orphans    remove a parent even if a kept fork needs it
      --config PATH      the config file (default: <home>/zot-sessions.jsonc)
      --json             the plan, or with --yes the result

Only regular *.jsonl files directly in sessions/<16 hex>/ are ever touched;
symbolic links are never followed. One gc runs at a time per home.

Examples:
  zot-sessions gc --empty --older-than 90d
  zot-sessions gc --keep-last 50 --archive ~/zot-archive --compress --yes
  zot-sessions gc --yes --quiet          # policies from zot-sessions.jsonc`,
  run,
};
