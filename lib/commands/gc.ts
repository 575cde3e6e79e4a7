/**
 * `zot-sessions gc`: cleaning up sessions safely, by hand and from cron. A
 * dry run unless `--yes`.
 *
 * Its flags merge with the config file in lib/commands/gc_options.ts; what
 * it does is one call per step into gc/ (scope, candidates, plan, lock,
 * exec) and render/gc_plan.
 *
 * @module
 */
import { checkArchiveDir, namedSessions, requireProjectDir } from "../gc/scope.ts";
import { type Described, type GcScope, planJson, planText } from "../render/gc_plan.ts";
import type { SessionSource } from "../sessions/source.ts";
import { join } from "node:path";
import { type ParsedFlags } from "./args.ts";
import type { Command } from "./command.ts";
import type { Context } from "./context.ts";
import { checkHomes } from "../sessions/scope.ts";
import { CONFIG_NAME, loadGcConfig } from "../gc/config.ts";
import { describeSystemError, RuntimeError, UsageError } from "../base/errors.ts";
import { checkSessionsDir, listGcCandidates } from "../gc/candidates.ts";
import { executeGc } from "../gc/exec.ts";
import { markOrphaned } from "../gc/orphaned.ts";
import { type GcPlan, planGc } from "../gc/plan.ts";
import { projectKey, sessionsDir } from "../sessions/home.ts";
import { refScope } from "../sessions/refs.ts";
import { GC_PAUSE_VARIABLE, gcPause } from "../gc/pause.ts";
import { acquireLock } from "../gc/lock.ts";
import { mapConcurrent } from "../base/pool.ts";
import { formatBytes, relativeTime } from "../render/format.ts";
import { jsonForTerminal } from "../render/sanitize.ts";
import { fromHere, gcOptions, gcProject } from "./gc_options.ts";

/** Titles and first prompts of the sessions in the plan (read before they go). */
async function describe(plan: GcPlan, source: SessionSource): Promise<Map<string, Described>> {
  const found = await mapConcurrent(plan.remove, 4, async (s) => {
    try {
      const { summary: sum } = await source.scan(s.file);
      return [s.file.path, sum] as const;
    } catch {
      return [s.file.path, null] as const; // unreadable: shown without a title
    }
  });
  const out = new Map<string, Described>();
  for (const [path, sum] of found) {
    if (sum) {
      out.set(path, {
        title: sum.title,
        firstPrompt: sum.firstPrompt,
        messages: sum.messages,
        cwd: sum.meta?.cwd ?? null,
      });
    }
  }
  return out;
}

async function run(ctx: Context, flags: ParsedFlags): Promise<number> {
  if (ctx.scope.homes.length > 1) {
    throw new UsageError("Cannot clean several homes at once: give one --home");
  }
  const home = ctx.scope.homes[0];
  await checkHomes(ctx.scope);
  const configPath = flags.values.config as string | undefined;
  const config = await loadGcConfig(
    configPath === undefined ? undefined : fromHere(ctx, configPath),
    join(home, CONFIG_NAME),
  );
  const o = gcOptions(flags, config, ctx);
  // The project named as --cwd names it: relative to here, no symlink resolved.
  const project = await gcProject(ctx, flags, o.project);
  const dir = sessionsDir(home);

  // Refuse a sessions directory that is a link before anything is written
  // in it (the lock too). A home without one has nothing to clean: no lock.
  // Nor is a lock taken for a project or a reference that is wrong.
  const exists = await checkSessionsDir(dir);
  if (o.archive) await checkArchiveDir(o.archive.dir, home, dir);
  if (project !== null) await requireProjectDir(dir, project);
  // The project and the process cwd are read only when a reference needs them.
  const refs = refScope({
    source: ctx.scope.source,
    homes: [home],
    get cwd() {
      return project ?? ctx.scope.cwd;
    },
    get base() {
      return ctx.scope.base;
    },
  }, false);
  const named = o.refs.length > 0 ? await namedSessions(refs, dir, project, o.refs) : null;
  const scope: GcScope = { home, project, named: named?.size ?? null };
  let lock: Awaited<ReturnType<typeof acquireLock>> | null = null;
  let stop: AbortSignal | undefined;
  if (o.yes && exists) {
    // Ctrl-C and SIGTERM are caught from before the lock is taken: the run
    // then stops at the next safe point, removes its partial copy and
    // releases the lock (a SIGKILL leaves both; the next run copes).
    stop = ctx.stopSignal();
    try {
      lock = await acquireLock(dir, ctx.pid, ctx.clock);
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
    // Named sessions are looked at among every project's: a kept fork
    // anywhere keeps its parent.
    const onlyDir = named === null && project !== null ? projectKey(project) : null;
    const { candidates, skipped } = await listGcCandidates(
      dir,
      onlyDir,
      o.policy.empty,
      ctx.scope.source,
    );
    if (o.policy.orphaned) await markOrphaned(candidates, ctx.scope.source);
    if (named) {
      const listed = new Set(candidates.map((c) => c.path));
      for (const path of named) {
        if (!listed.has(path)) skipped.push({ path, reason: "no longer a session file" });
      }
    }
    const plan = planGc(candidates, named ? { ...o.policy, named } : o.policy, ctx.now);
    for (const s of skipped) {
      if (o.yes) await ctx.warn(`Cannot clean "${s.path}": ${s.reason}; skipped it`);
    }
    if (o.yes && named) {
      // Asked for by name, kept for safety: say so, not just "Removed 0".
      for (const k of plan.keptForChildren) {
        await ctx.warn(
          `Kept "${k.file.path}": parent of kept fork${k.children.length === 1 ? "" : "s"} ${
            k.children.map((c) => c.slice(0, 8)).join(", ")
          } (--allow-orphans removes it)`,
        );
      }
      for (const g of plan.inGrace) {
        await ctx.warn(
          `Left "${g.file.path}": modified ${
            relativeTime(g.file.mtimeMs, ctx.now)
          }, within the grace period`,
        );
      }
    }
    // Read before removal: the JSON result still names what went.
    const described = ctx.json || (!o.yes && !o.quiet)
      ? await describe(plan, ctx.scope.source)
      : new Map();
    if (!o.yes) {
      if (ctx.json) {
        const json = JSON.stringify(planJson(plan, o, scope, described, skipped, null), null, 2);
        await ctx.stdout.write(jsonForTerminal(json, ctx.stdout.isTTY) + "\n");
      } else if (!o.quiet) {
        await ctx.stdout.write(planText(plan, o, ctx, scope, described, skipped));
      }
      return 0;
    }
    let failed = 0;
    const outcomes = await executeGc(
      plan.remove.map((s) => s.file),
      dir,
      o.archive,
      o.policy.graceMs,
      ctx.clock,
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
      stop,
      stop && gcPause(ctx.env[GC_PAUSE_VARIABLE], stop),
    );
    const done = outcomes.filter((x) => x.result === "removed" || x.result === "archived");
    // What left the home leaves the index with it.
    await ctx.scope.source.forget(done.map((x) => x.file.path));
    const freed = done.reduce((n, x) => n + x.file.bytes, 0);
    if (ctx.json) {
      const json = JSON.stringify(planJson(plan, o, scope, described, skipped, outcomes), null, 2);
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
    if (named && done.length < named.size) {
      const left = named.size - done.length;
      throw new RuntimeError(
        `Cannot ${
          o.archive ? "archive" : "remove"
        } ${left} of the named sessions: kept, as warned above`,
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
  env: ["COLUMNS"],
  exitCodes: {
    0: "success, also a dry run, nothing to remove, or another gc running",
    1: "failure: a file could not be read, removed or archived, a named session was kept, the home is unusable, the output could not be written, or the run was interrupted (SIGINT, SIGTERM)",
    2: "usage error, a bad zot-sessions.jsonc, a session named outside the sessions tree, or a --project with no sessions (nothing is touched)",
  },
  allowPositionals: true,
  values: { project: "dir", archive: "dir", config: "file" },
  positionals: { kind: "session", many: true },
  options: {
    "all-sessions": { type: "boolean" },
    empty: { type: "boolean" },
    orphaned: { type: "boolean" },
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
       zot-sessions gc SESSION... [options]

Remove (or archive) sessions that a policy selects, or the sessions named.
Without --yes it only prints what it would do. A session is selected when
any policy selects it. Every project under the home is cleaned, unless
--project or --cwd names one.

Policies (at least one, here or in zot-sessions.jsonc):
      --empty            sessions with no message (what zot's prune removes)
      --orphaned         sessions whose project directory is gone (as zot
                         sessions prune does); a directory on a disk that is
                         not mounted looks gone too: check the dry run first
                         (a flag only, never read from zot-sessions.jsonc)
      --older-than DUR   last activity more than DUR ago (12h, 7d, 3mo, 1y…)
      --keep-last N      per project, keep the newest N
      --max-size SIZE    oldest first until the home (or the project) fits
                         (500MB, 2GiB)
      --all-sessions     every session (of the home, or of --project); a 0
                         above is refused rather than read as this

Sessions, instead of policies (the config's policies then do not apply):
  SESSION                an id, an id prefix (4+ hex), a path, latest or
                         latest~N (of the current project, or --project's)

Options:
      --project DIR      only that project (as --cwd; default: every project)
  -y, --yes              do it (default: a dry run)
  -q, --quiet            print nothing on success, and no warnings (for cron)
      --archive DIR      move to DIR/sessions/<key>/ instead of deleting
      --compress         with --archive: store .jsonl.gz (read by ls/show/cost)
      --grace DUR        never touch files modified this recently (default 1h;
                         0 for none)
      --allow-orphans    remove a parent even if a kept fork needs it
      --config PATH      the config file (default: <home>/zot-sessions.jsonc)
      --json             the plan, or with --yes the result

Only regular *.jsonl files directly in sessions/<16 hex>/ are ever touched;
symbolic links are never followed. One gc runs at a time per home. A
--project with no sessions is an error (exit 2). An archived copy is
verified before the original goes; a run that is killed leaves every
session whole, and the next run finishes its work.

Examples:
  zot-sessions gc --empty --older-than 90d
  zot-sessions gc --orphaned             # dry run: check the directories
  zot-sessions gc --project . --keep-last 20 --yes
  zot-sessions gc 0e19 latest~3          # these two sessions, dry run
  zot-sessions gc --keep-last 50 --archive ~/zot-archive --compress --yes
  zot-sessions gc --yes --quiet          # policies from zot-sessions.jsonc`,
  run,
};
