/**
 * `search`'s hits as text: one block per hit, the snippet's matches
 * highlighted on a terminal, every piece of transcript text sanitised; on a
 * known width, the heading cut to fit (title and project, with `…`) and the
 * snippet wrapped with an indent.
 *
 * @module
 */
import type { Palette } from "./color.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { displayWidth, truncatePathToWidth, truncateToWidth } from "./width.ts";
import { cellsOf, joinCells, wrapCells } from "./wrap.ts";

/** A message shown around a hit (`search -C N`). */
export interface ContextView {
  index: number;
  role: string;
  /** The start of its text, on one line. */
  text: string;
}

/** One hit as shown. */
export interface HitView {
  shortId: string;
  /** The message's time, already in the run's zone ("" if none). */
  time: string;
  role: string;
  /** The project, shown with `--all` (null: not shown). */
  project: string | null;
  title: string;
  snippet: string;
  /** `[start, end)` in code points of `snippet`. */
  matches: [number, number][];
  /** The command that shows the hit in context, already quoted for a shell (no control character). */
  command: string;
  /** The short id of the session it was copied from (a fork's copy, `--forks`), else null. */
  copyOf?: string | null;
  /** With `-C N`: the hit's index and the messages before and after it, in order. */
  context?: { index: number; before: ContextView[]; after: ContextView[] };
}

/** The indent of the lines under a hit's heading. */
const INDENT = "  ";
/** Below this, a line under the heading is not made narrower. */
const MIN_LINE = 20;
/** The least a cut project or title keeps, when both are shown. */
const MIN_PART = 8;

/**
 * A hit's block: a heading line, the snippet, the command; a blank line
 * after. With a `width`, the heading fits it and the snippet wraps. With
 * `context` (`-C N`), the messages before and after it are one line each
 * (`#N role: text`, cut to the width), and the snippet's first line says
 * `> #N role: `. A copy (`--forks`) says whose after its role.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { renderHit } from "./search.ts";
 *
 * const hit = {
 *   shortId: "89166dff", time: "2026-11-01 09:30", role: "user", project: null,
 *   title: "fix\x1b[2J it", snippet: "the Idempotency-Key header", matches: [[4, 19]] as [number, number][],
 *   command: "zot-sessions show 89166dff --around 12",
 * };
 * assert.equal(
 *   renderHit(hit, palette(false)),
 *   "89166dff  2026-11-01 09:30  user  fix\u241b[2J it\n" +
 *     "  the Idempotency-Key header\n  zot-sessions show 89166dff --around 12\n\n",
 * );
 * assert.equal(
 *   renderHit(hit, palette(false), 38),
 *   "89166dff  2026-11-01 09:30  user  fix…\n" +
 *     "  the Idempotency-Key header\n  zot-sessions show 89166dff --around 12\n\n",
 * );
 * ```
 */
export function renderHit(h: HitView, p: Palette, width?: number): string {
  const clean = (t: string) => sanitizeForTerminal(t, true);
  const fixed = [clean(h.shortId), h.time || "-", h.role];
  if (h.copyOf) fixed.push(`copy of ${clean(h.copyOf)}`);
  const fit = fitHeading(
    fixed,
    h.project === null ? null : clean(h.project),
    clean(h.title),
    width,
  );
  const head = [p.cyan(fixed[0]), p.dim(fixed[1]), fixed[2]];
  if (h.copyOf) head.push(p.dim(fixed[3]));
  if (fit.project !== null) head.push(fit.project);
  // (An empty title is kept as it was: the heading's end did not change.)
  if (fit.title !== "" || h.title === "") head.push(p.bold(fit.title));
  const line = width === undefined ? Infinity : Math.max(width - INDENT.length, MIN_LINE);
  // White space is already one space (snippet()): no control is a line break.
  const cells = cellsOf(h.snippet, h.matches, (g) => sanitizeForTerminal(g, false));
  let body = "";
  if (h.context === undefined) {
    for (const l of wrapCells(cells, line, line)) body += INDENT + joinCells(l, p.yellow) + "\n";
  } else {
    const c = h.context;
    const around = (m: ContextView) => {
      const text = truncateToWidth(`#${m.index} ${clean(m.role)}: ${clean(m.text)}`, line);
      return INDENT + p.dim(text) + "\n";
    };
    body += c.before.map(around).join("");
    const mark = `> #${c.index} ${clean(h.role)}: `;
    const first = line + INDENT.length - displayWidth(mark);
    wrapCells(cells, Math.max(first, 1), line).forEach((l, i) => {
      body += (i === 0 ? mark : INDENT) + joinCells(l, p.yellow) + "\n";
    });
    body += c.after.map(around).join("");
  }
  return `${head.join("  ")}\n${body}${INDENT}${p.dim(h.command)}\n\n`;
}

/**
 * The project and title of a heading whose other parts are `fixed`, cut to
 * fit `width` (with two spaces between parts): when both cannot be whole,
 * each keeps at least half of what is left, the project its end; with too
 * little room for both, the project goes first, then the title.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitHeading } from "./search.ts";
 *
 * const fixed = ["89166dff", "2026-11-01 09:30", "user"];
 * assert.deepEqual(fitHeading(fixed, "/home/dev/ledger-api", "transfers: Idempotency-Key support", 60), {
 *   project: "…/ledger-api",
 *   title: "transfers: …",
 * });
 * assert.deepEqual(fitHeading(fixed, null, "a title", undefined), { project: null, title: "a title" });
 * ```
 */
export function fitHeading(
  fixed: string[],
  project: string | null,
  title: string,
  width: number | undefined,
): { project: string | null; title: string } {
  if (width === undefined) return { project, title };
  // The room after the fixed parts and the two spaces that follow them.
  const room = width - displayWidth(fixed.join("  ")) - 2;
  const tw = displayWidth(title);
  if (project === null || room - 2 < 2 * MIN_PART) {
    return { project: null, title: room > 0 ? truncateToWidth(title, room) : "" };
  }
  const pw = displayWidth(project);
  if (pw + 2 + tw <= room) return { project, title };
  // The title gets what the project leaves, and the project at least half.
  const half = Math.floor((room - 2) / 2);
  const keep = Math.max(half, room - 2 - tw);
  const shown = pw <= keep ? project : truncatePathToWidth(project, keep);
  return { project: shown, title: truncateToWidth(title, room - 2 - displayWidth(shown)) };
}
