/**
 * What `export --html`'s index page must list, decoded in the test from the
 * session files themselves (FORMAT.md, read naively: every line
 * `JSON.parse`d), sharing no code with lib/: each session's project, title
 * (else first prompt, else id), model, own message count and own spend, and the
 * order (projects by their newest session, sessions newest first); and the
 * rows the page shows, read back from its HTML.
 *
 * @module
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/** One session as the reference reads it. */
export interface RefSession {
  id: string;
  parent: string | null;
  cwd: string;
  heading: string;
  model: string;
  /** Own messages: a fork's first `fork_point` message lines are its parent's. */
  messages: number;
  /** Own spend: increases of `cumulative.cost_usd`, a fork's inherited rows left out. */
  spend: number;
  mtimeMs: number;
  path: string;
}

type Json = Record<string, unknown>;

/** Reads one session file. */
export async function refSession(path: string): Promise<RefSession> {
  const lines: Json[] = [];
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    try {
      const v = JSON.parse(line.replace(/\r$/, ""));
      if (v && typeof v === "object") lines.push(v);
    } catch {
      // not JSON: damaged or empty, skipped
    }
  }
  const metas = lines.filter((l) => l.type === "meta").map((l) => l.meta as Json);
  const first = metas[0] ?? {};
  const last = metas[metas.length - 1] ?? {};
  let title: string | null = null;
  let prompt: string | null = null;
  let messages = 0;
  let ownMessages = 0;
  let spend = 0;
  let prev: Record<string, number> | null = null;
  const forkPoint = first.parent ? Number(first.fork_point ?? 0) : 0;
  for (const l of lines) {
    if (l.type === "meta" && (l.meta as Json).title) title = String((l.meta as Json).title);
    if (l.type === "rename" && l.title) title = String(l.title);
    if (l.type === "message") {
      // Numbered from 0: message #i is the fork's own when i >= fork_point, as its usage rows.
      if (messages >= forkPoint) ownMessages++;
      messages++;
      const m = l.message as Json;
      const texts = ((m.content ?? []) as Json[]).map((b) => b.text).filter((t) => t);
      if (prompt === null && m.role === "user" && texts.length > 0) prompt = String(texts[0]);
    }
    if (l.type === "usage") {
      const c = l.cumulative as Record<string, number>;
      const down = prev !== null && Object.keys(c).some((k) => c[k] < prev![k]);
      const increase = prev === null || down ? c.cost_usd : c.cost_usd - prev.cost_usd;
      // A fork's usage rows before its own fork_point-th message are its parent's.
      if (messages >= forkPoint) spend += increase;
      prev = c;
    }
  }
  const id = String(first.id ?? "");
  // deno-lint-ignore no-control-regex -- colour codes are left out of headings
  const oneLine = prompt?.replace(/\x1b\[[0-9;]*m/g, "").replace(/\s+/g, " ").trim() ?? "";
  const cut = oneLine.length > 100 ? oneLine.slice(0, 99) + "…" : oneLine;
  return {
    id,
    parent: first.parent ? String(first.parent) : null,
    cwd: String(last.cwd ?? ""),
    heading: title ?? (cut || id),
    model: String(last.model ?? ""),
    messages: ownMessages,
    spend,
    mtimeMs: Math.floor((await stat(path)).mtimeMs),
    path,
  };
}

/** Every session of a home, grouped as the index must group them. */
export async function refProjects(home: string): Promise<[string, RefSession[]][]> {
  const all: RefSession[] = [];
  const root = join(home, "sessions");
  for (const dir of await readdir(root)) {
    for (const name of await readdir(join(root, dir))) {
      if (name.endsWith(".jsonl")) all.push(await refSession(join(root, dir, name)));
    }
  }
  all.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.path < b.path ? 1 : -1));
  const groups = new Map<string, RefSession[]>();
  for (const s of all) groups.set(s.cwd, [...(groups.get(s.cwd) ?? []), s]);
  return [...groups];
}

/** A row of the index page, as its HTML says. */
export interface PageRow {
  href: string | null;
  heading: string;
  fork: boolean;
  id: string;
  when: string;
  model: string;
  messages: number;
  spend: string;
}

const unescape = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** The projects (their heading) and rows of an index page. */
export function pageProjects(html: string): [string, PageRow[]][] {
  const out: [string, PageRow[]][] = [];
  const sections = html.split('<section class="project">').slice(1);
  for (const s of sections) {
    const h2 = /<h2>(.*?) <span class="about">/.exec(s)![1];
    const rows = [...s.matchAll(
      /<tr><td class="title">(?:<a href="([^"]*)">)?(.*?)(?:<\/a>)?( <span class="fork">fork<\/span>)?<\/td><td class="id">(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><td class="n">(.*?)<\/td><td class="n">(.*?)<\/td><\/tr>/g,
    )].map((m) => ({
      href: m[1] ?? null,
      heading: unescape(m[2]),
      fork: m[3] !== undefined,
      id: unescape(m[4]),
      when: m[5],
      model: unescape(m[6]),
      messages: Number(m[7].replace(/,/g, "")),
      spend: m[8],
    }));
    out.push([unescape(h2), rows]);
  }
  return out;
}

/** The dollars a spend cell says, as a range the exact amount lies in. */
export function spendRange(cell: string): [number, number] {
  const text = cell.replace(/\*$/, "");
  if (text === "unpriced" || text === "$0.00") return [0, 0];
  if (text === "&lt;$0.01") return [0, 0.01];
  const usd = Number(text.replace("$", ""));
  return [usd - 0.005, usd + 0.005];
}
