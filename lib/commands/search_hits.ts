/**
 * How `search` writes a hit (one JSON line, or a text block with the command
 * that shows it in context) and the command that shows every hit when
 * `--limit` cut them.
 *
 * @module
 */
import type { ParsedFlags } from "./args.ts";
import type { Context } from "./context.ts";
import { formatWallTime, parseRfc3339 } from "../base/time.ts";
import type { MessageHit } from "../sessions/search.ts";
import { formatProject } from "../render/format.ts";
import { jsonForTerminal } from "../render/sanitize.ts";
import { renderHit } from "../render/search.ts";
import { shellQuote } from "../render/shell.ts";

/** What a hit shows of its session. */
export interface SessionFacts {
  id: string;
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
}

/** A hit as printed: one JSON line, or a text block (`o`: `search`'s `--all` and zone). */
export function hitText(
  ctx: Context,
  o: { all: boolean; tz: string },
  h: MessageHit,
  s: SessionFacts,
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
    return jsonForTerminal(JSON.stringify(json), ctx.stdout.isTTY) + "\n";
  }
  const t = parseRfc3339(h.time);
  return renderHit(
    {
      shortId: s.id.slice(0, 8),
      time: t === null ? "" : formatWallTime(t, o.tz),
      role: h.role,
      project: o.all ? formatProject(s.cwd, ctx.userHome) : null,
      title: s.title ?? "",
      snippet: snip.text,
      matches: snip.matches,
      command: showCommand(s.id, h.path, h.index),
    },
    ctx.palette,
    ctx.width,
  );
}

/** Flags that say which messages are searched, kept in the command for all hits. */
const SCOPE_FLAGS = [
  "home",
  "cwd",
  "all",
  "role",
  "tools",
  "since",
  "until",
  "model",
  "sort",
  "tz",
  "utc",
];

/**
 * The command that shows every hit: the same words and scope, `-n 0`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allCommand } from "./search_hits.ts";
 *
 * const flags = { values: { all: true, limit: "5", json: true, since: "30d" }, positionals: ["cart button", "x"] };
 * assert.equal(allCommand(flags), "zot-sessions search 'cart button' x --all --since 30d -n 0");
 * ```
 */
export function allCommand(flags: ParsedFlags): string {
  const words = flags.positionals.map(shellQuote);
  const scope: string[] = [];
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
 * its path when the id (from the file, untrusted) is no id a ref can name.
 */
function showCommand(id: string, path: string, index: number): string {
  const short = id.slice(0, 8);
  const ref = /^[0-9a-f]{8}$/i.test(short) ? short : path;
  return `zot-sessions show ${shellQuote(ref)} --around ${index}`;
}
