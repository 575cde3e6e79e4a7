/**
 * A session's header: the facts about it shown above its transcript, as
 * text or Markdown (`show`, {@linkcode textHeader}) and on the HTML page
 * (`show --html`, {@linkcode pageHeader}). Each fact is worded once here:
 * the project with its NFD mark, the model and provider, the start in the
 * zone, the fork parent, the damaged lines skipped.
 *
 * @module
 */
import { basename } from "node:path";
import { clockIn, utcOffset } from "../base/calendar.ts";
import { parseRfc3339 } from "../base/time.ts";
import { VERSION } from "../base/version.ts";
import type { MetaRecord } from "../format/records.ts";
import type { SessionSummary } from "../scan/summary.ts";
import type { Palette } from "./color.ts";
import { formatCost, normalizationMark } from "./format.ts";
import type { PageHeader } from "./html_page.ts";
import { redactPaths } from "./redact.ts";
import { sanitizeForTerminal } from "./sanitize.ts";
import { stripSgr } from "./sgr.ts";
import { tokenSummary } from "./transcript.ts";

/**
 * An instant as the header shows it: in the zone, with the zone named, since
 * every other time of the transcript is shown in it too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zonedTime } from "./session_header.ts";
 *
 * assert.equal(
 *   zonedTime("2026-09-22T12:05:09Z", "Europe/Berlin"),
 *   "2026-09-22 14:05:09 Europe/Berlin (+02:00)",
 * );
 * ```
 */
export function zonedTime(rfc3339: string, tz: string): string {
  const ms = parseRfc3339(rfc3339);
  if (ms === null) return rfc3339;
  const c = clockIn(ms, tz);
  return `${c.date} ${c.time} ${tz === "UTC" ? "UTC" : `${tz} (${utcOffset(ms, tz)})`}`;
}

/**
 * The project fact: the working directory (as `shown`, e.g. with the home
 * redacted) with its mark when it is not in NFC, or `(none)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectFact } from "./session_header.ts";
 *
 * assert.equal(projectFact("/src/app"), "/src/app");
 * assert.equal(projectFact(""), "(none)");
 * ```
 */
export function projectFact(cwd: string, shown = cwd): string {
  return cwd ? shown + normalizationMark(cwd) : "(none)";
}

/**
 * The model fact: `model (provider)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelFact } from "./session_header.ts";
 *
 * assert.equal(modelFact({ model: "gpt-5", provider: "openai" }), "gpt-5 (openai)");
 * ```
 */
export function modelFact(m: Pick<MetaRecord, "model" | "provider">): string {
  return `${m.model} (${m.provider})`;
}

/**
 * The fork fact: the parent session, and the message it was forked at.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forkFact } from "./session_header.ts";
 *
 * assert.equal(forkFact({ parent: "0b1c", forkPoint: 12 }), "0b1c at message 12");
 * assert.equal(forkFact({ parent: "0b1c", forkPoint: null }), "0b1c");
 * ```
 */
export function forkFact(first: Pick<MetaRecord, "parent" | "forkPoint">): string {
  return `${first.parent}${first.forkPoint ? ` at message ${first.forkPoint}` : ""}`;
}

/**
 * The skipped fact: how many damaged lines the transcript leaves out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { skippedFact } from "./session_header.ts";
 *
 * assert.equal(skippedFact(1), "1 damaged line");
 * assert.equal(skippedFact(3), "3 damaged lines");
 * ```
 */
export function skippedFact(count: number): string {
  return `${count} damaged line${count === 1 ? "" : "s"}`;
}

/**
 * A header for a person: id, title, project, model, start, version, fork,
 * file. The Markdown one leaves out the project and the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { palette } from "./color.ts";
 * import { textHeader } from "./session_header.ts";
 *
 * const s = {
 *   title: "fix the parser", firstMeta: null, meta: null, damagedCount: 0,
 * } as unknown as Parameters<typeof textHeader>[0];
 * assert.equal(
 *   textHeader(s, "/h/s.jsonl", palette(false), false, "UTC"),
 *   "Session  /h/s.jsonl\nTitle    fix the parser\nProject  (none)\nFile     /h/s.jsonl\n",
 * );
 * ```
 */
export function textHeader(
  s: SessionSummary,
  path: string,
  p: Palette,
  markdown: boolean,
  tz: string,
): string {
  const m = s.meta;
  // Markdown is for pasting into an issue: no absolute path of this machine
  // (neither the file nor the project; zot's own export empties the cwd).
  const rows: [string, string][] = [[
    "Session",
    s.firstMeta?.id ?? (markdown ? basename(path) : path),
  ]];
  if (s.title) rows.push(["Title", s.title]);
  if (!markdown) rows.push(["Project", projectFact(m?.cwd ?? "")]);
  if (m) rows.push(["Model", modelFact(m)], ["Started", zonedTime(m.started, tz)]);
  if (m?.version) rows.push(["zot", m.version]);
  const first = s.firstMeta;
  if (first?.parent) rows.push(["Fork of", forkFact(first)]);
  if (!markdown) rows.push(["File", path]);
  if (s.damagedCount > 0) rows.push(["Skipped", skippedFact(s.damagedCount)]);
  const clean = (t: string) => sanitizeForTerminal(t, true);
  if (markdown) {
    return `# ${clean(s.title ?? s.firstPrompt ?? first?.id ?? "session")}\n\n` +
      rows.map(([k, v]) => `- **${k}**: ${clean(v)}`).join("\n") + "\n";
  }
  return rows.map(([k, v]) => `${p.bold(k.padEnd(8))} ${clean(v)}`).join("\n") + "\n";
}

/**
 * A time span, short: `45s`, `12m 05s`, `3h 07m`, `2d 4h`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { span } from "./session_header.ts";
 * assert.equal(span(3_725_000), "1h 02m");
 * ```
 */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s / 3600) % 24}h`;
}

/**
 * What a session is called on a page and in the site's index: its title,
 * else its first prompt on one line (cut at 100 characters), else `id`.
 * Colour codes are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionHeading } from "./session_header.ts";
 *
 * assert.equal(sessionHeading(null, "fix\n  the \x1b[1mparser\x1b[0m", "0e19"), "fix the parser");
 * assert.equal(sessionHeading(null, null, "0e19"), "0e19");
 * assert.equal(sessionHeading(null, "x".repeat(120), "0e19").length, 100);
 * ```
 */
export function sessionHeading(
  title: string | null,
  firstPrompt: string | null,
  id: string,
): string {
  const prompt = firstPrompt ? stripSgr(firstPrompt).replace(/\s+/g, " ").trim() : "";
  const cut = prompt.length > 100 ? prompt.slice(0, 99) + "…" : prompt;
  return stripSgr(title ?? (cut || id));
}

/**
 * The page's header from the session summary: title, project, model (and
 * the last one, when it switched), start, duration (from the first message
 * to the last), cost and tokens, fork parent. `home`, when not "", is shown as `~`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageHeader } from "./session_header.ts";
 *
 * const s = {
 *   title: null, firstPrompt: "fix   the parser", firstMeta: null, meta: null,
 *   firstMessageTime: "2026-10-01T09:00:00Z", lastMessageTime: "2026-11-12T09:00:43Z",
 *   messages: 2, damagedCount: 0,
 *   usage: { inputTokens: 5, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
 * } as unknown as Parameters<typeof pageHeader>[0];
 * const h = pageHeader(s, "UTC", "");
 * assert.equal(h.title, "fix the parser");
 * assert.deepEqual(h.facts.map(([k]) => k), ["Duration", "Messages", "Cost"]);
 * assert.equal(h.facts[0][1], "42d 0h");
 * ```
 */
export function pageHeader(s: SessionSummary, tz: string, home: string): PageHeader {
  const r = (t: string) => (home ? redactPaths(t, home) : t);
  const first = s.firstMeta;
  const m = s.meta;
  const title = sessionHeading(s.title, s.firstPrompt, first?.id ?? "session");
  const facts: [string, string][] = [];
  if (m) facts.push(["Project", projectFact(m.cwd, r(m.cwd))]);
  if (first && m) {
    const switched = modelFact(first) !== modelFact(m) ? ` → ${modelFact(m)}` : "";
    facts.push(["Model", modelFact(first) + switched]);
  }
  const started = first?.started ?? m?.started;
  if (started) facts.push(["Started", zonedTime(started, tz)]);
  // The span of the messages: an imported session was started (its meta
  // line written) long after its first messages, or just before its last.
  const from = s.firstMessageTime ? parseRfc3339(s.firstMessageTime) : null;
  const to = s.lastMessageTime ? parseRfc3339(s.lastMessageTime) : null;
  if (from !== null && to !== null && to >= from) facts.push(["Duration", span(to - from)]);
  facts.push(["Messages", s.messages.toLocaleString("en-US")]);
  facts.push(["Cost", `${formatCost(s.usage.costUsd)} · ${tokenSummary(s.usage)}`]);
  if (first?.parent) facts.push(["Fork of", forkFact(first)]);
  if (first?.id) facts.push(["Session", first.id]);
  if (m?.version) facts.push(["zot", m.version]);
  if (s.damagedCount > 0) facts.push(["Skipped", skippedFact(s.damagedCount)]);
  return { title: r(title), facts, generator: `zot-sessions ${VERSION}` };
}
