/**
 * `search`'s hits as text: one block per hit, the snippet's matches
 * highlighted on a terminal, every piece of transcript text sanitised.
 *
 * @module
 */
import type { Palette } from "./color.ts";
import { sanitizeForTerminal } from "./sanitize.ts";

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
}

/**
 * A hit's block: a heading line, the snippet, the command; a blank line after.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { renderHit } from "./search.ts";
 *
 * const text = renderHit({
 *   shortId: "89166dff", time: "2026-11-01 09:30", role: "user", project: null,
 *   title: "fix\x1b[2J it", snippet: "the Idempotency-Key header", matches: [[4, 19]],
 *   command: "zot-sessions show 89166dff --around 12",
 * }, palette(false));
 * assert.equal(
 *   text,
 *   "89166dff  2026-11-01 09:30  user  fix\u241b[2J it\n" +
 *     "  the Idempotency-Key header\n  zot-sessions show 89166dff --around 12\n\n",
 * );
 * ```
 */
export function renderHit(h: HitView, p: Palette): string {
  const clean = (t: string) => sanitizeForTerminal(t, true);
  const head = [p.cyan(clean(h.shortId)), p.dim(h.time || "-"), h.role];
  if (h.project !== null) head.push(clean(h.project));
  head.push(p.bold(clean(h.title)));
  // White space is already one space (snippet()): segments are not trimmed.
  const part = (t: string) => sanitizeForTerminal(t, false);
  const points = [...h.snippet];
  let snippet = "";
  let at = 0;
  for (const [a, b] of h.matches) {
    snippet += part(points.slice(at, a).join(""));
    snippet += p.yellow(part(points.slice(a, b).join("")));
    at = b;
  }
  snippet += part(points.slice(at).join(""));
  return `${head.join("  ")}\n  ${snippet}\n  ${p.dim(h.command)}\n\n`;
}
