/**
 * How `search` writes what it found: a hit (one JSON line, or a text block
 * with the command that shows it in context, and with `-C N` the messages
 * around it), a session (`-l`), and the command that shows every hit when
 * `--limit` cut them.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import type { FieldDocs } from "../base/field_docs.ts";
import { formatWallTime, parseRfc3339 } from "../base/time.ts";
import type { MessageHit } from "../sessions/search_query.ts";
import type { ForkFacts } from "../sessions/search_forks.ts";
import type { MessagePreview } from "../sessions/search_context.ts";
import { formatProject } from "../render/format.ts";
import { jsonForTerminal, sanitizeForTerminal } from "../render/sanitize.ts";
import { renderHit } from "../render/search.ts";
import { commandLine, shellQuote } from "../render/shell.ts";

/** What a hit shows of its session, and what tells its copies. */
export interface SessionFacts extends ForkFacts {
  cwd: string;
  title: string | null;
  /** Model and provider, folded, for --model. */
  model: string;
}

/** What `search --json` prints per hit (field order is the contract). */
interface HitJson {
  id: string;
  shortId: string;
  path: string;
  cwd: string;
  title: string | null;
  index: number;
  role: string;
  time: string;
  snippet: string;
  matches: [number, number][];
  /** With --forks: the id of the session it was copied from, else null. */
  copyOf?: string | null;
  /** With -C N: the messages around it, in order. */
  context?: MessagePreview[];
}

/** What each field of `search --json` means (`zot-sessions help json`). */
export const HIT_FIELDS: FieldDocs<HitJson> = {
  id: "the session id",
  shortId: "its first 8 characters",
  path: "the session file's absolute path",
  cwd: "the session's project",
  title: "the session's title, or null",
  index: "the message's index, as show --json and show --around count them",
  role: "user, assistant or tool",
  time: "the message's time, as zot wrote it (RFC 3339, with its offset)",
  snippet: "the text around the first match, on one line",
  matches: "[start, end) code-point offsets of each match in snippet",
  copyOf: "with --forks: the id of the session the message was copied from, else null",
  context: "with -C N: the messages around it, in order ({index, role, text})",
};

/** What a hit is shown with, besides itself and its session. */
export interface HitExtras {
  /** With `--forks`: the id of the session it was copied from (null: its own); undefined without. */
  copyOf?: string | null;
  /** With `-C N`: the messages before and after it, in order; undefined without. */
  context?: MessagePreview[];
}

/** A hit as printed: one JSON line, or a text block (`o`: `search`'s `--all` and zone). */
export function hitText(
  ctx: Context,
  o: { all: boolean; tz: string },
  h: MessageHit,
  s: SessionFacts,
  extras: HitExtras = {},
): string {
  const snip = h.snippet;
  if (ctx.json) {
    const json: HitJson = {
      id: s.id,
      shortId: s.id.slice(0, 8),
      path: h.path,
      cwd: s.cwd,
      title: s.title,
      index: h.index,
      role: h.role,
      time: h.time,
      snippet: snip.text,
      matches: snip.matches,
    };
    if (extras.copyOf !== undefined) json.copyOf = extras.copyOf;
    if (extras.context !== undefined) json.context = extras.context;
    return jsonForTerminal(JSON.stringify(json), ctx.stdout.isTTY) + "\n";
  }
  const t = parseRfc3339(h.time);
  const around = extras.context;
  return renderHit(
    {
      shortId: s.id.slice(0, 8),
      time: t === null ? "" : formatWallTime(t, o.tz),
      role: h.role,
      project: o.all ? formatProject(s.cwd, ctx.userHome) : null,
      title: s.title ?? "",
      snippet: snip.text,
      matches: snip.matches,
      command: showCommand(s.id, h.path, h.index, ctx.scopeArgs),
      copyOf: extras.copyOf ? extras.copyOf.slice(0, 8) : null,
      context: around === undefined ? undefined : {
        index: h.index,
        before: around.filter((m) => m.index < h.index),
        after: around.filter((m) => m.index > h.index),
      },
    },
    ctx.palette,
    ctx.width,
  );
}

/**
 * A session with hits, as `-l` prints it: its path (sanitised), or with
 * `--json` `{id, shortId, path, cwd, title}`.
 */
export function sessionText(ctx: Context, path: string, s: SessionFacts): string {
  if (!ctx.json) return sanitizeForTerminal(path, true) + "\n";
  const json = { id: s.id, shortId: s.id.slice(0, 8), path, cwd: s.cwd, title: s.title };
  return jsonForTerminal(JSON.stringify(json), ctx.stdout.isTTY) + "\n";
}

/**
 * Flags kept in the command for all hits after the homes, cache and project
 * (`Context.scopeArgs`): `--all`, `--session`, which messages are searched,
 * and what is shown of them.
 */
const SCOPE_FLAGS = [
  "all",
  "session",
  "role",
  "tools",
  "since",
  "until",
  "model",
  "sort",
  "tz",
  "utc",
  "forks",
  "files-with-matches",
  "context",
];

/**
 * The command that shows every hit: the same words, scope and form, `-n 0`,
 * each value quoted for a shell.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allCommand } from "./search_hits.ts";
 *
 * const flags = {
 *   values: { all: true, limit: "5", json: true, since: "30d" },
 *   positionals: ["cart button", "x"],
 * };
 * assert.equal(
 *   allCommand(flags, ["--home", "/my zot", "--cache-dir", "/c"]),
 *   "zot-sessions search 'cart button' x --home '/my zot' --cache-dir /c --all --since 30d -n 0",
 * );
 * ```
 */
export function allCommand(flags: ParsedFlags, scopeArgs: readonly string[] = []): string {
  const words = flags.positionals.map(shellQuote);
  const scope: string[] = scopeArgs.map(shellQuote);
  for (const name of SCOPE_FLAGS) {
    const v = flags.values[name];
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x === true) scope.push(`--${name}`);
      else if (typeof x === "string") scope.push(`--${name}`, shellQuote(x));
    }
  }
  return ["zot-sessions search", ...words, ...scope, "-n 0"].join(" ");
}

/**
 * The command that shows a hit in context: by the session's short id, or by
 * its path when the id (from the file, untrusted) is no id a ref can name;
 * with the homes, cache and project the search was given (`scopeArgs`).
 */
function showCommand(
  id: string,
  path: string,
  index: number,
  scopeArgs: readonly string[],
): string {
  const short = id.slice(0, 8);
  const ref = /^[0-9a-f]{8}$/i.test(short) ? short : path;
  return commandLine(["show", ref, "--around", String(index), ...scopeArgs]);
}
